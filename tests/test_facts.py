"""Facts: names, contacts, dates, periods, deadlines, third parties and PI
categories, on the shared policies and on Chinese sentences."""
from functools import lru_cache
from pathlib import Path

import pytest

from reviewer.core.document import Document, TextBuilder
from reviewer.core.facts import extract_facts
from reviewer.core.loaders import load
from reviewer.core.rules import load_ruleset

FIXTURES = Path(__file__).parent / "fixtures"


def _document(paragraphs, lang: str = "zh") -> Document:
    b = TextBuilder()
    for text in ([paragraphs] if isinstance(paragraphs, str) else paragraphs):
        b.add("paragraph", text)
    return Document(path="t", format="txt", text=b.text(), blocks=tuple(b.blocks), sha256="",
                    lang=lang)


def _facts(paragraphs, lang: str = "zh", kind: str | None = None):
    found = extract_facts(_document(paragraphs, lang), load_ruleset())
    return [f for f in found if kind is None or f.kind == kind]


@lru_cache(maxsize=None)
def _shared(name: str):
    doc = load(FIXTURES / f"{name}.txt")
    return doc, extract_facts(doc, load_ruleset())


def _values(name: str, kind: str) -> list[str]:
    return [f.value for f in _shared(name)[1] if f.kind == kind]


def test_offsets_point_into_the_text():
    for name in ("benewake", "bench3d", "baiinfo"):
        doc, found = _shared(name)
        for f in found:
            if f.kind in ("processor_name", "email", "phone", "address", "date", "effective_date",
                          "updated_date", "retention_period", "deadline"):
                assert " ".join(doc.text[f.start:f.end].split()) == f.value, f


# ---------------------------------------------------------------- names

def test_processor_names_on_shared_policies():
    assert _values("benewake", "processor_name")[0] == "Benewake (Beijing) Co., Ltd."
    assert _values("bench3d", "processor_name")[0] == "Beijing Jinghai Technology Co., Ltd."
    assert _values("baiinfo", "processor_name")[0] == "BAI CHUAN INFO CO LTD."


def test_chinese_processor_names():
    names = [f.value for f in _facts("本政策由深圳市示例网络科技有限公司（以下简称“我们”）制定。",
                                     kind="processor_name")]
    assert names == ["深圳市示例网络科技有限公司"]
    names = [f.value for f in _facts("杭州示例科技有限公司及其关联公司北京示例信息技术有限公司共同运营本服务。",
                                     kind="processor_name")]
    assert names == ["杭州示例科技有限公司", "北京示例信息技术有限公司"]
    placeholder = _facts("本应用由XX科技有限公司运营。", kind="processor_name")
    assert placeholder and placeholder[0].detail.get("placeholder")
    # generic words are not names
    assert not _facts("我们可能会与关联公司及其他有限公司共享信息。", kind="processor_name")


# ---------------------------------------------------------------- contacts

def test_emails():
    assert _values("baiinfo", "email") == ["bxj@baiinfo.com"]
    found = _facts("如有疑问，请发送邮件至privacy@example.cn，或访问https://www.example.cn。", kind="email")
    assert [f.value for f in found] == ["privacy@example.cn"]


def test_phones():
    assert _values("benewake", "phone") == ["400-880-9610", "+86 10 5745 6983", "+86 10 5745 6983"]
    assert _values("baiinfo", "phone") == ["+86 139 1021 1072"]
    found = _facts("请拨打客服电话400-123-4567，也可致电0755-86013388，或发送短信至13812345678。",
                   kind="phone")
    assert [f.value for f in found] == ["400-123-4567", "0755-86013388", "13812345678"]
    # dates, order numbers and version numbers are not phone numbers
    assert not _facts("订单号20230510123456789，版本号1.2.3，更新于2023-05-10。", kind="phone")


def test_addresses_stop_where_the_address_ends():
    benewake = _values("benewake", "address")
    assert benewake[0] == ("3F-3030, No.6 Chuangye Road, Shangdi Information Industry Base, "
                           "Haidian District, Beijing")  # not ") and its affiliates"
    assert "3rd Floor, Haiguo Jiaye Sci-Tech Park, Haidian District, Beijing, China" in benewake
    assert _values("bench3d", "address")[0] == (
        "J582, 4th Floor, Block G, Zhongguancun Zhizao Street, No. 45 Chengfu Road, "
        "Haidian District, Beijing, PRC")
    baiinfo = [f for f in _shared("baiinfo")[1] if f.kind == "address"]
    assert baiinfo[0].value == ("501A, 5th Floor, Air Service Bld., Building 2, No. 39, "
                                "Dongzhimenwai Street, Dongcheng District, Beijing")
    assert baiinfo[0].detail["postcode"] == "100028"


