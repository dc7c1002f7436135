"""Builds DOCX and HTML test files on the fly.

DOCX files start from python-docx; exotic markup is spliced into the XML by
replacing a placeholder paragraph inside the zip.
"""
from __future__ import annotations

import struct
import zipfile
import zlib
from pathlib import Path

import docx
from docx.oxml import parse_xml
from docx.oxml.ns import nsdecls

OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"


def rewrite_zip(path: Path, changes: dict) -> Path:
    """Rewrite the zip at ``path``: ``changes`` maps a part name to new bytes,
    a function of the old bytes, or None to delete the part."""
    with zipfile.ZipFile(path) as old:
        parts = {name: old.read(name) for name in old.namelist()}
    for name, change in changes.items():
        if change is None:
            parts.pop(name, None)
        elif callable(change):
            parts[name] = change(parts[name])
        else:
            parts[name] = change
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as new:
        for name, data in parts.items():
            new.writestr(name, data)
    return path


def replace_paragraph(path: Path, marker: str, xml: str) -> Path:
    """Swap the paragraph whose text is ``marker`` for raw WordprocessingML."""
    def change(data: bytes) -> bytes:
        text = data.decode("utf-8")
        at = text.index(marker)
        start = text.rindex("<w:p>", 0, at) if "<w:p>" in text[:at] else text.rindex("<w:p ", 0, at)
        end = text.index("</w:p>", at) + len("</w:p>")
        return (text[:start] + xml + text[end:]).encode("utf-8")

    return rewrite_zip(path, {"word/document.xml": change})


def simple_docx(path: Path, paragraphs=("Privacy Policy", "We collect your name.")) -> Path:
    document = docx.Document()
    document.add_heading(paragraphs[0], level=1)
    for text in paragraphs[1:]:
        document.add_paragraph(text)
    document.save(path)
    return path


def tables_docx(path: Path) -> Path:
    document = docx.Document()
    document.add_heading("Data we collect", level=1)
    document.add_paragraph("Before the tables.")
    outer = document.add_table(rows=2, cols=2)
    outer.cell(0, 0).text = "outer A"
    outer.cell(0, 1).text = "outer B"
    outer.cell(1, 0).text = "outer C"
    holder = outer.cell(1, 1)
    holder.text = "holder text"
    inner = holder.add_table(rows=2, cols=2)
    for r in range(2):
        for c in range(2):
            inner.cell(r, c).text = f"inner {r}{c}"
    merged = document.add_table(rows=3, cols=3)
    wide = merged.cell(0, 0).merge(merged.cell(0, 2))
    wide.text = "merged across"
    tall = merged.cell(1, 0).merge(merged.cell(2, 0))
    tall.text = "merged down"
    merged.cell(1, 1).text = "b1"
    merged.cell(1, 2).text = "c1"
    merged.cell(2, 1).text = "b2"
    merged.cell(2, 2).text = "c2"
    document.add_paragraph("After the tables.")
    document.save(path)
    return path


def tracked_changes_docx(path: Path) -> Path:
    document = docx.Document()
    document.add_heading("Retention", level=1)
    document.add_paragraph("@@TRACKED@@")
    document.add_paragraph("@@MOVED@@")
    document.add_paragraph("Untouched paragraph.")
    document.save(path)
    revision = 'w:author="Reviewer" w:date="2024-01-01T00:00:00Z"'
    replace_paragraph(path, "@@TRACKED@@", (
        "<w:p><w:r><w:t xml:space=\"preserve\">We keep your data for </w:t></w:r>"
        f"<w:del w:id=\"1\" {revision}><w:r><w:delText>ten years</w:delText></w:r></w:del>"
        f"<w:ins w:id=\"2\" {revision}><w:r><w:t>six months</w:t></w:r></w:ins>"
        "<w:r><w:t>.</w:t></w:r></w:p>"))
    return replace_paragraph(path, "@@MOVED@@", (
        f"<w:p><w:moveFrom w:id=\"3\" {revision}><w:r><w:t>Old place sentence.</w:t></w:r>"
        f"</w:moveFrom><w:moveTo w:id=\"4\" {revision}><w:r><w:t>New place sentence.</w:t>"
        "</w:r></w:moveTo></w:p>"))


