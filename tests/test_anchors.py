import random
import re

import pytest

from reviewer.core.anchors import PatternAnchors, TextIndex, alternatives, requirement_options, requirements
from reviewer.core.redflags import _compiled
from reviewer.core.rules import load_ruleset


@pytest.mark.parametrize("pattern,expected", [
    (r"\b(retain|keep)\w* for\b", [{"retain", "keep"}, {" for"}]),
    (r"(保存|存储)[^。]{0,20}\d+\s*(个月|年)", [{"保存", "存储"}, {"个月", "年"}]),
    (r"(?<![A-Za-z])(SSL|TLS)", [{"ssl", "tls"}]),
    (r"\d+", []),
    (r"(a|b)c", []),  # single letters are in every text
    (r"(an|be)c", [{"an", "be"}]),
    (r"x?yz", [{"yz"}]),
    (r"(?:x|)yz", [{"yz"}]),
    (r"(?!not )share", [{"share"}]),
    (r"ab+cd", [{"cd"}]),
    (r"(?:to|in)\s+(?:united states|eu)", [{"united states", "eu"}, {"to", "in"}]),
])
def test_requirements(pattern, expected):
    assert sorted(map(sorted, requirements(pattern))) == sorted(map(sorted, expected))


SAMPLES = [
    "We will retain your personal information for 3 years and delete it afterwards.",
    "我们将在您注销账号后15个工作日内删除您的个人信息，日志保存6个月。",
    "You may withdraw your consent or opt out of marketing emails at any time.",
    "我们不会向境外提供您的个人信息；如您是不满十四周岁的儿童，请在监护人陪同下阅读。",
    "By using our services you agree to this policy, including but not limited to our partners.",
    "继续使用即视为您同意本政策。我们可能将您的信息传输至境外服务器。",
    "Personal information may be transferred to servers located in the United States.",
]


def _all_patterns():
    ruleset = load_ruleset()
    patterns = [p for rule in ruleset.rules for p in rule.regex]
    for flag in ruleset.red_flags:
        matcher = _compiled(flag)[0]
        if matcher is not None:
            patterns += [p.pattern for p, _ in matcher.patterns]
    return patterns


@pytest.mark.parametrize("pattern, expected", [
    ("abc", ["abc"]),
    ("a|b(c|d)", ["a", "b(c|d)"]),
    (r"a\|b|c", [r"a\|b", "c"]),
    (r"\\|d", [r"\\", "d"]),
    ("[|]|x", ["[|]", "x"]),
    ("[]|]|y", ["[]|]", "y"]),
    ("[^]|]|z", ["[^]|]", "z"]),
    (r"[\]|]|e", [r"[\]|]", "e"]),
    ("(?:a|b)|(?<=c|d)e", ["(?:a|b)", "(?<=c|d)e"]),
    ("(?i)a|b", ["(?i)a|b"]),
    ("a(?#x|y)|b", ["a(?#x|y)|b"]),
])
def test_alternatives(pattern, expected):
    assert alternatives(pattern) == expected
    assert "|".join(alternatives(pattern)) == pattern


def test_each_alternative_has_its_own_anchors():
    options = requirement_options(r"share\w* with (partners|affiliates)|transfer\w* abroad")
    assert [sorted(map(sorted, required)) for required in options] == [
        [[" with "], ["affiliates", "partners"], ["share"]], [[" abroad"], ["transfer"]]]


def test_every_match_holds_every_required_anchor_set_and_those_of_one_alternative():
    checked = 0
    for pattern in _all_patterns():
        required, options = requirements(pattern), requirement_options(pattern)
        for text in SAMPLES:
            for m in re.finditer(pattern, text, re.I):
                found = m.group(0).lower()
                assert all(any(k in found for k in keys) for keys in required), (pattern, m.group(0))
                assert any(all(any(k in found for k in keys) for keys in option) for option in options), \
                    (pattern, m.group(0))
                checked += 1
    assert checked > 20


def test_index_candidates_are_the_texts_holding_every_set():
    rng = random.Random(3)
    words = ["we", "share", "your", "data", "with", "partners", "境外", "传输", "保存", "个月", "for", "the",
             "information", "of", "in", "转让", ".", "，"]
    texts = [" ".join(rng.choice(words) for _ in range(rng.randint(0, 12))) for _ in range(300)]
    texts += ["We SHARE Data", ""]
    index = TextIndex(texts)
    sets = [(frozenset({"share"}),), (frozenset({"we", "传输"}), frozenset({"data"})),
            (frozenset({"个月"}), frozenset({"保存"}), frozenset({"境"})), (frozenset({"partners with"}),),
            (frozenset({"no such words"}),), (frozenset({"in"}), frozenset({"of the"})), ()]
    among = set(range(0, len(texts), 2))

    def candidates(required, mask=None):
        return index.pattern_candidates(PatternAnchors([(required,)]), mask)[1]

    everything = []
    for p, required in enumerate(sets):
        expected = [n for n, t in enumerate(texts)
                    if all(any(k in t.lower() for k in keys) for keys in required)]
        assert candidates(required) == expected, required
        assert candidates(required, index.mask(among)) == [n for n in expected if n in among]
        everything += [(p, n) for n in expected]
    # all patterns at once, as the engine asks
    patterns, found = index.pattern_candidates(PatternAnchors([(required,) for required in sets]))
    assert list(zip(patterns, found)) == everything
    assert len(candidates((frozenset({"we"}),))) > 32  # hits spread over several 64-bit words


def test_regex_hits_match_a_scan_of_every_sentence():
    """Gating by anchors never loses a match: the engine's regex hits equal a
    plain run of every rule regex over every sentence."""
    from reviewer.core.engine import _detector

    ruleset = load_ruleset()
    for lang in ("en", "zh"):
        detector = _detector(ruleset, lang)
        blocks, at = [], 0
        for text in SAMPLES * 3:
            blocks.append((text, at))
            at += len(text) + 1
        index = TextIndex([t for t, _ in blocks])
        got = {(h.rule.id, h.start, h.end) for h in detector.regex_hits(blocks, index, index.mask(range(len(blocks))))}
        expected = {(rule.id, offset + m.start(), offset + m.end())
                    for rule, pattern, _ in detector.regexes for text, offset in blocks
                    for m in pattern.finditer(text) if m.end() > m.start()}
        assert got == expected
        assert expected
