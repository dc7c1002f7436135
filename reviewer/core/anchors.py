"""Literal anchors of a regular expression: sets of strings such that every
match contains a string of each set. Checking for them first lets the engine
and the red flags skip the many rule regexes that cannot match a sentence."""
from __future__ import annotations

import math
import re._parser as sre_parse
from functools import lru_cache
from re._constants import BRANCH, IN, LITERAL, MAX_REPEAT, MIN_REPEAT, SUBPATTERN

import numpy as np

from .arrays import ranges

Anchors = frozenset  # of lowercase strings

USEFUL = 0.2  # a set of anchors likelier than this to be in any text filters nothing


_COMMON_MARKS = set(" .,;:!?()'\"-/")


def _chance(char: str) -> float:
    """Roughly how likely a given character is at a given place in a text:
    Latin letters, digits and common punctuation are frequent; other marks
    ("@", "%") and Chinese characters are not."""
    if char.isascii():
        return 0.25 if char.isalnum() or char in _COMMON_MARKS else 0.05
    return 0.05


def _cost(anchors: Anchors) -> float:
    """Roughly how likely a text is to hold one of the strings."""
    return sum(math.prod(_chance(c) for c in a) for a in anchors)


def requirements(pattern: str) -> tuple[Anchors, ...]:
    """Anchor sets that every match of ``pattern`` (matched case-insensitively)
    satisfies: it contains a string of each set. Empty when nothing is certain."""
    try:
        parsed = sre_parse.parse(pattern)
    except Exception:  # noqa: BLE001 - an unparseable pattern simply gets no anchor
        return ()
    useful = {anchors for anchors in _required(list(parsed)) if _cost(anchors) <= USEFUL}
    return tuple(sorted(useful, key=_cost))


def alternatives(pattern: str) -> list[str]:
    """The top-level alternatives of ``pattern`` ("a|b(c|d)" gives "a" and
    "b(c|d)"), or the whole pattern when it starts with flags or has comments."""
    if pattern.startswith("(?") and pattern[2:3].isalpha() or "(?#" in pattern:
        return [pattern]
    out = []
    start = i = depth = 0
    in_class = False
    while i < len(pattern):
        c = pattern[i]
        i += 1
        if c == "\\":
            i += 1
        elif in_class:
            in_class = c != "]"
        elif c == "[":
            in_class = True
            i += pattern.startswith("^", i)
            i += pattern.startswith("]", i)  # a "]" first in a class is a literal
        elif c == "(":
            depth += 1
        elif c == ")":
            depth -= 1
        elif c == "|" and depth == 0:
            out.append(pattern[start:i - 1])
            start = i
    out.append(pattern[start:])
    return out


def requirement_options(pattern: str) -> tuple[tuple[Anchors, ...], ...]:
    """The :func:`requirements` of each top-level alternative of ``pattern``:
    every match satisfies those of one alternative. "A…B|C…D" needs A and B,
    or C and D, which says more than "A or C, and B or D"."""
    return tuple(requirements(a) for a in alternatives(pattern))


def _required(items) -> list[Anchors]:
    """Every anchor set a sequence requires: its literal runs and the anchors of
    its required parts."""
    out: list[Anchors] = []
    run = ""
    for op, arg in items:
        if op == LITERAL:
            run += chr(arg).lower()
            continue
        if run:
            out.append(frozenset([run]))
            run = ""
        if op == SUBPATTERN:
            out += _required(arg[-1])
        elif op in (MAX_REPEAT, MIN_REPEAT) and arg[0] >= 1:
            out += _required(arg[2])
        elif op == BRANCH:
            # One of the branches matches: the union of each branch's best set.
            best = [_best(branch) for branch in arg[1]]
            if all(best):
                out.append(frozenset().union(*best))
        elif op == IN and all(kind == LITERAL for kind, _ in arg) and len(arg) <= 4:
            out.append(frozenset(chr(value).lower() for _, value in arg))
    if run:
        out.append(frozenset([run]))
    return out


def _best(items) -> Anchors | None:
    found = [anchors for anchors in _required(items) if _cost(anchors) <= USEFUL]
    return min(found, key=_cost) if found else None


def lower_same_length(text: str) -> str:
    """``text`` lowercased, keeping every offset: the few characters that
    lowercase to two characters are left as they are."""
    lowered = text.lower()
    if len(lowered) != len(text):
        lowered = "".join(c.lower() if len(c.lower()) == 1 else c for c in text)
    return lowered


