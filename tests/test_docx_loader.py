import re
import time
from pathlib import Path

import pytest

import make_docs
from reviewer.core.document import LoadError
from reviewer.core.loaders import Limits, load

FIXTURES = Path(__file__).parent / "fixtures"
POLICIES = ["benewake", "bench3d", "baiinfo"]


def kinds(doc, kind):
    return [b for b in doc.blocks if b.kind == kind]


def texts(doc):
    return [b.text for b in doc.blocks]


def assert_offsets(doc):
    for block in doc.blocks:
        assert doc.text[block.start:block.end] == block.text


@pytest.mark.parametrize("name", POLICIES)
def test_fixture_structure(name):
    doc = load(FIXTURES / f"{name}.docx")
    assert doc.format == "docx"
    assert doc.pages is None
    assert len(doc.sha256) == 64
    assert doc.lang == "en"
    assert doc.title.startswith("Privacy Policy")
    assert doc.blocks[0].kind == "heading" and doc.blocks[0].text == doc.title
    anchors = [b.anchor for b in doc.blocks]
    assert anchors[0] == 0
    assert all(a <= b for a, b in zip(anchors, anchors[1:]))
    levels = {b.level for b in kinds(doc, "heading")}
    assert {1, 2} <= levels
    assert all(b.level == 0 for b in doc.blocks if b.kind != "heading")
    assert not doc.warnings
    assert_offsets(doc)


@pytest.mark.parametrize("name", POLICIES)
def test_docx_text_matches_txt(name):
    # The .txt of each fixture was saved from the same policy; apart from
    # line breaks and blank lines the text is identical.
    doc = load(FIXTURES / f"{name}.docx")
    txt = (FIXTURES / f"{name}.txt").read_text(encoding="utf-8")
    assert re.sub(r"\s+", "", doc.text) == re.sub(r"\s+", "", txt)


def test_benewake_headings_and_order():
    doc = load(FIXTURES / "benewake.docx")
    headings = [(b.level, b.text) for b in kinds(doc, "heading")]
    assert (1, "Privacy Policy of Benewake") == headings[0]
    assert (1, "8.\u00a0Contact Us") in headings
    assert (2, "1.1\u00a0Collection and Use Scenarios for Personal Information") in headings
    position = {b.text: i for i, b in enumerate(doc.blocks)}
    scenarios = position["1.1\u00a0Collection and Use Scenarios for Personal Information"]
    cookies = position["1.2\u00a0How We Use Cookies and Similar Technologies"]
    cells = [i for i, b in enumerate(doc.blocks) if b.kind == "table_cell"]
    assert scenarios < cells[0] and cells[-1] < cookies


def test_benewake_table_cells():
    doc = load(FIXTURES / "benewake.docx")
    cells = kinds(doc, "table_cell")
    assert len(cells) == 21
    assert {b.table for b in cells} == {0}
    assert len({b.anchor for b in cells}) == 1
    assert [(b.row, b.col) for b in cells] == [(r, c) for r in range(7) for c in range(3)]
    assert [b.text for b in cells[:3]] == [
        "Business Scenario", "Collected personal information items", "Purpose of Collection and Use"]
    assert cells[3].text == "Account Registration and Login"
    assert cells[4].text.startswith("Name, phone number, password")
    registration = next(b for b in cells if b.row == 3 and b.col == 2)
    assert "\nWhen you register for an event on behalf of others" in registration.text


def test_nested_and_merged_tables(tmp_path):
    doc = load(make_docs.tables_docx(tmp_path / "tables.docx"))
    cells = {(b.table, b.row, b.col): b.text for b in kinds(doc, "table_cell")}
    assert cells[(0, 0, 0)] == "outer A"
    assert cells[(0, 1, 1)] == "holder text"
    assert cells[(1, 0, 0)] == "inner 00"
    assert cells[(1, 1, 1)] == "inner 11"
    assert cells[(2, 0, 0)] == "merged across"
    assert cells[(2, 1, 0)] == "merged down"
    assert cells[(2, 2, 2)] == "c2"
    assert doc.text.count("merged across") == 1
    assert doc.text.count("merged down") == 1
    order = texts(doc)
    assert order.index("holder text") < order.index("inner 00") < order.index("merged across")
    assert order[-1] == "After the tables."
    assert all(b.anchor == 2 for b in doc.blocks if b.table in (0, 1))
    assert all(b.anchor == 3 for b in doc.blocks if b.table == 2)
    assert_offsets(doc)


def test_tracked_changes_read_as_accepted(tmp_path):
    doc = load(make_docs.tracked_changes_docx(tmp_path / "tracked.docx"))
    assert "We keep your data for six months." in texts(doc)
    assert "New place sentence." in texts(doc)
    assert "ten years" not in doc.text
    assert "Old place sentence" not in doc.text
    assert doc.warnings == ("the document contains tracked changes; the accepted text was analysed",)


