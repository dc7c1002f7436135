"""Clauses on the policy itself: what it covers, which text prevails, its legal
basis and its title (policy_accessibility)."""
import pytest

from helpers import analyse_text


def found_topics(text, lang):
    return {f.topic for f in analyse_text([("paragraph", text)], lang).findings if text in f.text}


@pytest.mark.parametrize("text", [
    "除某些特定服务外，我们所有的服务均适用本《隐私政策》。",
    "第三方服务商收集您信息的行为不受本政策约束，请您查阅其隐私政策。",
    "如特定服务的隐私规则与本政策有不一致之处，以该特定服务的规则为准。",
    "特定规则未提及之处，以本政策为准。",
    "该等特定服务的隐私规则构成本政策的一部分。",
    "本政策以《中华人民共和国个人信息保护法》等法律法规为依据。",
    "我们根据《中华人民共和国网络安全法》及相关国家标准制定本政策。",
    "星河阅读用户隐私政策",
])
def test_scope_precedence_basis_and_title_zh(text):
    assert "policy_accessibility" in found_topics(text, "zh")


@pytest.mark.parametrize("text", [
    "我们会在收集前向您说明收集的目的。",
    "我们会要求新的持有方继续受本政策约束。",
])
def test_near_misses_zh(text):
    assert "policy_accessibility" not in found_topics(text, "zh")


def test_what_the_policy_does_not_cover_en():
    assert "policy_accessibility" in found_topics(
        "Services offered by third parties are not governed by this policy.", "en")
    assert "policy_accessibility" not in found_topics(
        "We will require the new company holding your information to be bound by this policy.", "en")


def test_what_collected_information_is_for_en():
    assert "purposes_and_use" in found_topics(
        "We collect this information to follow up on your complaint and conduct satisfaction surveys.", "en")
    assert "purposes_and_use" not in found_topics(
        "We may disclose the information to third parties when the law requires it.", "en")


@pytest.mark.parametrize("text", [
    "We collect personal information from you when you enter a contest or sweepstakes.",
    "The museum may collect personal information in connection with online ticket purchases.",
])
def test_the_occasion_of_collection_en(text):
    found = analyse_text([("paragraph", text)], "en").findings
    assert any(f.topic == "purposes_and_use" and "purposes_and_use#PU-2" in f.items for f in found)


def test_collection_without_an_occasion_is_not_a_method_en():
    found = analyse_text([("paragraph", "We collect personal information.")], "en").findings
    assert not any("purposes_and_use#PU-2" in f.items for f in found)


@pytest.mark.parametrize("text", [
    "If you do not authorize this permission, you will not be able to use the online payment function.",
    "When you use this function, we need to obtain your microphone right.",
    "In specific activities, we will read your clipboard content to check for an invitation code.",
    "We call the acceleration sensor and gyroscope sensor of your device to detect shaking.",
])
def test_permissions_in_translated_policies_en(text):
    assert "device_permissions" in found_topics(text, "en")


@pytest.mark.parametrize("text", ["You have the right to access your personal information.",
                                  "We will obtain your permission before we share your information."])
def test_permission_near_misses_en(text):
    assert "device_permissions" not in found_topics(text, "en")


def test_log_out_your_account_is_cancelling_it_en():
    assert "account_deletion" in found_topics("Logging out your account is an irreversible operation.", "en")
    assert "account_deletion" not in found_topics("You can log out of your account at any time.", "en")


@pytest.mark.parametrize("text", [
    "If you continue to use the service, you are deemed to agree to the updated content.",
    "When the user turns on this permission, it is deemed to be authorized by the user to access the information.",
    "We may obtain your authorization through pop -ups and other methods.",
])
def test_consent_forms_of_translated_policies_en(text):
    assert "consent_withdrawal" in found_topics(text, "en")


@pytest.mark.parametrize("text", [
    "Certificate number, date of birth, nationality, occupation, mobile phone number.",
    "We will share your name, mobile phone number and delivery address with the courier.",
    "Such information is necessary information for this function.",
])
def test_named_kinds_of_data_en(text):
    assert "pi_categories" in found_topics(text, "en")


def test_a_single_name_is_not_a_list_en():
    assert "pi_categories" not in found_topics("Please contact us by email, and we will reply soon.", "en")


def test_cookies_alone_are_not_a_category_of_data_en():
    blocks = [("heading", "1. Information We Collect"), ("paragraph", "You can also manage cookies through your browser settings.")]
    found = {f.topic for f in analyse_text(blocks, "en").findings if "manage cookies" in f.text}
    assert "cookies_tracking" in found and "pi_categories" not in found
