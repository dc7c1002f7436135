"""Detection rules for individual rights, account deletion, complaints, security,
incidents, policy changes, automated decisions and marketing, cookies and retention."""
from __future__ import annotations

from collections import defaultdict

import pytest

from helpers import analyse_text
from reviewer.core.engine import analyze
from reviewer.core.loaders import load

pytestmark = pytest.mark.usefixtures("without_topic_model")




def found(sentence, lang, heading=None):
    """topic -> item codes found in the body of a one-sentence document."""
    paragraphs = ([("heading", heading)] if heading else []) + [("paragraph", sentence)]
    analysis = analyse_text(paragraphs, lang)
    topics = defaultdict(set)
    for f in analysis.findings:
        if f.text.strip() and f.text.strip() in sentence:
            topics[f.topic].update(i.split("#")[1] for i in f.items)
    return topics


def verdicts(paragraphs, lang):
    analysis = analyse_text(paragraphs, lang)
    return {v.item.split("#")[1]: v.status for v in analysis.checklist}, analysis


# (lang, section heading or None, sentence, topic, items that must be among the matches)
POSITIVE = [
    # individual_rights
    ("en", None, "You can apply for correction by telephone or email.", "individual_rights", {"IR-1"}),
    ("zh", None, "（二）更正和更新您的个人信息。", "individual_rights", {"IR-1"}),
    ("zh", None, "您可以要求我们对本政策中的个人信息处理规则进行解释说明。", "individual_rights", {"IR-1"}),
    ("en", None, "You may ask us to explain the rules we use to process your personal information.",
     "individual_rights", {"IR-1"}),
    ("zh", None, "2.根据法律法规的规定或主管部门的要求而公开。", "legal_basis_exceptions", set()),
    ("zh", None, "2.在法定情形下的共享。", "legal_basis_exceptions", set()),
    ("en", None, "In the following circumstances, we will not be able to respond to your request:",
     "individual_rights", set()),
    ("zh", None, "在以下情形中，按照法律法规要求，我们将无法响应您的请求：", "individual_rights", set()),
    ("en", None, "After you turn off the permission, we will no longer collect this information.",
     "consent_withdrawal", {"CW-4"}),
    ("zh", None, "您使用或继续使用我们服务的行为，表示您充分理解和同意本《示例出行个人信息保护政策》的全部内容。",
     "consent_withdrawal", set()),
    ("zh", None, "请您在仔细阅读并同意全部内容后使用我们的服务。", "consent_withdrawal", set()),
    ("zh", None, "只有在获得您的明确授权后，我们才会进行相应的信息处理。", "consent_withdrawal", {"CW-1"}),
    ("en", None, "You have the right to access, correct and delete your personal information.",
     "individual_rights", {"IR-1"}),
    ("en", None, "You can review and update your profile information at any time by logging in to your "
                 "account settings.", "individual_rights", {"IR-1", "IR-2"}),
    ("en", None, "We will respond to your request within 15 working days.", "individual_rights", {"IR-4"}),
    ("en", None, "You may restrict or refuse our processing of your personal information, unless the law provides "
                 "otherwise.", "individual_rights", {"IR-1"}),
    ("zh", None, "如您不同意我们的处理方式，您可以限制或拒绝我们对您个人信息的处理。", "individual_rights", {"IR-1"}),
    ("en", None, "We may reject requests that are unreasonably repetitive or require disproportionate technical effort.",
     "individual_rights", set()),
    ("zh", None, "对于无正当理由、可能无法实现的请求，我们可能会予以拒绝。", "individual_rights", set()),
    ("en", None, "If we decline your request, we will tell you why.", "individual_rights", {"IR-5"}),
    ("en", None, "Despite the above, we may be unable to respond to your request in the following cases:",
     "individual_rights", set()),
    ("en", None, "We will not charge you for handling these requests.", "individual_rights", {"IR-7"}),
    ("en", None, "You can log in at any time to add, change or delete your delivery addresses.", "individual_rights",
     {"IR-1"}),
    ("en", None, "If you find that the information we hold about you is wrong, you can ask customer service to correct it.",
     "individual_rights", {"IR-1"}),
    ("en", None, "To delete a post you have published, tap \"Delete\" on the post's detail page.", "individual_rights",
     {"IR-2"}),
    ("en", None, "We will help you exercise the rights the law gives you over your personal information.",
     "individual_rights", {"IR-2"}),
    ("en", None, "Some of our content will be recommended to you according to your geographical location.",
     "automated_decisions_marketing", {"AM-1"}),
    ("en", None, "We recommend nearby stores to you based on your location.", "automated_decisions_marketing", {"AM-1"}),
    ("zh", None, "我们会根据您的位置信息向您推荐附近的门店。", "automated_decisions_marketing", {"AM-1"}),
    ("zh", None, "您可以查询您的交易记录、积分明细和优惠券使用情况。", "individual_rights", {"IR-1"}),
    ("zh", None, "您有权知悉我们处理您个人信息的情况，并有权决定是否同意。", "individual_rights", {"IR-1"}),
    ("en", None, "When you delete information from our services, we may not immediately delete it from the backup "
                 "system, but we will delete it when the backup is updated.", "retention", set()),
    ("en", None, "If it cannot be deleted, we will stop processing except storage and take necessary security measures.",
     "retention", {"RT-3"}),
    ("en", None, "If changes in business policy require us to suspend or terminate the relevant services, we will notify "
                 "you in a timely manner.", "retention", {"RT-5"}),
    ("en", "How we use your information", "To meet legal requirements and keep transactions safe, you need to "
                                         "complete real-name verification.", "purposes_and_use", set()),
    ("zh", "我们如何收集和使用您的个人信息", "为了满足法律法规要求并保障交易安全，您需要完成实名认证。", "purposes_and_use", set()),
    ("en", None, "If we decline your request, we will explain the reasons for the refusal.",
     "individual_rights", {"IR-5"}),
    ("en", None, "You may ask us to transfer your personal information to another service provider you "
                 "designate.", "individual_rights", {"IR-8"}),
    ("en", None, "In principle we do not charge a fee for such requests, but we may charge a reasonable fee "
                 "for repeated requests.", "individual_rights", {"IR-7"}),
    ("zh", None, "您有权访问、更正、删除您的个人信息，并可以获取您的个人信息副本。", "individual_rights", {"IR-1"}),
    ("zh", None, "您可以在“我的—设置—个人资料”中查看和修改您的昵称、头像等信息。", "individual_rights",
     {"IR-1", "IR-2"}),
    ("zh", None, "我们将在收到您的请求并核实身份后十五个工作日内答复您的请求。", "individual_rights", {"IR-4"}),
    ("zh", None, "在以下情形中，您可以向我们提出删除个人信息的请求：", "individual_rights", {"IR-3"}),
    ("zh", None, "在符合国家网信部门规定条件的情况下，我们可以按照您的要求将您的个人信息转移至您指定的个人信息处理者。",
     "individual_rights", {"IR-8"}),
    ("zh", None, "对于您合理的请求，我们原则上不收取费用。", "individual_rights", {"IR-7"}),
    # account_deletion
    ("en", None, "You can delete your account at any time in Settings > Account > Delete Account.",
     "account_deletion", {"AD-1"}),
    ("en", None, "After your account is deleted, we will delete or anonymize your personal information.",
     "account_deletion", {"AD-4"}),
    ("en", None, "We will complete the closure of your account within 15 working days after verifying your "
                 "identity.", "account_deletion", {"AD-3"}),
    ("zh", None, "您可以通过“我的-设置-账号与安全-注销账号”路径申请注销账号。", "account_deletion", {"AD-1"}),
    ("zh", None, "我们将在您注销账号后15个工作日内删除您的个人信息或进行匿名化处理。", "account_deletion",
     {"AD-3", "AD-4"}),
    # complaint_channel
    ("en", None, "If you have any complaints about how we handle your personal information, you can email us "
                 "at privacy@example.com.", "complaint_channel", {"CC-1"}),
    ("en", None, "You may also lodge a complaint with the Cyberspace Administration of China or bring a "
                 "lawsuit before a court with jurisdiction.", "complaint_channel", {"CC-3"}),
    ("zh", None, "如您对我们的个人信息处理行为有任何投诉或举报，可通过客服热线400-000-0000与我们联系。",
     "complaint_channel", {"CC-1"}),
    ("zh", None, "如果您对我们的答复不满意，您还可以向网信、市场监督管理等监管部门进行投诉或举报。",
     "complaint_channel", {"CC-3"}),
    ("zh", None, "我们将在收到您的投诉之日起15个工作日内予以答复。", "complaint_channel", {"CC-2"}),
    ("zh", None, "因本政策引起的争议，双方应友好协商解决；协商不成的，任何一方均可向被告住所地有管辖权的人民法院提起诉讼。",
     "complaint_channel", {"CC-3"}),
    # security_measures
    ("en", None, "Passwords are stored only in salted and hashed form.", "security_measures", {"SM-1"}),
    ("en", None, "We use a trusted protection mechanism to prevent data from being maliciously attacked.",
     "security_measures", {"SM-1"}),
    ("en", None, "Biometric information is stored separately from personal identity information.",
     "security_measures", {"SM-1"}),
    ("zh", None, "我们会将您的生物识别信息与个人身份信息分开存储。", "security_measures", {"SM-1"}),
    ("zh", None, "我们设立了专门的数据安全部门，负责个人信息保护工作。", "security_measures", {"SM-1"}),
    ("zh", None, "我们收集、处理上述信息时均进行了去标识化处理。", "security_measures", {"SM-1"}),
    ("zh", None, "我们会通过安全的方式存储您的信息，包括本地存储和数据库。", "security_measures", {"SM-1"}),
    ("en", None, "We will ensure the security of your personal information with our greatest efforts.",
     "security_measures", {"SM-1"}),
    ("zh", None, "在某些业务功能中，我们可能依据算法等非人工自动决策机制作出决定。", "automated_decisions_marketing",
     {"AM-1"}),
    ("en", None, "You can turn off the directional push function in Settings.", "automated_decisions_marketing",
     {"AM-1"}),
    ("en", None, "We have set up a dedicated data security department to protect personal information.",
     "security_measures", {"SM-1"}),
    ("en", None, "We will not reduce your rights under this Privacy Policy without your explicit consent.",
     "policy_changes", set()),
    ("en", None, "You can turn off programmatic advertising in the settings.", "automated_decisions_marketing", set()),
    ("en", None, "Some business functions rely on automatic decision-making by our information systems.",
     "automated_decisions_marketing", {"AM-1"}),
    # device identifiers are tracking means (CK-1 lists them; CK-4 asks about the non-resettable ones)
    ("zh", None, "我们会收集您的设备型号、唯一设备识别码和广告标识符。", "cookies_tracking", {"CK-1"}),
    ("en", None, "We collect your IMEI and MAC address to identify your device.", "cookies_tracking", {"CK-1"}),
    ("en", None, "Some features may not work properly if the use of device identifiers is disabled.",
     "cookies_tracking", {"CK-1"}),
    ("en", None, "To ensure the normal operation of the website, small data files are stored on your device.",
     "cookies_tracking", {"CK-1"}),
    ("zh", None, "我们将您的数据存储于云服务商的服务器上。", "retention", set()),
    ("en", None, "We use SSL encryption and strict access controls to protect your personal information.",
     "security_measures", {"SM-1"}),
    ("en", None, "Our staff are bound by confidentiality obligations and receive regular security training.",
     "security_measures", {"SM-1"}),
    ("en", None, "We have put in place an incident response plan that is tested every year.",
     "security_measures", {"SM-2"}),
    ("en", None, "Please keep your password confidential and do not share it with anyone.",
     "security_measures", {"SM-4"}),
    ("zh", None, "我们采用加密技术、去标识化处理和严格的访问控制措施保护您的个人信息。", "security_measures", {"SM-1"}),
    ("zh", None, "我们制定了个人信息安全事件应急预案，并定期组织应急演练。", "security_measures", {"SM-2"}),
    ("zh", None, "互联网并非绝对安全的环境，请您使用复杂密码并妥善保管您的账号信息。", "security_measures", {"SM-4"}),
    # incident_response
    ("en", None, "In the event of a data breach, we will take remedial measures and notify you and the "
                 "competent regulators without delay.", "incident_response", {"IN-1"}),
    ("en", None, "We will inform you of the security incident by email, SMS or push notification, and make a "
                 "public announcement where individual notice is difficult.", "incident_response", {"IN-3"}),
    ("zh", None, "发生个人信息安全事件后，我们将及时向您告知事件的基本情况和可能的影响、我们已采取或将要采取的处置措施。",
     "incident_response", {"IN-1", "IN-2"}),
    ("zh", None, "难以逐一告知个人信息主体时，我们会采取合理、有效的方式发布公告。", "incident_response", {"IN-3"}),
    ("zh", None, "同时，我们还将按照监管部门要求，主动上报个人信息安全事件的处置情况。", "incident_response", {"IN-1"}),
    # policy_changes
    ("en", None, "We may update this Privacy Policy from time to time.", "policy_changes", set()),
    ("en", None, "If we make material changes to this policy, we will notify you by email or through a "
                 "prominent notice in the app before the changes take effect.", "policy_changes", {"CH-1"}),
    ("en", None, "Material changes include, for example, a change in the purposes of processing or in the "
                 "recipients of your data.", "policy_changes", {"CH-3"}),
    ("zh", None, "本政策更新后，我们会通过弹窗、推送通知等方式提示您更新的内容。", "policy_changes", {"CH-1"}),
    ("zh", None, "本政策所指的重大变更包括但不限于：", "policy_changes", {"CH-3"}),
    ("zh", None, "更新日期：2024年3月1日", "policy_accessibility", {"FA-7"}),
    ("zh", None, "如本政策发生变更且涉及处理目的、方式的变化，我们将重新征得您的同意。", "policy_changes", {"CH-2"}),
    # automated_decisions_marketing
    ("en", None, "We use your browsing history to show you personalized advertising.",
     "automated_decisions_marketing", {"AM-1"}),
    ("en", None, "You can unsubscribe from our marketing emails at any time by clicking the link at the bottom "
                 "of each message.", "automated_decisions_marketing", {"AM-6"}),
    ("zh", None, "我们会根据您的浏览记录和兴趣偏好，向您推荐您可能感兴趣的商品和内容。",
     "automated_decisions_marketing", {"AM-1"}),
    ("zh", None, "您可以在“设置-隐私设置”中关闭个性化推荐，关闭后您看到的内容将不再针对您的个人特征。",
     "automated_decisions_marketing", {"AM-2"}),
    ("zh", None, "如您不希望接收营销短信，可回复TD退订。", "automated_decisions_marketing", {"AM-6"}),
    ("zh", None, "您可以在设置中查看、删除用于个性化推荐的兴趣标签。", "automated_decisions_marketing", {"AM-3"}),
    ("zh", None, "我们不会利用用户画像对您在交易价格等交易条件上实行不合理的差别待遇。",
     "automated_decisions_marketing", {"AM-4"}),
    # cookies_tracking
    ("en", None, "We and our partners use cookies, web beacons and similar technologies to remember your "
                 "preferences.", "cookies_tracking", {"CK-1"}),
    ("en", None, "You can refuse or delete cookies through your browser settings, but some features may not "
                 "work properly.", "cookies_tracking", {"CK-2"}),
    ("en", None, "We use Google Analytics to understand how visitors use our website.", "cookies_tracking",
     {"CK-3"}),
    ("zh", None, "为确保网站正常运转，我们会在您的计算机上存储名为Cookie的小数据文件。", "cookies_tracking", {"CK-1"}),
    ("zh", None, "您可以通过浏览器设置拒绝或管理Cookie，但这可能影响您使用部分功能。", "cookies_tracking", {"CK-2"}),
    ("zh", None, "除Cookie外，我们还会在网站上使用网站信标和像素标签等同类技术。", "cookies_tracking", {"CK-1"}),
    # retention
    ("en", None, "We retain your order records for five years after the transaction.", "retention", {"RT-1"}),
    ("en", None, "We keep your information as long as necessary for the purposes described, taking into "
                 "account our legal obligations and the statute of limitations.", "retention", {"RT-1"}),
    ("en", None, "After the retention period expires, we will delete or anonymize your personal information.",
     "retention", {"RT-2"}),
    ("en", None, "Your personal information is stored on servers located in mainland China.", "retention",
     {"RT-4"}),
    ("en", None, "If we cease operations, we will stop collecting your information, notify you and delete or "
                 "anonymize the information we hold.", "retention", {"RT-5"}),
    ("en", None, "Your face image is deleted immediately after verification.", "retention", {"RT-2"}),
    ("en", None, "We will immediately delete the photos after processing.", "retention", {"RT-2"}),
    ("zh", None, "在完成处理并向您返回结果后，我们将立即从服务器删除相关图片。", "retention", {"RT-2"}),
    ("zh", None, "我们将您的订单信息保存3年，超出保存期限后，我们将删除或匿名化处理您的个人信息。", "retention",
     {"RT-1", "RT-2"}),
    ("zh", None, "我们在中华人民共和国境内收集和产生的个人信息，将存储在中华人民共和国境内。", "retention", {"RT-4"}),
    ("zh", None, "根据《中华人民共和国电子商务法》的规定，商品和服务信息、交易信息保存时间自交易完成之日起不少于三年。",
     "retention", {"RT-1", "RT-3"}),
    ("zh", None, "如我们停止运营，我们将及时停止继续收集您个人信息的活动，以公告形式通知您，并对所持有的个人信息进行删除或匿名化处理。",
     "retention", {"RT-5"}),
    ("zh", None, "我们判断前述期限的标准包括：完成服务目的所需的时间、法律法规要求的保存期限等。", "retention",
     {"RT-1"}),
]


