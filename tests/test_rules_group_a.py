"""Detection rules of group A: policy accessibility, processor identity and contact,
purposes, PI categories, device permissions, SDK lists, legal bases, consent and
withdrawal, sensitive PI. Each topic has English and Chinese clauses that must be
found (with their key checklist items) and near misses that must not be."""
from __future__ import annotations

from dataclasses import replace
from functools import lru_cache

import pytest

from helpers import analyse_text
from reviewer.core.document import Document, TextBuilder
from reviewer.core.engine import analyze

pytestmark = pytest.mark.usefixtures("without_topic_model")




def findings_for(analysis, needle):
    """Findings of the segment whose text contains ``needle``, by topic."""
    return {f.topic: f for f in analysis.findings if needle in f.text}


@lru_cache(maxsize=None)
def _batch(lang, sentences):
    """One document holding every sentence as its own paragraph (no headings, no
    lists, so no sentence lends context to another): one analysis per language."""
    b = TextBuilder()
    spans = [b.add("paragraph", s) for s in sentences]
    analysis = analyze(Document(path="t", format="txt", text=b.text(), blocks=tuple(b.blocks),
                                sha256="", lang=lang))
    out = {}
    for sentence, block in zip(sentences, spans):
        found = {}
        for f in analysis.findings:
            if block.start <= f.start < block.end:
                prev = found.get(f.topic)
                if prev is None:
                    found[f.topic] = f
                else:  # several segments: merge their items
                    found[f.topic] = replace(prev, items=tuple(sorted(set(prev.items) | set(f.items))),
                                             negated=prev.negated and f.negated)
        out[sentence] = found
    return out


def detect(sentence, lang):
    """Findings by topic for ``sentence`` (analysed together with the other test sentences)."""
    pool = tuple(dict.fromkeys(s for l, s, *_ in POSITIVE + NEGATIVE + EXTRA if l == lang))
    return _batch(lang, pool)[sentence]


