"""Small PDFs written byte by byte for the PDF loader tests.

Pages are lists of items in top-left coordinates (PDF points):

    ("text", x, top, string, size, font)   font: "F1" Helvetica, "F2" Helvetica-Bold,
                                            "CJK" STSong-Light (not embedded),
                                            "G" glyphs without Unicode names
    ("line", x0, top0, x1, top1)
    ("rect", x0, top, x1, bottom)           stroked rectangle
    ("image", x0, top, x1, bottom)          a grey bitmap, like a scanned page
"""
from __future__ import annotations

import hashlib
import struct
import zlib

PAGE = (612.0, 792.0)

_HELVETICA = [
    278, 278, 355, 556, 556, 889, 667, 191, 333, 333, 389, 584, 278, 333, 278, 278,
    556, 556, 556, 556, 556, 556, 556, 556, 556, 556, 278, 278, 584, 584, 584, 556,
    1015, 667, 667, 722, 722, 667, 611, 778, 722, 278, 500, 667, 556, 833, 722, 778,
    667, 778, 722, 667, 611, 722, 667, 944, 667, 667, 611, 278, 278, 278, 469, 556,
    333, 556, 556, 500, 556, 556, 278, 556, 556, 222, 222, 500, 222, 833, 556, 556,
    556, 556, 333, 500, 278, 556, 500, 722, 500, 500, 500, 334, 260, 334, 584,
]


def text_width(text: str, size: float, font: str = "F1") -> float:
    if font == "CJK":
        return size * len(text)
    scale = 1.06 if font == "F2" else 1.0
    total = sum(_HELVETICA[ord(ch) - 32] if 32 <= ord(ch) < 127 else 600 for ch in text)
    return total * size * scale / 1000


def wrap(text: str, width: float, size: float, font: str = "F1") -> list[str]:
    lines, current = [], ""
    for word in text.split():
        candidate = f"{current} {word}" if current else word
        if current and text_width(candidate, size, font) > width:
            lines.append(current)
            current = word
        else:
            current = candidate
    if current:
        lines.append(current)
    return lines


def paragraph(text: str, x: float, top: float, width: float, size: float = 11,
              font: str = "F1", leading: float = 1.25) -> tuple[list[tuple], float]:
    """Items for a wrapped paragraph and the top of the next line."""
    items = []
    for line in wrap(text, width, size, font):
        items.append(("text", x, top, line, size, font))
        top += size * leading
    return items, top


def _escape(data: bytes) -> bytes:
    return data.replace(b"\\", b"\\\\").replace(b"(", b"\\(").replace(b")", b"\\)")


def _content(items: list[tuple], height: float) -> bytes:
    out = []
    for item in items:
        kind = item[0]
        if kind == "text":
            _, x, top, string, size, font = item
            y = height - top - size * 0.8
            if font == "CJK":
                code = b"<" + string.encode("utf-16-be").hex().encode() + b">"
            else:
                code = b"(" + _escape(string.encode("cp1252")) + b")"
            out.append(b"BT /%s %.2f Tf 1 0 0 1 %.2f %.2f Tm %s Tj ET"
                       % (font.encode(), size, x, y, code))
        elif kind == "line":
            _, x0, t0, x1, t1 = item
            out.append(b"0.8 w %.2f %.2f m %.2f %.2f l S" % (x0, height - t0, x1, height - t1))
        elif kind == "rect":
            _, x0, t0, x1, t1 = item
            out.append(b"0.8 w %.2f %.2f %.2f %.2f re S" % (x0, height - t1, x1 - x0, t1 - t0))
        elif kind == "image":
            _, x0, t0, x1, t1 = item
            out.append(b"q %.2f 0 0 %.2f %.2f %.2f cm /Im1 Do Q"
                       % (x1 - x0, t1 - t0, x0, height - t1))
    return b"\n".join(out)


def _rc4(key: bytes, data: bytes) -> bytes:
    s = list(range(256))
    j = 0
    for i in range(256):
        j = (j + s[i] + key[i % len(key)]) % 256
        s[i], s[j] = s[j], s[i]
    out = bytearray()
    i = j = 0
    for byte in data:
        i = (i + 1) % 256
        j = (j + s[i]) % 256
        s[i], s[j] = s[j], s[i]
        out.append(byte ^ s[(s[i] + s[j]) % 256])
    return bytes(out)


_PAD = bytes.fromhex("28bf4e5e4e758a4164004e56fffa01082e2e00b6d0683e802f0ca9fe6453697a")