@pytest.mark.parametrize("lang,heading,sentence,topic,items", POSITIVE,
                         ids=[f"{c[3]}-{c[0]}-{i}" for i, c in enumerate(POSITIVE)])
def test_topic_found(lang, heading, sentence, topic, items):
    topics = found(sentence, lang, heading)
    assert topic in topics, f"{topic} not found in {sentence!r}; found {dict(topics)}"
    assert items <= topics[topic], f"{items - topics[topic]} missing for {sentence!r}"


# Sentences that must NOT be attributed to the topic.
NEGATIVE = [
    ("en", None, "We use your information to provide customer support and to process your orders.",
     "individual_rights"),
    ("en", None, "Only authorized employees may access your personal information.", "individual_rights"),
    ("zh", None, "我们仅允许有必要知晓这些信息的员工访问您的个人信息。", "individual_rights"),
    ("zh", None, "我们会依照本政策履行我们的义务并行使我们的权利。", "individual_rights"),
    ("zh", None, "各合作方的名称及其处理的信息，请您查阅《第三方信息共享清单》，其查阅路径为：设置—关于我们。",
     "individual_rights"),
    ("en", None, "Please log out of your account when you use a shared computer.", "account_deletion"),
    ("en", None, "You can update your account information in the settings page.", "account_deletion"),
    ("zh", None, "您可以使用手机号码注册账号并登录我们的服务。", "account_deletion"),
    ("en", None, "We collect your name and phone number to handle complaints about orders.", "complaint_channel"),
    ("zh", None, "当您联系客服处理售后问题时，我们会收集您的订单信息。", "complaint_channel"),
    ("en", None, "We collect your device model and operating system version.", "security_measures"),
    ("zh", None, "学术研究机构基于公共利益开展统计或学术研究所必要，且对结果中所包含的个人信息进行去标识化处理的。",
     "security_measures"),
    ("en", None, "We update our app regularly to add new features.", "policy_changes"),
    ("zh", None, "为了便于您及时升级到最新版本，我们会获取安装应用的权限。", "policy_changes"),
    ("zh", None, "当您修改头像时，我们会通过弹窗征求您的授权。", "policy_changes"),
    ("en", None, "Your user profile shows your display name and avatar.", "automated_decisions_marketing"),
    ("en", None, "The stock market data on our site is provided by a third party.",
     "automated_decisions_marketing"),
    ("zh", None, "我们会收集您的设备型号、操作系统版本和IP地址。", "automated_decisions_marketing"),
    ("en", None, "We collect your IP address and device type.", "cookies_tracking"),
    ("zh", None, "我们会向您逐一说明各项功能所需的个人信息。", "incident_response"),
    ("en", None, "We collect basic information such as your name and email address.", "incident_response"),
    ("en", None, "We collect your name and email address when you register.", "retention"),
    ("en", None, "Please delete the app immediately after you stop using it.", "retention"),
    ("zh", None, "我们设立了专门的个人信息保护团队，您可以通过以下方式与我们联系。", "security_measures"),
    ("zh", None, "超出必要期限后，我们将对您的个人信息进行删除或匿名化处理。", "security_measures"),
    ("zh", None, "超出必要期限后，我们将对您的个人信息进行删除或匿名化处理。", "individual_rights"),
    ("en", None, "We may reject your payment if the card details are wrong.", "individual_rights"),
    ("zh", None, "如您拒绝我们处理您的位置信息，将无法使用附近门店功能。", "individual_rights"),
    ("zh", None, "对于违反社区规范的内容，我们会予以拒绝发布。", "individual_rights"),
    ("en", None, "You can ask the seller to deliver the parcel to a pick-up point.", "individual_rights"),
    ("en", None, "To turn off notifications, go to the settings page.", "individual_rights"),
    ("en", None, "We use advanced technologies to protect your privacy.", "purposes_and_use"),
    ("en", None, "After a security incident, we will inform you of the incident, the disposal measures we have taken and "
                 "the possible impact.", "security_measures"),
    ("zh", None, "我们会根据您的位置信息为您提供天气服务。", "automated_decisions_marketing"),
    ("zh", None, "我们仅允许有必要知晓这些信息的员工访问您的个人信息，并为此设置了严格的访问权限控制和监控机制。",
     "individual_rights"),
    ("en", None, "We never charge you for shipping on orders over 99 yuan.", "individual_rights"),
    ("en", None, "If your guardian does not agree, please immediately terminate your use of our services.", "retention"),
    # the purpose-then-requirement form is a weak cue: alone it needs a section about use
    ("en", None, "To meet legal requirements and keep transactions safe, you need to complete real-name verification.",
     "purposes_and_use"),
    ("zh", None, "为了满足法律法规要求并保障交易安全，您需要完成实名认证。", "purposes_and_use"),
]


