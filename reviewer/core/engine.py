"""``analyze(document)``: findings, checklist verdicts, red flags and facts.

Detection works sentence by sentence, in layers that every finding
records in its ``rule`` and ``matched`` fields:

1. strong cues: words that tie a sentence to a topic on their own;
2. weak cues: words that count only inside a section whose heading is about
   the topic, in a list introduced by a sentence about it, or in a sentence
   that refers back ("They …", "该等第三方……") to the sentence before it in the
   same paragraph, when that one is about the topic;
3. list items inherit the topics of the sentence that introduces the list;
4. sentences no rule placed get a small trained classifier's opinion
   (``classifier.py``, one model per language), recorded with the n-grams
   that weighed most;
5. any sentence may gain a topic that a second classifier, trained on the
   project's own topic annotations, is sure of and nothing else found (never
   one that a rule ruled out for the sentence).
"""
from __future__ import annotations

import re
from collections import defaultdict
from dataclasses import dataclass, replace
from functools import lru_cache
from operator import attrgetter
from typing import NamedTuple

from spacy.attrs import IDX, LENGTH
from spacy.matcher import PhraseMatcher

from .anchors import PatternAnchors, TextIndex, requirement_options
from .charmatch import CharPhraseMatcher
from .classifier import MODEL_NAMES, TOPIC_MODEL_NAMES, extract, load_model
from .document import Document
from .facts import extract_facts
from .redflags import find_red_flags
from .results import CLASSIFIER_RULE_PREFIX, Analysis, Finding, Match, Segment, segment_at, segments_at
from .rules import Rule, Ruleset, load_ruleset
from .segment import SECTION_SEPARATOR, block_language, parse, pipeline
from .tokenmatch import TokenMatcher
from .verdicts import decide

WEAK_SCORE = 0.6
LEAD_SCORE = 0.7
SECTION_BONUS = 0.2
HOW_CUE = "cue words in the clause"
HOW_CONTEXT = "weak cue words, in a section or list about the topic"
HOW_LEAD = "list item under a lead-in sentence about the topic"
HOW_FOLLOW = "weak cue words, in a sentence that refers back to one about the topic"
HOW_HEADING = "section heading (its section has no other clause on the topic)"
HOW_MODEL = "trained classifier, in a section about the topic"
HOW_TOPIC_MODEL = "trained topic classifier, confident"
CLASSIFIER_WEIGHT = 0.8  # a classifier finding never outranks a rule
# A purpose runs through clauses of every topic, so the classifier may add it to
# a sentence that rules placed elsewhere; any other topic it gives only to a
# sentence that no rule placed.
MODEL_ADDS_TO_PLACED = {"purposes_and_use"}

_WORD = re.compile(r"\w+")
# A sentence that opens by referring back to the one before it.
REFERS_BACK = {
    "en": re.compile(r"\W*(however,? |in addition,? |also,? )?(they|these|those|such|each such|their)\b", re.I),
    "zh": re.compile(r"\W*(但|此外，?|同时，?)?(该等|上述|前述|这些|此类|该|其|他们|它们)"),
}

NEGATION = {
    # Not a comparison ("no later than", "not more than", "no longer needed"):
    # that bounds the statement rather than denying it.
    "en": re.compile(r"\b(?:not(?! only| later than| more than| less than| longer than| exceeding)|never"
                     r"|[Nn]o(?!\.| later than| more than| less than| longer than| fewer than| sooner than"
                     r"| longer (?:needed|necessary|required))|neither|nor|without|cannot)\b|n['’]t\b"),
    # Not the 不 of 不限于/不同/不断/不时/不定期 or of a comparison (不超过, 不满十四周岁),
    # the 未 of 未成年/未满, or the 无 of 无法/无论.
    "zh": re.compile(r"不(?!限于|同|断|时|定期|仅|超过|少于|低于|晚于|迟于|多于|高于|满|足)|未(?!成年|满)"
                     r"|没有|无(?!法|论)|禁止|绝不|并非"),
}


