"""Facts with offsets: processor names, contacts, dates, periods, deadlines,
third parties and SDKs, and the PI categories mentioned.

Every occurrence is kept with its own offsets. ``Fact.value`` is normalised
(labels for lexicon entries, collapsed whitespace elsewhere) and
``detail["key"]`` gives a grouping key for names and contacts, so that a
report can group repeated facts by value.
"""
from __future__ import annotations

import bisect
import re
from functools import lru_cache

from .anchors import lower_same_length, requirement_options
from .numbering import CJK_CHAR
from .results import Fact

# ---------------------------------------------------------------- contacts

EMAIL = re.compile(r"(?<![A-Za-z0-9._%+-])[A-Za-z0-9._%+-]+@[A-Za-z0-9-]+(?:\.[A-Za-z0-9-]+)*\.[A-Za-z]{2,}")
# Digits must not continue a word or a number, but may follow Chinese text ("致电0755-…").
PHONE = re.compile(r"(?<![A-Za-z0-9_.])(?:\+?86[\s-]?)?(?:400[\s-]?\d{3}[\s-]?\d{4}|800[\s-]?\d{3}[\s-]?\d{4}"
                   r"|1[3-9]\d{9}|0\d{2,3}[\s-]?\d{7,8}|\d{2,4}[\s-]\d{4}[\s-]\d{4})(?![A-Za-z0-9_])")
PHONE_LABELLED = re.compile(
    r"(?:\b(?:tel|telephone|phone|hotline|fax|call(?:\s+us)?(?:\s+at)?)\b|电话|热线|客服|传真|手机)"
    r"[^\S\n]*(?:number|no\.?|号码)?[^\S\n]*[:：]?[^\S\n]*"
    r"(\+?\(?\d[\d\s()\-]{5,20}\d)", re.I)

ADDRESS_LABEL = re.compile(
    r"(?:registered\s+address|mailing\s+address|office\s+address|postal\s+address|contact\s+address|"
    r"correspondence\s+address|business\s+address|address|headquarters|domicile)\s*(?:is\s*)?[:：]"
    r"|\b(?:domicile(?:d)?(?:\s+registered)?|registered(?:\s+office)?|(?:office|company)\s+is\s+located)\s+at\b"
    r"|(?:注册地址|联系地址|办公地址|通讯地址|通信地址|邮寄地址|住所地?|公司地址|经营地址|地址)\s*(?:(?:为|是|位于)\s*[:：]?|[:：])"
    r"|(?:注册地|办公地点|公司)(?:位于|设在)", re.I)
ADDRESS_NOT_AFTER = re.compile(r"(?:e-?mail|ip|mac|web|website|url|wallet|server|bluetooth)\s*$", re.I)
ADDRESS_CUE = re.compile(r"\d|\b(?:road|rd|street|st|avenue|ave|district|floor|fl|building|bldg|bld|tower|"
                         r"park|room|rm|suite|block|lane|village|province|city)\b|[路街道号区楼室层座园市省县镇村巷]",
                         re.I)
# Words that may end with a period inside an address ("No. 6", "Bld.").
ADDRESS_ABBREV = re.compile(r"(?:\b(?:no|nos|bld|bldg|rd|st|ave|fl|rm|blvd|dist|co|ltd|inc|ste|apt|"
                            r"[A-Z])\.)$", re.I)
ADDRESS_STOP_LABEL = re.compile(r"\s*(?:,|，|;|；)?\s*(?:\b(?:tel|telephone|phone|e-?mail|fax|post\s*code|postcode|"
                                r"postal\s+code|zip(?:\s+code)?)\b|电话|邮箱|邮编|邮政编码|传真)", re.I)
ADDRESS_ZH_STOP = re.compile(r"我们|您|如果|如您|请|的")
POSTCODE = re.compile(r"(?:post\s*code|postal\s+code|zip(?:\s+code)?|邮编|邮政编码)\D{0,12}(\d{5,6})\b", re.I)

# ---------------------------------------------------------------- names

_EN_WORD = r"(?:[A-Z][\w&'’.\-]*|\([A-Z][\w ]*\)|of|and|&|de|the)"
_EN_SUFFIX = (r"(?:Co\.?,?[^\S\n]*Ltd\b\.?|CO\.?,?[^\S\n]*LTD\b\.?|Co\.?,?[^\S\n]+Limited|Company[^\S\n]+Limited|"
              r"COMPANY[^\S\n]+LIMITED|Limited|LIMITED|Ltd\b\.?|LTD\b\.?|Inc\b\.?|INC\b\.?|Incorporated|"
              r"Corporation|CORPORATION|Corp\.|LLC|L\.L\.C\.|GmbH|Pte\.?[^\S\n]+Ltd\b\.?|PTE\.?[^\S\n]+LTD\b\.?|"
              r"S\.A\.|PLC|plc|B\.V\.|AG\b|S\.[àa]\.?r\.l\.)")
