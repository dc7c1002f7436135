import dataclasses
import os
import random
import shutil
import signal
import sqlite3
import subprocess
import sys
import textwrap
import time
from pathlib import Path
from types import SimpleNamespace

import pytest
from make_project_fixture import POLICY

from reviewer.cli import main
from reviewer.core.loaders import load
from reviewer.core.project import (APPLICATION_ID, SCHEMA_VERSION, ProjectError, ProjectInUse,
                                   ReadOnlyProject, attach, finding_key, open_project)
from reviewer.core.results import Analysis, Finding, Match, RulesetInfo, Verdict
from reviewer.core.review import review_document
from reviewer.core.rules import load_ruleset

FIXTURES = Path(__file__).parent / "fixtures"
REPO = Path(__file__).resolve().parent.parent


def small_policy(path: Path) -> Path:
    path.write_text(POLICY, encoding="utf-8")
    return path


def leftovers(folder: Path) -> list[str]:
    return sorted(p.name for p in folder.iterdir()
                  if p.name.endswith(("-journal", "-wal", "-shm", ".lock", ".part", ".new")))


# -- a hand-built analysis, for tests that must not depend on the engine

TEST_RULESET = SimpleNamespace(info=RulesetInfo("pipl", "test-1", "0" * 64), items={}, topics=())


def fake_analysis(document) -> Analysis:
    text = document.text
    spans, pos = [], 0
    for part in text.split("\n"):
        if len(part) > 40:
            spans.append((pos, pos + len(part)))
        pos += len(part) + 1
    (s0, e0), (s1, e1), (s2, e2) = spans[:3]
    findings = (
        Finding("f0", "retention", ("retention#RT-1",), s0, e0, text[s0:e0], "retention/period-stated",
                (Match(text[s0:s0 + 5], s0, s0 + 5),), 1.0),
        Finding("f1", "processor_identity_contact", ("processor_identity_contact#ID-2",), s1, e1,
                text[s1:e1], "processor_identity_contact/contact", (), 1.0),
        Finding("f2", "cookies", ("cookies#CK-1",), s2, e2, text[s2:e2], "cookies/named", (), 0.6),
    )
    checklist = (
        Verdict("retention#RT-1", "retention", "met", "law", "PIPL 17(1)(2)", ("f0",)),
        Verdict("retention#RT-2", "retention", "missing", "law", "PIPL 47", (), "Not found."),
        Verdict("processor_identity_contact#ID-2", "processor_identity_contact", "met", "law",
                "PIPL 17(1)(1)", ("f1",)),
        Verdict("cookies#CK-1", "cookies", "needs_review", "standard", "SPEC §5", ("f2",)),
    )
    return Analysis(findings, checklist, (), (), TEST_RULESET.info)


def fake_analyzer(document, ruleset):
    return [], fake_analysis(document)


def fake_project(path: Path, **kwargs):
    project = open_project(path, ruleset=TEST_RULESET, analyzer=fake_analyzer, **kwargs)
    if not project.documents():
        project.add_document(FIXTURES / "bench3d.txt")
    return project


@pytest.fixture(scope="module")
def reviewed(tmp_path_factory) -> Path:
    """A closed project with benewake.txt analysed by the real engine."""
    path = tmp_path_factory.mktemp("reviewed") / "reviewed.piplrev"
    with open_project(path, reviewer="Li Wei") as project:
        project.add_document(FIXTURES / "benewake.txt")
    return path


@pytest.fixture
def project_copy(reviewed, tmp_path) -> Path:
    target = tmp_path / "p.piplrev"
    shutil.copyfile(reviewed, target)
    return target


# -- the file format

def test_fresh_file_has_application_id_and_user_version(tmp_path):
    path = tmp_path / "new.piplrev"
    fake_project(path, reviewer="Li Wei").close()
    header = path.read_bytes()[:100]
    assert header.startswith(b"SQLite format 3\x00")
    assert int.from_bytes(header[68:72], "big") == APPLICATION_ID
    assert int.from_bytes(header[60:64], "big") == SCHEMA_VERSION
    conn = sqlite3.connect(path)
    assert conn.execute("PRAGMA application_id").fetchone()[0] == APPLICATION_ID
    assert conn.execute("PRAGMA user_version").fetchone()[0] == SCHEMA_VERSION
    assert conn.execute("PRAGMA journal_mode").fetchone()[0] == "delete"
    assert conn.execute("SELECT name, reviewer FROM project").fetchone() == ("new", "Li Wei")
    conn.close()
    assert leftovers(tmp_path) == []