@pytest.mark.parametrize("lang,heading,sentence,topic", NEGATIVE,
                         ids=[f"{c[3]}-{c[0]}-{i}" for i, c in enumerate(NEGATIVE)])
def test_near_miss_not_found(lang, heading, sentence, topic):
    assert topic not in found(sentence, lang, heading)


@pytest.mark.parametrize("lang, sentence", [
    ("en", "Your face image is compared on your phone and is never stored on our servers."),
    ("en", "We do not retain the content of your voice messages."),
    ("zh", "您上传的照片仅在本地完成处理，我们不会存储这些照片。"),
    ("zh", "客户端不保存您的支付密码。"),
])
def test_saying_data_is_not_stored_addresses_retention(lang, sentence):
    _, retention = retention_findings(sentence, lang)
    assert retention and all(f.negated for f in retention), [(f.rule, f.negated) for f in retention]


def retention_findings(sentence, lang):
    analysis = analyse_text([("paragraph", sentence)], lang)
    return analysis, [f for f in analysis.findings if f.topic == "retention"]


@pytest.mark.parametrize("lang, sentence", [
    ("en", "We retain your order records for no longer than three years."),
    ("en", "Your data is kept for not more than six months after you close your account."),
    ("zh", "我们将在不超过六个月的期限内保存您的个人信息。"),
    ("zh", "您的浏览记录保存期限不少于三年。"),
])
def test_a_bounded_period_is_not_a_negative_statement(lang, sentence):
    analysis, retention = retention_findings(sentence, lang)
    assert retention and not any(f.negated for f in retention), [(f.rule, f.negated) for f in retention]
    verdict = next(v for v in analysis.checklist if v.item == "retention#RT-1")
    assert verdict.status == "met" and "negative" not in (verdict.reason or ""), verdict


