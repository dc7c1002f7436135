"""Red flags: problematic wording, each with why it matters and its basis.

A red-flag rule (``red_flags.yaml``) fires on a segment (sentence, list item,
table cell) whose text matches one of its ``phrases`` or ``regex`` and none of
its ``unless_sentence`` regexes, in a policy that matches none of its
``unless_document`` regexes. A rule with a ``check`` runs a built-in test
instead; its phrases/regex then give the sentences the test applies to:

``deadline_over_limit``
    a response deadline (fact ``deadline``) longer than ``limit_working_days``
    working days, in a sentence that matches the context.
``missing_effective_date``
    no effective or last-updated date, or only a placeholder ("Day Month 2022").
``sensitive_without_separate_consent``
    sensitive PI is collected (fact ``pi_category`` with ``sensitive``) and the
    policy never mentions separate consent (give that as ``unless_document``).
``empty_contact_field``
    a segment that is only a contact label ("Service Mailbox:", "邮箱：") and
    is not followed by the contact itself.
``no_named_party``
    a sentence matching the context (e.g. sharing with "partners") that names
    no company: no third party from the lexicon and no company name other
    than the processor's own. Headings are skipped, and a section is flagged
    once (its first such sentence), so a long sharing section does not repeat
    the same flag on every line.
"""
from __future__ import annotations

import bisect
import re

from .anchors import PatternAnchors, TextIndex, requirement_options
from .results import RedFlag, segment_index

# A calendar period counts as over the limit when it is longer than the limit
# in working days could be: 15 working days span at most 21 calendar days.
CALENDAR_PER_WORKING = 21 / 15

# Where an undated-looking date still counts as the policy's date: a date on a
# short line of its own near the top or the end of the policy.
DATE_ZONE = 800

CONTACT_VALUE = re.compile(
    r"[\w.+-]+@[\w-]+(?:\.[\w-]+)+|https?://|www\.|\+?\d[\d\s()\-]{6,}\d|\[at\]|\(at\)|"
    r"\b(?:road|street|district|floor|building)\b|[路街号楼室层区]", re.I)


def _phrase_regex(phrase: str) -> str:
    """A phrase as a regex: whitespace matches any run of spaces, "…" stands for
    up to 80 characters within the sentence, and English phrases match whole words."""
    parts = [re.escape(p).replace(r"\ ", r"\s+") for p in phrase.split("…")]
    escaped = r"[^.。；;]{0,80}?".join(parts)
    if phrase.isascii():
        head = r"\b" if phrase[:1].isalnum() else ""
        tail = r"\b" if phrase[-1:].isalnum() else ""
        return f"{head}{escaped}{tail}"
    return escaped


class _Matcher:
    """A rule's phrases and regexes. ``search`` gives the earliest match in a
    sentence. A rule runs its regexes only on the few sentences that contain
    its words (see ``_candidates``), found from literal anchors (see
    ``anchors.py``): each top-level alternative of a pattern has its own, so
    that "A…B|C…D" needs A and B, or C and D, not just one of A or C and one
    of B or D."""

    def __init__(self, patterns: list[str]):
        # Each pattern with the anchor sets of each of its alternatives.
        self.patterns = [(re.compile(p, re.I), requirement_options(p)) for p in patterns]
        self.regexes = [pattern for pattern, _ in self.patterns]

    def search(self, text: str, regexes=None):
        """The earliest match of the patterns, or of ``regexes`` (some of them,
        in the same order); at one start, the first pattern's."""
        best = None
        for pattern in self.regexes if regexes is None else regexes:
            m = pattern.search(text)
            if m and (best is None or m.start() < best.start()):
                best = m
        return best


_COMPILED: dict = {}


def _compiled(flag):
    if flag.id not in _COMPILED or _COMPILED[flag.id][0] != flag:
        _COMPILED[flag.id] = (flag, _compile(flag))
    return _COMPILED[flag.id][1]


def _compile(flag):
    patterns = [_phrase_regex(p) for p in flag.phrases] + list(flag.regex)
    matcher = _Matcher(patterns) if patterns else None
    unless_sentence = [re.compile(p, re.I) for p in flag.unless_sentence]
    unless_document = [re.compile(p, re.I) for p in flag.unless_document]
    return matcher, unless_sentence, unless_document


_RULESET: dict = {}  # id of a ruleset's red_flags -> (red_flags, _ruleset(red_flags))


