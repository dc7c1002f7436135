"""HTML loader for saved web pages.

Page furniture (scripts, navigation, banners, footers, forms, hidden
elements) is dropped; the main content becomes heading, paragraph,
list-item and table-cell blocks. Loose text in ``div``/``span`` markup becomes
paragraphs and ``<br>`` starts a new line.
"""
from __future__ import annotations

import codecs
import re

from ..document import Document, LoadError, TextBuilder, looks_binary

DROP_TAGS = {"script", "style", "noscript", "template", "svg", "math", "nav", "aside", "button",
             "select", "textarea", "input", "option", "iframe", "object", "embed", "canvas",
             "video", "audio", "map", "head", "title", "meta", "link", "dialog"}
DROP_ROLES = {"navigation", "banner", "contentinfo", "search", "menu", "menubar"}
SECTIONING = {"article", "main", "section", "aside", "nav"}
HEADINGS = {"h1", "h2", "h3", "h4", "h5", "h6"}
BLOCK_TAGS = {"p", "div", "section", "article", "main", "body", "html", "blockquote", "pre",
              "address", "dd", "dt", "dl", "ul", "ol", "menu", "figure", "figcaption", "caption",
              "center", "details", "summary", "fieldset", "legend", "hr", "header", "footer",
              "form", "table", "thead", "tbody", "tfoot", "tr", "td", "th", "li", "hgroup",
              "listing", "plaintext", "xmp", "noframes", "frameset", "search"}
HIDDEN_STYLE = re.compile(r"display\s*:\s*none|visibility\s*:\s*hidden", re.I)
LINE = "\x00"
CJK = r"\u2e80-\u2fff\u3000-\u303f\u3040-\u30ff\u3100-\u312f\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\uff00-\uffef"
CJK_LINE_BREAK = re.compile(rf"(?<=[{CJK}])[ \t\r\f]*\n[ \t\r\n\f]*(?=[{CJK}])")
SPACES = re.compile(r"[ \t\r\n\f]+")
CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")
XML_DECLARATION = re.compile(r"^\s*<\?xml[^>]*>")
META_CHARSET = re.compile(rb"""<meta[^>]+charset\s*=\s*["']?\s*([a-zA-Z0-9_.:-]+)""", re.I)
XML_ENCODING = re.compile(rb"""^\s*<\?xml[^>]+encoding\s*=\s*["']([a-zA-Z0-9_.:-]+)""")
BOMS = ((codecs.BOM_UTF8, "utf-8"), (codecs.BOM_UTF32_LE, "utf-32-le"),
        (codecs.BOM_UTF32_BE, "utf-32-be"), (codecs.BOM_UTF16_LE, "utf-16-le"),
        (codecs.BOM_UTF16_BE, "utf-16-be"))
NO_TEXT = "no readable text in the web page"


def load_bytes(data: bytes, path: str, limits, progress=None) -> Document:
    import lxml.html
    from lxml import etree

    text = decode(data)
    if looks_binary(text):
        raise LoadError("this is not a web page (it contains binary data)")
    text = CONTROL.sub("", XML_DECLARATION.sub("", text, count=1))
    if not text.strip():
        raise LoadError(NO_TEXT)
    parser = lxml.html.HTMLParser(encoding="utf-8", remove_comments=True, remove_pis=True,
                                   huge_tree=True)
    try:
        root = lxml.html.document_fromstring(text.encode("utf-8"), parser=parser)
    except (etree.ParserError, etree.XMLSyntaxError, ValueError):
        raise LoadError(NO_TEXT) from None

    title = clean(root.findtext(".//title") or "") or None
    body = root.find("body")
    if body is None:
        raise LoadError(NO_TEXT)
    prune(body)
    reader = PageReader(limits.max_text_chars)
    reader.read(content_root(body))
    if progress:
        progress(1, 1)
    blocks = reader.builder.blocks
    if not blocks:
        raise LoadError(NO_TEXT)
    if title is None:
        title = next((b.text for b in blocks if b.kind == "heading" and b.level == 1), None)
    return Document(path=path, format="html", text=reader.builder.text(), blocks=tuple(blocks),
                    sha256="", title=title)


def decode(data: bytes) -> str:
    for bom, encoding in BOMS:
        if data.startswith(bom):
            return data[len(bom):].decode(encoding, errors="replace")
    head = data[:65536]
    match = XML_ENCODING.match(head) or META_CHARSET.search(head)
    if match:
        encoding = normal_encoding(match.group(1).decode("ascii"))
        if encoding:
            try:
                return data.decode(encoding)
            except UnicodeDecodeError:
                pass
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError:
        pass
    from charset_normalizer import from_bytes

    best = from_bytes(data).best()
    encoding = normal_encoding(best.encoding) if best is not None else None
    return data.decode(encoding or "gb18030", errors="replace")


def normal_encoding(name: str) -> str | None:
    try:
        encoding = codecs.lookup(name).name
    except LookupError:
        return None
    if encoding in ("gb2312", "gbk", "hz"):
        return "gb18030"
    if encoding in ("latin-1", "iso8859-1", "ascii"):
        return "cp1252"
    if encoding.startswith(("utf-16", "utf-32")):
        return "utf-8"
    return encoding


def clean(text: str) -> str:
    text = CJK_LINE_BREAK.sub("", text)
    return SPACES.sub(" ", text).strip()


def is_hidden(el) -> bool:
    if el.get("hidden") is not None or el.get("aria-hidden", "").strip().lower() == "true":
        return True
    if el.get("role", "").strip().lower() in DROP_ROLES:
        return True
    style = el.get("style")
    return bool(style and HIDDEN_STYLE.search(style))


