"""Clause forms, English and Chinese, that the rules once missed or misfiled:
each single-paragraph clause must be found with its topic (and the key item,
where one is named), or must not be. Cases that depend on a heading or a lead-in
have their own tests below."""
import pytest

from helpers import analyse_text

pytestmark = pytest.mark.usefixtures("without_topic_model")

# (lang, clause, topic, item that must be among the finding's items, or None)
FOUND = [
    # consent: withdrawal stops the processing; deemed consent; disagreeing with the policy by its title
    ("zh", "您撤回同意后，不会影响您继续使用我们的其他功能。", "consent_withdrawal", "CW-4"),
    ("zh", "当您关闭后，我们将不再获取、处理该广告标识。", "consent_withdrawal", "CW-4"),
    ("zh", "用户开启该权限即视为用户授权我们可以访问、获取该等信息。", "consent_withdrawal", None),
    ("zh", "如果您不同意本《星河隐私政策》的任何内容，我们将无法为您提供服务。", "consent_withdrawal", None),
    ("en", "If you continue to use the service, you are deemed to agree to the updated content.", "consent_withdrawal", None),
    ("en", "When the user turns on this permission, it is deemed to be authorized by the user to access the information.",
     "consent_withdrawal", None),
    ("en", "We may obtain your authorization through pop -ups and other methods.", "consent_withdrawal", "CW-1"),
    ("en", "You can turn off personalized recommendations in Settings at any time.", "consent_withdrawal", "CW-2"),
    ("en", "You can open or close the above features through Security Center - Security Verification.", "consent_withdrawal", "CW-2"),
    ("en", "If you do not agree with the updated content, you should stop using the service.", "consent_withdrawal", None),
    ("en", "If you turn on this permission, it means that you authorize us to access your location.", "consent_withdrawal", None),
    # opting out of personalised content, and managing a permission, are ways to withdraw
    ("zh", "您也可以随时在【设置】中关闭个性化推荐功能。", "consent_withdrawal", "CW-2"),
    ("zh", "若您不想接受个性化广告服务，您可以前往【设置】-【隐私】-【个性化广告】关闭。", "consent_withdrawal", "CW-2"),
    ("zh", "麦克风权限是您设备上的一项设置，您可以通过设备设置页面进行管理。", "consent_withdrawal", "CW-2"),
    ("zh", "您可以在“我的-设置-安全中心”中随时开启或关闭指纹登录功能。", "consent_withdrawal", "CW-2"),
    ("zh", "您可以通过以下途径改变您已同意的授权范围：", "consent_withdrawal", "CW-2"),
    # refusing optional data is purposes_and_use#PU-3
    ("zh", "如您拒绝提供上述信息，您将无法使用该功能，但不影响您正常使用其他功能。", "purposes_and_use", "PU-3"),
    # what refusing necessary data costs
    ("zh", "如您拒绝提供实名身份信息，可能会导致您无法使用本游戏。", "purposes_and_use", None),
    ("zh", "若您不授权相机权限，将无法使用扫码功能。", "purposes_and_use", None),
    ("zh", "如不填写收货地址，将无法完成配送。", "purposes_and_use", None),
    ("zh", "您不提供上述信息不会影响您进行游戏。", "purposes_and_use", "PU-3"),
    ("en", "If you refuse to provide the above information, it may make you unable to complete the transaction.",
     "purposes_and_use", None),
    ("en", "If you do not provide or agree to collect such information, you may not be able to use the check-in service.",
     "purposes_and_use", None),
    # processing entrusted to service providers
    ("zh", "我们会委托服务合作方代表我们处理您的某些个人信息。", "entrusted_processing", None),
    ("zh", "我们会要求受托方按照我们的要求处理个人信息，并在委托结束后删除。", "entrusted_processing", None),
    ("zh", "这些机构包括为我们提供基础设施技术服务、数据处理和客户服务的机构。", "entrusted_processing", None),
    ("en", "Our payment providers may not use your information for their own interests.", "entrusted_processing", "EP-2"),
    ("en", "Some game features let you share your scores with all users of the feature.", "public_disclosure", "PD-2"),
    ("en", "If you refuse, we will not be able to provide you with precise push services.", "automated_decisions_marketing", "AM-1"),
    ("en", "We do this to remember your language and the pages you read.", "purposes_and_use", None),
    ("en", "We also look at IP addresses to analyze where our readers come from.", "purposes_and_use", "PU-1"),
    ("en", "The requested information typically includes your name, shipping address and zip code.", "pi_categories", "PC-1"),
    # rights without "your" before the data, in the passive, and California's right to know
    ("en", "You can also modify information you have provided through the account page.", "individual_rights", "IR-1"),
    ("en", "We may decline a request to change or delete personal information if the law requires us to keep it.",
     "individual_rights", None),
    ("en", "Most services explain how to remove your information from them.", "individual_rights", None),
    ("en", "Your profile information may be edited or deleted at the user's discretion.", "individual_rights", None),
    ("en", "Under the California Shine the Light law, residents may ask which third parties received their data.",
     "individual_rights", None),
    # dates without "date", and links to sites the policy does not cover
    ("en", "Updated: Thursday, May 21, 2015", "policy_accessibility", "FA-7"),
    ("en", "Privacy Policy (updated June 30, 2014)", "policy_accessibility", "FA-7"),
    ("en", "We are not responsible for the privacy practices of those linked sites.", "policy_accessibility", "FA-1"),
    ("en", "Please consult the privacy policies of those sites to learn how they use your data.", "policy_accessibility", "FA-1"),
    ("en", "Our site may contain links to sponsor organizations.", "policy_accessibility", "FA-1"),
    # the processor and its contact in English
    ("en", 'Acme Holdings, Inc. ("Acme") takes the privacy of your personal information seriously.',
     "processor_identity_contact", "ID-1"),
    ("en", "If you have questions about any aspect of the Acme.com Privacy Policy, please contact us.",
     "processor_identity_contact", "ID-2"),
    ("en", "Should you need help, please call our toll free number, 1-800-555-0199.", "processor_identity_contact", "ID-2"),
    ("en", "Sunnyvale, CA 94089", "processor_identity_contact", None),
    ("en", "701 First Avenue", "processor_identity_contact", None),
    # security in US-style wording
    ("en", "PBS is committed to ensuring the security of the data provided to us by users.", "security_measures", "SM-1"),
    ("en", "Only employees who need the information to perform a specific job are granted access to it.",
     "security_measures", "SM-1"),
    ("en", "You are responsible for maintaining the secrecy of your unique password.", "security_measures", "SM-4"),
    ("en", "If you share a computer, always remember to log out when you leave.", "security_measures", "SM-4"),
    ("en", "Our shop uses a third party fulfillment agent to manage orders and shipping.", "entrusted_processing", None),
    ("en", "We have hired third parties to provide us with reports about how the site is used.", "entrusted_processing", None),
    # consent given or declined in US-style wording
    ("en", "Your continued use of our sites after the changes are posted will mean you accept those changes.",
     "consent_withdrawal", None),
    ("en", "If you do not agree to these terms and conditions, please do not use the site.", "consent_withdrawal", None),
    ("en", "By connecting your account, you authorize us to collect and store your profile information.",
     "consent_withdrawal", None),
    ("en", "Out of respect for your privacy we give you the option to not receive these messages.", "consent_withdrawal", None),
    ("en", "If you prefer that we not share your information in this way, please contact us.", "consent_withdrawal", None),
    ("en", "This information may include your name, email address and credit card information.", "sensitive_pi", None),
    ("en", "For some financial products we might also ask for your Social Security number.", "sensitive_pi", None),
    ("en", "When you post messages on our discussion boards, other readers can reply to them.", "public_disclosure", "PD-2"),
    ("en", "Remember that when you share information publicly online, search engines may index it.", "public_disclosure", "PD-2"),
    ("en", "Your public activities may appear on other websites, blogs or feeds.", "public_disclosure", "PD-2"),
    ("en", "You can log in to our site using third party sign-in services such as Facebook Connect.", "third_party_sdk_list", None),
    ("en", "All data collected by AddThis on our behalf is owned and used by us.", "third_party_sdk_list", None),
    ("en", "We request information from the user on our order form.", "purposes_and_use", "PU-2"),
    ("en", "We collect this information in a variety of ways, including from web forms.", "purposes_and_use", "PU-2"),
    ("en", "Log file information is automatically reported by your browser each time you visit a page.", "purposes_and_use", "PU-2"),
    # what the user publishes, in Chinese
    ("zh", "请您谨慎考虑在社区中披露您的个人敏感信息。", "public_disclosure", "PD-2"),
    ("zh", "您在游戏中自行上传或发布的信息，其他玩家可能会看到。", "public_disclosure", "PD-2"),
    ("zh", "活动结束后，我们会公布中奖名单，并对手机号码进行去标识化处理。", "public_disclosure", "PD-2"),
    ("zh", "关闭后首页“猜你喜欢”将不展示个性化内容。", "consent_withdrawal", "CW-4"),
    ("zh", "您可以在设备的系统中关闭定位服务，以停止我们获取您的位置信息。", "consent_withdrawal", "CW-2"),
    ("zh", "我们不会仅因您同意本隐私政策而采用强制捆绑的方式收集您的个人信息。", "consent_withdrawal", "CW-1"),
    ("zh", "该等社交媒体服务由相关的第三方负责运营，其信息处理适用该第三方的规则。", "policy_accessibility", "FA-1"),
    ("zh", "我们另行公布的个人信息处理规则均视为本政策的补充条款。", "policy_accessibility", "FA-1"),
    ("en", "When you use the app we may ask for your permission to collect your location data.", "device_permissions", None),
    ("en", "If you do not enable the location-based service, the app will not send us your location.", "device_permissions", None),
    # tracking without the word "cookie"
    ("en", "We use third-party analytics tools to help us measure traffic on the site.", "cookies_tracking", "CK-1"),
    ("en", "Advertising partners use device IDs to count the ads shown in the app.", "cookies_tracking", "CK-1"),
    ("en", "We use these technologies to remember your settings and track your use of our sites.", "cookies_tracking", None),
    ("en", "They may collect information about your online activities over time and across different websites.",
     "cookies_tracking", None),
    ("zh", "我们的应用中可能含有指向第三方网站的链接，这些网站的运营者会依照其自己的规则处理您的信息。", "policy_accessibility", "FA-1"),
    ("en", "The payment provider may collect your card number and expiry date; these sensitive information are necessary for payment.",
     "sensitive_pi", "SP-1"),
    ("en", "Unless you delete what you posted, it may remain in the public domain.", "public_disclosure", "PD-2"),
    ("zh", "（3）提供技术、咨询、物流和其他服务的供应商、服务提供商和其他合作方：", "entrusted_processing", None),
    ("zh", "（2）供应商、服务提供商和其他合作伙伴。", "entrusted_processing", None),
    # transfer and public disclosure on their own
    ("zh", "我们不会将您的个人信息转让给任何公司、组织和个人。", "transfer_merger", None),
    ("zh", "如涉及合并或收购，需要转移您的个人信息的，我们会要求新的持有方继续受本政策约束。", "transfer_merger", None),
    ("zh", "我们不会公开披露您的个人信息，如确需公开披露，我们会事先征得您的单独同意。", "public_disclosure", "PD-1"),
    ("en", "We will not publicly disclose your personal information without your separate consent.", "public_disclosure", None),
    ("zh", "我们会采取加密、访问控制等安全措施保护您的个人信息。", "security_measures", "SM-1"),
    ("zh", "当您使用消费功能时，我们会收集您的充值记录和消费记录。", "sensitive_pi", None),
    ("zh", "为向您推荐附近的门店，我们会获取您的精确地理位置信息。", "sensitive_pi", None),
    ("en", "When you use the consumption function, we will collect your recharge records and consumption records.",
     "sensitive_pi", None),
    ("zh", "我们会收集不满14周岁儿童的昵称和头像。", "sensitive_pi", None),
    ("zh", "如您对我们的处理有任何不满，您可以通过投诉邮箱与我们联系。", "complaint_channel", "CC-1"),
    ("zh", "本政策的解释及争议解决均应适用中华人民共和国大陆地区法律。", "complaint_channel", None),
    ("zh", "联系人：星河数据安全与隐私保护中心", "pi_protection_officer", "PO-2"),
    ("zh", "我们已设立用户信息保护责任部门并建立相关内控制度。", "pi_protection_officer", "PO-2"),
    ("en", "You can contact our data protection center by email.", "pi_protection_officer", "PO-2"),
    ("zh", "与本政策相关的任何纠纷，双方应友好协商解决。", "complaint_channel", None),
    ("zh", "当您发现他人不正当地收集或使用您的信息时，可通过本政策所列的反馈渠道联系我们。", "complaint_channel", None),
    ("zh", "即使您删除共享信息，有关信息仍可能由其他用户独立地缓存、复制或储存。", "public_disclosure", None),
    ("zh", "只要您不删除共享信息，有关信息会一直留存在公共领域。", "public_disclosure", None),
    ("zh", "当您与其他玩家组队时，他们将看到您的会员等级和昵称。", "public_disclosure", "PD-2"),
    ("zh", "我们会展示您的昵称、头像和发布的信息内容，以便为您提供社交功能。", "public_disclosure", "PD-2"),
    ("en", "In the following circumstances, we may share, transfer and publicly disclose your personal information "
           "without your consent:", "sharing_third_parties", None),
    # SDKs and partners
    ("zh", "当您使用分享功能时，第三方分享SDK会收集您的设备标识信息。", "third_party_sdk_list", None),
    ("zh", "我们的合作伙伴会获取您的订单信息以完成配送。", "sharing_third_parties", None),
    ("zh", "第三方支付机构会获取您的订单金额以完成支付。", "sharing_third_parties", None),
    ("zh", "如您对本政策内容有任何疑问，您可通过本政策第九条“联系方式”与我们取得联系。", "processor_identity_contact", None),
    ("zh", "如果您对您所监护的未成年人的个人信息有疑问，请发送邮件至privacy@example.cn与我们联系。", "processor_identity_contact", "ID-2"),
    # kinds of data named
    ("zh", "注册时，您需要向我们提供手机号码。", "pi_categories", None),
    ("en", "Certificate number, date of birth, nationality, occupation, mobile phone number.", "pi_categories", "PC-1"),
    ("en", "We will share your name, mobile phone number and delivery address with the courier.", "pi_categories", None),
    ("en", "Such information is necessary information for this function.", "pi_categories", "PC-4"),
    # rights
    ("zh", "您可以在【我的】-【个人资料】中查看和修改您的昵称。", "individual_rights", None),
    ("zh", "您可以通过【我的】-【设置】访问、更正您的个人信息，并行使删除个人信息的权利。", "individual_rights", None),
    # marketing sent to the user
    ("zh", "我们会向您发送营销短信。", "automated_decisions_marketing", None),
    ("zh", "我们可能将您的订单信息用于营销。", "automated_decisions_marketing", None),
    ("en", "We may use your contact details to send you marketing messages.", "automated_decisions_marketing", None),
    ("zh", "如果这些决定显著影响您的合法权益，您有权要求我们作出解释。", "automated_decisions_marketing", "AM-5"),
    ("en", "If these decisions significantly affect your legitimate rights, you have the right to ask us for an explanation.",
     "automated_decisions_marketing", "AM-5"),
    ("zh", "当您关闭后，我们不再向您展示、推荐或推送符合您个性化需求的内容。", "automated_decisions_marketing", "AM-2"),
    ("zh", "如您不希望收到这些信息，可以通过【设置】关闭。", "automated_decisions_marketing", "AM-6"),
    ("zh", "您可能无法取消这些与服务有关、性质不属于广告的公告。", "automated_decisions_marketing", None),
    # the policy itself: scope, precedence, basis, title
    ("zh", "除某些特定服务外，我们所有的服务均适用本《隐私政策》。", "policy_accessibility", None),
    ("zh", "第三方服务商收集您信息的行为不受本政策约束，请您查阅其隐私政策。", "policy_accessibility", None),
    ("zh", "如特定服务的隐私规则与本政策有不一致之处，以该特定服务的规则为准。", "policy_accessibility", None),
    ("zh", "特定规则未提及之处，以本政策为准。", "policy_accessibility", None),
    ("zh", "该等特定服务的隐私规则构成本政策的一部分。", "policy_accessibility", None),
    ("zh", "本政策以《中华人民共和国个人信息保护法》等法律法规为依据。", "policy_accessibility", None),
    ("zh", "我们根据《中华人民共和国网络安全法》及相关国家标准制定本政策。", "policy_accessibility", None),
    ("zh", "当您使用我们的任何产品时，本《星河阅读个人信息保护政策》即适用。", "policy_accessibility", None),
    ("zh", "需要特别说明的是，本政策不适用其他独立第三方向您提供的服务。", "policy_accessibility", None),
    ("zh", "星河公司根据《中华人民共和国个人信息保护法》，制定了《星河阅读用户隐私政策》。", "policy_accessibility", None),
    ("zh", "某些特定服务还将适用特定的个人信息保护政策，我们将在提供这些服务前进一步说明。", "policy_accessibility", None),
    ("zh", "您可以在【设置】界面随时查看个人信息收集和使用规则。", "policy_accessibility", "FA-4"),
    ("zh", "本隐私政策描述了我们在收集、使用及披露您的资料等各方面的做法。", "policy_accessibility", None),
    ("en", "Services offered by third parties are not governed by this policy.", "policy_accessibility", None),
    ("en", "This policy is suitable for all products and services provided by our platform.", "policy_accessibility", None),
    ("en", "The third party is not bound by this privacy policy.", "policy_accessibility", None),
    ("en", 'This "Acme Personal Information Protection Policy" is only applicable to the information we collect.',
     "policy_accessibility", None),
    ("en", "Some game products have their own separate privacy protection policies.", "policy_accessibility", "FA-1"),
    ("en", "This policy is formulated in accordance with the Personal Information Protection Law.", "policy_accessibility", None),
    ("en", "Effective time: January 26, 2022", "policy_accessibility", "FA-7"),
    ("zh", "更新日期：2022年6月29日", "policy_accessibility", "FA-7"),
    ("zh", "我们可能适时修订本政策的条款。", "policy_changes", None),
    # purposes
    ("en", "We collect this information to follow up on your complaint and conduct satisfaction surveys.",
     "purposes_and_use", "PU-1"),
    ("en", "We collect personal information from you when you enter a contest or sweepstakes.", "purposes_and_use", "PU-2"),
    ("en", "The museum may collect personal information in connection with online ticket purchases.",
     "purposes_and_use", "PU-2"),
    # device permissions as translated policies name them
    ("en", "If you do not authorize this permission, you will not be able to use the online payment function.",
     "device_permissions", None),
    ("en", "When you use this function, we need to obtain your microphone right.", "device_permissions", None),
    ("en", "(2) Microphone, used for voiceprint recognition, voice navigation and voice customer service.", "device_permissions", None),
    ("zh", "通讯录,手机充值,方便您输入充值手机号,需手动输入充值手机号", "device_permissions", None),
    ("zh", "推送（仅iOS用户）,消息推送,向您推送信息,无法正常接收推送消息", "device_permissions", None),
    ("en", "In specific activities, we will read your clipboard content to check for an invitation code.",
     "device_permissions", None),
    ("en", "We call the acceleration sensor and gyroscope sensor of your device to detect shaking.", "device_permissions", None),
    # account cancellation as translated policies name it
    ("en", "Logging out your account is an irreversible operation.", "account_deletion", None),
    ("en", "If you cancel the WeChat Bank, you can click the WeChat menu to issue an unbinding instruction.", "account_deletion", None),
    ("zh", "如果您希望关闭您的账户，可以登录后通过“账号管理”执行。", "account_deletion", None),
    # how long and where data is kept
    ("zh", "我们只会在达成本政策所述目的所需的期限内保留您的个人信息。", "retention", None),
    ("zh", "上述敏感信息仅做核对之用，客服不会予以留存。", "retention", None),
    ("zh", "该脸部信息仅保存在您授权采集的设备上。", "retention", None),
    ("zh", "当您删除信息后，我们可能不会立即在备份系统中删除相应的信息，但会在备份更新时删除这些信息。", "retention", None),
    ("en", "The voiceprint data is stored in the system background database after encryption.", "retention", None),
    # a long occasion before "we collect", and a purpose after the named data
    ("en", "When you pay utility bills, membership fees, parking fees, property fees, tuition, insurance premiums, "
           "deposits and other charges through the app, we need to collect your name and account number.", "purposes_and_use", "PU-1"),
    ("en", "If you take part in the lucky draw, we will collect your mobile phone number to issue the reward.",
     "purposes_and_use", "PU-1"),
    # rows of a permission table without a colon
    ("en", "(1) Camera for scanning QR codes, recognising bank cards and setting your avatar.", "device_permissions", None),
    ("en", "Bluetooth, smart watch pairing, connect your phone to the watch.", "device_permissions", None),
]

