
from reviewer.core.classifier import (decode, distinct, encode, extract, heading_features, load_model,
                                      sentence_features)
from helpers import analyse_text


def test_features():
    assert {"我们", "加密", "我们会"} <= set(sentence_features("我们会加密"))
    assert "0个" in sentence_features("6个月")
    assert "abc" in sentence_features("ＡＢｃ")  # full-width and upper case fold to ASCII
    assert not any("，" in f for f in sentence_features("收集，使用"))  # n-grams stay inside runs
    assert heading_features("一、如何存储 › （一）存储地点") == [
        "h:何存", "h:储地", "h:地点", "h:如何", "h:存储"]
    assert heading_features("甲 › 乙 › 丙丁") == ["h:丙丁"]  # only the two innermost headings


def test_codes_round_trip():
    for ngram in ("我", "我们", "我们会", "0个", "h:存储"):
        assert decode(encode(ngram)) == ngram


def test_batch_features_keep_sentences_apart():
    f = distinct(extract(["我们收集", "共享信息"], ["一、共享", "一、共享"]))
    first = {decode(int(c)) for r, c in zip(f.rows, f.codes) if r == 0}
    assert "集共" not in first and "收集" in first and "h:共享" in first
    starts = {decode(int(c)): int(s) for r, c, s in zip(f.rows, f.codes, f.starts) if r == 1}
    assert starts["信息"] == 2


def test_model_is_shipped_and_scores_categories():
    model = load_model()
    assert model is not None
    probs, batch = model.scores("我们会采取加密技术保护您的个人信息。", "")
    best = int(probs.argmax())
    assert model.categories[best].name == "安全措施"
    spans = batch.top_features(0, best)
    assert spans and all(0 <= a < b <= len("我们会采取加密技术保护您的个人信息。") for a, b in spans)
    for c in model.categories:
        assert 0 < c.threshold < 1 and c.threshold <= c.free_threshold


def test_explanations_point_into_their_own_sentence():
    model = load_model()
    sentences = ["您可以通过客服热线联系我们。", "我们会采取加密技术保护您的个人信息。", "未满十四周岁的儿童需监护人同意。"]
    batch = model.score(sentences, ["", "", ""])
    for row, sentence in enumerate(sentences):
        best = int(batch.probs[row].argmax())
        single = model.scores(sentence, "")[1].top_features(0, best)
        assert batch.top_features(row, best) == single
        assert all(0 <= a < b <= len(sentence) for a, b in single)


def test_batch_scores_equal_single_scores():
    model = load_model()
    sentences = ["我们会采取加密技术保护您的个人信息。", "您可以通过客服热线联系我们。", "", "6个月"]
    sections = ["四、我们如何保护您的个人信息", "", "二、共享", ""]
    batch = model.score(sentences, sections)
    for n, (s, h) in enumerate(zip(sentences, sections)):
        single, _ = model.scores(s, h)
        assert abs(batch.probs[n] - single).max() < 1e-5


def test_classifier_finding_needs_section_context_and_explains_itself():
    sentence = "我们建立了专门的管理制度、流程和组织。"
    with_section = analyse_text([("heading", "四、我们如何保护您的个人信息"), ("paragraph", sentence)], "zh")
    finding = next(f for f in with_section.findings if sentence in f.text)
    assert finding.topic == "security_measures"
    if finding.rule.startswith("classifier/"):
        assert finding.matched and all(m.text in sentence for m in finding.matched)
        assert all(with_section_text_at(with_section, m) == m.text for m in finding.matched)
        assert finding.items == ()
    # Without a section about the topic, only a very confident model speaks, and says so.
    without = analyse_text([("paragraph", sentence)], "zh")
    model = load_model()
    free = {c.name: c.free_threshold for c in model.categories}
    for f in without.findings:
        if f.rule.startswith("classifier/"):
            assert "without section context" in f.how
            assert f.score >= round(free[f.rule.split("/")[-1]] * 0.8, 2) - 0.01


def with_section_text_at(analysis, match):
    finding = next(f for f in analysis.findings if f.start <= match.start and match.end <= f.end)
    return finding.text[match.start - finding.start:match.end - finding.start]


def test_chinese_model_output_is_fixed():
    """Probabilities and explanations of the shipped Chinese model, as recorded
    (retraining the model means recording them again)."""
    model = load_model("capp130-zh")
    assert model.extractor == "chars"
    sentences = ["我们会采取加密技术保护您的个人信息。", "您可以在设置中撤回授权或注销账号。",
                 "如您对本政策有任何疑问，请通过客服热线400-123-4567联系我们。"]
    sections = ["四、我们如何保护您的个人信息", "", "九、如何联系我们 › （一）联系方式"]
    expected = [
        [0.0008309, 0.0008524, 0.0006541, 0.0022898, 0.9570387, 0.0004743, 0.0007688, 0.0001137, 0.0000589, 0.0000903],
        [0.0241392, 0.0036109, 0.0023818, 0.0010009, 0.0025067, 0.0001719, 0.9997714, 0.0014627, 0.0004410, 0.0000913],
        [0.0000034, 0.0000348, 0.0000066, 0.0000658, 0.0000983, 0.0021543, 0.0005148, 0.9961204, 0.0005365, 0.0000979],
    ]
    batch = model.score(sentences, sections)
    assert abs(batch.probs - expected).max() < 1e-6
    assert [batch.top_features(r, int(batch.probs[r].argmax())) for r in range(3)] == [
        [(5, 7), (0, 3), (1, 3)], [(1, 4), (4, 6), (0, 3)], [(19, 22), (19, 21), (31, 33)]]