@pytest.mark.parametrize("lang, sentence", [
    ("en", "In the following circumstances, we will not be able to respond to your request:"),
    ("zh", "在以下情形中，按照法律法规要求，我们将无法响应您的请求："),
])
def test_refusal_cases_do_not_answer_reasons_for_refusal(lang, sentence):
    analysis = analyse_text([("paragraph", sentence)], lang)
    assert any(f.topic == "individual_rights" for f in analysis.findings)
    assert next(v for v in analysis.checklist if v.item == "individual_rights#IR-5").status != "met"


def test_weak_cue_needs_section_context():
    sentence = "我们将在15个工作日内答复。"
    assert "individual_rights" not in found(sentence, "zh")
    assert "individual_rights" in found(sentence, "zh", heading="五、您的权利")


def test_list_items_inherit_rights_lead():
    analysis = analyse_text([("paragraph", "在以下情形中，我们将无法响应您的请求："),
                             ("list_item", "1. 与国家安全、国防安全直接相关的；"),
                             ("list_item", "2. 涉及商业秘密的。")], "zh")
    items = [f for f in analysis.findings if f.topic == "individual_rights"]
    assert {f.text.strip() for f in items} >= {"1. 与国家安全、国防安全直接相关的；", "2. 涉及商业秘密的。"}


