"""Red flags: each rule fires on wording a lawyer would flag, in English and in
Chinese, and stays quiet on a near miss; on the shared policies the flags a
reviewer would raise are raised, and nothing else."""
from functools import lru_cache
from pathlib import Path

import pytest
import yaml

from reviewer.core.document import Document, TextBuilder
from reviewer.core.engine import analyze
from reviewer.core.loaders import load
from reviewer.core.rules import load_ruleset

FIXTURES = Path(__file__).parent / "fixtures"
RULES = Path(__file__).parent.parent / "resources" / "rules" / "pipl"


def _document(paragraphs, lang: str) -> Document:
    """``paragraphs``: strings, or ``(kind, text)`` pairs such as ``("heading", "Contact us")``."""
    b = TextBuilder()
    for p in paragraphs:
        kind, text = p if isinstance(p, tuple) else ("paragraph", p)
        b.add(kind, text, level=1 if kind == "heading" else 0)
    return Document(path="t", format="txt", text=b.text(), blocks=tuple(b.blocks), sha256="",
                    lang=lang)


@lru_cache(maxsize=None)
def _flags(paragraphs: tuple, lang: str):
    return analyze(_document(paragraphs, lang)).red_flags


def _rules(paragraphs, lang: str) -> set[str]:
    if isinstance(paragraphs, str):
        paragraphs = (paragraphs,)
    return {f.rule for f in _flags(tuple(paragraphs), lang)}