def test_a_category_is_labelled_only_when_more_likely_than_not():
    import numpy

    from reviewer.core.classifier import MIN_PROBABILITY, MODEL_NAMES, Model

    meta = {"categories": [{"name": "存储方式", "topics": ["retention"], "threshold": 0.1, "free_threshold": 0.3}]}
    model = Model(meta, numpy.array([1], dtype=numpy.int64), numpy.zeros((1, 1)), numpy.zeros(1))
    assert MIN_PROBABILITY == 0.5
    assert (model.categories[0].threshold, model.categories[0].free_threshold) == (0.5, 0.5)
    for name in MODEL_NAMES.values():
        assert all(c.threshold >= 0.5 and c.free_threshold >= 0.5 for c in load_model(name).categories)


def test_classifier_adds_only_a_purpose_to_a_sentence_a_rule_placed():
    """The statutory exceptions read like collection to the model, but rules
    have placed them; the model may add a purpose, never a category of data."""
    heading = "一、我们收集的个人信息类型"
    lead_in = "根据相关法律法规，以下情形中，我们收集、使用您的个人信息无需征得您的授权同意："
    item = "1.与国家安全、国防安全等国家利益直接相关的；"
    model = load_model("capp130-zh")
    batch = model.score([item], [heading])
    assert batch.probs[0][0] >= model.categories[0].threshold  # 数据收集/权限获取: purposes, pi_categories
    analysis = analyse_text([("heading", heading), ("paragraph", lead_in), ("paragraph", item)], "zh")
    topics = {f.topic: f.rule for f in analysis.findings if item in f.text}
    assert "legal_basis_exceptions" in topics and not topics["legal_basis_exceptions"].startswith("classifier/")
    assert "pi_categories" not in topics
    assert [t for t, rule in topics.items() if rule.startswith("classifier/")] in ([], ["purposes_and_use"])


def test_an_unplaced_sentence_takes_every_confident_category(monkeypatch):
    """What the model itself adds does not count as a rule's placing: a
    sentence no rule placed gets the topics of all its confident categories."""
    import numpy

    import reviewer.core.engine as engine
    from reviewer.core.classifier import Model

    meta = {"extractor": "chars", "categories": [
        {"name": "存储方式", "topics": ["retention"], "threshold": 0.5, "free_threshold": 0.6},
        {"name": "安全措施", "topics": ["security_measures"], "threshold": 0.5, "free_threshold": 0.6}]}
    sure = Model(meta, numpy.array([1], dtype=numpy.int64), numpy.zeros((1, 2)), numpy.array([5.0, 5.0]))
    monkeypatch.setattr(engine, "load_model", lambda name: sure if name == "capp130-zh" else None)
    sentence = "这一段话本身不含任何规则能认出的词语。"
    analysis = analyse_text([("paragraph", sentence)], "zh")
    topics = {f.topic for f in analysis.findings if f.rule.startswith("classifier/")}
    assert topics == {"retention", "security_measures"}


def test_topic_models_are_shipped_with_one_known_topic_per_category():
    from reviewer.core.classifier import TOPIC_MODEL_NAMES
    from reviewer.core.rules import load_ruleset

    topics = {t.id for t in load_ruleset().topics}
    for lang, name in TOPIC_MODEL_NAMES.items():
        model = load_model(name)
        assert model is not None, name
        assert model.extractor == {"zh": "chars", "en": "words"}[lang]
        assert "CAPP-130" in model.meta["trained_on"] and "OPP" not in model.meta["trained_on"]
        assert len(model.categories) >= 10
        for c in model.categories:
            assert c.topics == (c.name,) and c.name in topics
            assert 0.5 <= c.threshold < 1 and c.free_threshold == c.threshold
        assert model.weights.shape == (len(model.codes), len(model.categories))


def _topic_model(monkeypatch, topic: str, cue: str, lang: str = "zh"):
    """Stands a topic model that is sure of ``topic`` wherever ``cue`` occurs in for the shipped one."""
    import numpy

    import reviewer.core.engine as engine
    from reviewer.core.classifier import Model, TOPIC_MODEL_NAMES, encode, encode_words

    code = encode(cue) if lang == "zh" else encode_words(cue)
    meta = {"extractor": "chars" if lang == "zh" else "words",
            "categories": [{"name": topic, "topics": [topic], "threshold": 0.9, "free_threshold": 0.9}]}
    sure = Model(meta, numpy.array([code], dtype=numpy.int64), numpy.array([[6.0]]), numpy.array([-3.0]))
    shipped = load_model
    monkeypatch.setattr(engine, "load_model",
                        lambda name: sure if name == TOPIC_MODEL_NAMES[lang] else shipped(name))


