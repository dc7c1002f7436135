"""English detection rules: purposes, categories, retention, sharing, public
disclosure, consent and withdrawal, rights, marketing and security wording found
in ordinary English privacy policies. Each clause below must be found by the
named rule with its checklist items; near misses must not be found."""
from __future__ import annotations

from dataclasses import replace
from functools import lru_cache

import pytest

from helpers import analyse_text
from reviewer.core.document import Document, TextBuilder
from reviewer.core.engine import analyze
from reviewer.core.rules import load_ruleset


# (sentence, topic, rule that must have matched, items that must be among the finding's items)
POSITIVE = [
    # 委托 rendered as "commission"
    ("The situation of commissioning or sharing personal information to provide our services is as follows:",
     "entrusted_processing", "entrusted_processing/commission", []),
    ("We may commission third parties to analyse how our app is used.",
     "entrusted_processing", "entrusted_processing/commission", []),
    # how soon questions and complaints are answered, as translated policies put it
    ("After verifying your identity, we will reply to you within 15 working days to help solve your problems.",
     "complaint_channel", "complaint_channel/handling-time", ["CC-2"]),
    ("We will review the issues involved as soon as possible and reply within 15 days after verifying your identity.",
     "complaint_channel", "complaint_channel/handling-time", ["CC-2"]),
    # --- purposes_and_use
    ("Acme uses this information to customize the content you see.",
     "purposes_and_use", "purposes_and_use/use-for-purpose", ["PU-1"]),
    ("We place cookies on your device to remember your language preference.",
     "purposes_and_use", "purposes_and_use/use-for-purpose", ["PU-1"]),
    ("Server logs are analysed for troubleshooting and capacity planning purposes.",
     "purposes_and_use", "purposes_and_use/use-for-purpose", ["PU-1"]),
    ("This information allows us to recognize you when you return.",
     "purposes_and_use", "purposes_and_use/use-for-purpose", ["PU-1"]),
    ("We ask for your postcode so that we can show you the nearest store.",
     "purposes_and_use", "purposes_and_use/use-for-purpose", ["PU-1"]),
    ("Cookies may be used on checkout pages to remember your basket.",
     "purposes_and_use", "purposes_and_use/use-for-purpose", ["PU-1"]),
    # --- pi_categories
    ("The shop may log your IP address and browser version.",
     "pi_categories", "pi_categories/tracking-data-types", ["PC-1"]),
    ("We use cookies and web beacons on our pages.",
     "cookies_tracking", "cookies_tracking/cookies", ["CK-1"]),
    ("If you do not allow location access, you will not be able to use the store finder.",
     "pi_categories", "pi_categories/required-optional", ["PC-4"]),
    # --- retention
    ("We keep your billing records until you close your account.",
     "retention", "retention/until-event", ["RT-1"]),
    ("Support tickets are stored for a limited period and then reviewed.",
     "retention", "retention/until-event", ["RT-1"]),
    ("We delete chat transcripts after 90 days.",
     "retention", "retention/delete-after-period", ["RT-1", "RT-2"]),
    ("Some information may remain in backup copies for a short time after deletion.",
     "retention", "retention/after-account-closure", []),
    ("We may keep a record of your purchases even after you close your account.",
     "retention", "retention/after-account-closure", []),
    # --- sharing_third_parties
    ("Our partners may collect your device identifier when you use the app.",
     "sharing_third_parties", "sharing_third_parties/third-party-collection", []),
    # --- wording of US and European policies
    ("If you geotag a photo, its latitude and longitude are stored with it.",
     "sensitive_pi", "sensitive_pi/sensitive-mention", []),
    ("If you have an unresolved privacy concern, please write to the privacy seal program we belong to.",
     "complaint_channel", "complaint_channel/dispute", []),
    ("You may register using your Facebook account instead of a password.",
     "third_party_sdk_list", "third_party_sdk_list/sdk-embedded", []),
    ("Signing in with Google shares your name and profile photo with us.",
     "third_party_sdk_list", "third_party_sdk_list/sdk-embedded", []),
    ("We convert the address into a one-way hash before storing it.",
     "security_measures", "security_measures/hashing", ["SM-1"]),
    ("Account numbers are hashed so that they cannot be reversed.",
     "security_measures", "security_measures/hashing", ["SM-1"]),
    ("We rely on outside companies to help us deliver our newsletter.",
     "entrusted_processing", "entrusted_processing/helps-us", []),
    ("Remember that no method of sending data over the Internet, or of storing it electronically, is 100% secure.",
     "security_measures", "security_measures/no-guarantee", ["SM-4"]),
    ("In the event of the death of a member, a family member may contact us.",
     "deceased_persons_rights", "deceased_persons_rights/deceased-user", []),
    ("The date of the latest revision is shown at the top of this page, so please check back.",
     "policy_changes", "policy_changes/check-back", []),
    ("If you feel your request has not been satisfactorily addressed, you may contact a consumer agency.",
     "complaint_channel", "complaint_channel/dispute", []),
    ("Your settings decide which details are shared with other members.",
     "public_disclosure", "public_disclosure/visible-publication", ["PD-2"]),
    ("Collecting this data allows us to, among other things, plan for busy periods.",
     "purposes_and_use", "purposes_and_use/use-for-purpose", ["PU-1"]),
    ("The information allows for better reporting to our sponsors.",
     "purposes_and_use", "purposes_and_use/use-for-purpose", ["PU-1"]),
    ("We run statistical analyses of our server logs to see which pages are popular.",
     "purposes_and_use", "purposes_and_use/use-for-purpose", ["PU-1"]),
    ("We read your device ID to count unique visitors.",
     "cookies_tracking", "cookies_tracking/device-identifiers", ["CK-1"]),
    ("Please upload a photo of your ID card and enter your ID number.",
     "sensitive_pi", "sensitive_pi/collects-sensitive", []),
    ("We never authorize any third party to use your phone number.",
     "sharing_third_parties", "sharing_third_parties/provide-to-third-parties", []),
    ("Our vendors may be given access to your order history.",
     "sharing_third_parties", "sharing_third_parties/provide-to-third-parties", []),
    ("We may provide advertisers with aggregate statistics about our readers.",
     "sharing_third_parties", "sharing_third_parties/provide-to-third-parties", []),
    ("From time to time we rent our subscribers' names and postal addresses to charities.",
     "sharing_third_parties", "sharing_third_parties/provide-to-third-parties", []),
    ("Northwind Media, LLC is the company that operates this website.",
     "processor_identity_contact", "processor_identity_contact/entity-defined-as-we", ["ID-1"]),
    ("Write to us naming the records you would like deleted.",
     "individual_rights", "individual_rights/requests", []),
    ("We may also ask for demographic information, for example your age and income.",
     "pi_categories", "pi_categories/collect-types", ["PC-1"]),
    ("Other members can see your display name and the reviews you write.",
     "public_disclosure", "public_disclosure/visible-publication", ["PD-2"]),
    ("Your badges are visible to all participants in a challenge.",
     "public_disclosure", "public_disclosure/visible-publication", ["PD-2"]),
    ("Your profile photo and everything you post in the forums are public.",
     "public_disclosure", "public_disclosure/visible-publication", ["PD-2"]),
    ("We may publish the names and hometowns of prize winners.",
     "public_disclosure", "public_disclosure/visible-publication", ["PD-2"]),
    ("Scores of players who opt in appear on weekly leaderboards.",
     "public_disclosure", "public_disclosure/visible-publication", ["PD-2"]),
    ("Depending on the state you live in, you may have the right to:",
     "individual_rights", "individual_rights/rights-under-law", ["IR-1"]),
    ("An authorized agent may submit a request on your behalf.",
     "individual_rights", "individual_rights/rights-under-law", ["IR-1"]),
    ("If we decline your request, you may appeal our decision by replying to our email.",
     "individual_rights", "individual_rights/rights-under-law", ["IR-1"]),
    ("We will not treat you differently for exercising your privacy rights.",
     "individual_rights", "individual_rights/rights-under-law", ["IR-1"]),
    ("Before we act on it, we verify each request by email.",
     "individual_rights", "individual_rights/verify-request", []),
    ("Your plan stores the protected health information in your claims.",
     "sensitive_pi", "sensitive_pi/sensitive-mention", []),
    ("Drivers upload a selfie and a photo of a government-issued ID.",
     "sensitive_pi", "sensitive_pi/sensitive-mention", []),
    ("Riders can share their live location with a friend during a trip.",
     "sensitive_pi", "sensitive_pi/sensitive-mention", []),
    ("Our app uses Firebase Crashlytics to report crashes.",
     "third_party_sdk_list", "third_party_sdk_list/sdk-embedded", []),
    ("Our pages carry the Meta Pixel and the Pinterest Tag.",
     "third_party_sdk_list", "third_party_sdk_list/sdk-embedded", []),
    ("If you sign in using a third-party account, we receive your name and email address.",
     "third_party_sdk_list", "third_party_sdk_list/sdk-embedded", []),
    ("When you open an account, we collect:",
     "pi_categories", "pi_categories/collect-types", ["PC-1"]),
    ("The information you give us may include:",
     "pi_categories", "pi_categories/collect-types", ["PC-1"]),
    ("After you sign up, you may add further details, such as:",
     "pi_categories", "pi_categories/collect-types", ["PC-1"]),
    ("We rely on Article 6(1)(b) GDPR to process your order details.",
     "legal_basis_exceptions", "legal_basis_exceptions/legal-basis", ["LB-1"]),
    ("We keep invoices for ten years, as required by the German Commercial Code.",
     "legal_basis_exceptions", "legal_basis_exceptions/legal-basis", ["LB-1"]),
    ("Some records are kept because we are legally required to keep them.",
     "legal_basis_exceptions", "legal_basis_exceptions/legal-basis", ["LB-1"]),
    ("Only two people on our team can access the customer database.",
     "security_measures", "security_measures/access-limited", ["SM-1"]),
    ("Every access to patient records is logged.",
     "security_measures", "security_measures/access-limited", ["SM-1"]),
    ("You can turn on two-factor authentication in your settings.",
     "security_measures", "security_measures/access-limited", ["SM-1"]),
    ("We will never ask for your PIN by text message.",
     "security_measures", "security_measures/self-protection", ["SM-4"]),
    ("Pick a strong, unique password and never share your passcode.",
     "security_measures", "security_measures/self-protection", ["SM-4"]),
    ("Our US parent company is certified under the EU-U.S. Data Privacy Framework.",
     "cross_border", "cross_border/transfer-framework", ["CB-4"]),
    ("Any dispute will be settled through binding arbitration.",
     "complaint_channel", "complaint_channel/dispute", []),
    ("If we still cannot help, you may contact your state attorney general.",
     "complaint_channel", "complaint_channel/dispute", []),
    ("If you are unhappy with how we handled your data, tell us first.",
     "complaint_channel", "complaint_channel/dispute", []),
    ("Our articles often link to other websites.",
     "policy_accessibility", "policy_accessibility/third-party-links", ["FA-1"]),
    ("The app may contain links to services run by third parties.",
     "policy_accessibility", "policy_accessibility/third-party-links", ["FA-1"]),
    ("This FAQ applies to our website and our apps.",
     "policy_accessibility", "policy_accessibility/policy-scope", ["FA-1"]),
    ("Where this notice conflicts with our HIPAA notice, the HIPAA notice controls.",
     "policy_accessibility", "policy_accessibility/policy-scope", ["FA-1"]),
    ("Call us if you need this policy in large print.",
     "policy_accessibility", "policy_accessibility/readability", []),
    ("We make no decisions with legal or similarly significant effects based on your profile.",
     "automated_decisions_marketing", "automated_decisions_marketing/explanation-refuse", ["AM-5"]),
    ("You may ask for human review of a decision and contest the decision.",
     "automated_decisions_marketing", "automated_decisions_marketing/explanation-refuse", ["AM-5"]),
    ("Fares use dynamic pricing when demand is high.",
     "automated_decisions_marketing", "automated_decisions_marketing/price-discrimination", ["AM-4"]),
    ("Deleted photos may remain in our backups for up to 30 days.",
     "retention", "retention/deletion-limits", []),
    ("If an account has not been used for two years, we delete it.",
     "retention", "retention/delete-after-period", ["RT-1", "RT-2"]),
    # --- purposes_and_use: what refusing costs
    ("If the user refuses to provide it, the user will be unable to use the scanning function.",
     "purposes_and_use", "purposes_and_use/refusal-consequence", []),
    ("After rejecting authorization, the above functions will not be available.",
     "purposes_and_use", "purposes_and_use/refusal-consequence", []),
    ("Refusing to give us your delivery address will prevent you from ordering online.",
     "purposes_and_use", "purposes_and_use/refusal-consequence", []),
    ("Turning off the camera permission will not affect your use of the other features.",
     "purposes_and_use", "purposes_and_use/refusal-consequence", []),
    # --- cookies_tracking: third parties' trackers
    ("Some advertising networks place web beacons on the pages you visit.",
     "cookies_tracking", "cookies_tracking/third-party-trackers", []),
    # --- device_permissions
    ("We read your phone address book only when you pick a contact to pay.",
     "device_permissions", "device_permissions/permission-mention", []),
    ("When you first use voice search, we will ask for your authorization through a pop-up window.",
     "device_permissions", "device_permissions/permission-mention", []),
    ("We need message push permission to send you order updates.",
     "device_permissions", "device_permissions/permission-mention", []),
    ("You can cancel your location information authorization at any time.",
     "device_permissions", "device_permissions/permission-mention", []),
    # --- consent_withdrawal: refusing or withdrawing an authorization, agreeing to a use
    ("After withdrawing authorization, you can no longer use that feature.",
     "consent_withdrawal", "consent_withdrawal/withdraw-consent", []),
    ("If you refuse the authorization, only the scanning function is unavailable.",
     "consent_withdrawal", "consent_withdrawal/withdraw-consent", []),
    ("You agree that we may share your order details with the courier.",
     "consent_withdrawal", "consent_withdrawal/consent-given", []),
    # --- public_disclosure
    ("Anything you write in the comments section can be read and collected by other visitors.",
     "public_disclosure", "public_disclosure/visible-publication", ["PD-2"]),
    ("Reviews you choose to make public show your nickname.",
     "public_disclosure", "public_disclosure/visible-publication", ["PD-2"]),
    # --- consent_withdrawal
    ("You can disable location tracking in your phone settings at any time.",
     "consent_withdrawal", "consent_withdrawal/user-choice", []),
    ("If you do not wish to receive our newsletter, you can follow the link in any issue.",
     "consent_withdrawal", "consent_withdrawal/user-choice", []),
    ("You may ask us to stop sharing your details with our partners.",
     "consent_withdrawal", "consent_withdrawal/user-choice", []),
    ("Most browsers let you refuse or delete cookies through their settings.",
     "cookies_tracking", "cookies_tracking/manage", ["CK-2"]),
    ("You can opt out of the sale of your data by turning on the Global Privacy Control in your browser.",
     "consent_withdrawal", "consent_withdrawal/withdraw-consent", []),
    ("You can withdraw your consent to analytics cookies at any time in the cookie banner.",
     "consent_withdrawal", "consent_withdrawal/withdraw-consent", []),
    ("You can revoke the camera permission at any time in your device settings.",
     "consent_withdrawal", "consent_withdrawal/permission-off", ["CW-2"]),
    # --- individual_rights
    ("Account details can be modified by logging in to your profile page.",
     "individual_rights", "individual_rights/path", ["IR-2"]),
    ("You have the right to obtain a free copy of the data we hold about you.",
     "individual_rights", "individual_rights/right-to-copy", ["IR-1"]),
    ("You can check and correct your contact details in the app.",
     "individual_rights", "individual_rights/you-can-act", ["IR-1"]),
    # --- automated_decisions_marketing
    ("We use your purchase history to show you ads for related products.",
     "automated_decisions_marketing", "automated_decisions_marketing/marketing", []),
    ("Advertisements may be directed to you based on your general location.",
     "automated_decisions_marketing", "automated_decisions_marketing/marketing", []),
    # --- security_measures
    ("We take reasonable and feasible measures to protect your personal information.",
     "security_measures", "security_measures/protect-against", ["SM-1"]),
    ("Our systems are monitored to prevent data leakage and malicious attacks.",
     "security_measures", "security_measures/protect-against", ["SM-1"]),
    ("Any transmission of personal information over the internet is at your own risk.",
     "security_measures", "security_measures/no-guarantee", ["SM-4"]),
    # --- pi_categories: lead-ins that announce the kinds of data
    ("When you create an account, the personal information we collect may include:",
     "pi_categories", "pi_categories/collect-types", ["PC-1"]),
    ("The data that Fabrikam gathers consists of your contact details and order history.",
     "pi_categories", "pi_categories/collect-types", ["PC-1"]),
    ("We collect three kinds of information from visitors.",
     "pi_categories", "pi_categories/collect-types", ["PC-1"]),
    ("For orders, your card number and billing address are required.",
     "pi_categories", "pi_categories/collect-types", ["PC-1"]),
    # --- sharing_third_parties: other ways of saying "provide to"
    ("We make certain account details available to our marketing partners.",
     "sharing_third_parties", "sharing_third_parties/provide-to-third-parties", []),
    ("We provide these companies only with the data they need to deliver your parcel.",
     "sharing_third_parties", "sharing_third_parties/provide-to-third-parties", []),
    # --- policy_accessibility: dates, reading reminders and the policy's place among other documents
    ("Updated in this version: March 3, 2023",
     "policy_accessibility", "policy_accessibility/dates", []),
    ("Please carefully read and fully understand every part of this policy before you register.",
     "policy_accessibility", "policy_accessibility/readability", []),
    ("This notice is an integral part of the Fabrikam Cloud Terms of Service Agreement.",
     "policy_accessibility", "policy_accessibility/part-of-agreement", []),
    ("The product guides and this policy together constitute the complete privacy policy of the service.",
     "policy_accessibility", "policy_accessibility/part-of-agreement", []),
    # --- individual_rights: checking who asks, and the right to an explanation
    ("We may need to verify your identity before we act on your request.",
     "individual_rights", "individual_rights/verify-request", []),
    ("Where such a decision affects you significantly, you have the right to ask us to explain it.",
     "individual_rights", "individual_rights/you-can-act", ["IR-1"]),
    # --- account_deletion and sensitive_pi: other names for the account and for card data
    ("To have your member profile deactivated, write to our customer service team.",
     "account_deletion", "account_deletion/delete-account-window", ["AD-1"]),
    ("Debit card or bank details are needed for refunds.",
     "sensitive_pi", "sensitive_pi/sensitive-mention", []),
    # --- complaint_channel: complaints addressed to a mailbox
    ("If the user has any complaints about the service, please write to our customer service mailbox: help@example.com.",
     "complaint_channel", "complaint_channel/complaint", ["CC-1"]),
    # --- minors: an age gate above 18
    ("No one under the age of 21 may sign up for our wine club emails.",
     "minors", "minors/other-age", []),
    # --- policy_changes: checking back for a newer version
    ("Please review this policy from time to time so that you know of any updates.",
     "policy_changes", "policy_changes/check-back", []),
    ("We suggest that you check this page periodically.",
     "policy_changes", "policy_changes/check-back", []),
]

