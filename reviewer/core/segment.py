"""Blocks to segments: headings, sentences, list items and table cells, each with
its section path. English blocks are parsed by spaCy's blank English pipeline;
Chinese blocks are split on the text, by the rules of spaCy's sentencizer on the
tokens of its blank Chinese pipeline."""
from __future__ import annotations

import re
import unicodedata
from bisect import bisect_left
from functools import lru_cache
from typing import NamedTuple

from spacy.attrs import IDX, ORTH, SENT_START

from .document import Block, Document, straight_apostrophes
from .results import Segment
from .numbering import CJK_CHAR, _is_cjk, looks_like_heading, numbering, ordinal

SECTION_SEPARATOR = " › "
# Abbreviations that end in a full stop but never end a sentence in a policy.
ABBREVIATIONS = ["No.", "Nos.", "Rm.", "Bldg.", "Tel.", "Ext.", "approx.", "Art.", "Arts.", "Para."]
ZH_SENTENCE_ENDS = ["。", "！", "？", "；", "!", "?", ";"]


def is_heading(block: Block) -> bool:
    """Styled headings, and numbered short lines of plain paragraphs. A styled
    heading that ends with a colon introduces a list; one that ends with a
    semicolon or is a whole sentence ("1. We treat all minors under 14 as
    children.") was styled as a heading by mistake: all are read as sentences."""
    if block.kind == "heading":
        return not _styled_sentence(block.text)
    return block.kind == "paragraph" and looks_like_heading(block.text)


def _styled_sentence(text: str) -> bool:
    t = text.rstrip()
    if t.endswith((":", "：", ";", "；")):
        return True
    if not t.endswith((".", "。")):
        return False
    return len(t.split()) >= 8 or len(CJK_CHAR.findall(t)) >= 12


def _clean_title(text: str) -> str:
    t = " ".join(text.replace("\u00a0", " ").split())
    return t if len(t) <= 90 else t[:87].rstrip() + "…"


def _register_components() -> None:
    import numpy
    from spacy.attrs import IS_PUNCT, LEMMA, LOWER
    from spacy.language import Language
    from spacy.pipeline import Sentencizer

    if "pipl_lower_lemma" in Language.factories:
        return

    @Language.factory("pipl_lower_lemma")
    def make_lower_lemma(nlp, name):
        lemmatizer = nlp.get_pipe("lemmatizer")
        cache: dict[int, int] = {}

        def lemma_hash(lower: int) -> int:
            if lower not in cache:
                lemma = lemmatizer.lookups.get_table("lemma_lookup").get(lower)
                cache[lower] = nlp.vocab.strings.add(lemma.lower()) if lemma else lower
            return cache[lower]

        def lower_lemma(doc):
            # Look lemmas up by the lowercase form: the table is case-sensitive, so
            # "Retained" would otherwise stay as it is. Works on hash arrays, which
            # is several times faster than setting token.lemma_ one by one.
            if len(doc):
                lowers = doc.to_array(LOWER).tolist()
                lemmas = numpy.fromiter((cache[h] if h in cache else lemma_hash(h) for h in lowers),
                                        dtype="uint64", count=len(lowers))
                doc.from_array([LEMMA], lemmas.reshape(-1, 1))
            return doc

        return lower_lemma

    @Language.factory("pipl_sentences", default_config={"punct_chars": None})
    def make_sentences(nlp, name, punct_chars):
        # spaCy's Sentencizer rule, run on arrays of token attributes rather than on
        # Token objects: the same boundaries at a fraction of the cost.
        chars = punct_chars or Sentencizer.default_punct_chars
        ends = {nlp.vocab.strings.add(c) for c in chars}

        def sentences(doc):
            n = len(doc)
            if not n:
                return doc
            rows = doc.to_array([ORTH, IS_PUNCT]).tolist()
            starts = [-1] * n
            starts[0] = 1
            start, seen_period = 0, False
            for i, (orth, is_punct) in enumerate(rows):
                is_end = orth in ends
                if seen_period and not is_punct and not is_end:
                    starts[start] = 1
                    start, seen_period = i, False
                elif is_end:
                    seen_period = True
            starts[start] = 1
            doc.from_array([SENT_START], numpy.array(starts, dtype="int64").astype("uint64").reshape(-1, 1))
            return doc

        return sentences


