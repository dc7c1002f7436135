import codecs

import pytest

import make_docs
from reviewer.core.document import LoadError
from reviewer.core.loaders import load


def page(tmp_path, body, name="page.html", encoding="utf-8", head="<meta charset=\"utf-8\">"):
    html = f"<!DOCTYPE html><html><head>{head}</head><body>{body}</body></html>"
    return make_docs.write_html(tmp_path / name, html, encoding)


def summary(doc):
    return [(b.kind, b.level, b.text) for b in doc.blocks]


def assert_offsets(doc):
    for block in doc.blocks:
        assert doc.text[block.start:block.end] == block.text


def test_policy_page_structure(tmp_path):
    doc = load(make_docs.write_html(tmp_path / "policy.html", make_docs.POLICY_PAGE))
    assert doc.format == "html"
    assert doc.title == "Example Privacy Policy"
    assert len(doc.sha256) == 64
    assert summary(doc)[:10] == [
        ("heading", 1, "Privacy Policy"),
        ("paragraph", 0, "We collect your name and email address."),
        ("heading", 2, "1. Sharing"),
        ("paragraph", 0, "We do not sell data."),
        ("paragraph", 0, "We share with processors."),
        ("paragraph", 0, "Loose div text"),
        ("list_item", 0, "Access"),
        ("list_item", 0, "Deletion requests"),
        ("list_item", 0, "First step"),
        ("heading", 3, "Processors"),
    ]
    cells = [(b.table, b.row, b.col, b.text) for b in doc.blocks if b.kind == "table_cell"]
    assert cells == [
        (0, 0, 0, "Processor"), (0, 0, 1, "Purpose"),
        (0, 1, 0, "Cloud Co"), (0, 1, 1, "Hosting"),
        (0, 2, 0, "Mail Co"), (0, 2, 1, "Email\ndelivery"),
    ]
    assert_offsets(doc)


def test_page_furniture_dropped(tmp_path):
    doc = load(make_docs.write_html(tmp_path / "policy.html", make_docs.POLICY_PAGE))
    for junk in ("SCRIPT TEXT", "color: red", "SITE BANNER", "NAV", "HIDDEN", "NOSCRIPT",
                 "BUTTON TEXT", "Search", "ASIDE TEXT", "FOOTER TEXT"):
        assert junk not in doc.text


def test_body_used_without_main(tmp_path):
    path = page(tmp_path, """
        <header>BANNER</header>
        <div id="menu" role="navigation"><a>Products</a></div>
        <article><header><h1>Policy title in article header</h1></header>
          <p>Article text.</p><footer>Updated 2024-01-01</footer></article>
        <div>Text outside the article, in a bare div.</div>
        <span>Span text</span> and tail text
        <div style="visibility: hidden">INVISIBLE</div>
        <footer>SITE FOOTER</footer>""")
    doc = load(path)
    assert [b.text for b in doc.blocks] == [
        "Policy title in article header",
        "Article text.",
        "Updated 2024-01-01",
        "Text outside the article, in a bare div.",
        "Span text and tail text",
    ]
    assert doc.title == "Policy title in article header"


def test_page_wrapped_in_form_kept(tmp_path):
    policy = "<p>" + "We process personal information lawfully. " * 5 + "</p>"
    doc = load(page(tmp_path, f'<form id="aspnetForm"><h1>Policy</h1>{policy}</form>'
                              '<form><input name="q"><label>Search the site</label></form>'))
    assert doc.blocks[0].text == "Policy"
    assert "Search the site" not in doc.text


def test_main_preferred_when_substantial(tmp_path):
    filler = "<p>Sidebar promotion text that is not part of the policy.</p>" * 3
    policy = "<p>" + "We process personal information lawfully. " * 10 + "</p>"
    doc = load(page(tmp_path, f"<div>{filler}</div><main><h1>Policy</h1>{policy}</main>"))
    assert doc.blocks[0].text == "Policy"
    assert "Sidebar" not in doc.text


@pytest.mark.parametrize("encoding, meta", [("gbk", True), ("gbk", False), ("gb18030", False),
                                            ("gb2312", True), ("utf-8", False)])
def test_chinese_page_encodings(tmp_path, encoding, meta):
    doc = load(make_docs.chinese_page(tmp_path / "zh.html", encoding=encoding, meta=meta))
    assert doc.lang == "zh"
    assert doc.title == "隐私政策"
    assert summary(doc)[0] == ("heading", 1, "某某公司隐私政策")
    assert ("本政策说明我们如何收集、使用和保护您的个人信息。"
            "我们会收集您的手机号码、设备信息和位置信息。") in [b.text for b in doc.blocks]
    assert "首页" not in doc.text


