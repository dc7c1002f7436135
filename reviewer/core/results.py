"""Analysis results: frozen dataclasses that serialise to the review JSON."""
from __future__ import annotations

import bisect
from dataclasses import dataclass, field, fields, is_dataclass

import numpy as np

from .document import Document

_FIELD_NAMES: dict[type, tuple[str, ...]] = {}


def plain(obj) -> dict:
    """``dataclasses.asdict`` for these results, without its deep copies (several
    times faster on a large review): they hold only strings, numbers, tuples
    and other results."""
    cls = type(obj)
    names = _FIELD_NAMES.get(cls)
    if names is None:
        names = _FIELD_NAMES[cls] = tuple(f.name for f in fields(cls))
    return {name: _plain_value(getattr(obj, name)) for name in names}


def _plain_value(value):
    if isinstance(value, (tuple, list)):
        return type(value)(_plain_value(v) for v in value)
    if isinstance(value, dict):
        return {k: _plain_value(v) for k, v in value.items()}
    if is_dataclass(value) and not isinstance(value, type):
        return plain(value)
    return value


STATUSES = ("met", "missing", "needs_review", "not_applicable")
SEVERITIES = ("law", "standard", "best_practice")


@dataclass(frozen=True)
class Match:
    """A matched word or phrase, with offsets into ``Document.text``."""

    text: str
    start: int
    end: int


CLASSIFIER_RULE_PREFIX = "classifier/"  # rule ids of classifier findings: classifier/<model>/<category>


@dataclass(frozen=True)
class Finding:
    id: str  # stable within an analysis, e.g. "f12"
    topic: str
    items: tuple[str, ...]  # full item ids, e.g. ("retention#RT-1",)
    start: int
    end: int
    text: str
    rule: str  # e.g. "retention/period-stated"
    matched: tuple[Match, ...]
    score: float
    negated: bool = False
    segment: int | None = None
    basis: str = ""  # legal basis of the items it supports
    how: str = ""  # how the clause was tied to the topic, in a reviewer's words

    @property
    def by_classifier(self) -> bool:
        """Found by a trained classifier rather than by a rule."""
        return self.rule.startswith(CLASSIFIER_RULE_PREFIX)


@dataclass(frozen=True)
class Verdict:
    item: str  # "retention#RT-1"
    topic: str
    status: str  # one of STATUSES
    severity: str  # one of SEVERITIES
    basis: str
    evidence: tuple[str, ...] = ()  # finding ids
    reason: str = ""
    verify: bool = False  # the reference marks the basis "⚠ verify"


@dataclass(frozen=True)
class RedFlag:
    id: str
    rule: str
    topic: str
    start: int
    end: int
    text: str  # the quoted sentence
    matched: str  # the words that triggered it
    why: str
    basis: str
    items: tuple[str, ...] = ()


@dataclass(frozen=True)
class Fact:
    kind: str  # processor_name | email | phone | address | date | retention_period | deadline | third_party | pi_category
    value: str
    start: int
    end: int
    detail: dict = field(default_factory=dict)  # e.g. {"sensitive": True}, {"days": 15, "working": True}


@dataclass(frozen=True)
class RulesetInfo:
    id: str
    version: str
    sha256: str


@dataclass(frozen=True)
class Analysis:
    findings: tuple[Finding, ...]
    checklist: tuple[Verdict, ...]
    red_flags: tuple[RedFlag, ...]
    facts: tuple[Fact, ...]
    ruleset: RulesetInfo
    conditions: tuple[str, ...] = ()  # applicability conditions the policy triggered

    def to_json(self) -> dict:
        return {
            "findings": [plain(f) for f in self.findings],
            "checklist": [plain(v) for v in self.checklist],
            "red_flags": [plain(r) for r in self.red_flags],
            "facts": [plain(f) for f in self.facts],
            "ruleset": plain(self.ruleset),
            "conditions": list(self.conditions),
        }

    @classmethod
    def from_json(cls, data: dict) -> "Analysis":
        def build(kind, row):
            names = {f.name for f in fields(kind)}
            row = {k: v for k, v in row.items() if k in names}
            for key, value in row.items():
                if isinstance(value, list):
                    row[key] = tuple(Match(**m) if key == "matched" and isinstance(m, dict) else m
                                     for m in value)
            return kind(**row)

        return cls(
            findings=tuple(build(Finding, f) for f in data.get("findings", [])),
            checklist=tuple(build(Verdict, v) for v in data.get("checklist", [])),
            red_flags=tuple(build(RedFlag, r) for r in data.get("red_flags", [])),
            facts=tuple(build(Fact, f) for f in data.get("facts", [])),
            ruleset=RulesetInfo(**data["ruleset"]),
            conditions=tuple(data.get("conditions", [])),
        )


@dataclass(frozen=True)
class Segment:
    id: int
    start: int
    end: int
    kind: str  # heading | contents | sentence | list_item | table_cell
    section: str  # e.g. "4. Sharing › 4.1 Partners"
    page: int | None = None
    block: int = 0  # index into Document.blocks
    level: int = 0  # heading depth in the section tree
    lead: int | None = None  # for list items: the sentence that introduces the list


def segment_index(segments: list[Segment], offset: int) -> int | None:
    """Index of the segment that contains ``offset`` (segments are in text order)."""
    i = bisect.bisect_right(segments, offset, key=lambda s: s.start) - 1
    return i if _holds(segments, i, offset) else None


def segments_at(segments: list[Segment], offsets: list[int]) -> list[Segment | None]:
    """The segment holding each offset (or None), for many offsets at once."""
    if not segments:
        return [None] * len(offsets)
    starts = np.array([s.start for s in segments], dtype=np.int64)
    ends = np.array([s.end for s in segments], dtype=np.int64)
    offsets = np.asarray(offsets, dtype=np.int64)
    at = np.maximum(np.searchsorted(starts, offsets, side="right") - 1, 0)
    holds = (offsets >= starts[0]) & (offsets < ends[at])
    return [segments[i] if ok else None for i, ok in zip(at.tolist(), holds.tolist())]


def _holds(segments: list[Segment], i: int, offset: int) -> bool:
    """Segment ``i``, the last one starting at or before ``offset``, contains it."""
    return 0 <= i < len(segments) and offset < segments[i].end


def segment_at(segments: list[Segment], offset: int) -> Segment | None:
    i = segment_index(segments, offset)
    return None if i is None else segments[i]


@dataclass(frozen=True)
class Review:
    """A document with its segments and their analysis."""
    document: Document
    segments: list[Segment]
    analysis: Analysis