# rule id -> (English example, Chinese example, English near miss, Chinese near miss).
# An example is a sentence or a tuple of paragraphs.
CASES = {
    "policy_accessibility/placeholder-or-missing-date": (
        ("Privacy Policy", "Last updated: Day Month 2022", "We collect your name."),
        ("隐私政策", "更新日期：XXXX年XX月XX日", "我们会收集您的手机号码。"),
        ("Privacy Policy", "Last updated: March 1, 2023", "We collect your name."),
        ("隐私政策", "生效日期：2022年【11】月【29】日", "我们会收集您的手机号码。"),
    ),
    "policy_accessibility/foreign-version-prevails": (
        "If there is any inconsistency between the Chinese and English versions, the English version shall prevail.",
        "本政策的中英文版本如有不一致，以英文版本为准。",
        "If there is any inconsistency between the Chinese and English versions, the Chinese version shall prevail.",
        "本政策的中英文版本如有不一致，以中文版本为准。",
    ),
    "policy_accessibility/open-ended-scope": (
        "This Policy applies to all our products and services, including future products and services.",
        "本政策适用于我们提供的全部产品和服务，包括未来推出的产品和服务。",
        "This Policy applies to the Example app and the example.com website.",
        "本政策适用于示例App及其官方网站。",
    ),
    "processor_identity_contact/empty-contact-field": (
        (("heading", "Contact us"), "Service Mailbox:", "We will reply within 15 working days."),
        (("heading", "联系我们"), "客服邮箱：", "我们将在15个工作日内回复您。"),
        (("heading", "Contact us"), "Email:", "privacy@example.com"),
        (("heading", "联系我们"), "客服邮箱：privacy@example.cn"),
    ),
    "processor_identity_contact/placeholder-contact": (
        "Email: [insert email address]",
        "本政策由XX科技有限公司制定，联系邮箱：【】。",
        "Email: privacy@example.com",
        "本政策由杭州示例科技有限公司制定，联系邮箱：privacy@example.cn。",
    ),
    "processor_identity_contact/unlisted-affiliates-as-processor": (
        'Example Tech Co., Ltd. and its affiliates (collectively, "we" or "us") respect your privacy.',
        "本政策中的“我们”是指杭州示例科技有限公司及其关联公司。",
        'Example Tech Co., Ltd. ("we" or "us") respects your privacy.',
        "本政策中的“我们”是指杭州示例科技有限公司。",
    ),
    "purposes_and_use/open-ended-purposes": (
        "We may also use your information for other business purposes.",
        "我们会将您的信息用于包括但不限于产品优化、市场营销等目的。",
        "We will not use your information for other purposes without your consent.",
        "未经您的同意，我们不会将您的信息用于其他用途。",
    ),
    "purposes_and_use/refusal-blocks-whole-service": (
        "If you do not provide this information, you will not be able to use any of our services.",
        "如您拒绝提供上述信息，您将无法使用我们的任何服务。",
        "If you do not provide your location, you cannot use the nearby-stores feature, but this will not affect other features.",
        "如您拒绝提供位置信息，将无法使用附近门店功能，但不影响您使用其他功能。",
    ),
    "purposes_and_use/experience-justifies-mandatory-collection": (
        "To improve the user experience, you must agree to let us collect your contacts.",
        "为了提升用户体验，您需要同意我们收集您的通讯录。",
        "To improve the user experience, you may choose to let us use your browsing history.",
        "为了提升用户体验，您可以选择开启个性化推荐。",
    ),
    "purposes_and_use/use-for-group-products": (
        "We may use your information for our affiliates' other products.",
        "我们可能将您的信息用于我们及关联公司的其他产品和服务。",
        "We will not use your information for our affiliates' other products without your consent.",
        "未经您的同意，我们不会将您的信息用于关联公司的其他产品。",
    ),
    "pi_categories/open-ended-pi-list": (
        "We collect information, including but not limited to your name, phone number and device identifiers.",
        "我们收集的信息包括但不限于您的姓名、手机号码、设备信息。",
        "Material changes include, but are not limited to, a change of our ownership.",
        "重大变更包括但不限于我们的服务模式发生重大变化。",
    ),
    "pi_categories/high-frequency-collection": (
        "The app collects your location every 5 seconds.",
        "应用每隔5秒获取一次您的位置信息。",
        "The app collects your location when you open the map.",
        "您打开地图时，应用会获取您的位置信息。",
    ),
    "device_permissions/all-permissions-required": (
        "To use the app, you must grant all of the permissions listed below.",
        "为保证应用正常运行，需要您授予以下全部权限。",
        "You can turn off all permissions in your device settings at any time.",
        "您可以在系统设置中随时关闭全部权限。",
    ),
    "device_permissions/background-location": (
        "The app collects your precise location in the background.",
        "我们会在后台持续获取您的位置信息。",
        "We do not collect your location in the background.",
        "我们不会在后台获取您的位置信息。",
    ),
    "device_permissions/first-launch-permissions": (
        "When you first launch the app, we will request the camera, microphone and location permissions.",
        "首次启动时，我们会申请相机、麦克风和位置权限。",
        "We will request the camera permission when you first use the scanning feature.",
        "当您首次使用扫码功能时，我们会申请相机权限。",
    ),
    "third_party_sdk_list/sdk-responsibility-disclaimer": (
        "Information collected by third-party SDKs is handled by their providers, and we are not responsible for it.",
        "第三方SDK收集的信息由第三方自行负责，与我们无关。",
        "We require third-party SDK providers to protect your information.",
        "我们会要求第三方SDK服务商严格保护您的个人信息。",
    ),
    "third_party_sdk_list/defers-to-third-party-description": (
        "The information collected by each SDK is subject to the third party's own description.",
        "各SDK收集的个人信息以第三方官方说明为准。",
        "The information collected by each SDK is listed in the table below.",
        "各SDK收集的个人信息详见下表。",
    ),
    "legal_basis_exceptions/legitimate-interests": (
        "We process your data based on our legitimate interests.",
        "我们会基于我们的合法利益处理您的个人信息。",
        "We protect the legitimate rights and interests of our users.",
        "我们致力于保护用户的合法权益。",
    ),
    "legal_basis_exceptions/discretionary-exceptions": (
        "(7) other circumstances that we deem necessary.",
        "（7）我们认为必要的其他情形。",
        "(7) other circumstances provided by laws and administrative regulations.",
        "（7）法律、行政法规规定的其他情形。",
    ),
    "consent_withdrawal/deemed-consent-by-use": (
        "By using our services, you agree to this Privacy Policy.",
        "您继续使用即视为同意本政策。",
        'By clicking "Agree", you consent to this Privacy Policy.',
        "您点击“同意”即表示您同意本政策。",
    ),
    "consent_withdrawal/deemed-consent-by-silence": (
        "If you do not object within 7 days, you will be deemed to have consented to the processing of your personal data.",
        "如您未提出异议，将视为您同意我们处理您的个人信息。",
        "If you object, we will stop processing your personal data.",
        "如您提出异议，我们将停止处理您的个人信息。",
    ),
    "consent_withdrawal/pre-ticked-or-default-consent": (
        "The consent box on the registration page is pre-ticked.",
        "注册页面已默认勾选同意本政策。",
        "We do not use pre-ticked boxes.",
        "我们不会默认勾选同意选项。",
    ),
    "consent_withdrawal/irrevocable-consent": (
        "Your consent is irrevocable.",
        "您的授权一经同意不可撤回。",
        "You may withdraw your consent at any time.",
        "您可以随时撤回您的同意。",
    ),
    "consent_withdrawal/withdrawal-ends-all-service": (
        "If you withdraw your consent, we will not be able to provide any of our services to you.",
        "撤回同意后，我们将无法继续为您提供任何服务。",
        "If you withdraw your consent, we will be unable to provide the services that depend on it.",
        "撤回同意后，我们将无法继续为您提供撤回同意所对应的服务。",
    ),
    "consent_withdrawal/stop-using-if-disagree": (
        "If you do not agree with this Privacy Policy, please stop using our services immediately.",
        "如您不同意本政策的任何内容，请立即停止使用我们的服务。",
        "If you do not agree with the updated policy, you may stop using our services.",
        "如您不同意更新后的政策，您可以选择停止使用。",
    ),
    "consent_withdrawal/separate-consent-bundled": (
        "By agreeing to this Privacy Policy, you also consent to the transfer of your information outside China.",
        "您同意本政策即视为您同意我们将您的个人信息传输至境外。",
        "We will obtain your separate consent before transferring your information outside China.",
        "向境外提供您的个人信息前，我们会单独征得您的同意。",
    ),
    "retention/as-long-as-necessary": (
        "We retain your personal information for as long as necessary to provide our services.",
        "我们仅在实现目的所必需的最短时间内保存您的个人信息。",
        "We retain your personal information for 3 years after your last login.",
        "我们会在您注销账号后保存您的个人信息6个月。",
    ),
    "retention/indefinite-retention": (
        "We may keep your information indefinitely.",
        "我们将永久保存您的聊天记录。",
        "We will permanently delete your data.",
        "我们将永久删除您的数据。",
    ),
    "retention/longest-period-allowed": (
        "We retain your data for the maximum period permitted by law.",
        "我们将在法律允许的最长期限内保存您的信息。",
        "We retain your data for the minimum period required by law.",
        "我们将在法律规定的最短期限内保存您的信息。",
    ),
    "retention/backups-not-deleted": (
        "Information in our backups cannot be deleted.",
        "备份系统中的信息无法删除。",
        "Backups cannot be deleted at once, but they are isolated and not used until they are overwritten.",
        "备份中的信息无法立即删除，但我们会将其隔离并停止除存储外的处理。",
    ),
    "sharing_third_parties/unnamed-recipients": (
        "We may share your personal information with our partners.",
        "我们可能会与合作伙伴共享您的个人信息。",
        "We share your location with Amap to provide navigation.",
        "我们会与高德地图共享您的位置信息，用于导航。",
    ),
    "sharing_third_parties/deidentified-shared-without-consent": (
        "We may share de-identified information with third parties without your consent.",
        "经去标识化处理的信息，我们可以共享给第三方而无需另行征得您的同意。",
        "We may share anonymized information with third parties without your consent.",
        "经匿名化处理的信息，我们可以共享给第三方而无需另行征得您的同意。",
    ),
    "sharing_third_parties/sale-of-pi": (
        "We may sell your personal information to advertisers.",
        "我们可能会向第三方出售您的个人信息。",
        "We do not sell your personal information.",
        "我们不会出售您的个人信息。",
    ),
    "entrusted_processing/processor-own-purposes": (
        "Our service providers may also use your information for their own marketing purposes.",
        "服务商可以将您的信息用于其自身业务目的。",
        "Our service providers may not use your information for their own purposes.",
        "服务商不得将您的信息用于其自身目的。",
    ),
    "entrusted_processing/sub-entrustment-without-approval": (
        "Our service providers may subcontract the processing to other processors.",
        "受托方可以再委托其他方处理您的个人信息。",
        "Our service providers may not subcontract the processing without our written approval.",
        "未经我们书面同意，受托方不得转委托他人处理您的个人信息。",
    ),
    "transfer_merger/transferee-own-policy": (
        "In a merger, the acquirer may use your information in accordance with its own privacy policy.",
        "如发生合并，受让方可根据其自身隐私政策使用您的信息。",
        "In a merger, the acquirer will remain bound by this policy.",
        "如发生合并，受让方将继续受本政策约束。",
    ),
    "transfer_merger/notice-at-discretion": (
        "In the event of a merger or acquisition, we may notify you at our discretion.",
        "如发生合并、收购，我们将视情况通知您。",
        "In the event of a merger, we will tell you the name and contact details of the recipient.",
        "如发生合并，我们会告知您接收方的名称和联系方式。",
    ),
    "public_disclosure/may-publish-pi": (
        "We may publish your personal information on our website.",
        "我们有权公开您的个人信息。",
        "We will not publicly disclose your personal information without your separate consent.",
        "未经您的单独同意，我们不会公开披露您的个人信息。",
    ),
    "public_disclosure/publish-violators": (
        "We may publicly announce violating accounts.",
        "对于违规用户，我们将予以公示。",
        "Violating accounts may be suspended.",
        "违规账号将被限制使用。",
    ),
    "cross_border/transfer-to-any-country": (
        "Your information may be transferred to any country where we or our service providers operate.",
        "您的个人信息可能会被传输至境外任何国家或地区。",
        "Your information is stored in mainland China and is not transferred to any other country.",
        "我们不会将您的个人信息传输至任何其他国家。",
    ),
    "cross_border/disclose-to-foreign-authorities": (
        "We may disclose your information to foreign law enforcement authorities upon request.",
        "应要求，我们可能向境外执法机构提供您的个人信息。",
        "We will not provide your data to foreign judicial authorities without the approval of the competent PRC authorities.",
        "未经主管机关批准，我们不会向外国司法或者执法机构提供您的个人信息。",
    ),
    "sensitive_pi/no-separate-consent": (
        "We collect your ID card number to verify your identity.",
        "为完成实名认证，我们会收集您的身份证号码。",
        ("We collect your ID card number to verify your identity.",
         "We obtain your separate consent before collecting sensitive personal information."),
        ("为完成实名认证，我们会收集您的身份证号码。",
         "收集敏感个人信息前，我们会单独征得您的同意。"),
    ),
    "sensitive_pi/consent-inferred-from-provision": (
        "By providing us with sensitive personal information, you agree that we may process it.",
        "若您主动提供您的敏感个人信息，即表示您同意我们处理。",
        "Before you provide sensitive personal information, we will ask for your separate consent.",
        "在您提供敏感个人信息前，我们会单独征得您的同意。",
    ),
    "sensitive_pi/perpetual-irrevocable-licence": (
        "You grant us a perpetual, irrevocable licence to use your facial images.",
        "您授予我们永久的、不可撤销的、可转授权的使用您人脸信息的权利。",
        "You grant us a licence to display the content you post.",
        "您授予我们在平台上展示您所发布内容的许可。",
    ),
    "sensitive_pi/face-recognition-mandatory": (
        "You must complete facial recognition to log in.",
        "为保障账号安全，登录必须进行人脸识别。",
        "You may log in with facial recognition or with an SMS code.",
        "您可以选择人脸识别或短信验证码登录。",
    ),
    "minors/under-13-threshold": (
        "We do not knowingly collect personal information from children under 13.",
        "我们不会在知情的情况下收集13岁以下儿童的个人信息。",
        "We do not knowingly collect personal information from children under 14.",
        "我们不会在知情的情况下收集不满14周岁儿童的个人信息。",
    ),
    "minors/guardian-consent-presumed": (
        "By using the service, you confirm that you have obtained your guardian's consent.",
        "如您是未成年人，我们将默认您已取得监护人的同意。",
        "We will obtain verifiable consent from the child's guardian.",
        "我们会在取得监护人的同意后处理儿童个人信息。",
    ),
    "individual_rights/response-over-15-working-days": (
        "We will respond to your request within 30 days.",
        "我们将在30个工作日内答复您的请求。",
        "We will respond to your request within 15 working days.",
        "我们将在十五个工作日内答复您的请求。",
    ),
    "individual_rights/refusal-at-discretion": (
        "We may refuse your request at our sole discretion.",
        "我们有权拒绝您的请求。",
        "We may refuse requests that are repetitive or require excessive technical means.",
        "对于无端重复、需要过多技术手段的请求，我们可能会予以拒绝。",
    ),
    "individual_rights/fee-for-requests": (
        "We charge a fee of 50 yuan for each access request.",
        "对于您的查阅请求，我们将收取一定费用。",
        "We do not charge for reasonable requests, but may charge a fee for repeated requests.",
        "对于您合理的请求，我们原则上不收取费用。",
    ),
    "individual_rights/rights-only-by-post": (
        "Requests to access your information can only be made by post.",
        "您仅能通过邮寄信函的方式提出查阅请求。",
        "You can make a request by email or in the app's settings.",
        "您可以通过客服邮箱或在设置中提出请求。",
    ),
    "deceased_persons_rights/no-one-may-access": (
        "After a user's death, no one may access or delete the account.",
        "用户身故后，任何人均无权查阅或删除其账号信息。",
        "After a user's death, close relatives may access the user's information.",
        "用户去世后，其近亲属可以查阅、复制、更正、删除其个人信息。",
    ),
    "account_deletion/cancellation-over-15-working-days": (
        "We will complete the cancellation of your account within 30 days.",
        "我们将在30个工作日内完成账号注销。",
        "We will complete the cancellation of your account within 15 working days.",
        "我们将在十五个工作日内完成账号注销。",
    ),
    "account_deletion/cooling-off-period": (
        "Account cancellation is subject to a cooling-off period.",
        "注销申请提交后有15天的冷静期。",
        "Your account will be cancelled immediately.",
        "提交申请后我们会立即注销您的账号。",
    ),
    "account_deletion/excessive-cancellation-conditions": (
        "To cancel your account, you must provide a photo of yourself holding your ID card.",
        "申请注销账号需要您提供手持身份证照片。",
        "To cancel your account, you only need to verify your phone number.",
        "注销账号时，您仅需验证手机号码。",
    ),
    "account_deletion/deactivation-only": (
        "After you cancel your account, we will still retain all of your information.",
        "注销后我们仍将保留您的全部信息。",
        "After you cancel your account, we will delete your information unless laws require otherwise.",
        "注销后，除法律法规另有规定外，我们将删除您的个人信息。",
    ),
    "account_deletion/cancels-all-products": (
        "Cancelling this account will also cancel your accounts for all our products.",
        "注销本账号将同时注销您在我们所有产品中的账号。",
        "Cancelling this account does not affect your other accounts.",
        "注销本账号不影响您在其他产品中的账号。",
    ),
    "complaint_channel/complaint-over-15-working-days": (
        "We will handle your complaint within 60 days.",
        "我们将在60天内处理您的投诉。",
        "We will handle your complaint within 15 working days.",
        "我们将在15个工作日内处理您的投诉。",
    ),
    "complaint_channel/foreign-forum": (
        "Any dispute shall be submitted to arbitration in Singapore.",
        "因本政策引起的争议，应提交香港国际仲裁中心仲裁。",
        "Any dispute shall be submitted to the people's court where the company is located.",
        "因本政策引起的争议，应提交被告住所地人民法院诉讼解决。",
    ),
    "security_measures/blanket-liability-waiver": (
        "We are not liable for any leak of your information caused by hacker attacks.",
        "因黑客攻击、病毒或其他不可抗力导致的信息泄露，我们不承担任何责任。",
        "We will bear legal liability for any leak caused by our fault.",
        "因我们的原因导致您的信息泄露的，我们将依法承担相应责任。",
    ),
    "security_measures/absolute-security-claim": (
        "Your data is 100% secure with us.",
        "我们保证您的个人信息绝对安全。",
        "No method of transmission over the Internet is 100% secure.",
        "互联网并非绝对安全的环境。",
    ),
    "security_measures/user-bears-all-risk": (
        "You bear all risks of providing your personal information.",
        "您应自行承担提供个人信息的全部风险。",
        "We will tell you about the risks of providing personal information.",
        "我们会提示您注意提供个人信息的风险。",
    ),
    "incident_response/notice-at-discretion": (
        "We will decide whether to notify you of a security incident at our discretion.",
        "发生安全事件后，我们将视情况决定是否通知您。",
        "We will notify you promptly by email or push notification.",
        "发生安全事件后，我们将及时通过邮件、短信或推送通知您。",
    ),
    "policy_changes/change-without-notice": (
        "We may change this policy at any time without notice.",
        "我们保留随时修改本政策的权利，恕不另行通知。",
        "We may update this policy; we will notify you by pop-up before the changes take effect.",
        "本政策更新后，我们会通过弹窗通知您。",
    ),
    "policy_changes/check-page-regularly": (
        "Please check this page periodically for updates.",
        "请您定期查看本页面以了解政策的变更。",
        "We will notify you of changes by email.",
        "我们会通过站内信通知您政策的变更。",
    ),
    "policy_changes/continued-use-accepts-changes": (
        "If you continue to use our services after the update, you will be deemed to accept the revised policy.",
        "本政策更新后，如您继续使用我们的服务，即视为您同意更新后的政策。",
        "Before the updated policy takes effect, we will ask for your consent again.",
        "本政策更新后，我们会再次征得您的同意。",
    ),
    "automated_decisions_marketing/personalization-cannot-be-turned-off": (
        "Personalized recommendations cannot be turned off.",
        "个性化推荐功能无法关闭。",
        "You can turn off personalized recommendations in Settings.",
        "您可以在设置中关闭个性化推荐。",
    ),
    "automated_decisions_marketing/differential-pricing": (
        "We may offer different prices to different users based on their purchase history.",
        "我们会根据您的消费习惯为您提供差异化价格。",
        "We do not offer different prices based on your profile.",
        "我们不会根据您的消费习惯对您实行差别待遇。",
    ),
    "automated_decisions_marketing/marketing-consent-bundled": (
        "You agree to receive marketing messages from us and our partners.",
        "您同意接收我们及合作伙伴发送的商业推广信息。",
        "You can unsubscribe from marketing messages at any time.",
        "如您不希望接收推广短信，可以随时退订。",
    ),
    "cookies_tracking/device-info-not-pi": (
        "Device information is not personal information.",
        "设备信息不属于个人信息。",
        "Device information combined with your account is personal information.",
        "设备信息与您的账号结合后属于个人信息。",
    ),
    "cookies_tracking/unnamed-partner-cookies": (
        "Our partners may set cookies on your device.",
        "我们的合作伙伴可能会在您的设备上设置Cookie。",
        "Our partner Google may set cookies on your device.",
        "我们的合作伙伴友盟会在您的设备上设置Cookie。",
    ),
    "cookies_tracking/tracking-cannot-be-refused": (
        "You cannot disable the cookies we use.",
        "您无法关闭我们使用的Cookie。",
        "You can disable cookies in your browser settings.",
        "您可以在浏览器设置中关闭Cookie。",
    ),
    "overseas_representative/foreign-law-only": (
        "This policy is governed solely by the laws of the State of California.",
        "本政策不适用中华人民共和国法律。",
        "This policy is governed by the laws of the People's Republic of China.",
        "本政策适用中华人民共和国法律。",
    ),
}