COMPANY_EN = re.compile(rf"\b({_EN_WORD}(?:[^\S\n]+{_EN_WORD}){{0,9}},?[^\S\n]+{_EN_SUFFIX})(?![\w])")
# Leading words that are not part of a name ("Privacy Policy of", "The", "Dear").
EN_NAME_STOP = {
    "the", "this", "these", "that", "our", "we", "us", "privacy", "policy", "welcome", "dear", "by",
    "if", "and", "of", "&", "hereinafter", "as", "at", "from", "to", "for", "with", "between", "a",
    "an", "you", "your", "user", "users", "agreement", "terms", "service", "services", "notice",
    "statement", "in", "on", "is", "are", "section", "article", "chapter", "note", "notes", "de",
    "please", "contact", "operator", "controller", "processor", "copyright", "all", "rights",
    "reserved", "name", "company", "when", "where", "its", "their", "his", "her", "via", "through",
    "personal", "information", "protection", "data", "special", "important",
}
EN_NAME_GENERIC_TAIL = re.compile(r"^(?:is|are|be|been|not|very|strictly)\s", re.I)

COMPANY_ZH = re.compile(r"[\u4e00-\u9fff（）()·A-Za-z0-9]{2,40}?(?:有限责任公司|股份有限公司|有限公司|集团公司)"
                        r"(?:[\u4e00-\u9fff]{2,8}?分公司)?")
# Where a Chinese name starts: after these words (or an unclosed bracket) the name begins.
ZH_NAME_BOUNDARY = re.compile(
    r".*(?:本政策|本协议|本隐私政策|本指引|运营方|运营者|经营者|开发者|提供方|提供者|控制者|处理者|"
    r"是指|系指|提供给|传输给|共享给|披露给|转让给|委托给|发送给|使用了|接入了|集成了|使用|接入|集成|委托|授权|控制|"
    r"阅读|入驻|子公司|关联公司|关联方|第三方|合作方|合作伙伴|我们|我司|我行|以及|即|由|是|指|与|及|向|的|被|对|将|"
    r"把|从|于|或|请|您|(?<=[者方体们商称人])为|\d+[号室]|[：:，,、；;“”\"'《》【】\[\]\s])")
ZH_NAME_LEAD = re.compile(r"(?:[）)]|以及|其中|包括|例如|比如|其|和|及|与|或|以|如|受|来|给|由|向|对|将|把|从|被|即|原|了|的)+")
ZH_SUFFIX = re.compile(r"有限责任公司|股份有限公司|有限公司|集团公司")
ZH_INDUSTRY_ONLY = re.compile(r"(?:科技|技术|信息|网络|软件|电子|商务|传媒|文化|服务|数据|集团|控股|股份|实业|贸易)+")
ZH_GENERIC = re.compile(r"^(?:关联|第三方|合作|某|相关|其他|其它|上述|该|本|各|子|母|控股|下属|旗下|境外|境内)")

# ---------------------------------------------------------------- dates

MONTHS = (r"(?:Jan(?:uary)?|Feb(?:ruary)?|Mar(?:ch)?|Apr(?:il)?|May|June?|July?|Aug(?:ust)?|"
          r"Sep(?:t(?:ember)?)?|Oct(?:ober)?|Nov(?:ember)?|Dec(?:ember)?)")
DATE = re.compile(rf"\b{MONTHS}\.?\s+\d{{1,2}}(?:st|nd|rd|th)?,?\s+\d{{4}}\b"
                  rf"|\b\d{{1,2}}(?:st|nd|rd|th)?\s+(?:of\s+)?{MONTHS}\.?,?\s+\d{{4}}\b"
                  r"|\b(?:19|20)\d{2}[-/.](?:0?[1-9]|1[0-2])[-/.](?:0?[1-9]|[12]\d|3[01])\b"
                  r"|(?:19|20)\d{2}\s*年\s*\d{1,2}\s*月\s*\d{1,2}\s*日"
                  # a filled-in template: 2022年【11】月【29】日
                  r"|[【\[［]\s*(?:19|20)\d{2}\s*[】\]］]\s*年\s*[【\[［]?\s*\d{1,2}\s*[】\]］]?\s*月\s*[【\[［]?\s*\d{1,2}\s*[】\]］]?\s*日"
                  r"|(?:19|20)\d{2}\s*年\s*[【\[［]\s*\d{1,2}\s*[】\]］]\s*月\s*[【\[［]?\s*\d{1,2}\s*[】\]］]?\s*日"
                  r"|(?:19|20)\d{2}\s*年\s*\d{1,2}\s*月\s*[【\[［]\s*\d{1,2}\s*[】\]］]\s*日", re.I)
_PH_Y = r"(?:\d{4}|[Xx×*＊]{2,4}|20[Xx×*＊]{2}|_{2,}|【\s*】|\[\s*\]|［\s*］|□+|〇{4}|\s{2,})"
_PH_MD = r"(?:\d{1,2}|[Xx×*＊]{1,2}|_{1,}|【\s*】|\[\s*\]|［\s*］|□+|\s{2,})"
DATE_PLACEHOLDER = re.compile(
    r"\b(?:Day|DD)\s+(?:Month|MM)\s*,?\s+(?:\d{4}|Year|YYYY)\b"
    r"|\b(?:Month|MM)\s+(?:Day|DD)\s*,?\s+(?:\d{4}|Year|YYYY)\b"
    r"|\[\s*(?:insert\s+)?(?:effective\s+|update[d]?\s+|last\s+updated\s+)?date\s*\]"
    r"|\b(?:YYYY|XXXX)\s*[-/.年]\s*(?:MM|XX)\s*[-/.月]\s*(?:DD|XX)\s*日?"
    r"|\b(?:MM|DD)[/-](?:DD|MM)[/-](?:YYYY|\d{4})\b"
    rf"|{_PH_Y}\s*年\s*{_PH_MD}\s*月(?:\s*{_PH_MD}\s*日)?", re.I)