_TEXT_BITS = 20  # up to a million texts per index
_GRAM_MASK = (1 << (62 - _TEXT_BITS)) - 1


def _codes(text: str) -> np.ndarray:
    return np.frombuffer(text.encode("utf-32-le"), dtype=np.uint32).astype(np.int64)


def _grams(codes: np.ndarray, n: int) -> np.ndarray:
    """A hash of each run of ``n`` characters. Collisions only add candidates,
    which the exact substring check then drops."""
    out = codes[:len(codes) - n + 1].copy()
    for k in range(1, n):
        out = out * 1_000_003 + codes[k:len(codes) - n + 1 + k]
    return out & _GRAM_MASK


@lru_cache(maxsize=16)
def _layout(sets: tuple[Anchors, ...]):
    """For a tuple of anchor sets: its keys in order and their lengths, and for
    n = 1, 2, 3 the n-grams of the keys that have n = min(3, len) characters
    with the index of the key each belongs to; then the sets that hold each
    key (as set indices, key after key) and how many there are of each."""
    keys = tuple(sorted({k for keys in sets for k in keys}))
    lengths = np.array([len(k) for k in keys], dtype=np.int64)
    grams: dict[int, list] = {1: [], 2: [], 3: []}
    owners: dict[int, list] = {1: [], 2: [], 3: []}
    for i, key in enumerate(keys):
        n = min(3, len(key))
        if n:
            found = _grams(_codes(key), n)
            grams[n].append(found)
            owners[n].append(np.full(len(found), i))
    by_size = {n: (np.concatenate(grams[n]), np.concatenate(owners[n])) for n in grams if grams[n]}
    where = {key: i for i, key in enumerate(keys)}
    pairs = sorted((where[k], n) for n, keys_of_set in enumerate(sets) for k in keys_of_set)
    in_sets = np.array([n for _, n in pairs], dtype=np.int64)
    counts = np.bincount(np.array([k for k, _ in pairs], dtype=np.int64), minlength=len(keys))
    return keys, lengths, by_size, in_sets, counts


class PatternAnchors:
    """The anchor options (see :func:`requirement_options`) of a list of
    patterns, laid out for :meth:`TextIndex.pattern_candidates`: the anchor sets,
    and one row of set indices per option (padded with ``len(sets)``, which
    stands for a set every text satisfies), the options of each pattern
    one after the other, starting at ``starts``."""

    def __init__(self, options: list[tuple[tuple[Anchors, ...], ...]]):
        self.sets = tuple(sorted({keys for option in options for required in option for keys in required},
                                 key=sorted))
        where = {keys: i for i, keys in enumerate(self.sets)}
        rows = [[where[keys] for keys in required] for option in options for required in option]
        width = max([len(row) for row in rows] + [1])
        self.rows = np.array([row + [len(self.sets)] * (width - len(row)) for row in rows],
                             dtype=np.int64).reshape(-1, width)
        counts = np.array([len(option) for option in options], dtype=np.int64)
        self.starts = np.cumsum(counts) - counts