def test_every_rule_has_cases():
    ids = [r.id for r in load_ruleset().red_flags]
    assert len(ids) == len(set(ids))
    assert sorted(CASES) == sorted(ids)


@pytest.mark.parametrize("rule", sorted(CASES))
def test_fires_in_english(rule):
    assert rule in _rules(CASES[rule][0], "en")


@pytest.mark.parametrize("rule", sorted(CASES))
def test_fires_in_chinese(rule):
    assert rule in _rules(CASES[rule][1], "zh")


@pytest.mark.parametrize("rule", sorted(CASES))
def test_quiet_on_english_near_miss(rule):
    assert rule not in _rules(CASES[rule][2], "en")


@pytest.mark.parametrize("rule", sorted(CASES))
def test_quiet_on_chinese_near_miss(rule):
    assert rule not in _rules(CASES[rule][3], "zh")


def test_required_phrasings_of_deemed_consent():
    rule = "consent_withdrawal/deemed-consent-by-use"
    for text in ("If you choose to use our products/services, you will be deemed to have fully "
                 "understood and fully agreed to all the contents of this Policy.",
                 "By using or continuing to use our products/services, you agree that we will "
                 "process your information in accordance with this Policy.",
                 "Your continued use of the service constitutes your acceptance of this Policy.",
                 "Your registration, login and use will be regarded as acceptance of this Policy."):
        assert rule in _rules(text, "en"), text
    for text in ("继续使用即视为同意本政策。", "使用即表示同意本隐私政策。", "注册即视为同意本隐私政策。",
                 "一旦您开始使用我们的产品或服务，即表示您已充分理解并同意本政策。"):
        assert rule in _rules(text, "zh"), text
    for text in ("您勾选“同意并继续”即表示您已阅读并同意本政策。", "您开启位置权限即视为您授权我们获取位置信息。",
                 "当您使用我们的服务时，我们会收集您的设备信息。"):
        assert rule not in _rules(text, "zh"), text