# (lang, sentence, topic, items that must be among the finding's items)
POSITIVE = [
    # --- policy_accessibility
    ("en", "This Privacy Policy applies to the Example website and the services we provide through it.",
     "policy_accessibility", ["FA-1"]),
    ("en", "Last updated: March 1, 2024.", "policy_accessibility", ["FA-7"]),
    ("zh", "本个人信息保护政策版本：2023 V3", "policy_accessibility", ["FA-7"]),
    ("zh", "我们尽量以简明易懂的语言向您说明我们如何处理个人信息。", "policy_accessibility", []),
    ("zh", "各产品的专项规则与本政策共同构成我们针对该产品的完整隐私政策。", "policy_accessibility", []),
    ("en", "If there is any inconsistency between the Chinese version and the English version, the Chinese version shall prevail.",
     "policy_accessibility", ["FA-5"]),
    ("en", "When you first launch the app, we will show you this Privacy Policy in a pop-up window and ask you to read it.",
     "policy_accessibility", ["FA-3"]),
    ("zh", "本政策适用于我们通过网站、客户端向您提供的全部产品和服务。", "policy_accessibility", ["FA-1"]),
    ("zh", "更新日期：2023年5月1日", "policy_accessibility", ["FA-7"]),
    ("zh", "本政策以简体中文版本为准，如中英文版本不一致，以中文版本为准。", "policy_accessibility", ["FA-5"]),
    ("zh", "您首次打开本应用时，我们会通过弹窗向您展示本隐私政策的主要内容。", "policy_accessibility", ["FA-3"]),
    ("zh", "您可以在“我的-设置-关于我们”中随时查阅本隐私政策。", "policy_accessibility", ["FA-4"]),
    # --- processor_identity_contact
    ("en", 'Example Technology Co., Ltd. (hereinafter referred to as "we" or "us") operates this service.',
     "processor_identity_contact", ["ID-1"]),
    ("en", "If you have any questions about this policy, please contact us at privacy@example.com.",
     "processor_identity_contact", ["ID-2"]),
    ("en", "Registered address: 8 Zhongguancun Street, Haidian District, Beijing.",
     "processor_identity_contact", ["ID-1", "ID-2"]),
    ("zh", "北京示例科技有限公司（以下简称“我们”）是本应用的运营者。", "processor_identity_contact", ["ID-1"]),
    ("zh", "如您对本政策有任何疑问、意见或建议，可以通过以下方式与我们联系。", "processor_identity_contact", ["ID-2"]),
    ("zh", "客服电话：400-123-4567", "processor_identity_contact", ["ID-2"]),
    ("en", "1. Company name: Shenzhen Example Technology Co., Ltd.", "processor_identity_contact", ["ID-1"]),
    ("en", "Full name of our company: Example Information Services Co., Ltd.", "processor_identity_contact", ["ID-1"]),
    ("en", "2. Registration address: No. 8 Keji Road, Nanshan District, Shenzhen", "processor_identity_contact",
     ["ID-1", "ID-2"]),
    ("en", "Contact number: 400-123-4567.", "processor_identity_contact", ["ID-2"]),
    ("en", "WeChat official account: Example Service", "processor_identity_contact", ["ID-2"]),
    ("zh", "本应用由深圳示例科技有限公司提供。", "processor_identity_contact", ["ID-1"]),
    ("zh", "如有任何疑问，请拨打客服电话400-123-4567。", "processor_identity_contact", ["ID-2"]),
    ("zh", "我们的关联公司作为共同个人信息处理者，与我们共同决定个人信息的处理目的和处理方式。",
     "processor_identity_contact", ["ID-3"]),
    # --- purposes_and_use
    ("en", "We use your email address to send you order confirmations and service notices.",
     "purposes_and_use", ["PU-1"]),
    ("en", "We collect information you provide to us and information we collect automatically when you use our services.",
     "purposes_and_use", ["PU-2"]),
    ("en", "If we want to use your personal information for a new purpose, we will ask for your consent first.",
     "purposes_and_use", ["PU-4"]),
    ("en", "If you refuse to provide this information, it will not affect your use of the basic functions.",
     "purposes_and_use", ["PU-3"]),
    ("en", "We collect this information to quickly complete the login process.", "purposes_and_use", ["PU-1"]),
    ("en", "For risk control purposes, we analyse your transaction behaviour.", "purposes_and_use", []),
    ("en", "In order to send you order notifications, we may share your phone number with SMS service providers.",
     "purposes_and_use", ["PU-1"]),
    ("en", "We use cookies and similar technologies to remember your language settings.", "purposes_and_use",
     ["PU-1"]),
    ("zh", "在您注册账号时，我们会收集您的手机号码，用于创建账号和验证您的身份。", "purposes_and_use", ["PU-1"]),
    ("zh", "我们可能会使用到通知权限来推送专辑更新内容和消息提醒。", "purposes_and_use", ["PU-1"]),
    ("zh", "我们收集您的收货地址是为了完成订单配送。", "purposes_and_use", ["PU-1"]),
    ("zh", "当您联系客服时，我们可能会保存通话录音，用于处理您的问题。", "purposes_and_use", ["PU-1"]),
    ("zh", "我们仅会在本政策所述目的范围内使用您的个人信息。", "purposes_and_use", ["PU-4"]),
    ("zh", "在您开启麦克风权限后，您能够实现语音聊天功能。", "purposes_and_use", ["PU-1"]),
    ("en", "We may also use the mobile phone number collected above to send you notices about your orders.",
     "purposes_and_use", ["PU-1"]),
    ("zh", "为向您推送订单状态通知，我们会使用您的手机号码。", "purposes_and_use", ["PU-1"]),
    ("zh", "我们会收集您在使用服务过程中主动提供的信息，以及自动收集的设备信息和日志信息。", "purposes_and_use", ["PU-2"]),
    ("zh", "我们的产品功能分为基本业务功能和扩展业务功能。", "purposes_and_use", ["PU-3"]),
    ("zh", "如我们将您的个人信息用于本政策未载明的其他用途，会事先征得您的同意。", "purposes_and_use", ["PU-4"]),
    # --- pi_categories
    ("en", "When you register an account, we collect your name, mobile phone number and email address.",
     "pi_categories", ["PC-1"]),
    ("en", "If you do not provide your phone number, you will not be able to complete registration.",
     "pi_categories", ["PC-4"]),
    ("en", "Please see the list of personal information collected at the end of this policy.",
     "pi_categories", ["PC-2"]),
    ("en", "You may need to submit information, including but not limited to pictures and videos.",
     "pi_categories", ["PC-1"]),
    ("en", "When you sign up, you need to give us your mobile number and set a password.",
     "pi_categories", ["PC-1"]),
    ("en", "To complete real-name verification, you will be asked to upload a photo of your identity card.",
     "pi_categories", ["PC-1"]),
    ("zh", "当您使用外卖配送服务时，我们会收集您的姓名、收货地址和手机号码。", "pi_categories", ["PC-1"]),
    ("zh", "以下是您在使用我们服务时，您主动提供的信息：", "pi_categories", ["PC-1"]),
    # a lead-in that refers back to the data of the sentence before names the kinds that follow
    ("en", "This information may include:", "pi_categories", ["PC-1"]),
    ("zh", "上述信息具体包括：", "pi_categories", ["PC-1"]),
    ("zh", "具体信息请查阅《个人信息收集清单》。", "pi_categories", ["PC-2"]),
    ("zh", "如您拒绝提供上述信息，将无法完成注册，但不影响您浏览商品。", "pi_categories", ["PC-4"]),
    ("zh", "在您开启定位功能期间，我们以每5分钟一次的频率获取您的位置信息。", "pi_categories", ["PC-5"]),
    ("zh", "敏感个人信息已在本政策中以加粗形式标注，请您特别关注。", "pi_categories", ["PC-3"]),
    # --- device_permissions
    ("en", "Our app requests access to your camera so that you can scan QR codes.", "device_permissions", ["DP-1"]),
    ("en", "You can turn off the location permission at any time in your device settings.",
     "device_permissions", ["DP-3"]),
    ("en", "We may apply to you for permission to install other software.", "device_permissions", []),
    ("en", "After your consent, we obtain the call permission to dial the hotline for you.", "device_permissions", []),
    ("en", "We need to obtain your album authority to upload pictures.", "device_permissions", []),
    ("en", "You can refuse this permission at any time in the system settings.", "device_permissions", []),
    ("zh", "为实现扫码功能，我们需要获取您的相机权限。", "device_permissions", ["DP-1"]),
    ("zh", "我们仅会在您使用语音搜索功能时申请麦克风权限，不会默认开启。", "device_permissions", ["DP-2"]),
    ("zh", "您可以在手机“设置-应用-权限管理”中关闭相册权限，关闭后不影响其他功能的使用。",
     "device_permissions", ["DP-3"]),
    ("zh", "应用更新后，我们不会擅自更改您已设置的权限状态。", "device_permissions", ["DP-4"]),
    # --- third_party_sdk_list
    ("en", "Our app integrates third-party SDKs; the SDK list sets out each SDK name, provider and purpose.",
     "third_party_sdk_list", ["SDK-1"]),
    ("en", "Third-party SDKs are initialized only after you agree to this Privacy Policy.",
     "third_party_sdk_list", ["SDK-3"]),
    ("zh", "为实现消息推送功能，本应用接入了第三方推送SDK，详见《第三方SDK目录》。", "third_party_sdk_list", ["SDK-1"]),
    ("zh", "在您同意本隐私政策之前，我们不会初始化任何第三方SDK。", "third_party_sdk_list", ["SDK-3"]),
    ("zh", "上述SDK由第三方服务商直接收集您的信息，并适用其自身的隐私政策。", "third_party_sdk_list", ["SDK-2"]),
    ("zh", "我们会定期更新《第三方信息共享清单》，您可在“设置-隐私”中查看。", "third_party_sdk_list", ["SDK-4"]),
    # --- legal_basis_exceptions
    ("en", "We do not need to obtain your consent to collect and use your personal information in the following cases:",
     "legal_basis_exceptions", ["LB-2"]),
    ("en", "Necessary for the conclusion or performance of a contract to which you are a party;",
     "legal_basis_exceptions", ["LB-2"]),
    ("en", "We may disclose your information if required by law, for example in response to a subpoena or court order.",
     "legal_basis_exceptions", []),
    ("en", "The legal basis for processing your personal information is your consent or the performance of a contract with you.",
     "legal_basis_exceptions", ["LB-1"]),
    ("zh", "在以下情形中，我们收集和使用您的个人信息无需征得您的授权同意：", "legal_basis_exceptions", ["LB-2"]),
    ("zh", "为应对突发公共卫生事件，或者紧急情况下为保护自然人的生命健康和财产安全所必需；",
     "legal_basis_exceptions", ["LB-2"]),
    ("zh", "与国家安全、国防安全直接相关的；", "legal_basis_exceptions", ["LB-2"]),
    ("zh", "依照本法规定在合理的范围内处理您自行公开或者其他已经合法公开的个人信息；",
     "legal_basis_exceptions", ["LB-2", "LB-5"]),
    # --- consent_withdrawal
    ("zh", "本政策更新后您继续使用我们的服务，即意味着您同意更新后的政策内容。", "consent_withdrawal", []),
    ("en", "You can withdraw your consent at any time through Settings > Privacy.", "consent_withdrawal", ["CW-2"]),
    ("en", "Withdrawing your consent will not affect the lawfulness of processing based on your consent before its withdrawal.",
     "consent_withdrawal", ["CW-4"]),
    ("en", "You may unsubscribe from marketing emails by clicking the unsubscribe link in any email.",
     "consent_withdrawal", ["CW-2"]),
    ("en", "We will obtain your separate consent before we provide your personal information to a third party.",
     "consent_withdrawal", ["CW-6"]),
    ("zh", "您可以通过“我的-设置-隐私设置”撤回您的授权同意。", "consent_withdrawal", ["CW-2"]),
    ("zh", "撤回同意不会影响撤回前基于您的授权已进行的个人信息处理活动。", "consent_withdrawal", ["CW-4"]),
    ("zh", "您可以回复“TD”退订营销短信。", "consent_withdrawal", ["CW-2"]),
    ("zh", "您拒绝授权后，我们不会在48小时内反复向您弹窗申请该权限。", "consent_withdrawal", ["CW-5"]),
    ("zh", "我们会在您主动勾选同意后才处理您的个人信息，不会默认勾选。", "consent_withdrawal", ["CW-1"]),
    ("zh", "向境外提供您的个人信息前，我们会单独征得您的同意。", "consent_withdrawal", ["CW-6"]),
    ("zh", "您继续使用我们的服务即视为您同意本政策。", "consent_withdrawal", []),
    # --- sensitive_pi
    ("en", "We will collect your ID card number and facial features for identity verification, and obtain your separate consent.",
     "sensitive_pi", ["SP-3"]),
    ("en", "Your precise location is sensitive personal information, and we encrypt it in transit and at rest.",
     "sensitive_pi", ["SP-1"]),
    ("zh", "我们会在您使用实名认证功能时收集您的身份证号码和人脸信息，上述信息属于敏感个人信息，我们将单独征得您的同意。",
     "sensitive_pi", ["SP-1", "SP-3"]),
    ("zh", "人脸信息一旦泄露，可能对您的人身和财产安全造成影响，我们仅在实现刷脸登录所必需时处理。",
     "sensitive_pi", ["SP-2"]),
    ("zh", "我们仅保存人脸特征值，并采用加密方式单独存储。", "sensitive_pi", ["SP-4"]),
    ("zh", "如您不同意使用人脸识别，也可以选择短信验证码等其他方式完成验证。", "sensitive_pi", ["SP-5"]),
    ("zh", "我们不会收集不满十四周岁儿童的个人信息。", "sensitive_pi", []),
    ("en", "Please read and fully understand this policy before using our services.", "policy_accessibility", []),
    ("en", "This privacy policy forms an integral part of our Terms of Service.", "policy_accessibility", []),
    ("zh", "本政策是《用户服务协议》的重要组成部分。", "policy_accessibility", []),
    ("en", "Updated Date: Feb. 8, 2025", "policy_accessibility", ["FA-7"]),
    ("en", "The Example Privacy Policy (the \"Privacy Policy\") applies to all products and services of Example.",
     "policy_accessibility", ["FA-1"]),
    ("en", "If a product has a separate privacy policy, that product's privacy policy takes precedence.",
     "policy_accessibility", ["FA-1"]),
    ("en", "We hope that before using our services, you will carefully read the Privacy Policy of Example.",
     "policy_accessibility", []),
    ("zh", "为完成实名认证，您需要提交真实姓名和身份证号码。", "pi_categories", ["PC-1"]),
    ("zh", "我们会收集您的套餐使用信息，用于向您展示余量提醒。", "pi_categories", ["PC-1"]),
    ("en", "3.2 The following is some or all of the information that may be collected:", "pi_categories", ["PC-1"]),
    ("zh", "为实现这些功能及服务，我们可能会收集并使用下列信息：", "pi_categories", ["PC-1"]),
    ("en", "Our bank will use your order information to verify your identity and settle payments.", "pi_categories",
     ["PC-1"]),
    ("zh", "订单信息\t订单编号、下单时间、支付金额及方式\t到店取餐\t实现商品交付", "pi_categories", ["PC-1"]),
    ("en", "The network log includes the language you use, the time of access, the pages you visit and your login IP "
           "address.", "pi_categories", ["PC-1"]),
    ("zh", "我们在中华人民共和国境内运营中收集和产生的个人信息，储存在中国境内，以下情形除外：", "cross_border", ["CB-1"]),
    ("en", "We use the push SDK to obtain your device token so that we can send you notifications.",
     "cookies_tracking", ["CK-1"]),
    ("zh", "我们会通过推送SDK获取您的设备令牌，用于消息通知。", "cookies_tracking", ["CK-1"]),
    ("en", "When you place an order, we need the recipient's name, delivery address and phone number.",
     "pi_categories", ["PC-1"]),
    ("en", "Example Corp automatically receives and records information from your browser, including your IP address.",
     "pi_categories", ["PC-1"]),
    ("en", "The personal information collected through this feature helps you check whether the other party is genuine.",
     "purposes_and_use", ["PU-1"]),
    ("en", "We obtain your personal information in three ways: you give it to us, we collect it automatically, "
           "and partners share it with your authorization.", "purposes_and_use", ["PU-2"]),
    ("en", "If you refuse to provide this information, you will not be able to use this feature, but your use of "
           "other features will not be affected.", "purposes_and_use", ["PU-3"]),
    ("en", "We may collect your personal information from third-party partners where business development requires it.",
     "purposes_and_use", ["PU-2"]),
    ("en", "Before obtaining your consent, we will not use this information beyond the above scope.", "purposes_and_use",
     ["PU-4"]),
    ("en", "After you authorize it, the app will bind the information you authorized to your account so that you can "
           "log in directly.", "purposes_and_use", ["PU-1"]),
    ("en", "You can choose not to submit non-essential information, such as avatars and nicknames.", "pi_categories",
     ["PC-4"]),
    ("en", "If you continue to use our services, it means that you have fully read, understood and agreed with this "
           "privacy policy.", "consent_withdrawal", []),
    ("en", "If you do not agree with the content of this policy, you should stop using our services.",
     "consent_withdrawal", []),
    ("en", "Withdrawing your authorization does not affect the effectiveness of processing activities based on your "
           "authorization before the withdrawal.", "consent_withdrawal", ["CW-4"]),
    ("en", "When you use the call feature for the first time, we will solicit your authorization by a pop-up window.",
     "consent_withdrawal", ["CW-1"]),
    ("zh", "首次使用时，我们会通过弹窗征求您的授权。", "consent_withdrawal", ["CW-1"]),
    ("en", "This function is turned on by default.", "consent_withdrawal", []),
    ("zh", "个性化推荐功能默认开启。", "consent_withdrawal", []),
    ("en", "The cancellation of your authorization will not affect processing carried out on the basis of your previous "
           "authorization.", "consent_withdrawal", ["CW-4"]),
    ("en", "If you choose to use our services, you will be deemed to have fully understood and fully agreed to all "
           "the contents of this Policy.", "consent_withdrawal", []),
    ("zh", "您可以通过设置中的开关随时终止本应用使用您设备中的摄像头。", "consent_withdrawal", []),
    ("zh", "如未选择删除的，将视为同意该等视频继续授权我方平台进行传播。", "consent_withdrawal", []),
    ("zh", "剪切板,微寻宝、转账,用于口令识别、转账快捷跳转功能", "device_permissions", []),
    ("zh", "（1）摄像头，用于识别二维码、人脸识别、设置头像。", "device_permissions", []),
    ("zh", "在特定活动中，我们会读取您的剪贴板内容以判断是否存在相关口令码。", "device_permissions", []),
    ("zh", "您使用手机充值服务时，可通过通讯录快速选取电话号码，无需您手动输入。", "device_permissions", []),
    ("en", "After you agree, you will grant the microphone audio recording permissions.", "device_permissions", []),
    ("en", "The following are some permissions that may need to be applied for.", "device_permissions", []),
    ("en", "Unless authorized by you, these permissions will not be enabled.", "device_permissions", []),
    ("zh", "3.出于维护用户或其他个人的生命、财产、声誉等重大合法权益但又很难得到本人同意的；", "legal_basis_exceptions",
     ["LB-2"]),
    ("zh", "2.与我们履行法律法规规定的义务相关的；", "legal_basis_exceptions", ["LB-2"]),
    ("zh", "根据中国人民银行的监管要求，我们需要收集您的预约记录信息。", "legal_basis_exceptions", ["LB-1"]),
    ("en", "According to the supervision requirements of the People's Bank of China, we need to collect your "
           "appointment records.", "legal_basis_exceptions", ["LB-1"]),
    ("en", "7. Signing and performing a contract at the request of the personal information subject;",
     "legal_basis_exceptions", ["LB-2"]),
    ("en", "1. Related to our performance of obligations stipulated by laws and regulations;", "legal_basis_exceptions",
     ["LB-2"]),
]