def test_conditions_set_by_positive_statements():
    _, analysis = verdicts([("paragraph", "我们会基于您的兴趣偏好为您提供个性化推荐。"),
                            ("paragraph", "我们会使用Cookie记住您的登录状态。")], "zh")
    assert {"automated_decisions", "uses_cookies_tracking"} <= set(analysis.conditions)
    _, analysis = verdicts([("paragraph", "我们会向您发送营销信息，并基于您的浏览记录提供个性化推荐。")], "zh")
    assert "automated_decisions" in analysis.conditions
    _, analysis = verdicts([("paragraph", "We use cookies and personalized advertising on our website.")], "en")
    assert {"automated_decisions", "uses_cookies_tracking"} <= set(analysis.conditions)


def test_negated_profiling_does_not_set_condition():
    status, analysis = verdicts([("paragraph", "我们不会进行用户画像，也不会向您展示个性化广告。")], "zh")
    assert "automated_decisions" not in analysis.conditions
    assert status["AM-2"] == "not_applicable"


def _items(analysis):
    return {i.split("#")[1] for f in analysis.findings for i in f.items}


def test_as_long_as_necessary_alone_does_not_answer_rt1():
    status, analysis = verdicts([("heading", "How long we keep your information"),
                                 ("paragraph", "We keep your personal information only as long as necessary "
                                               "for the purposes set out in this policy.")], "en")
    assert any(f.topic == "retention" for f in analysis.findings)
    assert "RT-1" not in _items(analysis)
    assert status["RT-1"] != "met"
    status, _ = verdicts([("paragraph", "We retain account data for 3 years after you close your account.")],
                         "en")
    assert status["RT-1"] == "met"