# (lang, clause, topic that must not be found)
NOT_FOUND = [
    ("en", "We will not provide these service providers with your name, address, email address or telephone number.",
     "pi_categories"),
    ("en", "We do not need to obtain your consent in the following cases, and you authorize us to act in them:",
     "consent_withdrawal"),
    # what a user gives us, or shows other users, is not our sharing
    ("en", "To use some features, you will need to share with us certain personal information.", "sharing_third_parties"),
    ("en", "You may visit most of the site without disclosing any personal information about yourself.", "sharing_third_parties"),
    ("en", "You can track the status of your order in the app.", "cookies_tracking"),
    # refusing a permission is not a data field left empty (pi_categories#PC-4)
    ("en", "If you refuse to authorize, you will not be able to use the voice input function.", "pi_categories"),
    # what we tell you of a recipient is the sharing clause's matter, not our own purpose or method
    ("zh", "共享前，我们会向您告知接收方的名称或者姓名、联系方式、处理目的、处理方式和个人信息的种类。", "purposes_and_use"),
    # the title of the national standard names no measure
    ("zh", "以下术语的定义出自GB/T 35273-2020《信息安全技术 个人信息安全规范》。", "security_measures"),
    # "不适用于" is the policy's scope; a deletion trigger; what a recipient may do with the data
    ("zh", "本《星河个人信息保护政策》不适用于第三方向您提供的服务。", "purposes_and_use"),
    ("zh", "处理目的已实现、无法实现或者为实现处理目的不再必要的，您可以要求我们删除。", "purposes_and_use"),
    ("zh", "我们会要求合作伙伴只能将您的信息用于履行其职责所需。", "purposes_and_use"),
    ("zh", "如您拒绝提供上述信息，您将无法使用该功能，但不影响您正常使用其他功能。", "consent_withdrawal"),
    ("zh", "关闭页面后，请重新登录。", "consent_withdrawal"),
    ("zh", "您可以关闭页面后重新打开推送的链接。", "consent_withdrawal"),
    ("en", "Please close the window and open the link in the push message again.", "consent_withdrawal"),
    ("zh", "我们在得到您的同意后，才会共享您的信息。", "consent_withdrawal"),
    # ways of disclosing or processing listed together, and portability, are not a merger transfer
    ("zh", "在以下情形中，我们共享、转让、公开披露您的个人信息无需事先征得您的授权同意：", "transfer_merger"),
    ("zh", "我们不会主动共享、提供或转让您的个人信息至第三方。", "transfer_merger"),
    ("zh", "如您请求将个人信息转移至您指定的个人信息处理者，我们将依法提供转移的途径。", "transfer_merger"),
    ("zh", "我们不会违反法律规定收集、存储、使用、转移您的个人信息。", "transfer_merger"),
    ("en", "In the following circumstances, we may share, transfer and publicly disclose your personal information "
           "without your consent:", "public_disclosure"),
    ("zh", "当您使用分享功能时，第三方分享SDK会收集您的设备标识信息。", "sharing_third_parties"),
    # data obtained from a third party is indirect collection; a third party's own service is outside the policy
    ("zh", "当您使用第三方账号登录时，我们会在获得您授权后从该第三方平台处获取您的昵称和头像。", "sharing_third_parties"),
    ("zh", "本政策不适用于任何第三方对您的个人信息的收集。", "sharing_third_parties"),
    # consent to the policy is the consent topic's; reporting an incident to the regulator is incident response
    ("zh", "一旦您开始使用我们各项产品或服务，即表示您已充分理解并同意本政策。", "legal_basis_exceptions"),
    ("zh", "同时，我们还将按照监管部门要求，主动上报个人信息安全事件的处置情况。", "legal_basis_exceptions"),
    # a pointer to the contact section inside a clause about children is not itself a contact
    ("zh", "如果您对您所监护的未成年人的个人信息有疑问，请通过第九条的联系方式与我们联系。", "processor_identity_contact"),
    # "披露您的个人信息" alone names no recipient: it needs a sharing section
    ("zh", "我们仅会在以下情况披露您的个人信息：", "sharing_third_parties"),
    # staff seeing data is not the public seeing it
    ("zh", "客服人员可能会查看您的订单信息以处理退款。", "public_disclosure"),
    # refusing to let data be shared, withdrawing consent or refusing cookies is not refusing to provide data
    ("zh", "如果您拒绝我们与合作方共享个人信息，将可能导致您无法使用该服务。", "purposes_and_use"),
    ("zh", "如您撤回同意，您将无法继续使用相应功能。", "purposes_and_use"),
    ("zh", "如您拒绝使用Cookie，您将无法获得最佳的服务体验。", "purposes_and_use"),
    # those who entrust us, and the safeguards asked of those we share with, are not processors we entrust
    ("zh", "我们可能与委托我们进行推广和广告投放的合作伙伴共享去标识化的设备信息。", "entrusted_processing"),
    ("zh", "对我们与之共享个人信息的公司，我们会要求他们按照我们的说明和相关的安全措施来处理个人信息。", "entrusted_processing"),
    ("en", "Other business partners, for example partners who entrust us to promote and advertise.", "entrusted_processing"),
    ("zh", "我们会为您提供技术支持服务。", "entrusted_processing"),
    # phrases that name no data
    ("zh", "向我们提供反馈意见时，请您注意保护自己的隐私。", "pi_categories"),
    ("zh", "请您提供真实、准确的信息。", "pi_categories"),
    ("zh", "我们会告知您接收方的名称和个人信息种类。", "pi_categories"),
    ("en", "Please contact us by email, and we will reply soon.", "pi_categories"),
    # what the processor may do, what security guards against, and a deceased user's relatives are not rights
    ("zh", "您可以在【设置】-【隐私政策】中查看本政策的全部内容。", "individual_rights"),
    ("zh", "您开启该权限即视为您授权我们可以访问、获取、收集、使用您的该等个人信息。", "individual_rights"),
    ("zh", "我们会采取措施防止您的个人信息遭到未经授权的访问、复制、公开披露或篡改。", "individual_rights"),
    ("zh", "（5）我们负责处理个人信息安全的责任部门、联络方式及投诉渠道发生变化时；", "complaint_channel"),
    ("zh", "如您发现账号、密码可能已经泄露，请您立即和我们取得联系。", "complaint_channel"),
    ("zh", "去世用户的近亲属需要根据个人信息保护小组的指定流程提交材料。", "pi_protection_officer"),
    ("zh", "你可以通过【相机设置】-【意见反馈及举报】申请注销你的帐号。", "complaint_channel"),
    ("en", "(5) When the department responsible for personal information security, its contact methods and complaint channels change;",
     "complaint_channel"),
    ("zh", "近亲属可以通过本政策公示的联系方式联系我们，以依法行使其对逝者的相关个人信息的权利。", "individual_rights"),
    ("zh", "如您拒绝Cookie，则需要在每一次访问我们的网站时更改您的设置。", "individual_rights"),
    ("zh", "您可以访问我们的网站了解更多活动，或咨询在线客服。", "individual_rights"),
    ("zh", "您可以通过修改系统设置里的定位权限，取消我们获取地理位置的授权。", "individual_rights"),
    ("zh", "我们会收集您的游戏日志信息，以便您能够在客户端【历史】中查看您的游戏记录。", "individual_rights"),
    # the safeguards asked of recipients are the sharing clause's terms
    ("zh", "对我们与之共享个人信息的第三方服务商，我们会要求他们履行相关保密义务并采取相应的安全措施。", "security_measures"),
    ("zh", "我们会督促合作伙伴按照本政策采取保护措施。", "security_measures"),
    # a child's age alone makes a clause about minors, not about sensitive PI
    ("zh", "若您是未满14周岁的未成年人，请您通知您的监护人共同阅读本政策。", "sensitive_pi"),
    ("en", "If you are a child under the age of 14, please read this policy with your guardian.", "sensitive_pi"),
    ("zh", "当您参加我们举办的营销活动时，我们会收集您的姓名和收货地址以寄送奖品。", "automated_decisions_marketing"),
    ("zh", "如您拒绝提供上述信息，将使您无法参加平台营销推广和互动活动。", "automated_decisions_marketing"),
    ("zh", "关闭页面后，我们不会保存您填写的内容。", "automated_decisions_marketing"),
    ("en", "When you take part in marketing activities, you need to fill in the name and address of the gift receiver.",
     "automated_decisions_marketing"),
    ("zh", "我们会在收集前向您说明收集的目的。", "policy_accessibility"),
    ("zh", "我们会要求新的持有方继续受本政策约束。", "policy_accessibility"),
    # a title, an outline, reminders about changes or addressed to guardians, a software version number
    # a date line is the policy's date (FA-7), not a statement about changes
    ("zh", "更新日期：2022年6月29日", "policy_changes"),
    ("zh", "隐私政策更新日期：2022年6月29日", "policy_changes"),
    ("en", "Effective date: November 1, 2021", "policy_changes"),
    ("zh", "星河阅读用户隐私政策", "policy_accessibility"),
    ("zh", "本政策将帮助您了解以下内容：", "policy_accessibility"),
    ("en", "This policy will help you understand the following:", "policy_accessibility"),
    ("zh", "我们可能适时修订本《隐私政策》的条款，该等修订构成本《隐私政策》的一部分。", "policy_accessibility"),
    ("zh", "请您仔细阅读变更后的本政策内容。", "policy_accessibility"),
    ("zh", "如您为未成年人，请您的监护人仔细阅读本政策。", "policy_accessibility"),
    ("zh", "我们会收集您的设备型号、操作系统、软件版本号、登录IP地址。", "policy_accessibility"),
    ("zh", "我们将在专门链接上发布对隐私政策所做的任何变更和更新。", "policy_accessibility"),
    ("zh", "本《隐私政策》的订立、履行、解释及争议的解决均适用中华人民共和国法律。", "policy_accessibility"),
    ("en", "We will require the new company holding your information to be bound by this policy.", "policy_accessibility"),
    ("en", "Children's data is handled under our separate children's privacy policy.", "policy_accessibility"),
    ("en", "We will notify you of changes to our specific privacy rules.", "policy_accessibility"),
    ("en", "We may disclose the information to third parties when the law requires it.", "purposes_and_use"),
    ("en", "You have the right to access your personal information.", "device_permissions"),
    ("zh", "位置信息，我们会严格保护。", "device_permissions"),
    ("en", "We will obtain your permission before we share your information.", "device_permissions"),
    ("en", "You can log out of your account at any time.", "account_deletion"),
    ("en", "3. If you no longer use our products or services, or you cancel your account;", "account_deletion"),
    ("zh", "4.如果您不再使用我们的产品或服务，或您注销了账号；", "account_deletion"),
    ("zh", "如您不同意经变更后的本政策，您可以选择停止使用或者注销账号。", "account_deletion"),
    ("en", "We keep you informed of changes by email.", "retention"),
]