@pytest.mark.parametrize("lang, sentence, topic, items", POSITIVE,
                         ids=[f"{t}-{lang}-{i}" for i, (lang, _, t, _) in enumerate(POSITIVE)])
def test_clause_is_found(lang, sentence, topic, items):
    found = detect(sentence, lang)
    assert topic in found, f"{topic} not found in {sentence!r}; found {sorted(found)}"
    got = {i.split("#")[1] for i in found[topic].items}
    missing = set(items) - got
    assert not missing, f"{sorted(missing)} not among {sorted(got)} for {sentence!r}"


# (lang, sentence, topic that must NOT be found)
NEGATIVE = [
    ("zh", "软件版本：3.2.1", "policy_accessibility"),
    ("en", "We take reasonable security measures to protect your information.", "purposes_and_use"),
    ("en", "You can change your password in the account settings.", "consent_withdrawal"),
    ("en", "Our website links to other websites operated by unrelated third parties.", "processor_identity_contact"),
    ("en", "We will notify you of material changes to this policy by email.", "policy_accessibility"),
    ("en", "With your permission, we may post your review on our website.", "device_permissions"),
    ("en", "We use encryption to protect your data in transit.", "sensitive_pi"),
    ("en", "You can manage cookies through your browser settings.", "device_permissions"),
    ("en", "We retain your order history for three years.", "legal_basis_exceptions"),
    ("en", "Some details may stay in our archived records after your account is closed.", "pi_categories"),
    ("en", "You can give us feedback in the app to help us improve our services.", "pi_categories"),
    ("zh", "我们使用多方位的安全保护措施，以确保您的个人信息处于合理的安全水平。", "purposes_and_use"),
    ("en", "We will obtain your permission before we share your information.", "device_permissions"),
    ("en", "This privacy policy explains what information we collect and how we use it.", "pi_categories"),
    ("en", "By using our site, you give us explicit consent to place cookies on your device.", "pi_categories"),
    ("en", "We do not store credit card numbers except for the last four digits.", "pi_categories"),
    ("en", "We will never share your phone number without your permission.", "device_permissions"),
    ("zh", "我们会收集您的收货地址和联系电话，用于配送商品。", "processor_identity_contact"),
    ("en", "You can check your balance through the WeChat official account of Example Bank.",
     "processor_identity_contact"),
    ("en", "Please enter your contact: 123 if asked by the form.", "processor_identity_contact"),
    ("zh", "为了您能及时接收到通知，建议您在联系方式更新时及时通知我们。", "processor_identity_contact"),
    ("zh", "我们合作的第三方配送公司（包括顺丰、中通等，以下称“配送公司”）将为您完成交付。",
     "processor_identity_contact"),
    ("zh", "该标识的生成及其相关服务由中广协广告信息文化传播有限责任公司负责提供。", "processor_identity_contact"),
    ("zh", "授权之后您可以使用本应用直接拨打电话。", "processor_identity_contact"),
    ("zh", "我们建立了严格的数据访问权限控制机制。", "device_permissions"),
    ("zh", "为保障您的信息安全，我们会使用加密技术。", "purposes_and_use"),
    ("zh", "我们会根据法律法规的规定保护您的个人信息。", "legal_basis_exceptions"),
    ("zh", "您可以在设置中修改登录密码。", "consent_withdrawal"),
    ("zh", "我们不会与第三方共享您的个人信息。", "third_party_sdk_list"),
    ("zh", "我们会收集您的设备型号和操作系统版本。", "sensitive_pi"),
    ("zh", "本政策中的“个人信息”是指以电子或者其他方式记录的与已识别或者可识别的自然人有关的各种信息。",
     "pi_categories"),
    ("zh", "如您对处理结果不满意，还可以向有管辖权的人民法院提起诉讼。", "legal_basis_exceptions"),
    ("zh", "我们会通过弹窗方式通知您本政策的更新。", "policy_accessibility"),
    ("zh", "我们在设置页面为您提供了编辑功能，您可以自行修改头像和昵称。", "pi_categories"),
    ("zh", "如有疑问，您可以填写反馈表并发送至客服邮箱：help@example.cn。", "pi_categories"),
    ("zh", "当您关闭位置权限后，我们将不再收集您的位置信息。", "purposes_and_use"),
    ("en", "We need your consent before we send you marketing messages.", "pi_categories"),
    ("en", "The app automatically records crashes to help us fix bugs.", "pi_categories"),
    ("en", "Please read the terms of the promotion before you take part.", "policy_accessibility"),
    ("en", "In case of conflict, the laws of the People's Republic of China shall prevail.", "policy_accessibility"),
    ("zh", "您提交的反馈意见将帮助我们改进服务。", "pi_categories"),
    ("zh", "电话：400-800-1234", "device_permissions"),
    # collecting "your personal information" names no category
    ("zh", "在您使用本应用的过程中，我们可能收集和使用您的相关信息。", "pi_categories"),
    ("zh", "我们会收集您的个人信息。", "pi_categories"),
    # a permission is how data is reached, not a category of data
    ("zh", "为了您在观看直播时可以使用蓝牙耳机，我们需要获取您本机的蓝牙权限。", "pi_categories"),
    ("zh", "如您选择不开启此权限，您将无法使用该特定功能，但不影响您使用其他服务。", "pi_categories"),
    ("en", "We need access to your camera so that you can scan QR codes.", "pi_categories"),
    ("zh", "当您使用拍照、查看相册功能时，会调用您的外部存储权限。", "pi_categories"),
    ("zh", "如您发现账号密码可能已经泄露，请您立即和我们取得联系，以便我们及时采取相应措施。", "purposes_and_use"),
    ("en", "If you have any questions about this policy, you can contact us in the following ways:", "purposes_and_use"),
    ("en", "We use encryption technology and de-identification to protect your personal information.", "purposes_and_use"),
    ("en", "When you use our products or services, we will collect the following information:", "purposes_and_use"),
    ("en", "Personal information refers to all kinds of information related to identified or identifiable natural "
           "persons.", "pi_categories"),
    ("en", "We may collect your personal information from partners if necessary.", "pi_categories"),
    ("en", "We will ask you to verify your identity before we process your request.", "pi_categories"),
    ("en", "You can notify us to obtain a copy of your personal information by telephone or email.", "pi_categories"),
    ("en", "If you cannot exercise your rights this way, you can contact us using the contact information below.",
     "pi_categories"),
    ("en", "Before cancelling your account, you need to provide some proof of ownership.", "pi_categories"),
    # consent as a condition of sharing is the sharing topic's (SH-2), not how consent is given (CW-1)
    ("en", "We will share your personal information with other parties after obtaining your express consent.",
     "consent_withdrawal"),
    ("zh", "在获得您的明示同意后，我们会与其他方共享您的个人信息。", "consent_withdrawal"),
    ("zh", "您可以选择开启相册权限，授权我们访问您的相册，以便使用扫码识别功能。", "pi_categories"),
    ("zh", "（2）位置信息：北京市朝阳区某某路1号", "device_permissions"),
    ("en", "We will not sell your personal information without your permission.", "device_permissions"),
    ("en", "If you agree, you can enjoy a discount on your next order.", "consent_withdrawal"),
    ("zh", "您可以在设置中关闭夜间模式。", "consent_withdrawal"),
    # what the data is used for, or what the policy contains, names no kind of data
    ("en", "This information is used to:", "pi_categories"),
    ("en", "This policy includes:", "pi_categories"),
    ("zh", "上述信息将用于：", "pi_categories"),
]