def test_previous_version_upgrades_and_is_backed_up(tmp_path):
    path = tmp_path / "old.piplrev"
    shutil.copyfile(FIXTURES / "project_v0.piplrev", path)
    original = sqlite3.connect(FIXTURES / "project_v0.piplrev")
    assert original.execute("PRAGMA user_version").fetchone()[0] == SCHEMA_VERSION - 1
    dump = list(original.iterdump())
    original.close()

    project = open_project(path, ruleset=TEST_RULESET, analyzer=fake_analyzer)
    assert project.backup_path == tmp_path / "old.v1-backup.piplrev"
    backup = sqlite3.connect(project.backup_path)
    assert backup.execute("PRAGMA user_version").fetchone()[0] == SCHEMA_VERSION - 1
    assert list(backup.iterdump()) == dump
    backup.close()

    assert project.conn.execute("PRAGMA user_version").fetchone()[0] == SCHEMA_VERSION
    assert project.conn.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
    assert project.documents()[0].label == ""  # the column migration 2 adds
    assert project.counts(1) == {"overrides": 1, "decisions": 1, "manual_findings": 1, "notes": 3}
    kinds = project._query("SELECT target_kind, target_id FROM notes ORDER BY id")
    assert [k for k, _ in kinds] == ["item", "finding", "document"]
    assert kinds[0][1] == "retention#RT-1" and kinds[2][1] == ""
    assert project.audit_trail()[-1].action in ("upgrade_file", "reanalyze")
    assert any(e.action == "upgrade_file" and e.old == 1 and e.new == SCHEMA_VERSION
               for e in project.audit_trail())
    assert project.original_bytes(1).startswith(b"Example Tools Ltd.")

    # The stale cache row was dropped with the upgrade; the state is rebuilt from the bytes.
    state = project.review_state(1)
    assert state.item("retention#RT-1").override.justification == "Section 3 states a three-year period."
    kept = [f for f in state.findings if f.decision] + [o for o in state.orphans if o.kind == "decision"]
    assert len(kept) == 1
    assert [n.text for n in state.notes] == ["Short policy; English only."]
    project.close()
    assert leftovers(tmp_path) == []

    again = open_project(path, ruleset=TEST_RULESET, analyzer=fake_analyzer)
    assert again.backup_path is None
    again.close()


def test_upgrade_with_real_engine_reattaches_the_old_decision(tmp_path):
    path = tmp_path / "old.piplrev"
    shutil.copyfile(FIXTURES / "project_v0.piplrev", path)
    with open_project(path) as project:
        state = project.review_state(1)
        texts = {f.finding.text for f in state.findings}
        decided = [f for f in state.findings if f.decision]
        if any("three years" in t for t in texts):
            assert len(decided) == 1 and decided[0].decision.decision == "accepted"
            assert [n.text for n in decided[0].notes] == ["Clear statement of the period."]
        assert len(decided) + len([o for o in state.orphans if o.kind == "decision"]) == 1


def make_refused(tmp_path, kind: str) -> Path:
    path = tmp_path / f"{kind}.piplrev"
    if kind == "future":
        fake_project(path).close()
        conn = sqlite3.connect(path)
        conn.execute(f"PRAGMA user_version={SCHEMA_VERSION + 1}")
        conn.close()
    elif kind == "foreign":
        conn = sqlite3.connect(path)
        conn.execute("CREATE TABLE contacts (name TEXT, phone TEXT)")
        conn.execute("INSERT INTO contacts VALUES ('a', '1')")
        conn.commit()
        conn.close()
    elif kind == "text":
        path.write_text("This is a privacy policy, not a project.\n" * 20, encoding="utf-8")
    elif kind == "empty":
        path.write_bytes(b"")
    return path


def test_a_project_in_a_missing_folder_is_refused_in_plain_words(tmp_path):
    path = tmp_path / "no such folder" / "review.piplrev"
    for readonly in (False, True):
        with pytest.raises(ProjectError, match="the folder .*no such folder does not exist"):
            open_project(path, readonly=readonly, ruleset=TEST_RULESET, analyzer=fake_analyzer)
    assert not path.parent.exists()


