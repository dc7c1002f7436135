"""The top-level alternatives of red-flag patterns, whose anchors pick the
sentences a rule's regexes run on."""

import pytest

from reviewer.core.anchors import requirements
from reviewer.core.redflags import _alternatives, _compiled
from reviewer.core.rules import load_ruleset


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
    assert _alternatives(pattern) == expected


SAMPLES = [
    "设备信息、Cookie不属于您的个人信息，且我们无法单独识别您的身份。",
    "我们可能向境外执法机构提供您的个人信息；您的同意一经作出不可撤回。",
    "请您定期查看本政策，我们确保您的信息绝对安全。",
    "Your consent is irrevocable. We may disclose data to foreign government authorities.",
    "Please check this page regularly. We keep your data as long as necessary.",
]


def test_every_match_holds_the_anchors_of_an_alternative():
    checked = 0
    for flag in load_ruleset().red_flags:
        matcher = _compiled(flag)[0]
        if matcher is None:
            continue
        for pattern, alternatives in matcher.patterns:
            assert "|".join(_alternatives(pattern.pattern)) == pattern.pattern
            assert alternatives == [requirements(a) for a in _alternatives(pattern.pattern)]
            for text in SAMPLES:
                for m in pattern.finditer(text):
                    found = m.group(0).lower()
                    assert any(all(any(k in found for k in keys) for keys in required)
                               for required in alternatives), (pattern.pattern, m.group(0))
                    checked += 1
    assert checked > 5
