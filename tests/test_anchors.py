import re

import pytest

from reviewer.core.anchors import anchors
from reviewer.core.rules import load_ruleset


@pytest.mark.parametrize("pattern,expected", [
    (r"\b(retain|keep)\w* for\b", {"retain", "keep"}),
    (r"(保存|存储)[^。]{0,20}\d+\s*(个月|年)", {"保存", "存储"}),
    (r"(?<![A-Za-z])(SSL|TLS)", {"ssl", "tls"}),
    (r"\d+", None),
    (r"(a|b)c", None),
    (r"x?yz", {"yz"}),
])
def test_anchors(pattern, expected):
    assert anchors(pattern) == (frozenset(expected) if expected else None)


def test_every_rule_match_contains_one_of_its_anchors():
    samples = [
        "We will retain your personal information for 3 years and delete it afterwards.",
        "我们将在您注销账号后15个工作日内删除您的个人信息，日志保存6个月。",
        "You may withdraw your consent or opt out of marketing emails at any time.",
        "我们不会向境外提供您的个人信息；如您是不满十四周岁的儿童，请在监护人陪同下阅读。",
    ]
    ruleset = load_ruleset()
    checked = 0
    for rule in ruleset.rules:
        for pattern in rule.regex:
            found = anchors(pattern)
            if found is None:
                continue
            for text in samples:
                for m in re.finditer(pattern, text, re.I):
                    assert any(a in m.group(0).lower() for a in found), (rule.id, pattern, m.group(0))
                    checked += 1
    assert checked > 10
