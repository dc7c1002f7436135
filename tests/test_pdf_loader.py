"""PDF loader: layout, text, boxes and failures, on the shared policies and on
small PDFs written by ``make_pdfs``."""
import re
from functools import lru_cache
from pathlib import Path

import pypdfium2 as pdfium
import pytest

import make_pdfs
from reviewer.core.document import LoadError
from reviewer.core.loaders import Limits, load

FIXTURES = Path(__file__).parent / "fixtures"
PAGES = {"benewake": 9, "bench3d": 11, "baiinfo": 14}


@lru_cache(maxsize=None)
def shared(name):
    return load(FIXTURES / f"{name}.pdf")


@pytest.fixture
def write(tmp_path):
    def write(name, data):
        path = tmp_path / name
        path.write_bytes(data)
        return path
    return write


def words(text):
    return text.split()


# ---------------------------------------------------------------- shared policies


@pytest.mark.parametrize("name", PAGES)
def test_shared_policy_loads(name):
    doc = shared(name)
    assert doc.format == "pdf"
    assert doc.pages == PAGES[name]
    assert doc.page_sizes == ((612.0, 792.0),) * PAGES[name]
    assert doc.lang == "en"
    assert doc.warnings == ()
    assert len(doc.sha256) == 64
    assert doc.title.startswith("Privacy Policy")
    assert {b.page for b in doc.body_blocks} == set(range(1, PAGES[name] + 1))


@pytest.mark.parametrize("name", PAGES)
def test_shared_policy_text_matches_txt_version(name):
    txt = (FIXTURES / f"{name}.txt").read_text(encoding="utf-8")
    assert words(shared(name).text) == words(txt)


@pytest.mark.parametrize("name", PAGES)
def test_paragraph_blocks_have_no_line_breaks(name):
    doc = shared(name)
    for block in doc.blocks:
        assert "\n" not in block.text
        assert doc.text[block.start:block.end] == block.text
    paragraphs = [b for b in doc.blocks if b.kind == "paragraph"]
    assert len(paragraphs) > 10


def test_benewake_headings_and_lists():
    doc = shared("benewake")
    headings = [b for b in doc.blocks if b.kind == "heading"]
    assert headings[0].text == "Privacy Policy of Benewake" and headings[0].level == 1
    by_text = {b.text: b for b in headings}
    wrapped = "4. How We Entrust Processing, Share, Transfer, and Disclose Your Personal Information"
    assert by_text[wrapped].level == 2
    assert by_text["1.1 Collection and Use Scenarios for Personal Information"].level == 3
    items = [b.text for b in doc.blocks if b.kind == "list_item"]
    assert items[0].startswith("1) Necessary for the conclusion or performance of a contract")
    assert len(items) == 6


def test_benewake_table_cells():
    doc = shared("benewake")
    cells = [b for b in doc.blocks if b.kind == "table_cell"]
    assert {b.table for b in cells} == {0}
    header = {b.col: b.text for b in cells if b.row == 0}
    assert header == {0: "Business Scenario", 1: "Collected personal information items",
                      2: "Purpose of Collection and Use"}
    grid = {(b.row, b.col): b.text for b in cells}
    assert grid[(1, 0)] == "Account Registration and Login"
    # the row broken by the page 2/3 break is one row again
    assert grid[(1, 1)].endswith("company-related data such as company name, address, and "
                                 "contact number.")
    assert "registration process for the Benewake platform" in grid[(1, 2)]
    assert grid[(4, 0)] == "Complaints and Suggestions or Technical Support Services"
    assert max(row for row, _ in grid) == 6
    assert grid[(6, 0)] == "Information Push"
    assert {b.page for b in cells} == {2, 3, 4}
    # table text is not repeated as paragraphs
    others = " ".join(b.text for b in doc.blocks if b.kind != "table_cell")
    assert "Business Scenario" not in others
    assert "Account Registration and Login" not in others


@pytest.mark.parametrize("name", PAGES)
def test_word_boxes_cover_every_word(name):
    doc = shared(name)
    for block in doc.body_blocks:
        assert block.page == block.boxes[0].page
        covered = set()
        last = block.start
        for box in block.boxes:
            word = doc.text[box.start:box.end]
            assert word and not any(ch.isspace() for ch in word)
            assert block.start <= box.start < box.end <= block.end and box.start >= last
            last = box.end
            width, height = doc.page_sizes[box.page - 1]
            assert 0 <= box.x0 < box.x1 <= width and 0 <= box.top < box.bottom <= height
            covered.update(range(box.start, box.end))
        for offset in range(block.start, block.end):
            assert offset in covered or doc.text[offset].isspace()