@pytest.mark.parametrize("lang, sentence, topic", NEGATIVE,
                         ids=[f"not-{t}-{lang}-{i}" for i, (lang, _, t) in enumerate(NEGATIVE)])
def test_near_miss_is_not_found(lang, sentence, topic):
    found = detect(sentence, lang)
    assert topic not in found, f"{topic} wrongly found in {sentence!r} by {found[topic].rule}"


EXTRA = [("zh", "我们不会收集您的人脸信息。")]


def test_negated_sensitive_collection_is_flagged():
    found = detect("我们不会收集您的人脸信息。", "zh")
    assert found["sensitive_pi"].negated


def test_weak_cues_count_under_a_matching_heading():
    paragraphs = [("heading", "九、如何联系我们"), ("paragraph", "您也可以通过在线客服与我们联系。")]
    found = findings_for(analyse_text(paragraphs, "zh"), "在线客服")
    assert "processor_identity_contact" in found
    alone = analyse_text([("paragraph", "您也可以通过在线客服与我们联系。")], "zh")
    assert "processor_identity_contact" not in findings_for(alone, "在线客服")


def test_exception_list_items_inherit_the_topic():
    paragraphs = [
        ("paragraph", "在以下情形中，我们收集、使用您的个人信息无需征得您的授权同意："),
        ("list_item", "（1）为履行法定职责或者法定义务所必需；"),
        ("list_item", "（2）法律、行政法规规定的其他情形。"),
    ]
    analysis = analyse_text(paragraphs, "zh")
    for needle in ("法定职责", "其他情形"):
        assert "legal_basis_exceptions" in findings_for(analysis, needle)


