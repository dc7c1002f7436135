"""Fuzz the loaders and the project-file opener with Hypothesis (``make fuzz``).

    python fuzz/run.py [--examples N] [--only text,html,docx,pdf,project] [--seed S]

Each target mutates small valid files (byte flips, insertions, deletions,
truncation, format-specific tokens; DOCX parts inside the zip; SQLite pages,
header fields and rows of a project file) and feeds them to the app:

- text, html, docx, pdf: ``reviewer.core.loaders.load(path)`` must return a
  Document whose blocks point at their own text, or raise ``LoadError`` with a
  one-line message naming the file;
- project: ``open_project`` (for editing and read-only), then listing the
  policies, their review state, notes and audit trail, must work or raise
  ``ProjectError``/``LoadError``.

Anything else, and any input taking over 10 s, is a finding: the summary
prints how many inputs ran per target and each distinct finding once, with
the input saved under ``fuzz/findings/``. The exit code is 1 if there were
findings.
"""
from __future__ import annotations

import argparse
import faulthandler
import hashlib
import os
import shutil
import sqlite3
import sys
import tempfile
import time
import traceback
from pathlib import Path

from hypothesis import HealthCheck, Phase, given, seed, settings
from hypothesis import strategies as st

HERE = Path(__file__).resolve().parent
REPO = HERE.parent
sys.path.insert(0, str(HERE))
sys.path.insert(0, str(REPO))

import seeds  # noqa: E402

SLOW_SECONDS = 10.0
FINDINGS = HERE / "findings"

TOKENS = {
    "text": [b"\x00", b"\r", b"\r\n", b"\xef\xbb\xbf", b"\xff\xfe", b"\xfe\xff", b"\xe4\xb8",
             b"\x81\x30\x81\x30", b"\n\n", b"1. ", b"\xa1\xa1", b"\xe3\x80\x82", b"\t",
             b"\x1b[31m", b"\xc0\xaf", b"\xed\xa0\x80", b"\x85", "（一）".encode(), b" " * 200],
    "html": [b"<table>", b"<td colspan=100000 rowspan=100000>", b"<tr>", b"<pre>", b"</pre>",
             b"<br>", b"<h1>", b"</h1>", b"<script>", b"</script>", b"<!--", b"-->",
             b"<meta charset=utf-16>", b"<meta charset=bogus>", b"&#0;", b"&#xD800;",
             b"&#99999999;", b"\x00", b"<li>", b"<main>", b"<article>", b"<style>",
             b"<div hidden>", b"<title>", b"<?xml version='1.0' encoding='bogus'?>",
             b"<![CDATA[", b"<svg>", b"<math>", b"<template>", b"<plaintext>", b"<form>",
             b"<td>", b"<th colspan=-1>", b"<body>", b"</html>", b"<" * 50],
    "docx": [b"<w:p>", b"</w:p>", b"<w:tbl>", b"</w:tbl>", b"<w:tr>", b"<w:tc>", b"</w:tc>",
             b'<w:gridSpan w:val="99999"/>', b'<w:gridBefore w:val="-3"/>',
             b'<w:outlineLvl w:val="-5"/>', b'<w:outlineLvl w:val="x"/>', b"<w:t>", b"</w:t>",
             b"&amp;", b"&#0;", b"<w:vMerge/>", b"<w:sdt>", b"<w:sdtContent>", b"<w:txbxContent>",
             b"<w:ins>", b"<w:del>", b'<w:numPr><w:numId w:val="0"/></w:numPr>', b"<w:br/>",
             b'<w:pStyle w:val="Heading1"/>', b'<w:basedOn w:val="Normal"/>', b"\xff\xfe",
             b"<w:customXml>", b"<mc:Fallback>"],
    "pdf": [b" obj", b"endobj", b"stream\n", b"endstream", b"/Length 999999", b"/Length -1",
            b"<<", b">>", b"/Type /Page", b"/Type /Pages", b"/Count 100000", b"999999999",
            b"-1", b"/Rotate 45", b"/Rotate 90", b"/MediaBox [0 0 0 0]",
            b"/MediaBox [0 0 1e30 1e30]", b" Tf", b" Tj", b" TJ", b" Td", b" cm", b"(", b")",
            b"/Encrypt 1 0 R", b"%%EOF", b"xref", b"trailer", b"[", b"]", b"0 0 0 0 re S",
            b"/Kids [2 0 R]", b"/Parent 3 0 R", b"/FlateDecode", b"q", b"Q", b"BT", b"ET"],
}

