
import pytest

from reviewer.core.document import LoadError
from reviewer.core.loaders import load

ZH = "一、我们如何收集和使用您的个人信息\n我们会按照法律规定保存您的个人信息，保存期限为六个月。\n如您对本隐私政策有任何疑问，请联系我们。\n"


def test_utf8_lf_text_is_the_file_content(fixtures):
    path = fixtures / "benewake.txt"
    doc = load(path)
    assert doc.text == path.read_text(encoding="utf-8")
    assert doc.format == "txt" and doc.lang == "en"
    assert len(doc.sha256) == 64
    for block in doc.blocks:
        assert doc.text[block.start:block.end] == block.text


@pytest.mark.parametrize("encoding", ["gb18030", "gbk", "big5", "utf-16", "utf-8-sig", "utf-16-le"])
def test_chinese_encodings(tmp_path, encoding):
    text = ZH if encoding != "big5" else "我們如何收集和使用您的個人資訊。如您對本隱私政策有任何疑問，請聯繫我們。\n"
    path = tmp_path / f"policy-{encoding}.txt"
    path.write_bytes(text.encode(encoding))
    doc = load(path)
    assert doc.text == text
    assert doc.lang == "zh"


def test_gb18030_is_not_taken_for_latin1(tmp_path):
    path = tmp_path / "gb.txt"
    path.write_bytes(("Privacy Policy 隐私政策\n" + ZH * 3).encode("gb18030"))
    doc = load(path)
    assert "隐私政策" in doc.text
    assert any("GB18030" in w for w in doc.warnings)


def test_crlf_is_normalised(tmp_path):
    path = tmp_path / "crlf.txt"
    path.write_bytes(b"Privacy Policy\r\n\r\nWe keep data for 6 months.\r\n")
    assert load(path).text == "Privacy Policy\n\nWe keep data for 6 months.\n"


@pytest.mark.parametrize("content,message", [
    (b"", "empty"),
    (b"   \n\t\n  ", "whitespace"),
    (bytes(range(256)) * 40, "not a text file"),
])
def test_bad_text_files(tmp_path, content, message):
    path = tmp_path / "bad.txt"
    path.write_bytes(content)
    with pytest.raises(LoadError, match=message):
        load(path)
    assert path.read_bytes() == content


def test_nul_bytes_are_removed_with_a_warning(tmp_path):
    path = tmp_path / "nul.txt"
    path.write_bytes(b"We retain data\x00 for six months. " * 20)
    doc = load(path)
    assert "\x00" not in doc.text
    assert any("NUL" in w for w in doc.warnings)


def test_missing_file_and_folder(tmp_path):
    with pytest.raises(LoadError, match="not found"):
        load(tmp_path / "nope.txt")
    folder = tmp_path / "folder.txt"
    folder.mkdir()
    with pytest.raises(LoadError, match="folder"):
        load(folder)


def test_unsupported_extension(tmp_path):
    path = tmp_path / "policy.xyz"
    path.write_text("hello")
    with pytest.raises(LoadError, match="unsupported file type"):
        load(path)


def test_hard_wrapped_paragraphs_are_joined(tmp_path):
    line = "We collect your name, phone number and email address when you register an"
    path = tmp_path / "wrapped.txt"
    path.write_text(f"{line}\naccount with us.\n\n1. Retention\n\n" + f"{line}\n" * 6)
    doc = load(path)
    assert doc.blocks[0].text == f"{line}\naccount with us."
    assert doc.blocks[1].text == "1. Retention"


def test_unwrapped_lines_stay_separate(tmp_path):
    path = tmp_path / "lines.txt"
    long = "We collect your name, phone number and email address when you register. " * 3
    path.write_text(f"{long}\nHeadquarters: 3rd Floor, Haiguo Jiaye Sci-Tech Park, Haidian District\n"
                    f"Leave a message\n{long}\n{long}\n")
    doc = load(path)
    assert [b.text for b in doc.blocks][1:3] == [
        "Headquarters: 3rd Floor, Haiguo Jiaye Sci-Tech Park, Haidian District", "Leave a message"]


def test_numbered_short_lines_are_heading_blocks(tmp_path):
    path = tmp_path / "policy.txt"
    path.write_text("Privacy Policy\n\n2. How We Store Your Personal Information\n\n"
                    "We store data in China.\n\n二、我们如何共享您的个人信息\n\n1. Email: privacy@example.com\n",
                    encoding="utf-8")
    kinds = {b.text: b.kind for b in load(path).blocks}
    assert kinds["2. How We Store Your Personal Information"] == "heading"
    assert kinds["二、我们如何共享您的个人信息"] == "heading"
    assert kinds["We store data in China."] == "paragraph"
    assert kinds["1. Email: privacy@example.com"] == "paragraph"


def test_unnumbered_capitalised_line_over_its_body_is_a_heading(tmp_path):
    path = tmp_path / "policy.txt"
    path.write_text("We respect your privacy.\n\nYOUR CHOICES\nYou may opt out of marketing e-mails at any time.\n\n"
                    "Your California Privacy Rights\nCalifornia residents may ask which data we disclosed.\n\n"
                    "Account Registration and Login\n\nName and phone number.\n\n"
                    "Leave a message\nWe reply within a day.\n", encoding="utf-8")
    kinds = {b.text: b.kind for b in load(path).blocks}
    assert kinds["YOUR CHOICES"] == "heading"
    assert kinds["Your California Privacy Rights"] == "heading"
    # a table cell set apart by blank lines, and a line that is not capitalised, stay paragraphs
    assert kinds["Account Registration and Login"] == "paragraph"
    assert kinds["Leave a message"] == "paragraph"
    assert kinds["You may opt out of marketing e-mails at any time."] == "paragraph"
    # the first line of the file, and a body line that is indented
    path.write_text("PRIVACY NOTICE\n   We collect your name.\n", encoding="utf-8")
    assert [b.kind for b in load(path).blocks] == ["heading", "paragraph"]
    # a date line over the text is a line of its own, not a heading
    path.write_text("Acme Privacy Policy\n\nLast Updated: January 26, 2022\nThis policy explains what we collect.\n\n"
                    "Section 3: Your Rights\nYou may ask for a copy of your data.\n", encoding="utf-8")
    kinds = {b.text: b.kind for b in load(path).blocks}
    assert kinds["Last Updated: January 26, 2022"] == "paragraph"
    assert kinds["Section 3: Your Rights"] == "heading"


def test_title_is_a_short_line_near_the_top_not_a_sentence(tmp_path, fixtures):
    assert load(fixtures / "benewake.txt").title == "Privacy Policy of Benewake"
    path = tmp_path / "zh.txt"
    path.write_text("尊敬的用户，我们对本政策进行了更新。\n最近更新日期：2024年1月1日\n\n某某科技隐私政策\n\n一、我们如何收集信息\n",
                    encoding="utf-8")
    assert load(path).title == "某某科技隐私政策"
    path.write_text("我们会收集您的信息。\n更新日期：2024年1月1日\n", encoding="utf-8")
    assert load(path).title is None