def test_boxes_sit_on_their_words():
    doc = shared("benewake")
    pdf = pdfium.PdfDocument(FIXTURES / "benewake.pdf")
    try:
        boxes = [box for block in doc.body_blocks for box in block.boxes]
        for box in boxes[::37]:
            page = pdf[box.page - 1]
            height = page.get_height()
            found = page.get_textpage().get_text_bounded(
                left=box.x0 - 0.5, right=box.x1 + 0.5, top=height - box.top + 0.5,
                bottom=height - box.bottom - 0.5)
            assert doc.text[box.start:box.end] in found.replace("\ufffe", "-")
    finally:
        pdf.close()


def test_doc_boxes_for_a_range():
    doc = shared("bench3d")
    start = doc.text.index("Personal information refers to")
    boxes = doc.boxes_for(start, start + len("Personal information refers"))
    assert [doc.text[b.start:b.end] for b in boxes] == ["Personal", "information", "refers"]
    assert boxes[0].top == pytest.approx(boxes[2].top, abs=0.5)


def test_no_running_headers_in_shared_policies():
    for name in PAGES:
        assert all(block.body for block in shared(name).blocks)


# ---------------------------------------------------------------- generated layouts


def test_running_headers_footers_and_page_numbers(write):
    doc = load(write("headers.pdf", make_pdfs.headers_pdf(pages=4)))
    assert doc.pages == 4
    assert "ACME Group" not in doc.text
    assert "Confidential" not in doc.text
    assert not re.search(r"Page \d of 4", doc.text)
    for n in range(1, 5):
        for k in range(1, 5):
            assert f"Page {n} paragraph {k}." in doc.text
    margins = [b for b in doc.blocks if not b.body]
    assert {(b.kind, b.page) for b in margins if b.text == "ACME Group Privacy Notice"} == {
        ("header", n) for n in range(1, 5)}
    assert {(b.kind, b.text) for b in margins if b.page == 3} == {
        ("header", "ACME Group Privacy Notice"), ("header", "Confidential"),
        ("footer", "Page 3 of 4")}
    assert all(b.start == b.end for b in margins)
    assert len([b for b in doc.body_blocks if b.kind == "paragraph"]) == 16


def test_two_columns_read_column_by_column(write):
    doc = load(write("columns.pdf", make_pdfs.two_column_pdf()))
    text = doc.text
    order = [text.index(s) for s in ("Two Column Privacy Notice", "Left column begins",
                                     "Left column ends", "Right column begins",
                                     "Right column ends")]
    assert order == sorted(order)
    paragraphs = [b.text for b in doc.blocks if b.kind == "paragraph"]
    assert len(paragraphs) == 2
    assert paragraphs[0].startswith("Left column begins") and paragraphs[0].endswith("ends here.")
    assert "address and phone number. We use this information" in paragraphs[0]
    assert doc.blocks[0].kind == "heading" and doc.title == "Two Column Privacy Notice"


def test_paragraph_flowing_into_the_next_column_stays_one_block(write):
    doc = load(write("flow.pdf", make_pdfs.two_column_pdf(flow=True)))
    assert [b.kind for b in doc.blocks] == ["heading", "paragraph"]
    assert words(doc.blocks[1].text) == words(" ".join(make_pdfs.LOREM * 2))


def test_hyphenated_line_breaks_are_joined(write):
    doc = load(write("hyphen.pdf", make_pdfs.hyphen_pdf()))
    assert doc.text == ("Your personal information is processed by a third-party provider "
                        "under a third-party agreement.")
    block = doc.blocks[0]
    parts = [doc.text[b.start:b.end] for b in block.boxes]
    assert parts[2:4] == ["infor", "mation"]
    assert block.boxes[2].page == block.boxes[3].page == 1
    assert block.boxes[3].top > block.boxes[2].bottom - 1  # on the next line


def test_chinese_line_break_adds_no_space(write):
    doc = load(write("chinese.pdf", make_pdfs.chinese_pdf()))
    assert doc.lang == "zh"
    assert doc.text == "我们会收集您在使用服务时主动提供的个人信息用于为您提供服务。"
    assert len(doc.blocks[0].boxes) == len(doc.text)