SQL_EDITS = [
    "DELETE FROM document_files",
    "UPDATE documents SET sha256 = 'x'",
    "UPDATE documents SET format = 'exe'",
    "UPDATE documents SET lang = 'fr'",
    "UPDATE documents SET file_name = 'policy.xyz'",
    "UPDATE documents SET file_name = ''",
    "UPDATE documents SET id = 99",
    "UPDATE analysis_cache SET data = X'00'",
    "UPDATE analysis_cache SET data = zeroblob(10)",
    "UPDATE analysis_cache SET cache_format = 999",
    "UPDATE analysis_cache SET ruleset_version = 'old'",
    "UPDATE analysis_cache SET sha256 = 'other'",
    "UPDATE analysis_cache SET pages = -1",
    "DROP TABLE analysis_cache",
    "DROP TABLE notes",
    "DROP TABLE audit",
    "DELETE FROM project",
    "INSERT INTO project (id, name, created) VALUES (2, 'second', 'x')",
    "UPDATE project SET created = ''",
    "UPDATE document_files SET content = X'25504446'",
    "UPDATE document_files SET content = zeroblob(1000)",
    "UPDATE notes SET target_kind = 'bogus'",
    "UPDATE notes SET target_kind = 'item', target_id = 'no-such-item'",
    "UPDATE notes SET doc_id = 42",
    "UPDATE overrides SET status = 'bogus'",
    "UPDATE overrides SET item = 'no-such-item'",
    "UPDATE overrides SET doc_id = 42",
    "UPDATE audit SET new = 'not json'",
    "UPDATE audit SET old = '{'",
    "INSERT INTO manual_findings (doc_id, start_pos, end_pos, text, topic, author, time) "
    "SELECT id, 999999, 1000000, 'x', 'no-such-topic', 'a', 't' FROM documents",
    "INSERT INTO finding_decisions (doc_id, key, rule, items, text, start_pos, end_pos, decision, "
    "author, time) SELECT id, 'bad key', 'r', 'not json', 't', 5, 1, 'accepted', 'a', 't' FROM documents",
    "PRAGMA user_version = 0",
    "PRAGMA user_version = 1",
    "PRAGMA user_version = 99",
    "PRAGMA application_id = 7",
]


# ---------------------------------------------------------------- mutations

def mutate(data: bytes, draw, tokens: list[bytes]) -> bytes:
    out = bytearray(data)
    for _ in range(draw(st.integers(1, 6))):
        op = draw(st.sampled_from(["flip", "insert", "delete", "truncate", "repeat", "token",
                                   "digits"]))
        at = draw(st.integers(0, max(len(out) - 1, 0)))
        if op == "flip" and out:
            out[at] ^= 1 << draw(st.integers(0, 7))
        elif op == "insert":
            out[at:at] = draw(st.binary(min_size=1, max_size=16))
        elif op == "delete":
            del out[at:at + draw(st.integers(1, 64))]
        elif op == "truncate":
            del out[at:]
        elif op == "repeat":
            size = draw(st.integers(1, 256))
            out[at:at] = out[at:at + size] * draw(st.integers(2, 50))
        elif op == "token":
            out[at:at] = draw(st.sampled_from(tokens))
        elif op == "digits":
            out[at:at] = str(draw(st.sampled_from([0, -1, 2**31, 2**63, 10**30]))).encode()
    return bytes(out)