def test_chinese_address():
    found = _facts("注册地址：广东省深圳市南山区科技园路1号示例大厦10层，邮编：518000。", kind="address")
    assert [f.value for f in found] == ["广东省深圳市南山区科技园路1号示例大厦10层"]
    assert found[0].detail["postcode"] == "518000"
    # an e-mail or IP address is not a postal address
    assert not _facts("IP地址：192.168.1.1；邮箱地址：a@example.cn", kind="address")


# ---------------------------------------------------------------- dates

def _dates(paragraphs, lang="zh"):
    return [(f.kind, f.value, bool(f.detail.get("placeholder"))) for f in _facts(paragraphs, lang)
            if f.kind in ("date", "effective_date", "updated_date")]


def test_dates_on_shared_policies():
    assert [(f.kind, f.value, f.detail) for f in _shared("benewake")[1] if "date" in f.kind] == [
        ("updated_date", "Day Month 2022", {"placeholder": True})]
    assert not [f for f in _shared("bench3d")[1] if "date" in f.kind]
    assert [(f.kind, f.value, f.detail) for f in _shared("baiinfo")[1] if "date" in f.kind] == [
        ("updated_date", "Feb. 8, 2025", {}), ("effective_date", "Feb. 8, 2025", {})]


@pytest.mark.parametrize("text, expected", [
    ("更新日期：2023年5月10日", [("updated_date", "2023年5月10日", False)]),
    ("本政策自2023年6月1日起生效。", [("effective_date", "2023年6月1日", False)]),
    ("生效日期：XXXX年XX月XX日", [("effective_date", "XXXX年XX月XX日", True)]),
    ("本政策于2022年【 】月【 】日生效。", [("effective_date", "2022年【 】月【 】日", True)]),
    ("版本生效日期：2022年【11】月【29】日", [("effective_date", "2022年【11】月【29】日", False)]),
    ("更新日期：【2021】年【11】月【1】日", [("updated_date", "【2021】年【11】月【1】日", False)]),
])
def test_chinese_dates(text, expected):
    assert _dates(text) == expected


def test_english_dates():
    assert _dates("Effective date: 1 March 2023", "en") == [("effective_date", "1 March 2023", False)]
    assert _dates("Last updated: [Insert date]", "en") == [("updated_date", "[Insert date]", True)]
    assert _dates("Last revised: DD/MM/YYYY", "en") == [("updated_date", "DD/MM/YYYY", True)]


# ---------------------------------------------------------------- periods and deadlines

def test_retention_periods():
    assert [(f.value, f.detail) for f in _shared("baiinfo")[1] if f.kind == "retention_period"] == [
        ("at least three years", {"days": 1095, "qualifier": "min"})]
    found = _facts("日志信息我们将保存6个月，账号信息保存不少于三年。", kind="retention_period")
    assert [(f.value, f.detail) for f in found] == [
        ("6个月", {"days": 180}), ("不少于三年", {"days": 1095, "qualifier": "min"})]
    found = _facts("We retain server logs for no more than 90 days.", "en", kind="retention_period")
    assert [(f.value, f.detail) for f in found] == [
        ("no more than 90 days", {"days": 90, "qualifier": "max"})]
    # a period outside a storage sentence is not a retention period
    assert not _facts("活动持续3个月。", kind="retention_period")


def test_deadlines():
    assert [(f.value, f.detail) for f in _shared("benewake")[1] if f.kind == "deadline"] == [
        ("within fifteen (15) days", {"days": 15, "working": False})]
    assert [(f.value, f.detail) for f in _shared("bench3d")[1] if f.kind == "deadline"] == [
        ("within fifteen working days", {"days": 15, "working": True})]
    assert {f.value for f in _shared("baiinfo")[1] if f.kind == "deadline"} == {"within 10 working days"}
    found = _facts("我们将在十五个工作日内答复您的请求，并在30天内完成处理，最迟不超过一个月。",
                   kind="deadline")
    assert [(f.value, f.detail) for f in found] == [
        ("十五个工作日内", {"days": 15, "working": True}),
        ("30天内", {"days": 30, "working": False}),
        ("不超过一个月", {"days": 30, "working": False})]
    found = _facts("We will respond within 15 working days.", "en", kind="deadline")
    assert [(f.value, f.detail) for f in found] == [
        ("within 15 working days", {"days": 15, "working": True})]
    found = _facts("Please allow thirty days for a response.", "en", kind="deadline")
    assert [(f.value, f.detail) for f in found] == [("allow thirty days", {"days": 30, "working": False})]
    # a month of the year and a stored period are not deadlines
    assert not _facts("我们将在3月内完成系统升级。", kind="deadline")
    assert not _facts("日志信息保存6个月。", kind="deadline")
    # a bounded storage period is a retention period only
    for text, lang in (("Your data is kept for not more than six months after you close your account.", "en"),
                       ("注销账号后，您的信息将保存不超过六个月。", "zh")):
        assert not _facts(text, lang, kind="deadline"), text
        assert _facts(text, lang, kind="retention_period"), text