# (sentence, topic that must NOT be found)
NEGATIVE = [
    # a commission is also a fee
    ("We may share your booking details with that partner so it can receive commissions.", "entrusted_processing"),
    # the time to answer a rights request is the rights' matter, not the complaint channel's
    ("After verifying your identity, we will reply to your request within 15 working days.", "complaint_channel"),
    # refusing cookies in the browser is managing cookies, not withdrawing a consent
    ("Most browsers let you refuse or delete cookies through their settings.", "consent_withdrawal"),
    ("You can opt out of interest-based cookies by changing your browser settings at any time.", "consent_withdrawal"),
    # a paid membership or a profile picture is not the account; accepting cards collects no card data yet
    ("You can cancel your membership at any time.", "account_deletion"),
    ("Delete your user profile picture in the settings.", "account_deletion"),
    ("We accept credit cards and PayPal.", "sensitive_pi"),
    # what withdrawing consent leaves untouched is the withdrawal's matter, not a refusal's cost
    ("Withdrawing your consent will not affect processing carried out before the withdrawal.", "purposes_and_use"),
    # a login check is security, not a rights request
    ("Before we change your password, we verify your identity by text message.", "individual_rights"),
    # public disclosure, the kinds of processing, goods traded and an SDK's own collection name no recipient
    ("We will not disclose your personal data publicly unless the law requires it.", "sharing_third_parties"),
    ("If we collect, store, use, transfer or disclose your personal information in breach of the law, "
     "you may ask us to delete it.", "sharing_third_parties"),
    ("The payment record lists the trading products and service information.", "sharing_third_parties"),
    ("The maps SDK may obtain your location to show nearby stores.", "sharing_third_parties"),
    # a number of days or months is a deadline or a period, not an age
    ("We will reply to your request in less than 15 working days.", "minors"),
    ("We keep server logs for at least 18 months.", "minors"),
    # making the app available, or telling customers about products, provides no one with PI
    ("We make the app available to users in many countries.", "sharing_third_parties"),
    ("We provide our customers with information about new products.", "sharing_third_parties"),
    # a risk the user takes on another site says nothing of our security
    ("You use third-party websites at your own risk.", "security_measures"),
    # reviewing one's own data is a right, not a check for a new version
    ("You can review the data we hold about you at any time.", "policy_changes"),
    # a feature named in a list of services is not public posting
    ("We use your details to let you renew subscriptions and take part in polls and message boards.",
     "public_disclosure"),
    # advertisers named as recipients are not marketing by themselves
    ("We share aggregate statistics with advertisers.", "automated_decisions_marketing"),
    # "your choice of language" is not a consent choice
    ("A cookie may remember your choice of language.", "consent_withdrawal"),
    # disagreeing with the policy is not withdrawing consent under this rule
    ("If you do not agree to these terms, please do not use the site.", "individual_rights"),
    # preserving information for a legal request is not a retention period
    ("We may access, preserve and disclose information if the law requires us to do so.", "retention"),
    # reviewing the policy is not a right of access
    ("We will post a notice so that you may review the updated policy.", "individual_rights"),
    # a business transfer is not portability
    ("We may transfer your information to another company in a merger.", "individual_rights"),
    # information collected through the service, kept secure: not a collection method
    ("We protect the information collected through the service with encryption.", "purposes_and_use"),
    # an advertiser's cookie is a tracker, not a provision of data
    ("Our advertising partners may place or read a \"cookie\" on your browser.", "sharing_third_parties"),
    # a harm that security measures prevent is not a public disclosure
    ("We use encryption to prevent your data from being leaked, altered or publicly disclosed.", "public_disclosure"),
    # collecting from a child is the minors rule's matter; cookies are trackers, not a category of PI
    ("If we learn that we have collected personal information from a child under the age of 14, we will delete it.", "pi_categories"),
    ("We store the information that we collect through cookies on our own servers.", "pi_categories"),
    # an authorization one gives is not withdrawn by "you agree to the terms"
    ("You agree to the terms of service when you register.", "consent_withdrawal"),
    # a question left open, a login by email, hashtags and friends helping us are none of these topics
    ("Some questions remain unresolved in the literature.", "complaint_channel"),
    ("You can register with your email address and a password.", "third_party_sdk_list"),
    ("Add a hashtag to your post so that others can find it.", "security_measures"),
    ("Your friends can help us improve the app by sending feedback.", "entrusted_processing"),
    ("The death of a family member can change what you need from your bank.", "deceased_persons_rights"),
    ("This setting allows for two-factor sign-in.", "purposes_and_use"),
    # the ID number of a phone or a cookie identifies no one's documents
    ("We store the unique ID number of your phone.", "sensitive_pi"),
    ("The advertiser matches its cookie ID number to the clear gif.", "sensitive_pi"),
    # trade names, and staff given access, are no provision to third parties
    ("We sell our products under several brand names.", "sharing_third_parties"),
    ("Only trained employees are granted access to your records.", "sharing_third_parties"),
    # data already public, named in an exception to consent, is no category the service collects
    ("We may collect personal information from lawfully public information, such as news reports.", "pi_categories"),
    # a public document, a public holiday, and what only you can see are not your data made public
    ("Our list of service providers is public and can be downloaded.", "public_disclosure"),
    ("Public holidays are shown on the calendar page.", "public_disclosure"),
    ("Only you can see your saved items.", "public_disclosure"),
    ("We publish this privacy policy on our website.", "public_disclosure"),
    # our own reserved rights, and a complaint to an authority, are not rights over one's data
    ("We reserve the right to suspend accounts that break these rules.", "individual_rights"),
    ("You have the right to lodge a complaint with your local supervisory authority.", "individual_rights"),
    # a check of our staff names no sensitive data of the user
    ("All of our staff pass background checks before they start.", "sensitive_pi"),
    # an account of our own is no third-party login
    ("If you sign in using your Northwind account, you can see past orders.", "third_party_sdk_list"),
    # what we do with what we collect is not a list of what we collect
    ("We use the information we collect to:", "pi_categories"),
    ("We may share the information we collect as follows:", "pi_categories"),
    # the standards that laws require of security name no legal basis for processing
    ("We meet the standards required by relevant laws and regulations.", "legal_basis_exceptions"),
    ("We will not call you on Sundays.", "security_measures"),
    # a period alone, outside a section on retention, says nothing of keeping data
    ("Up to 14 months", "retention"),
    # an exception to consent for legal proceedings is no complaint channel
    ("We may share data where it is directly related to litigation, arbitration or enforcement.", "complaint_channel"),
    ("Your settings decide which details are shared with other members.", "sharing_third_parties"),
]