@pytest.mark.parametrize("kind, message", [
    ("future", "newer version"),
    ("foreign", "another application"),
    ("text", "not an SQLite database"),
    ("empty", "not an SQLite database"),
])
def test_refused_files_are_left_untouched(tmp_path, kind, message):
    path = make_refused(tmp_path, kind)
    before = path.read_bytes()
    stat = path.stat()
    for readonly in (False, True):
        with pytest.raises(ProjectError, match=message):
            open_project(path, readonly=readonly, ruleset=TEST_RULESET, analyzer=fake_analyzer)
    assert path.read_bytes() == before
    assert path.stat().st_mtime_ns == stat.st_mtime_ns
    assert leftovers(tmp_path) == []
    assert sorted(p.name for p in tmp_path.iterdir()) == [path.name]


def test_foreign_keys_and_constraints(tmp_path):
    with fake_project(tmp_path / "fk.piplrev") as project:
        assert project.conn.execute("PRAGMA foreign_keys").fetchone()[0] == 1
        with pytest.raises(sqlite3.IntegrityError):
            project.conn.execute("INSERT INTO notes (doc_id, target_kind, target_id, text, author, time) "
                                 "VALUES (99, 'document', '', 'x', 'a', 't')")
        with pytest.raises(sqlite3.IntegrityError):
            project.conn.execute("INSERT INTO overrides VALUES (1, 'retention#RT-2', 'met', '  ', 'a', 't')")
        project.set_override(1, "retention#RT-2", "met", "Found in section 9")
        project.add_note(1, "document", None, "note")
        project.remove_document(1)
        assert project.documents() == []
        for table in ("document_files", "overrides", "notes", "analysis_cache"):
            assert project._query(f"SELECT count(*) FROM {table}")[0][0] == 0
        assert [e.action for e in project.audit_trail()][-1] == "remove_document"


# -- documents

def test_several_policies_deduplicated_by_sha256_with_embedded_bytes(tmp_path):
    with fake_project(tmp_path / "multi.piplrev") as project:
        assert project.add_document(FIXTURES / "bench3d.txt") == (1, False)
        doc_id, added = project.add_document(FIXTURES / "baiinfo.txt")
        assert (doc_id, added) == (2, True)
        copy = tmp_path / "renamed.txt"
        shutil.copyfile(FIXTURES / "baiinfo.txt", copy)
        assert project.add_document(copy) == (2, False)
        docs = project.documents()
        assert [d.file_name for d in docs] == ["bench3d.txt", "baiinfo.txt"]
        assert docs[1].format == "txt" and docs[1].lang == "en" and docs[1].added
        assert project.original_bytes(2) == (FIXTURES / "baiinfo.txt").read_bytes()
        rebuilt = project.load_document(2)
        assert rebuilt.text == load(FIXTURES / "baiinfo.txt").text and rebuilt.sha256 == docs[1].sha256
        project.set_label(2, "Website policy")
        assert project.document_info(2).name == "Website policy"


# -- decisions and notes

