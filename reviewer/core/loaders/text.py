"""Plain-text loader with encoding detection.

For a UTF-8 file with LF line endings ``Document.text`` is the file content,
byte for byte, so that offsets can be shared with external tools.
"""
from __future__ import annotations

import codecs
import re

from charset_normalizer import from_bytes

from ..document import Block, Document, LoadError
from ..numbering import CJK_CHAR, looks_like_heading, numbering

CANDIDATE_ENCODINGS = ["utf_8", "gb18030", "big5", "utf_16", "cp1252", "latin_1"]

# Frequent characters of Chinese policy text, simplified and traditional, used to
# tell a real Chinese decoding from mojibake.
COMMON_HANZI = set(
    "的一是不了在人有我他这个们中来上大为和国地到以说时要就出会可也你对生能而子那得于着下自之年"
    "过发后作里用道行所然家种事成方多经么去法学如都同现当没动面起看定天分还进好小部其些主样理心"
    "本前开但因只从想实信息隐私政策收集使护保权利第三共享提供服务账号设备位置删除更新联系我们您"
    "個們這來為國時對發後過裡種會說經麼現當動還進樣實從資訊隱護權務帳號設備刪聯與於關條"
    "处理存储期限安全数据网络用户应情况或者及其相关法律规定同意授权"
)
_CONTROL = re.compile(r"[\x01-\x08\x0b\x0c\x0e-\x1f\x7f]")
_TERMINAL = tuple(".。!?！？;；:：")
MAX_BLOCK_CHARS = 100_000  # a longer paragraph is cut into blocks at sentence ends

def _hanzi_quality(text: str) -> float:
    hanzi = [c for c in text if "\u4e00" <= c <= "\u9fff"]
    if not hanzi:
        return 0.0
    return sum(c in COMMON_HANZI for c in hanzi) / len(hanzi)


