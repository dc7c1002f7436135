"""Ingest speed: our PDF loader against raw PDFium text and naive pdfplumber.

Builds a ~100-page PDF from the three shared policies, then prints load times
(loader + segmentation when ``reviewer.core.segment`` exists) for it, for a
typical policy PDF and for a DOCX, with raw pypdfium2 text extraction and
pdfplumber ``extract_text`` on every page as reference.

    python bench/ingest.py [--runs 5] [--skip-pdfplumber]
"""
from __future__ import annotations

import argparse
import importlib
import importlib.util
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

import pypdfium2 as pdfium  # noqa: E402

from reviewer.core.loaders import load  # noqa: E402

SHARED = Path(__file__).resolve().parents[2] / "shared" / "policies" / "en"
FIXTURES = ROOT / "tests" / "fixtures"
NAMES = ("benewake", "bench3d", "baiinfo")


def source(name: str, suffix: str) -> Path:
    shared = SHARED / f"{name}{suffix}"
    return shared if shared.exists() else FIXTURES / f"{name}{suffix}"


def build_big_pdf(folder: Path, min_pages: int = 100) -> Path:
    sources = [pdfium.PdfDocument(str(source(name, ".pdf"))) for name in NAMES]
    out = pdfium.PdfDocument.new()
    while len(out) < min_pages:
        for pdf in sources:
            out.import_pages(pdf)
    path = folder / "big.pdf"
    out.save(str(path))
    for pdf in sources + [out]:
        pdf.close()
    return path


def segmenter():
    try:
        module = importlib.import_module("reviewer.core.segment")
    except ImportError:
        return None
    return getattr(module, "segment", None)


def timed(func, runs: int, warm_up: bool = True) -> tuple[float, float]:
    """Median wall time and median CPU time of this process (steadier on a busy machine)."""
    if warm_up:
        func()  # imports, caches, spaCy pipeline
    walls, cpus = [], []
    for _ in range(runs):
        wall, cpu = time.perf_counter(), time.process_time()
        func()
        walls.append(time.perf_counter() - wall)
        cpus.append(time.process_time() - cpu)
    return statistics.median(walls), statistics.median(cpus)


def show(label: str, times: tuple[float, float], ours: tuple[float, float] | None = None):
    line = f"  {label:<38} {times[0]:7.3f} s wall {times[1]:7.3f} s cpu"
    if ours is not None:
        line += f"   ours/this = {ours[0] / times[0]:6.3f}x wall {ours[1] / times[1]:6.3f}x cpu"
    print(line)


def ours(path: Path, segment):
    def run():
        doc = load(path)
        if segment is not None:
            segment(doc)
    return run


def raw_pdfium(path: Path):
    def run():
        pdf = pdfium.PdfDocument(str(path))
        for index in range(len(pdf)):
            page = pdf[index]
            textpage = page.get_textpage()
            textpage.get_text_range()
            textpage.close()
            page.close()
        pdf.close()
    return run


def naive_pdfplumber(path: Path):
    import pdfplumber

    def run():
        with pdfplumber.open(str(path)) as pdf:
            for page in pdf.pages:
                page.extract_text()
    return run


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=5, help="runs per timing (median)")
    parser.add_argument("--skip-pdfplumber", action="store_true",
                        help="leave out the slow pdfplumber reference")
    args = parser.parse_args()

    segment = segmenter()
    what = "load + segment" if segment else "load (no reviewer.core.segment)"
    with tempfile.TemporaryDirectory() as folder:
        big = build_big_pdf(Path(folder))
        with pdfium.PdfDocument(str(big)) as pdf:
            pages = len(pdf)
        typical = source("benewake", ".pdf")
        with pdfium.PdfDocument(str(typical)) as pdf:
            typical_pages = len(pdf)

        print(f"{pages}-page PDF built from {', '.join(NAMES)}; timings are medians "
              f"of {args.runs} runs\n")
        rows = []
        for label, path, page_count in ((f"{pages}-page PDF", big, pages),
                                        (f"{typical.name} ({typical_pages} pages)", typical,
                                         typical_pages)):
            ours_time = timed(ours(path, segment), args.runs)
            loader_time = timed(ours(path, None), args.runs)
            raw_time = timed(raw_pdfium(path), args.runs)
            plumber_time = None
            if not args.skip_pdfplumber:
                slow = page_count > 20
                plumber_time = timed(naive_pdfplumber(path), 1 if slow else args.runs,
                                     warm_up=not slow)
            rows.append((label, ours_time, loader_time, raw_time, plumber_time,
                         page_count > 20))

        for label, ours_time, loader_time, raw_time, plumber_time, slow in rows:
            print(label)
            show(f"ours, {what}", ours_time)
            show("ours, load only", loader_time)
            show("raw pypdfium2 get_text_range", raw_time, ours_time)
            if plumber_time is not None:
                show("naive pdfplumber extract_text" + (" (1 run)" if slow else ""),
                     plumber_time, ours_time)
            print()

        docx = source("benewake", ".docx")
        if importlib.util.find_spec("reviewer.core.loaders.docx") and docx.exists():
            print(docx.name)
            show(f"ours, {what}", timed(ours(docx, segment), args.runs))
        else:
            print("DOCX: no docx loader yet, skipped")


if __name__ == "__main__":
    main()