def test_age_threshold_only_for_13():
    rule = "minors/under-13-threshold"
    assert rule in _rules("未满13周岁的儿童不得注册账号。", "zh")
    assert rule in _rules("Children 13 and under may not register.", "en")
    for text in ("If you are under 18, ask your parent to read this policy.",
                 "Refunds are processed in under 13 days."):
        assert rule not in _rules(text, "en"), text
    assert rule not in _rules("若您是未满18周岁的未成年人，请在监护人陪同下阅读本政策。", "zh")


def test_deadlines_in_context_only():
    rule = "individual_rights/response-over-15-working-days"
    assert rule in _rules("我们将在一个月内答复您的请求。", "zh")
    assert rule in _rules("我们将在60天内回复您的申请。", "zh")
    # a retention period is not a response time
    assert rule not in _rules("我们会在30天内删除日志信息并停止保存。", "zh")
    cancellation = "account_deletion/cancellation-over-15-working-days"
    assert cancellation in _rules("We will delete your data within 30 days after you close your account.", "en")
    assert cancellation not in _rules(
        "Your data is kept for not more than six months after you close your account.", "en")
    assert "complaint_channel/complaint-over-15-working-days" in _rules(
        "我们将在30个工作日内处理您的投诉。", "zh")


# Wording that does what the rule asks for, or speaks of something else, in the
# phrasing of US and European policies: (rule, sentence, language).
QUIET = [
    ("individual_rights/fee-for-requests",
     "We will not treat you differently or charge you a different price because you exercised these rights.", "en"),
    ("automated_decisions_marketing/marketing-consent-bundled",
     "Your consent to receive promotional text messages is not a condition of purchasing any product.", "en"),
    ("automated_decisions_marketing/marketing-consent-bundled",
     "您同意接收营销短信并非您使用我们服务的前提条件。", "zh"),
    ("policy_changes/check-page-regularly", "We review this notice regularly.", "en"),
    ("policy_changes/check-page-regularly", "We will review this privacy policy periodically.", "en"),
    ("account_deletion/cancellation-over-15-working-days",
     "If your account is inactive for 24 months, we will email you, and if you don't sign in within 30 days, "
     "we will delete your account.", "en"),
    ("account_deletion/cancellation-over-15-working-days",
     "If you have not logged in for three years, we will delete your account 60 days after telling you.", "en"),
    ("account_deletion/cancellation-over-15-working-days",
     "如您的账号连续两年未登录，我们将在通知您30日后注销该账号。", "zh"),
    ("sensitive_pi/no-separate-consent",
     "We collect your IP address, from which we derive your approximate city, but never your precise location.", "en"),
]