@lru_cache(maxsize=None)
def pipeline(lang: str = "en"):
    """The spaCy pipeline for English: tokenizer, lookup lemmas and
    punctuation-based sentence splitting. Nothing is downloaded. Chinese blocks
    are not parsed: their sentences are split by :func:`zh_sentence_starts` and
    their phrases matched by ``charmatch``, on the tokens of spaCy's blank
    Chinese pipeline."""
    import spacy

    if lang != "en":
        raise ValueError(f"no spaCy pipeline is used for {lang!r} text")
    _register_components()
    nlp = spacy.blank("en")
    nlp.add_pipe("lemmatizer", config={"mode": "lookup"})
    nlp.add_pipe("pipl_lower_lemma")
    nlp.add_pipe("pipl_sentences")
    nlp.initialize()
    for abbreviation in ABBREVIATIONS:
        nlp.tokenizer.add_special_case(abbreviation, [{ORTH: abbreviation}])
    nlp.disable_pipe("lemmatizer")  # its lookup table is applied by pipl_lower_lemma
    return nlp


def block_language(text: str, default: str) -> str:
    if default in ("en", "zh"):
        return default
    return "zh" if _is_cjk(text) else "en"


class _SectionTracker:
    """Keeps the stack of open headings to give each segment its section path."""

    def __init__(self) -> None:
        self.stack: list[tuple[object, str]] = []

    def open(self, block: Block, text: str) -> int:
        num = numbering(text)
        title = _clean_title(text)
        # A visible number says more about depth than the style: authors often give
        # "II. Sharing" and "3. Transfer" the same heading style.
        if block.kind == "heading" and block.level > 0 and not num:
            key: object = ("level", block.level)
            while self.stack and (not isinstance(self.stack[-1][0], tuple)
                                  or self.stack[-1][0][1] >= block.level):
                self.stack.pop()
        else:
            key = num[0] if num else "plain"
            styles = [k for k, _ in self.stack]
            if key in styles:
                del self.stack[styles.index(key):]
        self.stack.append((key, title))
        return len(self.stack)

    @property
    def path(self) -> str:
        return SECTION_SEPARATOR.join(title for _, title in self.stack)


_LIST_LEAD = re.compile(r"\b(following|as follows|below)\b|以下|如下")


def _unmarked_item(text: str) -> bool:
    """A paragraph after a list's lead-in that reads as an item whose bullet was
    lost (web pages saved as text): it starts in lower case, or it is short and
    does not end a sentence ("Administer our loyalty programs")."""
    t = text.strip()
    return t[:1].islower() or (len(t) <= 150 and not t.endswith((".", "。", "!", "！", "?", "？", ":", "：")))


def _introduces_list(text: str) -> bool:
    t = text.rstrip()
    return t.endswith((":", "：")) or bool(_LIST_LEAD.search(t[-80:]))


class Parsed(NamedTuple):
    """Where a segment sits in its block, and the spaCy parse of an English block."""

    doc: object  # spacy.tokens.Doc of an English block; None otherwise
    start_char: int
    end_char: int
    lang: str | None = None  # the block's language; None for headings and contents entries


_ZH_ENDS = re.compile("[" + re.escape("".join(ZH_SENTENCE_ENDS)) + "]")


def zh_sentence_starts(text: str) -> list[int]:
    """Offsets of the first tokens of the sentences of a Chinese block: the
    boundaries spaCy's Sentencizer sets on the char tokens of
    ``spacy.blank("zh")`` (tests compare the two), found on the string. A
    sentence ends after an end mark and any punctuation that follows it."""
    starts = [0] if text else []
    at = 0
    while (found := _ZH_ENDS.search(text, at)) is not None:
        at = found.end()
        after_char = True  # a single space after a character belongs to that character's token
        while at < len(text):
            char = text[at]
            if char == " " and after_char:
                after_char = False
            elif not char.isspace() and unicodedata.category(char).startswith("P"):
                after_char = True
            else:
                break
            at += 1
        if at == len(text):
            break
        starts.append(at)
    return starts