def topics_at(blocks, needle, lang="zh"):
    """Findings by topic of the clause holding ``needle`` in a document of ``blocks``."""
    return {f.topic: f for f in analyse_text(blocks, lang).findings if needle in f.text}


def findings(text, lang):
    """Findings by topic of a one-paragraph document."""
    return topics_at([("paragraph", text)], text, lang)


@pytest.mark.parametrize("lang, text, topic, item", FOUND, ids=[f"{t}-{lang}-{i}" for i, (lang, _, t, _) in enumerate(FOUND)])
def test_found(lang, text, topic, item):
    found = findings(text, lang)
    assert topic in found, f"{topic} not found in {text!r}; found {sorted(found)}"
    if item:
        assert f"{topic}#{item}" in found[topic].items


@pytest.mark.parametrize("lang, text, topic", NOT_FOUND, ids=[f"not-{t}-{lang}-{i}" for i, (lang, _, t) in enumerate(NOT_FOUND)])
def test_not_found(lang, text, topic):
    found = findings(text, lang)
    assert topic not in found, f"{topic} wrongly found in {text!r} by {found[topic].rule if topic in found else ''}"


def test_the_consent_exceptions_lead_in_and_its_items_are_sharing_and_legal_basis():
    blocks = [("heading", "三、我们如何共享、转让、公开披露您的个人信息"),
              ("paragraph", "在以下情形中，我们共享、转让、公开披露您的个人信息无需事先征得您的授权同意："),
              ("list_item", "与国家安全、国防安全直接相关的；")]
    for needle in ("无需事先征得", "国家安全"):
        found = topics_at(blocks, needle)
        assert "legal_basis_exceptions" in found and "sharing_third_parties" in found
        assert "public_disclosure" not in found and "transfer_merger" not in found