def test_headings_lists_and_title(write):
    doc = load(write("structure.pdf", make_pdfs.structure_pdf()))
    kinds = [(b.kind, b.level, b.text.split()[0]) for b in doc.blocks]
    assert kinds == [("heading", 1, "Privacy"), ("heading", 2, "1."), ("paragraph", 0, "Our"),
                     ("list_item", 0, "•"), ("list_item", 0, "(1)"), ("list_item", 0, "a."),
                     ("heading", 2, "2."), ("paragraph", 0, "We")]
    assert doc.title == "Privacy Policy"  # the metadata title "Untitled" is ignored


def test_metadata_title_is_used(write):
    doc = load(write("titled.pdf", make_pdfs.plain_pdf(title="Acme Privacy Notice")))
    assert doc.title == "Acme Privacy Notice"


@pytest.mark.parametrize("rotate", [0, 90])
def test_ruled_table_becomes_cells(write, rotate):
    doc = load(write("table.pdf", make_pdfs.table_pdf(rotate=rotate)))
    cells = [(b.row, b.col, b.text) for b in doc.blocks if b.kind == "table_cell"]
    assert cells == [(0, 0, "Scenario"), (0, 1, "Data"), (0, 2, "Purpose"),
                     (1, 0, "Sign up"), (1, 1, "Email address"), (1, 2, "Create the account"),
                     (2, 0, "Support"), (2, 1, "Phone number"),
                     (2, 2, "Answer your questions")]
    kinds = [b.kind for b in doc.blocks]
    assert kinds[:2] == ["heading", "paragraph"] and kinds[-1] == "paragraph"
    assert doc.blocks[-1].text == "Text after the table."


def test_text_outside_the_page_is_left_out(write):
    items, _ = make_pdfs.paragraph(make_pdfs.LOREM[0], 72, 72, 460)
    items.append(("text", 700, 300, "Hidden printer note", 11, "F1"))
    doc = load(write("offpage.pdf", make_pdfs.make_pdf([items])))
    assert doc.text == make_pdfs.LOREM[0]


def test_table_continued_on_next_page(write):
    doc = load(write("long.pdf", make_pdfs.long_table_pdf()))
    cells = [b for b in doc.blocks if b.kind == "table_cell"]
    assert {b.table for b in cells} == {0}
    grid = {(b.row, b.col): b.text for b in cells}
    assert [grid[(row, 0)] for row in range(6) if (row, 0) in grid] == [
        "Scenario", "Service 1", "Service 2", "Service 3", "Support", "Payments"]
    assert grid[(4, 1)] == "Phone number, chat history."
    assert grid[(4, 2)] == "We use it to answer your questions."
    assert doc.text.count("Scenario") == 1  # the repeated header row is left out
    assert {b.page for b in cells if b.row == 4} == {1}
    assert {box.page for b in cells if b.row == 4 for box in b.boxes} == {1, 2}
    assert doc.blocks[-1].text == "Text after the table."


def test_progress_reports_every_page(write):
    calls = []
    load(write("plain.pdf", make_pdfs.plain_pdf(pages=3)), progress=lambda *a: calls.append(a))
    assert calls == [(1, 3), (2, 3), (3, 3)]


def test_exception_from_progress_callback_passes_through(write):
    class Cancelled(Exception):
        pass

    def cancel(done, total):
        raise Cancelled

    with pytest.raises(Cancelled):
        load(write("plain.pdf", make_pdfs.plain_pdf(pages=2)), progress=cancel)


def boxes_of(doc):
    return [(b.x0, b.top, b.x1, b.bottom) for block in doc.body_blocks for b in block.boxes]


@pytest.mark.parametrize("turn", [90, 180, 270])
def test_turned_pages_keep_reading_order_and_map_boxes(write, tmp_path, turn):
    data = make_pdfs.plain_pdf(pages=1)
    upright = load(write("upright.pdf", data))
    pdf = pdfium.PdfDocument(data)
    pdf[0].set_rotation(turn)
    path = tmp_path / "turned.pdf"
    pdf.save(path)
    pdf.close()
    doc = load(path)
    assert doc.text == upright.text
    w, h = 612.0, 792.0
    expected = {
        90: lambda x0, top, x1, bottom: (h - bottom, x0, h - top, x1),
        180: lambda x0, top, x1, bottom: (w - x1, h - bottom, w - x0, h - top),
        270: lambda x0, top, x1, bottom: (top, w - x1, bottom, w - x0),
    }[turn]
    assert doc.page_sizes == (((h, w) if turn != 180 else (w, h)),)
    assert len(boxes_of(doc)) == len(boxes_of(upright)) > 50
    for box, original in zip(boxes_of(doc), boxes_of(upright)):
        assert box == pytest.approx(expected(*original), abs=0.01)


