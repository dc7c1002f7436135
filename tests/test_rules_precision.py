"""Chinese clauses that cue words used to misfile: refusing to provide optional
data is not consent, listing ways of disclosing is not a transfer in a merger,
an SDK collecting data is an SDK matter, and so on. Each case pairs the clause
that must no longer be found with one that still must."""
import pytest

from helpers import analyse_text


def topics_of(blocks, needle):
    analysis = analyse_text(blocks, "zh")
    return {f.topic: f for f in analysis.findings if needle in f.text}


def para(text):
    return [("paragraph", text)]


def test_refusing_optional_data_is_a_purposes_matter_not_consent():
    text = "如您拒绝提供上述信息，您将无法使用该功能，但不影响您正常使用其他功能。"
    found = topics_of(para(text), text)
    assert "consent_withdrawal" not in found
    assert "purposes_and_use#PU-3" in found["purposes_and_use"].items
    withdraw = "您撤回同意后，不会影响您继续使用我们的其他功能。"
    assert "consent_withdrawal#CW-4" in topics_of(para(withdraw), withdraw)["consent_withdrawal"].items


@pytest.mark.parametrize("text", [
    "在以下情形中，我们共享、转让、公开披露您的个人信息无需事先征得您的授权同意：",
    "我们不会主动共享、提供或转让您的个人信息至第三方。",
    "如您请求将个人信息转移至您指定的个人信息处理者，我们将依法提供转移的途径。",
    "我们不会违反法律规定收集、存储、使用、转移您的个人信息。",
])
def test_ways_of_disclosing_and_portability_are_not_a_merger_transfer(text):
    assert "transfer_merger" not in topics_of(para(text), text)


@pytest.mark.parametrize("text", [
    "我们不会将您的个人信息转让给任何公司、组织和个人。",
    "如涉及合并或收购，需要转移您的个人信息的，我们会要求新的持有方继续受本政策约束。",
])
def test_transfer_statements_are_still_found(text):
    assert "transfer_merger" in topics_of(para(text), text)


def test_an_sdk_collecting_data_is_an_sdk_matter():
    text = "当您使用分享功能时，第三方分享SDK会收集您的设备标识信息。"
    found = topics_of(para(text), text)
    assert "third_party_sdk_list" in found and "sharing_third_parties" not in found
    partner = "我们的合作伙伴会获取您的订单信息以完成配送。"
    assert "sharing_third_parties" in topics_of(para(partner), partner)


def test_an_sdk_is_not_a_sharing_cue_under_a_sharing_heading():
    heading = ("heading", "三、我们如何共享您的个人信息")
    text = "我们接入的SDK详见附件。"
    found = topics_of([heading, ("paragraph", text)], text)
    assert "third_party_sdk_list" in found
    assert found.get("sharing_third_parties") is None or found["sharing_third_parties"].rule.startswith("classifier/")
    partner = "我们会与合作伙伴签署严格的保密协定。"
    assert "sharing_third_parties" in topics_of([heading, ("paragraph", partner)], partner)


@pytest.mark.parametrize("text", ["您自行向社会公众公开的个人信息；", "从合法公开披露的信息中收集的，如政府信息公开等渠道；"])
def test_information_already_public_is_not_public_disclosure(text):
    found = topics_of([("heading", "（三）公开披露"), ("paragraph", text)], text)
    assert "public_disclosure" not in found


def test_making_a_post_public_is_still_public_disclosure():
    text = "您发布的动态将对所有用户公开。"
    assert "public_disclosure" in topics_of([("heading", "（三）公开披露"), ("paragraph", text)], text)


def test_a_security_incident_is_not_a_security_measure():
    heading = ("heading", "五、我们如何保护您的个人信息")
    text = "同时，我们将按照监管部门要求，主动上报个人信息安全事件的处置情况。"
    found = topics_of([heading, ("paragraph", text)], text)
    assert "incident_response" in found and "security_measures" not in found
    tip = "一旦您泄露了账号密码，您可能会蒙受损失。"
    assert "security_measures" in topics_of([heading, ("paragraph", tip)], tip)