def test_an_sdk_is_not_a_sharing_cue_under_a_sharing_heading():
    heading = ("heading", "三、我们如何共享您的个人信息")
    found = topics_at([heading, ("paragraph", "我们接入的SDK详见附件。")], "SDK详见")
    assert "third_party_sdk_list" in found
    assert found.get("sharing_third_parties") is None or found["sharing_third_parties"].rule.startswith("classifier/")
    partner = "我们会与合作伙伴签署严格的保密协定。"
    assert "sharing_third_parties" in topics_at([heading, ("paragraph", partner)], partner)


@pytest.mark.parametrize("text", ["您自行向社会公众公开的个人信息；", "从合法公开披露的信息中收集的，如政府信息公开等渠道；"])
def test_information_already_public_is_not_public_disclosure(text):
    assert "public_disclosure" not in topics_at([("heading", "（三）公开披露"), ("paragraph", text)], text)


def test_making_a_post_public_is_still_public_disclosure():
    text = "您发布的动态将对所有用户公开。"
    assert "public_disclosure" in topics_at([("heading", "（三）公开披露"), ("paragraph", text)], text)


def test_a_security_incident_is_not_a_security_measure():
    heading = ("heading", "五、我们如何保护您的个人信息")
    text = "同时，我们将按照监管部门要求，主动上报个人信息安全事件的处置情况。"
    found = topics_at([heading, ("paragraph", text)], text)
    assert "incident_response" in found and "security_measures" not in found
    tip = "一旦您泄露了账号密码，您可能会蒙受损失。"
    assert "security_measures" in topics_at([heading, ("paragraph", tip)], tip)


