"""Detection rules of group B: sharing, entrusted processing, transfers in mergers,
public disclosure, cross-border transfers, minors, deceased users, the PRC
representative of offshore processors and the PI protection officer."""
from __future__ import annotations

import pytest

from helpers import analyse_text


def para(text, lang):
    return analyse_text([("paragraph", text)], lang)


def topics(analysis):
    return {f.topic for f in analysis.findings}


def findings(analysis, topic):
    return [f for f in analysis.findings if f.topic == topic]


def items(analysis, topic):
    return {i.split("#")[1] for f in findings(analysis, topic) for i in f.items}


def status(analysis, item):
    return next(v.status for v in analysis.checklist if v.item == item)


def assert_found(text, lang, topic, expect_items=(), condition=None, negated=None):
    a = para(text, lang)
    assert topic in topics(a), f"{topic} not found in: {text}"
    assert set(expect_items) <= items(a, topic), (text, items(a, topic))
    if condition is not None:
        assert condition in a.conditions, (text, a.conditions)
    if negated is not None:
        assert any(f.negated == negated for f in findings(a, topic)), text
    return a


def assert_not_found(text, lang, topic):
    a = para(text, lang)
    assert topic not in topics(a), (text, [(f.topic, f.rule) for f in a.findings])
    return a


# ---------------------------------------------------------------- sharing_third_parties

@pytest.mark.parametrize("text, expect", [
    ("我们可能会与关联公司共享您的个人信息，以便向您提供统一的账号服务。", ()),
    ("为完成订单配送，我们会将您的收货人姓名、电话和地址提供给第三方物流公司。", ()),
    ("为完成配送，我们会将您的收货地址提供给快递公司。", ()),
    ("我们会在征得您的单独同意后，向合作伙伴共享您的位置信息。", ("SH-2",)),
    ("具体的接收方名称、处理目的及个人信息种类详见《第三方共享个人信息清单》。", ("SH-3",)),
    ("对于与我们共同处理您个人信息的合作方，我们会与其共同决定处理目的和方式。", ("SH-4",)),
])
def test_sharing_zh(text, expect):
    assert_found(text, "zh", "sharing_third_parties", expect, condition="shares_with_third_parties")


@pytest.mark.parametrize("text, expect", [
    ("We may share your personal information with our affiliates and business partners.", ()),
    ("We disclose your contact details to third parties who deliver products you order.", ()),
    ("Before we share your information with a partner, we will obtain your separate consent.", ("SH-2",)),
    ("A list of third parties that receive personal information is available in our third-party sharing list.", ("SH-3",)),
    ("In the following circumstances, our bank may share, transfer and publicly disclose your personal information "
     "without your consent:", ()),
])
def test_sharing_en(text, expect):
    assert_found(text, "en", "sharing_third_parties", expect, condition="shares_with_third_parties")


def test_third_party_ad_companies_are_recipients():
    assert_found("We use third-party advertising companies to serve ads when you visit our website.", "en",
                 "sharing_third_parties")


def test_sharing_negated_does_not_set_condition():
    for text in ("我们不会共享您的个人信息。", "我们不会与任何公司、组织和个人共享您的个人信息。",
                 "未经您的同意，我们不会向第三方提供您的个人信息。"):
        a = assert_found(text, "zh", "sharing_third_parties")
        assert "shares_with_third_parties" not in a.conditions, text
    a = assert_found("We do not share your personal information with third parties.", "en",
                     "sharing_third_parties", negated=True)
    assert "shares_with_third_parties" not in a.conditions


@pytest.mark.parametrize("text", [
    "We don't share your personal information with third parties.",
    "We don’t share your personal information with third parties.",
    "We won't disclose your personal information to third parties.",
])
def test_contracted_negation_does_not_set_condition(text):
    a = assert_found(text, "en", "sharing_third_parties", negated=True)
    assert "shares_with_third_parties" not in a.conditions


def test_not_sold_items():
    assert "SH-6" in items(para("我们不会出售您的个人信息。", "zh"), "sharing_third_parties")
    assert "SH-6" in items(para("We do not sell or rent your personal information.", "en"),
                           "sharing_third_parties")


