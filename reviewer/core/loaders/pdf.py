"""PDF loader.

PDFium (through pypdfium2) supplies the characters with their boxes and font
sizes; lines, columns, paragraphs, headings and lists are rebuilt from that
geometry. Ruled tables are found with pdfplumber's table algorithm fed with
the ruling lines read from the page's path objects, so pdfminer never has to
parse a page.
"""
from __future__ import annotations

import ctypes
import gc
import re
from collections import Counter, defaultdict
from dataclasses import replace
from functools import partial
from itertools import islice

import pypdfium2 as pdfium
import pypdfium2.raw as pdfium_c

from ..document import Box, Document, LoadError, TextBuilder

_CJK_RANGES = ("\u2e80-\u2fff\u3000-\u303f\u3040-\u30ff\u3100-\u312f\u3190-\u31ff"
               "\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\ufe30-\ufe4f\uff00-\uffef")
_TOKEN = re.compile(f"[{_CJK_RANGES}]+|[^\\s{_CJK_RANGES}\ufffe]+\ufffe?|\ufffe")
_CJK_CHAR = re.compile(f"[{_CJK_RANGES}]")
_BAD_CHARS = re.compile("[\x00\x01\x03-\x08\x0b\x0c\x0e-\x1f\ue000-\uf8ff\ufffd]")
_SAMPLE_WORD = re.compile(r"\S+")
_SURROGATE = re.compile("[\ud800-\udfff]")
_VOCAB_WORD = re.compile(r"[A-Za-z]+(?:-[A-Za-z]+)*")
_BROKEN_WORD = re.compile("[A-Za-z]*(?:[\ufffe\u00ad\x02]|-\r?\n)\\s*[A-Za-z]*")
_MARKER = re.compile(
    r"(?:[•●○◦▪■□◆◇►▸‣⁃∙·\-–—*]\s"
    r"|\(?\d{1,3}[.)]\s|\(?[A-Za-z][.)]\s|\(?(?:[ivx]{1,4}|[IVX]{1,4})[.)]\s"
    r"|[（(]\s?(?:\d{1,3}|[一二三四五六七八九十]{1,3})\s?[)）]"
    r"|[一二三四五六七八九十]{1,3}\s?、|\d{1,3}\s?、|[①-⑳])")
_TERMINAL = frozenset(".!?:;。！？：；…")
_CLOSERS = "\"'”’»)]）】」』"
_SOFT_HYPHENS = "\u00ad\x02"
_HYPHENS = "-\u2010\ufffe" + _SOFT_HYPHENS
_MARKS = "\ufffe" + _SOFT_HYPHENS  # hyphen marks that never stay in the text
_CLEAN = str.maketrans({
    "\ufb00": "ff", "\ufb01": "fi", "\ufb02": "fl", "\ufb03": "ffi", "\ufb04": "ffl",
    "\ufb05": "st", "\ufb06": "st", "\u200b": None, "\u200c": None, "\u200d": None,
    "\u2060": None, "\ufeff": None, "\uf0b7": "•", "\uf0a7": "▪", "\uf076": "•",
    "\uf0d8": "•", "\uf0fc": "•", "\uf06c": "•", "\uf06e": "▪", "\uf0a8": "•",
})
_MEANINGLESS_TITLES = re.compile(
    r"^(?:untitled|title|document\d*|microsoft word\b.*|slide \d+|.*\.(?:docx?|pdf|rtf|odt|txt))$",
    re.I)
_FORCE_BOLD = 0x40000
_COMMON_WORDS = frozenset(
    "the and of to a in is you your we our us or for with this that be by on are will as may "
    "not it any information personal data".split())
_COMMON_CJK = frozenset("的了是我们您你信息个人在和或将会用于不有为以及对")


class _Word:
    """A run of non-space characters; a run of CJK characters keeps each character's
    left and right edge in ``chars`` so that every character gets its own box."""

    __slots__ = ("text", "x0", "top", "x1", "bottom", "space", "index", "cut", "chars")

    def __init__(self, text, x0, top, x1, bottom, space, index, cut=None, chars=None):
        self.text = text
        self.x0 = x0
        self.top = top
        self.x1 = x1
        self.bottom = bottom
        self.space = space  # whitespace before it in the PDF text
        self.index = index  # PDFium char index of its first character
        self.cut = cut  # right edge without the trailing hyphen
        self.chars = chars


class _Line:
    __slots__ = ("words", "x0", "top", "x1", "bottom", "page", "size", "bold", "style")

    def __init__(self, words, page, bounds=None):
        self.words = words
        if bounds is None:
            bounds = (min(w.x0 for w in words), min(w.top for w in words),
                      max(w.x1 for w in words), max(w.bottom for w in words))
        self.x0, self.top, self.x1, self.bottom = bounds
        self.page = page
        self.size = self.bottom - self.top
        self.bold = False
        self.style = 0  # heading level, 0 for body text

    @property
    def text(self):
        return " ".join(w.text for w in self.words)

    @property
    def head(self):
        """The start of the line, enough to spot a list marker."""
        return " ".join(w.text for w in self.words[:3])[:12]


class _Table:
    __slots__ = ("x0", "top", "x1", "bottom", "page", "cols", "cells", "index", "rows")

    def __init__(self, bbox, page, cols, cells):
        self.x0, self.top, self.x1, self.bottom = bbox
        self.page = page
        self.cols = cols  # left edges of the columns
        self.cells = cells  # {(row, col): [lines]}
        self.index = None
        self.rows = 0


class _Page:
    __slots__ = ("number", "width", "height", "lines", "tables", "chars", "bad", "margins",
                 "layout_height", "box_map")

    def __init__(self, number, width, height):
        self.number = number
        self.width = width  # as displayed, after /Rotate
        self.height = height
        self.layout_height = height  # upright for the text, where lines are rebuilt
        self.box_map = None  # layout box -> displayed box, when the two differ
        self.lines = []
        self.tables = []
        self.chars = 0
        self.bad = 0.0
        self.margins = []  # (kind, text) of running headers and footers