def test_cookies_alone_are_not_a_category_of_data_en():
    blocks = [("heading", "1. Information We Collect"), ("paragraph", "You can also manage cookies through your browser settings.")]
    found = topics_at(blocks, "manage cookies", "en")
    assert "cookies_tracking" in found and "pi_categories" not in found


def test_collection_without_an_occasion_is_not_a_method_en():
    found = findings("We collect personal information.", "en")
    assert not any("purposes_and_use#PU-2" in f.items for f in found.values())


def test_disclosing_with_no_recipient_is_sharing_under_a_sharing_heading():
    blocks = [("heading", "三、我们如何共享您的个人信息"), ("paragraph", "我们仅会在以下情况披露您的个人信息：")]
    assert "sharing_third_parties" in topics_at(blocks, "以下情况披露")


def test_a_security_incident_is_not_a_security_measure_en():
    heading = ("heading", "5. How We Protect Your Personal Information")
    text = "We will also report the handling of personal information security incidents to the regulators."
    found = topics_at([heading, ("paragraph", text)], text, "en")
    assert "incident_response" in found and "security_measures" not in found


@pytest.mark.parametrize("lang, blocks, item", [
    ("zh", [("heading", "一、我们如何收集和使用您的个人信息"), ("paragraph", "（1）基本情况。"),
            ("paragraph", "包括姓名、性别、民族。")], "（4）资质信息。"),
    ("en", [("heading", "1. How we collect and use your personal information"), ("paragraph", "(1) Basic situation."),
            ("paragraph", "Including name, gender and nationality.")], "(3) Employment information."),
])
def test_a_list_item_that_names_a_kind_of_data_is_a_category(lang, blocks, item):
    assert "pi_categories" in topics_at(blocks + [("paragraph", item)], item, lang)