def test_zh_necessary_period_alone_does_not_answer_rt1():
    status, analysis = verdicts([("paragraph", "我们仅在实现本政策所述目的所必需的期限内保存您的个人信息。")], "zh")
    assert any(f.topic == "retention" for f in analysis.findings)
    assert "RT-1" not in _items(analysis)
    assert status["RT-1"] != "met"


@pytest.fixture(scope="module")
def shared(request):
    from pathlib import Path

    folder = Path(__file__).parent / "fixtures"
    out = {}
    for name in ("benewake", "bench3d", "baiinfo"):
        analysis = analyze(load(folder / f"{name}.txt"))
        out[name] = ({f.topic for f in analysis.findings}, _items(analysis))
    return out


@pytest.mark.parametrize("name,topics", [
    ("benewake", {"retention", "security_measures", "incident_response", "individual_rights",
                  "policy_changes", "cookies_tracking", "complaint_channel", "automated_decisions_marketing"}),
    ("bench3d", {"retention", "security_measures", "incident_response", "individual_rights",
                 "account_deletion", "policy_changes", "complaint_channel"}),
    ("baiinfo", {"retention", "security_measures", "incident_response", "individual_rights",
                 "account_deletion", "policy_changes", "complaint_channel", "cookies_tracking"}),
])
def test_shared_policies_topics(shared, name, topics):
    found_topics, _ = shared[name]
    assert topics <= found_topics, topics - found_topics


def test_shared_policies_absent_topics(shared):
    assert "account_deletion" not in shared["benewake"][0]
    # bench3d has no cookies, but it collects the IMEI, a unique device identifier and the MAC address
    from pathlib import Path
    analysis = analyze(load(Path(__file__).parent / "fixtures" / "bench3d.txt"))
    assert {f.rule for f in analysis.findings if f.topic == "cookies_tracking"} == {
        "cookies_tracking/device-identifiers"}


@pytest.mark.parametrize("name,answered,unanswered", [
    ("benewake", {"RT-4", "RT-5", "IR-1", "IR-2", "SM-1", "SM-2", "IN-1", "IN-3", "CH-1", "CK-1", "CK-2",
                  "AM-6"}, {"AD-1", "IR-8"}),
    ("bench3d", {"RT-1", "RT-2", "RT-4", "IR-1", "IR-5", "IR-7", "AD-1", "AD-4", "SM-1", "SM-2", "IN-1",
                 "CH-1", "CC-2"}, {"IR-8", "CC-3"}),
    ("baiinfo", {"RT-1", "RT-4", "IR-1", "IR-2", "IR-3", "IR-4", "IR-7", "AD-1", "AD-4", "SM-1", "SM-4",
                 "IN-1", "IN-2", "IN-3", "CH-1", "CH-3", "CC-3", "CK-1", "CK-2"}, {"RT-5", "IR-8"}),
])
def test_shared_policies_items(shared, name, answered, unanswered):
    """Items supported by at least one finding, and items no finding should claim."""
    _, items = shared[name]
    assert answered - items == set()
    assert unanswered & items == set()