def _document(sentences):
    b = TextBuilder()
    spans = [b.add("paragraph", s) for s in sentences]
    return Document(path="t", format="txt", text=b.text(), blocks=tuple(b.blocks), sha256="",
                    lang="en"), spans


@lru_cache(maxsize=None)
def _batch(sentences):
    """Every sentence as its own paragraph, no headings or lists: no context is lent."""
    document, spans = _document(sentences)
    analysis = analyze(document)
    out = {}
    for sentence, block in zip(sentences, spans):
        found: dict[str, list] = {}
        for f in analysis.findings:
            if block.start <= f.start < block.end:
                found.setdefault(f.topic, []).append(f)
        out[sentence] = found
    return out


def detect(sentence):
    pool = tuple(dict.fromkeys([s for s, *_ in POSITIVE] + [s for s, _ in NEGATIVE]))
    return _batch(pool)[sentence]


@lru_cache(maxsize=None)
def _rule_alone(rule_id):
    """The ruleset cut down to one rule, under its own digest (detectors are cached by digest)."""
    ruleset = load_ruleset()
    rules = tuple(r for r in ruleset.rules if r.id == rule_id)
    assert rules, f"no rule {rule_id}"
    info = replace(ruleset.info, sha256=f"{ruleset.info.sha256}:{rule_id}")
    return replace(ruleset, rules=rules, info=info)