def test_every_decision_and_note_survives_close_and_reopen(project_copy):
    with open_project(project_copy, reviewer="Li Wei") as project:
        state = project.review_state(1)
        accepted, rejected, noted = state.findings[0], state.findings[1], state.findings[2]
        item = state.items[0].item
        other = state.items[1].item
        with pytest.raises(ValueError, match="justification"):
            project.set_override(1, item, "met", "   ")
        project.set_override(1, item, "missing", "First thought it was missing")
        project.set_override(1, item, "met", "The contact section names the processor")
        project.set_override(1, other, "not_applicable", "No app")
        project.clear_override(1, other)
        project.decide_finding(1, accepted.key, "accepted")
        project.decide_finding(1, rejected.key, "rejected")
        project.decide_finding(1, noted.key, "accepted")
        project.decide_finding(1, noted.key, None)
        manual_id = project.add_manual_finding(1, 0, 26, state.items[0].topic, item, "Title names the company")
        loose_id = project.add_manual_finding(1, 30, 60, "retention")
        project.add_note(1, "item", item, "Check against the 2024 version", author="Zhang San")
        project.add_note(1, "finding", accepted.key, "Strong evidence")
        project.add_note(1, "document", None, "Overall weak on retention")
        temp = project.add_note(1, "document", None, "to be deleted")
        project.delete_note(temp)
        edited = project.add_note(1, "item", other, "draft")
        project.edit_note(edited, "Final wording")
        project.set_label(1, "Website policy")
        project.set_reviewer("Li Wei (Partner)")
        trail = project.audit_trail()
    assert leftovers(project_copy.parent) == []

    with open_project(project_copy) as project:
        assert project.reviewer == "Li Wei (Partner)"
        state = project.review_state(1)
        first = state.item(item)
        assert first.status == "met" and first.override.justification == "The contact section names the processor"
        assert first.override.author == "Li Wei"
        assert state.item(other).override is None
        by_key = {f.key: f for f in state.findings}
        assert by_key[accepted.key].status == "accepted"
        assert by_key[rejected.key].status == "rejected"
        assert by_key[noted.key].status is None
        assert [n.text for n in by_key[accepted.key].notes] == ["Strong evidence"]
        assert [(n.text, n.author) for n in first.notes] == [("Check against the 2024 version", "Zhang San")]
        assert [n.text for n in state.item(other).notes] == ["Final wording"]
        assert [n.text for n in state.notes] == ["Overall weak on retention"]
        assert [m.id for m in first.manual] == [manual_id]
        assert first.manual[0].text == state.text[0:26] and first.manual[0].note == "Title names the company"
        assert [m.id for m in state.manual_findings] == [manual_id, loose_id]
        assert state.orphans == []
        assert project.document_info(1).label == "Website policy"
        assert project.audit_trail() == trail
        actions = [e.action for e in trail]
        for action in ("set_override", "clear_override", "decide_finding", "add_manual_finding",
                       "add_note", "edit_note", "delete_note", "set_label", "set_reviewer"):
            assert action in actions
        change = [e for e in trail if e.action == "set_override"][1]
        assert change.old == {"status": "missing", "justification": "First thought it was missing"}
        assert change.new == {"status": "met", "justification": "The contact section names the processor"}
        assert change.author == "Li Wei" and change.time and change.target == item


def test_reopen_shows_stored_state_without_reanalysis(project_copy):
    def refuse(document, ruleset):
        raise AssertionError("re-analysed on reopen")

    with open_project(project_copy, analyzer=refuse) as project:
        state = project.review_state(1)
        assert state.findings and state.segments and state.text.startswith("Privacy Policy")


def test_reanalysis_with_changed_ruleset_keeps_decisions(project_copy):
    with open_project(project_copy, reviewer="Li Wei") as project:
        state = project.review_state(1)
        accepted, rejected = state.findings[0], state.findings[3]
        kept_item, dropped_item = state.items[5].item, state.items[6].item
        project.decide_finding(1, accepted.key, "accepted")
        project.decide_finding(1, rejected.key, "rejected")
        project.add_note(1, "finding", accepted.key, "Key passage")
        project.set_override(1, kept_item, "needs_review", "Ask the client")
        project.set_override(1, dropped_item, "met", "Covered by the annex")
        project.add_note(1, "item", dropped_item, "See annex 2")

    real = load_ruleset()
    bumped = dataclasses.replace(real, info=dataclasses.replace(real.info, version="2099.1"))

    def changed_engine(document, ruleset):
        # A new ruleset: renamed rules, different finding ids and order, one item gone.
        review = review_document(document, bumped)
        findings = tuple(dataclasses.replace(f, id=f"n{n}", rule=f.rule + "-v2")
                         for n, f in enumerate(reversed(review.analysis.findings)))
        checklist = tuple(v for v in review.analysis.checklist if v.item != dropped_item)
        return review.segments, dataclasses.replace(review.analysis, findings=findings, checklist=checklist)

    with open_project(project_copy, ruleset=bumped, analyzer=changed_engine) as project:
        before = project.review_state(1)  # stored state, shown at once
        assert before.analysis.ruleset.version == real.info.version
        assert project.stale_documents() == [1]
        project.reanalyze_stale()
        assert project.stale_documents() == []
        state = project.review_state(1)
        assert state.analysis.ruleset.version == "2099.1"
        decided = {f.finding.text: f for f in state.findings if f.decision}
        assert decided[accepted.finding.text].status == "accepted"
        assert decided[rejected.finding.text].status == "rejected"
        assert decided[accepted.finding.text].finding.rule == accepted.finding.rule + "-v2"
        assert [n.text for n in decided[accepted.finding.text].notes] == ["Key passage"]
        assert state.item(kept_item).override.justification == "Ask the client"
        orphans = {(o.kind, getattr(o.record, "text", getattr(o.record, "justification", "")))
                   for o in state.orphans}
        assert orphans == {("override", "Covered by the annex"), ("note", "See annex 2")}
        assert project.counts(1)["overrides"] == 2
        assert any(e.action == "reanalyze" and e.new["version"] == "2099.1" for e in project.audit_trail())

    # Back on the real ruleset the orphans attach again: nothing was dropped.
    with open_project(project_copy) as project:
        project.reanalyze_stale()
        state = project.review_state(1)
        assert state.orphans == []
        assert state.item(dropped_item).override.justification == "Covered by the annex"