class _Draft(NamedTuple):
    """A finding before it is numbered: the fields of ``Finding`` after its id."""

    topic: str
    items: tuple[str, ...]
    start: int
    end: int
    text: str
    rule: str
    matched: tuple[Match, ...]
    score: float
    negated: bool
    segment: int
    basis: str
    how: str


@dataclass
class _Hit:
    rule: Rule
    start: int  # document offsets
    end: int
    text: str


_START = attrgetter("start")


def _any_of(patterns) -> re.Pattern:
    """One case-insensitive regex that matches where any of ``patterns`` does."""
    return re.compile("|".join(f"(?:{p})" for p in patterns), re.I)


class Detector:
    """Compiled matchers for one ruleset and one language."""

    def __init__(self, ruleset: Ruleset, lang: str):
        self.lang = lang
        rules = [rule for rule in ruleset.rules if rule.lang == lang]
        self.rules: dict[str, Rule] = {rule.id: rule for rule in rules}
        if lang == "en":
            nlp = pipeline("en")
            self.phrases = PhraseMatcher(nlp.vocab, attr="LEMMA")
            self.matcher = TokenMatcher(nlp.vocab)
            for rule in rules:
                if rule.phrases:
                    # as written: lemmas are lower-cased anyway, while "id" in lower case is read as "I'd"
                    self.phrases.add(rule.id, list(nlp.pipe(rule.phrases)))
                for pattern in rule.patterns:
                    self.matcher.add(rule.id, list(pattern))
        else:
            self.char_phrases = CharPhraseMatcher()
            for rule in rules:
                self.char_phrases.add(rule.id, rule.phrases)
        self.regexes: list[tuple[Rule, re.Pattern, tuple]] = [
            (rule, re.compile(pattern, re.I), requirement_options(pattern)) for rule in rules for pattern in rule.regex]
        self.anchors = PatternAnchors([options for _, _, options in self.regexes])
        self.unless = {rule.id: _any_of(rule.unless_sentence) for rule in rules if rule.unless_sentence}
        self.unless_section = {rule.id: _any_of(rule.unless_section) for rule in rules if rule.unless_section}
        # One alternation per topic: a heading is about the topic if any cue matches.
        self.headings = {topic: _any_of(cues[lang]) for topic, cues in ruleset.headings.items() if cues.get(lang)}

    def rules_out(self, rule_id: str, sentence: str, above: str) -> bool:
        """Whether rule ``rule_id``'s cues do not count in ``sentence``, given what
        stands ``above`` it: the innermost heading and, for a list item, its lead-in
        (the rule's unless_sentence or unless_section)."""
        unless, unless_section = self.unless.get(rule_id), self.unless_section.get(rule_id)
        return ((unless is not None and unless.search(sentence) is not None)
                or (unless_section is not None and unless_section.search(above) is not None))

    def hits(self, blocks: list[tuple], text: str) -> list[_Hit]:
        """Phrase and token-pattern matches in ``blocks`` (the spaCy doc of an
        English block or the text of a Chinese one, and the offset of its first
        character in the document ``text``)."""
        if self.lang == "zh":
            return [_Hit(self.rules[rule_id], first, last, text[first:last])
                    for rule_id, first, last in self.char_phrases(blocks)]
        out = []
        token_matches = self.matcher.match_docs([doc for doc, _ in blocks])
        for (doc, offset), matches in zip(blocks, token_matches):
            strings = doc.vocab.strings
            matches = [(strings[m], s, e) for m, s, e in self.phrases(doc)] + matches
            if not matches:
                continue
            where = doc.to_array([IDX, LENGTH]).tolist()  # character offset and length of each token
            for rule_id, start, end in matches:
                first, last = offset + where[start][0], offset + where[end - 1][0] + where[end - 1][1]
                out.append(_Hit(self.rules[rule_id], first, last, text[first:last]))
        return out

    def regex_hits(self, blocks: list[tuple[str, int]], index: TextIndex, among: int) -> list[_Hit]:
        """Regex matches in the ``blocks`` (text, offset) of the index mask
        ``among``; ``index`` holds the texts of all blocks. Each regex runs only
        on the blocks that hold its anchors."""
        out = []
        regexes = self.regexes
        for r, n in zip(*index.pattern_candidates(self.anchors, among)):
            rule, pattern, _ = regexes[r]
            text, offset = blocks[n]
            for m in pattern.finditer(text):
                start, end = m.span()
                if end > start:
                    out.append(_Hit(rule, offset + start, offset + end, m.group(0)))
        return out

    @lru_cache(maxsize=4096)
    def heading_topics(self, title: str) -> frozenset[str]:
        return frozenset(topic for topic, cue in self.headings.items() if cue.search(title))