@pytest.mark.parametrize("rule, text, lang", QUIET)
def test_quiet_on_wording_that_does_the_right_thing(rule, text, lang):
    assert rule in {r.id for r in load_ruleset().red_flags}
    assert rule not in _rules(text, lang)


def test_the_same_rules_still_fire_beside_those_near_misses():
    assert "individual_rights/fee-for-requests" in _rules("We may charge a fee for copies of your records.", "en")
    assert "policy_changes/check-page-regularly" in _rules("Please review this policy regularly.", "en")
    assert "account_deletion/cancellation-over-15-working-days" in _rules(
        "After you close your account, we delete your information within 90 days.", "en")
    assert "sensitive_pi/no-separate-consent" in _rules(
        "We collect your approximate city and, with your permission, your precise location.", "en")


def test_sensitive_pi_needs_separate_consent_not_explicit_consent():
    rule = "sensitive_pi/no-separate-consent"
    text = "We will obtain your explicit consent before collecting your fingerprint."
    assert rule in _rules(text, "en")
    assert rule in _rules("收集您的人脸信息前，我们会征得您的明示同意。", "zh")
    # a definition of sensitive PI is not processing of it
    assert rule not in _rules("敏感个人信息包括生物识别、宗教信仰、特定身份、医疗健康、金融账户、行踪轨迹等信息。", "zh")
    assert rule not in _rules("我们不会收集您的人脸信息。", "zh")