def test_topic_model_adds_its_topic_anywhere_and_explains_itself(monkeypatch):
    """Unlike the category model, the topic model needs no section context and
    may add a topic to a sentence that rules placed in another."""
    _topic_model(monkeypatch, "retention", "保管")
    sentence = "我们会依照法律法规的要求保管您的个人信息。"
    analysis = analyse_text([("paragraph", "与保管无关的一句话没有这个词语吗"), ("paragraph", sentence)], "zh")
    found = [f for f in analysis.findings if f.rule == "classifier/capp130-topics-zh/retention"]
    assert [f.text for f in found] == ["与保管无关的一句话没有这个词语吗", sentence]
    finding = found[1]
    assert finding.topic == "retention" and finding.items == () and not finding.negated
    assert finding.how == "trained topic classifier, confident"
    assert finding.score == round(0.8 / (1 + 2.718281828 ** -3), 2)
    assert [(m.text, sentence[m.start - finding.start:m.end - finding.start]) for m in finding.matched] == [
        ("保管", "保管")]


def test_topic_model_does_not_repeat_a_topic_a_rule_found(monkeypatch):
    _topic_model(monkeypatch, "retention", "存储")
    sentence = "我们将您的个人信息存储于中华人民共和国境内，保存期限为六个月。"
    analysis = analyse_text([("paragraph", sentence)], "zh")
    retention = [f for f in analysis.findings if f.topic == "retention"]
    assert len(retention) == 1 and not retention[0].rule.startswith("classifier/")


def test_topic_model_reads_english_words(monkeypatch):
    _topic_model(monkeypatch, "complaint_channel", "hotline", lang="en")
    sentence = "You can reach the hotline at any time."
    analysis = analyse_text([("paragraph", sentence)], "en")
    finding = next(f for f in analysis.findings if f.rule == "classifier/capp130-topics-en/complaint_channel")
    assert [m.text for m in finding.matched] == ["hotline"]


def test_topic_model_respects_a_rule_that_rules_its_topic_out(monkeypatch):
    """'停止使用或注销账号' answers a changed policy: the account_deletion rule's
    unless_sentence voids its cue, and the topic model may not add the topic
    back; where no rule spoke, it may."""
    _topic_model(monkeypatch, "account_deletion", "注销")
    trigger = "如您不同意变更，可以停止使用或注销账号。"
    elsewhere = "如需注销，请联系客服。"
    analysis = analyse_text([("paragraph", trigger), ("paragraph", elsewhere)], "zh")
    deletion = [f.text for f in analysis.findings if f.topic == "account_deletion"]
    assert deletion == [elsewhere]


def test_topic_model_respects_a_rule_that_rules_its_topic_out_by_heading(monkeypatch):
    """Under "（三）公开披露" sharing's weak "披露" cue does not count (its
    unless_section); a topic model sure of sharing wherever "披露" occurs may not
    add the topic back there, but may under "（一）共享"."""
    _topic_model(monkeypatch, "sharing_third_parties", "披露")
    sentence = "我们仅会在以下情况下披露您的个人信息："
    top = ("heading", "四、我们如何共享、转让、公开披露您的个人信息")
    for sub, expected in (("（三）公开披露", []), ("（一）共享", [sentence])):
        analysis = analyse_text([top, ("heading", sub), ("paragraph", sentence)], "zh")
        assert [f.text for f in analysis.findings
                if f.topic == "sharing_third_parties" and f.text == sentence] == expected, sub


def test_a_topic_only_a_classifier_sees_is_reported_as_such(monkeypatch):
    """A checklist item that no rule can answer is 'needs review' when its topic
    is addressed; when only a classifier placed clauses in the topic, the
    reason says so, since that is weaker evidence than a rule's."""
    _topic_model(monkeypatch, "account_deletion", "某某")
    sentence = "某某事项请与我们联系。"
    analysis = analyse_text([("paragraph", sentence)], "zh")
    assert [f.rule for f in analysis.findings if f.topic == "account_deletion"] == [
        "classifier/capp130-topics-zh/account_deletion"]
    verdict = next(v for v in analysis.checklist if v.item == "account_deletion#AD-2")
    assert verdict.status == "needs_review"
    assert verdict.reason.startswith("Only the trained classifiers see the topic addressed (1 clause(s))")
    ruled = analyse_text([("paragraph", "您可以在设置中申请注销账号。")], "zh")
    verdict = next(v for v in ruled.checklist if v.item == "account_deletion#AD-2")
    assert verdict.status == "needs_review" and verdict.reason.startswith("The topic is addressed")
