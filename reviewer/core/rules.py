"""The rulebook: topics, checklist items, detection rules and red flags, loaded
from ``resources/rules/<ruleset>/`` and validated on load."""
from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass, field
from functools import cached_property, lru_cache
from pathlib import Path

import yaml

from .resources import resource_path
from .tokenmatch import PatternError, check_pattern
from .results import SEVERITIES, RulesetInfo


RED_FLAG_CHECKS = ("deadline_over_limit", "missing_effective_date", "sensitive_without_separate_consent", "empty_contact_field", "no_named_party")


# libyaml's loader reads the rulebook about ten times faster than the pure-Python one.
_LOADER = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


class RulesetError(Exception):
    """The rule files are inconsistent; the message names the file and the entry."""


@dataclass(frozen=True)
class Item:
    id: str  # "retention#RT-1"
    code: str
    topic: str
    question: str
    severity: str
    severity_label: str
    basis: str
    verify: bool = False
    verify_note: str = ""
    applies_if: str | None = None
    not_applicable_reason: str = ""
    looked_for: str = ""  # what the engine searches for, shown for missing items
    met_with: tuple[str, ...] = ()  # items whose being met together answers this one
    parts: tuple["Part", ...] = ()  # what a full answer names; the reason lists those not found


@dataclass(frozen=True)
class Part:
    """One thing an item's answer must name (a right, a recipient's contact...),
    found when one of its patterns matches a clause about the topic. A pattern
    that holds Chinese characters is for Chinese text, the others for English."""
    name: str
    english: tuple[re.Pattern, ...]
    chinese: tuple[re.Pattern, ...]

    def found_in(self, text: str, lang: str) -> bool:
        patterns = (self.chinese if lang == "zh" else self.english if lang == "en"
                    else self.english + self.chinese)
        return any(p.search(text) for p in patterns)


@dataclass(frozen=True)
class Topic:
    id: str
    prefix: str
    title_en: str
    title_zh: str
    sources: str
    items: tuple[Item, ...]
    signals: dict = field(default_factory=dict)


@dataclass(frozen=True)
class Rule:
    """A detection rule: cue words for one topic in one language."""

    id: str  # "retention/period-stated"
    topic: str
    lang: str  # en | zh
    items: tuple[str, ...] = ()
    strength: str = "strong"  # strong: marks a sentence alone; weak: needs context
    phrases: tuple[str, ...] = ()
    patterns: tuple = ()  # spaCy Matcher token patterns
    regex: tuple[str, ...] = ()
    sets: tuple[str, ...] = ()  # conditions set by a positive (not negated) match
    score: float = 1.0
    unless_sentence: tuple[str, ...] = ()  # regexes: the rule's cues do not count in a sentence that matches one
    unless_section: tuple[str, ...] = ()  # regexes: nor under an innermost heading that matches one


@dataclass(frozen=True)
class RedFlagRule:
    id: str
    topic: str
    lang: str
    why: str
    basis: str
    items: tuple[str, ...] = ()
    phrases: tuple[str, ...] = ()  # matched case-insensitively on whole words
    regex: tuple[str, ...] = ()
    unless_document: tuple[str, ...] = ()  # regexes: no flag if the policy contains one
    unless_sentence: tuple[str, ...] = ()  # regexes: no flag if the sentence contains one
    check: str = ""  # one of RED_FLAG_CHECKS; phrases/regex then give the context it applies in
    limit_working_days: int = 15


@dataclass(frozen=True)
class Ruleset:
    info: RulesetInfo
    topics: tuple[Topic, ...]
    conditions: dict[str, str]
    rules: tuple[Rule, ...]
    red_flags: tuple[RedFlagRule, ...]
    headings: dict[str, dict[str, tuple[str, ...]]]  # topic -> lang -> heading cues (regex)
    lexicons: dict

    @cached_property
    def items(self) -> dict[str, Item]:
        return {item.id: item for topic in self.topics for item in topic.items}

    def topic(self, topic_id: str) -> Topic:
        return next(t for t in self.topics if t.id == topic_id)