class _Vocabulary:
    """Words of the document, collected only when a hyphenated line break needs them."""

    def __init__(self):
        self.texts = []
        self.words = None

    def __contains__(self, word):
        if self.words is None:
            self.words = {w.lower() for text in self.texts
                          for w in _VOCAB_WORD.findall(_BROKEN_WORD.sub(" ", text))}
            self.texts = []
        return word in self.words


class _CallbackError(Exception):
    """Carries an exception raised by the caller's progress callback."""

    def __init__(self, error):
        super().__init__(error)
        self.error = error


class _Para:
    __slots__ = ("kind", "lines", "level", "page")

    def __init__(self, kind, lines, level=0):
        self.kind = kind
        self.lines = lines
        self.level = level
        self.page = lines[0].page


# ---------------------------------------------------------------- opening


def load_bytes(data: bytes, path: str, limits, progress=None) -> Document:
    if b"%PDF-" not in data[:1024]:
        raise LoadError("damaged or not a valid PDF (the file has no PDF header)")
    collecting = gc.isenabled()
    gc.disable()  # tens of thousands of small objects and no cycles: skip the collector
    try:
        return _load(data, path, limits, progress)
    finally:
        if collecting:
            gc.enable()


def _load(data, path, limits, progress) -> Document:
    warnings = []
    pdf = _open(data, warnings)
    try:
        count = len(pdf)
        if count == 0:
            raise LoadError("damaged or not a valid PDF (it has no pages)")
        if count > limits.max_pages:
            raise LoadError(f"the PDF has {count} pages, over the limit of "
                            f"{limits.max_pages} pages")
        meta_title = _metadata_title(pdf)
        pages, vocab = _read_pages(pdf, count, limits, warnings, progress)
        if b"%%EOF" not in data[-2048:]:
            warnings.append("The PDF file looks truncated; some content may be missing.")
        _check_text(pages, warnings)
        return _build(pages, vocab, path, meta_title, warnings)
    except (LoadError, MemoryError):
        raise
    except _CallbackError as exc:
        raise exc.error from None
    except pdfium.PdfiumError as exc:
        raise LoadError(f"damaged or not a valid PDF ({exc})") from None
    except Exception as exc:  # a broken file must not end in a traceback
        raise LoadError(f"damaged or not a valid PDF – it could not be read "
                        f"({type(exc).__name__})") from None
    finally:
        pdf.close()


def _open(data: bytes, warnings: list[str]):
    try:
        pdf = pdfium.PdfDocument(data)
    except pdfium.PdfiumError as exc:
        code = getattr(exc, "err_code", None)
        if code == pdfium_c.FPDF_ERR_PASSWORD:
            raise LoadError("the PDF is password-protected (encrypted) – open it with the "
                            "password and save an unprotected copy first") from None
        if code == pdfium_c.FPDF_ERR_SECURITY:
            raise LoadError("the PDF is encrypted with an unsupported security "
                            "scheme") from None
        raise LoadError("damaged or not a valid PDF – it cannot be opened") from None
    if pdfium_c.FPDF_GetSecurityHandlerRevision(pdf.raw) != -1:
        warnings.append("The PDF is encrypted with an owner password (editing or copying "
                        "restricted); its text was read anyway.")
    return pdf


def _metadata_title(pdf) -> str | None:
    try:
        title = " ".join(pdf.get_metadata_value("Title").split())
    except Exception:
        return None
    if len(title) < 3 or _MEANINGLESS_TITLES.match(title) or not re.search(r"\w", title):
        return None
    return title


# ---------------------------------------------------------------- pages


def _read_pages(pdf, count, limits, warnings, progress):
    raw = pdf.raw
    pages = []
    vocab = _Vocabulary()
    total = 0
    broken = []
    rect = pdfium_c.FS_RECTF()
    for index in range(count):
        page = _read_page(raw, index, rect, vocab)
        if page is None:
            broken.append(index + 1)
            try:
                width, height = pdf.get_page_size(index)
            except pdfium.PdfiumError:
                width, height = (pages[-1].width, pages[-1].height) if pages else (612.0, 792.0)
            page = _Page(index + 1, width, height)
        pages.append(page)
        total += page.chars
        if total > limits.max_text_chars:
            raise LoadError(f"the text is over the limit of {limits.max_text_chars:,} "
                            "characters")
        if progress:
            try:
                progress(index + 1, count)
            except Exception as exc:
                raise _CallbackError(exc) from None
    if len(broken) == count:
        raise LoadError("damaged or not a valid PDF – none of its pages can be read")
    if broken:
        many = len(broken) > 1
        warnings.append(f"Page{'s' if many else ''} {_page_list(broken)} could not be read "
                        f"(damaged) and {'are' if many else 'is'} left out.")
    return pages, vocab


def _read_page(raw, index, rect, vocab):
    page = pdfium_c.FPDF_LoadPage(raw, index)
    if not page:
        return None
    textpage = None
    try:
        if not pdfium_c.FPDF_GetPageBoundingBox(page, rect):
            return None
        left, bottom, right, top = rect.left, rect.bottom, rect.right, rect.top
        rotation = pdfium_c.FPDFPage_GetRotation(page) % 4
        if rotation % 2:
            result = _Page(index + 1, top - bottom, right - left)
        else:
            result = _Page(index + 1, right - left, top - bottom)

        textpage = pdfium_c.FPDFText_LoadPage(page)
        if not textpage:
            return None
        text = _page_text(textpage)
        if text.strip():
            vocab.texts.append(text)
            upright = _text_rotation(textpage, text, rotation)
            transform = _transform(upright, left, bottom, right, top)
            if upright != rotation:
                result.layout_height = (right - left) if upright % 2 else (top - bottom)
                to_pdf = _inverse(upright, left, bottom, right, top)
                to_display = _transform(rotation, left, bottom, right, top)
                result.box_map = lambda *box: to_display(*to_pdf(*box))
            words = _words(textpage, text, transform, rect,
                           None if upright else (left, top))
            width = (top - bottom) if upright % 2 else (right - left)
            height = result.layout_height
            if any(w.x1 <= 0 or w.x0 >= width or w.bottom <= 0 or w.top >= height
                   for w in words):  # text outside the visible page
                words = [w for w in words
                         if w.x1 > 0 and w.x0 < width and w.bottom > 0 and w.top < height]
            result.chars = len(text) - sum(map(text.count, " \r\n\t"))
            result.bad = _bad_share(textpage, text, words)
            edges = _edges(page, transform)
            if edges:
                words = _take_tables(result, words, edges)
            result.lines = _lines(words, result.number)
            _line_styles(textpage, result.lines)
        return result
    finally:
        if textpage:
            pdfium_c.FPDFText_ClosePage(textpage)
        pdfium_c.FPDF_ClosePage(page)