def text_box_docx(path: Path) -> Path:
    document = docx.Document()
    document.add_heading("Contact", level=1)
    document.add_paragraph("@@BOX@@")
    document.add_paragraph("Closing paragraph.")
    document.save(path)
    content = ("<w:txbxContent><w:p><w:r><w:t>Box sentence about the data protection officer."
               "</w:t></w:r></w:p></w:txbxContent>")
    return replace_paragraph(path, "@@BOX@@", (
        "<w:p><w:r><w:t xml:space=\"preserve\">Anchor paragraph. </w:t></w:r><w:r>"
        "<mc:AlternateContent><mc:Choice Requires=\"wps\"><w:drawing><wp:anchor><wp:extent cx=\"1\" cy=\"1\"/>"
        "<a:graphic xmlns:a=\"http://schemas.openxmlformats.org/drawingml/2006/main\">"
        "<a:graphicData uri=\"http://schemas.microsoft.com/office/word/2010/wordprocessingShape\">"
        f"<wps:wsp><wps:txbx>{content}</wps:txbx></wps:wsp></a:graphicData></a:graphic>"
        "</wp:anchor></w:drawing></mc:Choice>"
        f"<mc:Fallback><w:pict><v:shape><v:textbox>{content}</v:textbox></v:shape></w:pict>"
        "</mc:Fallback></mc:AlternateContent></w:r>"
        "<w:r><w:t>Anchor continues.</w:t></w:r></w:p>"))


def header_footer_docx(path: Path) -> Path:
    document = docx.Document()
    section = document.sections[0]
    section.header.paragraphs[0].text = "CONFIDENTIAL HEADER TEXT"
    section.footer.paragraphs[0].text = "FOOTER PAGE TEXT"
    document.add_heading("Privacy Policy", level=1)
    document.add_paragraph("Body sentence.")
    document.save(path)
    return path


def numbered_docx(path: Path) -> Path:
    document = docx.Document()
    document.add_heading("Your rights", level=1)
    document.add_paragraph("You may:")
    document.add_paragraph("access your data", style="List Number")
    document.add_paragraph("delete your data", style="List Bullet")
    direct = document.add_paragraph("correct your data")
    direct._p.get_or_add_pPr().append(parse_xml(
        f'<w:numPr {nsdecls("w")}><w:ilvl w:val="0"/><w:numId w:val="3"/></w:numPr>'))
    off = document.add_paragraph("numbering switched off", style="List Number")
    off._p.get_or_add_pPr().append(parse_xml(
        f'<w:numPr {nsdecls("w")}><w:numId w:val="0"/></w:numPr>'))
    heading = document.add_heading("Numbered heading", level=2)
    heading._p.get_or_add_pPr().append(parse_xml(
        f'<w:numPr {nsdecls("w")}><w:ilvl w:val="1"/><w:numId w:val="3"/></w:numPr>'))
    outline = document.add_paragraph("Outline level heading")
    outline._p.get_or_add_pPr().append(parse_xml(f'<w:outlineLvl {nsdecls("w")} w:val="2"/>'))
    document.add_paragraph("Title style paragraph", style="Title")
    document.save(path)
    return path


def chinese_docx(path: Path) -> Path:
    document = docx.Document()
    document.core_properties.title = ""
    document.add_paragraph("某某科技有限公司隐私政策", style="Title")
    document.add_heading("一、我们如何收集和使用您的个人信息", level=1)
    document.add_paragraph("1.1\u00a0我们会收集您的姓名、手机号码和设备标识符。")
    document.add_paragraph("@@SDT@@")
    table = document.add_table(rows=2, cols=2)
    table.cell(0, 0).text = "业务功能"
    table.cell(0, 1).text = "收集的个人信息"
    table.cell(1, 0).text = "注册登录"
    table.cell(1, 1).text = "手机号码"
    document.save(path)
    return replace_paragraph(path, "@@SDT@@", (
        "<w:sdt><w:sdtPr/><w:sdtContent><w:p><w:r><w:t>内容控件中的条款：我们不会出售您的个人信息。"
        "</w:t></w:r></w:p></w:sdtContent></w:sdt>"))


def tiny_png() -> bytes:
    def chunk(kind: bytes, data: bytes) -> bytes:
        body = kind + data
        return struct.pack(">I", len(data)) + body + struct.pack(">I", zlib.crc32(body))

    header = struct.pack(">IIBBBBB", 1, 1, 8, 2, 0, 0, 0)
    pixels = zlib.compress(b"\x00\xff\x00\x00")
    return b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IDAT", pixels) + chunk(b"IEND", b"")


def images_only_docx(path: Path) -> Path:
    image = path.with_suffix(".png")
    image.write_bytes(tiny_png())
    document = docx.Document()
    document.add_picture(str(image))
    document.save(path)
    return path


def not_a_zip(path: Path) -> Path:
    path.write_bytes(b"This is plain text pretending to be a Word file.\n")
    return path


def old_doc(path: Path) -> Path:
    path.write_bytes(OLE_MAGIC + b"\x00" * 504 + b"WordDocument".ljust(512, b"\x00"))
    return path


def encrypted_docx(path: Path) -> Path:
    name = "EncryptedPackage".encode("utf-16-le")
    path.write_bytes(OLE_MAGIC + b"\x00" * 504 + name + b"\x00" * 512)
    return path