def file_input(kind: str, seed_files: list[bytes], draw) -> bytes:
    if draw(st.integers(0, 19)) == 0:
        return draw(st.binary(max_size=4096))
    return mutate(draw(st.sampled_from(seed_files)), draw, TOKENS[kind])


def docx_input(seed_files: list[bytes], draw) -> bytes:
    data = draw(st.sampled_from(seed_files))
    if draw(st.integers(0, 9)) == 0:
        return mutate(data, draw, TOKENS["docx"])
    parts = seeds.zip_parts(data)
    names = sorted(parts)
    for _ in range(draw(st.integers(1, 3))):
        name = draw(st.sampled_from(["word/document.xml"] * 4 + names))
        action = draw(st.sampled_from(["mutate"] * 6 + ["delete", "empty"]))
        if action == "delete":
            parts.pop(name, None)
        elif action == "empty":
            parts[name] = b""
        elif name in parts:
            parts[name] = mutate(parts[name], draw, TOKENS["docx"])
    return seeds.make_zip(parts)


def project_input(seed_file: bytes, folder: Path, draw) -> bytes:
    mode = draw(st.sampled_from(["bytes", "header", "sql", "sql", "sql"]))
    if mode == "bytes":
        return mutate(seed_file, draw, [b"\x00" * 64, b"\xff" * 64, b"SQLite format 3\x00"])
    if mode == "header":
        out = bytearray(seed_file)
        field = draw(st.sampled_from([(16, 2), (18, 1), (19, 1), (28, 4), (32, 4), (36, 4),
                                      (44, 4), (56, 4), (60, 4), (68, 4)]))
        out[field[0]:field[0] + field[1]] = draw(st.binary(min_size=field[1], max_size=field[1]))
        return bytes(out)
    path = folder / "edit.piplrev"
    path.write_bytes(seed_file)
    conn = sqlite3.connect(path)
    try:
        conn.execute("PRAGMA ignore_check_constraints = ON")
        for _ in range(draw(st.integers(1, 3))):
            try:
                conn.execute(draw(st.sampled_from(SQL_EDITS)))
            except sqlite3.Error:
                pass
        conn.commit()
    finally:
        conn.close()
    return path.read_bytes()


# ---------------------------------------------------------------- checks

class Finding(Exception):
    """A property the app must keep did not hold."""


def check_document(doc, name: str) -> None:
    text = doc.text
    for block in doc.blocks:
        if not (0 <= block.start <= block.end <= len(text)):
            raise Finding(f"block span {block.start}:{block.end} outside the text ({len(text)})")
        if block.body and text[block.start:block.end] != block.text:
            raise Finding(f"block text does not match Document.text at {block.start}:{block.end}")
    if not text.strip():
        raise Finding("a document without text was returned")


def check_message(message: str, name: str) -> None:
    if "\n" in message.strip():
        raise Finding(f"LoadError message on several lines: {message[:120]!r}")
    if not message.startswith(name):
        raise Finding(f"LoadError message does not start with the file name: {message[:120]!r}")


def run_loader(path: Path) -> None:
    from reviewer.core.document import LoadError
    from reviewer.core.loaders import load

    try:
        doc = load(path)
    except LoadError as exc:
        check_message(str(exc), path.name)
        return
    check_document(doc, path.name)


def run_project(path: Path) -> None:
    from reviewer.core.document import LoadError
    from reviewer.core.project import ProjectError, open_project

    for readonly in (False, True):
        try:
            project = open_project(path, create=False, readonly=readonly)
        except (ProjectError, LoadError):
            continue
        try:
            for info in project.documents():
                project.review_state(info.id)
                project.counts(info.id)
            project.audit_trail()
        except (ProjectError, LoadError):
            pass
        finally:
            project.close()


# ---------------------------------------------------------------- the harness