def test_recipient_bound_in_sharing_section():
    a = analyse_text([("heading", "三、我们如何共享您的个人信息"),
                      ("paragraph", "如关联公司要改变个人信息的处理目的，将再次征求您的授权同意。")], "zh")
    assert "SH-5" in items(a, "sharing_third_parties")


@pytest.mark.parametrize("text, lang", [
    ("请不要与他人分享您的账号密码。", "zh"),
    ("我们会向您提供个性化的推荐内容。", "zh"),
    ("Do not share your password with anyone.", "en"),
    ("If you refuse to provide the above information, you will not be able to use the service.", "en"),
    ("We may send a verification code to you through a third party.", "en"),
    ("目前我们不存在向境外提供您的个人信息的情况。", "zh"),
    ("您可以选择是否披露信息。", "zh"),
    ("Without your consent, we will not publicly disclose your personal information.", "en"),
])
def test_sharing_near_misses(text, lang):
    assert_not_found(text, lang, "sharing_third_parties")


def test_public_disclosure_under_a_sharing_heading_is_not_sharing():
    a = analyse_text([("heading", "How we share, transfer and publicly disclose your personal information"),
                      ("heading", "Public disclosure"),
                      ("paragraph", "Without your consent, we will not publicly disclose your personal information.")],
                     "en")
    sentence = {f.topic: f.rule for f in a.findings if f.text.startswith("Without your consent")}
    assert "public_disclosure" in sentence
    assert "sharing_third_parties" not in sentence, sentence


@pytest.mark.parametrize("subheading, expect, other", [
    ("（三）公开披露", "public_disclosure", "sharing_third_parties"),
    ("（一）共享", "sharing_third_parties", "public_disclosure"),
])
def test_disclosure_without_a_recipient_follows_the_innermost_heading(subheading, expect, other):
    sentence = "我们仅会在以下情况下披露您的个人信息："
    a = analyse_text([("heading", "四、我们如何共享、转让、公开披露您的个人信息"), ("heading", subheading),
                      ("paragraph", sentence)], "zh")
    found = {f.topic: f.rule for f in a.findings if f.text == sentence}
    assert expect in found, found
    assert other not in found or found[other].startswith("classifier/"), found


# ---------------------------------------------------------------- entrusted_processing

@pytest.mark.parametrize("text, lang, expect", [
    ("我们可能会委托第三方服务商代为处理您的个人信息，例如提供云存储和短信发送服务。", "zh", ("EP-1",)),
    ("对我们委托处理个人信息的公司，我们会与其签署数据处理协议，约定委托处理的目的、期限、处理方式和保护措施，并要求其在委托关系解除后返还或删除个人信息。", "zh", ("EP-2",)),
    ("未经我们书面同意，受托方不得转委托其他方处理您的个人信息。", "zh", ("EP-2",)),
    ("We engage service providers to process payments and host our servers on our behalf.", "en", ("EP-1",)),
    ("Our service providers are contractually prohibited from using your information for their own purposes.", "en", ("EP-2",)),
    ("我们可能会将您的个人信息共享给支持我们提供服务的第三方。", "zh", ()),
    ("我们会要求合作方严格按照我们的说明和本政策处理您的个人信息。", "zh", ()),
    ("We may share your information with third parties who support us in providing our services.", "en", ()),
    ("This information will only be shared with third parties who perform tasks required to complete the purchase.",
     "en", ()),
    ("We may share your information with third-party organizations that help us provide the Service.", "en", ()),
    ("They are restricted from using, selling or altering this data in any way other than to provide the requested "
     "services.", "en", ("EP-2",)),
])
def test_entrusted(text, lang, expect):
    assert_found(text, lang, "entrusted_processing", expect, condition="uses_entrusted_processors")


@pytest.mark.parametrize("text, lang", [
    ("您可以通过在线客服或客服热线联系我们。", "zh"),
    ("We ask our employees to sign confidentiality agreements.", "en"),
    ("You can contact our customer service hotline at any time.", "en"),
])
def test_entrusted_near_misses(text, lang):
    assert_not_found(text, lang, "entrusted_processing")