DATE_PLACEHOLDER_MARK = re.compile(r"[Xx×*＊_【\[［□〇]|Day|Month|Year|YYYY|MM|DD|\s{2,}", re.I)
LABEL_EFFECTIVE = r"effective|in\s+force|take[sn]?\s+effect|生效|施行|实施|起效"
LABEL_UPDATED = r"updated|update|revised|revision|amended|modified|version|更新|修订|修改|发布|版本"
DATE_LABEL = re.compile(rf"({LABEL_EFFECTIVE})|({LABEL_UPDATED})", re.I)

# ---------------------------------------------------------------- periods

NUMBER_WORDS = {"a": 1, "an": 1, "one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6,
                "seven": 7, "eight": 8, "nine": 9, "ten": 10, "eleven": 11, "twelve": 12,
                "thirteen": 13, "fourteen": 14, "fifteen": 15, "sixteen": 16, "eighteen": 18,
                "twenty": 20, "thirty": 30, "forty": 40, "forty-five": 45, "fifty": 50, "sixty": 60,
                "ninety": 90, "hundred": 100}
ZH_DIGITS = {"一": 1, "二": 2, "两": 2, "三": 3, "四": 4, "五": 5, "六": 6, "七": 7, "八": 8, "九": 9}
_EN_NUM_WORDS = "|".join(sorted((w for w in NUMBER_WORDS if w not in ("a", "an")), key=len, reverse=True))
_NUM_EN = rf"(\d+|{_EN_NUM_WORDS})"
_NUM_ZH = r"(\d+|[一二两三四五六七八九十百]+)"
_PAREN = r"(?:\s*\(\s*\d+\s*\))?"
PERIOD_QUAL_EN = (r"(?:(at\s+least|not\s+less\s+than|no\s+less\s+than|a\s+minimum\s+of|minimum\s+of|"
                  r"up\s+to|not\s+more\s+than|no\s+more\s+than|a\s+maximum\s+of|maximum\s+of|no\s+longer\s+than|"
                  r"not\s+exceeding)\s+)?")
PERIOD_EN = re.compile(rf"\b{PERIOD_QUAL_EN}{_NUM_EN}{_PAREN}[\s-]*(years?|months?|weeks?|days?)\b", re.I)
PERIOD_ZH = re.compile(rf"(不少于|不低于|至少|最少|最长不超过|最长|不超过|最多)?(?<![\d年月])(?<!第){_NUM_ZH}\s*"
                       r"(个月|年|周|日|天)(?!\s*\d{1,2}\s*[月日])")
DEADLINE_EN = re.compile(
    rf"\b(within|no\s+later\s+than|not\s+later\s+than|no\s+more\s+than|not\s+more\s+than|in\s+no\s+more\s+than|"
    rf"up\s+to|not\s+exceeding|allow(?:\s+up\s+to)?)\s+(?:a\s+(?:period\s+of\s+)?)?(?:(a|an|one)|{_NUM_EN}){_PAREN}[\s-]*"
    r"(working|business|calendar|natural)?\s*(days?|months?|weeks?)\b", re.I)
DEADLINE_ZH = re.compile(
    rf"(?:(不超过|最长不超过|最多|最迟)\s*)?(?<![\d年月]){_NUM_ZH}\s*个?\s*(工作日|自然日|日|天|个月|月|周)\s*"
    r"(内|之内|以内)?")
RETENTION_CONTEXT = re.compile(r"retain|retention|store|storage|keep|kept|preserv|sav(?:e|ed|ing)\b|"
                               r"保存|存储|储存|保留|留存", re.I)
UNIT_DAYS = {"day": 1, "week": 7, "month": 30, "year": 365, "日": 1, "天": 1, "周": 7, "个月": 30,
             "月": 30, "年": 365, "工作日": 1, "自然日": 1}

# ---------------------------------------------------------------- PI categories

SENSITIVE_DEFINITION = re.compile(
    r"人格尊严|一旦泄露|容易导致|personal\s+dignity|once\s+(?:leaked|disclosed)|may\s+easily\s+(?:lead|result)|"
    r"easily\s+lead\s+to|(?:is|are)\s+defined\s+as|"
    # the list of PIPL Art. 28, quoted as a definition
    r"生物识别(?:信息)?、宗教信仰|宗教信仰、特定身份|biometrics?(?:\s+information)?,\s+religious|"
    r"religious\s+beliefs?,\s+specific\s+identit", re.I)
NEGATED_COLLECTION = re.compile(
    r"\b(?:not|never|no\s+longer)\s+(?:\w+\s+){0,3}(?:collect|obtain|gather|process|use|require|ask|request|"
    r"store|access|read)\w*\b|不会?(?:主动)?(?:收集|获取|索取|处理|使用|要求|存储|读取|调用)|无需(?:提供|收集)|"
    r"并不(?:收集|获取)|不涉及|"
    # "…, but never your precise location", "但不包括精确位置", right before the mention
    r"\b(?:but|and)\s+(?:never|not)\s+(?:your\s+|the\s+|any\s+)?$|(?:但|而)不(?:包括|包含|含)(?:您的)?$", re.I)


# ---------------------------------------------------------------- scanning
#
# Every extractor looks for cheap anchors first (plain substring search, which
# is far faster than a regex run over the whole text) and runs its regex only
# in a window around each anchor. Lookbehinds and ``\b`` still see the text
# before a window, and windows are wide enough for the longest match, so the
# matches are those of a scan of the whole text (see ``_scan_windows``).

