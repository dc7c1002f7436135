"""DOCX loader.

Blocks come from the body in document order: paragraphs, tables (one
``table_cell`` block per cell, nested tables included) and content controls.
Text boxes follow the paragraph that holds them. Tracked changes are read as
accepted. Headers, footers, footnotes and comments are left out.

``Block.anchor`` is the position of the top-level element among the
``w:p``, ``w:tbl``, ``w:sdt`` and ``w:customXml`` children of ``w:body``.
"""
from __future__ import annotations

import io
import re
import zipfile
import zlib

from ..document import Document, LoadError, TextBuilder

W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
MC = "{http://schemas.openxmlformats.org/markup-compatibility/2006}"

P, TBL, SDT, SDT_CONTENT, CUSTOM_XML = W + "p", W + "tbl", W + "sdt", W + "sdtContent", W + "customXml"
TR, TC, T, TAB, PTAB, BR, CR = W + "tr", W + "tc", W + "t", W + "tab", W + "ptab", W + "br", W + "cr"
NO_BREAK_HYPHEN, TXBX = W + "noBreakHyphen", W + "txbxContent"
INS, DEL, MOVE_FROM, MOVE_TO = W + "ins", W + "del", W + "moveFrom", W + "moveTo"
VAL = W + "val"

BLOCK_TAGS = (P, TBL, SDT)
SKIPPED = {DEL, MOVE_FROM, W + "delText", W + "instrText", W + "delInstrText", W + "pPr", W + "rPr",
           W + "rt", MC + "Fallback"}

OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
DTD_MARKERS = [m.encode(enc) for m in ("<!DOCTYPE", "<!ENTITY")
               for enc in ("utf-8", "utf-16-le", "utf-16-be")]
HEADING_NAME = re.compile(r"^(?:heading|标题)\s*([1-9])$")
TITLE_NAMES = {"title", "标题"}
TRACKED_WARNING = "the document contains tracked changes; the accepted text was analysed"


def load_bytes(data: bytes, path: str, limits, progress=None) -> Document:
    check_package(data, limits)
    import docx
    from lxml import etree

    try:
        word = docx.Document(io.BytesIO(data))
    except KeyError as exc:
        raise LoadError(f"the DOCX file is damaged: a part it refers to is missing ({exc})") from None
    except ValueError as exc:
        if "content type" in str(exc):
            raise LoadError("this is a Word template or macro-enabled document, "
                            "not a plain .docx; save it as .docx") from None
        raise LoadError(damaged(exc)) from None
    except (etree.XMLSyntaxError, zipfile.BadZipFile, EOFError, zlib.error, AttributeError,
            TypeError) as exc:
        # python-docx meets parts it cannot make sense of (foreign namespaces, bad XML).
        raise LoadError(damaged(exc)) from None

    if not word.element.tag.startswith(W):
        raise LoadError("this DOCX uses the Strict Open XML format; save it as a regular "
                        "Word Document (.docx)")
    reader = BodyReader(word.styles.element, limits.max_text_chars)
    body = word.element.body
    anchor = 0
    for child in body:
        if child.tag in BLOCK_TAGS or child.tag == CUSTOM_XML:
            reader.element(child, anchor)
            anchor += 1
    if progress:
        progress(1, 1)

    warnings = []
    if next(body.iter(INS, DEL, MOVE_FROM, MOVE_TO), None) is not None:
        warnings.append(TRACKED_WARNING)
    blocks = reader.builder.blocks
    if not blocks and has_images(word, body):
        raise LoadError("no text found – the document contains only images")

    title = (word.core_properties.title or "").strip() or None
    if title is None:
        title = next((b.text for b in blocks if b.kind == "heading"), None)
    return Document(path=path, format="docx", text=reader.builder.text(), blocks=tuple(blocks),
                    sha256="", title=title, pages=None, warnings=tuple(warnings))


def damaged(exc: Exception) -> str:
    """One line, whatever the parser's message looks like."""
    detail = " ".join(str(exc).split())[:160]
    return f"the DOCX file is damaged ({detail})" if detail else "the DOCX file is damaged"


