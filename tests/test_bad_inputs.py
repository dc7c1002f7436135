"""Bad and awkward input files, fed to the command line, an open project and the GUI.

The files are written at test time by ``bad_inputs/generate.py``. For every
kind the command line ``pipl-reviewer review FILE`` must answer within 10 s
and bounded memory: bad input with exit code 2 and one line naming the
problem, a legitimate but awkward file with exit code 0 (and a warning where
there is something to say). The input file is never modified and an open
project is left as it was.

The command line runs through ``bad_inputs/cli_runner.py``, which forks a warm
process for each file so that Python's start-up does not count; one test runs
the real ``python -m reviewer`` on a few files as well.
"""
from __future__ import annotations

import hashlib
import json
import os
import re
import shutil
import sqlite3
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import pytest

HOOKS = Path(__file__).parent / "hooks"
sys.path.insert(0, str(Path(__file__).parent / "bad_inputs"))
sys.path.insert(0, str(HOOKS))

import generate  # noqa: E402
from guards import changing_open, unreadable_open  # noqa: E402

from reviewer.core import loaders  # noqa: E402
from reviewer.core.document import LoadError  # noqa: E402
from reviewer.core.loaders import Limits, limits_from_env, load  # noqa: E402

FIXTURES = Path(__file__).parent / "fixtures"
MAX_SECONDS = 10
MAX_RSS_MB = 1024
ADDRESS_SPACE_MB = 3072
IS_ROOT = hasattr(os, "geteuid") and os.geteuid() == 0
NOBODY = 65534

ERROR, WARNING, OK = "error", "warning", "ok"

# kind: (outcome, what the one line (error) or a warning must say)
CASES = {
    "pdf_truncated": (ERROR, r"damaged or not a valid PDF"),
    "pdf_truncated_tail": (WARNING, r"looks truncated"),
    "pdf_corrupt_xref": (OK, None),
    "pdf_user_password": (ERROR, r"password-protected"),
    "pdf_owner_password": (WARNING, r"owner password"),
    "pdf_scanned": (ERROR, r"no text layer .* needs OCR"),
    "pdf_2000_pages": (ERROR, r"2000 pages, over the limit of 1000 pages"),
    "pdf_tiny_characters": (OK, None),
    "pdf_no_unicode_map": (ERROR, r"text layer is unreadable \(fonts without a Unicode mapping\)"),
    "docx_not_zip": (ERROR, r"not a valid DOCX file"),
    "docx_zip_bomb": (ERROR, r"over the 300 MB limit .*zip bomb"),
    "docx_external_entity": (ERROR, r"DTD/entity declarations.*refused for safety"),
    "docx_billion_laughs": (ERROR, r"DTD/entity declarations.*refused for safety"),
    "docx_no_document_xml": (ERROR, r"word/document\.xml\) is missing"),
    "docx_old_word": (ERROR, r"old Word \.doc file; save it as \.docx"),
    "docx_images_only": (ERROR, r"no text found .* only images"),
    "docx_excel_renamed": (ERROR, r"Excel workbook, not a Word document"),
    "docx_wrong_zip_offsets": (ERROR, r"DOCX file is damaged|not a valid DOCX"),
    "docx_corrupt_deflate": (ERROR, r"DOCX file is damaged|not a valid DOCX"),
    "docx_foreign_relationships": (ERROR, r"DOCX file is damaged|not a valid DOCX"),
    "docx_nul_in_xml": (ERROR, r"DOCX file is damaged|not a valid DOCX"),
    "txt_empty": (ERROR, r"the file is empty \(0 bytes\)"),
    "txt_whitespace": (ERROR, r"only whitespace"),
    "txt_50_mb": (ERROR, r"50 MB, too long to review: over the limit of 2,000,000 characters"),
    "txt_mixed_encodings": (WARNING, r"mixes text encodings"),
    "txt_utf16_no_bom": (WARNING, r"decoded as UTF-16"),
    "txt_gb18030": (WARNING, r"decoded as GB18030"),
    "txt_nul_bytes": (WARNING, r"NUL characters .* removed"),
    "txt_one_5_mb_line": (ERROR, r"too long to review: [\d,]+ characters, over the limit of 2,000,000"),
    "html_scripts_only": (ERROR, r"no readable text in the web page"),
    "html_malformed": (OK, None),
    "html_control_characters": (OK, None),
    "folder_as_file": (ERROR, r"this is a folder, not a file"),
    "chinese_path": (OK, None),
    "no_read_permission": (ERROR, r"permission denied"),
    "changes_while_loading": (ERROR, r"changed while it was being read"),
    "unsupported_type": (ERROR, r"unsupported file type – use PDF, DOCX, TXT or HTML"),
    "missing_file": (ERROR, r"file not found"),
    "special_file": (ERROR, r"not a regular file"),
    "junk_pdf": (ERROR, r"not a valid PDF \(the file has no PDF header\)"),
    "junk_docx": (ERROR, r"not a valid DOCX file"),
    "junk_txt": (ERROR, r"not a text file"),
    "junk_text": (ERROR, r"not a text file"),
    "junk_md": (ERROR, r"not a text file"),
    "junk_html": (ERROR, r"not a web page|binary"),
    "junk_htm": (ERROR, r"not a web page|binary"),
    "junk_xhtml": (ERROR, r"not a web page|binary"),
}
ERROR_KINDS = [kind for kind, (outcome, _) in CASES.items() if outcome == ERROR]
PYTHON_WORDS = re.compile(r"Traceback|internal error|\b[A-Z]\w*(Error|Exception)\b|File \"")


