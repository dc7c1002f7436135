"""Small linear classifiers for sentences, the second layer after the rules.

A model scores a sentence, together with the headings above it, for the broad
categories that legal annotators used in CAPP-130 (collection, sharing,
storage, security, rights, ...). The engine uses it only where no rule of the
category fired, and a finding it makes names the n-grams of the sentence that
weighed most, so it explains itself like a rule finding does.

Features are binary, and the model's metadata names how they are extracted:

``chars`` (Chinese): the character 1- to 3-grams of the sentence's Chinese,
Latin and digit runs (Latin lower-cased, digits folded to ``0``, full-width
forms folded to ASCII), and the character pairs of the two innermost headings
above it. Each n-gram is packed into one integer (16 bits a character).

``words`` (English): the word unigrams and bigrams of the sentence, a word
being a run of ASCII letters and digits (lower-cased, digits folded to ``0``),
and the words of the two innermost headings. Each word is hashed to 48 bits,
a bigram mixes the codes of its two words. (Reducing words to their lemmas
made no difference to the cross-validated scores, so they are left as they are.)

Heading features are kept apart from the sentence's own (a flag bit), and a
whole document is featurised and scored in one pass of numpy operations: a
sorted code table gives every feature its weight row, and per-sentence sums of
those rows are the logits.

The models are trained by ``bench/train_classifier.py`` on CAPP-130 (CC BY 4.0):
the Chinese one on its sentences, the English one on its English machine
translation.
"""
from __future__ import annotations

import json
from dataclasses import dataclass
from functools import lru_cache

import numpy

from .arrays import ranges
from .resources import resource_path

MODEL_NAMES = {"zh": "capp130-zh", "en": "capp130-en"}  # the model of each language
# The topic model of each language: one category per topic of the rulebook.
TOPIC_MODEL_NAMES = {"zh": "capp130-topics-zh", "en": "capp130-topics-en"}
# A model labels a sentence only when it finds the category more likely than not.
# Thresholds fitted to the corpus's section-level labels can be far lower, which
# amounts to labelling every sentence of a section by its heading.
MIN_PROBABILITY = 0.5
HEADING_FLAG = 1 << 50  # set on the codes of heading features
HEADING_LEVELS = 2  # innermost headings used
WORD_BITS = 48  # word and bigram codes stay below this bit, and so below the heading flag
_WORD_MASK = (1 << WORD_BITS) - 1
_HASH_BASE = numpy.uint64(0x100000001B3)
_BIGRAM_MIX = 0x9E3779B97F4A7C1  # odd: (first * mix + second) keeps word order apart
_SEP = "\n"


def _normalised(cp: numpy.ndarray) -> numpy.ndarray:
    """Code points normalised; 0 for characters that are not features (anything
    but CJK U+3400-U+9FFF, ASCII letters and digits and their full-width forms)."""
    wide = (cp >= 0xFF10) & (cp <= 0xFF5A)
    cp = numpy.where(wide, cp - 0xFEE0, cp)  # full-width ０-９Ａ-Ｚａ-ｚ → ASCII
    upper = (cp >= 0x41) & (cp <= 0x5A)
    cp = numpy.where(upper, cp + 32, cp)
    digit = (cp >= 0x30) & (cp <= 0x39)
    cp = numpy.where(digit, 0x30, cp)
    keep = digit | ((cp >= 0x61) & (cp <= 0x7A)) | ((cp >= 0x3400) & (cp <= 0x9FFF))
    return numpy.where(keep, cp, 0)


_NORMALISED = _normalised(numpy.arange(0x10001, dtype=numpy.int64))  # the last one stands for all beyond


def _codepoints(text: str) -> numpy.ndarray:
    """The text's code points, normalised (see :func:`_normalised`)."""
    cp = numpy.frombuffer(text.encode("utf-32-le"), dtype=numpy.uint32)
    return _NORMALISED.take(numpy.minimum(cp, 0x10000))


def _char_ngrams(text: str, sizes) -> tuple[numpy.ndarray, numpy.ndarray, numpy.ndarray]:
    """(codes, positions, lengths) of the character n-grams inside runs of feature characters."""
    cp = _codepoints(text)
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


