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

import numpy as np

# The token attributes a pattern may test, by the column of the token table
# that holds them. spaCy is imported only to match, so the rulebook can be
# validated without it.
COLUMN_NAMES = ["LEMMA", "LOWER", "ORTH", "IS_PUNCT", "IS_ALPHA", "IS_DIGIT", "IS_SPACE", "LIKE_NUM"]
STRING_ATTRS = {"LEMMA": 0, "LOWER": 1, "ORTH": 2, "TEXT": 2}
FLAG_ATTRS = {"IS_PUNCT": 3, "IS_ALPHA": 4, "IS_DIGIT": 5, "IS_SPACE": 6, "LIKE_NUM": 7}
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
                    tests.append((FLAG_ATTRS[name], "flag", int(value)))
                    continue
                column = STRING_ATTRS[name]
                if isinstance(value, str):
                    tests.append((column, "in", frozenset([self.vocab.strings.add(value)])))
                else:
                    if "IN" in value:
                        tests.append((column, "in", frozenset(self.vocab.strings.add(v) for v in value["IN"])))
                    if "NOT_IN" in value:
                        tests.append((column, "not_in",
                                      frozenset(self.vocab.strings.add(v) for v in value["NOT_IN"])))
            compiled.append((tests, *_quantifier(token.get("OP"))))
        self.patterns.append((key, compiled, _first_required(compiled), _last_required(compiled)))
        self._wanted_values = None

    def __call__(self, doc) -> list[tuple[str, int, int]]:
        return self.match_docs([doc])[0]

    def match_docs(self, docs) -> list[list[tuple[str, int, int]]]:
        """Matches (key, start, end) of each doc, in token offsets of that doc.
        All docs are matched in one pass; a match never crosses from one doc
        into the next."""
        out: list[list[tuple[str, int, int]]] = [[] for _ in docs]
        if not self.patterns:
            return out
        from spacy import attrs

        columns = [getattr(attrs, name) for name in COLUMN_NAMES]
        arrays = [doc.to_array(columns) for doc in docs if len(doc)]
        if not arrays:
            return out
        table = np.concatenate(arrays)
        rows = table.tolist()
        lengths = np.array([len(doc) for doc in docs])
        ends = np.cumsum(lengths)
        first_token = ends - lengths
        # The end of the doc holding each token: no match may run past it.
        limits = np.repeat(ends, lengths)
        limit = limits.tolist()
        index = self._token_index(table)
        everything = np.arange(len(rows))
        for key, compiled, first, last in self.patterns:
            starts = everything if first is None else _positions(index, first)
            if last is not None and len(starts):
                # Only try starts with the last required token close enough after them.
                fewest, most, required = last
                ahead = _positions(index, required)
                at = np.searchsorted(ahead, starts + fewest)
                found = at < len(ahead)
                near = ahead[np.minimum(at, len(ahead) - 1)] if len(ahead) else at
                starts = starts[found & (near < np.minimum(starts + most + 1, limits[starts]))]
            for start in starts.tolist():
                end = _match(compiled, 0, start, rows, limit[start])
                if end is not None and end > start:
                    n = int(np.searchsorted(ends, start, side="right"))
                    base = int(first_token[n])
                    out[n].append((key, start - base, end - base))
        return out

    def _token_index(self, table) -> dict[tuple[int, int], np.ndarray]:
        """Positions of the tokens that can start or end some pattern, by (column, value)."""
        if self._wanted_values is None:
            wanted: dict[int, set[int]] = defaultdict(set)
            for _, _, first, last in self.patterns:
                for column, values in [first, last[2] if last else None]:
                    if values:
                        wanted[column] |= values
            self._wanted_values = {c: np.array(sorted(v), dtype=np.uint64) for c, v in wanted.items()}
        index: dict[tuple[int, int], np.ndarray] = {}
        for column, values in self._wanted_values.items():
            col = table[:, column]
            hits = np.flatnonzero(np.isin(col, values))
            found = col[hits]
            order = np.argsort(found, kind="stable")
            hits, found = hits[order], found[order]
            distinct, first = np.unique(found, return_index=True)
            for value, positions in zip(distinct.tolist(), np.split(hits, first[1:])):
                index[(column, value)] = positions
        return index


def _first_required(compiled):
    """(column, values) that the first token of every match has, if any."""
    tests, low, _ = compiled[0]
    return _required_value(tests) if low >= 1 else None


def _last_required(compiled):
    """(fewest, most tokens before it, (column, values)) of the last token after
    the first that every match has and that requires a value, if any."""
    for j in range(len(compiled) - 1, 0, -1):
        tests, low, _ = compiled[j]
        required = _required_value(tests) if low >= 1 else None
        if required is not None:
            fewest = sum(t[1] for t in compiled[:j])
            most = sum(t[2] for t in compiled[:j])
            return fewest, most, required
    return None


def _positions(index, required) -> np.ndarray:
    """Sorted positions of the tokens with one of the ``(column, values)``."""
    column, values = required
    found = [index[(column, v)] for v in values if (column, v) in index]
    if len(found) <= 1:
        return found[0] if found else np.zeros(0, dtype=np.int64)
    return np.sort(np.concatenate(found))


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


def _match(compiled, ti: int, pos: int, rows, limit: int) -> int | None:
    """End of the shortest match of ``compiled[ti:]`` starting at ``pos`` and
    ending by ``limit``."""
    if ti == len(compiled):
        return pos
    tests, low, high = compiled[ti]
    count = 0
    while count < low:
        if pos + count >= limit or not _fits(tests, rows[pos + count]):
            return None
        count += 1
    # Inside a gap, only try to go on where the next token's required value occurs.
    gate = None
    if high - low >= 2 and ti + 1 < len(compiled) and compiled[ti + 1][1] >= 1:
        gate = _required_value(compiled[ti + 1][0])
    while True:
        here = pos + count
        if gate is None or (here < limit and rows[here][gate[0]] in gate[1]):
            end = _match(compiled, ti + 1, here, rows, limit)
            if end is not None:
                return end
        if count >= high or here >= limit or not _fits(tests, rows[here]):
            return None
        count += 1


def _required_value(tests):
    """(column, values) of a lemma/lower/text test that a token must pass, if any."""
    for column, kind, values in tests:
        if kind == "in" and column in (0, 1, 2):
            return column, values
    return None