# A line end, a Chinese full stop or semicolon, or an English sentence end (not
# after an abbreviation). Starting with one character class lets the regex
# engine skip to the candidate characters; the checks come after it.
_HARD_BREAKS = "\n。；;"
_BREAK = re.compile(r"[\n。；;.!?](?:(?<=[\n。；;])|(?<!\bNo\.)(?<!\bCo\.)(?<!\bLtd\.)(?<!\be\.g\.)(?<!\bi\.e\.)"
                    r"(?<!\betc\.)(?=\s+[A-Z(\"“]))")
_NUMBER = re.compile(r"\d\d\d+")  # a whole run of three digits or more
_ZH_NUMERALS = set("0123456789０１２３４５６７８９一二两三四五六七八九十百")


class _Scan:
    """A text with what several extractors need, computed once: the lowercased
    text (same offsets), sentence boundaries, numbers, time units and word set."""

    def __init__(self, text: str):
        self.text = text
        self.lower = lower_same_length(text)
        self.cjk = CJK_CHAR.search(text) is not None
        # Lowercase text holds a regex's anchors wherever the regex matches
        # (case-insensitively), unless one of these letters stands for i or s.
        self.lowercase_anchors = not any(c in text for c in "İıſ")
        self._bounds = None
        self._numbers = None
        self._units = None
        self._words = None

    def find_all(self, needle: str, lowered: bool = True):
        """Offsets of every occurrence of ``needle``."""
        hay = self.lower if lowered else self.text
        i = hay.find(needle)
        while i != -1:
            yield i
            i = hay.find(needle, i + 1)

    def may_hold(self, options, start: int, end: int) -> bool:
        """Whether ``text[start:end]`` holds a string of each anchor set of one
        of the ``options`` of a regex (see ``anchors.requirement_options``), as
        every match does."""
        if not self.lowercase_anchors:
            return True
        window = self.lower[max(0, start):end]
        for required in options:
            for keys in required:
                for k in keys:
                    if k in window:
                        break
                else:
                    break  # no string of this set: the option fails
            else:
                return True
        return False

    @property
    def numbers(self) -> list[tuple[int, int]]:
        """Spans of the runs of three digits or more (phone numbers, years)."""
        if self._numbers is None:
            self._numbers = [m.span() for m in _NUMBER.finditer(self.text)]
        return self._numbers

    @property
    def units(self) -> tuple[list[tuple[int, int]], list[int]]:
        """See ``_units``."""
        if self._units is None:
            self._units = _units(self)
        return self._units

    @property
    def words(self) -> set[str]:
        if self._words is None:
            self._words = set(_ASCII_WORD.findall(self.lower))
        return self._words

    def sentence(self, start: int, end: int) -> tuple[int, int]:
        """The sentence (or line) around ``[start, end)``: ``(left, right)``."""
        if self._bounds is None:
            # A sentence starts after a break; it ends before a line end or
            # Chinese stop, and after an English sentence end.
            text = self.text
            lefts = [m.end() for m in _BREAK.finditer(text)]
            rights = [i - 1 if text[i - 1] in _HARD_BREAKS else i for i in lefts]
            self._bounds = (lefts, rights)
        lefts, rights = self._bounds
        i = bisect.bisect_right(lefts, start) - 1
        left = lefts[i] if i >= 0 else 0
        j = bisect.bisect_left(rights, end)
        right = rights[j] if j < len(rights) else len(self.text)
        return left, max(left, right)


_ASCII_WORD = re.compile(r"[a-z0-9]+")


@lru_cache(maxsize=4)
def _scan(text: str) -> _Scan:
    return _Scan(text)


def _scan_windows(pattern: re.Pattern, text: str, windows) -> list[re.Match]:
    """The matches a ``finditer`` over the whole text would give, found only in
    ``windows`` (``(lo, hi)`` offsets): leftmost first, longest at one start,
    no overlaps."""
    found = {}
    n = len(text)
    for lo, hi in windows:
        for m in pattern.finditer(text, max(0, lo), min(n, hi)):
            if m.end() > m.start():
                old = found.get(m.start())
                if old is None or m.end() > old.end():
                    found[m.start()] = m
    out = []
    last = -1
    for start in sorted(found):
        if start >= last:
            out.append(found[start])
            last = found[start].end()
    return out


def _sentence_bounds(text: str, start: int, end: int) -> tuple[int, int]:
    return _scan(text).sentence(start, end)


def _number(token: str) -> int | None:
    token = token.lower().strip()
    if token.isdigit():
        return int(token)
    if token in NUMBER_WORDS:
        return NUMBER_WORDS[token]
    if token and all(c in ZH_DIGITS or c in "十百" for c in token):
        total, current = 0, 0
        for c in token:
            if c == "百":
                total += (current or 1) * 100
                current = 0
            elif c == "十":
                total += (current or 1) * 10
                current = 0
            else:
                current = ZH_DIGITS[c]
        return total + current or None
    return None


def _unit_days(unit: str) -> int:
    unit = unit.lower()
    if unit in UNIT_DAYS:
        return UNIT_DAYS[unit]
    return UNIT_DAYS.get(unit.rstrip("s"), 1)


def _key(value: str) -> str:
    return re.sub(r"[\W_]+", " ", value.lower()).strip()


# ---------------------------------------------------------------- extractors

