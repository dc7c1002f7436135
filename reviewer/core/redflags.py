"""Red flags: problematic wording, each with why it matters and its basis."""
from __future__ import annotations

import re

from .results import RedFlag

# A calendar period counts as over the limit when it is longer than the limit
# in working days could be: 15 working days span at most 21 calendar days.
CALENDAR_PER_WORKING = 21 / 15


def _phrase_regex(phrase: str) -> str:
    escaped = re.escape(phrase).replace(r"\ ", r"\s+").replace(r"\…", r"[^.。]{0,80}?")
    return rf"\b{escaped}\b" if phrase.isascii() else escaped


_COMPILED: dict = {}


def _compiled(flag):
    if flag.id not in _COMPILED or _COMPILED[flag.id][0] != flag:
        _COMPILED[flag.id] = (flag, _compile(flag))
    return _COMPILED[flag.id][1]


def _compile(flag):
    patterns = [_phrase_regex(p) for p in flag.phrases] + list(flag.regex)
    matcher = re.compile("|".join(f"(?:{p})" for p in patterns), re.I) if patterns else None
    unless_sentence = [re.compile(p, re.I) for p in flag.unless_sentence]
    unless_document = [re.compile(p, re.I) for p in flag.unless_document]
    return matcher, unless_sentence, unless_document


def _applies_to(flag, lang: str) -> bool:
    return flag.lang in (lang, "any")


def find_red_flags(document, segments, langs, ruleset, facts) -> list[RedFlag]:
    text = document.text
    flags: list[RedFlag] = []

    def add(rule, seg, start, end, matched):
        flags.append(RedFlag(id=f"r{len(flags)}", rule=rule.id, topic=rule.topic,
                             start=seg.start if seg else start, end=seg.end if seg else end,
                             text=text[seg.start:seg.end] if seg else text[start:end],
                             matched=matched, why=rule.why, basis=rule.basis, items=rule.items))

    for rule in ruleset.red_flags:
        matcher, unless_sentence, unless_document = _compiled(rule)
        if any(p.search(text) for p in unless_document):
            continue
        if rule.check:
            _run_check(rule, matcher, segments, langs, text, facts, add)
            continue
        for seg, lang in zip(segments, langs):
            if not _applies_to(rule, lang):
                continue
            sentence = text[seg.start:seg.end]
            m = matcher.search(sentence)
            if m and not any(p.search(sentence) for p in unless_sentence):
                add(rule, seg, seg.start + m.start(), seg.start + m.end(), m.group(0))
    flags.sort(key=lambda f: (f.start, f.rule))
    return [RedFlag(**{**f.__dict__, "id": f"r{n}"}) for n, f in enumerate(flags)]


def _segment_at(segments, offset):
    for seg in segments:
        if seg.start <= offset < seg.end:
            return seg
    return None


def _run_check(rule, context, segments, langs, text, facts, add) -> None:
    if rule.check == "missing_effective_date":
        dated = [f for f in facts if f.kind in ("effective_date", "updated_date")]
        real = [f for f in dated if not f.detail.get("placeholder")]
        if real:
            return
        placeholder = next((f for f in dated if f.detail.get("placeholder")), None)
        if placeholder:
            seg = _segment_at(segments, placeholder.start)
            add(rule, seg, placeholder.start, placeholder.end, placeholder.value)
        elif segments:
            add(rule, segments[0], 0, 0, "(no effective or last-updated date found)")
    elif rule.check == "deadline_over_limit":
        for fact in facts:
            if fact.kind != "deadline":
                continue
            days = fact.detail["days"]
            limit = rule.limit_working_days
            too_long = days > limit if fact.detail.get("working") else days > limit * CALENDAR_PER_WORKING
            if not too_long:
                continue
            seg = _segment_at(segments, fact.start)
            if seg is None:
                continue
            if context is None or context.search(text[seg.start:seg.end]):
                add(rule, seg, fact.start, fact.end, fact.value)
    elif rule.check == "sensitive_without_separate_consent":
        sensitive = next((f for f in facts if f.kind == "pi_category" and f.detail.get("sensitive")), None)
        if sensitive is not None:
            seg = _segment_at(segments, sensitive.start)
            add(rule, seg, sensitive.start, sensitive.end, sensitive.value)
