"""The no-network promise, proven.

Every test here runs with socket creation blocked: ``socket.socket`` (for
internet sockets), ``socket.create_connection`` and the name lookups raise and
record the attempt, in the test process and in the processes it starts (the
GUI's analysis process). The tests do a full review of all four formats, the
project file, the memo export, the command line and a GUI session, check that
all of it worked, and check that nothing tried to connect.
"""
from __future__ import annotations

import html
import os
import re
import socket
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest

HOOKS = Path(__file__).parent / "hooks"
sys.path.insert(0, str(HOOKS))

import guards  # noqa: E402

FIXTURES = Path(__file__).parent / "fixtures"
REPO = Path(__file__).resolve().parent.parent


@pytest.fixture(autouse=True)
def no_network(monkeypatch, tmp_path):
    """Internet sockets and name lookups raise and are recorded, in this process and
    (through ``hooks/sitecustomize.py``) in any Python process started from it, such
    as the GUI's analysis process. Local pipes between processes still work."""
    log = tmp_path / "network-attempts.log"
    log.touch()
    paths = [str(HOOKS)] + [p for p in os.environ.get("PYTHONPATH", "").split(os.pathsep) if p]
    monkeypatch.setenv("PYTHONPATH", os.pathsep.join(paths))
    monkeypatch.setenv("PIPL_TEST_NETWORK_LOG", str(log))
    restart_gui_engine()
    attempts = []
    originals = guards.block_network(attempts.append)
    try:
        yield attempts
    finally:
        for module, name, original in originals:
            setattr(module, name, original)
        restart_gui_engine()
    tried = [a for a in attempts + log.read_text(encoding="utf-8").splitlines()
             if not guards.harmless(a)]
    assert tried == [], f"something tried to use the network: {tried}"


def restart_gui_engine() -> None:
    """A GUI analysis process started before the block would not have it."""
    try:
        from reviewer.gui.workers import ENGINE
    except ImportError:
        return
    ENGINE.stop()


def test_the_block_works(no_network):
    with pytest.raises(OSError):
        socket.create_connection(("example.com", 443), timeout=1)
    with pytest.raises(OSError):
        socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    a, b = socket.socketpair()  # local pipes are not network
    a.close()
    b.close()
    assert len(no_network) == 2 and not any(guards.harmless(a) for a in no_network)
    no_network.clear()


def test_the_block_reaches_child_processes(tmp_path):
    code = ("import socket\n"
            "try:\n    socket.create_connection(('example.com', 80), timeout=1)\n"
            "except OSError as exc:\n    print('blocked' if 'offline' in str(exc) else exc)\n")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=60)
    assert out.stdout.strip() == "blocked"
    log = Path(os.environ["PIPL_TEST_NETWORK_LOG"])
    assert "create_connection" in log.read_text(encoding="utf-8")
    log.write_text("")


def html_policy(path: Path) -> Path:
    """benewake.txt as a saved web page: the first line a heading, the rest paragraphs."""
    paragraphs = (FIXTURES / "benewake.txt").read_text(encoding="utf-8").split("\n\n")
    body = f"<h1>{html.escape(paragraphs[0])}</h1>\n" + "\n".join(
        f"<p>{html.escape(p)}</p>" for p in paragraphs[1:] if p.strip())
    path.write_text(f"<!DOCTYPE html><html><head><meta charset=\"utf-8\"><title>Privacy Policy"
                    f"</title></head><body><main>{body}</main></body></html>", encoding="utf-8")
    return path


def policies(tmp_path: Path) -> list[Path]:
    return [FIXTURES / "benewake.txt", FIXTURES / "benewake.docx", FIXTURES / "benewake.pdf",
            html_policy(tmp_path / "benewake.html")]


def is_docx(path: Path) -> bool:
    with zipfile.ZipFile(path) as z:
        return "word/document.xml" in z.namelist()


def test_review_of_all_four_formats(tmp_path):
    from reviewer.core.review import review_file, to_json

    for path in policies(tmp_path):
        review = review_file(path)
        assert review.document.format == path.suffix.lstrip(".")
        assert len(review.analysis.findings) > 20, path.name
        assert to_json(review)["document"]["sha256"] == review.document.sha256