def test_unnamed_partners_flagged_once_per_section():
    rule = "sharing_third_parties/unnamed-recipients"
    flags = _flags((("heading", "三、我们如何共享您的个人信息"),
                    "我们可能会与合作伙伴共享您的个人信息。",
                    "我们可能会与关联公司共享您的个人信息。"), "zh")
    assert [f.rule for f in flags].count(rule) == 1


@pytest.mark.parametrize("text", [
    "根据相关法律法规，以下情形中，我们可能会向合作方提供个人信息而无需事先征得您的授权同意：",
    "2.细化与合作方共享的个人信息；",
])
def test_statutory_exceptions_and_change_logs_name_no_recipients_to_flag(text):
    assert "sharing_third_parties/unnamed-recipients" not in _rules(text, "zh")


def test_flag_puts_its_items_in_doubt():
    analysis = analyze(_document(("By using our services, you agree to this Privacy Policy.",), "en"))
    verdict = {v.item: v for v in analysis.checklist}["consent_withdrawal#CW-1"]
    assert verdict.status == "needs_review"
    assert "inferred from using" in verdict.reason


def test_reference_lexicon_rows_covered():
    """Every row of the cross-cutting lexicon has a rule in its topic."""
    reference = yaml.safe_load((RULES / "red_flags_reference.yaml").read_text(encoding="utf-8"))
    rows = [r for r in reference if r["source"] == "§28"]
    topics = {r.topic for r in load_ruleset().red_flags}
    lexicon_topics = {
        "LX-1": "consent_withdrawal", "LX-2": "consent_withdrawal", "LX-3": "pi_categories",
        "LX-4": "sharing_third_parties", "LX-5": "retention", "LX-6": "legal_basis_exceptions",
        "LX-7": "sharing_third_parties", "LX-8": "cross_border", "LX-9": "cross_border",
        "LX-10": "sensitive_pi", "LX-11": "sensitive_pi", "LX-12": "minors",
        "LX-13": "individual_rights", "LX-14": "individual_rights", "LX-15": "security_measures",
        "LX-16": "policy_changes", "LX-17": "device_permissions", "LX-18": "third_party_sdk_list",
        "LX-19": "automated_decisions_marketing", "LX-20": "cookies_tracking",
        "LX-21": "overseas_representative",
    }
    assert len(rows) == len(lexicon_topics)
    for row in rows:
        assert lexicon_topics[row["id"].split("#")[1]] in topics


