"""Project file and memo speed.

    python bench/project.py [--keep DIR]

Prints
  - the time to reopen a project holding 10 reviewed policies and show the
    stored review state of every one of them (goal: 0.5 s or less);
  - the time to export the memo of a 100-page policy (goal: 1 s or less).

The 10 policies are the three shared fixtures in their three formats plus one
edited copy; the 100-page policy is the fixture PDFs concatenated with pypdfium2.
"""
from __future__ import annotations

import argparse
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from reviewer.core.loaders import load  # noqa: E402
from reviewer.core.memo import export_memo  # noqa: E402
from reviewer.core.project import open_project  # noqa: E402
from reviewer.core.review import review_document  # noqa: E402
from reviewer.core.rules import load_ruleset  # noqa: E402

FIXTURES = ROOT / "tests" / "fixtures"
NAMES = ("benewake", "bench3d", "baiinfo")


def ten_policies(folder: Path) -> list[Path]:
    files = [FIXTURES / f"{name}.{ext}" for ext in ("txt", "docx", "pdf") for name in NAMES]
    edited = folder / "benewake-2021.txt"
    edited.write_text((FIXTURES / "benewake.txt").read_text(encoding="utf-8")
                      .replace("Day Month 2022", "1 March 2021"), encoding="utf-8")
    return files + [edited]


def hundred_pages(folder: Path) -> Path:
    import pypdfium2 as pdfium

    out = pdfium.PdfDocument.new()
    while len(out) < 100:
        for name in NAMES:
            source = pdfium.PdfDocument(str(FIXTURES / f"{name}.pdf"))
            take = min(len(source), 100 - len(out))
            out.import_pages(source, list(range(take)))
            source.close()
            if len(out) >= 100:
                break
    path = folder / "hundred-pages.pdf"
    out.save(str(path))
    out.close()
    return path


def timed(fn, runs: int) -> float:
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        fn()
        times.append(time.perf_counter() - start)
    return statistics.median(times)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--keep", metavar="DIR", help="build the projects in DIR and keep them")
    args = parser.parse_args()
    folder = Path(args.keep) if args.keep else Path(tempfile.mkdtemp(prefix="pipl-bench-"))
    folder.mkdir(parents=True, exist_ok=True)
    ruleset = load_ruleset()

    path = folder / "ten.piplrev"
    path.unlink(missing_ok=True)
    start = time.perf_counter()
    with open_project(path, reviewer="bench") as project:
        for policy in ten_policies(folder):
            project.add_document(review_document(load(policy), ruleset))
        for doc in project.documents():
            state = project.review_state(doc.id)
            project.set_override(doc.id, state.items[0].item, "met", "checked by hand")
            project.add_note(doc.id, "document", None, "bench note")
            if state.findings:
                project.decide_finding(doc.id, state.findings[0].key, "accepted")
    print(f"built a project of 10 reviewed policies in {time.perf_counter() - start:.1f} s "
          f"({path.stat().st_size / 1e6:.1f} MB)")

    def reopen():
        with open_project(path) as project:
            for doc in project.documents():
                project.review_state(doc.id)

    reopen()
    seconds = timed(reopen, 5)
    print(f"reopen a project of 10 reviewed policies and show each review: {seconds:.3f} s "
          f"(goal <= 0.5 s) {'OK' if seconds <= 0.5 else 'SLOW'}")

    pdf = hundred_pages(folder)
    big = folder / "hundred.piplrev"
    big.unlink(missing_ok=True)
    start = time.perf_counter()
    with open_project(big, reviewer="bench") as project:
        document = load(pdf)
        doc_id, _ = project.add_document(review_document(document, ruleset))
        state = project.review_state(doc_id)
        print(f"reviewed the {document.pages}-page policy ({len(document.text):,} characters, "
              f"{len(state.findings)} findings) in {time.perf_counter() - start:.1f} s")
        memo = folder / "hundred-pages.docx"
        seconds = timed(lambda: export_memo(project, memo, doc_id=doc_id, ruleset=ruleset), 3)
    print(f"export the memo of a {document.pages}-page policy: {seconds:.3f} s "
          f"(goal <= 1 s) {'OK' if seconds <= 1 else 'SLOW'}")
    if args.keep:
        print(f"files kept in {folder}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