def _text_rotation(textpage, text, rotation) -> int:
    """The quarter turn (clockwise, like /Rotate) that shows most of the text upright."""
    votes = Counter()
    for match in islice(_SAMPLE_WORD.finditer(text), 0, 105, 7):
        angle = pdfium_c.FPDFText_GetCharAngle(textpage, match.start())
        if angle >= 0:
            votes[-round(angle / 1.5707963267948966) % 4] += 1  # angles turn clockwise
    if not votes or votes[rotation] * 2 >= sum(votes.values()):
        return rotation
    return votes.most_common(1)[0][0]


def _transform(rotation, left, bottom, right, top):
    """Map a PDF-space box (l, b, r, t) to (x0, top, x1, bottom) on the page turned by
    ``rotation`` quarter turns, origin at its top-left corner."""
    if rotation == 0:
        return lambda l, b, r, t: (l - left, top - t, r - left, top - b)
    if rotation == 1:
        return lambda l, b, r, t: (b - bottom, l - left, t - bottom, r - left)
    if rotation == 2:
        return lambda l, b, r, t: (right - r, b - bottom, right - l, t - bottom)
    return lambda l, b, r, t: (top - t, right - r, top - b, right - l)


def _inverse(rotation, left, bottom, right, top):
    """The inverse of :func:`_transform`."""
    if rotation == 0:
        return lambda x0, y0, x1, y1: (x0 + left, top - y1, x1 + left, top - y0)
    if rotation == 1:
        return lambda x0, y0, x1, y1: (y0 + left, x0 + bottom, y1 + left, x1 + bottom)
    if rotation == 2:
        return lambda x0, y0, x1, y1: (right - x1, y0 + bottom, right - x0, y1 + bottom)
    return lambda x0, y0, x1, y1: (right - y1, top - x1, right - y0, top - x0)


def _page_text(textpage) -> str:
    count = pdfium_c.FPDFText_CountChars(textpage)
    if count <= 0:
        return ""
    buffer = (ctypes.c_ushort * (count + 1))()
    written = pdfium_c.FPDFText_GetText(textpage, 0, count, buffer)
    text = ctypes.string_at(buffer, max(written - 1, 0) * 2).decode("utf-16-le", "surrogatepass")
    if len(text) != count or pdfium_c.FPDFText_GetTextIndexFromCharIndex(
            textpage, count - 1) != count - 1:  # text and char indexes differ: go char by char
        codes = (pdfium_c.FPDFText_GetUnicode(textpage, i) for i in range(count))
        text = "".join(chr(c) if 0 < c < 0x110000 else "\ufffd" for c in codes)
    return _SURROGATE.sub("\ufffd", text)


def _words(textpage, text, transform, rect, origin) -> list[_Word]:
    """One word per run of non-space characters (one per CJK character). Boxes are
    ``transform``-ed; ``origin`` is the shortcut for upright pages."""
    box = pdfium_c.FPDFText_GetLooseCharBox
    ox, oy = origin or (0.0, 0.0)
    words = []
    append = words.append
    for match in _TOKEN.finditer(text):
        start, end = match.span()
        token = match.group()
        box(textpage, start, rect)
        if origin:
            x0, top, x1, bottom = rect.left - ox, oy - rect.top, rect.right - ox, oy - rect.bottom
        else:
            x0, top, x1, bottom = transform(rect.left, rect.bottom, rect.right, rect.top)
        cut = None
        if end - start > 1:
            box(textpage, end - 1, rect)
            if origin:
                last = rect.left - ox, oy - rect.top, rect.right - ox, oy - rect.bottom
            else:
                last = transform(rect.left, rect.bottom, rect.right, rect.top)
            middle = (top + bottom) / 2
            if last[1] > middle or last[3] < middle:
                words.extend(_split_token(textpage, text, start, end, transform, rect))
                continue
            if last[2] > x1:
                x1 = last[2]
            if last[1] < top:
                top = last[1]
            if last[3] > bottom:
                bottom = last[3]
            if token[-1] in _HYPHENS:
                box(textpage, end - 2, rect)
                cut = transform(rect.left, rect.bottom, rect.right, rect.top)[2]
            elif token[0] >= "\u2e80" and _CJK_CHAR.match(token):
                append(_Word(token, x0, top, x1, bottom, start == 0 or text[start - 1].isspace(),
                             start, None, _char_edges(textpage, start, end, transform, rect)))
                continue
        if not token.isascii() or "\x02" in token:
            token = token.translate(_CLEAN)
            if not token:
                continue
            if "\x02" in token[:-1] or "\u00ad" in token[:-1]:
                token = re.sub("[\u00ad\x02]", "", token[:-1]) + token[-1]
        append(_Word(token, x0, top, x1, bottom, start == 0 or text[start - 1].isspace(),
                     start, cut))
    return words