_DETECTORS: dict[tuple[str, str], Detector] = {}


def _detector(ruleset: Ruleset, lang: str) -> Detector:
    key = (ruleset.info.sha256, lang)
    if key not in _DETECTORS:
        _DETECTORS[key] = Detector(ruleset, lang)
    return _DETECTORS[key]


_ZH_CLAUSE_MARK = re.compile(r"[，,；;：:]")


def _clause_before(text: str, hit_start: int, sentence_start: int, lang: str) -> str:
    """The words shortly before a cue, within its clause."""
    window = 40 if lang == "en" else 20
    before = text[max(sentence_start, hit_start - window):hit_start]
    if lang != "en":
        before = _ZH_CLAUSE_MARK.split(before)[-1]
    return before


def _negated(text: str, hit_start: int, sentence_start: int, lang: str) -> bool:
    """A negation word shortly before the cue, in the same clause."""
    return bool(NEGATION[lang].search(_clause_before(text, hit_start, sentence_start, lang)))


def _section_topics(segments: list[Segment], text: str, detectors: dict, langs: list[str]):
    """Topics whose heading cues match a heading of each segment's section."""
    by_section: dict[str, set[str]] = {}
    current: list[tuple[int, set[str]]] = []  # (level, topics) of open headings
    out = []
    for seg, lang in zip(segments, langs):
        if seg.kind == "heading":
            topics = detectors[lang].heading_topics(text[seg.start:seg.end])
            current = [(lvl, t) for lvl, t in current if lvl < seg.level]
            current.append((seg.level, topics))
            by_section[seg.section] = set().union(*(t for _, t in current))
            out.append(set())
            continue
        out.append(by_section.get(seg.section, set()))
    return out