def test_meta_charset_wrong_falls_back(tmp_path):
    html = make_docs.CHINESE_PAGE.format(meta='<meta charset="utf-8">')
    path = tmp_path / "wrong.html"
    path.write_bytes(html.encode("gbk"))
    doc = load(path)
    assert "未经您的同意，我们不会向第三方共享您的个人信息。" in doc.text


@pytest.mark.parametrize("codec, bom", [("utf-8", codecs.BOM_UTF8),
                                        ("utf-16-le", codecs.BOM_UTF16_LE),
                                        ("utf-16-be", codecs.BOM_UTF16_BE)])
def test_byte_order_mark(tmp_path, codec, bom):
    html = "<html><head><meta charset=\"gbk\"></head><body><p>隐私政策 – privacy</p></body></html>"
    path = tmp_path / "bom.htm"
    path.write_bytes(bom + html.encode(codec))
    assert load(path).text == "隐私政策 – privacy"


def test_xhtml_with_xml_declaration(tmp_path):
    html = ('<?xml version="1.0" encoding="gb2312"?>\n'
            '<html xmlns="http://www.w3.org/1999/xhtml"><body><h2>第一条</h2><p>个人信息</p></body></html>')
    path = tmp_path / "page.xhtml"
    path.write_bytes(html.encode("gb2312"))
    assert summary(load(path)) == [("heading", 2, "第一条"), ("paragraph", 0, "个人信息")]


def test_whitespace_collapsed_and_cjk_joined(tmp_path):
    path = page(tmp_path, "<p>  Several \t spaces\n and\n\nlines  </p>"
                          "<p>中文在源码中\n   被换行拆开，English\nwords keep a space.</p>"
                          "<p>第1条&nbsp;定义</p>")
    assert [b.text for b in load(path).blocks] == [
        "Several spaces and lines",
        "中文在源码中被换行拆开，English words keep a space.",
        "第1条\u00a0定义",
    ]


def test_tables_with_spans_and_nesting(tmp_path):
    path = page(tmp_path, """
        <table>
          <tr><th colspan="2">Wide header</th><th>Third</th></tr>
          <tr><td rowspan="2">Tall</td><td>b1</td><td>c1</td></tr>
          <tr><td>b2</td><td>c2 <table><tr><td>n1</td><td>n2</td></tr>
                                       <tr><td>n3</td><td>n4</td></tr></table> after</td></tr>
        </table>""")
    doc = load(path)
    cells = [(b.table, b.row, b.col, b.text) for b in doc.blocks]
    assert cells == [
        (0, 0, 0, "Wide header"), (0, 0, 2, "Third"),
        (0, 1, 0, "Tall"), (0, 1, 1, "b1"), (0, 1, 2, "c1"),
        (0, 2, 1, "b2"), (0, 2, 2, "c2"),
        (1, 0, 0, "n1"), (1, 0, 1, "n2"), (1, 1, 0, "n3"), (1, 1, 1, "n4"),
        (0, 2, 2, "after"),
    ]
    assert all(b.kind == "table_cell" for b in doc.blocks)
    assert_offsets(doc)


def test_layout_table_read_as_flow(tmp_path):
    path = page(tmp_path, "<table><tr><td><h1>Privacy Policy</h1><p>First paragraph.</p>"
                          "<ul><li>An item</li></ul></td></tr></table>")
    assert summary(load(path)) == [("heading", 1, "Privacy Policy"),
                                   ("paragraph", 0, "First paragraph."),
                                   ("list_item", 0, "An item")]


def test_pre_keeps_lines(tmp_path):
    path = page(tmp_path, "<pre>Line one\n    Line two</pre>")
    assert [b.text for b in load(path).blocks] == ["Line one", "Line two"]


def test_malformed_html(tmp_path):
    path = tmp_path / "broken.html"
    path.write_bytes(b"<html><body><div><p>Unclosed <b>bold <table><tr><td>cell</div></span>"
                     b"</p>text &amp; more &bogus; <li>item<p>para\x00graph \xff\xfe end")
    doc = load(path)
    for piece in ("Unclosed bold", "cell", "& more &bogus;", "item", "end"):
        assert piece in doc.text


def test_deep_nesting(tmp_path):
    path = page(tmp_path, "<div>" * 1500 + "deep text" + "</div>" * 1500)
    assert load(path).text == "deep text"


@pytest.mark.parametrize("body", [
    "<script>document.write('hello')</script><style>p {}</style>",
    "   ",
    "<nav>Only navigation</nav><footer>Only footer</footer>",
])
def test_no_readable_text(tmp_path, body):
    with pytest.raises(LoadError, match="no readable text in the web page"):
        load(page(tmp_path, body, name="empty.html"))