def test_every_generated_kind_has_a_case():
    assert set(CASES) == set(generate.MAKERS)
    assert len(CASES) >= 30


# ---------------------------------------------------------------- files and helpers

@pytest.fixture(scope="session")
def bad_files(tmp_path_factory):
    """All kinds, written once. The unreadable file lives in a folder other users can
    enter, so that a test running as root can read it as another user."""
    folder = tmp_path_factory.mktemp("bad_inputs")
    kinds = [k for k in generate.MAKERS if k not in ("no_read_permission", "special_file")]
    files = generate.make_all(folder, kinds)
    if hasattr(os, "mkfifo"):  # no named pipes on Windows
        files["special_file"] = generate.special_file(folder)
    open_folder = Path(tempfile.mkdtemp(prefix="pipl-bad-"))
    if os.name == "posix":  # Windows ignores the read bit
        open_folder.chmod(0o755)
        files["no_read_permission"] = generate.no_read_permission(open_folder)
    yield files
    if "no_read_permission" in files:
        files["no_read_permission"].chmod(0o644)
    shutil.rmtree(open_folder, ignore_errors=True)


def bad_file(files: dict, kind: str) -> Path:
    if kind not in files:
        pytest.skip(f"{kind} cannot be made on this system")
    return files[kind]


def fingerprint(path: Path):
    """What must not change: the bytes and the modification time of a file."""
    if path.is_symlink() or not path.exists():
        return None
    info = path.stat()
    if path.is_dir():
        return ("folder", sorted(p.name for p in path.iterdir()))
    if not path.is_file():
        return ("special", info.st_mode)
    if info.st_mode & 0o444 == 0:
        return ("unreadable", info.st_size, info.st_mtime_ns)
    return (hashlib.sha256(path.read_bytes()).hexdigest(), info.st_size, info.st_mtime_ns)


def simulate(kind: str, path: Path, monkeypatch) -> None:
    """In-process stand-ins for what the CLI runner does with a real user switch and
    a real change to the file (root reads every file, whatever its permissions)."""
    if kind == "changes_while_loading":
        monkeypatch.setattr(loaders, "open", changing_open(path), raising=False)
    elif kind == "no_read_permission" and IS_ROOT:
        monkeypatch.setattr(loaders, "open", unreadable_open(path), raising=False)


def hook_child_processes(monkeypatch, **variables) -> None:
    """Give processes started from now on (the GUI's analysis process) the test hooks
    of ``hooks/sitecustomize.py``: the in-process stand-ins do not reach them."""
    paths = [str(HOOKS)] + [p for p in os.environ.get("PYTHONPATH", "").split(os.pathsep) if p]
    monkeypatch.setenv("PYTHONPATH", os.pathsep.join(paths))
    for name, value in variables.items():
        monkeypatch.setenv(name, str(value))
    restart_gui_engine()


