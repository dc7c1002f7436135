"""The headless review of one file, as the CLI and the GUI run it."""
from __future__ import annotations

from dataclasses import asdict, dataclass

from .. import __version__
from .document import Document
from .loaders import load
from .segment import Segment, segment

SCHEMA = "pipl-reviewer.review/1"


@dataclass(frozen=True)
class Review:
    document: Document
    segments: list[Segment]


def review_file(path, lang: str | None = None, progress=None) -> Review:
    document = load(path, lang=lang, progress=progress)
    return Review(document=document, segments=segment(document))


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
        "findings": [],
        "checklist": [],
        "red_flags": [],
        "facts": {},
    }