class Target:
    def __init__(self, name: str, folder: Path) -> None:
        self.name = name
        self.folder = folder
        self.count = 0
        self.findings: dict[tuple, tuple[str, Path]] = {}
        self.slowest = 0.0

    def record(self, key: tuple, message: str, data: bytes, suffix: str) -> None:
        if key in self.findings:
            return
        FINDINGS.mkdir(exist_ok=True)
        digest = hashlib.sha256(data).hexdigest()[:12]
        saved = FINDINGS / f"{self.name}-{digest}{suffix}"
        saved.write_bytes(data)
        self.findings[key] = (message, saved)

    def feed(self, data: bytes, suffix: str, run) -> None:
        self.count += 1
        path = self.folder / f"input-{self.count}{suffix}"
        path.write_bytes(data)
        started = time.monotonic()
        try:
            run(path)
        except Finding as exc:
            self.record(("finding", str(exc)[:60]), str(exc), data, suffix)
        except Exception as exc:  # noqa: BLE001 - every other exception is a finding
            frames = traceback.extract_tb(exc.__traceback__)
            ours = [f for f in frames if "/reviewer/" in f.filename.replace("\\", "/")] or frames
            where = f"{Path(ours[-1].filename).name}:{ours[-1].lineno}" if ours else "?"
            message = f"{type(exc).__name__} at {where}: {' '.join(str(exc).split())[:160]}"
            self.record((type(exc).__name__, where), message, data, suffix)
        seconds = time.monotonic() - started
        self.slowest = max(self.slowest, seconds)
        if seconds > SLOW_SECONDS:
            self.record(("slow",), f"took {seconds:.1f} s (limit {SLOW_SECONDS:.0f} s)", data, suffix)
        for leftover in self.folder.glob("input-*"):
            leftover.unlink(missing_ok=True) if leftover.is_file() else shutil.rmtree(leftover, True)


def fuzz(name: str, examples: int, folder: Path, fuzz_seed: int | None) -> Target:
    target = Target(name, folder)
    config = settings(max_examples=examples, deadline=None, database=None,
                      phases=[Phase.generate], derandomize=fuzz_seed is None,
                      suppress_health_check=list(HealthCheck))
    if name == "project":
        seed_file = seeds.project_seed(folder)

        def body(data):
            target.feed(project_input(seed_file, folder, data.draw), ".piplrev", run_project)
    elif name == "docx":
        seed_files = seeds.docx_seeds()

        def body(data):
            target.feed(docx_input(seed_files, data.draw), ".docx", run_loader)
    else:
        seed_files = {"text": seeds.text_seeds, "html": seeds.html_seeds,
                      "pdf": seeds.pdf_seeds}[name]()
        suffix = {"text": ".txt", "html": ".html", "pdf": ".pdf"}[name]

        def body(data):
            target.feed(file_input(name, seed_files, data.draw), suffix, run_loader)

    test = given(st.data())(body)
    if fuzz_seed is not None:
        test = seed(fuzz_seed)(test)
    config(test)()
    return target


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--examples", type=int, default=300, help="inputs per target")
    parser.add_argument("--only", default="text,html,docx,pdf,project")
    parser.add_argument("--seed", type=int, help="random seed (default: the same inputs every run)")
    args = parser.parse_args(argv)
    faulthandler.dump_traceback_later(600, repeat=True)  # shows where a hang is
    os.environ.setdefault("OPENBLAS_NUM_THREADS", "1")
    total = failed = 0
    started = time.monotonic()
    for name in args.only.split(","):
        with tempfile.TemporaryDirectory(prefix=f"pipl-fuzz-{name}-") as tmp:
            t0 = time.monotonic()
            target = fuzz(name.strip(), args.examples, Path(tmp), args.seed)
        total += target.count
        failed += len(target.findings)
        print(f"fuzz {target.name:8} {target.count:6} inputs, {len(target.findings)} findings "
              f"({time.monotonic() - t0:.0f} s, slowest input {target.slowest:.1f} s)", flush=True)
        for message, saved in target.findings.values():
            print(f"    {message}\n        input: {saved.relative_to(REPO)}", flush=True)
    print(f"fuzz total: {total} inputs, {failed} findings in {time.monotonic() - started:.0f} s")
    return 1 if failed else 0


if __name__ == "__main__":
    raise SystemExit(main())
