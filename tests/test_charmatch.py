"""Chinese phrase matching on the token string finds what spaCy's PhraseMatcher
finds on the tokens of spacy.blank("zh"), for the whole rulebook."""
import random
import sys
from pathlib import Path

import pytest
import spacy
from spacy.matcher import PhraseMatcher

from reviewer.core.charmatch import CharPhraseMatcher, char_tokens
from reviewer.core.rules import load_ruleset

CAPP = Path(__file__).resolve().parents[2] / "shared" / "corpus" / "capp130" / "texts"


@pytest.fixture(scope="module")
def zh():
    return spacy.blank("zh")


def test_every_whitespace_character_is_below_the_table_limit():
    from reviewer.core.charmatch import _LAST_SPACE
    assert max(c for c in range(sys.maxunicode + 1) if chr(c).isspace()) <= _LAST_SPACE


def test_tokens_are_those_of_spacys_char_segmentation(zh):
    samples = ["", " ", "我们 收集", "  前导空格", "结尾 ", "结尾  ", "a  b", "a \nb", "a\n b",
               "第一条\n\n我们\u3000会", "Email: a@b.com 电话", " \t\n", "个 人\u00a0信息"]
    alphabet = "我们ab \n\u3000\t.。，\u00a0\u200b\x1c"
    rng = random.Random(7)
    samples += ["".join(rng.choice(alphabet) for _ in range(rng.randint(0, 30))) for _ in range(2000)]
    for text in samples:
        string, starts = char_tokens(text)
        tokens = zh.tokenizer(text)
        assert starts.tolist() == [t.idx for t in tokens], repr(text)
        assert [c for c, t in zip(string, tokens) if not t.is_space] == [t.text for t in tokens if not t.is_space]


def _spacy_matches(zh, ruleset, texts):
    matcher = PhraseMatcher(zh.vocab, attr="ORTH")
    for rule in ruleset.rules:
        if rule.lang == "zh" and rule.phrases:
            matcher.add(rule.id, [zh.make_doc(p) for p in rule.phrases])
    found = set()
    for text, offset in texts:
        doc = zh.make_doc(text)
        for key, start, end in matcher(doc):
            found.add((zh.vocab.strings[key], offset + doc[start].idx, offset + doc[end - 1].idx + len(doc[end - 1])))
    return found


def _ours(ruleset):
    matcher = CharPhraseMatcher()
    for rule in ruleset.rules:
        if rule.lang == "zh":
            matcher.add(rule.id, rule.phrases)
    return matcher


def test_rulebook_phrases_match_where_spacys_phrase_matcher_does(zh):
    ruleset = load_ruleset()
    texts = ["我们会收集您的手机号码、设备信息（IMEI、OAID）和位置信息，用于向您推送广告。",
             "您可以在“设置-隐私”中撤回同意，或回复TD退订短信。",
             "我们接入了第三方 SDK，详见《第三方SDK清单》。",
             "未满14周岁的儿童，应在监护人同意后使用。\n\n个人 信息保护负责人：privacy@example.com"]
    texts = [(t, 1000 * n) for n, t in enumerate(texts)]
    expected = _spacy_matches(zh, ruleset, texts)
    got = _ours(ruleset)(texts)
    assert len(expected) > 15
    assert set(got) == expected
    assert len(got) == len(expected)
    assert got == sorted(got, key=lambda m: (m[1], m[2]))


@pytest.mark.skipif(not CAPP.is_dir(), reason="../shared/corpus not present")
def test_same_matches_as_spacy_on_real_policies(zh):
    ruleset = load_ruleset()
    ours = _ours(ruleset)
    for path in sorted(CAPP.glob("*.txt"))[:4]:
        lines = path.read_text(encoding="utf-8").split("\n")
        offsets = [sum(len(line) + 1 for line in lines[:n]) for n in range(len(lines))]
        texts = [(line, at) for line, at in zip(lines, offsets) if line.strip()]
        assert set(ours(texts)) == _spacy_matches(zh, ruleset, texts), path.name


def test_a_match_never_spans_two_texts():
    matcher = CharPhraseMatcher()
    matcher.add("info", ["个人信息"])
    assert matcher([("我们的个人", 0), ("信息", 10)]) == []
    assert matcher([("我们的个人", 0), ("个人信息", 10)]) == [("info", 10, 14)]


def test_a_single_space_inside_a_phrase_does_not_stop_it():
    matcher = CharPhraseMatcher()
    matcher.add("info", ["个人信息"])
    matcher.add("same", ["个人 信息", "个人信息"])
    text = "收集个人 信息和个人  信息"
    assert matcher([(text, 0)]) == [("info", 2, 7), ("same", 2, 7)]
