"""A small linear classifier for Chinese sentences, the second layer after the rules.

It scores a sentence, together with the headings above it, for the broad
categories that legal annotators used in CAPP-130 (collection, sharing,
storage, security, rights, ...). The engine uses it only where no rule of the
category fired, and a finding it makes names the character n-grams that
weighed most, so it explains itself like a rule finding does.

Features are binary: the character 1- to 3-grams of the sentence's Chinese,
Latin and digit runs (Latin lower-cased, digits folded to ``0``, full-width
forms folded to ASCII), and the character pairs of the two innermost headings
above it, kept apart from the sentence's own n-grams. Each n-gram is packed
into one integer (16 bits a character), so a whole document is featurised and
scored in one pass of numpy operations: a sorted code table gives every
n-gram its weight row, and per-sentence sums of those rows are the logits.

The model is trained by ``bench/train_classifier.py`` on CAPP-130 (CC BY 4.0).
"""
from __future__ import annotations

import json
from dataclasses import dataclass
from functools import lru_cache

import numpy

from .resources import resource_path

MODEL_NAME = "capp130-zh"
HEADING_FLAG = 1 << 50  # set on the codes of heading features
HEADING_LEVELS = 2  # innermost headings used
_SEP = "\n"


def _codepoints(text: str) -> numpy.ndarray:
    """The text's code points, normalised; 0 for characters that are not features
    (anything but CJK U+3400-U+9FFF, ASCII letters and digits and their
    full-width forms)."""
    cp = numpy.frombuffer(text.encode("utf-32-le"), dtype=numpy.uint32).astype(numpy.int64)
    wide = (cp >= 0xFF10) & (cp <= 0xFF5A)
    cp = numpy.where(wide, cp - 0xFEE0, cp)  # full-width ０-９Ａ-Ｚａ-ｚ → ASCII
    upper = (cp >= 0x41) & (cp <= 0x5A)
    cp = numpy.where(upper, cp + 32, cp)
    digit = (cp >= 0x30) & (cp <= 0x39)
    cp = numpy.where(digit, 0x30, cp)
    keep = digit | ((cp >= 0x61) & (cp <= 0x7A)) | ((cp >= 0x3400) & (cp <= 0x9FFF))
    return numpy.where(keep, cp, 0)


def _ngrams(cp: numpy.ndarray, sizes=(1, 2, 3)) -> tuple[numpy.ndarray, numpy.ndarray, numpy.ndarray]:
    """(codes, positions, lengths) of the n-grams inside runs of feature characters."""
    codes, pos, lens = [], [], []
    length = len(cp)
    for n in sizes:
        if length < n:
            continue
        m = length - n + 1
        valid = numpy.ones(m, dtype=bool)
        code = numpy.zeros(m, dtype=numpy.int64)
        for k in range(n):
            part = cp[k:k + m]
            valid &= part != 0
            code = (code << 16) | part
        where = numpy.flatnonzero(valid)
        codes.append(code[where])
        pos.append(where)
        lens.append(numpy.full(len(where), n, dtype=numpy.int64))
    if not codes:
        empty = numpy.zeros(0, dtype=numpy.int64)
        return empty, empty, empty
    return numpy.concatenate(codes), numpy.concatenate(pos), numpy.concatenate(lens)


def decode(code: int) -> str:
    """The n-gram a feature code stands for (``h:`` marks a heading feature)."""
    prefix = "h:" if code & HEADING_FLAG else ""
    code &= HEADING_FLAG - 1
    chars = []
    while code:
        chars.append(chr(code & 0xFFFF))
        code >>= 16
    return prefix + "".join(reversed(chars))


def encode(ngram: str) -> int:
    """Inverse of :func:`decode` for a normalised n-gram."""
    flag = 0
    if ngram.startswith("h:"):
        flag, ngram = HEADING_FLAG, ngram[2:]
    code = 0
    for ch in ngram:
        code = (code << 16) | ord(ch)
    return code | flag


def heading_titles(section: str) -> list[str]:
    return [t for t in section.split(" › ") if t][-HEADING_LEVELS:]


def _section_codes(sections: list[str]) -> tuple[numpy.ndarray, numpy.ndarray]:
    """(section index, code) of the distinct heading features of each section, in one pass."""
    parts, owner = [], []
    for n, section in enumerate(sections):
        for title in heading_titles(section):
            parts.append(title)
            owner.append(n)
    if not parts:
        empty = numpy.zeros(0, dtype=numpy.int64)
        return empty, empty
    offsets = numpy.zeros(len(parts) + 1, dtype=numpy.int64)
    numpy.cumsum([len(t) + 1 for t in parts], out=offsets[1:])
    codes, pos, _ = _ngrams(_codepoints(_SEP.join(parts) + _SEP), (2,))
    owners = numpy.asarray(owner, dtype=numpy.int64)[numpy.searchsorted(offsets, pos, side="right") - 1]
    keys = numpy.unique((owners << 32) | codes)
    return keys >> 32, (keys & 0xFFFFFFFF) | HEADING_FLAG