def analyze(document: Document, ruleset: Ruleset | None = None, segments=None, spans=None) -> Analysis:
    ruleset = ruleset or load_ruleset()
    if segments is None or spans is None:
        segments, spans = parse(document)
    original = document.text
    document = document.with_straight_apostrophes()
    text = document.text
    langs = [block_language(text[s.start:s.end], document.lang) for s in segments]
    detectors = {lang: _detector(ruleset, lang) for lang in ("en", "zh")}

    # Match each block once, then hand the hits to its segments.
    hits_by_segment: dict[int, list[_Hit]] = defaultdict(list)
    blocks: dict[str, dict[int, tuple]] = defaultdict(dict)  # language -> block index -> (doc or text, offset)
    for seg, span in zip(segments, spans):
        if span.lang is not None and seg.block not in blocks[span.lang]:
            parsed = span.doc if span.doc is not None else document.blocks[seg.block].text
            blocks[span.lang][seg.block] = (parsed, seg.start - span.start_char)
    hits = [hit for lang, found in blocks.items() for hit in detectors[lang].hits(list(found.values()), text)]
    # Regexes run sentence by sentence, so a rule's window never crosses a sentence end.
    pieces = [(text[seg.start:seg.end], seg.start) for seg in segments]
    index = TextIndex([piece for piece, _ in pieces])
    for lang in set(langs):
        among = index.mask(n for n, seg in enumerate(segments)
                           if langs[n] == lang and seg.kind not in ("heading", "contents"))
        hits += detectors[lang].regex_hits(pieces, index, among)
    # Token patterns run on whole blocks; a match that runs on into the next sentence is not a cue.
    for hit, seg in zip(hits, segments_at(segments, [hit.start for hit in hits])):
        if seg is not None and hit.end <= seg.end:
            hits_by_segment[seg.id].append(hit)

    section_topics = _section_topics(segments, text, detectors, langs)
    by_segment: dict[int, dict[str, _Draft]] = defaultdict(dict)

    basis_of: dict[tuple[str, ...], str] = {}  # items -> their bases

    def add(seg: Segment, seg_text: str, topic: str, hits: list[_Hit], score: float, rule_id: str,
            negated: bool, how: str):
        items = tuple(sorted({i for h in hits for i in h.rule.items}))
        basis = basis_of.get(items)
        if basis is None:
            basis = basis_of[items] = "; ".join(dict.fromkeys(
                part for i in items for part in ruleset.items[i].basis.split("; ")))
        matched = tuple(dict.fromkeys(Match(h.text, h.start, h.end) for h in sorted(hits, key=_START)))
        by_segment[seg.id][topic] = _Draft(topic, items, seg.start, seg.end, seg_text, rule_id, matched,
                                           round(min(score, 1.0), 2), negated, seg.id, basis, how)

    rules_by_id = {r.id: r for r in ruleset.rules}
    conditions: set[str] = set()
    # segment id: topics whose cues a rule's unless_sentence or unless_section voided there
    ruled_out: dict[int, set[str]] = defaultdict(set)
    before: dict[int, int] = {}  # block: the last sentence read in it
    for seg, lang, context in zip(segments, langs, section_topics):
        if seg.kind in ("heading", "contents"):
            continue
        prev, before[seg.block] = before.get(seg.block), seg.id
        seg_hits = hits_by_segment.get(seg.id, ())
        lead_topics = by_segment.get(seg.lead, {}) if seg.lead is not None else {}
        if not seg_hits and not lead_topics:
            continue
        seg_text = text[seg.start:seg.end]
        followed = by_segment.get(prev, {}) if prev is not None and REFERS_BACK[lang].match(seg_text) else {}
        per_topic: dict[str, list[_Hit]] = defaultdict(list)
        above = seg.section.rsplit(SECTION_SEPARATOR, 1)[-1]
        if seg.lead is not None:
            above += "\n" + text[segments[seg.lead].start:segments[seg.lead].end]
        vetoed: dict[str, bool] = {}  # rule id: the rule's cues do not count here
        for hit in seg_hits:
            rule = hit.rule
            if rule.id not in vetoed:
                vetoed[rule.id] = detectors[rule.lang].rules_out(rule.id, seg_text, above)
            if not vetoed[rule.id]:
                per_topic[rule.topic].append(hit)
            else:
                ruled_out[seg.id].add(rule.topic)
        for topic, hits in per_topic.items():
            strong = [h for h in hits if h.rule.strength == "strong"]
            in_context = topic in context or topic in lead_topics
            if strong:
                best = max(strong, key=lambda h: h.rule.score)
                score = best.rule.score + (SECTION_BONUS if topic in context else 0)
            elif in_context or topic in followed:
                best = max(hits, key=lambda h: h.rule.score)
                score = WEAK_SCORE * best.rule.score + (SECTION_BONUS if topic in context else 0)
            else:
                continue
            negated = all(_negated(text, h.start, seg.start, lang) for h in (strong or hits))
            how = HOW_CUE if strong else HOW_CONTEXT if in_context else HOW_FOLLOW
            add(seg, seg_text, topic, hits, score, best.rule.id, negated, how)
            for hit in strong:
                if hit.rule.sets and not _negated(text, hit.start, seg.start, lang):
                    conditions.update(hit.rule.sets)
        for topic, lead in lead_topics.items():
            if topic not in by_segment[seg.id] and lead.rule in rules_by_id:
                lead_hits = [_Hit(rules_by_id[lead.rule], m.start, m.end, m.text)
                             for m in lead.matched]
                add(seg, seg_text, topic, lead_hits, LEAD_SCORE, lead.rule, False, HOW_LEAD)

    sentences = _Sentences(segments, langs, text)
    _add_model_findings(sentences, by_segment, section_topics)
    _add_topic_model_findings(sentences, by_segment, ruled_out)
    _add_heading_findings(segments, text, detectors, langs, by_segment, ruleset)

    ordered = [finding for seg in segments for _, finding in sorted(by_segment.get(seg.id, {}).items())]
    findings = [Finding(f"f{n}", *draft) for n, draft in enumerate(ordered)]

    facts = extract_facts(document, ruleset)
    red_flags = find_red_flags(document, segments, langs, ruleset, facts, index)
    conditions |= _fact_conditions(findings, facts, segments)
    checklist = decide(ruleset, findings, red_flags, facts, conditions, document.lang)
    if text != original:
        findings, red_flags, facts = _quoted_from(original, text, findings, red_flags, facts)
    return Analysis(findings=tuple(findings), checklist=tuple(checklist),
                    red_flags=tuple(red_flags), facts=tuple(facts), ruleset=ruleset.info,
                    conditions=tuple(sorted(conditions)))