def check_package(data: bytes, limits) -> None:
    if data.startswith(OLE_MAGIC):
        if "EncryptedPackage".encode("utf-16-le") in data:
            raise LoadError("the DOCX is password-protected; remove the password in Word and "
                            "save it again")
        raise LoadError("this is an old Word .doc file; save it as .docx")
    try:
        package = zipfile.ZipFile(io.BytesIO(data))
        entries = package.infolist()
    except (zipfile.BadZipFile, zipfile.LargeZipFile, EOFError, ValueError):
        raise LoadError("not a valid DOCX file (it is not a Word 2007+ document)") from None
    names = {e.filename for e in entries}
    if "xl/workbook.xml" in names:
        raise LoadError("this is an Excel workbook, not a Word document")
    if "ppt/presentation.xml" in names:
        raise LoadError("this is a PowerPoint presentation, not a Word document")
    if "[Content_Types].xml" not in names:
        raise LoadError("not a valid DOCX file (it is not a Word 2007+ document)")
    total = sum(e.file_size for e in entries)
    if total > limits.max_decompressed_bytes:
        raise LoadError(f"the DOCX unpacks to {total / 2**20:.0f} MB, over the "
                        f"{limits.max_decompressed_bytes / 2**20:.0f} MB limit for "
                        "decompressed content; refused as a possible zip bomb")
    try:
        for entry in entries:
            if entry.filename.lower().endswith((".xml", ".rels")):
                scan_for_dtd(package, entry)
        main = main_part_name(package, names)
    except RuntimeError:
        raise LoadError("the DOCX is password-protected; remove the password and save it "
                        "again") from None
    except (zipfile.BadZipFile, EOFError, OSError, NotImplementedError, ValueError, zlib.error) as exc:
        raise LoadError(damaged(exc)) from None
    if main not in names:
        raise LoadError("not a valid DOCX file: the main document part (word/document.xml) "
                        "is missing")


def main_part_name(package: zipfile.ZipFile, names: set) -> str:
    """Name of the part the package relationships mark as the main document."""
    from lxml import etree

    if "_rels/.rels" not in names:
        return "word/document.xml"
    parser = etree.XMLParser(resolve_entities=False, no_network=True, load_dtd=False)
    try:
        rels = etree.fromstring(package.read("_rels/.rels"), parser)
    except etree.XMLSyntaxError:
        return "word/document.xml"
    for rel in rels:
        if str(rel.get("Type", "")).endswith("/officeDocument"):
            target = rel.get("Target", "").lstrip("/")
            return target or "word/document.xml"
    return "word/document.xml"


def scan_for_dtd(package: zipfile.ZipFile, entry: zipfile.ZipInfo) -> None:
    tail = b""
    with package.open(entry) as part:
        while chunk := part.read(1 << 20):
            window = tail + chunk
            if any(marker in window for marker in DTD_MARKERS):
                raise LoadError("the DOCX contains a DTD/entity declarations, which Word never "
                                "writes; refused for safety")
            tail = window[-32:]


def has_images(word, body) -> bool:
    if any(name.startswith("word/media/") for name in
           (str(p.partname).lstrip("/") for p in word.part.package.iter_parts())):
        return True
    return next(body.iter(W + "drawing", W + "pict"), None) is not None