def restart_gui_engine() -> None:
    """Stop the GUI's analysis process, if it has one, so the next is started afresh."""
    try:
        from reviewer.gui.workers import ENGINE
    except ImportError:
        return
    ENGINE.stop()


def restore(kind: str, path: Path) -> None:
    if kind == "changes_while_loading":
        path.write_text(generate.english_policy(), encoding="utf-8")


def check_message(message: str, name: str, pattern: str) -> None:
    assert "\n" not in message.strip(), f"more than one line: {message!r}"
    assert re.search(pattern, message), f"{message!r} does not say {pattern!r}"
    assert name in message, f"{message!r} does not name the file"
    assert not PYTHON_WORDS.search(message), f"not in a reviewer's words: {message!r}"


# ---------------------------------------------------------------- the command line

class Runner:
    def __init__(self) -> None:
        env = dict(os.environ, OPENBLAS_NUM_THREADS="1", OMP_NUM_THREADS="1")
        self.process = subprocess.Popen(
            [sys.executable, str(Path(__file__).parent / "bad_inputs" / "cli_runner.py")],
            stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True, env=env)
        assert json.loads(self.process.stdout.readline()) == {"ready": True}

    def run(self, request: dict) -> dict:
        self.process.stdin.write(json.dumps(request) + "\n")
        self.process.stdin.flush()
        return json.loads(self.process.stdout.readline())

    def close(self) -> None:
        self.process.stdin.close()
        self.process.wait(timeout=30)


@pytest.fixture(scope="session")
def runner():
    if not hasattr(os, "fork"):
        pytest.skip("the CLI runner forks; POSIX only")
    runner = Runner()
    yield runner
    runner.close()


def run_cli(runner, kind: str, path: Path, out: Path) -> dict:
    request = {"args": ["review", str(path), "--json", str(out / "review.json")],
               "stdout": str(out / "stdout.txt"), "stderr": str(out / "stderr.txt"),
               "memory_mb": ADDRESS_SPACE_MB, "timeout": 60}
    if kind == "no_read_permission" and IS_ROOT:
        request["uid"] = NOBODY
    if kind == "changes_while_loading":
        request["change_on_read"] = str(path)
    result = runner.run(request)
    result["stdout"] = (out / "stdout.txt").read_text(encoding="utf-8")
    result["stderr"] = (out / "stderr.txt").read_text(encoding="utf-8")
    json_out = out / "review.json"
    result["json"] = json.loads(json_out.read_text(encoding="utf-8")) if json_out.exists() else None
    return result


def check_content(kind: str, doc: dict) -> None:
    """The awkward files that load must load right."""
    english = generate.english_policy()
    if kind in ("txt_gb18030", "chinese_path"):
        assert doc["text"] == generate.CHINESE_POLICY and doc["lang"] == "zh"
    elif kind == "txt_utf16_no_bom":
        assert doc["text"] == english
    elif kind == "txt_nul_bytes":
        assert doc["text"] == english
    elif kind == "txt_mixed_encodings":
        assert "We don’t sell data – “never”." in doc["text"]
        assert generate.CHINESE_POLICY.split("\n\n")[2] in doc["text"]
        assert "\ufffd" not in doc["text"]
    elif kind == "pdf_corrupt_xref":
        assert doc["pages"] == 3 and "Section 3." in doc["text"]
    elif kind == "pdf_truncated_tail":
        assert doc["pages"] == 3
    elif kind == "pdf_tiny_characters":
        assert len(doc["text"]) > 80_000 and "personal information" in doc["text"]
    elif kind == "html_malformed":
        assert "Privacy Policy of Benewake" in doc["text"] and len(doc["text"]) > 1000
    elif kind == "html_control_characters":
        assert "Privacy Policy of Benewake" in doc["text"] and "track()" not in doc["text"]