def _split_token(textpage, text, start, end, transform, rect):
    """A token whose characters sit on different lines: one word per run of a line."""
    pieces = []
    run = None  # [first index, x0, top, x1, bottom]
    for i in range(start, end + 1):
        if i < end:
            pdfium_c.FPDFText_GetLooseCharBox(textpage, i, rect)
            x0, top, x1, bottom = transform(rect.left, rect.bottom, rect.right, rect.top)
        if run is not None and (i == end or not run[2] < (top + bottom) / 2 < run[4]):
            token = text[run[0]:i]
            space = run[0] == start and (start == 0 or text[start - 1].isspace())
            if len(token) > 1 and _CJK_CHAR.match(token):
                pieces.append(_Word(token, run[1], run[2], run[3], run[4], space, run[0], None,
                                    _char_edges(textpage, run[0], i, transform, rect)))
            elif token.translate(_CLEAN):
                pieces.append(_Word(token.translate(_CLEAN), run[1], run[2], run[3], run[4],
                                    space, run[0]))
            run = None
        if i < end:
            if run is None:
                run = [i, x0, top, x1, bottom]
            else:
                run[1:] = min(run[1], x0), min(run[2], top), max(run[3], x1), max(run[4], bottom)
    return pieces


def _char_edges(textpage, start, end, transform, rect):
    """Left and right edge of each character in ``start:end``."""
    edges = []
    for i in range(start, end):
        pdfium_c.FPDFText_GetLooseCharBox(textpage, i, rect)
        x0, _, x1, _ = transform(rect.left, rect.bottom, rect.right, rect.top)
        edges.append((x0, x1))
    return edges