def _quoted_from(original: str, read: str, findings, red_flags, facts):
    """Results whose quoted words are taken from the ``original`` text, where
    rules read a copy of it with the same offsets (``read``)."""
    def quote(value: str, start: int, end: int) -> str:
        at = read.find(value, start, end) if value else -1
        return value if at < 0 else original[at:at + len(value)]

    findings = [replace(f, text=original[f.start:f.end],
                        matched=tuple(Match(original[m.start:m.end], m.start, m.end) for m in f.matched))
                for f in findings]
    red_flags = [replace(r, text=original[r.start:r.end], matched=quote(r.matched, r.start, r.end))
                 for r in red_flags]
    facts = [replace(f, value=quote(f.value, f.start, f.end)) for f in facts]
    return findings, red_flags, facts


def classified_rows(segments, langs, lang: str) -> list[int]:
    """Indexes of the segments of ``lang`` that the classifiers read: all but
    headings and contents lines."""
    return [n for n, (seg, seg_lang) in enumerate(zip(segments, langs))
            if seg_lang == lang and seg.kind not in ("heading", "contents")]


class _Sentences:
    """The sentences of a document that the classifiers read, language by
    language; their features are extracted once for all models that share an
    extractor."""

    def __init__(self, segments, langs, text: str):
        self.segments, self.langs, self.text = segments, langs, text
        self._features: dict[tuple[str, str], tuple] = {}

    def scored(self, name: str, lang: str):
        """(indexes, scores) of the sentences of ``lang``, scored in one batch by
        classifier ``name``; ([], None) without model or sentences."""
        model = load_model(name)
        if model is None:
            return [], None
        key = (lang, model.extractor)
        if key not in self._features:
            rows = classified_rows(self.segments, self.langs, lang)
            seg = self.segments
            self._features[key] = rows, extract([self.text[seg[i].start:seg[i].end] for i in rows],
                                                [seg[i].section for i in rows], model.extractor)
        rows, features = self._features[key]
        return (rows, model.score_features(features, len(rows))) if rows else ([], None)


def _model_draft(seg, text, batch, row, n, name, topic, how) -> _Draft:
    """A finding of classifier ``name`` for category ``n`` of sentence ``row`` of ``batch``."""
    p = float(batch.probs[row, n])
    matched = tuple(Match(text[seg.start + s:seg.start + e], seg.start + s, seg.start + e)
                    for s, e in batch.top_features(row, n))
    return _Draft(topic=topic, items=(), start=seg.start, end=seg.end, text=text[seg.start:seg.end],
                  rule=f"{CLASSIFIER_RULE_PREFIX}{name}/{batch.model.categories[n].name}", matched=matched,
                  score=round(p * CLASSIFIER_WEIGHT, 2), negated=False, segment=seg.id, basis="", how=how)