class TextIndex:
    """Which of a list of texts contain a given lowercase string. Rules run their
    regexes only on the texts that satisfy every anchor set of the regex.

    For n = 1, 2, 3 the index holds the sorted (n-gram, text) pairs of the texts.
    A key's candidate texts are those holding its rarest n-gram; a plain
    substring check on each confirms it. The texts of each anchor set are a row
    of packed bits (bit ``i`` for text ``i``), built for many sets at once, so
    that the candidates of all the patterns of a rulebook are a few array
    operations. A mask of texts given as an argument is an int of such bits."""

    def __init__(self, texts: list[str]):
        self.lowered = [lower_same_length(t) for t in texts]
        if len(self.lowered) >= 1 << _TEXT_BITS:
            raise ValueError("too many texts for one index")
        joined = "\x00".join(self.lowered)
        self._codes = _codes(joined)
        self._text_of = np.repeat(np.arange(len(self.lowered), dtype=np.int64),
                                  [len(t) + 1 for t in self.lowered])[:len(joined)]
        self._pairs: dict[int, tuple] = {}

    def _table(self, n: int) -> tuple[np.ndarray, np.ndarray, list[int]]:
        """The sorted (n-gram, text) pairs, and the text of each pair (as an array and a list)."""
        if n not in self._pairs:
            pairs = np.sort((_grams(self._codes, n) << _TEXT_BITS) | self._text_of[:len(self._codes) - n + 1])
            keep = np.ones(len(pairs), dtype=bool)
            keep[1:] = pairs[1:] != pairs[:-1]
            pairs = pairs[keep]
            texts = pairs & ((1 << _TEXT_BITS) - 1)
            self._pairs[n] = pairs, texts, texts.tolist()
        return self._pairs[n]

    def _unions(self, sets: tuple[Anchors, ...]) -> np.ndarray:
        """One row of packed bits per anchor set, in 64-bit words: the texts that
        hold one of its strings."""
        held = np.zeros((len(sets), (len(self.lowered) // 64 + 1) * 64), dtype=bool)
        if sets:
            keys, lengths, by_size, in_sets, counts = _layout(sets)
            rows, texts = self._key_texts(keys, lengths, by_size)
            # A text holding a key is in every set of the key.
            per_pair = counts[rows]
            at = ranges((np.cumsum(counts) - counts)[rows], per_pair)
            held[in_sets[at], np.repeat(texts, per_pair)] = True
        return np.packbits(held, axis=1, bitorder="little").view("<u8")

    def pattern_candidates(self, patterns: PatternAnchors, among: int | None = None) -> tuple[list[int], list[int]]:
        """The pairs (pattern, text), pattern by pattern and in text order, of
        the texts (of the mask ``among``, if given) that satisfy one of the
        pattern's options (see :func:`requirement_options`): they contain a
        string of every anchor set of that option; an empty option is
        satisfied by every text. Returned as a list of patterns and a list of
        texts."""
        unions = self._unions(patterns.sets)
        allowed = (1 << len(self.lowered)) - 1 if among is None else among
        allowed = np.frombuffer(allowed.to_bytes(unions.shape[1] * 8, "little"), dtype="<u8")
        table = np.vstack([unions & allowed, allowed])
        options = np.bitwise_and.reduce(table[patterns.rows], axis=1)
        found = np.bitwise_or.reduceat(options, patterns.starts, axis=0)
        pattern, text = np.nonzero(np.unpackbits(found.view(np.uint8), axis=1, bitorder="little"))
        return pattern.tolist(), text.tolist()

    def _key_texts(self, keys: tuple[str, ...], lengths: np.ndarray, by_size) -> tuple[np.ndarray, np.ndarray]:
        """The pairs (key, text) of the texts that contain each key, as two arrays."""
        lowered = self.lowered
        rows, found = [], []
        for n, (grams, owners) in by_size.items():
            table, texts, text_list = self._table(n)
            low = np.searchsorted(table, grams << _TEXT_BITS)
            high = np.searchsorted(table, (grams + 1) << _TEXT_BITS)
            # For each key, its n-gram held by the fewest texts.
            order = np.lexsort((high - low, owners))
            first = np.ones(len(order), dtype=bool)
            first[1:] = owners[order][1:] != owners[order][:-1]
            chosen, low, high = owners[order][first], low[order][first], high[order][first]
            # A key of n characters is its own n-gram: every text holding that holds the key.
            exact = lengths[chosen] == n
            counts = np.where(exact, high - low, 0)
            rows.append(np.repeat(chosen, counts))
            found.append(texts[ranges(low, counts)])
            confirmed_rows, confirmed = [], []
            starts, ends, owner_list = low.tolist(), high.tolist(), chosen.tolist()
            for row in np.flatnonzero(~exact & (high > low)).tolist():
                key = keys[owner_list[row]]
                holding = [t for t in text_list[starts[row]:ends[row]] if key in lowered[t]]
                confirmed_rows += [owner_list[row]] * len(holding)
                confirmed += holding
            rows.append(np.array(confirmed_rows, dtype=np.int64))
            found.append(np.array(confirmed, dtype=np.int64))
        if not rows:
            return np.zeros(0, dtype=np.int64), np.zeros(0, dtype=np.int64)
        return np.concatenate(rows), np.concatenate(found)

    def mask(self, indices) -> int:
        """The mask of the texts with these indices."""
        out = 0
        for i in indices:
            out |= 1 << i
        return out
