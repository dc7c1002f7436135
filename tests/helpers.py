"""Shared helpers for tests that analyse short texts."""
from reviewer.core.document import Document, TextBuilder
from reviewer.core.engine import analyze


def make_document(paragraphs, lang="en", fmt="txt") -> Document:
    """A document from ``(kind, text)`` pairs, kind "heading", "paragraph" or "list_item"."""
    b = TextBuilder()
    for kind, text in paragraphs:
        b.add(kind, text, level=1 if kind == "heading" else 0)
    return Document(path="t", format=fmt, text=b.text(), blocks=tuple(b.blocks), sha256="", lang=lang)


def analyse_text(paragraphs, lang):
    return analyze(make_document(paragraphs, lang))