_EN_SUFFIX_AT = re.compile(_EN_SUFFIX + r"(?![\w])")
_EN_SUFFIX_HEADS = ("Co", "CO", "Lt", "LT", "Limited", "LIMITED", "Inc", "INC", "LLC", "L.L.C.", "GmbH",
                    "Pte", "PTE", "S.A.", "PLC", "plc", "B.V.", "AG", "S.à", "S.a")


def _company_en_matches(scan: _Scan) -> list[re.Match]:
    text = scan.text
    heads = set()
    for head in _EN_SUFFIX_HEADS:
        for i in scan.find_all(head, lowered=False):
            if i > 0 and text[i - 1] != "\n" and text[i - 1].isspace() and _EN_SUFFIX_AT.match(text, i):
                heads.add(i)
    out = []
    last = 0
    for i in sorted(heads):
        if i < last:
            continue
        end = _EN_SUFFIX_AT.match(text, i).end()
        line = text.rfind("\n", 0, i) + 1
        for m in COMPANY_EN.finditer(text, max(last, line, i - 400), end):
            if m.end() >= i:
                out.append(m)
                last = m.end()
                break
    return out


def _company_zh_matches(scan: _Scan) -> list[re.Match]:
    text = scan.text
    out = []
    last = 0
    for i in scan.find_all("公司", lowered=False):
        if i < last or not ZH_SUFFIX.search(text, max(0, i - 4), i + 2):
            continue
        for m in COMPANY_ZH.finditer(text, max(last, i - 48), i + 14):
            if m.end() >= i + 2:
                out.append(m)
                last = m.end()
                break
    return out


def _processor_names(text: str) -> list[Fact]:
    scan = _scan(text)
    facts = []
    for m in _company_en_matches(scan):
        name = " ".join(m.group(1).split())
        start = m.start(1)
        words = name.split(" ")
        while words and (words[0].lower().strip("()") in EN_NAME_STOP or not words[0][:1].isupper()
                         and not words[0][:1].isdigit()):
            start = text.index(words[0], start) + len(words[0])
            words = words[1:]
        if len(words) < 2 or EN_NAME_GENERIC_TAIL.search(" ".join(words[1:])):
            continue
        name = " ".join(words)
        begin = text.index(words[0], start)
        facts.append(Fact("processor_name", name, begin, m.end(1), {"key": _key(name)}))
    for m in _company_zh_matches(scan) if scan.cjk else ():
        raw = m.group(0)
        suffix = ZH_SUFFIX.search(raw)
        b = ZH_NAME_BOUNDARY.match(raw, 0, suffix.start())
        offset = b.end() if b else 0
        opened = []
        for i in range(offset, suffix.start()):
            if raw[i] in "（(":
                opened.append(i)
            elif raw[i] in "）)" and opened:
                opened.pop()
        if opened:
            offset = opened[-1] + 1
        lead = ZH_NAME_LEAD.match(raw, offset, suffix.start())
        if lead:
            offset = lead.end()
        name = raw[offset:]
        begin = m.start() + offset
        head = raw[offset:suffix.start()].strip("（()）")
        if len(head) < 2 or ZH_GENERIC.match(name) or ZH_INDUSTRY_ONLY.fullmatch(head):
            continue
        detail = {"key": _key(name)}
        if re.search(r"[Xx×*＊]{2,}|某某", head):
            detail["placeholder"] = True
        facts.append(Fact("processor_name", name, begin, m.end(), detail))
    return facts


def _emails(text: str) -> list[Fact]:
    scan = _scan(text)
    windows = [(i - 100, i + 260) for i in scan.find_all("@", lowered=False)]
    return [Fact("email", m.group(0), m.start(), m.end(), {"key": m.group(0).lower()})
            for m in _scan_windows(EMAIL, text, windows)]


def _address_value(text: str, start: int) -> str:
    """The address after a label at ``start``, cut at a line end, a sentence end,
    another field label, or a bracket that closes one opened before the label."""
    left, _ = _sentence_bounds(text, start, start)
    before = text[left:start]
    depth = sum(before.count(c) for c in "(（【[") - sum(before.count(c) for c in ")）】]")
    cjk = False
    out = []
    inner = 0
    i = start
    while i < len(text) and i - start < 200:
        c = text[i]
        if c in "\n。；;":
            break
        if "\u4e00" <= c <= "\u9fff":
            cjk = True
        if c in "(（【[":
            inner += 1
        elif c in ")）】]":
            if inner == 0 and depth > 0:
                break
            inner = max(0, inner - 1)
        elif c == "，" and out or c == "," and cjk:
            break
        elif cjk and ADDRESS_ZH_STOP.match(text, i):
            break
        elif c in ".!?" and (i + 1 >= len(text) or text[i + 1] in " \n\t\u00a0") and \
                not ADDRESS_ABBREV.search("".join(out[-6:]) + c):
            nxt = text[i + 1:i + 3].strip()
            if not nxt or nxt[:1].isupper() or nxt[:1] == "(" or not nxt[:1].isalnum():
                out.append(c)
                break
        if out and out[-1] in ", ，;；" and ADDRESS_STOP_LABEL.match(text, i):
            break
        out.append(c)
        i += 1
    value = "".join(out).strip()
    value = re.sub(r"[\s,，;；:：(（【\[]+$", "", value)
    value = re.sub(r"^[\s,，;；:：、【\[]+", "", value)
    if value.endswith(("】", "]")) and not re.search(r"[【\[]", value):
        value = value[:-1]
    if value.endswith(".") and not ADDRESS_ABBREV.search(value):
        value = value[:-1]
    return value