# ---------------------------------------------------------------- transfer_merger

@pytest.mark.parametrize("text, lang", [
    ("在涉及合并、收购或破产清算时，如涉及个人信息转让，我们会要求新的持有您个人信息的公司、组织继续受本政策的约束。", "zh"),
    ("如因公司重组、分立或解散导致个人信息转移，我们会向您告知接收方的名称和联系方式。", "zh"),
    ("In the event of a merger, acquisition or sale of all or a portion of our assets, your information may be transferred to the successor.", "en"),
    ("If we are acquired by or merged with another company, we will notify you of the name and contact details of the new owner.", "en"),
])
def test_transfer_merger(text, lang):
    assert_found(text, lang, "transfer_merger", condition="transfer_on_merger")


def test_transfer_merger_items():
    a = para("如涉及合并、分立、解散或被宣告破产，我们会向您告知接收方的名称或者姓名和联系方式，并要求接收方继续受本政策的约束，"
             "接收方变更原先的处理目的、处理方式的，将重新取得您的同意。", "zh")
    assert {"TM-1", "TM-2"} <= items(a, "transfer_merger")
    a = para("In the event of a merger or acquisition, we will notify you of the name and contact information "
             "of the recipient, and the successor will remain bound by this privacy policy.", "en")
    assert {"TM-1", "TM-2"} <= items(a, "transfer_merger")


@pytest.mark.parametrize("text, lang", [
    ("当个人信息共享、转让或公开披露的主要对象发生变化时，我们会更新本政策。", "zh"),
    ("We will not transfer your personal information to any company without your consent.", "en"),
    ("We combine the information we collect with information from other sources.", "en"),
])
def test_transfer_merger_near_misses(text, lang):
    a = para(text, lang)
    assert "transfer_on_merger" not in a.conditions
    if "主要对象" in text or "combine" in text:
        assert "transfer_merger" not in topics(a)


# ---------------------------------------------------------------- public_disclosure

@pytest.mark.parametrize("text, lang", [
    ("我们仅会在获得您单独同意或法律法规强制要求的情况下，公开披露您的个人信息。", "zh"),
    ("We will only publicly disclose your personal information with your separate consent or where required by law.", "en"),
    ("若您因违反《用户协议》而受到处理，我们可能会公告处理结果，并在公告中披露相关账号信息。", "zh"),
])
def test_public_disclosure_commitment(text, lang):
    a = assert_found(text, lang, "public_disclosure", ("PD-1",))
    assert "discloses_publicly" not in a.conditions


@pytest.mark.parametrize("text, lang", [
    ("您发布的评论、昵称和头像将在您的个人主页展示，对所有人可见，您可以在设置中调整可见范围。", "zh"),
    ("Your profile name and the reviews you post are visible to other users of the service.", "en"),
    ("If you post personal information online where people can see it, others will know that information.", "en"),
])
def test_public_disclosure_publication(text, lang):
    assert_found(text, lang, "public_disclosure", ("PD-2",), condition="discloses_publicly")


def test_public_disclosure_biometric():
    a = para("我们不会公开披露您的人脸、指纹等生物识别信息。", "zh")
    assert "PD-3" in items(a, "public_disclosure")


@pytest.mark.parametrize("text, lang", [
    ("我们采取加密等安全措施，防止个人信息遭到未经授权访问、公开披露、使用、修改、损坏或丢失。", "zh"),
    ("We use security measures to protect your data from unauthorized access, public disclosure, use, modification or loss.", "en"),
    ("您可以通过我们公示的联系方式与我们联系。", "zh"),
    ("我们可能从合法公开披露的信息中收集您的个人信息，如合法的新闻报道。", "zh"),
])
def test_public_disclosure_near_misses(text, lang):
    a = assert_not_found(text, lang, "public_disclosure")
    assert "discloses_publicly" not in a.conditions


# ---------------------------------------------------------------- cross_border