def test_a_policy_that_names_its_data_and_purposes_sets_out_how_pi_is_processed():
    data = ("paragraph", "We collect your name, mobile phone number and delivery address.")
    purpose = ("paragraph", "We use your delivery address to ship your orders.")
    status, analysis = verdicts([data, purpose], "en")
    assert status["PC-1"] == "met" and status["PU-1"] == "met"
    fa1 = next(v for v in analysis.checklist if v.item == "policy_accessibility#FA-1")
    assert fa1.status == "met" and "PC-1, PU-1" in fa1.reason
    supporting = {f.id: f.items for f in analysis.findings}
    assert fa1.evidence and all({"pi_categories#PC-1", "purposes_and_use#PU-1"} & set(supporting[e]) for e in fa1.evidence)
    status, _ = verdicts([("paragraph", "We use this information to ship your orders.")], "en")
    assert status["PU-1"] == "met" and status["PC-1"] != "met" and status["FA-1"] == "missing"


def test_an_item_met_by_others_keeps_its_own_red_flag():
    from reviewer.core.results import RedFlag
    from reviewer.core.rules import load_ruleset
    from reviewer.core.verdicts import decide

    _, analysis = verdicts([("paragraph", "We collect your name, mobile phone number and delivery address."),
                            ("paragraph", "We use your delivery address to ship your orders.")], "en")
    flag = RedFlag("r0", "test/flag", "policy_accessibility", 0, 10, "x", "x", "The policy is vague.", "PIPL 17",
                   ("policy_accessibility#FA-1",))
    checklist = decide(load_ruleset(), analysis.findings, [flag], analysis.facts, set(analysis.conditions))
    fa1 = next(v for v in checklist if v.item == "policy_accessibility#FA-1")
    assert fa1.status == "needs_review" and "vague" in fa1.reason


def test_rights_item_is_met_only_when_every_pipl_right_is_named():
    heading = ("heading", "Your rights")
    full = ("paragraph", "You have the right to know and decide how your personal information is processed, "
                         "to restrict or refuse its processing, to access and copy it, to correct or supplement it, "
                         "to delete it, to ask us to explain our processing rules, and to have it transferred to "
                         "another processor you designate.")
    status, analysis = verdicts([heading, full], "en")
    ir1 = next(v for v in analysis.checklist if v.item == "individual_rights#IR-1")
    assert ir1.status == "met" and "portability" in ir1.reason
    partial = ("paragraph", "You may access, correct or delete your personal information at any time.")
    status, analysis = verdicts([heading, partial], "en")
    ir1 = next(v for v in analysis.checklist if v.item == "individual_rights#IR-1")
    assert ir1.status == "needs_review" and ir1.evidence
    named, missing = ir1.reason.split("not found:")
    assert {"access", "correct or supplement", "delete"} <= {p.strip(" ;") for p in named.split("names")[1].split(",")}
    assert [p.strip(" .") for p in missing.split(",")] == [
        "know and decide", "restrict or refuse", "copy", "explanation of the rules", "portability"]
    # a processor refusing a request is not the user's right to refuse
    status, _ = verdicts([heading, partial, ("paragraph", "We may refuse requests that are manifestly unfounded.")],
                         "en")
    assert status["IR-1"] == "needs_review"


def test_rights_item_in_chinese_names_the_rights_not_found():
    heading = ("heading", "您的权利")
    full = ("paragraph", "您对您的个人信息的处理享有知情权和决定权，有权限制或者拒绝我们处理您的个人信息，"
                         "有权查阅、复制、更正、补充、删除您的个人信息，有权要求我们对个人信息处理规则进行解释说明，"
                         "并可请求将您的个人信息转移至您指定的个人信息处理者。")
    status, _ = verdicts([heading, full], "zh")
    assert status["IR-1"] == "met"
    status, analysis = verdicts([heading, ("paragraph", "您可以查阅、更正和删除您的个人信息。")], "zh")
    ir1 = next(v for v in analysis.checklist if v.item == "individual_rights#IR-1")
    assert ir1.status == "needs_review" and ir1.reason.endswith(
        "not found: know and decide, restrict or refuse, copy, explanation of the rules, portability.")


def test_incident_notice_contents_missing_the_contact():
    text = ("若发生个人信息安全事件，我们将告知您安全事件的基本情况和可能的影响、我们已采取或将要采取的处置措施、"
            "您可自主防范和降低风险的建议。")
    _, analysis = verdicts([("heading", "安全事件处置"), ("paragraph", text)], "zh")
    in2 = next(v for v in analysis.checklist if v.item == "incident_response#IN-2")
    assert in2.status == "needs_review" and in2.reason.endswith("not found: contact.")
    _, analysis = verdicts([("heading", "安全事件处置"), ("paragraph", text[:-1] + "，以及我们的联系方式。")], "zh")
    assert next(v for v in analysis.checklist if v.item == "incident_response#IN-2").status == "met"


def test_a_missing_item_says_whether_its_topic_is_addressed_at_all():
    _, analysis = verdicts([("paragraph", "我们可能委托授权合作伙伴代表我们履行职能。")], "zh")
    ep1 = next(v for v in analysis.checklist if v.item == "entrusted_processing#EP-1")
    assert ep1.status == "missing" and "though the topic is addressed (1 clause(s))" in ep1.reason
    _, analysis = verdicts([("paragraph", "我们会收集您的手机号码。")], "zh")
    ep1 = next(v for v in analysis.checklist if v.item == "entrusted_processing#EP-1")
    assert ep1.status == "missing" and ep1.reason.startswith("No clause found. Looked for:")