_ADDRESS_ANCHORS = ("address", "headquarters", "domicile", "registered", "located", "地址", "住所",
                    "位于", "设在")


def _addresses(text: str) -> list[Fact]:
    scan = _scan(text)
    windows = [(i - 40, i + 60) for anchor in _ADDRESS_ANCHORS for i in scan.find_all(anchor)]
    facts = []
    for m in _scan_windows(ADDRESS_LABEL, text, windows):
        if ADDRESS_NOT_AFTER.search(text, max(0, m.start() - 12), m.start()):
            continue
        start = m.end()
        while start < len(text) and text[start] in " \t\u00a0:：":
            start += 1
        value = _address_value(text, start)
        if value:
            start = text.find(value, start)
        if sum(c.isalnum() for c in value) < 8 or "@" in value or not ADDRESS_CUE.search(value):
            continue
        if re.match(r"(?:https?://|www\.)", value, re.I):
            continue
        detail = {"key": _key(value)}
        post = POSTCODE.search(text, start, min(len(text), start + len(value) + 60))
        if post:
            detail["postcode"] = post.group(1)
        facts.append(Fact("address", value, start, start + len(value), detail))
    return facts


_PHONE_LABELS = ("tel", "phone", "hotline", "fax", "call", "电话", "热线", "客服", "传真", "手机")


def _phones(text: str) -> list[Fact]:
    scan = _scan(text)
    facts = []
    seen = set()
    windows = [(s - 12, s + 30) for s, e in scan.numbers]
    for m in _scan_windows(PHONE, text, windows):
        if sum(c.isdigit() for c in m.group(0)) >= 7 and not _in_date_or_id(text, m.start(), m.end()):
            value = m.group(0).strip()
            facts.append(Fact("phone", value, m.start(), m.start() + len(value),
                              {"key": re.sub(r"\D", "", value)}))
            seen.add(m.start())
    labelled = []
    last = -1
    for i in sorted({i for label in _PHONE_LABELS for i in scan.find_all(label)}):
        if i < last:
            continue
        m = PHONE_LABELLED.match(text, i)
        if m:
            labelled.append(m)
            last = m.end()
    for m in labelled:
        value = m.group(1).strip().rstrip("-(")
        digits = re.sub(r"\D", "", value)
        if not 7 <= len(digits) <= 15 or m.start(1) in seen or any(
                f.start <= m.start(1) < f.end for f in facts):
            continue
        if DATE.match(text, m.start(1)):
            continue
        facts.append(Fact("phone", value, m.start(1), m.start(1) + len(value), {"key": digits}))
    return facts


def _in_date_or_id(text: str, start: int, end: int) -> bool:
    before = text[max(0, start - 1):start]
    after = text[end:end + 1]
    return before in ("/", "-", "年") or after in ("年", "/")


_PLACEHOLDER_ANCHORS = ("month", "mm", "date", "yyyy", "xxxx", "年")
_PLACEHOLDER_OPTIONS = requirement_options(DATE_PLACEHOLDER.pattern)


def _dates(text: str) -> list[Fact]:
    scan = _scan(text)
    years = [(s - 25, e + 20) for s, e in scan.numbers if e - s == 4 and text[s:s + 2] in ("19", "20")]
    anchors = [(i - 30, i + 30) for a in _PLACEHOLDER_ANCHORS for i in scan.find_all(a)
               if scan.may_hold(_PLACEHOLDER_OPTIONS, i - 30, i + 30)]
    facts = []
    spans = []
    for pattern, placeholder, windows in ((DATE, False, years), (DATE_PLACEHOLDER, True, anchors)):
        for m in _scan_windows(pattern, text, windows):
            value = m.group(0).strip()
            if placeholder:
                if not DATE_PLACEHOLDER_MARK.search(value) or DATE.fullmatch(value):
                    continue
                if any(s <= m.start() < e for s, e in spans):
                    continue
            start = m.start() + m.group(0).index(value)
            end = start + len(value)
            spans.append((start, end))
            role = _date_role(text, start, end)
            detail = {"placeholder": True} if placeholder else {}
            facts.append(Fact(role, value, start, end, detail))
    return facts


def _date_role(text: str, start: int, end: int) -> str:
    before = text[max(0, start - 50):start]
    before = re.split(r"[。；;]|\.\s", before)[-1]
    labels = list(DATE_LABEL.finditer(before))
    if labels:
        return "effective_date" if labels[-1].group(1) else "updated_date"
    after = text[end:end + 12]
    after = re.split(r"[\n。；;，,]", after)[0]
    label = DATE_LABEL.search(after)
    if label:
        if re.search(LABEL_EFFECTIVE, after, re.I):
            return "effective_date"
        return "updated_date"
    return "date"


_EN_UNITS = ("day", "week", "month", "year")
_ZH_UNITS = ("年", "月", "日", "天", "周")


def _units(scan: _Scan) -> tuple[list[tuple[int, int]], list[int]]:
    """Where English time units ("days", "month") start, with their length,
    and, in Chinese text, where 年/月/日/天/周 come right after a number."""
    text, lowered = scan.text, scan.lower
    en = []
    for unit in _EN_UNITS:
        for i in scan.find_all(unit):
            if i > 0 and lowered[i - 1].isalnum():
                continue
            en.append((i, len(unit)))
    zh = []
    if scan.cjk:
        for unit in _ZH_UNITS:
            for i in scan.find_all(unit, lowered=False):
                if any(c in _ZH_NUMERALS for c in text[max(0, i - 5):i]):
                    zh.append(i)
    return en, zh