def _word_codes(chars: numpy.ndarray, lengths: numpy.ndarray) -> numpy.ndarray:
    """Codes of the words whose characters are ``chars``, one word after the
    other, ``lengths`` long: a polynomial hash modulo 2**64, mixed by the
    splitmix64 finaliser, its top bits kept."""
    if not len(lengths):
        return numpy.zeros(0, dtype=numpy.int64)
    first = numpy.cumsum(lengths) - lengths
    to_end = numpy.repeat(first + lengths - 1, lengths) - numpy.arange(len(chars))
    powers = numpy.full(lengths.max(), _HASH_BASE, dtype=numpy.uint64)
    powers[0] = 1
    powers = numpy.cumprod(powers)  # base ** k, wrapping around 2**64
    h = numpy.add.reduceat(chars.astype(numpy.uint64) * powers[to_end], first)
    h = (h ^ (h >> numpy.uint64(30))) * numpy.uint64(0xBF58476D1CE4E5B9)
    h = (h ^ (h >> numpy.uint64(27))) * numpy.uint64(0x94D049BB133111EB)
    h ^= h >> numpy.uint64(31)
    return (h >> numpy.uint64(64 - WORD_BITS)).astype(numpy.int64)


def _bigram_codes(first: numpy.ndarray, second: numpy.ndarray) -> numpy.ndarray:
    return (first * _BIGRAM_MIX + second) & _WORD_MASK  # wraps around 2**64


def _word_ngrams(text: str, sizes) -> tuple[numpy.ndarray, numpy.ndarray, numpy.ndarray]:
    """(codes, positions, lengths) of the word unigrams and of the bigrams of words
    with no line break between them (sentences are joined by line breaks)."""
    cp = numpy.frombuffer(text.encode("utf-32-le"), dtype=numpy.uint32)
    lower = cp | 0x20
    letter = (lower >= 0x61) & (lower <= 0x7A)
    inside = letter | ((cp >= 0x30) & (cp <= 0x39))
    edges = numpy.flatnonzero(numpy.diff(inside, prepend=False, append=False))
    starts, ends = edges[0::2], edges[1::2]
    codes = _word_codes(numpy.where(letter, lower, 0x30)[inside], ends - starts)
    out_codes, out_pos, out_lens = [], [], []
    if 1 in sizes:
        out_codes.append(codes)
        out_pos.append(starts)
        out_lens.append(ends - starts)
    if 2 in sizes and len(codes) > 1:
        breaks = numpy.cumsum(cp == ord(_SEP))
        joined = numpy.flatnonzero(breaks[starts[1:]] == breaks[ends[:-1] - 1])
        out_codes.append(_bigram_codes(codes[joined], codes[joined + 1]))
        out_pos.append(starts[joined])
        out_lens.append(ends[joined + 1] - starts[joined])
    if not out_codes:
        empty = numpy.zeros(0, dtype=numpy.int64)
        return empty, empty, empty
    return (numpy.concatenate(out_codes), numpy.concatenate(out_pos).astype(numpy.int64),
            numpy.concatenate(out_lens).astype(numpy.int64))


@dataclass(frozen=True)
class Extractor:
    ngrams: object  # (text, sizes) -> (codes, positions, lengths)
    sentence_sizes: tuple[int, ...]  # n-gram sizes taken from the sentence
    heading_sizes: tuple[int, ...]  # n-gram sizes taken from its headings
    longest_first: bool  # explanations favour long n-grams (weight times length)


EXTRACTORS = {"chars": Extractor(_char_ngrams, (1, 2, 3), (2,), True),
              "words": Extractor(_word_ngrams, (1, 2), (1,), False)}


def decode(code: int) -> str:
    """The character n-gram a feature code stands for (``h:`` marks a heading feature)."""
    prefix = "h:" if code & HEADING_FLAG else ""
    code &= HEADING_FLAG - 1
    chars = []
    while code:
        chars.append(chr(code & 0xFFFF))
        code >>= 16
    return prefix + "".join(reversed(chars))


def encode(ngram: str) -> int:
    """Inverse of :func:`decode` for a normalised character n-gram."""
    flag = 0
    if ngram.startswith("h:"):
        flag, ngram = HEADING_FLAG, ngram[2:]
    code = 0
    for ch in ngram:
        code = (code << 16) | ord(ch)
    return code | flag