def test_recipient_items_say_which_of_the_required_details_are_given():
    named = ("paragraph", "We share your order details with Swift Logistics Co., Ltd. (service@swiftlogistics.cn) "
                          "for the purpose of delivering your parcels.")
    _, analysis = verdicts([("heading", "How we share your information"), named], "en")
    sh1 = next(v for v in analysis.checklist if v.item == "sharing_third_parties#SH-1")
    assert sh1.status == "needs_review"
    assert sh1.reason.endswith("they name the recipient's name, contact, purposes; "
                               "not found: processing method, PI categories."), sh1.reason
    abroad = ("paragraph", "我们会将您的订单信息传输至位于新加坡的Example Pte. Ltd.，用于跨境物流配送，"
                           "接收方的联系方式为privacy@example.sg。")
    _, analysis = verdicts([("heading", "跨境传输"), abroad], "zh")
    cb2 = next(v for v in analysis.checklist if v.item == "cross_border#CB-2")
    assert cb2.status == "needs_review", cb2.reason
    assert "not found: processing method, PI categories, how to exercise rights against the recipient." in cb2.reason


@pytest.mark.parametrize("lang, heading, text, item, status, not_found", [
    ("en", "Changes to this policy",
     "We will notify you of material changes by email or an in-app notice at least 30 days before they take effect, "
     "with a summary of the changes.", "CH-1", "met", ""),
    ("en", "Changes to this policy",
     "If we make material changes, we will notify you by email.", "CH-1", "needs_review",
     "before the changes take effect, what changed."),
    ("zh", "安全事件处置",
     "发生个人信息安全事件后，我们将以邮件、短信、推送通知等方式告知您，难以逐一告知个人信息主体时，我们会采取合理、有效的方式发布公告。",
     "IN-3", "met", ""),
    ("en", "Security incidents",
     "If a data breach occurs, we will take remedial measures, report it to the regulatory authorities and notify "
     "affected users by email.", "IN-1", "met", ""),
    ("en", "Security incidents",
     "If a personal data breach is likely to put your rights at risk, we will notify the CNIL within 72 hours and "
     "tell you directly.", "IN-1", "needs_review", "remedial action."),
    ("zh", "安全事件处置",
     "若发生个人信息泄露等安全事件，我们会启动应急预案，阻止安全事件扩大，并以推送通知、邮件等方式告知您。",
     "IN-1", "needs_review", "report to the authorities."),
    ("zh", "安全事件处置",
     "若发生个人信息安全事件，我们将启动应急预案采取补救措施，按照监管部门要求主动上报事件处置情况，并及时告知您。",
     "IN-1", "met", ""),
    ("zh", "委托处理",
     "对我们委托处理个人信息的公司，我们会与其签署委托处理协议，约定委托处理的目的、期限、处理方式和保护措施，要求其不得将个人信息用于其他目的，"
     "委托关系解除后返还或删除个人信息，未经我们同意不得转委托。", "EP-2", "met", ""),
    ("en", "Service providers",
     "We sign data processing agreements with our service providers that require them to protect your information "
     "and not to use it for their own purposes.", "EP-2", "needs_review",
     "agreed purpose, period and method, return or deletion at the end, no sub-entrusting without approval."),
    ("en", "Deleting your personal information",
     "You can request us to delete your personal information if our processing violates laws and regulations, "
     "or if we no longer provide you with products or services.", "IR-3", "needs_review",
     "purpose achieved or no longer necessary, consent withdrawn, storage and security only when deletion is impossible."),
    ("zh", "逝者个人信息",
     "用户死亡后，其近亲属为了自身的合法、正当利益，可以通过本政策所列联系方式联系我们，对死者的相关个人信息行使查阅、复制、更正、删除等权利，"
     "但死者生前另有安排的除外。", "DC-1", "met", ""),
    ("en", "Deceased users",
     "If a user dies, their close relatives may contact us to access or delete the user's personal information.",
     "DC-1", "needs_review", "for their own lawful interests, unless the deceased arranged otherwise."),
])
def test_items_whose_law_lists_what_they_need(lang, heading, text, item, status, not_found):
    _, analysis = verdicts([("heading", heading), ("paragraph", text)], lang)
    verdict = next(v for v in analysis.checklist if v.item.endswith("#" + item))
    assert verdict.status == status, verdict.reason
    assert verdict.reason.endswith("not found: " + not_found) if not_found else "naming all of" in verdict.reason


def test_childrens_rules_item_lists_what_cpip_article_10_asks_for():
    text = ("我们会在征得监护人同意后收集不满十四周岁儿童的个人信息，用于提供游戏服务。"
            "如监护人拒绝，儿童将无法使用该服务。")
    _, analysis = verdicts([("heading", "儿童个人信息保护"), ("paragraph", text)], "zh")
    mi4 = next(v for v in analysis.checklist if v.item == "minors#MI-4")
    assert mi4.status == "needs_review", mi4.reason
    assert mi4.reason.endswith("they name purposes, methods and scope, consequences of refusal; not found: "
                               "storage location, period and handling at expiry, security measures, "
                               "complaint channels, how to correct or delete."), mi4.reason
