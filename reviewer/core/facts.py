"""Facts with offsets: processor names, contacts, dates, periods, deadlines,
third parties and SDKs, and the PI categories mentioned."""
from __future__ import annotations

import re

from .results import Fact

EMAIL = re.compile(r"[\w.+-]+@[\w-]+(?:\.[\w-]+)+")
PHONE = re.compile(r"(?<![\w.])(?:\+?86[\s-]?)?(?:400[\s-]?\d{3}[\s-]?\d{4}|800[\s-]?\d{3}[\s-]?\d{4}"
                   r"|1[3-9]\d{9}|0\d{2,3}[\s-]?\d{7,8}|\d{2,4}[\s-]\d{4}[\s-]\d{4})(?![\w])")
ADDRESS = re.compile(r"(?:registered address|mailing address|office address|postal address|"
                     r"contact address|address|headquarters|注册地址|联系地址|办公地址|通讯地址|"
                     r"邮寄地址|地址)\s*[:：]\s*([^\n。；;]{8,160})", re.I)
COMPANY_EN = re.compile(
    r"\b((?:[A-Z][\w&'’.-]*|\([A-Z][\w]*\)|of|and|&)(?:\s+(?:[A-Z][\w&'’.-]*|\([A-Z][\w ]*\)|of|and|&)){0,8}"
    r",?\s+(?:Co\.,?\s*Ltd\.?|Company\s+Limited|Co\.?\s+Limited|Limited|Ltd\.?|Inc\.|Inc\b|"
    r"Corporation|Corp\.|LLC|GmbH|Pte\.?\s+Ltd\.?|S\.A\.|PLC))")
COMPANY_ZH = re.compile(r"[\u4e00-\u9fff（）()·A-Za-z0-9]{2,40}?(?:有限责任公司|股份有限公司|有限公司|集团公司)")
MONTHS = r"(?:Jan(?:uary)?|Feb(?:ruary)?|Mar(?:ch)?|Apr(?:il)?|May|June?|July?|Aug(?:ust)?|Sep(?:t(?:ember)?)?|Oct(?:ober)?|Nov(?:ember)?|Dec(?:ember)?)"
DATE = re.compile(rf"\b{MONTHS}\.?\s+\d{{1,2}},?\s+\d{{4}}|\b\d{{1,2}}\s+{MONTHS}\.?,?\s+\d{{4}}"
                  r"|\b(?:19|20)\d{2}[-/.](?:0?[1-9]|1[0-2])[-/.](?:0?[1-9]|[12]\d|3[01])\b"
                  r"|(?:19|20)\d{2}\s*年\s*\d{1,2}\s*月\s*\d{1,2}\s*日", re.I)
DATE_PLACEHOLDER = re.compile(r"\bDay\s+Month\s+\d{4}\b|\b[Xx]{2,4}\s*年\s*[Xx]{1,2}\s*月|\[date\]|"
                              r"\b(?:MM|DD)[/-](?:DD|MM)[/-](?:YYYY|\d{4})\b|_{3,}\s*年|年\s*_{2,}\s*月", re.I)
DATE_LABEL = re.compile(r"(effective|in force|生效|施行|实施)|(updated|update|revised|更新|修订|发布)", re.I)

NUMBER_WORDS = {"one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7,
                "eight": 8, "nine": 9, "ten": 10, "eleven": 11, "twelve": 12, "fifteen": 15,
                "twenty": 20, "thirty": 30, "forty-five": 45, "sixty": 60, "ninety": 90}
ZH_DIGITS = {"一": 1, "二": 2, "两": 2, "三": 3, "四": 4, "五": 5, "六": 6, "七": 7, "八": 8, "九": 9, "十": 10}
_NUM = r"(\d+|" + "|".join(NUMBER_WORDS) + r"|[一二两三四五六七八九十百]+)"
PERIOD_EN = re.compile(rf"\b{_NUM}\s*(?:\(\d+\)\s*)?(years?|months?|weeks?|days?)\b", re.I)
PERIOD_ZH = re.compile(rf"{_NUM}\s*(个月|年|周|日|天)")
DEADLINE_EN = re.compile(rf"\bwithin\s+{_NUM}\s*(?:\(\d+\)\s*)?(working|business|calendar)?\s*(days?|months?|weeks?)\b", re.I)
DEADLINE_ZH = re.compile(rf"{_NUM}\s*个?\s*(工作日|日|天|个月|月)\s*内")
RETENTION_CONTEXT = re.compile(r"retain|retention|store|storage|keep|kept|preserv|sav(?:e|ed|ing)|"
                               r"保存|存储|储存|保留|留存", re.I)
UNIT_DAYS = {"day": 1, "week": 7, "month": 30, "year": 365, "日": 1, "天": 1, "周": 7, "个月": 30,
             "月": 30, "年": 365}