def _ruleset(red_flags) -> tuple[list, PatternAnchors, list[tuple[_Matcher, re.Pattern]]]:
    """Each rule with its compiled patterns; the anchors of the patterns of all
    rules, one rule after the other, and the matcher of each of those patterns."""
    cached = _RULESET.get(id(red_flags))
    if cached is None or cached[0] is not red_flags:
        rules = [(rule, *_compiled(rule)) for rule in red_flags]
        patterns = [(matcher, pattern, options) for _, matcher, _, _ in rules if matcher is not None
                    for pattern, options in matcher.patterns]
        anchors = PatternAnchors([options for _, _, options in patterns])
        owners = [(matcher, pattern) for matcher, pattern, _ in patterns]
        _RULESET.clear()
        cached = _RULESET[id(red_flags)] = (red_flags, (rules, anchors, owners))
    return cached[1]


def _candidates(index: TextIndex, anchors: PatternAnchors, owners) -> dict:
    """For each matcher, the indices, in order, of the segments that hold the
    anchors of some of its patterns, each with those patterns."""
    found: dict[_Matcher, dict[int, list[re.Pattern]]] = {}
    for p, i in zip(*index.pattern_candidates(anchors)):
        matcher, pattern = owners[p]
        found.setdefault(matcher, {}).setdefault(i, []).append(pattern)
    return {matcher: sorted(by_segment.items()) for matcher, by_segment in found.items()}


def _applies_to(flag, lang: str) -> bool:
    return flag.lang in (lang, "any")


class _Context:
    """What the checks need: the text, the segments in order and the facts."""

    def __init__(self, document, segments, langs, facts, index=None):
        self.text = document.text
        self.segments = list(segments)
        self.langs = list(langs)
        self.facts = list(facts)
        self.flags: list[RedFlag] = []
        self.seen: set[tuple[str, int | None, int]] = set()
        self.index = index or TextIndex([self.text[s.start:s.end] for s in self.segments])
        self.candidates: dict[_Matcher, list[tuple[int, list[re.Pattern]]]] = {}  # see _candidates

    def index_at(self, offset: int) -> int | None:
        return segment_index(self.segments, offset)

    def segment_at(self, offset: int):
        i = self.index_at(offset)
        return None if i is None else self.segments[i]

    def sentence(self, seg) -> str:
        return self.text[seg.start:seg.end]

    def add(self, rule, seg, start: int, end: int, matched: str) -> None:
        key = (rule.id, seg.id if seg is not None else None, start if seg is None else 0)
        if key in self.seen:
            return
        self.seen.add(key)
        text = self.text
        self.flags.append(RedFlag(id="", rule=rule.id, topic=rule.topic,
                                  start=seg.start if seg else start, end=seg.end if seg else end,
                                  text=text[seg.start:seg.end] if seg else text[start:end],
                                  matched=matched, why=rule.why, basis=rule.basis, items=rule.items))


def find_red_flags(document, segments, langs, ruleset, facts, index: TextIndex | None = None) -> list[RedFlag]:
    """``index``, if given, is a ``TextIndex`` of the segments' texts."""
    ctx = _Context(document, segments, langs, facts, index)
    rules, anchors, owners = _ruleset(ruleset.red_flags)
    ctx.candidates = _candidates(ctx.index, anchors, owners)
    for rule, matcher, unless_sentence, unless_document in rules:
        if any(p.search(ctx.text) for p in unless_document):
            continue
        if rule.check:
            CHECKS[rule.check](ctx, rule, matcher, unless_sentence)
            continue
        for i, regexes in ctx.candidates.get(matcher, []):
            if not _applies_to(rule, ctx.langs[i]):
                continue
            seg = ctx.segments[i]
            sentence = ctx.sentence(seg)
            m = matcher.search(sentence, regexes)
            if m and not any(p.search(sentence) for p in unless_sentence):
                ctx.add(rule, seg, seg.start + m.start(), seg.start + m.end(), m.group(0).strip())
    flags = sorted(ctx.flags, key=lambda f: (f.start, f.rule))
    return [RedFlag(**{**f.__dict__, "id": f"r{n}"}) for n, f in enumerate(flags)]


def _in_context(ctx, rule, matcher, unless_sentence, i: int) -> bool:
    """The segment at index ``i`` is in the rule's language, matches its context
    (if any) and none of its unless_sentence regexes."""
    if not _applies_to(rule, ctx.langs[i]):
        return False
    sentence = ctx.sentence(ctx.segments[i])
    if matcher is not None and not matcher.search(sentence):
        return False
    return not any(p.search(sentence) for p in unless_sentence)


def _candidate_indices(ctx, matcher) -> list[int] | range:
    """Indices of the segments the rule's context can match (all without one)."""
    if matcher is None:
        return range(len(ctx.segments))
    return [i for i, _ in ctx.candidates.get(matcher, [])]