@pytest.mark.parametrize("text, lang", [
    ("为处理跨境业务，您的个人信息可能需要传输至境外。", "zh"),
    ("我们会将您的订单信息提供给位于新加坡的关联公司进行处理，该关联公司为境外接收方。", "zh"),
    ("Your information may be transferred to, stored in and processed in the United States.", "en"),
    ("We may transfer your personal information outside mainland China to our headquarters.", "en"),
])
def test_cross_border_positive(text, lang):
    assert_found(text, lang, "cross_border", condition="cross_border_transfer")


@pytest.mark.parametrize("text, lang", [
    ("我们不会将您的个人信息传输至境外。", "zh"),
    ("目前我们不存在向境外提供您个人信息的情形。", "zh"),
    ("如将来确需向境外提供您的个人信息，我们会另行征得您的单独同意。", "zh"),
    ("We will not transfer your personal information overseas.", "en"),
    ("If we transfer your information abroad in the future, we will ask for your consent.", "en"),
])
def test_cross_border_negated_or_conditional(text, lang):
    a = assert_found(text, lang, "cross_border")
    assert "cross_border_transfer" not in a.conditions


def test_cross_border_items():
    a = para("我们在中华人民共和国境内收集和产生的个人信息将存储在中华人民共和国境内。", "zh")
    assert "CB-1" in items(a, "cross_border")
    a = para("向境外提供个人信息前，我们会向您告知境外接收方的名称、联系方式、处理目的和处理方式，并取得您的单独同意，"
             "同时按照规定通过安全评估或订立标准合同，要求境外接收方达到不低于《个人信息保护法》规定的保护标准。", "zh")
    assert {"CB-2", "CB-3", "CB-4", "CB-5"} <= items(a, "cross_border")
    assert "cross_border_transfer" in a.conditions


@pytest.mark.parametrize("text, lang", [
    ("We respect the laws of other countries and regions in providing our services.", "en"),
    ("Our security team performs a security assessment of new features.", "en"),
    ("我们会以不低于本政策的标准保护您的个人信息。", "zh"),
])
def test_cross_border_near_misses(text, lang):
    a = para(text, lang)
    assert "cross_border_transfer" not in a.conditions
    assert "cross_border" not in topics(a)


# ---------------------------------------------------------------- minors

@pytest.mark.parametrize("text, lang, expect", [
    ("若您是未满14周岁的儿童，在使用我们的服务前，应取得您的父母或其他监护人的同意。", "zh", ("MI-1", "MI-2")),
    ("我们制定了《儿童个人信息保护规则》，专门说明我们如何处理儿童个人信息。", "zh", ("MI-3",)),
    ("我们设立了儿童个人信息保护负责人，您可以通过privacy@example.com与其联系。", "zh", ("MI-5",)),
    ("监护人可以通过客服查阅、更正或删除其监护的儿童的个人信息。", "zh", ()),
    ("If you are under 14, you must obtain the consent of your parent or guardian before using the service.", "en", ("MI-1", "MI-2")),
    ("We collect children's personal information only with verifiable parental consent.", "en", ("MI-2",)),
])
def test_minors(text, lang, expect):
    assert_found(text, lang, "minors", expect, condition="collects_children_pi")


def test_minors_exclusion_does_not_set_condition():
    a = assert_found("We do not knowingly collect personal information from children under 13.", "en", "minors")
    assert "collects_children_pi" not in a.conditions
    a = assert_found("我们的产品和服务主要面向成人。", "zh", "minors")
    assert "collects_children_pi" not in a.conditions


def test_minors_section_context():
    a = analyse_text([("heading", "七、未成年人个人信息保护"),
                      ("paragraph", "您的家长可以随时联系我们了解相关情况。")], "zh")
    assert "minors" in topics(a)


@pytest.mark.parametrize("text, lang", [
    ("如果您对我们的回复不满意，可以向网信部门投诉。", "zh"),
    ("We may make minor changes to this policy from time to time.", "en"),
])
def test_minors_near_misses(text, lang):
    assert_not_found(text, lang, "minors")


# ---------------------------------------------------------------- deceased_persons_rights