def _token_sentence_starts(doc) -> list[int]:
    """Offsets of the sentence-starting tokens of a parsed block."""
    rows = doc.to_array([SENT_START, IDX]).tolist()
    return [idx for n, (sent_start, idx) in enumerate(rows) if n == 0 or sent_start == 1]


def _sentences(starts: list[int], text: str) -> list[tuple[int, int]]:
    """Character spans of the sentences of a block, from the offsets where they
    start, with a bare numbering label ("1.", "(a)") kept together with the
    sentence it numbers."""
    if not starts:
        return []
    out: list[list[int]] = []
    carry: int | None = None
    for start, nxt in zip(starts, starts[1:] + [len(text)]):
        piece = text[start:nxt]
        stripped = piece.strip()
        if not stripped:
            continue
        end = start + len(piece.rstrip())
        if carry is not None:
            start, carry = carry, None
            stripped = text[start:end].strip()
        num = numbering(stripped)
        if num and not stripped[len(num[1]):].strip():
            carry = start
            continue
        first = stripped[:1]
        if out and not num and (first.islower() or first in ",;)"):
            # spaCy ended the sentence at an abbreviation ("etc.", "Co.") it did not know.
            out[-1][1] = end
            continue
        out.append([start, end])
    if carry is not None:
        out.append([carry, len(text.rstrip())])
    return [(a, b) for a, b in out]


CONTENTS_RUN = 3


def _heading_key(block: Block) -> object:
    if block.kind == "heading" and block.level > 0:
        return ("level", block.level)
    num = numbering(block.text)
    return num[0] if num else "plain"


def _runs(flags: list[bool]) -> list[range]:
    """The runs of consecutive true flags, each as the range of its indexes."""
    runs, start = [], None
    for n, flag in enumerate(flags + [False]):
        if flag and start is None:
            start = n
        elif not flag and start is not None:
            runs.append(range(start, n))
            start = None
    return runs


def _contents_entries(headings: list[bool], keys: list[object], texts: list[str]) -> set[int]:
    """Indexes of a table of contents: a run of at least three headings with no
    body between them, some of them siblings (same numbering style or level).
    A chain like 第一章 › 一、 › （一） is structure, not contents. The run's last
    heading usually opens the first section that has a body, so it stays a
    heading, unless its number continues the entry before it ("9. Contact us",
    "10. Disputes", then a plain line): then it is the contents' last entry."""
    entries: set[int] = set()
    for run in _runs(headings):
        run_keys = [keys[i] for i in run]
        if len(run) >= CONTENTS_RUN and len(set(run_keys)) < len(run_keys):
            last, before = ordinal(texts[run[-1]]), ordinal(texts[run[-2]])
            continues = bool(last and before) and last == (before[0], before[1] + 1)
            entries.update(run if continues else run[:-1])
    return entries


_OVERVIEW_LINE = re.compile(r"(?:what|how|who|with whom|to whom|when|where|why|which|whether)\b", re.I)


def _overview_entries(body, headings: list[bool]) -> set[int]:
    """Indexes of an overview list: three or more short lines in a row that each
    name a question the policy answers ("What information we collect.", "How
    we use it."). Like a table of contents, they announce topics rather than
    address them."""
    lines = [not heading and len(block.text.strip()) <= 150 and bool(_OVERVIEW_LINE.match(block.text.strip()))
             for (_, block), heading in zip(body, headings)]
    return {n for run in _runs(lines) if len(run) >= CONTENTS_RUN for n in run}


_NOT_TITLE = re.compile(r"[\W_]+")


def _title_key(text: str) -> str:
    """A line's words without numbering, punctuation or case, to compare titles."""
    num = numbering(text)
    if num:
        text = text.lstrip()[len(num[1]):]
    return _NOT_TITLE.sub("", text).casefold()


