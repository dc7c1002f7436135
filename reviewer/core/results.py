"""Analysis results: frozen dataclasses that serialise to the review JSON."""
from __future__ import annotations

from dataclasses import asdict, dataclass, field, fields

STATUSES = ("met", "missing", "needs_review", "not_applicable")
SEVERITIES = ("law", "standard", "best_practice")


@dataclass(frozen=True)
class Match:
    """A matched word or phrase, with offsets into ``Document.text``."""

    text: str
    start: int
    end: int


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
            "findings": [asdict(f) for f in self.findings],
            "checklist": [asdict(v) for v in self.checklist],
            "red_flags": [asdict(r) for r in self.red_flags],
            "facts": [asdict(f) for f in self.facts],
            "ruleset": asdict(self.ruleset),
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
