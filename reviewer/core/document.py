"""The document model shared by every layer.

Character offsets into ``Document.text`` are the one currency of the app:
blocks, segments, findings and highlights all point into it.
"""
from __future__ import annotations

import bisect
import re
from dataclasses import dataclass, field, replace

BLOCK_KINDS = ("heading", "paragraph", "list_item", "table_cell", "header", "footer")
FORMATS = ("pdf", "docx", "txt", "html")
_CURLY_APOSTROPHE = re.compile("(?<=[A-Za-z])[\u2019\u02bc]")


def straight_apostrophes(text: str) -> str:
    """``text`` with curly apostrophes after Latin letters made straight
    ("don’t" -> "don't"), so that rules spell them one way only. Quotation
    marks around Chinese words stay. Offsets do not move."""
    if "\u2019" not in text and "\u02bc" not in text:
        return text
    return _CURLY_APOSTROPHE.sub("'", text)


@dataclass(frozen=True)
class Box:
    """A word's (or character run's) rectangle on a PDF page.

    ``start``/``end`` index ``Document.text``; coordinates are PDF points with
    the origin at the top-left corner of the page, as pdfplumber reports them.
    """

    start: int
    end: int
    page: int  # 1-based
    x0: float
    top: float
    x1: float
    bottom: float


@dataclass(frozen=True)
class Block:
    kind: str
    start: int
    end: int
    text: str
    level: int = 0  # heading level, 1 = top
    body: bool = True  # False for running headers, footers and page numbers
    page: int | None = None  # 1-based, PDF only
    row: int | None = None  # table cells only
    col: int | None = None
    table: int | None = None  # index of the table in the document
    anchor: int | None = None  # DOCX body-element index
    boxes: tuple[Box, ...] = ()


@dataclass(frozen=True)
class Document:
    path: str
    format: str
    text: str
    blocks: tuple[Block, ...]
    sha256: str
    lang: str = "en"
    title: str | None = None
    pages: int | None = None
    page_sizes: tuple[tuple[float, float], ...] = ()
    warnings: tuple[str, ...] = ()
    _box_index: list = field(default=None, repr=False, compare=False)

    def with_straight_apostrophes(self) -> "Document":
        """This document as rules read it (see :func:`straight_apostrophes`)."""
        text = straight_apostrophes(self.text)
        if text == self.text:
            return self
        return replace(self, text=text, blocks=tuple(replace(b, text=straight_apostrophes(b.text))
                                                     for b in self.blocks))

    @property
    def body_blocks(self) -> list[Block]:
        return [b for b in self.blocks if b.body]

    def block_at(self, offset: int) -> Block | None:
        for block in self.body_blocks:
            if block.start <= offset < block.end:
                return block
        return None

    def page_at(self, offset: int) -> int | None:
        block = self.block_at(offset)
        return block.page if block else None

    def boxes_for(self, start: int, end: int) -> list[Box]:
        """Boxes of the words that overlap ``[start, end)``, in text order."""
        if self._box_index is None:
            boxes = sorted((box for b in self.blocks if b.body for box in b.boxes),
                           key=lambda x: x.start)
            object.__setattr__(self, "_box_index", (boxes, [b.start for b in boxes]))
        boxes, starts = self._box_index
        i = max(bisect.bisect_right(starts, start) - 1, 0)
        out = []
        while i < len(boxes) and boxes[i].start < end:
            if boxes[i].end > start:
                out.append(boxes[i])
            i += 1
        return out


class LoadError(Exception):
    """Bad input, described in one line a reviewer understands."""


_CJK = re.compile(r"[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff]")
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")


def looks_binary(text: str) -> bool:
    """Decoded bytes that are no text: many control characters or undecodable bytes."""
    sample = text[:100_000]
    return (len(_CONTROL.findall(sample)) > 0.01 * len(sample) + 2
            or sample.count("\ufffd") > 0.2 * len(sample))
_LATIN_WORD = re.compile(r"[A-Za-z]{2,}")


def detect_language(text: str) -> str:
    """``zh``, ``en`` or ``mixed`` from the share of CJK characters and Latin words."""
    sample = text[:200_000]
    cjk = len(_CJK.findall(sample))
    latin = sum(len(w) for w in _LATIN_WORD.findall(sample))
    if cjk == 0 and latin == 0:
        return "en"
    # A Chinese character carries about as much as three Latin letters.
    share = 3 * cjk / (3 * cjk + latin)
    if share >= 0.8:
        return "zh"
    if share <= 0.2:
        return "en"
    return "mixed"


class TextBuilder:
    """Assembles ``Document.text`` from blocks, separated by blank lines."""

    SEPARATOR = "\n\n"

    def __init__(self) -> None:
        self._parts: list[str] = []
        self._length = 0
        self.blocks: list[Block] = []

    @property
    def length(self) -> int:
        return self._length

    def add(self, kind: str, text: str, boxes: tuple[Box, ...] = (), **attrs) -> Block | None:
        """Append a body block; ``boxes`` offsets are relative to ``text``."""
        if not text.strip():
            return None
        if self._parts:
            self._parts.append(self.SEPARATOR)
            self._length += len(self.SEPARATOR)
        start = self._length
        self._parts.append(text)
        self._length += len(text)
        if boxes:
            boxes = tuple(Box(b.start + start, b.end + start, b.page, b.x0, b.top, b.x1, b.bottom)
                          for b in boxes)
        block = Block(kind=kind, start=start, end=self._length, text=text, boxes=boxes, **attrs)
        self.blocks.append(block)
        return block

    def add_non_body(self, kind: str, text: str, **attrs) -> None:
        """Keep a running header or footer as a block without adding it to the text."""
        self.blocks.append(Block(kind=kind, start=self._length, end=self._length, text=text,
                                 body=False, **attrs))

    def text(self) -> str:
        return "".join(self._parts)
