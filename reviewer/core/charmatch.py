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

import ahocorasick
import numpy as np

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
        if self._automaton is None:
            automaton = ahocorasick.Automaton()
            for key, ids in self._ids.items():
                automaton.add_word(key, (len(key), tuple(ids)))
            if len(automaton):
                automaton.make_automaton()
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
        begins = np.cumsum([0] + [len(text) + 1 for text, _ in texts[:-1]])
        owner = np.searchsorted(begins, at, side="right") - 1
        where = (at - begins[owner] + np.array([offset for _, offset in texts])[owner]).tolist()
        found = sorted((last + 1 - size, last, n) for last, (size, ids) in automaton.iter(string) for n in ids)
        names = self.names
        return [(names[n], where[first], where[last] + 1) for first, last, n in found]