def _unit_windows(scan: _Scan, before: int, after: int) -> tuple[list, list]:
    """Windows around the time units (see ``_units``)."""
    en, zh = scan.units
    return [(i - before, i + n + 2) for i, n in en], [(i - 16, i + after) for i in zh]


def _periods(text: str) -> list[Fact]:
    scan = _scan(text)
    en, zh = _unit_windows(scan, 70, 4)
    facts = []
    for pattern, windows in ((PERIOD_EN, en), (PERIOD_ZH, zh)):
        for m in _scan_windows(pattern, text, windows):
            left, right = scan.sentence(m.start(), m.end())
            if not RETENTION_CONTEXT.search(text, left, right):
                continue
            n = _number(m.group(2))
            if not n:
                continue
            detail = {"days": n * _unit_days(m.group(3))}
            qualifier = (m.group(1) or "").lower()
            if qualifier:
                detail["qualifier"] = "min" if re.search(r"least|less|minimum|少|低", qualifier) else "max"
            facts.append(Fact("retention_period", " ".join(m.group(0).split()), m.start(), m.end(), detail))
    return facts


def _deadlines(text: str) -> list[Fact]:
    scan = _scan(text)
    en, zh = _unit_windows(scan, 90, 8)
    facts = []
    for m in _scan_windows(DEADLINE_EN, text, en):
        n = 1 if m.group(2) else _number(m.group(3))
        if n:
            working = (m.group(4) or "").lower() in ("working", "business")
            facts.append(Fact("deadline", " ".join(m.group(0).split()), m.start(), m.end(),
                              {"days": n * _unit_days(m.group(5)), "working": working}))
    for m in _scan_windows(DEADLINE_ZH, text, zh):
        unit = m.group(3)
        # A bare number of days is a deadline only with 内/以内 or a "no more than" qualifier
        # (or when counted in working days): "保存6个月" is a period, not a deadline.
        if not (m.group(4) or m.group(1) or unit == "工作日"):
            continue
        if unit == "月" and not re.search(r"个\s*月", m.group(0)):
            if not re.fullmatch(r"[一二两三四五六七八九十]+", m.group(2)):
                continue  # "3月内" is a month of the year
        n = _number(m.group(2))
        if n:
            facts.append(Fact("deadline", m.group(0).strip(), m.start(), m.end(),
                              {"days": n * _unit_days(unit), "working": unit == "工作日"}))
    return facts


class _Lexicon:
    """Names of one lexicon, indexed for matching: English names by their first
    word, Chinese names in one alternation of literals (longest first)."""

    def __init__(self, names: list[str]):
        self.keys = {" ".join(n.lower().split()): n for n in names}
        self.by_first: dict[str, list[tuple[tuple[str, ...], str]]] = {}
        for key, name in self.keys.items():
            if key.isascii():
                words = tuple(key.split(" "))
                self.by_first.setdefault(words[0], []).append((words, name))
        for entries in self.by_first.values():
            entries.sort(key=lambda e: -len(e[0]))
        # the first plain word of each first word ("e" of "e-mail"), to check
        # cheaply whether the text can hold the name at all
        self.probe = {}
        for first in self.by_first:
            m = _ASCII_WORD.search(first)
            self.probe[first] = m.group(0) if m else first
        cjk = sorted((k for k in self.keys if not k.isascii()), key=len, reverse=True)
        self.cjk = re.compile("|".join(re.escape(k) for k in cjk)) if cjk else None


_LEXICONS: dict[int, tuple[list, _Lexicon]] = {}


def _lexicon(names: list[str]) -> _Lexicon:
    key = hash(tuple(names))
    if key not in _LEXICONS or _LEXICONS[key][0] != names:
        _LEXICONS[key] = (list(names), _Lexicon(names))
    return _LEXICONS[key][1]


def _is_word_char(c: str) -> bool:
    return c.isascii() and c.isalnum()


def _word_end(lowered: str, i: int) -> bool:
    """No word continues at ``i`` (hyphenated and apostrophe words count as one)."""
    c = lowered[i:i + 1]
    if not c:
        return True
    if _is_word_char(c):
        return False
    return not (c in "-'’" and _is_word_char(lowered[i + 1:i + 2]))


def _word_start(lowered: str, i: int) -> bool:
    if i == 0:
        return True
    c = lowered[i - 1]
    if _is_word_char(c) or c in "@./_":
        return False
    return not (c in "-'’" and i > 1 and _is_word_char(lowered[i - 2]))


def _match_words(lowered: str, i: int, words: tuple[str, ...]) -> int | None:
    """End of ``words`` starting at ``i``, separated by whitespace; the last
    word may take a plural -s or -es."""
    n = len(lowered)
    for k, word in enumerate(words):
        if not lowered.startswith(word, i):
            return None
        i += len(word)
        if k < len(words) - 1:
            if not _word_end(lowered, i):
                return None
            j = i
            while j < n and lowered[j].isspace():
                j += 1
            if j == i:
                return None
            i = j
    for tail in ("", "s", "es"):
        if lowered.startswith(tail, i) and _word_end(lowered, i + len(tail)):
            end = i + len(tail)
            return None if lowered[end:end + 1] == "@" else end
    return None