def _read(path: Path):
    try:
        with open(path, encoding="utf-8") as fh:
            return yaml.load(fh, Loader=_LOADER)
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        where = f"line {mark.line + 1}, column {mark.column + 1}: " if mark else ""
        problem = getattr(exc, "problem", None) or " ".join(str(exc).split())
        raise RulesetError(f"{path.name}: not valid YAML ({where}{problem})") from None


def _tuple(value) -> tuple:
    if value is None:
        return ()
    if isinstance(value, (list, tuple)):
        return tuple(value)
    return (value,)


GENERIC_WORDS = {"information", "personal information", "data", "personal data", "personal", "use", "we", "you",
                 "your", "our", "us", "the", "and", "or", "of", "to", "such as", "including", "service",
                 "services", "third party", "third parties", "may", "will", "个人信息", "信息", "数据", "我们",
                 "您", "使用", "服务"}
_GLOBAL_FLAGS = re.compile(r"\(\?[aiLmsux]+\)")
RULE_KEYS = {"id", "lang", "items", "strength", "phrases", "patterns", "regex", "sets", "score", "unless_sentence",
             "unless_section"}
RED_FLAG_KEYS = {"id", "topic", "lang", "why", "basis", "items", "phrases", "regex", "unless_document",
                 "unless_sentence", "check", "limit_working_days"}


def _check_regexes(where: str, patterns) -> None:
    for pattern in patterns:
        try:
            re.compile(pattern)
        except re.error as exc:
            raise RulesetError(f"{where}: bad regex {pattern!r}: {exc}") from None


def _load_topics(root: Path) -> tuple[tuple[Topic, ...], dict[str, str]]:
    conditions = {c["id"]: c["description"] for c in _read(root / "conditions.yaml")}
    topics = []
    for t in _read(root / "topics.yaml"):
        items = []
        for raw in t["items"]:
            where = f"topics.yaml: {raw.get('id')}"
            if raw["id"] != f"{t['id']}#{raw['code']}":
                raise RulesetError(f"{where}: id must be '{t['id']}#{raw['code']}'")
            if raw["severity"] not in SEVERITIES:
                raise RulesetError(f"{where}: severity must be one of {', '.join(SEVERITIES)}")
            if raw.get("applies_if") and raw["applies_if"] not in conditions:
                raise RulesetError(f"{where}: unknown condition {raw['applies_if']!r}")
            items.append(Item(id=raw["id"], code=raw["code"], topic=t["id"],
                              question=raw["question"], severity=raw["severity"],
                              severity_label=raw.get("severity_label", ""), basis=raw["basis"],
                              verify=bool(raw.get("verify")), verify_note=raw.get("verify_note") or "",
                              applies_if=raw.get("applies_if"),
                              not_applicable_reason=raw.get("not_applicable_reason") or "",
                              looked_for=raw.get("looked_for") or "",
                              met_with=_tuple(raw.get("met_with")),
                              parts=_parts(where, raw.get("parts"))))
        topics.append(Topic(id=t["id"], prefix=t["prefix"], title_en=t["title_en"],
                            title_zh=t["title_zh"], sources=t.get("sources", ""),
                            items=tuple(items), signals=t.get("signals") or {}))
    return tuple(topics), conditions


_CJK = re.compile(r"[\u3400-\u9fff]")


def _parts(where: str, raw) -> tuple[Part, ...]:
    parts = []
    for part in raw or ():
        if not isinstance(part, dict) or not part.get("name") or not part.get("regex"):
            raise RulesetError(f"{where}: each part needs a name and a regex list")
        _check_regexes(where, part["regex"])
        patterns = [re.compile(r, re.I) for r in part["regex"]]
        english = tuple(p for p in patterns if not _CJK.search(p.pattern))
        chinese = tuple(p for p in patterns if _CJK.search(p.pattern))
        if not english or not chinese:
            raise RulesetError(f"{where}: part {part['name']!r} needs an English and a Chinese pattern")
        parts.append(Part(part["name"], english, chinese))
    return tuple(parts)