def test_every_lexicon_zh_phrase_is_flagged():
    """The Chinese phrases of the lexicon, each in a sentence of its own."""
    sentences = {
        "consent_withdrawal/deemed-consent-by-use": ["继续使用即视为同意本政策。", "使用即表示同意本政策。", "注册即视为同意本政策。"],
        "consent_withdrawal/pre-ticked-or-default-consent": ["注册时默认勾选同意。", "本页面默认同意接收通知。"],
        "pi_categories/open-ended-pi-list": ["我们收集的信息包括但不限于姓名、手机号码。", "我们会收集您的姓名、手机号码等其他信息。"],
        "retention/as-long-as-necessary": ["我们会在实现目的所必需的期限内保存您的信息。"],
        "retention/indefinite-retention": ["我们会永久保存您的订单信息。", "我们会长期保存您的订单信息。"],
        "retention/longest-period-allowed": ["我们将在法律允许的最长期限内保存您的信息。"],
        "legal_basis_exceptions/legitimate-interests": ["我们会基于正当利益处理您的信息。", "我们会根据我们的商业需要处理您的信息。"],
        "cross_border/transfer-to-any-country": ["您的信息可能传输至境外任何国家。"],
        "cross_border/disclose-to-foreign-authorities": ["我们可能向境外执法机构提供您的信息。", "我们可能向境外司法机构提供您的信息。"],
        "sensitive_pi/perpetual-irrevocable-licence": ["您授予我们永久的、不可撤销的、可转授权的使用您人脸信息的权利。"],
        "minors/under-13-threshold": ["我们不收集13岁以下儿童的信息。"],
        "individual_rights/refusal-at-discretion": ["我们有权拒绝您的请求。"],
        "security_measures/blanket-liability-waiver": ["对此我们不承担任何责任。", "对此我们概不负责。"],
        "policy_changes/change-without-notice": ["我们可能随时修改本政策。", "本政策变更恕不另行通知。"],
        "policy_changes/check-page-regularly": ["请您定期查看本页面。"],
        "device_permissions/all-permissions-required": ["使用本应用需要您授予以下全部权限。", "拒绝授权该权限将无法使用本应用。"],
        "third_party_sdk_list/sdk-responsibility-disclaimer": ["第三方SDK收集的信息由第三方自行负责。", "第三方SDK收集您的信息的行为与我们无关。"],
        "automated_decisions_marketing/personalization-cannot-be-turned-off": ["无法关闭个性化推荐。"],
        "cookies_tracking/device-info-not-pi": ["设备信息不属于个人信息。"],
        "overseas_representative/foreign-law-only": ["本政策不适用中华人民共和国法律。"],
        "sharing_third_parties/deidentified-shared-without-consent": ["去标识化的信息可以共享给第三方，无需您同意。"],
        "consent_withdrawal/separate-consent-bundled": ["同意本政策即同意跨境传输您的信息。"],
    }
    for rule, texts in sentences.items():
        for text in texts:
            assert rule in _rules(text, "zh"), (rule, text)