def in_sectioning(el) -> bool:
    return any(a.tag in SECTIONING for a in el.iterancestors() if isinstance(a.tag, str))


def prune(body) -> None:
    doomed = []
    for el in body.iter():
        tag = el.tag
        if not isinstance(tag, str):
            doomed.append(el)
            continue
        tag = tag.lower()
        if tag in DROP_TAGS or is_hidden(el):
            doomed.append(el)
        elif tag in ("header", "footer") and not in_sectioning(el):
            doomed.append(el)
    drop(doomed)
    total = text_length(body)
    drop([form for form in body.iter("form") if text_length(form) < total / 2])


def drop(elements) -> None:
    for el in elements:
        if el.getparent() is not None:
            el.drop_tree()


def text_length(el) -> int:
    return len(SPACES.sub("", el.text_content()))


def content_root(body):
    """``<main>`` or the largest ``<article>`` when it holds most of the text, else the body."""
    total = text_length(body)
    for query in ('.//main | .//*[@role="main"]', ".//article"):
        candidates = [(text_length(el), el) for el in body.xpath(query)]
        if candidates:
            size, el = max(candidates, key=lambda c: c[0])
            if size >= 100 and size >= 0.3 * total:
                return el
    return body


def is_layout_table(table) -> bool:
    rows = table_rows(table)
    if (table.get("role") or "").lower() in ("presentation", "none"):
        return True
    cells = [row_cells(tr) for tr in rows]
    if len(rows) <= 1 or max((len(c) for c in cells), default=0) <= 1:
        return True
    return any(cell.find(".//" + h) is not None for c in cells for cell in c for h in HEADINGS)


def table_rows(table):
    return table.xpath("./tr | ./thead/tr | ./tbody/tr | ./tfoot/tr")


def row_cells(tr):
    return tr.xpath("./td | ./th")


def span(el, name: str) -> int:
    try:
        return min(max(int(el.get(name, "1").strip()), 1), 1000)
    except ValueError:
        return 1


class PageReader:
    def __init__(self, max_chars: int) -> None:
        self.builder = TextBuilder()
        self.max_chars = max_chars
        self.tables = 0
        self.cells: dict = {}
        self.parts: list[str] = []
        self.kind = "paragraph"
        self.attrs: dict = {}
        self.in_pre = False
        self.stack: list = []

    def read(self, root) -> None:
        from lxml import etree

        for event, el in etree.iterwalk(root, events=("start", "end")):
            tag = el.tag.lower() if isinstance(el.tag, str) else ""
            if event == "start":
                self.start(el, tag)
                self.add_text(el.text)
            else:
                self.end()
                if el is not root:
                    self.add_text(el.tail)
        self.flush()

    def start(self, el, tag: str) -> None:
        saved = self.kind, self.attrs, self.in_pre
        block = True
        if tag == "br":
            self.parts.append(LINE)
            block = False
        elif tag in HEADINGS:
            self.enter("heading", {"level": int(tag[1])})
        elif tag == "li":
            self.enter("list_item", {})
        elif tag in ("td", "th") and el in self.cells:
            self.flush()
            self.kind, self.attrs = "table_cell", self.cells.pop(el)
        elif tag == "table" and not is_layout_table(el):
            self.flush()
            self.number_cells(el)
        elif tag in ("pre", "listing", "xmp", "plaintext"):
            self.in_pre = True
            self.enter(self.kind, self.attrs)
        elif tag in BLOCK_TAGS:
            self.enter(self.kind, self.attrs)
        else:
            block = False
        self.stack.append((saved, block))

    def end(self) -> None:
        (kind, attrs, in_pre), block = self.stack.pop()
        if block:
            if kind == "table_cell" and self.attrs is attrs:
                self.parts.append(LINE)
            else:
                self.flush()
        self.kind, self.attrs, self.in_pre = kind, attrs, in_pre

    def enter(self, kind: str, attrs: dict) -> None:
        if self.kind == "table_cell":
            self.parts.append(LINE)
            return
        self.flush()
        self.kind, self.attrs = kind, attrs

    def add_text(self, text: str | None) -> None:
        if text:
            self.parts.append(text.replace("\n", LINE) if self.in_pre else text)

    def number_cells(self, table) -> None:
        index = self.tables
        self.tables += 1
        rows = table_rows(table)
        taken = set()
        for r, tr in enumerate(rows):
            c = 0
            for cell in row_cells(tr):
                while (r, c) in taken:
                    c += 1
                width, height = span(cell, "colspan"), span(cell, "rowspan")
                taken.update((r + i, c + j) for i in range(min(height, len(rows) - r))
                             for j in range(width))
                self.cells[cell] = {"row": r, "col": c, "table": index}
                c += width

    def flush(self) -> None:
        text = "".join(self.parts)
        self.parts = []
        lines = [clean(line) for line in text.split(LINE)]
        lines = [line for line in lines if line]
        if not lines:
            return
        if self.kind == "table_cell":
            self.builder.add(self.kind, "\n".join(lines), **self.attrs)
        elif self.kind == "heading":
            self.builder.add(self.kind, " ".join(lines), **self.attrs)
        else:
            for line in lines:
                self.builder.add(self.kind, line, **self.attrs)
        if self.builder.length > self.max_chars:
            raise LoadError(f"the web page has more than {self.max_chars:,} characters of text, "
                            "over the limit")
