"""A broken rulebook is refused on load, with the file and the entry named."""
import shutil

import pytest

from reviewer.core.resources import resource_path
from reviewer.core.rules import RulesetError, load_ruleset_from


@pytest.fixture
def rulebook(tmp_path):
    root = tmp_path / "pipl"
    shutil.copytree(resource_path("rules", "pipl"), root)
    return root


def edit(path, old, new):
    text = path.read_text(encoding="utf-8")
    assert old in text, old
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


def test_the_shipped_rulebook_loads(rulebook):
    ruleset = load_ruleset_from(rulebook)
    assert len(ruleset.topics) == 27
    assert len(ruleset.rules) > 300


@pytest.mark.parametrize("file,old,new,message", [
    ("detect/retention.yaml", "  - id: retention/period-stated\n", "  - id: period-stated\n",
     "rule ids must start with 'retention/'"),
    ("detect/retention.yaml", "    items: [RT-1]\n", "    items: [RT-99]\n", "unknown checklist item"),
    ("detect/retention.yaml", "  - id: retention/period-stated\n    lang: en\n",
     "  - id: retention/period-stated\n    lang: fr\n", "lang must be en or zh"),
    ("detect/retention.yaml", "    - '\\bhow long\\b'\n", "    - '(?i)how long'\n", "drop the inline flags"),
    ("detect/retention.yaml", "    - '\\bhow long\\b'\n", "    - '(how long'\n", "bad regex"),
    ("detect/retention.yaml", "  - id: retention/period-stated\n    lang: en\n",
     "  - id: retention/period-stated\n    lang: en\n    unless_sentence: ['(as long']\n", "bad regex"),
    ("detect/retention.yaml", "  - id: retention/period-stated\n    lang: en\n",
     "  - id: retention/period-stated\n    lang: en\n    unless_section: ['(storage']\n", "bad regex"),
    ("topics.yaml", '      met_with: ["pi_categories#PC-1", "purposes_and_use#PU-1"]\n',
     '      met_with: ["pi_categories#PC-1", "purposes_and_use#PU-9"]\n', "met_with names an unknown item"),
    ("topics.yaml", '        - name: "delete"\n', '        - name: ""\n', "each part needs a name and a regex list"),
    ("topics.yaml", "          regex: ['\\bdelet\\w*|\\berase\\b|\\berasure\\b', '删除']",
     "          regex: ['\\bdelet\\w*|\\berase\\b|\\berasure\\b']", "needs an English and a Chinese pattern"),
    ("topics.yaml", '        - name: "delete"\n          regex: [\'', '        - name: "delete"\n          regex: [\'(erase\', \'',
     "bad regex"),
    ("lexicons.yaml", "     unless_sentence: ['", "     unless_sentence: ['(odometer', '", "bad regex"),
    ("detect/retention.yaml", "topic: retention\n", "topic: storage\n", "unknown topic 'storage'"),
    ("detect/retention.yaml", "rules:\n", "rules: [\n", "not valid YAML"),
    ("red_flags.yaml", '  basis: "PIPL 17(1); NDSR 21(1); APPR 一.4"\n', "", "needs a why and a basis"),
    ("detect/retention.yaml", "    lang: zh\n    items: [RT-1]\n    phrases: [",
     "    lang: zh\n    items: [RT-1]\n    patterns:\n      - [{ORTH: 保}, {ORTH: 存}]\n    phrases: [",
     "Chinese rules use phrases or regex"),
    ("detect/retention.yaml", "phrases: [判断前述期限的标准,", 'phrases: ["判断前述\\n期限的标准",',
     "may hold single spaces only"),
    ("detect/retention.yaml", "  - id: retention/period-stated\n    lang: en\n",
     "  - id: retention/period-stated\n    lang: en\n    strenght: weak\n", "unknown field 'strenght'"),
    ("red_flags.yaml", "- id: retention/as-long-as-necessary\n  topic: retention\n",
     "- id: retention/as-long-as-necessary\n  topic: retention\n  unless: ['x']\n", "unknown field 'unless'"),
])
def test_broken_rulebook_is_refused_with_a_clear_message(rulebook, file, old, new, message):
    edit(rulebook / file, old, new)
    with pytest.raises(RulesetError, match=message.replace("(", r"\(").replace(")", r"\)")) as refused:
        load_ruleset_from(rulebook)
    assert "\n" not in str(refused.value)


def test_bad_token_pattern_is_refused(rulebook):
    path = rulebook / "detect" / "retention.yaml"
    edit(path, "  - id: retention/period-stated\n    lang: en\n    items: [RT-1]\n",
         "  - id: retention/period-stated\n    lang: en\n    items: [RT-1]\n    patterns:\n"
         "      - [{POS: NOUN}]\n")
    with pytest.raises(RulesetError, match="retention/period-stated.*bad token pattern"):
        load_ruleset_from(rulebook)


def test_duplicate_rule_ids_are_refused(rulebook):
    path = rulebook / "detect" / "retention.yaml"
    edit(path, "  - id: retention/criteria\n", "  - id: retention/period-stated\n")
    with pytest.raises(RulesetError, match="duplicate rule ids: retention/period-stated"):
        load_ruleset_from(rulebook)


def test_a_generic_word_is_refused_as_a_strong_phrase(rulebook):
    path = rulebook / "detect" / "retention.yaml"
    edit(path, "    phrases: [retention period, ", "    phrases: [information, such as, retention period, ")
    with pytest.raises(RulesetError, match="retention/period-stated: phrase 'information' alone is too common"):
        load_ruleset_from(rulebook)


def test_a_rules_unless_sentence_keeps_its_cues_out_of_matching_sentences(rulebook):
    from helpers import make_document
    from reviewer.core.engine import analyze

    kept = "We keep your order records for 3 years."
    excepted = "Our partners keep your order records for 3 years."
    path = rulebook / "detect" / "retention.yaml"
    before = load_ruleset_from(rulebook)
    edit(path, "  - id: retention/period-stated\n    lang: en\n",
         "  - id: retention/period-stated\n    lang: en\n    unless_sentence: ['\\bpartners\\b']\n")
    after = load_ruleset_from(rulebook)
    for text, found_after in ((kept, True), (excepted, False)):
        doc = make_document([("paragraph", text)])
        assert any(f.rule == "retention/period-stated" for f in analyze(doc, before).findings)
        assert any(f.rule == "retention/period-stated" for f in analyze(doc, after).findings) == found_after


def test_every_english_phrase_finds_itself_as_written():
    """A phrase is matched on lemmas; one that the tokenizer splits otherwise
    when it is lower-cased ("id" is read as "I'd") must still find its own words."""
    from reviewer.core.engine import Detector
    from reviewer.core.rules import load_ruleset
    from reviewer.core.segment import pipeline

    ruleset = load_ruleset()
    detector = Detector(ruleset, "en")
    nlp = pipeline("en")
    missing = []
    for rule in ruleset.rules:
        if rule.lang != "en":
            continue
        for phrase in rule.phrases:
            found = {nlp.vocab.strings[key] for key, _, _ in detector.phrases(nlp(f"We note {phrase} here."))}
            if rule.id not in found:
                missing.append((rule.id, phrase))
    assert not missing
    assert any(p == "device ID" for r in ruleset.rules for p in r.phrases)  # the case that was missed