# ---------------------------------------------------------------- third parties

def test_third_parties_and_sdks():
    found = _facts("我们接入了友盟SDK和高德地图SDK，详见www.umeng.com。您也可以使用微信账号登录。",
                   kind="third_party")
    assert [(f.value, bool(f.detail.get("sdk"))) for f in found] == [
        ("Umeng", True), ("Amap", True), ("WeChat", False)]
    # "微博" inside "新浪微博" is one mention
    assert [f.value for f in _facts("您可以分享至新浪微博。", kind="third_party")] == ["Sina Weibo"]
    # a name inside an e-mail address or URL is not a recipient
    assert not _facts("Visit https://www.google.com or write to privacy@baidu.com.", "en",
                      kind="third_party")
    found = _facts("We use Google Analytics and the JPush SDK.", "en", kind="third_party")
    assert [f.value for f in found] == ["Google", "JPush"]
    assert {f.value for f in _shared("benewake")[1] if f.kind == "third_party"} == {"WeChat"}
    # vendors and tools that US and European policies name
    found = _facts("Payments go through Stripe or PayPal; our app embeds Mixpanel.", "en", kind="third_party")
    assert [(f.value, bool(f.detail.get("sdk"))) for f in found] == [
        ("Stripe", False), ("PayPal", False), ("Mixpanel", True)]


# ---------------------------------------------------------------- PI categories

def _categories(paragraphs, lang="zh"):
    return [(f.value, bool(f.detail.get("sensitive")), f.detail.get("mention"))
            for f in _facts(paragraphs, lang, kind="pi_category")]


def test_sensitive_categories_marked():
    assert _categories("我们会收集您的身份证号码和人脸信息。") == [
        ("ID number", True, None), ("biometrics", True, None)]
    assert _categories("我们会收集您的设备型号、IMEI和精准定位信息。") == [
        ("device information", False, None), ("device information", False, None),
        ("precise location", True, None)]
    # location as such is not sensitive (GB/T 35273 Annex B names precise location and whereabouts)
    assert _categories("我们会收集您的位置信息。") == [("location", False, None)]
    assert _categories("We collect your precise geolocation.", "en") == [("precise location", True, None)]


def test_definitions_and_negations_are_not_processing():
    found = _categories("敏感个人信息包括生物识别、宗教信仰、特定身份、医疗健康、金融账户、行踪轨迹等信息。")
    assert found and all(not sensitive and mention == "definition" for _, sensitive, mention in found)
    assert _categories("我们不会收集您的通讯录。") == [("contacts", False, "negated")]
    assert _categories("We do not collect your fingerprint.", "en") == [("biometrics", False, "negated")]
    assert _categories("We derive your approximate city, but never your precise location.", "en")[-1] == \
        ("precise location", False, "negated")
    assert _categories("我们会获取您的大致位置，但不包括精确位置。")[-1] == ("precise location", False, "negated")


def test_the_health_of_a_vehicle_is_not_health_data():
    assert _categories("We collect diagnostic and health data, such as odometer readings and tire pressure.", "en") == []
    assert _categories("We collect vehicle health data and your email address.", "en") == [("email address", False, None)]
    assert _categories("We collect your health data, such as your heart rate.", "en") == [("health data", True, None)]


def test_english_categories():
    found = _categories("We collect your e-mail address, phone numbers and your mobile device's unique ID number.", "en")
    assert found == [("email address", False, None), ("phone number", False, None),
                     ("device information", False, None)]
    sensitive = [(f.value, f.detail) for f in _shared("bench3d")[1]
                 if f.kind == "pi_category" and f.detail.get("sensitive")]
    assert ("financial account", {"label": "financial account", "sensitive": True}) in sensitive
    # bench3d's definition of sensitive PI lists categories without processing them
    definition = [f for f in _shared("bench3d")[1] if f.kind == "pi_category"
                  and f.detail.get("mention") == "definition"]
    assert {f.value for f in definition} >= {"biometrics", "religious beliefs", "health data"}


# ---------------------------------------------------------------- speed