@dataclass
class Features:
    """Feature occurrences of a batch of sentences, as flat arrays."""
    rows: numpy.ndarray  # sentence index of each entry
    codes: numpy.ndarray  # feature code
    starts: numpy.ndarray  # offset in the sentence (-1 for heading features)
    lengths: numpy.ndarray  # n-gram length in characters (0 for heading features)


def extract(sentences: list[str], sections: list[str]) -> Features:
    """Every n-gram occurrence of ``sentences`` (a repeated n-gram counts each time),
    then the distinct heading features of each sentence's section path."""
    offsets = numpy.zeros(len(sentences) + 1, dtype=numpy.int64)
    numpy.cumsum([len(s) + 1 for s in sentences], out=offsets[1:])
    codes, pos, lens = _ngrams(_codepoints(_SEP.join(sentences) + _SEP))
    rows = numpy.searchsorted(offsets, pos, side="right") - 1
    starts = pos - offsets[rows]
    unique_sections: dict[str, int] = {}
    section_ids = numpy.array([unique_sections.setdefault(s, len(unique_sections)) for s in sections],
                              dtype=numpy.int64)
    owner, h_table = _section_codes(list(unique_sections))
    if len(h_table) and len(sentences):
        sizes = numpy.bincount(owner, minlength=len(unique_sections))
        first = numpy.cumsum(sizes) - sizes
        counts = sizes[section_ids]
        h_rows = numpy.repeat(numpy.arange(len(sentences)), counts)
        within = numpy.arange(counts.sum()) - numpy.repeat(numpy.cumsum(counts) - counts, counts)
        h_codes = h_table[numpy.repeat(first[section_ids], counts) + within]
        rows = numpy.concatenate([rows, h_rows])
        codes = numpy.concatenate([codes, h_codes])
        starts = numpy.concatenate([starts, numpy.full(len(h_rows), -1, dtype=numpy.int64)])
        lens = numpy.concatenate([lens, numpy.zeros(len(h_rows), dtype=numpy.int64)])
    return Features(rows, codes, starts, lens)


def distinct(features: Features) -> Features:
    """One entry per (sentence, feature), at its first occurrence, sorted by sentence."""
    f = features
    order = numpy.lexsort((f.starts, f.codes, f.rows))
    rows, codes, starts, lens = f.rows[order], f.codes[order], f.starts[order], f.lengths[order]
    keep = numpy.ones(len(rows), dtype=bool)
    keep[1:] = (rows[1:] != rows[:-1]) | (codes[1:] != codes[:-1])
    return Features(rows[keep], codes[keep], starts[keep], lens[keep])


def sentence_features(text: str) -> list[str]:
    """The sentence's n-gram occurrences as strings (for inspection and tests)."""
    return [decode(int(c)) for c in extract([text], [""]).codes]


def heading_features(section: str) -> list[str]:
    """The distinct heading features of a section path as strings (for inspection and tests)."""
    return [decode(int(c)) for c in _section_codes([section])[1]]


@dataclass(frozen=True)
class Category:
    name: str  # the CAPP-130 label, e.g. "存储方式"
    topics: tuple[str, ...]  # topics it may stand for; the first is the default
    threshold: float  # probability above which a sentence in a section about the topic is labelled
    free_threshold: float  # probability above which it is labelled anywhere (default topic); > 1: never


class Scores:
    """Category probabilities of a batch of sentences, with what explains them."""

    def __init__(self, model: "Model", features: Features, index: numpy.ndarray, probs: numpy.ndarray):
        self.model = model
        self.features = features  # sentence n-grams first, heading features after
        self.index = index  # weight row of each feature entry, -1 if not in the model
        self.probs = probs  # (sentences, categories)
        self._bounds = None
        self._entries = None

    def rows_above(self, threshold: float) -> list[int]:
        """Sentences with some category at or above ``threshold``."""
        if not len(self.probs):
            return []
        return [int(r) for r in numpy.flatnonzero(self.probs.max(axis=1) >= threshold)]

    def top_features(self, row: int, category: int, n: int = 3) -> list[tuple[int, int]]:
        """(start, end) offsets in sentence ``row`` of the longest-first n-grams of the
        sentence itself that pushed most towards ``category`` (first occurrences)."""
        f = self.features
        if self._bounds is None:  # sentence n-gram entries grouped by sentence, once
            entries = numpy.flatnonzero((f.lengths > 0) & (self.index >= 0))
            self._entries = entries[numpy.argsort(f.rows[entries], kind="stable")]
            self._bounds = numpy.searchsorted(f.rows[self._entries], numpy.arange(len(self.probs) + 1))
        mine = self._entries[self._bounds[row]:self._bounds[row + 1]]
        weight = self.model.weights[self.index[mine], category]
        mine, weight = mine[weight > 0], weight[weight > 0]
        if not len(mine):
            return []
        mine = mine[numpy.lexsort((f.starts[mine], -weight * f.lengths[mine]))]
        picked: list[tuple[int, int]] = []
        seen: set[int] = set()
        for k in mine.tolist():
            i = int(self.index[k])
            if i in seen:
                continue
            seen.add(i)
            start = int(f.starts[k])
            picked.append((start, start + int(f.lengths[k])))
            if len(picked) == n:
                break
        return picked


