"""Numbering styles of real policies ("1.", "4.1", "(1)", "一、", "（一）", "第一条")
and the test for a short numbered line that is a heading."""
from __future__ import annotations

import re

# Numbering styles of real policies. Order matters: the first match wins.
NUMBERING = [
    ("chapter", re.compile(r"第[一二三四五六七八九十百零〇0-9]+章")),
    ("article", re.compile(r"第[一二三四五六七八九十百零〇0-9]+条")),
    ("cn_comma", re.compile(r"[一二三四五六七八九十]+[、.．]")),
    ("cn_paren", re.compile(r"[（(][一二三四五六七八九十]+[）)]")),
    ("roman", re.compile(r"(?=[IVX])X{0,3}(?:IX|IV|V?I{0,3})[.、．](?=\s|\u00a0|[A-Z])")),
    ("roman_paren", re.compile(r"[（(](?=[IVX])X{0,3}(?:IX|IV|V?I{0,3})[）)]")),
    ("decimal", re.compile(r"\d{1,3}(?:[.．]\d{1,3})+[.．]?(?![\d])")),
    ("number", re.compile(r"\d{1,3}[.．、](?!\d)")),
    ("paren_number", re.compile(r"[（(]\d{1,3}[）)]")),
    ("number_paren", re.compile(r"\d{1,3}[)）]")),
    ("letter", re.compile(r"[a-zA-Z][.)](?=\s|\u00a0|[A-Z])")),
    ("letter_paren", re.compile(r"[（(][a-z][）)]")),
    ("bullet", re.compile(r"[•·●○■◆▪◦‣\-–*]")),
]
# One alternation tried once: the same first match as trying the styles in order.
_ANY_NUMBERING = re.compile("|".join(f"(?P<{style}>{pattern.pattern})" for style, pattern in NUMBERING))
_DIGITS = re.compile(r"\d+")
_TERMINAL = (".", "。", "!", "?", "！", "？", ";", "；", ":", "：", ",", "，")
CJK_CHAR = re.compile(r"[\u4e00-\u9fff]")  # a CJK unified ideograph
# "Registered address: …", "联系邮箱：x@y.com": a label with its value is not a heading.
_LABEL_VALUE = re.compile(r"[:：]\s*\S|@|\d{5,}")


def numbering(text: str) -> tuple[str, str] | None:
    """``(style, label)`` of the numbering at the start of ``text``, if any.
    Dotted decimals get a style per depth (``decimal2`` for 4.1)."""
    m = _ANY_NUMBERING.match(text.lstrip())
    if m is None:
        return None
    style, label = m.lastgroup, m.group(0)
    if style == "decimal":
        style = f"decimal{len(_DIGITS.findall(label))}"
    return style, label


_CN_DIGITS = {c: n for n, c in enumerate("一二三四五六七八九", start=1)}


def ordinal(text: str) -> tuple[str, int] | None:
    """``(style, value)`` of the numbering at the start of ``text``: 3 for
    "3.", "三、" or "（三）", the last part for "4.1"; None for letters,
    bullets and Roman numerals."""
    num = numbering(text)
    if num is None:
        return None
    style, label = num
    digits = _DIGITS.findall(label)
    if digits:
        return style, int(digits[-1])
    chinese = "".join(c for c in label if c in _CN_DIGITS or c == "十")
    if not chinese:
        return None
    tens, _, ones = chinese.rpartition("十")
    if "十" not in chinese:
        return style, _CN_DIGITS.get(ones, 0)
    return style, _CN_DIGITS.get(tens, 1) * 10 + _CN_DIGITS.get(ones, 0)


def _is_cjk(text: str) -> bool:
    sample = text[:200]
    return len(CJK_CHAR.findall(sample)) > 0.3 * max(len(sample.strip()), 1)


def looks_like_heading(text: str) -> bool:
    """A short numbered line with no sentence-final punctuation."""
    t = " ".join(text.split())
    num = numbering(t)
    if num is None or num[0] in ("bullet", "letter", "letter_paren"):
        return False
    cjk = _is_cjk(t)
    if len(t) > (45 if cjk else 110) or t.endswith(_TERMINAL) or _LABEL_VALUE.search(t):
        return False
    if cjk and t.endswith("的"):  # an item of a list of cases: "…有关的"
        return False
    body = t[len(num[1]):].strip()
    return bool(body) and not body[0].islower()