@lru_cache(maxsize=None)
def _found_by_rule(rule_id):
    """The sentences of POSITIVE that ``rule_id`` finds on its own."""
    sentences = tuple(s for s, _, r, _ in POSITIVE if r == rule_id)
    document, spans = _document(sentences)
    analysis = analyze(document, _rule_alone(rule_id))
    return {s for s, block in zip(sentences, spans)
            if any(block.start <= f.start < block.end and f.rule == rule_id for f in analysis.findings)}


@pytest.mark.parametrize("sentence, topic, rule, items", POSITIVE,
                         ids=[f"{t}-{i}" for i, (_, t, _, _) in enumerate(POSITIVE)])
def test_clause_is_found(sentence, topic, rule, items):
    found = detect(sentence)
    assert topic in found, f"{topic} not found in {sentence!r}; found {sorted(found)}"
    assert sentence in _found_by_rule(rule), f"{rule} alone does not find {sentence!r}"
    got = {i.split("#")[1] for f in found[topic] for i in f.items}
    missing = set(items) - got
    assert not missing, f"{sorted(missing)} not among {sorted(got)} for {sentence!r}"


@pytest.mark.parametrize("sentence, topic", NEGATIVE,
                         ids=[f"not-{t}-{i}" for i, (_, t) in enumerate(NEGATIVE)])