def test_a_right_named_as_a_list_item_is_not_a_category_of_data():
    blocks = [("heading", "六、您如何管理您的个人信息"), ("paragraph", "您可以通过以下方式管理您的个人信息："),
              ("paragraph", "（二）更正您的个人信息")]
    assert "pi_categories" not in topics_at(blocks, "（二）更正")


@pytest.mark.parametrize("text", [
    "在合并、分立或资产出售时，如涉及个人信息转让，我们会要求新的接收方继续受本政策的约束。",
    "我们不会公开披露您的个人信息，如确需披露，我们会告知您披露的目的，涉及敏感信息的还会征得您的单独同意。",
])
def test_a_recipient_word_in_a_merger_or_public_disclosure_is_not_sharing(text):
    blocks = [("heading", "三、我们如何共享、转让、公开披露您的个人信息"), ("paragraph", text)]
    assert "sharing_third_parties" not in topics_at(blocks, text)


@pytest.mark.parametrize("text", [
    "After obtaining your separate consent, your personal information may be transferred abroad.",
    "If you have difficulty in copying, transferring or deleting your information, please contact us.",
])
def test_a_transfer_abroad_or_to_the_user_is_not_a_corporate_transfer(text):
    blocks = [("heading", "3. How we share, transfer and publicly disclose your personal information"), ("paragraph", text)]
    assert "transfer_merger" not in topics_at(blocks, text, "en")