@pytest.mark.parametrize("kind", list(CASES))
def test_command_line(kind, bad_files, runner, tmp_path):
    outcome, pattern = CASES[kind]
    path = bad_file(bad_files, kind)
    before = fingerprint(path)
    try:
        result = run_cli(runner, kind, path, tmp_path)
    finally:
        restore(kind, path)

    assert not result["timed_out"], f"{kind}: no answer within 60 s"
    assert result["seconds"] <= MAX_SECONDS, f"{kind}: took {result['seconds']:.1f} s"
    assert result["max_rss_mb"] <= MAX_RSS_MB, f"{kind}: used {result['max_rss_mb']:.0f} MB"
    assert "Traceback" not in result["stderr"]
    assert generate.SECRET not in result["stdout"] + result["stderr"]
    if kind != "changes_while_loading":
        assert fingerprint(path) == before, f"{kind}: the input file was modified"

    if outcome == ERROR:
        assert result["code"] == 2, f"{kind}: exit code {result['code']}: {result['stderr']}"
        lines = result["stderr"].splitlines()
        assert len(lines) == 1, f"{kind}: {result['stderr']!r}"
        assert lines[0].startswith(f"pipl-reviewer: {path.name}: ")
        check_message(lines[0], path.name, pattern)
        assert result["json"] is None
    else:
        assert result["code"] == 0, f"{kind}: exit code {result['code']}: {result['stderr']}"
        assert result["stderr"] == ""
        doc = result["json"]["document"]
        if outcome == WARNING:
            assert any(re.search(pattern, w) for w in doc["warnings"]), doc["warnings"]
            assert re.search(pattern, result["stdout"])
        else:
            assert doc["warnings"] == []
        check_content(kind, doc)


def test_the_real_command_reports_each_bad_file_on_one_line(bad_files, tmp_path):
    """``python -m reviewer review`` itself, with a limit set from the environment."""
    names = ["txt_empty", "docx_external_entity", "pdf_owner_password", "junk_pdf"]
    env = dict(os.environ, PIPL_REVIEWER_MAX_PAGES="1")
    started = time.monotonic()
    out = subprocess.run([sys.executable, "-m", "reviewer", "review",
                          *(str(bad_files[n]) for n in names)],
                         capture_output=True, text=True, env=env, timeout=300, cwd=tmp_path)
    assert out.returncode == 2
    lines = out.stderr.splitlines()
    assert len(lines) == len(names), out.stderr
    for line, name in zip(lines, names):
        assert line.startswith(f"pipl-reviewer: {bad_files[name].name}: ")
        assert not PYTHON_WORDS.search(line)
    assert "2 pages, over the limit of 1 pages" in lines[2]
    assert time.monotonic() - started < 120


# ---------------------------------------------------------------- an open project

@pytest.fixture(scope="session")
def project_file(tmp_path_factory):
    """A project with one policy, an override and a note, made once."""
    from reviewer.core.project import open_project
    from reviewer.core.review import review_file

    path = tmp_path_factory.mktemp("project") / "review.piplrev"
    with open_project(path) as project:
        doc_id, _ = project.add_document(review_file(FIXTURES / "benewake.txt",
                                                     ruleset=project.ruleset))
        item = project.review_state(doc_id).items[0].item
        project.set_override(doc_id, item, "needs_review", "Check with the client.")
        project.add_note(doc_id, "document", None, "First pass done.")
    return path


def project_state(project) -> dict:
    docs = project.documents()
    return {"documents": [(d.id, d.sha256, d.file_name) for d in docs],
            "counts": {d.id: project.counts(d.id) for d in docs},
            "audit": len(project.audit_trail())}


@pytest.mark.parametrize("kind", ERROR_KINDS)
def test_open_project_is_unaffected(kind, bad_files, project_file, tmp_path, monkeypatch):
    from reviewer.core.project import ProjectError, open_project

    copy = tmp_path / "review.piplrev"
    shutil.copy(project_file, copy)
    path = bad_file(bad_files, kind)
    before = fingerprint(path)
    simulate(kind, path, monkeypatch)
    started = time.monotonic()
    try:
        with open_project(copy) as project:
            state = project_state(project)
            with pytest.raises((LoadError, ProjectError)) as caught:
                project.add_document(path)
            assert project_state(project) == state
    finally:
        monkeypatch.undo()
        restore(kind, path)
    assert time.monotonic() - started <= MAX_SECONDS
    check_message(str(caught.value), path.name, CASES[kind][1])
    if kind != "changes_while_loading":
        assert fingerprint(path) == before
    with sqlite3.connect(copy) as db:
        assert db.execute("PRAGMA integrity_check").fetchone() == ("ok",)
    with open_project(copy, readonly=True) as project:
        assert project_state(project) == state