def test_near_miss_is_not_found(sentence, topic):
    found = detect(sentence)
    assert topic not in found, f"{topic} wrongly found in {sentence!r} by {found[topic][0].rule}"


def test_public_features_count_under_a_public_posting_heading():
    text = "Members can take part in our discussion forums."
    alone = analyse_text([("paragraph", text)], "en")
    assert not [f for f in alone.findings if f.topic == "public_disclosure"]
    under = analyse_text([("heading", "Public forums and user-generated content"), ("paragraph", text)], "en")
    assert [f for f in under.findings if f.topic == "public_disclosure" and text in f.text]


def test_marketing_words_count_under_a_marketing_heading():
    text = "We work with a small number of advertisers."
    alone = analyse_text([("paragraph", text)], "en")
    assert not [f for f in alone.findings if f.topic == "automated_decisions_marketing"]
    under = analyse_text([("heading", "Advertising"), ("paragraph", text)], "en")
    assert [f for f in under.findings if f.topic == "automated_decisions_marketing" and text in f.text]


def test_a_third_party_cookies_heading_is_not_a_sharing_section():
    text = "Some third parties we work with may also read these identifiers."
    under_cookies = analyse_text([("heading", "Third-Party Cookies"), ("paragraph", text)], "en")
    assert not [f for f in under_cookies.findings if f.topic == "sharing_third_parties" and text in f.text]
    under_sharing = analyse_text([("heading", "Sharing with third parties"), ("paragraph", text)], "en")
    assert [f for f in under_sharing.findings if f.topic == "sharing_third_parties" and text in f.text]


