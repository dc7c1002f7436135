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