@pytest.mark.parametrize("text", ["向我们提供反馈意见时，请您注意保护自己的隐私。",
                                  "请您提供真实、准确的信息。", "我们会告知您接收方的名称和个人信息种类。"])
def test_phrases_that_name_no_data_are_not_categories(text):
    assert "pi_categories" not in topics_of(para(text), text)


def test_a_named_kind_of_data_is_still_a_category():
    text = "注册时，您需要向我们提供手机号码。"
    assert "pi_categories" in topics_of(para(text), text)


def test_where_to_read_the_policy_is_not_a_right_of_access():
    text = "您可以在【设置】-【隐私政策】中查看本政策的全部内容。"
    assert "individual_rights" not in topics_of(para(text), text)
    access = "您可以在【我的】-【个人资料】中查看和修改您的昵称。"
    assert "individual_rights" in topics_of(para(access), access)


def test_the_consent_exceptions_lead_in_is_not_public_disclosure_or_transfer():
    blocks = [("heading", "三、我们如何共享、转让、公开披露您的个人信息"),
              ("paragraph", "在以下情形中，我们共享、转让、公开披露您的个人信息无需事先征得您的授权同意："),
              ("list_item", "与国家安全、国防安全直接相关的；")]
    for needle in ("无需事先征得", "国家安全"):
        found = topics_of(blocks, needle)
        assert "legal_basis_exceptions" in found and "sharing_third_parties" in found
        assert "public_disclosure" not in found and "transfer_merger" not in found


def test_public_disclosure_on_its_own_is_still_found():
    text = "我们不会公开披露您的个人信息，如确需公开披露，我们会事先征得您的单独同意。"
    assert "public_disclosure#PD-1" in topics_of(para(text), text)["public_disclosure"].items


def test_share_transfer_and_publicly_disclose_en():
    from helpers import analyse_text as analyse
    lead = "In the following circumstances, we may share, transfer and publicly disclose your personal information without your consent:"
    own = "We will not publicly disclose your personal information without your separate consent."
    found = {f.topic for f in analyse([("paragraph", lead)], "en").findings}
    assert "public_disclosure" not in found and "sharing_third_parties" in found
    assert "public_disclosure" in {f.topic for f in analyse([("paragraph", own)], "en").findings}


@pytest.mark.parametrize("text", [
    "您开启该权限即视为您授权我们可以访问、获取、收集、使用您的该等个人信息。",
    "我们会采取措施防止您的个人信息遭到未经授权的访问、复制、公开披露或篡改。",
    "近亲属可以通过本政策公示的联系方式联系我们，以依法行使其对逝者的相关个人信息的权利。",
])
def test_what_the_processor_may_do_is_not_a_right(text):
    assert "individual_rights" not in topics_of(para(text), text)


def test_rights_are_still_named():
    text = "您可以通过【我的】-【设置】访问、更正您的个人信息，并行使删除个人信息的权利。"
    assert "individual_rights" in topics_of(para(text), text)


def test_taking_part_in_a_promotion_is_not_marketing():
    text = "当您参加我们举办的营销活动时，我们会收集您的姓名和收货地址以寄送奖品。"
    assert "automated_decisions_marketing" not in topics_of(para(text), text)
    for text in ("我们会向您发送营销短信。", "我们可能将您的订单信息用于营销。"):
        assert "automated_decisions_marketing" in topics_of(para(text), text)


@pytest.mark.parametrize("text", [
    "我们只会在达成本政策所述目的所需的期限内保留您的个人信息。",
    "上述敏感信息仅做核对之用，客服不会予以留存。",
    "该脸部信息仅保存在您授权采集的设备上。",
    "当您删除信息后，我们可能不会立即在备份系统中删除相应的信息，但会在备份更新时删除这些信息。",
])
def test_how_and_where_data_is_kept_zh(text):
    assert "retention" in topics_of(para(text), text)


def test_where_data_is_kept_en():
    from helpers import analyse_text as analyse
    text = "The voiceprint data is stored in the system background database after encryption."
    assert "retention" in {f.topic for f in analyse([("paragraph", text)], "en").findings}
    other = "We keep you informed of changes by email."
    assert "retention" not in {f.topic for f in analyse([("paragraph", other)], "en").findings}
