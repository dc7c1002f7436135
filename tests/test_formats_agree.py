"""The same policy as .txt, .docx and .pdf gives the same segments, topics,
verdicts and red flags."""
import re
from functools import lru_cache
from pathlib import Path

import pytest

from reviewer.core.loaders import load
from reviewer.core.review import review_document

FIXTURES = Path(__file__).parent / "fixtures"
POLICIES = ("benewake", "bench3d", "baiinfo")


@lru_cache(maxsize=None)
def review(name, fmt):
    return review_document(load(FIXTURES / f"{name}.{fmt}"))


def squash(text):
    return re.sub(r"\s+", "", text)


def segment_texts(r):
    return [squash(r.document.text[s.start:s.end]) for s in r.segments]


@pytest.mark.parametrize("name", POLICIES)
@pytest.mark.parametrize("fmt", ["docx", "pdf"])
def test_same_segments_modulo_whitespace(name, fmt):
    assert "".join(segment_texts(review(name, fmt))) == "".join(segment_texts(review(name, "txt")))
    assert segment_texts(review(name, fmt)) == segment_texts(review(name, "txt"))


@pytest.mark.parametrize("name", POLICIES)
@pytest.mark.parametrize("fmt", ["docx", "pdf"])
def test_same_topics_verdicts_and_flags(name, fmt):
    base, other = review(name, "txt").analysis, review(name, fmt).analysis
    assert {f.topic for f in other.findings} == {f.topic for f in base.findings}
    assert {v.item: v.status for v in other.checklist} == {v.item: v.status for v in base.checklist}
    assert sorted(f.rule for f in other.red_flags) == sorted(f.rule for f in base.red_flags)


@pytest.mark.parametrize("name", POLICIES)
def test_curly_apostrophes_read_like_straight_ones(name, tmp_path):
    """A policy typed with curly apostrophes ("don’t", "People’s") gives the same
    results as with straight ones, and its quotes keep the curly apostrophes."""
    straight = (FIXTURES / f"{name}.txt").read_text(encoding="utf-8")
    assert "'" in straight
    path = tmp_path / f"{name}.txt"
    path.write_text(straight.replace("'", "\u2019"), encoding="utf-8")
    base, curly = review(name, "txt").analysis, review_document(load(path)).analysis

    def shape(a):
        return ([(f.topic, f.items, f.start, f.end, f.rule, f.negated) for f in a.findings],
                [(v.item, v.status) for v in a.checklist], [(r.rule, r.start, r.end) for r in a.red_flags],
                [(f.kind, f.start, f.end) for f in a.facts])

    assert shape(curly) == shape(base)
    quoted = [f for f in curly.findings if "\u2019" in f.text]
    assert quoted and all("'" not in f.text for f in quoted)
    assert all(f.text == load(path).text[f.start:f.end] for f in curly.findings)
