"""Phrase matching on the tokens of spaCy's blank Chinese pipeline, without
building spaCy documents.

``spacy.blank("zh")`` splits Chinese text into one token per character: a
single space after a character is that token's trailing space, and any other
run of whitespace is a token of its own. A phrase therefore matches wherever
its characters appear token after token, which is a substring search on the
text's *token string*: one character per token, with a whitespace-run token
written as a character no phrase contains. One Aho-Corasick pass finds every
phrase at once; building a spaCy document for every character of a long
Chinese policy cost more than all the matching.

``tests/test_charmatch.py`` checks that the tokens are spaCy's and that the
matches are those of spaCy's ``PhraseMatcher`` on ``spacy.blank("zh")``.
"""
from __future__ import annotations

from itertools import chain

import ahocorasick
import numpy as np

from .arrays import ranges

GAP = "\x00"  # stands for a whitespace-run token
# Every whitespace character lies below U+3001 (a test checks it).
_LAST_SPACE = 0x3000
_IS_SPACE = np.array([chr(c).isspace() for c in range(_LAST_SPACE + 1)])


def char_tokens(text: str) -> tuple[str, np.ndarray]:
    """The token string of ``text`` and the offset of each token in ``text``."""
    cp = np.frombuffer(text.encode("utf-32-le"), dtype=np.uint32).astype(np.int64)
    space = _IS_SPACE[np.minimum(cp, _LAST_SPACE)] & (cp <= _LAST_SPACE)
    after_char = np.zeros(len(cp), dtype=bool)
    after_char[1:] = ~space[:-1]
    trailing = (cp == ord(" ")) & after_char  # belongs to the character before it
    run = space & ~trailing
    run_start = run.copy()
    run_start[1:] &= ~run[:-1]
    starts = np.flatnonzero(~space | run_start)
    chars = np.where(space[starts], ord(GAP), cp[starts]).astype(np.uint32)
    return chars.tobytes().decode("utf-32-le"), starts


def phrase_key(phrase: str) -> str:
    return char_tokens(phrase)[0]


class CharPhraseMatcher:
    """Every occurrence of every phrase, by phrase id, like spaCy's
    ``PhraseMatcher`` with ``attr="ORTH"`` on Chinese char tokens."""

    def __init__(self) -> None:
        self._ids: dict[str, list[int]] = {}  # token string -> ids of the phrase lists that hold it
        self.names: list[str] = []
        self._automaton = None

    def add(self, name: str, phrases) -> None:
        n = len(self.names)
        self.names.append(name)
        for phrase in phrases:
            key = phrase_key(phrase)
            if key and GAP not in key:
                ids = self._ids.setdefault(key, [])
                if n not in ids:
                    ids.append(n)
        self._automaton = None

    def _built(self):
        """The automaton, whose value for a token string is its number k, and
        by k: the string's length, how many phrase lists hold it, and where
        their ids start in one array of all of them."""
        if self._automaton is None:
            automaton = ahocorasick.Automaton()
            for k, key in enumerate(self._ids):
                automaton.add_word(key, k)
            if len(automaton):
                automaton.make_automaton()
            self._sizes = np.array([len(key) for key in self._ids], dtype=np.int64)
            self._id_counts = np.array([len(ids) for ids in self._ids.values()], dtype=np.int64)
            self._id_starts = np.cumsum(self._id_counts) - self._id_counts
            self._id_list = np.array([n for ids in self._ids.values() for n in ids], dtype=np.int64)
            self._automaton = automaton
        return self._automaton

    def __call__(self, texts: list[tuple[str, int]]) -> list[tuple[str, int, int]]:
        """(phrase id, start, end) of the matches in ``texts`` (text, offset of
        its first character), as offsets plus ``offset``, sorted by start, end
        and the order the ids were added. A match never spans two texts."""
        automaton = self._built()
        if not len(automaton) or not texts:
            return []
        # Joined by a line break, which is a token of its own or part of one.
        string, at = char_tokens("\n".join(text for text, _ in texts))
        sizes = np.array([len(text) + 1 for text, _ in texts], dtype=np.int64)
        shift = np.array([offset for _, offset in texts], dtype=np.int64) - (np.cumsum(sizes) - sizes)
        where = at + np.repeat(shift, sizes)[at]  # document offset of each token
        found = np.fromiter(chain.from_iterable(automaton.iter(string)), dtype=np.int64).reshape(-1, 2)
        keys = found[:, 1]
        counts = self._id_counts[keys]  # a match of a token string is one of each phrase list holding it
        ids = self._id_list[ranges(self._id_starts[keys], counts)]
        last = np.repeat(found[:, 0], counts)
        first = last + 1 - np.repeat(self._sizes[keys], counts)
        order = np.lexsort((ids, last, first))
        names = self.names
        return list(zip([names[n] for n in ids[order].tolist()], where[first[order]].tolist(),
                        (where[last[order]] + 1).tolist()))