def test_an_advertisers_cookie_in_a_sharing_section_is_not_a_provision():
    heading = ("heading", "Sharing with third parties")
    cookie = "Our advertisers may also see which pages carry their ads."
    assert not [f for f in analyse_text([heading, ("paragraph", cookie)], "en").findings
                if f.topic == "sharing_third_parties" and cookie in f.text]
    plain = "Our advertisers may also see which pages you read."
    assert [f for f in analyse_text([heading, ("paragraph", plain)], "en").findings
            if f.topic == "sharing_third_parties" and plain in f.text]


def test_withdrawal_choice_is_not_consent_to_the_policy():
    """Asking us to stop sharing is a choice; no condition is set by it."""
    found = detect("You may ask us to stop sharing your details with our partners.")
    assert not found["consent_withdrawal"][0].negated


def test_securities_and_social_security_are_not_data_security():
    heading = ("heading", "How we protect your personal information")
    finance = "We may provide your information to securities companies and social security institutions."
    under = analyse_text([heading, ("paragraph", finance)], "en")
    assert "security_measures" not in {f.topic for f in under.findings if f.text == finance}
    safe = "Access to the servers is limited, and their security is reviewed every year."
    under = analyse_text([heading, ("paragraph", safe)], "en")
    assert "security_measures" in {f.topic for f in under.findings if f.text == safe}


