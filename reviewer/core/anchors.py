"""Literal anchors of a regular expression: strings one of which every match
must contain. Checking for them first lets the engine skip the many rule
regexes that cannot match a document, which is most of them."""
from __future__ import annotations

import re._parser as sre_parse
from re._constants import AT, BRANCH, IN, LITERAL, MAX_REPEAT, MIN_REPEAT, SUBPATTERN

Anchors = frozenset  # of lowercase strings


def _score(anchors: Anchors | None) -> int:
    if not anchors:
        return 0
    return min(len(a) if not a.isascii() else len(a) // 2 for a in anchors) or 0


def _sequence(items) -> Anchors | None:
    """The best anchor set of a sequence: a run of literals, or the most
    selective required sub-item."""
    best: Anchors | None = None
    run = ""
    candidates: list[Anchors] = []
    for op, arg in items:
        if op == LITERAL:
            run += chr(arg).lower()
            continue
        if run:
            candidates.append(frozenset([run]))
            run = ""
        if op == AT:
            continue
        sub = _item(op, arg)
        if sub:
            candidates.append(sub)
    if run:
        candidates.append(frozenset([run]))
    for anchors in candidates:
        if _score(anchors) > _score(best):
            best = anchors
    return best


def _item(op, arg) -> Anchors | None:
    if op == SUBPATTERN:
        return _sequence(arg[-1])
    if op == BRANCH:
        out: set[str] = set()
        for branch in arg[1]:
            sub = _sequence(branch)
            if not sub:
                return None
            out |= sub
        return frozenset(out)
    if op in (MAX_REPEAT, MIN_REPEAT):
        low, _high, body = arg
        return _sequence(body) if low >= 1 else None
    if op == IN and all(kind == LITERAL for kind, _ in arg) and len(arg) <= 4:
        return frozenset(chr(value).lower() for _, value in arg)
    return None


def anchors(pattern: str) -> Anchors | None:
    """Anchor strings for ``pattern`` (matched case-insensitively), or None when
    no useful anchor exists and the regex must always run."""
    try:
        parsed = sre_parse.parse(pattern)
    except Exception:  # noqa: BLE001 - an unparseable pattern simply gets no anchor
        return None
    found = _sequence(list(parsed))
    return found if _score(found) >= 1 else None
