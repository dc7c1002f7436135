"""A matcher for spaCy Matcher token patterns, built for rule sets with many
patterns and wide gaps.

spaCy's Matcher tries every pattern at every token and evaluates set
predicates (``{"IN": [...]}``) in Python, so its cost grows with patterns ×
tokens. Here each pattern's first token is looked up in an index of the
document's lemmas, lower-case forms and texts, and only those positions are
tried. Patterns use spaCy's syntax; ``tests/test_tokenmatch.py`` checks that
both matchers find the same spans.
"""
from __future__ import annotations

import re
from collections import defaultdict

from spacy.attrs import IS_ALPHA, IS_DIGIT, IS_PUNCT, IS_SPACE, LEMMA, LIKE_NUM, LOWER, ORTH

STRING_ATTRS = {"LEMMA": LEMMA, "LOWER": LOWER, "ORTH": ORTH, "TEXT": ORTH}
FLAG_ATTRS = {"IS_PUNCT": IS_PUNCT, "IS_ALPHA": IS_ALPHA, "IS_DIGIT": IS_DIGIT,
              "IS_SPACE": IS_SPACE, "LIKE_NUM": LIKE_NUM}
COLUMNS = [LEMMA, LOWER, ORTH, IS_PUNCT, IS_ALPHA, IS_DIGIT, IS_SPACE, LIKE_NUM]
COLUMN = {attr: n for n, attr in enumerate(COLUMNS)}
_RANGE = re.compile(r"^\{(\d*),(\d*)\}$")
MAX_REPEAT = 50


class PatternError(ValueError):
    pass


def _quantifier(op: str | None) -> tuple[int, int]:
    if op is None:
        return 1, 1
    if op == "?":
        return 0, 1
    if op == "*":
        return 0, MAX_REPEAT
    if op == "+":
        return 1, MAX_REPEAT
    m = _RANGE.match(op)
    if m:
        low = int(m.group(1) or 0)
        return low, int(m.group(2)) if m.group(2) else MAX_REPEAT
    raise PatternError(f"unsupported OP {op!r}")


def check_pattern(pattern) -> None:
    """Raise PatternError if the pattern uses anything this matcher does not support."""
    if not isinstance(pattern, (list, tuple)) or not pattern:
        raise PatternError("a pattern is a non-empty list of token specs")
    for token in pattern:
        if not isinstance(token, dict):
            raise PatternError(f"token spec must be a mapping, got {token!r}")
        _quantifier(token.get("OP"))
        for key, value in token.items():
            if key == "OP":
                continue
            if key in FLAG_ATTRS:
                if not isinstance(value, bool):
                    raise PatternError(f"{key} takes true or false")
            elif key in STRING_ATTRS:
                if isinstance(value, dict):
                    if not value or set(value) - {"IN", "NOT_IN"}:
                        raise PatternError(f"{key}: only IN and NOT_IN are supported")
                elif not isinstance(value, str):
                    raise PatternError(f"{key} takes a string or IN/NOT_IN")
            else:
                raise PatternError(f"unsupported token attribute {key!r}")


class TokenMatcher:
    def __init__(self, vocab):
        self.vocab = vocab
        self.patterns: list[tuple[str, list]] = []

    def __len__(self) -> int:
        return len(self.patterns)

    def add(self, key: str, pattern) -> None:
        check_pattern(pattern)
        compiled = []
        for token in pattern:
            tests = []
            for name, value in token.items():
                if name == "OP":
                    continue
                if name in FLAG_ATTRS:
                    tests.append((COLUMN[FLAG_ATTRS[name]], "flag", int(value)))
                    continue
                column = COLUMN[STRING_ATTRS[name]]
                if isinstance(value, str):
                    tests.append((column, "in", frozenset([self.vocab.strings.add(value)])))
                else:
                    if "IN" in value:
                        tests.append((column, "in", frozenset(self.vocab.strings.add(v) for v in value["IN"])))
                    if "NOT_IN" in value:
                        tests.append((column, "not_in",
                                      frozenset(self.vocab.strings.add(v) for v in value["NOT_IN"])))
            compiled.append((tests, *_quantifier(token.get("OP"))))
        self.patterns.append((key, compiled))

    def __call__(self, doc) -> list[tuple[str, int, int]]:
        if not len(doc) or not self.patterns:
            return []
        rows = doc.to_array(COLUMNS).tolist()
        index: dict[tuple[int, int], list[int]] = defaultdict(list)
        present: list[set[int]] = [set(), set(), set()]
        for i, row in enumerate(rows):
            for column in (0, 1, 2):
                index[(column, row[column])].append(i)
                present[column].add(row[column])
        out = []
        for key, compiled in self.patterns:
            for start in _starts(compiled, index, present, len(rows)):
                end = _match(compiled, 0, start, rows)
                if end is not None and end > start:
                    out.append((key, start, end))
        return out


def _starts(compiled, index, present, n):
    """Positions where the pattern can start: where its first token's required
    lemma, lower form or text occurs, or everywhere if it has none."""
    tests, low, _ = compiled[0]
    if low >= 1:
        for column, kind, values in tests:
            if kind == "in" and column in (0, 1, 2):
                found = values & present[column]
                if not found:
                    return ()
                if len(found) == 1:
                    return index[(column, next(iter(found)))]
                return sorted(i for v in found for i in index[(column, v)])
    return range(n)


def _fits(tests, row) -> bool:
    for column, kind, values in tests:
        value = row[column]
        if kind == "in":
            if value not in values:
                return False
        elif kind == "not_in":
            if value in values:
                return False
        elif value != values:
            return False
    return True


def _match(compiled, ti: int, pos: int, rows) -> int | None:
    """End of the shortest match of ``compiled[ti:]`` starting at ``pos``."""
    if ti == len(compiled):
        return pos
    tests, low, high = compiled[ti]
    count = 0
    while count < low:
        if pos + count >= len(rows) or not _fits(tests, rows[pos + count]):
            return None
        count += 1
    # Inside a gap, only try to go on where the next token's required value occurs.
    gate = None
    if high - low >= 2 and ti + 1 < len(compiled) and compiled[ti + 1][1] >= 1:
        gate = _required_value(compiled[ti + 1][0])
    while True:
        here = pos + count
        if gate is None or (here < len(rows) and rows[here][gate[0]] in gate[1]):
            end = _match(compiled, ti + 1, here, rows)
            if end is not None:
                return end
        if count >= high or here >= len(rows) or not _fits(tests, rows[here]):
            return None
        count += 1


def _required_value(tests):
    """(column, values) of a lemma/lower/text test that a token must pass, if any."""
    for column, kind, values in tests:
        if kind == "in" and column in (0, 1, 2):
            return column, values
    return None