# ---------------------------------------------------------------- damaged project files

# kind: (outcome, what the one line must say); derived data (the analysis cache) is rebuilt
PROJECT_CASES = {
    "project_not_sqlite": (ERROR, r"not a PIPL Reviewer project"),
    "project_truncated": (ERROR, r"damaged|malformed"),
    "project_other_application": (ERROR, r"another application, not a PIPL Reviewer project"),
    "project_newer_version": (ERROR, r"newer version of PIPL Reviewer"),
    "project_corrupt_cache": (OK, None),
    "project_missing_table": (ERROR, r"damaged"),
    "project_no_project_row": (ERROR, r"damaged"),
}


@pytest.fixture(scope="session")
def bad_projects(tmp_path_factory, project_file):
    return generate.make_projects(tmp_path_factory.mktemp("bad_projects"), project_file)


@pytest.mark.parametrize("kind", list(PROJECT_CASES))
def test_damaged_project_file(kind, bad_projects, runner, tmp_path):
    """``pipl-reviewer project FILE`` (open, list the policies and their review state)."""
    outcome, pattern = PROJECT_CASES[kind]
    path = tmp_path / bad_projects[kind].name
    shutil.copy(bad_projects[kind], path)
    before = fingerprint(path)
    result = runner.run({"args": ["project", str(path)], "stdout": str(tmp_path / "out.txt"),
                         "stderr": str(tmp_path / "err.txt"), "memory_mb": ADDRESS_SPACE_MB,
                         "timeout": 60})
    stderr = (tmp_path / "err.txt").read_text(encoding="utf-8")
    assert not result["timed_out"] and result["seconds"] <= MAX_SECONDS
    assert result["max_rss_mb"] <= MAX_RSS_MB
    assert "Traceback" not in stderr, stderr[-600:]
    if outcome == ERROR:
        assert result["code"] == 2, stderr
        lines = stderr.splitlines()
        assert len(lines) == 1, stderr
        check_message(lines[0], path.name, pattern)
        assert fingerprint(path) == before, "a project that cannot be opened was modified"
    else:
        assert result["code"] == 0, stderr


# ---------------------------------------------------------------- the GUI

@pytest.mark.qt_log_ignore(r"This plugin does not support (propagateSizeHints|raise)\(\)")
def test_gui_shows_a_clear_message(qtbot, bad_files, project_file, tmp_path, monkeypatch):
    """Each bad file opened while a project is open: a warning box naming the problem,
    and the project and the policy on screen stay as they were."""
    pytest.importorskip("PySide6")
    from PySide6.QtCore import QSettings

    from reviewer.core.project import open_project
    from reviewer.gui import main_window as main_window_module
    from reviewer.gui.main_window import MainWindow

    shown = []

    def warning(parent, title, text, *args, **kwargs):
        shown.append((title, text))
        return main_window_module.QMessageBox.Ok

    monkeypatch.setattr(main_window_module.QMessageBox, "warning", staticmethod(warning))
    hooks = {"PIPL_TEST_CHANGE_ON_READ": bad_files["changes_while_loading"]}
    if IS_ROOT and "no_read_permission" in bad_files:
        hooks["PIPL_TEST_UNREADABLE"] = bad_files["no_read_permission"]
    hook_child_processes(monkeypatch, **hooks)
    copy = tmp_path / "review.piplrev"
    shutil.copy(project_file, copy)
    settings = QSettings(str(tmp_path / "settings.ini"), QSettings.IniFormat)
    window = MainWindow(settings=settings, untitled_dir=tmp_path / "untitled", remember=False)
    qtbot.addWidget(window)
    window.show()
    try:
        with qtbot.waitSignal(window.task_ended, timeout=120_000) as blocker:
            window.open_path(copy)
        assert blocker.args == ["finished"]
        project, doc_id = window.project, window.doc_id
        state = project_state(project)

        problems = []
        for kind in [k for k in ERROR_KINDS if k in bad_files]:
            path = bad_files[kind]
            before = fingerprint(path)
            shown.clear()
            with pytest.MonkeyPatch.context() as patch:
                simulate(kind, path, patch)
                started = time.monotonic()
                with qtbot.waitSignal(window.task_ended, timeout=60_000) as blocker:
                    window.open_policy(path)
                seconds = time.monotonic() - started
            restore(kind, path)
            try:
                assert blocker.args == ["failed"], blocker.args
                assert len(shown) == 1, shown
                title, message = shown[0]
                assert title == "Cannot open policy"
                check_message(message, path.name, CASES[kind][1])
                assert seconds <= MAX_SECONDS, f"took {seconds:.1f} s"
                assert window.project is project and window.doc_id == doc_id
                assert project_state(project) == state
                if kind != "changes_while_loading":
                    assert fingerprint(path) == before
            except AssertionError as exc:
                problems.append(f"{kind}: {exc}")
                # Go on from where the window is now, so one failure does not hide the others.
                project, doc_id = window.project, window.doc_id
                state = project_state(project)
        assert not problems, "\n".join(problems)
    finally:
        window.shutdown()
        restart_gui_engine()
    with open_project(copy, readonly=True) as project:
        assert project_state(project) == state