@pytest.mark.parametrize("lang, text, condition", [
    ("zh", "为实现扫码功能，本应用需要获取您的相机权限。", "is_app"),
    ("en", "Our app requests access to your camera so that you can scan QR codes.", "is_app"),
    ("en", "This Privacy Policy applies to our website, our mobile app and our WeChat mini program.", "is_app"),
    ("zh", "为实现消息推送功能，我们接入了第三方推送SDK。", "uses_third_party_sdks"),
    ("en", "We integrate third-party SDKs to provide analytics.", "uses_third_party_sdks"),
    ("zh", "在您进行实名认证时，我们会收集您的身份证号码。", "collects_sensitive_pi"),
    ("en", "We collect your bank card number when you pay.", "collects_sensitive_pi"),
    ("zh", "为向您推荐附近的门店，我们会收集您的精准定位信息。", "collects_sensitive_pi"),
    ("en", "We collect your precise geolocation to show nearby stores.", "collects_sensitive_pi"),
])
def test_conditions_are_set(lang, text, condition):
    analysis = analyse_text([("paragraph", text)], lang)
    assert condition in analysis.conditions


@pytest.mark.parametrize("lang, text, condition", [
    ("en", "Our website uses cookies to remember your preferences.", "is_app"),
    ("zh", "我们不会与任何第三方共享您的个人信息。", "uses_third_party_sdks"),
    ("zh", "我们的网站不会在您的设备上安装任何软件开发工具包。", "uses_third_party_sdks"),
    # location as such is not sensitive; precise location and whereabouts are (GB/T 35273 Annex B)
    ("zh", "为向您推荐附近的门店，我们会收集您的位置信息。", "collects_sensitive_pi"),
    ("en", "We collect your location information to show nearby stores.", "collects_sensitive_pi"),
])
def test_conditions_are_not_set(lang, text, condition):
    analysis = analyse_text([("paragraph", text)], lang)
    assert condition not in analysis.conditions