def _check_missing_effective_date(ctx, rule, matcher, unless_sentence) -> None:
    dated = [f for f in ctx.facts if f.kind in ("effective_date", "updated_date")]
    if any(not f.detail.get("placeholder") for f in dated):
        return
    if any(_standalone_date(ctx.text, f) for f in ctx.facts
           if f.kind == "date" and not f.detail.get("placeholder")):
        return
    placeholder = next((f for f in ctx.facts if f.kind in ("effective_date", "updated_date", "date")
                        and f.detail.get("placeholder")), None)
    if placeholder:
        ctx.add(rule, ctx.segment_at(placeholder.start), placeholder.start, placeholder.end,
                placeholder.value)
    elif ctx.segments:
        ctx.add(rule, ctx.segments[0], 0, 0, "(no effective or last-updated date found)")


def _standalone_date(text: str, fact) -> bool:
    if DATE_ZONE <= fact.start and fact.end <= len(text) - DATE_ZONE:
        return False
    line_start = text.rfind("\n", 0, fact.start) + 1
    line_end = text.find("\n", fact.end)
    line = text[line_start:line_end if line_end != -1 else len(text)]
    return len(line.strip()) <= len(fact.value) + 20


def _check_deadline_over_limit(ctx, rule, matcher, unless_sentence) -> None:
    limit = rule.limit_working_days
    for fact in ctx.facts:
        if fact.kind != "deadline":
            continue
        days = fact.detail["days"]
        too_long = days > limit if fact.detail.get("working") else days > limit * CALENDAR_PER_WORKING
        if not too_long:
            continue
        i = ctx.index_at(fact.start)
        if i is None or not _in_context(ctx, rule, matcher, unless_sentence, i):
            continue
        ctx.add(rule, ctx.segments[i], fact.start, fact.end, fact.value)


def _check_sensitive_without_separate_consent(ctx, rule, matcher, unless_sentence) -> None:
    for fact in ctx.facts:
        if fact.kind != "pi_category" or not fact.detail.get("sensitive"):
            continue
        i = ctx.index_at(fact.start)
        if i is None:
            continue
        sentence = ctx.sentence(ctx.segments[i])
        if matcher is not None and not matcher.search(sentence):
            continue
        if any(p.search(sentence) for p in unless_sentence):
            continue
        ctx.add(rule, ctx.segments[i], fact.start, fact.end, ctx.text[fact.start:fact.end])
        return


def _check_empty_contact_field(ctx, rule, matcher, unless_sentence) -> None:
    for i in _candidate_indices(ctx, matcher):
        seg = ctx.segments[i]
        if not _in_context(ctx, rule, matcher, unless_sentence, i):
            continue
        nxt = ctx.segments[i + 1] if i + 1 < len(ctx.segments) else None
        if nxt is not None and CONTACT_VALUE.search(ctx.text[nxt.start:min(nxt.end, nxt.start + 80)]):
            continue
        sentence = ctx.sentence(seg)
        ctx.add(rule, seg, seg.start, seg.end, sentence.strip())


def _check_no_named_party(ctx, rule, matcher, unless_sentence) -> None:
    names = [f for f in ctx.facts if f.kind == "processor_name"]
    own = {f.detail.get("key") for f in names[:1]}
    named = [f for f in ctx.facts if f.kind == "third_party"
             or (f.kind == "processor_name" and f.detail.get("key") not in own)]
    named_starts = sorted(f.start for f in named)
    flagged_sections: set[str] = set()
    for i in _candidate_indices(ctx, matcher):
        seg = ctx.segments[i]
        if seg.kind == "heading" or seg.section in flagged_sections:
            continue
        if not _in_context(ctx, rule, matcher, unless_sentence, i):
            continue
        j = bisect.bisect_left(named_starts, seg.start)
        if j < len(named_starts) and named_starts[j] < seg.end:
            continue
        sentence = ctx.sentence(seg)
        m = matcher.search(sentence) if matcher is not None else None
        flagged_sections.add(seg.section)
        ctx.add(rule, seg, seg.start + (m.start() if m else 0), seg.start + (m.end() if m else 0),
                m.group(0).strip() if m else sentence.strip())


CHECKS = {
    "deadline_over_limit": _check_deadline_over_limit,
    "missing_effective_date": _check_missing_effective_date,
    "sensitive_without_separate_consent": _check_sensitive_without_separate_consent,
    "empty_contact_field": _check_empty_contact_field,
    "no_named_party": _check_no_named_party,
}
