PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed

.PHONY: run test bench clean package package-test fuzz

$(STAMP): pyproject.toml
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[test]'
	touch $(STAMP)

run: $(STAMP)
	$(BIN)/pipl-reviewer demo

test: $(STAMP)
	$(BIN)/python -m pytest -q

bench: $(STAMP)
	$(BIN)/python bench/ingest.py
	$(BIN)/python bench/engine.py
	$(BIN)/python bench/project.py
	$(BIN)/python bench/gui.py
	$(BIN)/python bench/accuracy.py

package: $(STAMP)
	$(BIN)/python -c 'import PyInstaller' 2>/dev/null || $(BIN)/python -m pip install --quiet -e '.[package]'
	$(BIN)/pyinstaller --noconfirm --clean --distpath dist --workpath build/pyinstaller \
		packaging/pipl-reviewer.spec

package-test: $(STAMP)
	$(BIN)/python packaging/smoke_test.py dist/pipl-reviewer

FUZZ_EXAMPLES ?= 1000

fuzz: $(STAMP)
	$(BIN)/python fuzz/run.py --examples $(FUZZ_EXAMPLES)

clean:
	rm -rf $(VENV) build *.egg-info