def encode_words(phrase: str) -> int:
    """The code of one word or a pair of words (``h:`` marks a heading word)."""
    flag = 0
    if phrase.startswith("h:"):
        flag, phrase = HEADING_FLAG, phrase[2:]
    codes, _, _ = _word_ngrams(phrase, (1, 2))
    return int(codes[-1]) | flag  # the pair comes after the single words


def heading_titles(section: str) -> list[str]:
    return [t for t in section.split(" › ") if t][-HEADING_LEVELS:]


def _section_codes(sections: list[str], extractor: Extractor) -> tuple[numpy.ndarray, numpy.ndarray]:
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
    codes, pos, _ = extractor.ngrams(_SEP.join(parts) + _SEP, extractor.heading_sizes)
    owners = numpy.asarray(owner, dtype=numpy.int64)[numpy.searchsorted(offsets, pos, side="right") - 1]
    order = numpy.lexsort((codes, owners))
    owners, codes = owners[order], codes[order]
    keep = numpy.ones(len(codes), dtype=bool)
    keep[1:] = (owners[1:] != owners[:-1]) | (codes[1:] != codes[:-1])
    return owners[keep], codes[keep] | HEADING_FLAG


@dataclass
class Features:
    """Feature occurrences of a batch of sentences, as flat arrays."""
    rows: numpy.ndarray  # sentence index of each entry
    codes: numpy.ndarray  # feature code
    starts: numpy.ndarray  # offset in the sentence (-1 for heading features)
    lengths: numpy.ndarray  # n-gram length in characters (0 for heading features)


def extract(sentences: list[str], sections: list[str], kind: str = "chars") -> Features:
    """Every n-gram occurrence of ``sentences`` (a repeated n-gram counts each time),
    then the distinct heading features of each sentence's section path."""
    extractor = EXTRACTORS[kind]
    sizes = numpy.array([len(s) + 1 for s in sentences], dtype=numpy.int64)
    offsets = numpy.zeros(len(sentences) + 1, dtype=numpy.int64)
    numpy.cumsum(sizes, out=offsets[1:])
    codes, pos, lens = extractor.ngrams(_SEP.join(sentences) + _SEP, extractor.sentence_sizes)
    rows = numpy.repeat(numpy.arange(len(sentences), dtype=numpy.int64), sizes)[pos]  # the sentence of each character
    starts = pos - offsets[rows]
    unique_sections: dict[str, int] = {}
    section_ids = numpy.array([unique_sections.setdefault(s, len(unique_sections)) for s in sections],
                              dtype=numpy.int64)
    owner, h_table = _section_codes(list(unique_sections), extractor)
    if len(h_table) and len(sentences):
        sizes = numpy.bincount(owner, minlength=len(unique_sections))
        first = numpy.cumsum(sizes) - sizes
        counts = sizes[section_ids]
        h_rows = numpy.repeat(numpy.arange(len(sentences)), counts)
        h_codes = h_table[ranges(first[section_ids], counts)]
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
    """The sentence's character n-gram occurrences as strings (for inspection and tests)."""
    return [decode(int(c)) for c in extract([text], [""]).codes]