def test_a_use_limit_counts_as_entrusted_processing_under_a_service_provider_heading():
    text = "They are not authorized to use your information for any other purpose."
    alone = analyse_text([("paragraph", text)], "en")
    assert not [f for f in alone.findings if f.topic == "entrusted_processing"]
    under = analyse_text([("heading", "Service providers"), ("paragraph", text)], "en")
    found = [f for f in under.findings if f.topic == "entrusted_processing" and text in f.text]
    assert [f.rule for f in found] == ["entrusted_processing/use-limited"]
    assert "entrusted_processing#EP-2" in found[0].items


def test_items_of_a_data_list_inherit_its_lead_in():
    lead = "When you buy a ticket, the personal information we collect may include:"
    items = ["Full name,", "Seat preference,", "Your computer's IP address"]
    analysis = analyse_text([("paragraph", lead)] + [("list_item", t) for t in items], "en")
    rules = {f.rule for f in analysis.findings if f.topic == "pi_categories"}
    assert "pi_categories/collect-types" in rules
    for item in items:
        assert [f for f in analysis.findings if f.topic == "pi_categories" and f.text.strip() == item.strip()
                and not f.rule.startswith("classifier/")], item


def test_disclose_under_a_public_disclosure_heading_is_not_a_provision():
    text = "We will only disclose your personal information in the following circumstances:"
    top = ("heading", "How we share, transfer and publicly disclose your personal information")
    public = analyse_text([top, ("heading", "3. Public disclosure"), ("paragraph", text)], "en")
    assert not [f for f in public.findings if f.topic == "sharing_third_parties" and text in f.text]
    assert [f for f in public.findings if f.topic == "public_disclosure" and text in f.text]
    sharing = analyse_text([top, ("heading", "1. Sharing"), ("paragraph", text)], "en")
    assert [f for f in sharing.findings if f.topic == "sharing_third_parties" and text in f.text]


def test_a_bare_period_counts_in_a_section_on_retention():
    cell = "Up to 14 months"
    under = analyse_text([("heading", "How long we keep your data"), ("paragraph", cell)], "en")
    assert [f for f in under.findings if f.topic == "retention" and f.text == cell]
