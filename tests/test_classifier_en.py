import re

from reviewer.core.classifier import HEADING_FLAG, encode_words, extract, load_model
from helpers import analyse_text

SENTENCE = "We use encryption technology to protect your personal information."


def codes_of(sentences, sections=None):
    f = extract(sentences, sections or [""] * len(sentences), "words")
    return f, {int(c) for c in f.codes}


def test_word_features_fold_case_and_digits():
    _, codes = codes_of(["We SHARED 14 items."])
    assert {encode_words("shared"), encode_words("We"), encode_words("14"), encode_words("shared 14")} <= codes
    assert encode_words("Shared") == encode_words("shared")
    assert encode_words("14") == encode_words("99") != encode_words("999")
    assert encode_words("shared 14") != encode_words("14 shared")
    assert len(codes) == 4 + 3  # words and the pairs of neighbouring words


def test_word_pairs_stay_inside_their_sentence():
    f, codes = codes_of(["we share", "data now"])
    assert encode_words("we share") in codes and encode_words("data now") in codes
    assert encode_words("share data") not in codes
    assert set(f.rows.tolist()) == {0, 1}


def test_word_offsets_point_at_the_words():
    sentences = ["First line.", "We may share it, with partners."]
    f, _ = codes_of(sentences)
    spans = {sentences[r][s:s + n] for r, s, n in zip(f.rows, f.starts, f.lengths) if s >= 0}
    assert {"We", "share", "partners", "We may", "it, with", "First line"} <= spans


def test_heading_words_are_separate_features():
    f, codes = codes_of(["We may share it."], ["4. Sharing › 4.1 Our partners"])
    headings = {int(c) for c, s in zip(f.codes, f.starts) if s < 0}
    assert encode_words("h:partners") in headings and encode_words("h:sharing") in headings
    assert all(c & HEADING_FLAG for c in headings)
    assert encode_words("partners") not in codes  # the word is in the heading only


def test_english_model_is_shipped_and_scores_categories():
    model = load_model("capp130-en")
    assert model is not None and model.extractor == "words"
    probs, batch = model.scores(SENTENCE, "")
    best = int(probs.argmax())
    assert model.categories[best].name == "Data Security"
    words = [SENTENCE[a:b] for a, b in batch.top_features(0, best)]
    assert "encryption" in words
    assert all(re.fullmatch(r"[A-Za-z]+( [A-Za-z]+)?", w) for w in words)


def test_english_classifier_finding_explains_itself():
    sentence = "We have established a dedicated management system, processes and organization."
    analysis = analyse_text([("heading", "How we protect your personal information"),
                             ("paragraph", sentence)], "en")
    finding = next(f for f in analysis.findings if sentence in f.text)
    assert finding.topic == "security_measures"
    assert finding.rule.startswith("classifier/capp130-en/")
    assert finding.items == () and finding.matched
    for match in finding.matched:
        assert re.fullmatch(r"[A-Za-z]+( [A-Za-z]+)?", match.text)
        assert finding.text[match.start - finding.start:match.end - finding.start] == match.text
    # Trained on machine translations, the English model never speaks without section context.
    without = analyse_text([("paragraph", sentence)], "en")
    assert not [f for f in without.findings if f.rule.startswith("classifier/")]