def test_attach_prefers_same_item_and_nearest_offset():
    text = "We keep data for three years."
    old = Finding("f0", "retention", ("retention#RT-1",), 100, 129, text, "retention/a", (), 1.0)
    near = dataclasses.replace(old, id="a", start=140, end=169, rule="retention/b")
    far = dataclasses.replace(old, id="b", start=900, end=929, rule="retention/b")
    other_item = dataclasses.replace(old, id="c", start=101, end=130, items=("cookies#CK-1",))
    moved = attach([(finding_key(old), text)], [far, other_item, near])
    assert moved[finding_key(old)] is near
    assert attach([(finding_key(old), text)], [dataclasses.replace(old, text="Other.")]) == \
        {finding_key(old): None}


# -- one writer at a time

def test_second_writer_is_told_the_project_is_in_use(tmp_path):
    path = tmp_path / "busy.piplrev"
    project = fake_project(path)
    with pytest.raises(ProjectInUse, match="open in another window/process"):
        open_project(path)
    viewer = open_project(path, readonly=True)
    assert [d.file_name for d in viewer.documents()] == ["bench3d.txt"]
    assert viewer.review_state(1).items
    with pytest.raises(ReadOnlyProject):
        viewer.add_note(1, "document", None, "hello")
    project.add_note(1, "document", None, "written while a viewer is open")
    assert [n.text for n in viewer.review_state(1).notes] == ["written while a viewer is open"]
    viewer.close()
    project.close()
    fake_project(path).close()
    assert leftovers(tmp_path) == []


@pytest.mark.skipif(os.name == "nt", reason="uses SIGKILL")
def test_lock_held_by_another_process_dies_with_it(tmp_path):
    path = tmp_path / "other.piplrev"
    fake_project(path).close()
    child = subprocess.Popen(
        [sys.executable, "-c", "import sys, time\nfrom reviewer.core.project import open_project\n"
         f"p = open_project({str(path)!r})\nprint('ready', flush=True)\ntime.sleep(60)\n"],
        stdout=subprocess.PIPE, text=True, cwd=REPO)
    try:
        assert child.stdout.readline().strip() == "ready"
        with pytest.raises(ProjectInUse, match="open in another window/process"):
            open_project(path)
        open_project(path, readonly=True).close()
    finally:
        child.send_signal(signal.SIGKILL)
        child.wait()
    fake_project(path).close()


def test_save_as_writes_a_copy_and_continues_there(tmp_path):
    old = tmp_path / "a.piplrev"
    new = tmp_path / "b.piplrev"
    project = fake_project(old)
    project.add_note(1, "document", None, "before save as")
    project.save_as(new)
    assert project.path == new
    project.add_note(1, "document", None, "after save as")
    with pytest.raises(ProjectInUse):
        open_project(new)
    with open_project(old, ruleset=TEST_RULESET, analyzer=fake_analyzer) as first:
        assert [n.text for n in first.review_state(1).notes] == ["before save as"]
    project.close()
    with open_project(new, ruleset=TEST_RULESET, analyzer=fake_analyzer) as second:
        assert [n.text for n in second.review_state(1).notes] == ["before save as", "after save as"]
        assert second.original_bytes(1) == (FIXTURES / "bench3d.txt").read_bytes()
        assert second.audit_trail()[-2].action == "save_as"
    header = new.read_bytes()[:100]
    assert int.from_bytes(header[68:72], "big") == APPLICATION_ID
    assert leftovers(tmp_path) == []


# -- crash safety

CHILD = textwrap.dedent("""
    import sys
    from reviewer.core.project import open_project

    project = open_project(sys.argv[1], create=False, reviewer="child")
    n = int(sys.argv[2])
    key = sys.argv[3]
    while True:
        if n % 3 == 0:
            project.add_note(1, "document", None, f"note {n}")
        elif n % 3 == 1:
            project.set_override(1, "retention#RT-2", ("met", "missing")[n % 2], f"reason {n}")
        else:
            project.decide_finding(1, key, ("accepted", "rejected")[n % 2])
        print(n, flush=True)
        n += 1
""")