def test_project_file_and_memo(tmp_path):
    from reviewer.core.memo import export_memo, export_review_memo
    from reviewer.core.project import open_project
    from reviewer.core.review import review_file

    files = policies(tmp_path)
    project_path = tmp_path / "offline.piplrev"
    with open_project(project_path) as project:
        for path in files:
            doc_id, added = project.add_document(review_file(path, ruleset=project.ruleset))
            assert added
        doc_id = project.documents()[0].id
        item = project.review_state(doc_id).items[0].item
        project.set_override(doc_id, item, "needs_review", "Ask the client.")
        project.add_note(doc_id, "document", None, "Reviewed offline.")
    with open_project(project_path) as project:
        assert len(project.documents()) == 4
        assert project.counts(doc_id)["notes"] == 1
        memo = export_memo(project, tmp_path / "memo.docx")
    assert is_docx(memo)
    single = export_review_memo(review_file(files[2]), tmp_path / "single.docx")
    assert is_docx(single)


def test_command_line_review_project_and_memo(tmp_path):
    from reviewer.cli import main

    code = main(["review", str(FIXTURES / "benewake.pdf"), "--json", str(tmp_path / "r.json"),
                 "--project", str(tmp_path / "cli.piplrev"), "--memo", str(tmp_path / "memo.docx")])
    assert code == 0
    assert (tmp_path / "r.json").exists() and is_docx(tmp_path / "memo.docx")
    assert main(["project", str(tmp_path / "cli.piplrev")]) == 0


@pytest.mark.qt_log_ignore(r"This plugin does not support (propagateSizeHints|raise)\(\)")
def test_gui_opens_a_policy_and_a_project(qtbot, tmp_path):
    pytest.importorskip("PySide6")
    from PySide6.QtCore import QSettings

    from reviewer.gui.main_window import MainWindow

    settings = QSettings(str(tmp_path / "settings.ini"), QSettings.IniFormat)
    window = MainWindow(settings=settings, untitled_dir=tmp_path / "untitled", remember=False)
    qtbot.addWidget(window)
    window.show()
    try:
        window.warm_up()
        with qtbot.waitSignal(window.task_ended, timeout=240_000) as blocker:
            window.open_path(FIXTURES / "benewake.pdf")
        assert blocker.args == ["finished"] and window.state is not None
        project_path = window.project.path
        with qtbot.waitSignal(window.task_ended, timeout=240_000) as blocker:
            window.open_path(html_policy(tmp_path / "benewake.html"))
        assert blocker.args == ["finished"]
        assert len(window.project.documents()) == 2
        with qtbot.waitSignal(window.task_ended, timeout=240_000) as blocker:
            window.export_memo(tmp_path / "gui-memo.docx")
        assert blocker.args == ["finished"] and is_docx(tmp_path / "gui-memo.docx")
    finally:
        window.shutdown()
    window = MainWindow(settings=settings, untitled_dir=tmp_path / "untitled", remember=False)
    qtbot.addWidget(window)
    try:
        with qtbot.waitSignal(window.task_ended, timeout=240_000) as blocker:
            window.open_path(project_path)
        assert blocker.args == ["finished"] and window.state is not None
    finally:
        window.shutdown()
    assert "PySide6.QtNetwork" not in sys.modules


NETWORK_CODE = re.compile(
    r"^\s*(?:import|from)\s+(?:urllib\.request|urllib3|http\.client|requests|httpx|aiohttp|socket|"
    r"ssl|ftplib|smtplib|xmlrpc)\b|spacy\.cli\.download|spacy\.load\(|QtNetwork|QNetwork|"
    r"QWebEngine|hf_hub|snapshot_download|urlopen",
    re.M)


def test_no_code_that_could_download():
    """Nothing in the app imports a network module or asks spaCy for a model package;
    the language data is ``spacy.blank`` plus the installed lemma tables."""
    offenders = []
    for path in (REPO / "reviewer").rglob("*.py"):
        for match in NETWORK_CODE.finditer(path.read_text(encoding="utf-8")):
            offenders.append(f"{path.relative_to(REPO)}: {match.group().strip()}")
    assert offenders == []
