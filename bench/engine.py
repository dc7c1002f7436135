"""Analysis speed per 25,000 characters, English and Chinese.

Times ``reviewer.core.engine.analyze`` (segmentation, rules, red flags, facts
and verdicts) on already loaded documents, and, as the reference in the same
run, spaCy's tokenizer alone on the same text (``spacy.blank("en")`` with the
engine's special cases, and ``spacy.blank("zh")``, whose tokens the Chinese
phrases are written for), which any spaCy-based analysis pays at least.

    python bench/engine.py [--runs 15]

English: the three shared policies (.txt). Chinese: the first eight CAPP-130
policies of ../shared/corpus, when present.
"""
from __future__ import annotations

import argparse
import statistics
import sys
import time
from functools import lru_cache

import spacy

from ingest import ROOT, source

sys.path.insert(0, str(ROOT))

from reviewer.core.engine import analyze  # noqa: E402
from reviewer.core.loaders import load  # noqa: E402
from reviewer.core.segment import block_language, pipeline  # noqa: E402

CAPP = ROOT.parent / "shared" / "corpus" / "capp130" / "texts"
GOAL_MS = 100


@lru_cache(maxsize=None)
def tokenizer(lang: str):
    return pipeline("en").make_doc if lang == "en" else spacy.blank("zh").make_doc


def tokenize(documents):
    def run():
        for document in documents:
            for block in document.blocks:
                tokenizer(block_language(block.text, document.lang))(block.text)
    return run


def analyse(documents):
    def run():
        for document in documents:
            analyze(document)
    return run


def cpu_times(func, runs: int) -> tuple[float, float]:
    """Fastest and median CPU time of ``runs`` runs, after one to warm up. On a
    shared machine other load only ever adds time, so the fastest run is the
    closest to the code's own cost; the median shows what a busy machine gives."""
    func()
    times = []
    for _ in range(runs):
        start = time.process_time()
        func()
        times.append(time.process_time() - start)
    return min(times), statistics.median(times)


def report(label: str, documents, runs: int) -> None:
    chars = sum(len(d.text) for d in documents)
    scale = 25_000 / chars * 1000
    ours = cpu_times(analyse(documents), runs)
    floor = cpu_times(tokenize(documents), runs)
    print(f"{label}: {len(documents)} policies, {chars:,} characters; CPU ms per 25k characters")
    print(f"  analyze            fastest {ours[0] * scale:6.1f}   median {ours[1] * scale:6.1f}"
          f"   (goal < {GOAL_MS} ms)")
    print(f"  spaCy tokens only  fastest {floor[0] * scale:6.1f}   median {floor[1] * scale:6.1f}"
          f"   analyze/tokens = {ours[0] / floor[0]:.1f}x fastest, {ours[1] / floor[1]:.1f}x median")


def main(argv=None) -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--runs", type=int, default=15)
    args = parser.parse_args(argv)
    english = [load(source(name, ".txt")) for name in ("benewake", "bench3d", "baiinfo")]
    report("English", english, args.runs)
    if CAPP.is_dir():
        chinese = [load(p) for p in sorted(CAPP.glob("*.txt"))[:8]]
        report("Chinese (CAPP-130)", chinese, args.runs)
    else:
        print(f"Chinese: skipped ({CAPP} not found)")


if __name__ == "__main__":
    main()