@pytest.mark.skipif(os.name == "nt", reason="uses SIGKILL")
def test_sigkill_during_edits_loses_at_most_the_edit_in_flight(tmp_path):
    path = tmp_path / "crash.piplrev"
    with fake_project(path) as project:
        key = project.review_state(1).findings[0].key
    script = tmp_path / "child.py"
    script.write_text(CHILD, encoding="utf-8")
    rng = random.Random(4)
    acknowledged = 0
    for rounds in range(1, 13):
        child = subprocess.Popen([sys.executable, str(script), str(path), str(acknowledged), key],
                                 stdout=subprocess.PIPE, text=True, cwd=REPO)
        first = ""
        if rounds % 4 == 0:  # now and then while the child is still opening the project
            time.sleep(rng.uniform(0.0, 0.4))
        else:
            first = child.stdout.readline()
            time.sleep(rng.uniform(0.0, 0.25))
        child.send_signal(signal.SIGKILL)
        out, _ = child.communicate()
        acknowledged += sum(1 for line in (first + out).splitlines(keepends=True) if line.endswith("\n"))
        with open_project(path, readonly=True) as viewer:  # rolls back a hot journal first
            assert [d.file_name for d in viewer.documents()] == ["bench3d.txt"]
        conn = sqlite3.connect(path)
        assert conn.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
        assert conn.execute("PRAGMA foreign_key_check").fetchall() == []
        stored = conn.execute("SELECT count(*) FROM audit WHERE author = 'child'").fetchone()[0]
        notes = conn.execute("SELECT count(*) FROM notes").fetchone()[0]
        note_edits = conn.execute("SELECT count(*) FROM audit WHERE action = 'add_note'").fetchone()[0]
        conn.close()
        assert acknowledged <= stored <= acknowledged + 1
        assert notes == note_edits
        acknowledged = stored  # the next child numbers its edits from what is stored
    assert acknowledged > 0
    with open_project(path, ruleset=TEST_RULESET, analyzer=fake_analyzer) as project:
        state = project.review_state(1)
        assert len(state.notes) == (acknowledged + 2) // 3


# -- command line

def test_cli_review_into_project_then_list_it(tmp_path, capsys):
    path = tmp_path / "cli.piplrev"
    first, second = small_policy(tmp_path / "first.txt"), tmp_path / "second.txt"
    second.write_text(POLICY.replace("three years", "two years"), encoding="utf-8")
    assert main(["review", str(first), "--project", str(path)]) == 0
    assert main(["review", str(first), str(second), "--project", str(path)]) == 0
    out = capsys.readouterr().out
    assert "added to cli.piplrev as document 1" in out
    assert "already in cli.piplrev as document 1" in out
    assert "added to cli.piplrev as document 2" in out
    with open_project(path) as project:
        item = project.review_state(1).items[0].item
        project.set_override(1, item, "met", "ok")
        project.add_note(1, "document", None, "n")
    assert main(["project", str(path)]) == 0
    out = capsys.readouterr().out
    assert "first.txt" in out and "second.txt" in out
    assert "1 override, 0 finding decisions, 0 manual findings; 1 note" in out
    assert "met" in out and "missing" in out
    assert leftovers(tmp_path) == []


def test_cli_refuses_foreign_file_with_one_line(tmp_path):
    path = make_refused(tmp_path, "foreign")
    before = path.read_bytes()
    for args in (["project", path], ["memo", path, "-o", tmp_path / "m.docx"],
                 ["review", small_policy(tmp_path / "policy.txt"), "--project", path]):
        out = subprocess.run([sys.executable, "-m", "reviewer", *map(str, args)],
                             capture_output=True, text=True, cwd=REPO)
        assert out.returncode == 2, out.stderr
        assert out.stderr.strip().count("\n") == 0
        assert "another application" in out.stderr and "Traceback" not in out.stderr
    assert path.read_bytes() == before
    assert not (tmp_path / "m.docx").exists()


def test_cache_json_is_written_in_pieces_but_is_the_same_text():
    import json

    from reviewer.core.project import _json_pieces

    samples = [[], {}, list(range(450)), {"a": [{"b": list(range(201)), "c": "中文"}], "d": None}, "x", [[]] * 300]
    for value in samples:
        pieces = list(_json_pieces(value))
        assert "".join(pieces) == json.dumps(value, ensure_ascii=False, separators=(",", ":"))
    assert len(list(_json_pieces(list(range(1000))))) > 5