def _lexicon_matches(text: str, names: list[str]):
    """``(start, end, name)`` of every whole-word occurrence of a name, case-insensitively;
    English names also match their plural."""
    scan = _scan(text)
    lowered = scan.lower
    lex = _lexicon(names)
    words = scan.words
    for first, entries in lex.by_first.items():
        probe = lex.probe[first]
        if probe not in words and probe + "s" not in words and probe + "es" not in words:
            continue
        for i in scan.find_all(first):
            if not _word_start(lowered, i):
                continue
            for key_words, name in entries:
                end = _match_words(lowered, i, key_words)
                if end is not None:
                    yield i, end, name
                    break
    if lex.cjk is not None and scan.cjk:
        for m in lex.cjk.finditer(lowered):
            yield m.start(), m.end(), lex.keys[m.group(0)]


def _lexicon_hits(text: str, entries: list) -> list[tuple[int, int, str, dict]]:
    """``(start, end, label, detail)`` of each mention of a lexicon entry, in
    order, without the names found inside a longer one."""
    by_name = {name: entry for entry in entries for name in entry["names"]}
    matches = sorted(_lexicon_matches(text, list(by_name)), key=lambda m: (m[0], -m[1]))
    hits = []
    covered_to = -1
    for start, end, name in matches:
        if end <= covered_to:
            continue  # inside a longer name ("微博" within "新浪微博")
        covered_to = max(covered_to, end)
        entry = by_name[name]
        hits.append((start, end, entry.get("label", entry["names"][0]),
                     {k: v for k, v in entry.items() if k not in ("names", "unless_sentence")}))
    return hits


def _lexicon_facts(text: str, entries: list, kind: str) -> list[Fact]:
    return [Fact(kind, label, start, end, detail) for start, end, label, detail in _lexicon_hits(text, entries)]


_DEFINITION_OPTIONS = requirement_options(SENSITIVE_DEFINITION.pattern)


def _pi_categories(text: str, entries: list) -> list[Fact]:
    """PI categories, with ``sensitive`` only on mentions that describe processing:
    a definition of sensitive PI or a "we do not collect" statement lists the
    category (``mention``) without marking it as sensitive."""
    scan = _scan(text)
    out = []
    definitions: dict[tuple[int, int], bool] = {}
    unless = {e.get("label", e["names"][0]): re.compile("|".join(e["unless_sentence"]), re.I)
              for e in entries if e.get("unless_sentence")}
    for start, end, label, detail in _lexicon_hits(text, entries):
        left, right = scan.sentence(start, end)
        if label in unless and unless[label].search(text, left, right):
            continue  # the words name something else here ("vehicle health data")
        if (left, right) not in definitions:
            definitions[(left, right)] = (scan.may_hold(_DEFINITION_OPTIONS, left, right)
                                          and SENSITIVE_DEFINITION.search(text, left, right) is not None)
        mention = None
        if definitions[(left, right)]:
            mention = "definition"
        elif NEGATED_COLLECTION.search(text, left, start):
            mention = "negated"
        if mention:
            detail["mention"] = mention
            if detail.pop("sensitive", False):
                detail["sensitive_category"] = True
        out.append(Fact("pi_category", label, start, end, detail))
    return out


def extract_facts(document, ruleset) -> list[Fact]:
    text = document.text
    lexicons = ruleset.lexicons
    facts: list[Fact] = []
    facts += _processor_names(text)
    facts += _emails(text)
    facts += _phones(text)
    facts += _addresses(text)
    facts += _dates(text)
    periods = _periods(text)
    facts += periods
    # "kept for not more than six months" is how long data is kept, not a deadline to act by.
    facts += [d for d in _deadlines(text) if not any(p.start < d.end and d.start < p.end for p in periods)]
    names = [f for f in facts if f.kind == "processor_name"]
    own = [f for f in names if f.detail["key"] == names[0].detail["key"]] if names else []
    facts += [f for f in _lexicon_facts(text, lexicons.get("third_parties", []), "third_party")
              if not _inside_email_or_url(text, f.start, f.end)
              and not any(n.start <= f.start < n.end for n in own)]
    facts += _pi_categories(text, lexicons.get("pi_categories", []))
    facts.sort(key=lambda f: (f.start, f.kind, -f.end))
    return _dedupe(facts)


def _inside_email_or_url(text: str, start: int, end: int) -> bool:
    """The match is part of an e-mail address or a URL (which hold no Chinese)."""
    if not text[start:end].isascii():
        return False
    left = start
    while left > max(0, start - 120) and not text[left - 1].isspace() and text[left - 1].isascii():
        left -= 1
    right = end
    while right < min(len(text), end + 120) and not text[right].isspace() and text[right].isascii():
        right += 1
    token = text[left:right]
    return "@" in token or bool(_URLISH.search(token))


_URLISH = re.compile(r"https?://|www\.|\.(?:com|cn|net|org)\b", re.I)


def _dedupe(facts: list[Fact]) -> list[Fact]:
    """Drop a fact that repeats or lies inside another fact of the same kind
    (the longer one wins); repeated occurrences elsewhere are kept. ``facts``
    are sorted by start."""
    out: list[Fact] = []
    reach: dict[str, int] = {}
    for f in facts:
        if f.end <= reach.get(f.kind, -1):
            continue
        reach[f.kind] = max(reach.get(f.kind, -1), f.end)
        out.append(f)
    return out
