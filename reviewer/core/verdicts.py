"""Checklist verdicts: one status per item, with its evidence and reason."""
from __future__ import annotations

from collections import defaultdict
from dataclasses import replace

from .results import Verdict

MET_SCORE = 0.6


def decide(ruleset, findings, red_flags, facts, conditions, lang: str = "en") -> list[Verdict]:
    by_item = defaultdict(list)
    by_topic = defaultdict(list)
    for f in findings:
        by_topic[f.topic].append(f)
        for item in f.items:
            by_item[item].append(f)
    flags_by_item = defaultdict(list)
    for flag in red_flags:
        for item in flag.items:
            flags_by_item[item].append(flag)
    fact_kinds = {f.kind for f in facts}
    item_facts = ruleset.lexicons.get("item_facts", {})
    detectable = _detectable(ruleset)

    verdicts = []
    for topic in ruleset.topics:
        for item in topic.items:
            evidence = sorted(by_item[item.id], key=lambda f: -f.score)
            ids = tuple(f.id for f in evidence[:5])
            status, reason = _status(item, evidence, flags_by_item[item.id], by_topic[topic.id],
                                     conditions, ruleset, fact_kinds, item_facts, detectable, lang)
            verdicts.append(Verdict(item=item.id, topic=topic.id, status=status,
                                    severity=item.severity, basis=item.basis,
                                    evidence=ids if status != "not_applicable" else (),
                                    reason=reason, verify=item.verify))
    return _met_with(ruleset, verdicts, flags_by_item)


def _met_with(ruleset, verdicts: list[Verdict], flags_by_item) -> list[Verdict]:
    """An item with ``met_with`` and no red flag of its own is met when every
    item it names has evidence (met, or under review): the policy answers it by
    what it sets out elsewhere (FA-1: the categories and purposes of processing
    are stated)."""
    by_id = {v.item: v for v in verdicts}
    out = []
    for v in verdicts:
        parts = [by_id[i] for i in ruleset.items[v.item].met_with]
        answered = all(p.evidence and p.status in ("met", "needs_review") for p in parts)
        if parts and answered and v.status in ("missing", "needs_review") and not flags_by_item[v.item]:
            evidence = tuple(dict.fromkeys(e for p in parts for e in p.evidence[:2]))
            codes = ", ".join(ruleset.items[p.item].code for p in parts)
            v = replace(v, status="met", evidence=evidence, reason=f"Answered by the clauses found for {codes}.")
        out.append(v)
    return out


def _status(item, evidence, flags, topic_findings, conditions, ruleset, fact_kinds, item_facts,
            detectable, lang) -> tuple[str, str]:
    if item.applies_if and item.applies_if not in conditions:
        return "not_applicable", (item.not_applicable_reason
                                  or f"Not triggered: {ruleset.conditions[item.applies_if]}")
    needed = item_facts.get(item.id)
    if needed and not fact_kinds.intersection(needed):
        if evidence or topic_findings:
            return "needs_review", (_addressed(evidence or topic_findings) + ", but no " + " or ".join(
                k.replace("_", " ") for k in needed) + " was found in the text.")
        return "missing", "Looked for: " + " or ".join(k.replace("_", " ") for k in needed) + "."
    named, unnamed = _parts_named(item, evidence, topic_findings, lang)
    if flags:
        return "needs_review", ("Red flag: " + flags[0].why
                                + _parts_note(named, unnamed, " Of what the item asks for, the clauses name "))
    if evidence:
        if evidence[0].score < MET_SCORE:  # evidence comes best first
            return "needs_review", "Only indirect evidence (section context); please confirm."
        if all(f.negated for f in evidence):
            return "met", "Answered by a negative statement; check that it covers the question."
        if unnamed:
            return "needs_review", _parts_note(named, unnamed, "Partly answered: names ")
        if named:
            return "met", f"{len(evidence)} supporting clause(s) found, naming all of: {', '.join(named)}."
        return "met", f"{len(evidence)} supporting clause(s) found."
    if needed:
        return "met", "Found in the extracted facts."
    if item.id in detectable:
        looked = item.looked_for or _looked_for(ruleset, lang).get(item.id, "")
        if named and unnamed:
            return "needs_review", _parts_note(named, unnamed, "Partly answered: names ")
        if named:
            return "needs_review", (f"The clauses on the topic name all of: {', '.join(named)}; "
                                    "please confirm that they answer the question.")
        if topic_findings:
            return "missing", (f"No clause answers it, though the topic is addressed ({len(topic_findings)} "
                               f"clause(s)). Looked for: {looked}")
        return "missing", f"No clause found. Looked for: {looked}"
    if topic_findings:
        return "needs_review", (f"{_addressed(topic_findings)} ({len(topic_findings)} clause(s)), but "
                                "this item cannot be checked automatically."
                                + _parts_note(named, unnamed, " Of what it asks for, they name "))
    return "missing", "The topic is not addressed in the policy."


# Keeps a part's pattern from matching across two clauses ([^.;] and [^。；] stop at it).
_CLAUSE_BREAK = "\n.;。；\n"


def _parts_named(item, evidence, topic_findings, lang: str) -> tuple[list[str], list[str]]:
    """The names of the item's parts that its clauses name, and of those they do not."""
    if not item.parts:
        return [], []
    text = _CLAUSE_BREAK.join(dict.fromkeys(f.text for f in (*evidence, *topic_findings)))
    named = [p.name for p in item.parts if p.found_in(text, lang)]
    return named, [p.name for p in item.parts if p.name not in named]


def _parts_note(named: list[str], unnamed: list[str], lead: str) -> str:
    """"<lead>a, b; not found: c." for an item with parts; "" for others."""
    if not named and not unnamed:
        return ""
    if not unnamed:
        return f"{lead}all of: {', '.join(named)}."
    return f"{lead}{', '.join(named) or 'none of them'}; not found: {', '.join(unnamed)}."


def _addressed(findings) -> str:
    """How sure the engine is that the topic is addressed at all."""
    if all(f.by_classifier for f in findings):
        return "Only the trained classifiers see the topic addressed"
    return "The topic is addressed"


_CACHE: dict[tuple, object] = {}  # per ruleset (by its hash)


def _detectable(ruleset) -> set[str]:
    """Items some rule or extracted fact can answer."""
    key = ("detectable", ruleset.info.sha256)
    if key not in _CACHE:
        _CACHE[key] = ({i for r in ruleset.rules for i in r.items}
                       | set(ruleset.lexicons.get("item_facts", {})))
    return _CACHE[key]


def _looked_for(ruleset, lang: str) -> dict[str, str]:
    """For each item that rules look for: a few cue phrases of its rules, in
    the policy's language first."""
    key = ("looked_for", ruleset.info.sha256, lang)
    if key not in _CACHE:
        langs = ("zh", "en") if lang == "zh" else ("en", "zh") if lang == "mixed" else ("en",)
        _CACHE[key] = {item: _cues(item, ruleset, langs) for r in ruleset.rules for item in r.items}
    return _CACHE[key]


def _cues(item_id: str, ruleset, langs: tuple[str, ...]) -> str:
    cues = []
    for wanted in langs:
        for rule in ruleset.rules:
            if item_id in rule.items and rule.lang == wanted:
                cues.extend(rule.phrases[:3])
    cues = list(dict.fromkeys(cues))[:6]
    if cues:
        return ", ".join(f"“{c}”" for c in cues)
    # Regex-only rules: name them, their ids say what they look for.
    ids = [r.id for r in ruleset.rules if item_id in r.items and r.lang in langs]
    return "clauses matching the rules " + ", ".join(dict.fromkeys(ids[:4]))