def test_landscape_page_stored_sideways(write):
    items, _ = make_pdfs.paragraph(" ".join(make_pdfs.LOREM), 72, 72, 600)
    plain = load(write("landscape.pdf", make_pdfs.make_pdf([items], size=(792, 612))))
    sideways = load(write("sideways.pdf", make_pdfs.make_pdf([items], size=(792, 612),
                                                             rotate=90)))
    assert sideways.page_sizes == plain.page_sizes == ((792.0, 612.0),)
    assert sideways.text == plain.text
    assert len(boxes_of(sideways)) == len(boxes_of(plain)) > 50
    for box, original in zip(boxes_of(sideways), boxes_of(plain)):
        assert box == pytest.approx(original, abs=0.01)


# ---------------------------------------------------------------- failures


def test_scanned_pdf_needs_ocr(write):
    with pytest.raises(LoadError, match="no text layer – this PDF needs OCR"):
        load(write("scan.pdf", make_pdfs.scanned_pdf()))


def test_partly_scanned_pdf_warns(write):
    pages = [make_pdfs.paragraph(" ".join(make_pdfs.LOREM), 72, 72, 460)[0],
             [("image", 0, 0, 612, 792)]]
    doc = load(write("partly.pdf", make_pdfs.make_pdf(pages)))
    assert doc.pages == 2
    assert any("Page 2" in w and "OCR" in w for w in doc.warnings)


def test_user_password_is_refused(write):
    path = write("locked.pdf", make_pdfs.plain_pdf(pages=2, user_password="secret"))
    with pytest.raises(LoadError, match="password-protected") as info:
        load(path)
    assert str(info.value).startswith("locked.pdf: ")


def test_owner_password_only_loads_with_warning(write):
    doc = load(write("owner.pdf", make_pdfs.plain_pdf(pages=2, owner_password="owner")))
    assert doc.pages == 2 and "Section 2." in doc.text
    assert any("owner password" in w for w in doc.warnings)


def test_truncated_pdf(write):
    data = (FIXTURES / "benewake.pdf").read_bytes()
    with pytest.raises(LoadError, match="damaged or not a valid PDF"):
        load(write("cut.pdf", data[: len(data) // 2]))


@pytest.mark.parametrize("data", [bytes(range(256)) * 40, b"%PDF-1.7\n" + b"\x00garbage" * 500,
                                  b"Privacy policy\nplain text saved as .pdf\n"])
def test_junk_named_pdf(write, data):
    with pytest.raises(LoadError, match="damaged or not a valid PDF"):
        load(write("junk.pdf", data))


def test_pdf_without_pages(write):
    with pytest.raises(LoadError, match="damaged or not a valid PDF"):
        load(write("empty.pdf", make_pdfs.make_pdf([])))


def test_page_limit(write):
    with pytest.raises(LoadError, match="9 pages, over the limit of 5 pages"):
        load(FIXTURES / "benewake.pdf", limits=Limits(max_pages=5))


def test_text_limit():
    with pytest.raises(LoadError, match="over the limit of 1,000 characters"):
        load(FIXTURES / "benewake.pdf", limits=Limits(max_text_chars=1000))


def test_fonts_without_unicode_mapping(write):
    with pytest.raises(LoadError, match="unreadable .* needs OCR"):
        load(write("garbled.pdf", make_pdfs.garbled_pdf(shift=1)))
    # the same unmapped font with codes that happen to be ASCII still reads fine
    doc = load(write("readable.pdf", make_pdfs.garbled_pdf(shift=0)))
    assert "personal information" in doc.text


@pytest.mark.parametrize("seed", range(6))
def test_corrupted_bytes_never_raise_anything_but_load_error(write, seed):
    import random

    data = bytearray((FIXTURES / "bench3d.pdf").read_bytes())
    rng = random.Random(seed)
    for _ in range(40):
        data[rng.randrange(200, len(data) - 200)] = rng.randrange(256)
    try:
        doc = load(write("corrupt.pdf", bytes(data)))
    except LoadError as exc:
        assert str(exc).startswith("corrupt.pdf: ")
    else:
        assert doc.pages == 11