class _Rc4Security:
    """Standard security handler, revision 3, 128-bit RC4."""

    def __init__(self, user: str, owner: str, file_id: bytes):
        self.file_id = file_id
        self.permissions = -3904  # print and copy denied
        owner_key = hashlib.md5((owner.encode() + _PAD)[:32]).digest()
        for _ in range(50):
            owner_key = hashlib.md5(owner_key).digest()
        o_value = _rc4(owner_key, (user.encode() + _PAD)[:32])
        for i in range(1, 20):
            o_value = _rc4(bytes(b ^ i for b in owner_key), o_value)
        self.o_value = o_value
        key = hashlib.md5((user.encode() + _PAD)[:32] + o_value
                          + struct.pack("<i", self.permissions) + file_id).digest()
        for _ in range(50):
            key = hashlib.md5(key).digest()
        self.key = key
        u_value = _rc4(key, hashlib.md5(_PAD + file_id).digest())
        for i in range(1, 20):
            u_value = _rc4(bytes(b ^ i for b in key), u_value)
        self.u_value = u_value + bytes(16)

    def encrypt(self, number: int, data: bytes) -> bytes:
        object_key = hashlib.md5(self.key + struct.pack("<i", number)[:3] + b"\0\0").digest()
        return _rc4(object_key, data)

    def dictionary(self) -> bytes:
        return (b"<< /Filter /Standard /V 2 /R 3 /Length 128 /P %d /O <%s> /U <%s> >>"
                % (self.permissions, self.o_value.hex().encode(), self.u_value.hex().encode()))