def test_text_box_follows_its_paragraph(tmp_path):
    doc = load(make_docs.text_box_docx(tmp_path / "box.docx"))
    assert texts(doc) == [
        "Contact",
        "Anchor paragraph. Anchor continues.",
        "Box sentence about the data protection officer.",
        "Closing paragraph.",
    ]
    assert doc.blocks[2].kind == "paragraph"
    assert doc.blocks[2].anchor == doc.blocks[1].anchor == 1


def test_headers_and_footers_ignored(tmp_path):
    doc = load(make_docs.header_footer_docx(tmp_path / "hf.docx"))
    assert "CONFIDENTIAL HEADER TEXT" not in doc.text
    assert "FOOTER PAGE TEXT" not in doc.text
    assert texts(doc) == ["Privacy Policy", "Body sentence."]


def test_numbering_and_outline_levels(tmp_path):
    doc = load(make_docs.numbered_docx(tmp_path / "numbered.docx"))
    found = {b.text: (b.kind, b.level) for b in doc.blocks}
    assert found["You may:"] == ("paragraph", 0)
    assert found["access your data"] == ("list_item", 0)
    assert found["delete your data"] == ("list_item", 0)
    assert found["correct your data"] == ("list_item", 0)
    assert found["numbering switched off"] == ("paragraph", 0)
    assert found["Numbered heading"] == ("heading", 2)
    assert found["Outline level heading"] == ("heading", 3)
    assert found["Title style paragraph"] == ("heading", 1)


def test_chinese_docx(tmp_path):
    doc = load(make_docs.chinese_docx(tmp_path / "zh.docx"))
    assert doc.lang == "zh"
    assert doc.title == "某某科技有限公司隐私政策"
    assert texts(doc)[:4] == [
        "某某科技有限公司隐私政策",
        "一、我们如何收集和使用您的个人信息",
        "1.1\u00a0我们会收集您的姓名、手机号码和设备标识符。",
        "内容控件中的条款：我们不会出售您的个人信息。",
    ]
    assert [b.anchor for b in doc.blocks[:4]] == [0, 1, 2, 3]
    cells = kinds(doc, "table_cell")
    assert [(b.row, b.col, b.text) for b in cells][-1] == (1, 1, "手机号码")
    assert_offsets(doc)


def test_core_title_wins(tmp_path):
    path = make_docs.simple_docx(tmp_path / "titled.docx")
    import docx

    document = docx.Document(path)
    document.core_properties.title = "Official Title"
    document.save(path)
    assert load(path).title == "Official Title"


@pytest.mark.parametrize("maker, message", [
    (make_docs.not_a_zip, "not a valid DOCX file (it is not a Word 2007+ document)"),
    (make_docs.old_doc, "this is an old Word .doc file; save it as .docx"),
    (make_docs.encrypted_docx, "password-protected"),
    (make_docs.missing_document_docx, "word/document.xml) is missing"),
    (make_docs.images_only_docx, "no text found – the document contains only images"),
    (make_docs.doctype_in_styles_docx, "DTD/entity declarations"),
])
def test_bad_files(tmp_path, maker, message):
    path = maker(tmp_path / "bad.docx")
    with pytest.raises(LoadError) as error:
        load(path)
    assert message in str(error.value)
    assert str(error.value).startswith("bad.docx: ")
    assert "\n" not in str(error.value)


def test_zip_bomb_refused_before_parsing(tmp_path):
    path = make_docs.zip_bomb_docx(tmp_path / "bomb.docx", megabytes=400)
    assert path.stat().st_size < 5_000_000
    started = time.perf_counter()
    with pytest.raises(LoadError, match="over the 300 MB limit"):
        load(path)
    assert time.perf_counter() - started < 1


def test_decompressed_limit_is_configurable(tmp_path):
    path = make_docs.zip_bomb_docx(tmp_path / "big.docx", megabytes=3)
    with pytest.raises(LoadError, match="over the 2 MB limit"):
        load(path, limits=Limits(max_decompressed_bytes=2_000_000))
    small = make_docs.simple_docx(tmp_path / "small.docx")
    assert load(small, limits=Limits(max_decompressed_bytes=5_000_000)).text


def test_external_entity_never_resolved(tmp_path):
    path = make_docs.xxe_docx(tmp_path / "xxe.docx")
    with pytest.raises(LoadError) as error:
        load(path)
    assert "DTD/entity declarations" in str(error.value)
    assert "root:" not in str(error.value)


def test_billion_laughs_refused_quickly(tmp_path):
    path = make_docs.billion_laughs_docx(tmp_path / "lol.docx")
    started = time.perf_counter()
    with pytest.raises(LoadError, match="DTD/entity declarations"):
        load(path)
    assert time.perf_counter() - started < 1