def _number(token: str) -> int | None:
    token = token.lower()
    if token.isdigit():
        return int(token)
    if token in NUMBER_WORDS:
        return NUMBER_WORDS[token]
    if token and all(c in ZH_DIGITS or c == "百" for c in token):
        if token == "十":
            return 10
        if "十" in token:
            head, _, tail = token.partition("十")
            return ZH_DIGITS.get(head, 1) * 10 + ZH_DIGITS.get(tail, 0)
        return ZH_DIGITS.get(token)
    return None


def _unit_days(unit: str) -> int:
    unit = unit.lower().rstrip("s")
    return UNIT_DAYS.get(unit, 1)


def _sentence_around(text: str, start: int, end: int) -> str:
    left = max(text.rfind("\n", 0, start), text.rfind(".", 0, start), text.rfind("。", 0, start))
    right_candidates = [i for i in (text.find("\n", end), text.find("。", end)) if i != -1]
    right = min(right_candidates) if right_candidates else len(text)
    return text[left + 1:right]


def _lexicon_facts(text: str, entries: list, kind: str) -> list[Fact]:
    facts = []
    for entry in entries:
        names = entry["names"]
        pattern = re.compile("|".join(
            (r"\b" + re.escape(n) + r"\b") if n.isascii() else re.escape(n) for n in names),
            re.I if any(n.isascii() for n in names) else 0)
        for m in pattern.finditer(text):
            detail = {k: v for k, v in entry.items() if k not in ("names",)}
            facts.append(Fact(kind=kind, value=entry.get("label", names[0]), start=m.start(),
                              end=m.end(), detail=detail))
    return facts


def extract_facts(document, ruleset) -> list[Fact]:
    text = document.text
    facts: list[Fact] = []
    for m in COMPANY_EN.finditer(text):
        name = m.group(1).strip()
        if len(name.split()) >= 2 and not name.lower().startswith(("the ", "a ")):
            facts.append(Fact("processor_name", name, m.start(1), m.end(1)))
    for m in COMPANY_ZH.finditer(text):
        facts.append(Fact("processor_name", m.group(0), m.start(), m.end()))
    for m in EMAIL.finditer(text):
        facts.append(Fact("email", m.group(0), m.start(), m.end()))
    for m in PHONE.finditer(text):
        if sum(c.isdigit() for c in m.group(0)) >= 7:
            facts.append(Fact("phone", m.group(0).strip(), m.start(), m.end()))
    for m in ADDRESS.finditer(text):
        value = m.group(1).strip().rstrip(")）,，")
        if sum(c.isalnum() for c in value) >= 8:
            facts.append(Fact("address", value, m.start(1), m.start(1) + len(value)))
    for pattern, placeholder in ((DATE, False), (DATE_PLACEHOLDER, True)):
        for m in pattern.finditer(text):
            before = text[max(0, m.start() - 40):m.start()]
            label = DATE_LABEL.search(before)
            role = "date"
            if label:
                role = "effective_date" if label.group(1) else "updated_date"
            facts.append(Fact(role, m.group(0), m.start(), m.end(),
                              {"placeholder": True} if placeholder else {}))
    for pattern in (PERIOD_EN, PERIOD_ZH):
        for m in pattern.finditer(text):
            if not RETENTION_CONTEXT.search(_sentence_around(text, m.start(), m.end())):
                continue
            n = _number(m.group(1))
            if n:
                facts.append(Fact("retention_period", m.group(0), m.start(), m.end(),
                                  {"days": n * _unit_days(m.group(2))}))
    for m in DEADLINE_EN.finditer(text):
        n = _number(m.group(1))
        if n:
            working = (m.group(2) or "").lower() in ("working", "business")
            facts.append(Fact("deadline", m.group(0), m.start(), m.end(),
                              {"days": n * _unit_days(m.group(3)), "working": working}))
    for m in DEADLINE_ZH.finditer(text):
        n = _number(m.group(1))
        if n:
            facts.append(Fact("deadline", m.group(0), m.start(), m.end(),
                              {"days": n * _unit_days(m.group(2)), "working": m.group(2) == "工作日"}))
    lexicons = ruleset.lexicons
    facts += _lexicon_facts(text, lexicons.get("third_parties", []), "third_party")
    facts += _lexicon_facts(text, lexicons.get("pi_categories", []), "pi_category")
    facts.sort(key=lambda f: (f.start, f.kind))
    return _dedupe(facts)


def _dedupe(facts: list[Fact]) -> list[Fact]:
    out, seen = [], set()
    for f in facts:
        key = (f.kind, f.start)
        if key not in seen:
            seen.add(key)
            out.append(f)
    return out