def heading_features(section: str) -> list[str]:
    """The distinct heading features of a section path as strings (for inspection and tests)."""
    return [decode(int(c)) for c in _section_codes([section], EXTRACTORS["chars"])[1]]


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

    def above_thresholds(self) -> list[tuple[int, int]]:
        """(sentence, category) pairs whose probability reaches the category's
        threshold, sentence by sentence, categories in order."""
        thresholds = numpy.array([c.threshold for c in self.model.categories], dtype=numpy.float64)
        rows, categories = numpy.nonzero(self.probs >= thresholds)
        return list(zip(rows.tolist(), categories.tolist()))

    def top_features(self, row: int, category: int, n: int = 3) -> list[tuple[int, int]]:
        """(start, end) offsets in sentence ``row`` of the n-grams of the sentence
        itself that pushed most towards ``category`` (first occurrences), long
        ones first if the model's extractor says so."""
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
        if EXTRACTORS[self.model.extractor].longest_first:
            weight = weight * f.lengths[mine]
        mine = mine[numpy.lexsort((f.starts[mine], -weight))]
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
        self.categories = [Category(c["name"], tuple(c["topics"]),
                                    max(float(c.get("threshold", default)), MIN_PROBABILITY),
                                    max(float(c.get("free_threshold", 2.0)), MIN_PROBABILITY))
                           for c in meta["categories"]]
        self.counts = bool(meta.get("counts", False))  # repeated n-grams count each time
        self.extractor = meta.get("extractor", "chars")
        order = numpy.argsort(codes, kind="stable")
        self.codes = numpy.asarray(codes, dtype=numpy.int64)[order]
        self.weights = numpy.asarray(weights, dtype=numpy.float32)[order]
        self.bias = numpy.asarray(bias, dtype=numpy.float32)
        self.meta = meta
        # A hash table: the rows of the codes whose bucket is b are
        # table_rows[table_start[b]:table_start[b + 1]], about one code in four buckets.
        self.bucket_bits = max(1, (4 * len(self.codes)).bit_length())
        buckets = self._buckets(self.codes)
        self.table_rows = numpy.argsort(buckets, kind="stable")
        self.table_start = numpy.searchsorted(buckets[self.table_rows],
                                              numpy.arange((1 << self.bucket_bits) + 1))

    def _buckets(self, codes: numpy.ndarray) -> numpy.ndarray:
        mixed = codes.astype(numpy.uint64) * numpy.uint64(0x9E3779B97F4A7C15)
        return (mixed >> numpy.uint64(64 - self.bucket_bits)).astype(numpy.int64)

    def lookup(self, codes: numpy.ndarray) -> numpy.ndarray:
        """Weight row of each code, -1 where the model has none."""
        out = numpy.full(len(codes), -1, dtype=numpy.int64)
        buckets = self._buckets(codes)
        start, end = self.table_start[buckets], self.table_start[buckets + 1]
        live = numpy.flatnonzero(end > start)
        while len(live):  # the k-th code of each bucket that has one, k = 0, 1, ...
            rows = self.table_rows[start[live]]
            hit = self.codes[rows] == codes[live]
            out[live[hit]] = rows[hit]
            start[live] += 1
            live = live[~hit & (start[live] < end[live])]
        return out

    def logits(self, rows: numpy.ndarray, index: numpy.ndarray, n: int) -> numpy.ndarray:
        """Per-sentence sums of the weight rows ``index`` found in sentences ``rows``, plus the bias."""
        known = index >= 0
        size = len(self.codes)
        keys = rows[known] * size + index[known]
        if n * size < 2 ** 31:
            keys = keys.astype(numpy.int32)  # sorts in about half the time
        keys = numpy.sort(keys)
        if not self.counts and len(keys):
            keys = keys[numpy.r_[True, keys[1:] != keys[:-1]]]
        rows, index = keys // size, keys % size
        out = numpy.zeros((n, len(self.categories)), dtype=numpy.float32)
        if len(keys):
            starts = numpy.flatnonzero(numpy.r_[True, rows[1:] != rows[:-1]])
            out[rows[starts]] = numpy.add.reduceat(self.weights.take(index, axis=0), starts, axis=0)
        return out + self.bias

    def score(self, sentences: list[str], sections: list[str]) -> Scores:
        """Probabilities of every category for every sentence, in one batch."""
        return self.score_features(extract(sentences, sections, self.extractor), len(sentences))

    def score_features(self, features: Features, n: int) -> Scores:
        """:meth:`score` of ``n`` sentences whose features (of this model's extractor) are given."""
        index = self.lookup(features.codes)
        logits = self.logits(features.rows, index, n)
        probs = 1 / (1 + numpy.exp(-numpy.clip(logits, -30, 30)))
        return Scores(self, features, index, probs)

    def scores(self, sentence: str, section: str) -> tuple[numpy.ndarray, Scores]:
        """One sentence: its category probabilities and the batch they came from."""
        batch = self.score([sentence], [section])
        return batch.probs[0], batch


@lru_cache(maxsize=4)
def load_model(name: str = MODEL_NAMES["zh"]) -> Model | None:
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
