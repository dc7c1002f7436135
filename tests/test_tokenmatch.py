"""The fast token matcher finds what spaCy's Matcher finds for every pattern of
the rulebook (the shortest match at each start, as the engine uses it)."""
from pathlib import Path

import pytest
from spacy.matcher import Matcher

from reviewer.core.rules import load_ruleset
from reviewer.core.segment import pipeline
from reviewer.core.tokenmatch import PatternError, TokenMatcher, check_pattern

FIXTURES = Path(__file__).parent / "fixtures"


def shortest_per_start(matches):
    best = {}
    for key, start, end in matches:
        if (key, start) not in best or end < best[(key, start)]:
            best[(key, start)] = end
    return {(k, s, e) for (k, s), e in best.items()}


@pytest.mark.parametrize("lang,name", [("en", "benewake.txt"), ("en", "baiinfo.txt")])
def test_same_matches_as_spacy(lang, name):
    nlp = pipeline(lang)
    ruleset = load_ruleset()
    ours, theirs = TokenMatcher(nlp.vocab), Matcher(nlp.vocab)
    count = 0
    for rule in ruleset.rules:
        if rule.lang != lang:
            continue
        for n, pattern in enumerate(rule.patterns):
            key = f"{rule.id}#{n}"
            ours.add(key, list(pattern))
            theirs.add(key, [list(pattern)])
            count += 1
    assert count > 10
    text = (FIXTURES / name).read_text(encoding="utf-8")
    total = 0
    for doc in nlp.pipe(p for p in text.split("\n") if p.strip()):
        expected = shortest_per_start((nlp.vocab.strings[m], s, e) for m, s, e in theirs(doc))
        got = shortest_per_start(ours(doc))
        assert got == expected, doc.text[:80]
        total += len(got)
    assert total > 20


@pytest.mark.parametrize("pattern", [
    [], [{"LEMMA": {"REGEX": "x"}}], [{"POS": "NOUN"}], [{"LOWER": "a", "OP": "!"}], [{"IS_PUNCT": "yes"}],
])
def test_unsupported_patterns_are_refused(pattern):
    with pytest.raises(PatternError):
        check_pattern(pattern)


def test_gaps_and_optional_tokens():
    nlp = pipeline("en")
    matcher = TokenMatcher(nlp.vocab)
    matcher.add("share", [{"LEMMA": "share"}, {"OP": "{0,4}", "IS_PUNCT": False},
                          {"LOWER": {"IN": ["partners", "affiliates"]}}])
    doc = nlp("We shared your data with our partners. We share it. Then partners.")
    assert [(k, doc[s:e].text) for k, s, e in matcher(doc)] == [("share", "shared your data with our partners")]


def test_matching_many_docs_at_once_equals_one_by_one_and_never_crosses_docs():
    nlp = pipeline("en")
    matcher = TokenMatcher(nlp.vocab)
    matcher.add("share", [{"LEMMA": "share"}, {"OP": "{0,6}", "IS_PUNCT": False}, {"LOWER": "partners"}])
    for rule in load_ruleset().rules:
        if rule.lang == "en":
            for n, pattern in enumerate(rule.patterns):
                matcher.add(f"{rule.id}#{n}", list(pattern))
    text = (FIXTURES / "baiinfo.txt").read_text(encoding="utf-8")
    docs = list(nlp.pipe([p for p in text.split("\n") if p.strip()] + ["We share", "", "data with partners"]))
    together = matcher.match_docs(docs)
    assert together == [matcher(doc) for doc in docs]
    assert not any(key == "share" for key, _, _ in together[-3])
    assert sum(map(len, together)) > 20