def _bad_share(textpage, text, words) -> float:
    """Share of characters that did not map to real Unicode text."""
    if not words:
        return 0.0
    visible = sum(len(w.text) for w in words)
    bad = len(_BAD_CHARS.findall(text)) / visible
    step = max(len(words) // 24, 1)
    sample = words[::step]
    errors = sum(pdfium_c.FPDFText_HasUnicodeMapError(textpage, w.index) == 1 for w in sample)
    if errors > 0.5 * len(sample) and not _looks_like_text(words):
        return max(bad, errors / len(sample))
    return bad


def _looks_like_text(words) -> bool:
    """Whether text with unmapped glyphs still reads as English or Chinese."""
    latin = common = cjk = common_cjk = 0
    for word in words[:600]:
        token = word.text.strip(".,;:!?()[]\"'").lower()
        if token.isalpha() and token.isascii():
            latin += 1
            common += token in _COMMON_WORDS
        elif _is_cjk(token):
            cjk += len(token)
            common_cjk += sum(ch in _COMMON_CJK for ch in token)
    return common >= 0.08 * max(latin, 1) or common_cjk >= 0.05 * max(cjk, 1)


def _lines(words, page_number) -> list[_Line]:
    """Words in PDF order into lines: same height, moving right, no wide gap."""
    lines = []
    group = last = None
    x0 = top = x1 = bottom = 0.0
    for word in words:
        if group is not None:
            height = last.bottom - last.top
            middle = (word.top + word.bottom) / 2
            gap = word.x0 - last.x1
            if (last.top < middle < last.bottom and -0.3 * height < gap
                    and (gap < 1.2 * height or (len(group) == 1 and _is_marker(last.text)))):
                group.append(word)
                last = word
                if word.x1 > x1:
                    x1 = word.x1
                if word.top < top:
                    top = word.top
                if word.bottom > bottom:
                    bottom = word.bottom
                continue
            lines.append(_Line(group, page_number, (x0, top, x1, bottom)))
        group = [word]
        last = word
        x0, top, x1, bottom = word.x0, word.top, word.x1, word.bottom
    if group is not None:
        lines.append(_Line(group, page_number, (x0, top, x1, bottom)))
    return lines


def _is_marker(text):
    return _MARKER.match(text + " ") is not None


def _line_styles(textpage, lines):
    size_of = pdfium_c.FPDFText_GetFontSize
    font = (ctypes.create_string_buffer(256), ctypes.c_int(), {})
    for line in lines:
        words = line.words
        first = size_of(textpage, words[0].index)
        last = size_of(textpage, words[-1].index)
        if first != last:
            first, last = sorted((first, last, size_of(textpage, words[len(words) // 2].index)))[1:]
        line.size = first if first > 0 else line.bottom - line.top
        line.bold = (_is_bold(textpage, words[0].index, font)
                     and _is_bold(textpage, words[-1].index, font))


def _is_bold(textpage, index, font):
    name, flags, cache = font
    pdfium_c.FPDFText_GetFontInfo(textpage, index, name, len(name), ctypes.byref(flags))
    key = (name.value, flags.value)
    if key not in cache:
        lowered = key[0].lower()
        cache[key] = (bool(key[1] & _FORCE_BOLD)
                      or any(part in lowered for part in (b"bold", b"black", b"heavy",
                                                          b"semibold", b"demi"))
                      or pdfium_c.FPDFText_GetFontWeight(textpage, index) >= 600)
    return cache[key]


# ---------------------------------------------------------------- tables


def _edges(page, transform) -> list[dict]:
    edges = []
    budget = [3000]  # path objects to look at before giving up on the page
    _collect_edges(page, None, (1.0, 0.0, 0.0, 1.0, 0.0, 0.0), transform, edges, 0, budget)
    horizontal = sum(e["orientation"] == "h" for e in edges)
    if budget[0] < 0 or horizontal < 2 or len(edges) - horizontal < 2:
        return []
    return edges


def _collect_edges(page, form, matrix, transform, edges, depth, budget):
    """Axis-parallel line segments of the page's paths, in layout coordinates."""
    if form is None:
        count = pdfium_c.FPDFPage_CountObjects(page)
        get = partial(pdfium_c.FPDFPage_GetObject, page)
    else:
        count = pdfium_c.FPDFFormObj_CountObjects(form)
        get = partial(pdfium_c.FPDFFormObj_GetObject, form)
    object_matrix = pdfium_c.FS_MATRIX()
    point_x, point_y = ctypes.c_float(), ctypes.c_float()
    for i in range(count):
        obj = get(i)
        kind = pdfium_c.FPDFPageObj_GetType(obj)
        if kind not in (pdfium_c.FPDF_PAGEOBJ_PATH, pdfium_c.FPDF_PAGEOBJ_FORM):
            continue
        budget[0] -= 1
        if budget[0] < 0:
            return
        if not pdfium_c.FPDFPageObj_GetMatrix(obj, object_matrix):
            continue
        m = _multiply((object_matrix.a, object_matrix.b, object_matrix.c, object_matrix.d,
                       object_matrix.e, object_matrix.f), matrix)
        if kind == pdfium_c.FPDF_PAGEOBJ_FORM:
            if depth < 4:
                _collect_edges(page, obj, m, transform, edges, depth + 1, budget)
            continue
        segments = pdfium_c.FPDFPath_CountSegments(obj)
        if segments <= 0 or segments > 500:
            continue
        points = []
        start = None
        for k in range(segments):
            segment = pdfium_c.FPDFPath_GetPathSegment(obj, k)
            pdfium_c.FPDFPathSegment_GetPoint(segment, point_x, point_y)
            x = m[0] * point_x.value + m[2] * point_y.value + m[4]
            y = m[1] * point_x.value + m[3] * point_y.value + m[5]
            seg_type = pdfium_c.FPDFPathSegment_GetType(segment)
            if seg_type == pdfium_c.FPDF_SEGMENT_MOVETO:
                start = (x, y)
            elif seg_type == pdfium_c.FPDF_SEGMENT_LINETO and points:
                _add_edge(points[-1], (x, y), transform, edges)
            points.append((x, y))
            if pdfium_c.FPDFPathSegment_GetClose(segment) and start is not None:
                _add_edge((x, y), start, transform, edges)


def _multiply(a, b):
    """Matrix ``a`` applied first, then ``b`` (PDF row-vector convention)."""
    return (a[0] * b[0] + a[1] * b[2], a[0] * b[1] + a[1] * b[3],
            a[2] * b[0] + a[3] * b[2], a[2] * b[1] + a[3] * b[3],
            a[4] * b[0] + a[5] * b[2] + b[4], a[4] * b[1] + a[5] * b[3] + b[5])


def _add_edge(p, q, transform, edges):
    x0, top, x1, bottom = transform(min(p[0], q[0]), min(p[1], q[1]),
                                    max(p[0], q[0]), max(p[1], q[1]))
    width, height = x1 - x0, bottom - top
    if height < 1.0 and width >= 3:
        middle = (top + bottom) / 2
        edges.append({"x0": x0, "x1": x1, "top": middle, "bottom": middle, "doctop": middle,
                      "width": width, "height": 0.0, "orientation": "h"})
    elif width < 1.0 and height >= 3:
        middle = (x0 + x1) / 2
        edges.append({"x0": middle, "x1": middle, "top": top, "bottom": bottom,
                      "doctop": top, "width": 0.0, "height": height, "orientation": "v"})


def _take_tables(page: _Page, words, edges):
    """Find ruled tables; their words go to the cells, the others are returned."""
    from pdfplumber.table import (cells_to_tables, edges_to_intersections,
                                  intersections_to_cells, merge_edges)

    edges = merge_edges(edges, 3, 3, 3, 3)
    edges = [e for e in edges if (e["width"] if e["orientation"] == "h" else e["height"]) >= 3]
    if len(edges) > 800:
        return words
    cells = intersections_to_cells(edges_to_intersections(edges, 3, 3))
    rest = words
    for table_cells in cells_to_tables(cells):
        cols = sorted({round(c[0], 1) for c in table_cells})
        rows = sorted({round(c[1], 1) for c in table_cells})
        if len(cols) < 2:
            continue
        bbox = (min(c[0] for c in table_cells), min(c[1] for c in table_cells),
                max(c[2] for c in table_cells), max(c[3] for c in table_cells))
        content = defaultdict(list)
        inside = []
        outside = []
        for word in rest:
            cx, cy = (word.x0 + word.x1) / 2, (word.top + word.bottom) / 2
            if not (bbox[0] <= cx <= bbox[2] and bbox[1] <= cy <= bbox[3]):
                outside.append(word)
                continue
            for cell in table_cells:
                if cell[0] <= cx <= cell[2] and cell[1] <= cy <= cell[3]:
                    content[(rows.index(round(cell[1], 1)), cols.index(round(cell[0], 1)))].append(word)
                    break
            else:
                inside.append(word)
        if not content:
            continue
        table = _Table(bbox, page.number, cols, {})
        for key, cell_words in content.items():
            table.cells[key] = sorted(_lines(cell_words, page.number),
                                      key=lambda line: (round(line.top), line.x0))
        table.rows = max(row for row, _ in table.cells) + 1
        page.tables.append(table)
        rest = outside + inside
    if len(rest) != len(words):
        order = {id(w): i for i, w in enumerate(words)}
        rest.sort(key=lambda w: order[id(w)])
    return rest


# ---------------------------------------------------------------- checks


def _check_text(pages, warnings):
    with_text = [p for p in pages if p.chars]
    if not with_text:
        raise LoadError("no text layer – this PDF needs OCR (it contains only images of pages)")
    empty = [p.number for p in pages if not p.chars]
    if empty and len(pages) > 1:
        warnings.append(f"Page{'s' if len(empty) > 1 else ''} {_page_list(empty)} "
                        f"{'have' if len(empty) > 1 else 'has'} no text layer – "
                        "scanned content there needs OCR and is not reviewed.")
    garbled = [p.number for p in with_text if p.bad > 0.3]
    if len(garbled) * 2 > len(with_text):
        raise LoadError("the text layer is unreadable (fonts without a Unicode mapping) – "
                        "this PDF needs OCR")
    if garbled:
        warnings.append(f"The text on page{'s' if len(garbled) > 1 else ''} "
                        f"{_page_list(garbled)} is partly unreadable (fonts without a Unicode "
                        "mapping); findings there may be missing.")
    elif sum(p.bad * p.chars for p in with_text) > 0.02 * sum(p.chars for p in with_text):
        warnings.append("Some characters could not be decoded (fonts without a Unicode "
                        "mapping) and may show as odd symbols.")


def _page_list(numbers):
    if len(numbers) > 8:
        return ", ".join(map(str, numbers[:8])) + f" and {len(numbers) - 8} more"
    return ", ".join(map(str, numbers))


# ---------------------------------------------------------------- layout


def _build(pages, vocab, path, meta_title, warnings) -> Document:
    _mark_margins(pages)
    body_size, body_bold = _body_style(pages)
    levels = _heading_levels(pages, body_size, body_bold)
    leaves_by_page = []
    pitches = defaultdict(Counter)
    for page in pages:
        elements = page.lines + page.tables
        sizes = sorted(line.bottom - line.top for line in page.lines) or [10.0]
        leaves = _order(elements, max(6.0, 0.8 * sizes[len(sizes) // 2]))
        leaves = [_merge_same_line(leaf) for leaf in leaves]
        leaves_by_page.append(leaves)
        for leaf in leaves:
            for a, b in zip(leaf, leaf[1:]):
                if isinstance(a, _Line) and isinstance(b, _Line) and abs(a.size - b.size) < 0.3:
                    pitch = b.bottom - a.bottom
                    if 0.8 * a.size < pitch < 2.5 * a.size:
                        pitches[round(a.size * 2) / 2][round(pitch * 4) / 4] += 1
    normal_pitch = {size: counts.most_common(1)[0][0] for size, counts in pitches.items()}

    items = []
    table_count = 0
    for page, leaves in zip(pages, leaves_by_page):
        for kind, text in page.margins:
            if kind == "header":
                items.append(("margin", kind, text, page.number))
        for leaf in leaves:
            for element in _paragraphs(leaf, normal_pitch, levels):
                if isinstance(element, _Table):
                    table_count = _add_table(items, element, table_count)
                else:
                    _add_para(items, element)
        for kind, text in page.margins:
            if kind == "footer":
                items.append(("margin", kind, text, page.number))

    box_maps = {page.number: page.box_map for page in pages if page.box_map}
    builder = TextBuilder()
    first_heading = None
    for item in items:
        if isinstance(item, _Para):
            text, boxes = _compose(item.lines, vocab, box_maps)
            attrs = {"page": item.page}
            if item.kind == "heading":
                attrs["level"] = item.level
                if first_heading is None:
                    first_heading = text
            _add_block(builder, item.kind, text, boxes, attrs)
        elif isinstance(item, _Table):
            for row in range(item.rows):
                for col in range(len(item.cols)):
                    lines = item.cells.get((row, col))
                    if lines:
                        text, boxes = _compose(lines, vocab, box_maps)
                        _add_block(builder, "table_cell", text, boxes,
                                   {"page": lines[0].page, "row": row, "col": col,
                                    "table": item.index})
        else:
            _, kind, text, number = item
            builder.add_non_body(kind, text, page=number)
    return Document(
        path=path,
        format="pdf",
        text=builder.text(),
        blocks=tuple(builder.blocks),
        sha256="",
        title=meta_title or first_heading,
        pages=len(pages),
        page_sizes=tuple((round(p.width, 2), round(p.height, 2)) for p in pages),
        warnings=tuple(warnings),
    )


def _add_block(builder, kind, text, boxes, attrs):
    block = builder.add(kind, text, **attrs)
    if block is not None:
        shift = block.start
        builder.blocks[-1] = replace(block, boxes=tuple(
            Box(start + shift, end + shift, page, x0, top, x1, bottom)
            for start, end, page, x0, top, x1, bottom in boxes))


def _mark_margins(pages):
    """Move lines that repeat near the top or bottom of most pages to ``page.margins``."""
    if len(pages) < 2:
        return
    seen = defaultdict(set)
    candidates = []
    for page in pages:
        rows = _rows(page.lines)
        for zone, ordered in (("header", rows), ("footer", rows[::-1])):
            for row, neighbour in zip(ordered[:2], ordered[1:3] + [None]):
                inside = (row[0].bottom <= 0.14 * page.layout_height if zone == "header"
                          else row[0].top >= 0.86 * page.layout_height)
                height = max(line.bottom - line.top for line in row)
                if neighbour is None:
                    gap = height
                elif zone == "header":
                    gap = min(e.top for e in neighbour) - max(e.bottom for e in row)
                else:
                    gap = min(e.top for e in row) - max(e.bottom for e in neighbour)
                if not inside or gap < 0.6 * height:
                    break
                for line in row:
                    key = (zone, re.sub(r"\d+", "#", " ".join(line.text.lower().split())))
                    seen[key].add(page.number)
                    candidates.append((page, line, key))
    needed = max(2, (len(pages) + 1) // 2)
    removed = set()
    for page, line, key in candidates:
        if len(seen[key]) >= needed and id(line) not in removed:
            removed.add(id(line))
            page.margins.append((key[0], line.text))
    if removed:
        for page in pages:
            page.lines = [line for line in page.lines if id(line) not in removed]


def _rows(lines):
    """Lines grouped into rows that share a vertical position, top to bottom."""
    rows = []
    for line in sorted(lines, key=lambda line: line.top):
        if rows and line.top < rows[-1][-1].bottom - 0.5 * (line.bottom - line.top):
            rows[-1].append(line)
        else:
            rows.append([line])
    return rows


def _body_style(pages):
    sizes = Counter()
    bold = 0
    total = 0
    for page in pages:
        for line in page.lines:
            chars = sum(len(w.text) for w in line.words)
            sizes[round(line.size * 2) / 2] += chars
            total += chars
            if line.bold:
                bold += chars
    body = sizes.most_common(1)[0][0] if sizes else 10.0
    return body, bold > 0.5 * max(total, 1)


def _heading_levels(pages, body_size, body_bold):
    """Map rounded font sizes to heading levels; bold body-size text gets the last level."""
    threshold = body_size + max(1.0, 0.12 * body_size)
    large = Counter()
    for page in pages:
        for line in page.lines:
            size = round(line.size * 2) / 2
            if size >= threshold and len(line.words) <= 40:
                large[size] += 1
    levels = {size: min(rank + 1, 6) for rank, size in enumerate(sorted(large, reverse=True))}
    levels["bold"] = 0 if body_bold else min(len(levels) + 1, 6)
    for page in pages:
        for line in page.lines:
            size = round(line.size * 2) / 2
            if size in levels:
                line.style = levels[size]
            elif line.bold and size >= body_size - 0.5:
                line.style = levels["bold"]
    return levels


def _order(elements, min_gap):
    """Reading order: leaves (columns or full-width runs), each top to bottom."""
    if len(elements) <= 1:
        return [elements] if elements else []
    cut = _vertical_cut(elements, min_gap)
    if cut is not None:
        left = [e for e in elements if e.x1 <= cut]
        right = [e for e in elements if e.x1 > cut]
        return _order(left, min_gap) + _order(right, min_gap)
    bands = _bands(elements)
    if len(bands) == 1:
        return [sorted(elements, key=lambda e: (e.top, e.x0))]
    groups = []
    current, current_cut = bands[0], _vertical_cut(bands[0], min_gap) is not None
    for band in bands[1:]:
        band_cut = _vertical_cut(band, min_gap) is not None
        if (current_cut or band_cut) and _vertical_cut(current + band, min_gap) is not None:
            current, current_cut = current + band, True
        else:
            groups.append((current, current_cut))
            current, current_cut = band, band_cut
    groups.append((current, current_cut))
    leaves = []
    plain = []
    for group, has_cut in groups:
        if has_cut:
            if plain:
                leaves.append(sorted(plain, key=lambda e: (e.top, e.x0)))
                plain = []
            leaves.extend(_order(group, min_gap))
        else:
            plain.extend(group)
    if plain:
        leaves.append(sorted(plain, key=lambda e: (e.top, e.x0)))
    return leaves


def _vertical_cut(elements, min_gap):
    """The x position of the widest empty vertical gap between elements, if any."""
    spans = sorted((e.x0, e.x1) for e in elements)
    best = None
    best_width = min_gap
    reach = spans[0][1]
    for x0, x1 in spans[1:]:
        if x0 - reach >= best_width:
            best_width = x0 - reach
            best = (reach + x0) / 2
        reach = max(reach, x1)
    return best


def _bands(elements):
    """Split into horizontal bands separated by empty rows."""
    ordered = sorted(elements, key=lambda e: e.top)
    bands = [[ordered[0]]]
    bottom = ordered[0].bottom
    for e in ordered[1:]:
        overlap = bottom - e.top
        if overlap > 0.35 * (e.bottom - e.top) or (isinstance(e, _Table) and overlap > 0):
            bands[-1].append(e)
        else:
            bands.append([e])
        bottom = max(bottom, e.bottom) if overlap > 0 else e.bottom
    return bands


def _merge_same_line(leaf):
    out = []
    for e in leaf:
        last = out[-1] if out else None
        if (isinstance(e, _Line) and isinstance(last, _Line)
                and abs((e.top + e.bottom) - (last.top + last.bottom)) < 0.5 * (e.bottom - e.top)
                and (e.x0 >= last.x1 - 1 or e.x1 <= last.x0 + 1)):
            left, right = sorted([last, e], key=lambda line: line.x0)
            line = _Line(left.words + right.words, left.page)
            line.size = max(last.size, e.size)
            line.bold = last.bold and e.bold
            line.style = min(last.style, e.style) if last.style and e.style else 0
            out[-1] = line
        else:
            out.append(e)
    return out


def _paragraphs(leaf, normal_pitch, levels):
    """Group the lines of one leaf into paragraphs, headings and list items."""
    lines = [e for e in leaf if isinstance(e, _Line)]
    right = max((line.x1 for line in lines), default=0)
    out = []
    current = []

    def flush():
        if current:
            out.append(_classify(list(current), right, levels))
            current.clear()

    for element in leaf:
        if isinstance(element, _Table):
            flush()
            out.append(element)
            continue
        if current and _breaks(current[-1], element, right, normal_pitch):
            flush()
        current.append(element)
    flush()
    return out


def _breaks(a: _Line, b: _Line, right, normal_pitch) -> bool:
    if a.style != b.style or abs(a.size - b.size) > 0.6:
        return True
    pitch = b.bottom - a.bottom
    normal = normal_pitch.get(round(a.size * 2) / 2, 1.25 * a.size)
    if pitch <= 0 or pitch > normal + 0.3 * a.size:
        return True
    if _is_marker(b.head):
        return True
    last = a.words[-1].text.rstrip(_CLOSERS)
    return bool(last) and last[-1] in _TERMINAL and a.x1 < right - 3 * a.size


def _classify(lines, right, levels):
    first = lines[0]
    if first.style:
        text_length = sum(len(w.text) for line in lines for w in line.words)
        bold_only = first.style == levels.get("bold")
        last = lines[-1].words[-1].text
        if not bold_only and len(lines) <= 4:
            return _Para("heading", lines, first.style)
        if (bold_only and len(lines) <= 2 and text_length <= 160 and last[-1] not in ".。,，;；"
                and lines[-1].x1 < right - 1.5 * lines[-1].size):
            return _Para("heading", lines, first.style)
    if _is_marker(first.head):
        return _Para("list_item", lines)
    return _Para("paragraph", lines)


def _ends_sentence(para: _Para) -> bool:
    last = para.lines[-1].words[-1].text.rstrip(_CLOSERS)
    return not last or last[-1] in _TERMINAL


def _add_para(items, para: _Para):
    """Append, joining a paragraph that continues from the previous column or page."""
    if para.kind == "paragraph":
        previous = next((i for i in reversed(items) if not isinstance(i, tuple)), None)
        if (isinstance(previous, _Para) and previous.kind in ("paragraph", "list_item")
                and (previous.lines[-1].page != para.page or _column_changed(previous, para))
                and not _ends_sentence(previous)
                and abs(previous.lines[-1].size - para.lines[0].size) <= 0.6):
            previous.lines.extend(para.lines)
            return
    items.append(para)


def _column_changed(previous: _Para, para: _Para) -> bool:
    return para.lines[0].top < previous.lines[-1].top


def _add_table(items, table: _Table, table_count):
    previous = next((i for i in reversed(items) if not isinstance(i, tuple)), None)
    if (isinstance(previous, _Table) and previous.page + 1 == table.page
            and len(previous.cols) == len(table.cols)
            and all(abs(a - b) < 3 for a, b in zip(previous.cols, table.cols))):
        _continue_table(previous, table)
        return table_count
    table.index = table_count
    items.append(table)
    return table_count + 1


def _continue_table(previous: _Table, table: _Table):
    """Append a table continued on the next page, without its repeated header row; a row
    split by the page break is joined again."""
    ncols = len(table.cols)
    row = 0
    header = [_plain(previous.cells.get((0, col))) for col in range(ncols)]
    if any(header) and [_plain(table.cells.get((0, col))) for col in range(ncols)] == header:
        row = 1
    first = {col: table.cells.get((row, col)) for col in range(ncols)}
    if row < table.rows and _split_row(previous, first, ncols):
        last_row = previous.rows - 1
        for col, lines in first.items():
            if lines:
                previous.cells.setdefault((last_row, col), []).extend(lines)
        row += 1
    for row in range(row, table.rows):
        for col in range(ncols):
            if (row, col) in table.cells:
                previous.cells[(previous.rows, col)] = table.cells[(row, col)]
        previous.rows += 1
    previous.page = table.page


def _split_row(previous: _Table, first, ncols) -> bool:
    last_row = previous.rows - 1
    before = [previous.cells.get((last_row, col)) for col in range(ncols)]
    after = [first[col] for col in range(ncols)]
    if not any(after):
        return False
    lower = [bool(a) and a[0].words[0].text[:1].islower() for a in after]
    open_ended = [bool(b) and b[-1].words[-1].text.rstrip(_CLOSERS)[-1:] not in _TERMINAL
                  for b in before]
    if not all(not a or not b or o or low
               for a, b, o, low in zip(after, before, open_ended, lower)):
        return False
    return any(lower) or any(b and not a for a, b in zip(after, before))


def _plain(lines):
    return " ".join(line.text for line in lines) if lines else ""


# ---------------------------------------------------------------- text


def _compose(lines, vocab, box_maps):
    """Block text and word boxes ``[start, end, page, x0, top, x1, bottom]`` relative
    to the block."""
    parts = []
    boxes = []
    position = 0
    previous = None
    for line in lines:
        page = line.page
        first = True
        for word in line.words:
            text = word.text
            if previous is not None:
                if first:
                    separator = _line_join(parts, boxes, text, previous, vocab)
                else:
                    if parts[-1][-1] in _MARKS:
                        _finish_word(parts, boxes)
                    separator = " " if word.space and not (
                        text[0] >= "\u2e80" and _is_cjk(previous.text[-1])
                        and _is_cjk(text[0])) else ""
                position = boxes[-1][1]
                if separator:
                    parts.append(separator)
                    position += 1
            first = False
            parts.append(text)
            if word.chars is None:
                boxes.append([position, position + len(text), page, word.x0, word.top, word.x1,
                              word.bottom])
            else:
                top, bottom = word.top, word.bottom
                boxes.extend([position + i, position + i + 1, page, x0, top, x1, bottom]
                             for i, (x0, x1) in enumerate(word.chars))
            position += len(text)
            previous = word
    if parts:
        _finish_word(parts, boxes)
    if box_maps:
        for box in boxes:
            if box[2] in box_maps:
                box[3:] = box_maps[box[2]](*box[3:])
    return "".join(parts), boxes


def _finish_word(parts, boxes):
    """A hyphen marker that did not end a line: a plain hyphen, or nothing if soft."""
    text = parts[-1]
    if text[-1] == "\ufffe" and len(text) > 1:
        parts[-1] = text[:-1] + "-"
    elif text[-1] in _SOFT_HYPHENS and len(text) > 1:
        parts[-1] = text[:-1]
        boxes[-1][1] -= 1


def _line_join(parts, boxes, next_text, previous_word, vocab) -> str:
    """Separator between two lines; drops a hyphenation hyphen from the last part."""
    text = parts[-1]
    if text[-1] in _HYPHENS and len(text) > 1:
        left = re.search(r"[A-Za-z]+$", text[:-1])
        right = re.match(r"[A-Za-z]+", next_text)
        if text[-1] in _SOFT_HYPHENS or (
                left and right and text[-2].isalpha() and next_text[0].islower()
                and not _keep_hyphen(left.group(), right.group(), vocab)):
            parts[-1] = text[:-1]
            boxes[-1][1] -= 1
            if previous_word.cut is not None:
                boxes[-1][5] = previous_word.cut
        elif text[-1] == "\ufffe":
            parts[-1] = text[:-1] + "-"
        return ""
    if _is_cjk(text[-1]) or _is_cjk(next_text[0]):
        return ""
    return " "


def _keep_hyphen(left, right, vocab) -> bool:
    left, right = left.lower(), right.lower()
    if f"{left}-{right}" in vocab:
        return True
    if left + right in vocab:
        return False
    return len(right) > 2 and right in vocab


def _is_cjk(ch: str) -> bool:
    return bool(ch) and _CJK_CHAR.match(ch) is not None