def make_pdf(pages: list[list[tuple]], size: tuple[float, float] = PAGE,
             title: str | None = None, user_password: str | None = None,
             owner_password: str | None = None, rotate: int = 0) -> bytes:
    """Write a PDF; passwords turn on RC4 encryption (owner only: opens without one).

    ``rotate=90`` stores the pages turned (/Rotate 90, content drawn sideways) so that
    they still show upright at ``size``."""
    width, height = size
    media = (height, width) if rotate == 90 else (width, height)
    objects: list[bytes | None] = [None]  # 1-based object numbers
    streams: dict[int, bytes] = {}

    def add(body: bytes | None = None) -> int:
        objects.append(body)
        return len(objects) - 1

    catalog = add()
    pages_obj = add()
    fonts = {
        "F1": add(b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica "
                  b"/Encoding /WinAnsiEncoding >>"),
        "F2": add(b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica-Bold "
                  b"/Encoding /WinAnsiEncoding >>"),
    }
    names = b" ".join(b"/g%d" % code for code in range(33, 127))
    fonts["G"] = add(b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica "
                     b"/Encoding << /Type /Encoding /Differences [32 /space 33 %s] >> >>" % names)
    descriptor = add(b"<< /Type /FontDescriptor /FontName /STSong-Light /Flags 6 "
                     b"/FontBBox [-25 -254 1000 880] /ItalicAngle 0 /Ascent 880 "
                     b"/Descent -120 /CapHeight 880 /StemV 93 >>")
    cid_font = add(b"<< /Type /Font /Subtype /CIDFontType0 /BaseFont /STSong-Light "
                   b"/CIDSystemInfo << /Registry (Adobe) /Ordering (GB1) /Supplement 2 >> "
                   b"/FontDescriptor %d 0 R /DW 1000 >>" % descriptor)
    fonts["CJK"] = add(b"<< /Type /Font /Subtype /Type0 /BaseFont /STSong-Light "
                       b"/Encoding /UniGB-UCS2-H /DescendantFonts [%d 0 R] >>" % cid_font)
    pixels = bytes((x * 7 + y * 3) % 256 for y in range(64) for x in range(64))
    image = add(b"<< /Type /XObject /Subtype /Image /Width 64 /Height 64 /ColorSpace "
                b"/DeviceGray /BitsPerComponent 8 /Filter /FlateDecode /Length %d >>")
    streams[image] = zlib.compress(pixels)
    font_dict = b" ".join(b"/%s %d 0 R" % (name.encode(), num) for name, num in fonts.items())
    kids = []
    for items in pages:
        content = add(b"<< /Length %d >>")
        streams[content] = _content(items, height)
        if rotate == 90:
            streams[content] = b"q 0 1 -1 0 %.2f 0 cm\n%s\nQ" % (height, streams[content])
        kids.append(add(b"<< /Type /Page /Parent %d 0 R /MediaBox [0 0 %.2f %.2f] /Rotate %d "
                        b"/Resources << /Font << %s >> /XObject << /Im1 %d 0 R >> >> "
                        b"/Contents %d 0 R >>"
                        % (pages_obj, media[0], media[1], rotate, font_dict, image, content)))
    objects[catalog] = b"<< /Type /Catalog /Pages %d 0 R >>" % pages_obj
    objects[pages_obj] = (b"<< /Type /Pages /Count %d /Kids [%s] >>"
                          % (len(kids), b" ".join(b"%d 0 R" % k for k in kids)))
    file_id = hashlib.md5(repr(pages).encode()).digest()
    security = None
    if user_password is not None or owner_password is not None:
        security = _Rc4Security(user_password or "", owner_password or "owner", file_id)
    info = None
    if title is not None:
        value = title.encode("utf-16-be")
        if security:
            value = security.encrypt(len(objects), b"\xfe\xff" + value)
        else:
            value = b"\xfe\xff" + value
        info = add(b"<< /Title <%s> >>" % value.hex().encode())
    encrypt = add(security.dictionary()) if security else None

    out = bytearray(b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n")
    offsets = [0] * len(objects)
    for number in range(1, len(objects)):
        offsets[number] = len(out)
        body = objects[number]
        out += b"%d 0 obj\n" % number
        if number in streams:
            data = streams[number]
            if security:
                data = security.encrypt(number, data)
            out += body % len(data) + b"\nstream\n" + data + b"\nendstream"
        else:
            out += body
        out += b"\nendobj\n"
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % len(objects)
    for number in range(1, len(objects)):
        out += b"%010d 00000 n \n" % offsets[number]
    trailer = b"/Size %d /Root %d 0 R /ID [<%s> <%s>]" % (
        len(objects), catalog, file_id.hex().encode(), file_id.hex().encode())
    if info:
        trailer += b" /Info %d 0 R" % info
    if encrypt:
        trailer += b" /Encrypt %d 0 R" % encrypt
    out += b"trailer\n<< %s >>\nstartxref\n%d\n%%%%EOF\n" % (trailer, xref)
    return bytes(out)


LOREM = [
    "Our company collects the personal information you give us when you create an "
    "account, such as your name, email address and phone number.",
    "We use this information to provide the service, to keep your account secure and "
    "to answer your questions.",
    "We keep personal information only as long as the purposes in this policy require, "
    "then we delete or anonymize it.",
    "You may ask us to access, correct or delete your personal information by writing "
    "to the address given at the end of this policy.",
]


def two_column_pdf(flow: bool = False) -> bytes:
    """A title across the page, then two columns written line by line across both.
    With ``flow`` one paragraph runs from the bottom of the left column to the top of
    the right one, breaking mid-sentence."""
    if flow:
        lines = wrap(" ".join(LOREM * 2), 220, 10)
        half = (len(lines) + 1) // 2
        while lines[half - 1].endswith("."):
            half += 1
        left_lines, right_lines = lines[:half], lines[half:]
    else:
        left_lines = wrap("Left column begins here. " + LOREM[0] + " " + LOREM[1]
                          + " Left column ends here.", 220, 10)
        right_lines = wrap("Right column begins here. " + LOREM[2] + " " + LOREM[3]
                           + " Right column ends here.", 220, 10)
    items = [("text", 72, 60, "Two Column Privacy Notice", 20, "F2")]
    top = 110
    for i in range(max(len(left_lines), len(right_lines))):
        if i < len(left_lines):
            items.append(("text", 72, top, left_lines[i], 10, "F1"))
        if i < len(right_lines):
            items.append(("text", 320, top, right_lines[i], 10, "F1"))
        top += 12.5
    return make_pdf([items])


def headers_pdf(pages: int = 4) -> bytes:
    out = []
    for n in range(1, pages + 1):
        items = [("text", 72, 30, "ACME Group Privacy Notice", 9, "F1"),
                 ("text", 400, 30, "Confidential", 9, "F1")]
        top = 80
        for k, text in enumerate(LOREM):
            para, top = paragraph(f"Page {n} paragraph {k + 1}. {text}", 72, top, 460)
            items += para
            top += 8
        items.append(("text", 280, 750, f"Page {n} of {pages}", 9, "F1"))
        out.append(items)
    return make_pdf(out)


def hyphen_pdf() -> bytes:
    items = [("text", 72, 72, "Your personal infor-", 11, "F1"),
             ("text", 72, 86, "mation is processed by a third-", 11, "F1"),
             ("text", 72, 100, "party provider under a third-party agreement.", 11, "F1")]
    return make_pdf([items])


def structure_pdf() -> bytes:
    items = [("text", 72, 60, "Privacy Policy", 22, "F2"),
             ("text", 72, 100, "1. Information We Collect", 15, "F2")]
    para, top = paragraph(LOREM[0], 72, 125, 460)
    items += para
    top += 8
    items.append(("text", 72, top, "\u2022 Contact details such as your email address.", 11, "F1"))
    top += 16
    items.append(("text", 72, top, "(1) Device information such as the model.", 11, "F1"))
    top += 16
    items.append(("text", 72, top, "a. Usage data such as pages you visit.", 11, "F1"))
    top += 24
    items.append(("text", 72, top, "2. How We Use It", 15, "F2"))
    para, top = paragraph(LOREM[1], 72, top + 25, 460)
    items += para
    return make_pdf([items], title="Untitled")


def table_pdf(rotate: int = 0) -> bytes:
    items = [("text", 72, 60, "Data We Collect", 16, "F2")]
    para, top = paragraph("The table below lists each business scenario.", 72, 90, 460)
    items += para
    rows = [("Scenario", "Data", "Purpose"),
            ("Sign up", "Email address", "Create the account"),
            ("Support", "Phone number", "Answer your questions")]
    xs = [72, 222, 372, 540]
    top += 10
    table_top = top
    for row in rows:
        for col, cell in enumerate(row):
            items.append(("text", xs[col] + 4, top + 4, cell, 10, "F1"))
        items.append(("line", 72, top, 540, top))
        top += 22
    items.append(("line", 72, top, 540, top))
    for x in xs:
        items.append(("line", x, table_top, x, top))
    para, _ = paragraph("Text after the table.", 72, top + 20, 460)
    return make_pdf([items + para], rotate=rotate)


def _table_items(rows, top, xs=(72, 222, 372, 540)):
    items = []
    table_top = top
    for row in rows:
        lines = max(len(cell) for cell in row)
        for col, cell in enumerate(row):
            for k, text in enumerate(cell):
                items.append(("text", xs[col] + 4, top + 4 + 12 * k, text, 10, "F1"))
        items.append(("line", xs[0], top, xs[-1], top))
        top += 8 + 12 * lines
    items.append(("line", xs[0], top, xs[-1], top))
    for x in xs:
        items.append(("line", x, table_top, x, top))
    return items, top


def long_table_pdf() -> bytes:
    """A table over two pages: the header row repeats on page 2 and the last row of
    page 1 goes on at the top of page 2."""
    header = (["Scenario"], ["Data"], ["Purpose"])
    first = [header] + [([f"Service {n}"], ["Email address"], ["Send notices."])
                        for n in range(1, 4)]
    first.append((["Support"], ["Phone number,"], ["We use it to"]))
    second = [header, ([], ["chat history."], ["answer your questions."]),
              (["Payments"], ["Card number"], ["Charge the fee."])]
    page1, _ = _table_items(first, 100)
    page2, top = _table_items(second, 72)
    page2 += paragraph("Text after the table.", 72, top + 20, 460)[0]
    return make_pdf([[("text", 72, 60, "Data We Collect", 16, "F2")] + page1, page2])


def chinese_pdf() -> bytes:
    items = [("text", 72, 72, "我们会收集您在使用服务时主动提供的个人信息", 12, "CJK"),
             ("text", 72, 90, "用于为您提供服务。", 12, "CJK")]
    return make_pdf([items])


def garbled_pdf(shift: int = 1) -> bytes:
    """Text in a font whose glyphs have no Unicode mapping; ``shift`` scrambles the codes
    the way subset fonts do, 0 keeps them readable as ASCII."""
    pages = []
    for n in range(2):
        lines = wrap(" ".join(LOREM), 460, 11)
        pages.append([("text", 72, 72 + 14 * i,
                       "".join(chr(ord(ch) + shift) if ch != " " else ch for ch in line), 11, "G")
                      for i, line in enumerate(lines)])
    return make_pdf(pages)


def scanned_pdf(pages: int = 2) -> bytes:
    return make_pdf([[("image", 0, 0, 612, 792)] for _ in range(pages)])


def plain_pdf(pages: int = 1, title: str | None = None, **kwargs) -> bytes:
    out = []
    for n in range(1, pages + 1):
        items, _ = paragraph(f"Section {n}. " + " ".join(LOREM), 72, 72, 460)
        out.append(items)
    return make_pdf(out, title=title, **kwargs)