class BodyReader:
    def __init__(self, styles_element, max_chars: int) -> None:
        self.builder = TextBuilder()
        self.max_chars = max_chars
        self.tables = 0
        self.styles = {}
        self.default_style = None
        for style in styles_element.iter(W + "style"):
            if style.get(W + "type") != "paragraph":
                continue
            style_id = style.get(W + "styleId")
            name = style.find(W + "name")
            based_on = style.find(W + "basedOn")
            ppr = style.find(W + "pPr")
            self.styles[style_id] = {
                "name": (name.get(VAL) if name is not None else style_id or "").lower().strip(),
                "based_on": based_on.get(VAL) if based_on is not None else None,
                "outline": outline_level(ppr),
                "numbered": numbering_state(ppr),
            }
            if style.get(W + "default") in ("1", "true", "on"):
                self.default_style = style_id

    def add(self, kind: str, text: str, **attrs) -> None:
        self.builder.add(kind, text, **attrs)
        if self.builder.length > self.max_chars:
            raise LoadError(f"the document has more than {self.max_chars:,} characters of text, "
                            "over the limit")

    def element(self, el, anchor: int) -> None:
        if el.tag == P:
            self.paragraph(el, anchor)
        elif el.tag == TBL:
            self.table(el, anchor)
        elif el.tag in (SDT, CUSTOM_XML):
            for child in block_children([el]):
                self.element(child, anchor)

    def paragraph(self, p, anchor: int) -> None:
        boxes = []
        text = paragraph_text(p, boxes).strip()
        level = self.heading_level(p)
        if level:
            self.add("heading", text, level=level, anchor=anchor)
        elif self.is_numbered(p):
            self.add("list_item", text, anchor=anchor)
        else:
            self.add("paragraph", text, anchor=anchor)
        for box in boxes:
            for child in block_children(box):
                self.element(child, anchor)

    def table(self, tbl, anchor: int) -> None:
        index = self.tables
        self.tables += 1
        rows = [tr for tr in block_children(tbl, TR) if not is_deleted_row(tr)]
        for row, tr in enumerate(rows):
            col = grid_before(tr)
            for tc in block_children(tr, TC):
                span = cell_span(tc)
                if not is_merge_continuation(tc):
                    self.cell(tc, row, col, index, anchor)
                col += span

    def cell(self, tc, row: int, col: int, index: int, anchor: int) -> None:
        attrs = dict(row=row, col=col, table=index, anchor=anchor)
        lines = []
        for child in block_children(tc):
            if child.tag == P:
                boxes = []
                lines.append(paragraph_text(child, boxes).strip())
                for box in boxes:
                    lines.extend(paragraph_text(p, []).strip() for p in box.iter(P))
            elif child.tag == TBL:
                self.add("table_cell", "\n".join(line for line in lines if line), **attrs)
                lines = []
                self.table(child, anchor)
        self.add("table_cell", "\n".join(line for line in lines if line), **attrs)

    def style_chain(self, p):
        style_id = None
        ppr = p.find(W + "pPr")
        if ppr is not None:
            pstyle = ppr.find(W + "pStyle")
            if pstyle is not None:
                style_id = pstyle.get(VAL)
        if style_id not in self.styles:
            style_id = self.default_style
        seen = set()
        while style_id in self.styles and style_id not in seen:
            seen.add(style_id)
            yield self.styles[style_id]
            style_id = self.styles[style_id]["based_on"]

    def heading_level(self, p) -> int:
        direct = outline_level(p.find(W + "pPr"))
        if direct is not None:
            return direct
        for style in self.style_chain(p):
            match = HEADING_NAME.match(style["name"])
            if match:
                return int(match.group(1))
            if style["name"] in TITLE_NAMES:
                return 1
            if style["outline"] is not None:
                return style["outline"]
        return 0

    def is_numbered(self, p) -> bool:
        direct = numbering_state(p.find(W + "pPr"))
        if direct is not None:
            return direct
        for style in self.style_chain(p):
            if style["numbered"] is not None:
                return style["numbered"]
        return False


def block_children(el, tag=None):
    """Children of ``el``, looking through content controls and custom XML wrappers."""
    for child in el:
        if child.tag == SDT:
            content = child.find(SDT_CONTENT)
            if content is not None:
                yield from block_children(content, tag)
        elif child.tag == CUSTOM_XML:
            yield from block_children(child, tag)
        elif tag is None or child.tag == tag:
            yield child


def paragraph_text(p, boxes: list) -> str:
    parts: list[str] = []
    collect_text(p, parts, boxes)
    return "".join(parts)


def collect_text(el, parts: list, boxes: list) -> None:
    for child in el:
        tag = child.tag
        if tag == T:
            parts.append(child.text or "")
        elif tag in (TAB, PTAB):
            parts.append("\t")
        elif tag in (BR, CR):
            parts.append("\n")
        elif tag == NO_BREAK_HYPHEN:
            parts.append("-")
        elif tag == TXBX:
            boxes.append(child)
        elif tag in SKIPPED or not isinstance(tag, str):
            continue
        else:
            collect_text(child, parts, boxes)


def outline_level(ppr) -> int | None:
    """Heading level from ``w:outlineLvl`` (0 for body text), None when not set."""
    if ppr is None:
        return None
    el = ppr.find(W + "outlineLvl")
    if el is None:
        return None
    try:
        value = int(el.get(VAL))
    except (TypeError, ValueError):
        return None
    return value + 1 if 0 <= value < 9 else 0


def numbering_state(ppr) -> bool | None:
    """True when ``w:numPr`` turns numbering on, False when it turns it off, None if absent."""
    if ppr is None:
        return None
    numpr = ppr.find(W + "numPr")
    if numpr is None:
        return None
    num_id = numpr.find(W + "numId")
    if num_id is None:
        return True
    return num_id.get(VAL) not in ("0", None)


def int_attr(el, path: str, default: int) -> int:
    found = el.find(path)
    if found is None:
        return default
    try:
        return int(found.get(VAL))
    except (TypeError, ValueError):
        return default


def grid_before(tr) -> int:
    return max(int_attr(tr, f"{W}trPr/{W}gridBefore", 0), 0)


def cell_span(tc) -> int:
    return max(int_attr(tc, f"{W}tcPr/{W}gridSpan", 1), 1)


def is_merge_continuation(tc) -> bool:
    vmerge = tc.find(f"{W}tcPr/{W}vMerge")
    return vmerge is not None and vmerge.get(VAL, "continue") == "continue"


def is_deleted_row(tr) -> bool:
    return tr.find(f"{W}trPr/{W}del") is not None