def _check_met_with(topics, item_ids: set[str]) -> None:
    for item in (item for topic in topics for item in topic.items):
        unknown = [i for i in item.met_with if i not in item_ids or i == item.id]
        if unknown:
            raise RulesetError(f"topics.yaml: {item.id}: met_with names an unknown item {unknown[0]!r}")


def _load_rules(root: Path, topic_ids: set[str], item_ids: set[str], conditions: dict):
    rules: list[Rule] = []
    headings: dict[str, dict[str, tuple[str, ...]]] = {}
    for path in sorted((root / "detect").glob("*.yaml")):
        data = _read(path)
        topic = data["topic"]
        if topic not in topic_ids:
            raise RulesetError(f"{path.name}: unknown topic {topic!r}")
        headings[topic] = {lang: _tuple(cues) for lang, cues in (data.get("headings") or {}).items()}
        for lang, cues in headings[topic].items():
            _check_regexes(f"{path.name}: headings.{lang}", cues)
            for cue in cues:
                if _GLOBAL_FLAGS.match(cue):
                    raise RulesetError(f"{path.name}: headings.{lang}: {cue!r}: heading cues are matched "
                                       "case-insensitively and combined; drop the inline flags")
        for raw in data.get("rules") or []:
            where = f"{path.name}: {raw.get('id')}"
            _check_keys(where, raw, RULE_KEYS)
            if not str(raw.get("id", "")).startswith(f"{topic}/"):
                raise RulesetError(f"{where}: rule ids must start with '{topic}/'")
            items = tuple(i if "#" in i else f"{topic}#{i}" for i in _tuple(raw.get("items")))
            for item in items:
                if item not in item_ids:
                    raise RulesetError(f"{where}: unknown checklist item {item!r}")
            for cond in _tuple(raw.get("sets")):
                if cond not in conditions:
                    raise RulesetError(f"{where}: unknown condition {cond!r}")
            if raw.get("lang") not in ("en", "zh"):
                raise RulesetError(f"{where}: lang must be en or zh")
            if raw.get("strength", "strong") not in ("strong", "weak"):
                raise RulesetError(f"{where}: strength must be strong or weak")
            if not (raw.get("phrases") or raw.get("patterns") or raw.get("regex")):
                raise RulesetError(f"{where}: a rule needs phrases, patterns or regex")
            _check_regexes(where, _tuple(raw.get("regex")) + _tuple(raw.get("unless_sentence"))
                           + _tuple(raw.get("unless_section")))
            generic = [p for p in _tuple(raw.get("phrases")) if p.strip().lower() in GENERIC_WORDS]
            if generic and raw.get("strength", "strong") == "strong":
                # Often a comma inside a phrase list: [information, such as] is two phrases.
                raise RulesetError(f"{where}: phrase {generic[0]!r} alone is too common to be a strong cue "
                                   "(quote phrases that contain a comma)")
            if raw["lang"] == "zh" and raw.get("patterns"):
                raise RulesetError(f"{where}: Chinese rules use phrases or regex; token patterns are for English "
                                   "(every Chinese character is a token, so a phrase says the same)")
            spaced = [p for p in _tuple(raw.get("phrases")) if raw["lang"] == "zh" and re.search(r"\s\s|[^\S ]", p)]
            if spaced:
                raise RulesetError(f"{where}: Chinese phrase {spaced[0]!r} may hold single spaces only")
            for pattern in _tuple(raw.get("patterns")):
                try:
                    check_pattern(pattern)
                except PatternError as exc:
                    raise RulesetError(f"{where}: bad token pattern: {exc}") from None
            rules.append(Rule(id=raw["id"], topic=topic, lang=raw["lang"], items=items,
                              strength=raw.get("strength", "strong"),
                              phrases=_tuple(raw.get("phrases")),
                              patterns=tuple(_tuple(raw.get("patterns"))),
                              regex=_tuple(raw.get("regex")), sets=_tuple(raw.get("sets")),
                              score=float(raw.get("score", 1.0)),
                              unless_sentence=_tuple(raw.get("unless_sentence")),
                              unless_section=_tuple(raw.get("unless_section"))))
    ids = [r.id for r in rules]
    duplicates = {i for i in ids if ids.count(i) > 1}
    if duplicates:
        raise RulesetError(f"duplicate rule ids: {', '.join(sorted(duplicates))}")
    return tuple(rules), headings