def test_rule_ids_and_whys():
    for flag in load_ruleset().red_flags:
        assert flag.id.startswith(flag.topic + "/"), flag.id
        assert flag.why and "\n" not in flag.why and flag.basis
        assert flag.lang in ("en", "zh", "any")


# ---------------------------------------------------------------- shared policies

@lru_cache(maxsize=None)
def _policy(name: str):
    return analyze(load(FIXTURES / f"{name}.txt"))


# What a reviewer flags in each shared policy, and nothing else.
SHARED = {
    "benewake": {
        "consent_withdrawal/deemed-consent-by-use": "If you choose to use our products/services, you will be deemed",
        "policy_accessibility/placeholder-or-missing-date": "Day Month 2022",
        "processor_identity_contact/unlisted-affiliates-as-processor": "and its affiliates (collectively",
        "retention/as-long-as-necessary": "for the duration necessary to achieve the intended purposes",
        "security_measures/blanket-liability-waiver": "under no circumstances will we be liable",
        "sharing_third_parties/unnamed-recipients": "sharing with affiliated companies of Benewake",
        "policy_changes/continued-use-accepts-changes": "it will be deemed that you fully agree to and accept the new modified content",
    },
    "bench3d": {
        "consent_withdrawal/deemed-consent-by-use": "will be regarded as acceptance of this Policy",
        "policy_accessibility/placeholder-or-missing-date": "Privacy Policy",
        "processor_identity_contact/empty-contact-field": "Service Mailbox:",
        "pi_categories/open-ended-pi-list": "including but not limited to pictures, videos, audios",
        "sharing_third_parties/unnamed-recipients": "share your personal information with affiliates",
        "sensitive_pi/no-separate-consent": "bank card type, card number",
        "retention/as-long-as-necessary": "for the time necessary to achieve the purpose",
        "security_measures/blanket-liability-waiver": "we shall not be liable within this scope",
        "account_deletion/excessive-cancellation-conditions": "historical records",
    },
    "baiinfo": {
        "consent_withdrawal/deemed-consent-by-use": "By using or continuing to use our products/services, you agree",
        "sharing_third_parties/unnamed-recipients": "shared with branches and subsidiaries of BAIINFO",
    },
}


@pytest.mark.parametrize("name", sorted(SHARED))
def test_shared_policy_flags(name):
    flags = _policy(name).red_flags
    assert {f.rule for f in flags} == set(SHARED[name])
    for rule, quote in SHARED[name].items():
        assert any(quote in f.text for f in flags if f.rule == rule), (rule, quote)


def test_benewake_flags_the_intro_and_the_placeholder_date():
    flags = {f.rule: f for f in _policy("benewake").red_flags}
    date = flags["policy_accessibility/placeholder-or-missing-date"]
    assert date.matched == "Day Month 2022"
    intro = flags["consent_withdrawal/deemed-consent-by-use"]
    text = load(FIXTURES / "benewake.txt").text
    assert intro.start < text.index("This Policy applies to the products/services")


def test_bench3d_empty_mailbox_puts_contact_item_in_doubt():
    analysis = _policy("bench3d")
    flag = next(f for f in analysis.red_flags if f.rule == "processor_identity_contact/empty-contact-field")
    assert flag.text.strip() == "Service Mailbox:"
    verdict = {v.item: v for v in analysis.checklist}["processor_identity_contact#ID-2"]
    assert verdict.status == "needs_review"


def test_shared_policies_are_not_flagged_for_what_they_do_right():
    """Near misses inside the shared policies themselves."""
    rules = {name: {f.rule for f in _policy(name).red_flags} for name in SHARED}
    # "within fifteen (15) days", "within 10 working days", "fifteen working days"
    for name in SHARED:
        assert not {r for r in rules[name] if r.endswith("-over-15-working-days")}
    # "not 100% secure" is a warning, not a promise; "legitimate rights and interests" is no basis
    for name in SHARED:
        assert "security_measures/absolute-security-claim" not in rules[name]
        assert "legal_basis_exceptions/legitimate-interests" not in rules[name]
    # baiinfo obtains separate consent for sensitive PI and is dated
    assert "sensitive_pi/no-separate-consent" not in rules["baiinfo"]
    assert "policy_accessibility/placeholder-or-missing-date" not in rules["baiinfo"]
    # bench3d treats children as under fourteen
    assert "minors/under-13-threshold" not in rules["bench3d"]


def test_curly_apostrophes_match_like_straight_ones():
    for text, rule in (("If you don\u2019t agree with this Privacy Policy, please stop using our services.",
                        "consent_withdrawal/stop-using-if-disagree"),
                       ("If you don\u2019t provide this information, you can\u2019t use any of our services.",
                        "purposes_and_use/refusal-blocks-whole-service")):
        assert rule in _rules(text.replace("\u2019", "'"), "en"), text
        flags = [f for f in _flags((text,), "en") if f.rule == rule]
        assert flags and "\u2019" in flags[0].matched, text