# ---------------------------------------------------------------- limits and big files

def test_limits_are_configurable_from_the_environment():
    assert limits_from_env({}) == Limits()
    limits = limits_from_env({"PIPL_REVIEWER_MAX_FILE_MB": "5", "PIPL_REVIEWER_MAX_PAGES": "20",
                              "PIPL_REVIEWER_MAX_UNPACKED_MB": "7",
                              "PIPL_REVIEWER_MAX_TEXT_CHARS": "1000"})
    assert limits == Limits(max_file_bytes=5 * 2**20, max_pages=20,
                            max_decompressed_bytes=7 * 2**20, max_text_chars=1000)
    assert limits_from_env({"PIPL_REVIEWER_MAX_PAGES": "many"}) == Limits()
    assert limits_from_env({"PIPL_REVIEWER_MAX_PAGES": "-1"}) == Limits()


def test_file_size_limit_is_named(tmp_path):
    path = tmp_path / "big.pdf"
    path.write_bytes(b"%PDF-1.4\n" + b"0" * (3 * 2**20))
    with pytest.raises(LoadError, match=r"big\.pdf: file is 3 MB, over the 2 MB limit"):
        load(path, limits=Limits(max_file_bytes=2 * 2**20))


def test_2000_page_pdf_loads_with_progress_when_the_limit_allows(bad_files):
    """Refused by default (see CASES); with the page limit raised it loads, reporting
    every page."""
    calls = []
    started = time.monotonic()
    doc = load(bad_files["pdf_2000_pages"], limits=Limits(max_pages=3000),
               progress=lambda done, total: calls.append((done, total)))
    assert doc.pages == 2000 and "Section 2000." in doc.text
    assert calls == [(n, 2000) for n in range(1, 2001)]
    assert time.monotonic() - started < 120


def test_a_long_single_line_is_cut_into_blocks(tmp_path):
    """Under the limit, a one-line text of over a million characters still loads, in
    blocks small enough for the sentence splitter."""
    from reviewer.core.loaders.text import MAX_BLOCK_CHARS

    line = generate.english_policy().replace("\n", " ")
    text = (line * (1_100_000 // len(line) + 1))[:1_100_000]
    path = tmp_path / "line.txt"
    path.write_text(text, encoding="utf-8")
    doc = load(path)
    assert doc.text == text
    assert len(doc.blocks) >= 11
    assert all(0 < len(b.text) <= MAX_BLOCK_CHARS for b in doc.blocks)
    assert all(doc.text[b.start:b.end] == b.text for b in doc.blocks)
    assert re.sub(r"\s", "", "".join(b.text for b in doc.blocks)) == re.sub(r"\s", "", text)
