from reviewer.core.classifier import heading_features, load_model, sentence_features
from helpers import analyse_text




def test_features():
    assert {"我们", "加密", "我们会"} <= set(sentence_features("我们会加密"))
    assert "0个" in sentence_features("6个月")
    assert heading_features("一、如何存储 › （一）存储地点") == [
        "h:如何", "h:何存", "h:存储", "h:存储", "h:储地", "h:地点"]


def test_model_is_shipped_and_scores_categories():
    model = load_model()
    assert model is not None
    probs, features = model.scores("我们会采取加密技术保护您的个人信息。", "")
    best = model.categories[int(probs.argmax())]
    assert best.name == "安全措施"
    assert model.top_features(features, int(probs.argmax()))


def test_classifier_finding_needs_section_context_and_explains_itself():
    sentence = "我们建立了专门的管理制度、流程和组织。"
    with_section = analyse_text([("heading", "四、我们如何保护您的个人信息"), ("paragraph", sentence)], "zh")
    finding = next(f for f in with_section.findings if sentence in f.text)
    assert finding.topic == "security_measures"
    if finding.rule.startswith("classifier/"):
        assert finding.matched and all(m.text in sentence for m in finding.matched)
        assert finding.items == ()
    without = analyse_text([("paragraph", sentence)], "zh")
    assert not any(f.rule.startswith("classifier/") for f in without.findings)