def _add_model_findings(sentences: _Sentences, by_segment, section_topics) -> None:
    """Sentences that no rule placed get the opinion of their language's
    classifier, for the topic of that category that the sentence's section is
    about; a sentence that rules placed may only gain purposes_and_use. Like
    a weak cue, the model needs that context, unless it is very sure: then it
    names the category's first topic. All sentences of a language are scored
    in one batch."""
    segments, text = sentences.segments, sentences.text
    for lang, name in MODEL_NAMES.items():
        chosen, batch = sentences.scored(name, lang)
        if batch is None:
            continue
        placed = {segments[i].id for i in chosen if by_segment[segments[i].id]}
        for row, n in batch.above_thresholds():
            seg, context = segments[chosen[row]], section_topics[chosen[row]]
            category = batch.model.categories[n]
            found = by_segment[seg.id]
            topics = [t for t in category.topics if seg.id not in placed or t in MODEL_ADDS_TO_PLACED]
            if not topics or any(t in found for t in category.topics):
                continue
            topic, how = next((t for t in topics if t in context), None), HOW_MODEL
            if topic is None:
                if batch.probs[row, n] < category.free_threshold:
                    continue  # nothing says which of the category's topics is meant
                topic, how = topics[0], "trained classifier, confident without section context"
            found[topic] = _model_draft(seg, text, batch, row, n, name, topic, how)


def _add_topic_model_findings(sentences: _Sentences, by_segment, ruled_out) -> None:
    """Any sentence gains a topic that its language's topic classifier finds
    likely enough (each topic has its threshold) and that nothing before found,
    unless a rule of the topic ruled the sentence out (its unless_sentence or unless_section)."""
    segments, text = sentences.segments, sentences.text
    for lang, name in TOPIC_MODEL_NAMES.items():
        chosen, batch = sentences.scored(name, lang)
        if batch is None:
            continue
        for row, n in batch.above_thresholds():
            seg = segments[chosen[row]]
            topic = batch.model.categories[n].topics[0]
            if topic not in by_segment[seg.id] and topic not in ruled_out[seg.id]:
                by_segment[seg.id][topic] = _model_draft(seg, text, batch, row, n, name, topic,
                                                         HOW_TOPIC_MODEL)


def _add_heading_findings(segments, text, detectors, langs, by_segment, ruleset) -> None:
    """A heading becomes a finding only when its section has no body finding of the topic."""
    body_topics: dict[str, set[str]] = defaultdict(set)
    for seg in segments:
        for topic in by_segment.get(seg.id, {}):
            body_topics[seg.section].add(topic)
    with_rules = {(r.topic, r.lang) for r in ruleset.rules}
    for seg, lang in zip(segments, langs):
        if seg.kind != "heading":
            continue
        title = text[seg.start:seg.end]
        for topic in detectors[lang].heading_topics(title):
            if (topic, lang) not in with_rules:
                continue
            covered = any(topic in topics for section, topics in body_topics.items()
                          if section == seg.section or section.startswith(seg.section + " › "))
            if covered:
                continue
            by_segment[seg.id][topic] = _Draft(
                topic=topic, items=(), start=seg.start, end=seg.end, text=title,
                rule=f"{topic}/heading", matched=(Match(title.strip(), seg.start, seg.end),),
                score=0.5, negated=False, segment=seg.id, basis="", how=HOW_HEADING)


COLLECTION_TOPICS = {"pi_categories", "sensitive_pi", "device_permissions", "purposes_and_use"}


def _fact_conditions(findings, facts, segments) -> set[str]:
    """Conditions read from facts: sensitive PI named in a collection clause,
    and SDKs named anywhere."""
    conditions: set[str] = set()
    collecting = {f.segment for f in findings if f.topic in COLLECTION_TOPICS and not f.negated}
    for fact in facts:
        if fact.kind == "pi_category" and fact.detail.get("sensitive"):
            seg = segment_at(segments, fact.start)
            if seg is not None and seg.id in collecting:
                conditions.add("collects_sensitive_pi")
        if fact.kind == "third_party" and fact.detail.get("sdk"):
            conditions.add("uses_third_party_sdks")
    return conditions