@pytest.mark.parametrize("text, lang, expect", [
    ("用户不幸去世后，其近亲属为了自身的合法、正当利益，可以对死者的相关个人信息行使查阅、复制、更正、删除等权利，但死者生前另有安排的除外。",
     "zh", ("DC-1", "DC-2")),
    ("If a user passes away, their next of kin may request access to or deletion of the deceased user's personal information.",
     "en", ("DC-1",)),
    ("You can designate a legacy contact to manage your account after your death.", "en", ("DC-2",)),
])
def test_deceased(text, lang, expect):
    assert_found(text, lang, "deceased_persons_rights", expect)


@pytest.mark.parametrize("text, lang", [
    ("您可以查阅、复制、更正或删除您的个人信息。", "zh"),
    ("We protect the life, health and property of natural persons in emergencies.", "en"),
])
def test_deceased_near_misses(text, lang):
    assert_not_found(text, lang, "deceased_persons_rights")


# ---------------------------------------------------------------- pi_protection_officer

@pytest.mark.parametrize("text, lang, expect", [
    ("我们已设立个人信息保护负责人，您可以通过dpo@example.com与其联系。", "zh", ("PO-1",)),
    ("我们设立了个人信息保护专职部门，负责处理个人信息保护相关事宜。", "zh", ("PO-2",)),
    ("You can contact our Data Protection Officer at dpo@example.com.", "en", ("PO-1",)),
    ("Our dedicated privacy team reviews every request.", "en", ("PO-2",)),
])
def test_pi_protection_officer(text, lang, expect):
    assert_found(text, lang, "pi_protection_officer", expect)


@pytest.mark.parametrize("text, lang", [
    ("您可以拨打客服热线400-000-0000与我们联系。", "zh"),
    ("Please contact our customer support team with any questions.", "en"),
])
def test_pi_protection_officer_near_misses(text, lang):
    assert_not_found(text, lang, "pi_protection_officer")


# ---------------------------------------------------------------- overseas_representative

@pytest.mark.parametrize("text, lang", [
    ("我们已在中华人民共和国境内设立专门机构并指定代表，负责处理个人信息保护相关事务，联系方式为：rep@example.com。", "zh"),
    ("We have appointed a representative in China for personal information matters, reachable at rep@example.com.", "en"),
])
def test_overseas_representative(text, lang):
    assert_found(text, lang, "overseas_representative", ("OR-1",))


@pytest.mark.parametrize("text, lang", [
    ("本公司注册于新加坡，向中国境内用户提供服务。", "zh"),
    ("We are incorporated in Singapore and offer the service to users in mainland China.", "en"),
])
def test_offshore_processor_condition(text, lang):
    a = para(text, lang)
    assert "offshore_processor" in a.conditions


@pytest.mark.parametrize("text, lang", [
    ("我们的总部位于北京市海淀区。", "zh"),
    ("Our customer service representative will contact you.", "en"),
    ("We are incorporated in Beijing, China.", "en"),
])
def test_overseas_near_misses(text, lang):
    a = para(text, lang)
    assert "offshore_processor" not in a.conditions
    assert "overseas_representative" not in topics(a)


def test_not_applicable_without_conditions():
    a = para("我们会依法保护您的个人信息。", "zh")
    for item in ("sharing_third_parties#SH-1", "cross_border#CB-2", "minors#MI-2",
                 "overseas_representative#OR-1", "public_disclosure#PD-2"):
        assert status(a, item) == "not_applicable"


def test_translated_partner_words_count_in_a_sharing_section():
    a = analyse_text([("heading", "4. How we share your personal information"),
                      ("list_item", "(2) Cooperators of advertising and analysis services;")], "en")
    assert "sharing_third_parties" in topics(a)
    assert "sharing_third_parties" not in topics(para("(2) Cooperators of advertising and analysis services;", "en"))


def test_social_media_widgets_are_embedded_third_party_code():
    a = para("Our website includes social media features, such as the Facebook Like button and widgets.", "en")
    assert "third_party_sdk_list" in topics(a)
    assert "uses_third_party_sdks" in a.conditions