def _looks_utf16(data: bytes) -> str | None:
    sample = data[:4096]
    if len(sample) < 4:
        return None
    even = sample[0::2].count(0)
    odd = sample[1::2].count(0)
    half = len(sample) / 2
    if odd > 0.3 * half and even < 0.05 * half:
        return "utf_16_le"
    if even > 0.3 * half and odd < 0.05 * half:
        return "utf_16_be"
    # Chinese UTF-16 has few NUL bytes; rely on a strict decode that yields common hanzi.
    for enc in ("utf_16_le", "utf_16_be"):
        try:
            text = sample[: len(sample) // 2 * 2].decode(enc)
        except UnicodeDecodeError:
            continue
        if _hanzi_quality(text) > 0.5 and not any(0xD800 <= ord(c) <= 0xDFFF for c in text):
            return enc
    return None


def _decode_line(line: bytes) -> tuple[str, str]:
    try:
        return line.decode("utf_8"), "utf_8"
    except UnicodeDecodeError:
        pass
    for enc in ("gb18030", "big5"):
        try:
            text = line.decode(enc)
        except UnicodeDecodeError:
            continue
        if _hanzi_quality(text) > 0.3:
            return text, enc
    try:
        return line.decode("cp1252"), "cp1252"
    except UnicodeDecodeError:
        return line.decode("utf_8", errors="replace"), "undecodable"


def _decode_mixed(data: bytes) -> tuple[str, list[str]] | None:
    """A UTF-8 file with lines in other encodings pasted in, decoded line by line.
    None when most lines with non-ASCII bytes are not UTF-8 (a legacy file)."""
    lines = data.splitlines(keepends=True)
    utf8 = other = 0
    for line in lines:
        if not line.isascii():
            try:
                line.decode("utf_8")
                utf8 += 1
            except UnicodeDecodeError:
                other += 1
    if utf8 == 0 or utf8 < other:
        return None
    parts = []
    used: dict[str, int] = {}
    for line in lines:
        text, enc = _decode_line(line)
        parts.append(text)
        if enc != "utf_8":
            used[enc] = used.get(enc, 0) + 1
    names = {"gb18030": "GB18030", "big5": "Big5", "cp1252": "Windows-1252",
             "undecodable": "UTF-8 with undecodable characters replaced"}
    summary = ", ".join(f"{n} line{'s' if n > 1 else ''} as {names[enc]}" for enc, n in used.items())
    return "".join(parts), [f"the file mixes text encodings; most of it is UTF-8, {summary}"]


def decode(data: bytes) -> tuple[str, str, list[str]]:
    """Return ``(text, encoding, warnings)``."""
    warnings: list[str] = []
    for bom, enc in ((codecs.BOM_UTF8, "utf_8_sig"), (codecs.BOM_UTF32_LE, "utf_32"),
                     (codecs.BOM_UTF32_BE, "utf_32"), (codecs.BOM_UTF16_LE, "utf_16"),
                     (codecs.BOM_UTF16_BE, "utf_16")):
        if data.startswith(bom):
            return data.decode(enc, errors="replace"), enc, warnings
    try:
        return data.decode("utf_8"), "utf_8", warnings
    except UnicodeDecodeError:
        pass
    utf16 = _looks_utf16(data)
    if utf16:
        return data.decode(utf16, errors="replace"), utf16, warnings
    mixed = _decode_mixed(data)
    if mixed:
        return mixed[0], "utf_8", mixed[1]
    chinese = []
    for enc in ("gb18030", "big5"):
        try:
            text = data.decode(enc)
        except UnicodeDecodeError:
            continue
        chinese.append((_hanzi_quality(text), enc, text))
    if chinese:
        quality, enc, text = max(chinese)
        if quality > 0.3:
            return text, enc, warnings
    best = from_bytes(data, cp_isolation=CANDIDATE_ENCODINGS).best()
    if best is not None and best.encoding not in ("utf_8",):
        text = str(best)
        if best.encoding in ("latin_1", "cp1252") and re.search(r"[\x80-\x9f]", text) is None:
            return text, best.encoding, warnings
        if best.encoding not in ("latin_1", "cp1252"):
            return text, best.encoding, warnings
    text = data.decode("utf_8", errors="replace")
    bad = text.count("\ufffd")
    warnings.append(f"the file mixes text encodings or is not valid UTF-8; "
                    f"{bad} characters could not be decoded")
    return text, "utf_8", warnings


def is_hard_wrapped(text: str) -> bool:
    """Text wrapped at a fixed width: almost no line is longer than ~100 characters
    while many are close to that width."""
    lengths = [len(line.strip()) for line in text.splitlines() if line.strip()]
    if len(lengths) < 5:
        return False
    long_lines = sum(n > 110 for n in lengths)
    wide = sum(55 <= n <= 110 for n in lengths)
    return long_lines <= 0.02 * len(lengths) and wide >= 0.4 * len(lengths)


def split_blocks(text: str) -> list[tuple[int, int]]:
    """Paragraph spans: each line is its own paragraph, except in hard-wrapped
    text, where a line that plainly continues the previous one is joined to it."""
    wrapped = is_hard_wrapped(text)
    spans: list[tuple[int, int]] = []
    pos = 0
    current: list[int] | None = None
    prev_line = ""
    for line in text.splitlines(keepends=True):
        stripped = line.strip()
        start, end = pos, pos + len(line.rstrip("\r\n"))
        pos += len(line)
        if not stripped:
            current = None
            prev_line = ""
            continue
        continues = (wrapped and current is not None and prev_line
                     and not prev_line.endswith(_TERMINAL)
                     and len(prev_line) >= 60
                     and not numbering(stripped))
        if continues:
            current[1] = end
        else:
            current = [start + (len(line) - len(line.lstrip())), end]
            spans.append(current)
        prev_line = stripped
    return [(s, e) for s, e in spans]


def cut_long(text: str, start: int, end: int) -> list[tuple[int, int]]:
    """Split the span ``[start, end)`` into pieces of at most MAX_BLOCK_CHARS,
    after a sentence end or a space where there is one."""
    pieces = []
    while end - start > MAX_BLOCK_CHARS:
        limit = start + MAX_BLOCK_CHARS
        cut = max(text.rfind(mark, start, limit) for mark in (". ", "。", "！", "？", "; ", "；"))
        if cut <= start:
            cut = text.rfind(" ", start, limit)
        cut = cut + 1 if cut > start else limit
        pieces.append((start, cut))
        start = cut
        while start < end and text[start].isspace():
            start += 1
    if start < end:
        pieces.append((start, end))
    return [(s, s + len(text[s:e].rstrip())) for s, e in pieces]


def too_long(chars: int, limits) -> LoadError:
    return LoadError(f"the text is too long to review: {chars:,} characters, over the limit "
                     f"of {limits.max_text_chars:,} characters")


def guess_title(blocks) -> str | None:
    """A plain-text policy's title: a short line near the top that is not a
    sentence ("Privacy Policy of Benewake", "隐私政策"), else none."""
    for block in blocks[:5]:
        line = " ".join(block.text.split())
        if (2 <= len(line) <= 80 and not line.endswith(_TERMINAL) and not numbering(line)
                and ":" not in line and "：" not in line):
            return line
    return None


_WORD = re.compile(r"[A-Za-z][\w'’.&-]*")
_MINOR_WORDS = {"a", "an", "and", "as", "at", "by", "for", "from", "in", "of", "on", "or", "the", "to", "with"}
_DATED_VALUE = re.compile(r"[:：]\s*[^.;:]{0,20}\d")  # a label whose value holds a number


def is_run_in_heading(text: str, start: int, end: int) -> bool:
    """An unnumbered English heading of plain text: a short line in capitals or
    title case with no sentence punctuation, opening a paragraph whose body
    starts on the very next line ("YOUR CHOICES\nYou may opt out ...")."""
    line = text[start:end].strip()
    words = _WORD.findall(line)
    if not 1 <= len(words) <= 12 or len(line) > 90 or line.endswith(_TERMINAL) or CJK_CHAR.search(line):
        return False
    if _DATED_VALUE.search(line):  # "Updated: January 26, 2022" is a date line
        return False
    if not (words[0][0].isupper() and all(w[0].isupper() or w.lower() in _MINOR_WORDS for w in words)):
        return False
    before = text.rfind("\n", 0, start)  # the line break that ends the previous line
    previous = text[text.rfind("\n", 0, before) + 1:before] if before > 0 else ""
    after = text.find("\n", end + 1)
    following = text[end + 1:after if after >= 0 else len(text)] if text[end:end + 1] == "\n" else ""
    return not previous.strip() and bool(following.strip())


def load_bytes(data: bytes, path: str, limits=None, progress=None) -> Document:
    if limits is not None and len(data) > 4 * limits.max_text_chars:
        # No encoding takes more than 4 bytes a character: refuse before decoding.
        raise LoadError(f"the text file is {len(data) / 2**20:.0f} MB, too long to review: "
                        f"over the limit of {limits.max_text_chars:,} characters")
    if b"\x00" in data[:4096] and not _looks_utf16(data) and not data.startswith(
            (codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        zeros = data.count(0)
        if zeros > len(data) * 0.1:
            raise LoadError("this is not a text file (it contains binary data)")
    text, encoding, warnings = decode(data)
    controls = len(_CONTROL.findall(text[:100_000]))
    if controls > 0.01 * min(len(text), 100_000) + 2 or text[:100_000].count("\ufffd") > 0.2 * min(len(text), 100_000):
        raise LoadError("this is not a text file (it contains binary data)")
    if "\x00" in text:
        text = text.replace("\x00", "")
        warnings.append("NUL characters in the file were removed")
    if limits is not None and len(text) > limits.max_text_chars:
        raise too_long(len(text), limits)
    if "\r" in text:
        text = text.replace("\r\n", "\n").replace("\r", "\n")
    if not text.strip():
        raise LoadError("the file contains only whitespace")
    if encoding not in ("utf_8", "utf_8_sig", "ascii"):
        warnings.append(f"decoded as {encoding.replace('_', '-').upper()}")
    blocks = tuple(Block(kind="heading" if looks_like_heading(text[s:e]) or is_run_in_heading(text, s, e)
                         else "paragraph", start=s, end=e, text=text[s:e])
                   for span in split_blocks(text) for s, e in cut_long(text, *span))
    title = guess_title(blocks)
    return Document(path=path, format="txt", text=text, blocks=blocks, sha256="",
                    title=title, warnings=tuple(warnings))