def test_a_lead_in_ending_in_to_passes_the_purpose_to_its_items():
    blocks = [("heading", "2. How we use your information"),
              ("paragraph", "Besides the uses described elsewhere in this policy, we may use the information we receive to:"),
              ("list_item", "diagnose or fix technical problems"),
              ("list_item", "measure how many people visit each page")]
    assert "purposes_and_use" in topics_at(blocks, "diagnose or fix", "en")
    assert "purposes_and_use" in topics_at(blocks, "measure how many", "en")


def test_a_time_allowed_for_a_response_under_a_rights_heading_is_a_response_deadline():
    blocks = [("heading", "Access to your information"), ("paragraph", "You may ask for a copy of the data we hold about you."),
              ("paragraph", "Please allow thirty days for a response.")]
    found = topics_at(blocks, "Please allow", "en")
    assert "individual_rights#IR-4" in found["individual_rights"].items


def test_a_colon_lead_in_that_names_information_passes_the_category_to_its_items():
    blocks = [("paragraph", "Information you provide directly to us:"), ("list_item", "Your preferences and settings")]
    assert "pi_categories" in topics_at(blocks, "Information you provide directly", "en")
    assert topics_at(blocks, "Your preferences", "en")["pi_categories"].how.startswith("list item under a lead-in")