class Model:
    def __init__(self, meta: dict, codes: numpy.ndarray, weights: numpy.ndarray, bias: numpy.ndarray):
        default = float(meta.get("threshold", 0.8))
        self.categories = [Category(c["name"], tuple(c["topics"]), float(c.get("threshold", default)),
                                    float(c.get("free_threshold", 2.0)))
                           for c in meta["categories"]]
        self.counts = bool(meta.get("counts", False))  # repeated n-grams count each time
        order = numpy.argsort(codes, kind="stable")
        self.codes = numpy.asarray(codes, dtype=numpy.int64)[order]
        self.weights = numpy.asarray(weights, dtype=numpy.float32)[order]
        self.bias = numpy.asarray(bias, dtype=numpy.float32)
        self.meta = meta
        # Single characters are looked up in a direct table, longer n-grams by binary search.
        self.unigrams = numpy.full(1 << 16, -1, dtype=numpy.int64)
        single = numpy.flatnonzero(self.codes < (1 << 16))
        self.unigrams[self.codes[single]] = single

    def lookup(self, codes: numpy.ndarray) -> numpy.ndarray:
        """Weight row of each code, -1 where the model has none."""
        if not len(self.codes):
            return numpy.full(len(codes), -1, dtype=numpy.int64)
        short = codes < (1 << 16)
        out = numpy.empty(len(codes), dtype=numpy.int64)
        out[short] = self.unigrams[codes[short]]
        rest = codes[~short]
        at = numpy.minimum(numpy.searchsorted(self.codes, rest), len(self.codes) - 1)
        out[~short] = numpy.where(self.codes[at] == rest, at, -1)
        return out

    def logits(self, rows: numpy.ndarray, index: numpy.ndarray, n: int) -> numpy.ndarray:
        """Per-sentence sums of the weight rows ``index`` found in sentences ``rows``, plus the bias."""
        known = index >= 0
        size = len(self.codes)
        keys = numpy.sort(rows[known] * size + index[known])
        if not self.counts and len(keys):
            keys = keys[numpy.r_[True, keys[1:] != keys[:-1]]]
        rows, index = keys // size, keys % size
        out = numpy.zeros((n, len(self.categories)), dtype=numpy.float32)
        if len(keys):
            starts = numpy.flatnonzero(numpy.r_[True, rows[1:] != rows[:-1]])
            out[rows[starts]] = numpy.add.reduceat(self.weights[index], starts, axis=0)
        return out + self.bias

    def score(self, sentences: list[str], sections: list[str]) -> Scores:
        """Probabilities of every category for every sentence, in one batch."""
        features = extract(sentences, sections)
        index = self.lookup(features.codes)
        logits = self.logits(features.rows, index, len(sentences))
        probs = 1 / (1 + numpy.exp(-numpy.clip(logits, -30, 30)))
        return Scores(self, features, index, probs)

    def scores(self, sentence: str, section: str) -> tuple[numpy.ndarray, Scores]:
        """One sentence: its category probabilities and the batch they came from."""
        batch = self.score([sentence], [section])
        return batch.probs[0], batch


@lru_cache(maxsize=2)
def load_model(name: str = MODEL_NAME) -> Model | None:
    folder = resource_path("models")
    meta_path = folder / f"{name}.json"
    if not meta_path.exists():
        return None
    meta = json.loads(meta_path.read_text(encoding="utf-8"))
    arrays = numpy.load(folder / f"{name}.npz")
    if "codes" in arrays:
        codes = arrays["codes"]
    else:  # older models list their n-grams in the metadata
        codes = numpy.array([encode(f) for f in meta["vocabulary"]], dtype=numpy.int64)
    return Model(meta, codes, arrays["weights"], arrays["bias"])