def _announced_entries(body) -> set[int]:
    """Indexes of a table of contents set as plain lines ("Information We Collect",
    "How We Use Your Information", ...): three or more short lines in a row, each
    of which opens a later block of the document, the section it announces (as
    its title, or as the run-in title of a paragraph). The sections have bodies,
    so the blocks they open are not in a row: a list repeated word for word
    (the exceptions to consent, say) is not contents."""
    keys = [_title_key(block.text[:160]) for _, block in body]  # a title is short: its start is enough
    short = [block.kind != "table_cell" and len(block.text.strip()) <= 120 and len(key) >= 4
             for (_, block), key in zip(body, keys)]
    ordered = sorted((key, n) for n, key in enumerate(keys))
    sorted_keys = [key for key, _ in ordered]

    def opened(n: int) -> int | None:
        """The first later block, not the next one, that the line opens."""
        lo = bisect_left(sorted_keys, keys[n])
        hi = bisect_left(sorted_keys, keys[n] + "\uffff", lo)
        return min((m for _, m in ordered[lo:hi] if m > n + 1), default=None)

    entries: set[int] = set()
    for run in _runs(short):
        if len(run) < CONTENTS_RUN:
            continue
        targets = [opened(n) for n in run]
        for stretch in _runs([t is not None for t in targets]):
            found = [targets[i] for i in stretch]
            apart = sum(b - a > 1 for a, b in zip(found, found[1:]))
            if len(stretch) >= CONTENTS_RUN and 2 * apart > len(found) - 1:
                entries.update(run[i] for i in stretch)
    return entries


def segment(document: Document) -> list[Segment]:
    segments, _ = parse(document)
    return segments


def parse(document: Document):
    """Segments plus, for each segment, where it sits in the spaCy parse of its
    block (tokens with lemmas)."""
    body = [(i, b) for i, b in enumerate(document.blocks) if b.body and b.text.strip()]
    headings = [is_heading(b) for _, b in body]
    keys = [_heading_key(b) if heading else None for (_, b), heading in zip(body, headings)]
    contents = (_contents_entries(headings, keys, [b.text for _, b in body]) | _overview_entries(body, headings)
                | _announced_entries(body))
    # Headings and contents entries are segments as they stand: only the rest is parsed.
    langs = [None if headings[n] or n in contents else block_language(block.text, document.lang)
             for n, (_, block) in enumerate(body)]
    english = [n for n, lang in enumerate(langs) if lang == "en"]
    docs: list = [None] * len(body)
    english_texts = (straight_apostrophes(body[n][1].text) for n in english)
    for n, doc in zip(english, pipeline("en").pipe(english_texts, batch_size=256)):
        docs[n] = doc
    segments: list[Segment] = []
    spans: list = []
    sections = _SectionTracker()
    lead: int | None = None
    for n, ((index, block), doc) in enumerate(zip(body, docs)):
        text = block.text
        if n in contents:
            segments.append(Segment(len(segments), block.start, block.end, "contents",
                                    sections.path, block.page, index, len(sections.stack)))
            spans.append(Parsed(doc, 0, len(text)))
            continue
        if headings[n]:
            level = sections.open(block, text)
            lead = None
            segments.append(Segment(len(segments), block.start, block.end, "heading",
                                    sections.path, block.page, index, level))
            spans.append(Parsed(doc, 0, len(text)))
            continue
        num = numbering(text)
        if block.kind == "list_item" or (block.kind in ("paragraph", "heading") and num is not None):
            kind = "list_item"
        elif block.kind == "paragraph" and lead is not None and _unmarked_item(text):
            kind = "list_item"
        elif block.kind == "table_cell":
            kind = "table_cell"
        else:
            kind = "sentence"
        block_lead = lead if kind == "list_item" else None
        starts = _token_sentence_starts(doc) if doc is not None else zh_sentence_starts(text)
        for sent_start, sent_end in _sentences(starts, text):
            start = block.start + sent_start
            end = block.start + sent_end
            segments.append(Segment(len(segments), start, end, kind, sections.path,
                                    block.page, index, len(sections.stack), block_lead))
            spans.append(Parsed(doc, sent_start, sent_end, langs[n]))
        if kind == "sentence":
            last = segments[-1]
            lead = last.id if _introduces_list(document.text[last.start:last.end]) else None
    return segments, spans