def missing_document_docx(path: Path) -> Path:
    simple_docx(path)
    return rewrite_zip(path, {"word/document.xml": None})


def zip_bomb_docx(path: Path, megabytes: int = 400) -> Path:
    """A DOCX whose document.xml inflates to ``megabytes`` MB of zeros."""
    simple_docx(path)
    with zipfile.ZipFile(path) as old:
        parts = {name: old.read(name) for name in old.namelist() if name != "word/document.xml"}
    chunk = b"\x00" * (1 << 20)
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED, compresslevel=1) as new:
        for name, data in parts.items():
            new.writestr(name, data)
        with new.open("word/document.xml", "w", force_zip64=True) as part:
            for _ in range(megabytes):
                part.write(chunk)
    return path


def with_doctype(path: Path, doctype: str, reference: str, part: str = "word/document.xml") -> Path:
    """Put ``doctype`` before the root of ``part`` and ``reference`` into the body text."""
    simple_docx(path, ("Privacy Policy", "@@ENTITY@@"))

    def change(data: bytes) -> bytes:
        text = data.decode("utf-8").replace("@@ENTITY@@", reference)
        declaration_end = text.index("?>") + 2
        return (text[:declaration_end] + doctype + text[declaration_end:]).encode("utf-8")

    return rewrite_zip(path, {part: change})


def xxe_docx(path: Path) -> Path:
    return with_doctype(path, '<!DOCTYPE w:document [<!ENTITY xxe SYSTEM "file:///etc/passwd">]>',
                        "&xxe;")


def billion_laughs_docx(path: Path) -> Path:
    entities = ['<!ENTITY lol0 "lol">'] + [
        f'<!ENTITY lol{i} "{("&lol" + str(i - 1) + ";") * 10}">' for i in range(1, 10)]
    return with_doctype(path, f"<!DOCTYPE w:document [{''.join(entities)}]>", "&lol9;")


def doctype_in_styles_docx(path: Path) -> Path:
    simple_docx(path)

    def change(data: bytes) -> bytes:
        text = data.decode("utf-8")
        end = text.index("?>") + 2
        return (text[:end] + "<!DOCTYPE w:styles>" + text[end:]).encode("utf-8")

    return rewrite_zip(path, {"word/styles.xml": change})


def write_html(path: Path, html: str, encoding: str = "utf-8") -> Path:
    path.write_bytes(html.encode(encoding))
    return path


POLICY_PAGE = """<!DOCTYPE html>
<html><head><meta charset="utf-8"><title>Example Privacy Policy</title>
<script>var tracking = "SCRIPT TEXT";</script><style>p { color: red }</style></head>
<body>
<header><div class="logo">SITE BANNER</div></header>
<nav><a href="/">Home NAV</a> <a href="/about">About NAV</a></nav>
<div role="navigation">ROLE NAV</div>
<main>
<h1>Privacy Policy</h1>
<p>We collect your <b>name</b> and
   <i>email address</i>.</p>
<h2>1. Sharing</h2>
<div>We do not sell data.<br>We share with processors.</div>
<div>Loose <span>div text</span></div>
<ul><li>Access</li><li>Deletion <em>requests</em></li></ul>
<ol><li>First step</li></ol>
<h3>Processors</h3>
<table>
<thead><tr><th>Processor</th><th>Purpose</th></tr></thead>
<tbody><tr><td>Cloud Co</td><td>Hosting</td></tr>
<tr><td>Mail Co</td><td>Email <br>delivery</td></tr></tbody>
</table>
<p style="display: none">HIDDEN STYLE</p>
<p hidden>HIDDEN ATTR</p>
<div aria-hidden="true">HIDDEN ARIA</div>
<noscript>NOSCRIPT TEXT</noscript>
<form><label>Search</label><input name="q"><button>BUTTON TEXT</button></form>
</main>
<aside>ASIDE TEXT</aside>
<footer>FOOTER TEXT</footer>
</body></html>
"""

CHINESE_PAGE = """<html><head>{meta}<title>隐私政策</title></head>
<body>
<div class="nav"><nav>首页 | 产品</nav></div>
<div class="content">
<h1>某某公司隐私政策</h1>
<p>本政策说明我们如何收集、使用和保护您的
个人信息。我们会收集您的手机号码、
设备信息和位置信息。</p>
<h2>一、我们如何共享您的个人信息</h2>
<div>未经您的同意，我们不会向第三方共享您的个人信息。</div>
<div>如您对本政策有任何疑问，请通过以下方式与我们联系：邮箱 privacy@example.cn。</div>
</div>
</body></html>
"""


def chinese_page(path: Path, encoding: str = "gbk", meta: bool = True) -> Path:
    tag = f'<meta http-equiv="Content-Type" content="text/html; charset={encoding}">' if meta else ""
    return write_html(path, CHINESE_PAGE.format(meta=tag), encoding)
