import pkgutil
import subprocess
import sys

import reviewer.core


def test_core_never_imports_pyside6():
    modules = [m.name for m in pkgutil.walk_packages(reviewer.core.__path__, "reviewer.core.")]
    assert len(modules) >= 5
    code = ("import importlib, sys\n"
            f"for name in {modules!r}:\n"
            "    importlib.import_module(name)\n"
            "print(sorted(m for m in sys.modules if m.startswith('PySide6')))\n")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "[]"


def test_the_window_process_never_imports_spacy():
    """Analysis runs in its own process; the window reads and writes projects,
    the rulebook and memos without loading spaCy (seconds of start-up)."""
    code = ("import sys\n"
            "import reviewer.gui.main_window, reviewer.gui.workers, reviewer.core.project, reviewer.core.memo\n"
            "from reviewer.core.results import Analysis, Review, Segment\n"
            "from reviewer.core.rules import load_ruleset\n"
            "load_ruleset()\n"
            "print(sorted(m for m in sys.modules if m.split('.')[0] in ('spacy', 'thinc')))\n")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "[]"
