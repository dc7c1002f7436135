"""The headless review of one file, as the CLI and the GUI run it."""
from __future__ import annotations

from dataclasses import replace

from .. import __version__
from .document import Document
from .engine import analyze
from .loaders import load
from .results import Analysis, Review
from .rules import Ruleset
from .segment import parse

SCHEMA = "pipl-reviewer.review/1"


def review_document(document: Document, ruleset: Ruleset | None = None) -> Review:
    segments, spans = parse(document)
    analysis = analyze(document, ruleset, segments=segments, spans=spans)
    return Review(document=document, segments=segments, analysis=analysis)


def first_pages_analysis(document: Document, ruleset: Ruleset | None = None, pages: int = 2) -> Analysis | None:
    """A quick analysis of the first ``pages`` pages of a longer PDF, to show
    while the whole policy is analysed; None for other documents. Its findings
    and red flags there are those of the whole analysis, except that a
    heading's finding can go once its section's body turns out to have one."""
    if document.format != "pdf" or not document.pages or document.pages <= pages:
        return None
    first = replace(document, blocks=tuple(b for b in document.blocks if b.page is not None and b.page <= pages))
    return review_document(first, ruleset).analysis


def review_file(path, lang: str | None = None, progress=None, ruleset: Ruleset | None = None) -> Review:
    return review_document(load(path, lang=lang, progress=progress), ruleset)


def to_json(review: Review) -> dict:
    doc = review.document
    return {
        "schema": SCHEMA,
        "tool": {"name": "pipl-reviewer", "version": __version__},
        "document": {
            "path": doc.path,
            "format": doc.format,
            "lang": doc.lang,
            "sha256": doc.sha256,
            "pages": doc.pages,
            "title": doc.title,
            "warnings": list(doc.warnings),
            "text": doc.text,
        },
        "segments": [
            {"id": s.id, "start": s.start, "end": s.end, "kind": s.kind,
             "section": s.section, "page": s.page}
            for s in review.segments
        ],
        **review.analysis.to_json(),
    }