def _check_keys(where: str, raw: dict, allowed: set[str]) -> None:
    unknown = sorted(set(raw) - allowed)
    if unknown:
        raise RulesetError(f"{where}: unknown field {unknown[0]!r} (allowed: {', '.join(sorted(allowed))})")


def _load_red_flags(root: Path, topic_ids: set[str], item_ids: set[str]):
    flags = []
    for raw in _read(root / "red_flags.yaml") or []:
        where = f"red_flags.yaml: {raw.get('id')}"
        _check_keys(where, raw, RED_FLAG_KEYS)
        if raw.get("topic") not in topic_ids:
            raise RulesetError(f"{where}: unknown topic {raw.get('topic')!r}")
        items = tuple(i if "#" in i else f"{raw['topic']}#{i}" for i in _tuple(raw.get("items")))
        for item in items:
            if item not in item_ids:
                raise RulesetError(f"{where}: unknown checklist item {item!r}")
        if not raw.get("why") or not raw.get("basis"):
            raise RulesetError(f"{where}: a red flag needs a why and a basis")
        if raw.get("check") and raw["check"] not in RED_FLAG_CHECKS:
            raise RulesetError(f"{where}: unknown check {raw['check']!r}")
        if not (raw.get("phrases") or raw.get("regex") or raw.get("check")):
            raise RulesetError(f"{where}: a red flag needs phrases, regex or a check")
        for key in ("regex", "unless_document", "unless_sentence"):
            _check_regexes(where, _tuple(raw.get(key)))
        flags.append(RedFlagRule(id=raw["id"], topic=raw["topic"], lang=raw.get("lang", "en"),
                                 why=raw["why"], basis=raw["basis"], items=items,
                                 phrases=_tuple(raw.get("phrases")),
                                 regex=_tuple(raw.get("regex")),
                                 unless_document=_tuple(raw.get("unless_document")),
                                 unless_sentence=_tuple(raw.get("unless_sentence")),
                                 check=raw.get("check", ""),
                                 limit_working_days=int(raw.get("limit_working_days", 15))))
    return tuple(flags)


def _digest(root: Path) -> str:
    h = hashlib.sha256()
    for path in sorted(root.rglob("*.yaml")):
        h.update(path.relative_to(root).as_posix().encode())
        h.update(path.read_bytes())
    return h.hexdigest()


def load_ruleset_from(root: Path) -> Ruleset:
    meta = _read(root / "ruleset.yaml")
    topics, conditions = _load_topics(root)
    topic_ids = {t.id for t in topics}
    item_ids = {i.id for t in topics for i in t.items}
    _check_met_with(topics, item_ids)
    rules, headings = _load_rules(root, topic_ids, item_ids, conditions)
    red_flags = _load_red_flags(root, topic_ids, item_ids)
    lexicons = _read(root / "lexicons.yaml") if (root / "lexicons.yaml").exists() else {}
    for entry in (lexicons or {}).get("pi_categories", ()):
        _check_regexes(f"lexicons.yaml: {entry.get('label')}", entry.get("unless_sentence", ()))
    info = RulesetInfo(id=meta["id"], version=str(meta["version"]), sha256=_digest(root))
    return Ruleset(info=info, topics=topics, conditions=conditions, rules=rules,
                   red_flags=red_flags, headings=headings, lexicons=lexicons or {})


@lru_cache(maxsize=4)
def load_ruleset(name: str = "pipl") -> Ruleset:
    return load_ruleset_from(resource_path("rules", name))
