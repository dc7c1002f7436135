"""The review memo: a DOCX a partner can read and sign off.

``export_memo(project, path)`` writes the memo of a project (one or all of its
policies); ``export_review_memo(review, path)`` that of a one-off review.
Sections: cover, executive summary, status table, review by topic, red flags,
missing provisions and the full checklist as an appendix. The memo's own text is
English; the policy is quoted in its own language.

python-docx sets up the styles, page, header and footer; the body is written
as WordprocessingML text and parsed once, which keeps a long memo fast.
"""
from __future__ import annotations

import bisect
import re
from collections import Counter
from datetime import date
from pathlib import Path
from xml.sax.saxutils import escape

from docx import Document as new_docx
from docx.enum.text import WD_TAB_ALIGNMENT
from docx.oxml import OxmlElement, parse_xml
from docx.oxml.ns import nsdecls, qn
from docx.shared import Cm, Pt, RGBColor

from .. import __version__
from .results import STATUSES

STATUS_LABELS = {"met": "Met", "missing": "Missing", "needs_review": "Needs review",
                 "not_applicable": "Not applicable"}
SEVERITY_LABELS = {"law": "Law", "standard": "National standard", "best_practice": "Best practice"}
SEVERITY_ORDER = ("law", "standard", "best_practice")
STATUS_COLORS = {"met": "2E7D32", "missing": "C62828", "needs_review": "B26A00",
                 "not_applicable": "6B7280"}
SECTION_TITLES = ("Executive summary", "Status by topic", "Review by topic", "Red flags",
                  "Missing provisions", "Appendix: full checklist")

FONT = "Calibri"
EAST_ASIAN_FONT = "SimSun"  # Word and LibreOffice substitute an installed CJK font if missing
NAVY = "1F3864"
GREY = "595959"
AMBER = "8A5A00"
BAND = "F2F4F8"
MAX_QUOTES = 3
MAX_QUOTE_CHARS = 700
_NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")


def export_memo(project, out_path, doc_id=None, ruleset=None) -> Path:
    """Write the memo of ``project`` to ``out_path``: of one policy (``doc_id``),
    of several (a list of ids) or of all of them (``None``)."""
    if doc_id is None:
        ids = [d.id for d in project.documents()]
    elif isinstance(doc_id, int):
        ids = [doc_id]
    else:
        ids = list(dict.fromkeys(doc_id))
    if not ids:
        raise ValueError(f"{project.path.name} holds no policy yet; add one before exporting a memo")
    states = [project.review_state(i) for i in ids]
    return write_memo(states, out_path, ruleset or project.ruleset,
                      title=project.name, reviewer=project.project_reviewer)


def export_review_memo(review, out_path, reviewer: str | None = None, ruleset=None) -> Path:
    """Write the memo of a one-off review (no project, so no reviewer decisions)."""
    from .project import state_for_review

    if ruleset is None:
        from .rules import load_ruleset

        ruleset = load_ruleset()
    state = state_for_review(review, reviewer=reviewer or "")
    return write_memo([state], out_path, ruleset, title=state.document.name,
                      reviewer=state.reviewer)


def write_memo(states, out_path, ruleset, title: str = "", reviewer: str = "") -> Path:
    memo = _Memo(ruleset)
    memo.cover(states, title, reviewer)
    several = len(states) > 1
    for n, state in enumerate(states, 1):
        memo.policy(state, n if several else None)
    out = Path(out_path)
    part = out.with_name(out.name + ".part")
    memo.save(part)
    part.replace(out)
    return out


# ---------------------------------------------------------------- WordprocessingML

def _text(text: str) -> str:
    return escape(_NOT_XML.sub("", text))


def run(text: str, bold=False, italic=False, color: str | None = None, size: float | None = None) -> str:
    props = ("<w:b/>" if bold else "") + ("<w:i/>" if italic else "")
    if color:
        props += f'<w:color w:val="{color}"/>'
    if size:
        props += f'<w:sz w:val="{round(size * 2)}"/><w:szCs w:val="{round(size * 2)}"/>'
    rpr = f"<w:rPr>{props}</w:rPr>" if props else ""
    return f'<w:r>{rpr}<w:t xml:space="preserve">{_text(text)}</w:t></w:r>'


def paragraph(runs, style: str | None = None, indent_cm: float | None = None,
              after_pt: float | None = None, keep_next=False, align: str | None = None,
              hanging_cm: float | None = None) -> str:
    ppr = f'<w:pStyle w:val="{style}"/>' if style else ""
    if keep_next:
        ppr += "<w:keepNext/>"
    if after_pt is not None:
        ppr += f'<w:spacing w:after="{round(after_pt * 20)}"/>'
    if indent_cm:
        hanging = f' w:hanging="{round(hanging_cm * 567)}"' if hanging_cm else ""
        ppr += f'<w:ind w:left="{round(indent_cm * 567)}"{hanging}/>'
    if align:
        ppr += f'<w:jc w:val="{align}"/>'
    body = runs if isinstance(runs, str) else "".join(runs)
    return f"<w:p>{f'<w:pPr>{ppr}</w:pPr>' if ppr else ''}{body}</w:p>"


PAGE_BREAK = '<w:p><w:r><w:br w:type="page"/></w:r></w:p>'


def _cell(content: str, width_cm: float, fill: str | None = None) -> str:
    shading = f'<w:shd w:val="clear" w:color="auto" w:fill="{fill}"/>' if fill else ""
    return (f'<w:tc><w:tcPr><w:tcW w:w="{round(width_cm * 567)}" w:type="dxa"/>{shading}</w:tcPr>'
            f"{content}</w:tc>")


def table(header: list[str] | None, rows: list[list], widths: list[float], size: float = 9.5,
          status_col: int | None = None, bold_last=False, borders=True) -> str:
    """A table in the "Table Grid" style with a shaded header row repeated on each page."""
    grid = "".join(f'<w:gridCol w:w="{round(w * 567)}"/>' for w in widths)
    total = round(sum(widths) * 567)
    style = '<w:tblStyle w:val="TableGrid"/>' if borders else ""
    no_borders = "" if borders else (
        "<w:tblBorders>" + "".join(f'<w:{side} w:val="nil"/>' for side in
                                   ("top", "left", "bottom", "right", "insideH", "insideV"))
        + "</w:tblBorders>")
    out = [f'<w:tbl><w:tblPr>{style}<w:tblW w:w="{total}" w:type="dxa"/><w:jc w:val="center"/>'
           f'{no_borders}<w:tblLayout w:type="fixed"/>'
           '<w:tblCellMar><w:top w:w="28" w:type="dxa"/><w:left w:w="85" w:type="dxa"/>'
           '<w:bottom w:w="28" w:type="dxa"/><w:right w:w="85" w:type="dxa"/></w:tblCellMar>'
           '<w:tblLook w:val="04A0" w:firstRow="1" w:lastRow="0" w:firstColumn="0" '
           f'w:lastColumn="0" w:noHBand="0" w:noVBand="1"/></w:tblPr><w:tblGrid>{grid}</w:tblGrid>']
    if header:
        numeric = [bool(rows) and all(isinstance(r[c], int) for r in rows) for c in range(len(header))]
        cells = "".join(_cell(paragraph(run(h, bold=True, color="FFFFFF", size=size - 0.5),
                                        after_pt=0, align="center" if num else None), w, NAVY)
                        for h, w, num in zip(header, widths, numeric))
        out.append(f'<w:tr><w:trPr><w:cantSplit/><w:tblHeader/></w:trPr>{cells}</w:tr>')
    for n, values in enumerate(rows):
        fill = BAND if header and n % 2 == 1 else None
        bold = bold_last and n == len(rows) - 1
        cells = []
        for c, (value, width) in enumerate(zip(values, widths)):
            if isinstance(value, tuple):  # pre-built runs
                content = "".join(value)
            else:
                text = "" if value is None else str(value)
                color = None
                if c == status_col:
                    status = next((k for k, v in STATUS_LABELS.items() if text.startswith(v)), None)
                    color = STATUS_COLORS.get(status)
                content = run(text, bold=bold or bool(color), color=color, size=size)
            align = "center" if isinstance(value, int) else None
            cells.append(_cell(paragraph(content, after_pt=0, align=align), width, fill))
        out.append(f'<w:tr><w:trPr><w:cantSplit/></w:trPr>{"".join(cells)}</w:tr>')
    out.append("</w:tbl>")
    return "".join(out)


def _field(paragraph_, instruction: str) -> None:
    """A PAGE or NUMPAGES field in a header or footer paragraph."""
    for kind, text in (("begin", None), (None, instruction), ("separate", None), (None, "1"),
                       ("end", None)):
        r = paragraph_.add_run()
        if kind:
            el = OxmlElement("w:fldChar")
            el.set(qn("w:fldCharType"), kind)
            r._r.append(el)
        elif text == instruction:
            el = OxmlElement("w:instrText")
            el.set(qn("xml:space"), "preserve")
            el.text = f" {instruction} "
            r._r.append(el)
        else:
            r.text = text


def _clip(text: str, limit: int) -> str:
    text = " ".join(text.split())
    return text if len(text) <= limit else text[:limit - 1].rstrip() + "…"


# ---------------------------------------------------------------- the memo

class _Memo:
    def __init__(self, ruleset) -> None:
        self.items = dict(getattr(ruleset, "items", {}) or {})
        self.topics = {t.id: t for t in getattr(ruleset, "topics", ())}
        self.doc = new_docx()
        self.body: list[str] = []
        self.base = 0  # heading level offset: 1 when the memo covers several policies
        self._styles()
        self._page()

    def save(self, path: Path) -> None:
        xml = f"<w:body {nsdecls('w')}>{''.join(self.body)}</w:body>"
        sect = self.doc.element.body.find(qn("w:sectPr"))
        for element in list(parse_xml(xml)):
            sect.addprevious(element)
        self.doc.save(str(path))

    # -- setup

    def _styles(self) -> None:
        styles = self.doc.styles
        defaults = styles.element.find(qn("w:docDefaults")).find(qn("w:rPrDefault")).find(qn("w:rPr"))
        for element in [defaults] + [styles[name].element.get_or_add_rPr() for name in (
                "Normal", "Title", "Subtitle", "Heading 1", "Heading 2", "Heading 3", "Heading 4",
                "Quote", "Header", "Footer", "List Number", "List Bullet")]:
            fonts = element.find(qn("w:rFonts"))
            if fonts is None:
                fonts = OxmlElement("w:rFonts")
                element.insert(0, fonts)
            for attr in list(fonts.attrib):
                del fonts.attrib[attr]
            for attr in ("w:ascii", "w:hAnsi", "w:cs"):
                fonts.set(qn(attr), FONT)
            fonts.set(qn("w:eastAsia"), EAST_ASIAN_FONT)
        lang = OxmlElement("w:lang")
        lang.set(qn("w:val"), "en-GB")
        lang.set(qn("w:eastAsia"), "zh-CN")
        defaults.append(lang)

        for name, size, color, bold, before, after in (
                ("Normal", 10.5, None, None, None, 4),
                ("Title", 28, NAVY, True, 0, 6),
                ("Subtitle", 15, GREY, False, 0, 12),
                ("Heading 1", 16, NAVY, True, 20, 8),
                ("Heading 2", 13, NAVY, True, 14, 4),
                ("Heading 3", 10.5, "262626", True, 10, 2),
                ("Heading 4", 10.5, "262626", True, 8, 2),
                ("Quote", 10, "333333", False, 2, 2),
                ("Header", 8, GREY, False, None, None),
                ("Footer", 8, GREY, False, None, None)):
            style = styles[name]
            style.font.size = Pt(size)
            if color:
                style.font.color.rgb = RGBColor.from_string(color)
            if bold is not None:
                style.font.bold = bold
            fmt = style.paragraph_format
            if before is not None:
                fmt.space_before = Pt(before)
            if after is not None:
                fmt.space_after = Pt(after)
            if name.startswith("Heading"):
                fmt.keep_with_next = True
        styles["Normal"].paragraph_format.line_spacing = 1.12
        styles["Subtitle"].font.italic = False
        quote = styles["Quote"]
        quote.font.italic = False
        quote.paragraph_format.left_indent = Cm(0.5)
        quote.paragraph_format.right_indent = Cm(0.3)
        border = parse_xml(f'<w:pBdr {nsdecls("w")}><w:left w:val="single" w:sz="18" w:space="8" '
                           'w:color="A6B4CC"/></w:pBdr>')
        quote.element.get_or_add_pPr().append(border)
        title = styles["Title"].element.get_or_add_pPr()
        for old in title.findall(qn("w:pBdr")):
            title.remove(old)
        for name in ("Header", "Footer"):  # the template's Letter-size tab stops
            ppr = styles[name].element.get_or_add_pPr()
            for tabs in ppr.findall(qn("w:tabs")):
                ppr.remove(tabs)

    def _page(self) -> None:
        section = self.doc.sections[0]
        section.page_height, section.page_width = Cm(29.7), Cm(21.0)
        section.left_margin = section.right_margin = Cm(2.3)
        section.top_margin, section.bottom_margin = Cm(2.2), Cm(2.0)
        section.header_distance = section.footer_distance = Cm(1.0)
        section.different_first_page_header_footer = True
        self.width = 21.0 - 2 * 2.3

    def _furniture(self, label: str) -> None:
        section = self.doc.sections[0]
        header = section.header.paragraphs[0]
        header.text = "Confidential · PIPL privacy policy review"
        header.alignment = 2
        footer = section.footer.paragraphs[0]
        footer.paragraph_format.tab_stops.add_tab_stop(Cm(self.width), WD_TAB_ALIGNMENT.RIGHT)
        footer.add_run(_clip(label, 80) + "\tPage ")
        _field(footer, "PAGE")
        footer.add_run(" of ")
        _field(footer, "NUMPAGES")

    # -- building blocks

    def add(self, *xml: str) -> None:
        self.body.extend(xml)

    def heading(self, text: str, level: int) -> None:
        self.add(paragraph(run(text), style=f"Heading{min(level + self.base, 9)}"))

    def para(self, *runs: str, style: str | None = None, indent_cm=None, after_pt=None) -> None:
        self.add(paragraph(runs, style=style, indent_cm=indent_cm, after_pt=after_pt))

    def small(self, text: str, color=GREY, italic=True, size=9) -> None:
        self.para(run(text, italic=italic, color=color, size=size))

    def labelled(self, label: str, text: str) -> None:
        self.para(run(f"{label}: ", bold=True), run(text))

    def quote(self, text: str, start: int, end: int, marks=(), ref: str = "",
              source_text: str = "") -> None:
        """A quoted passage, the matched words in bold, with its page or section."""
        spans = []
        original = source_text[start:end] if source_text else ""
        if original and original.split() == text.split():
            text = original
            spans = sorted((max(m.start, start) - start, min(m.end, end) - start) for m in marks
                           if min(m.end, end) > max(m.start, start))
        shortened = len(text) > MAX_QUOTE_CHARS
        if shortened:
            text = text[:MAX_QUOTE_CHARS]
        pieces, pos = [], 0
        for s, e in spans:
            s, e = max(s, pos), min(e, len(text))
            if s < e:
                pieces += [(text[pos:s], False), (text[s:e], True)]
                pos = e
        pieces.append((text[pos:], False))
        pieces = [[re.sub(r"\s+", " ", chunk), bold] for chunk, bold in pieces if chunk]
        if pieces:
            pieces[0][0] = pieces[0][0].lstrip()
            pieces[-1][0] = pieces[-1][0].rstrip()
        runs = [run("“")] + [run(chunk, bold=bold) for chunk, bold in pieces]
        runs.append(run("…”" if shortened else "”"))
        if ref:
            runs.append(run(f"  — {ref}", color=GREY, size=8.5))
        self.para(*runs, style="Quote")

    def note(self, note) -> None:
        self.para(run("Reviewer note", bold=True, color="1F4E79"),
                  run(f" ({note.author}, {note.time[:10]}): ", color=GREY), run(note.text),
                  indent_cm=0.5)

    # -- naming

    def topic_title(self, topic_id: str) -> str:
        topic = self.topics.get(topic_id)
        return topic.title_en if topic else topic_id.replace("_", " ").capitalize()

    def item_code(self, item_id: str) -> str:
        item = self.items.get(item_id)
        return item.code if item else item_id.split("#")[-1]

    def item_question(self, item_id: str) -> str:
        item = self.items.get(item_id)
        return item.question if item else item_id

    @staticmethod
    def basis(verdict) -> str:
        return f"{verdict.basis} ⚠ verify" if verdict.verify else verdict.basis

    # -- sections

    def cover(self, states, title: str, reviewer: str) -> None:
        first = states[0]
        single = len(states) == 1
        names = [s.document.name for s in states]
        self._furniture(names[0] if single else title)
        self.para(run("CONFIDENTIAL · LEGAL REVIEW", bold=True, color=GREY, size=9), after_pt=60)
        self.para(run("PIPL privacy policy review"), style="Title")
        self.para(run(names[0] if single else f"{title}: {len(states)} policies"), style="Subtitle")
        rows = []
        if single:
            rows += [("Policy", names[0]), ("Company", _company(first) or "not stated in the policy"),
                     ("File", first.document.file_name), ("SHA-256", first.document.sha256)]
            policy_date = _policy_date(first)
            if policy_date:
                rows.append(("Policy date", policy_date))
        else:
            companies = sorted({c for c in map(_company, states) if c})
            rows.append(("Company", "; ".join(companies) or "not stated in the policies"))
        rows += [("Date of review", date.today().strftime("%d %B %Y").lstrip("0")),
                 ("Reviewer", reviewer or first.reviewer or "—"),
                 ("Tool", f"PIPL Policy Reviewer {__version__}"),
                 ("Ruleset", _ruleset_label(states))]
        self.add(table(None, [[(run(label, bold=True, color=GREY),),
                               (run(value, size=8.5 if label == "SHA-256" else None),)]
                              for label, value in rows], [3.6, 12.6], borders=False))
        if not single:
            self.para(after_pt=2)
            self.add(table(["#", "Policy", "File", "SHA-256"],
                           [[n, s.document.name, s.document.file_name, s.document.sha256]
                            for n, s in enumerate(states, 1)], [0.8, 5.0, 3.8, 6.8], size=8.5))
        self.para(after_pt=24)
        self.para(run("This memo sets out, for each checklist item, the status of the policy against "
                      "the Personal Information Protection Law of the PRC (PIPL) and its companion "
                      "rules, the legal basis and the passages of the policy relied on. Statuses come "
                      "from the automated review unless marked as a reviewer override, which is shown "
                      "with the reviewer's justification. A basis marked ⚠ verify should be checked "
                      "against the current text of the law before it is relied on.",
                      color=GREY, size=9))
        self.add(PAGE_BREAK)

    def policy(self, state, number: int | None) -> None:
        if number is not None:
            if number > 1:
                self.add(PAGE_BREAK)
            self.base = 0
            self.heading(f"Policy {number}: {state.document.name}", 1)
            self.labelled("File", f"{state.document.file_name} (SHA-256 {state.document.sha256})")
            self.base = 1
        starts = [s.start for s in state.segments]
        self.summary(state)
        self.status_table(state)
        self.by_topic(state, starts)
        self.red_flags(state, starts)
        self.missing(state)
        self.appendix(state)

    def summary(self, state) -> None:
        self.heading("Executive summary", 1)
        items = state.items
        counts = Counter(i.status for i in items)
        law_missing = [i for i in items if i.severity == "law" and i.status == "missing"]
        flags = state.analysis.red_flags
        overridden = sum(1 for i in items if i.override)
        text = (f"Of the {len(items)} checklist items, {counts['met']} are met, "
                f"{counts['missing']} are missing, {counts['needs_review']} need review and "
                f"{counts['not_applicable']} do not apply to this policy. "
                f"{len(law_missing)} of the missing items are required by law. "
                f"The review found {len(flags)} red flag{'' if len(flags) == 1 else 's'}.")
        if overridden:
            text += (f" The reviewer overrode the automated status of {overridden} "
                     f"item{'' if overridden == 1 else 's'}.")
        self.para(run(text))
        rows = []
        for severity in SEVERITY_ORDER:
            group = [i for i in items if i.severity == severity]
            c = Counter(i.status for i in group)
            rows.append([SEVERITY_LABELS[severity]] + [c[s] for s in STATUSES] + [len(group)])
        rows.append(["Total"] + [counts[s] for s in STATUSES] + [len(items)])
        self.add(table(["Severity"] + [STATUS_LABELS[s] for s in STATUSES] + ["Total"], rows,
                       [4.2, 2.2, 2.4, 2.6, 2.8, 2.2], bold_last=True))
        self.heading("Top risks", 2)
        self.para(run(_top_risks(self, state, law_missing)))
        if state.notes:
            self.heading("Reviewer's notes on the policy", 2)
            for note in state.notes:
                self.note(note)

    def status_table(self, state) -> None:
        self.heading("Status by topic", 1)
        rows = []
        for topic_id, group in _by_topic(state.items):
            c = Counter(i.status for i in group)
            worst = next((SEVERITY_LABELS[s] for s in SEVERITY_ORDER
                          if any(i.status == "missing" and i.severity == s for i in group)), "—")
            rows.append([self.topic_title(topic_id), c["met"], c["missing"], c["needs_review"],
                         c["not_applicable"], worst])
        self.add(table(["Topic", "Met", "Missing", "Needs review", "Not applicable",
                        "Worst missing severity"], rows, [6.6, 1.3, 1.6, 1.9, 2.1, 2.9], size=9))

    def by_topic(self, state, starts) -> None:
        self.heading("Review by topic", 1)
        loose: dict[str, list] = {}
        for m in state.manual_findings:
            if m.item is None:
                loose.setdefault(m.topic, []).append(m)
        for n, (topic_id, group) in enumerate(_by_topic(state.items), 1):
            self.heading(f"{n}. {self.topic_title(topic_id)}", 2)
            for m in loose.get(topic_id, []):
                self.quote(m.text, m.start, m.end, ref=_ref(state, starts, m.start))
                self.small("Marked by the reviewer" + (f": {m.note}" if m.note else "."))
            for item in group:
                self.item(state, item, starts)

    def item(self, state, item, starts) -> None:
        verdict = item.verdict
        self.heading(f"{self.item_code(item.item)}   {self.item_question(item.item)}", 3)
        status = item.status
        line = [run(STATUS_LABELS.get(status, status).upper(), bold=True,
                    color=STATUS_COLORS.get(status, GREY), size=9.5),
                run(f"   ·   {SEVERITY_LABELS.get(item.severity, item.severity)}   ·   Basis: {verdict.basis}",
                    size=9.5)]
        if verdict.verify:
            line.append(run("   ⚠ verify", bold=True, color=AMBER, size=9.5))
        self.para(*line)
        if item.override:
            o = item.override
            self.para(run("Reviewer override: ", bold=True),
                      run(f"{STATUS_LABELS[o.status]} (automated result: "
                          f"{STATUS_LABELS.get(item.engine_status, item.engine_status)}), "
                          f"{o.author}, {o.time[:10]}."))
            self.labelled("Justification", o.justification)
        elif verdict.reason and status != "met":
            self.small(verdict.reason)
        if verdict.verify:
            note = getattr(self.items.get(item.item), "verify_note", "")
            if note:
                self.small(f"⚠ verify: {note}", color=AMBER, size=8.5)
        if status != "not_applicable" or item.override:
            evidence = sorted(item.evidence, key=lambda f: (f.status != "accepted", f.finding.start))
            for f in evidence[:MAX_QUOTES]:
                self.quote(f.finding.text, f.finding.start, f.finding.end, f.finding.matched,
                           _ref(state, starts, f.finding.start), state.text)
                if f.status == "accepted":
                    self.small("Accepted by the reviewer.", size=8.5)
                for note in f.notes:
                    self.note(note)
            if len(evidence) > MAX_QUOTES:
                more = len(evidence) - MAX_QUOTES
                self.small(f"{more} more passage{' supports' if more == 1 else 's support'} this item.")
        for m in item.manual:
            self.quote(m.text, m.start, m.end, ref=_ref(state, starts, m.start))
            self.small("Marked by the reviewer" + (f": {m.note}" if m.note else "."), size=8.5)
        rejected = sum(1 for f in item.findings if f.status == "rejected")
        if rejected:
            self.small(f"The reviewer rejected {rejected} passage{'' if rejected == 1 else 's'} "
                       "the automated review had matched to this item.")
        for note in item.notes:
            self.note(note)

    def red_flags(self, state, starts) -> None:
        self.heading("Red flags", 1)
        flags = state.analysis.red_flags
        if not flags:
            self.para(run("The review found no red flags in this policy."))
            return
        for n, flag in enumerate(flags, 1):
            self.heading(f"{n}. {self.topic_title(flag.topic)}: {_rule_name(flag.rule)}", 3)
            marks = []
            if flag.matched:
                at = state.text.find(flag.matched, flag.start, flag.end)
                if at >= 0:
                    marks = [_Span(at, at + len(flag.matched))]
            self.quote(flag.text, flag.start, flag.end, marks, _ref(state, starts, flag.start),
                       state.text)
            self.labelled("Why it matters", flag.why)
            self.labelled("Basis", flag.basis)

    def missing(self, state) -> None:
        self.heading("Missing provisions", 1)
        gaps = [i for i in state.items if i.severity == "law" and i.status in ("missing", "needs_review")]
        if not gaps:
            self.para(run("Every checklist item required by law is met or does not apply."))
            return
        self.para(run("The policy does not meet the following requirements of law. Each is phrased "
                      "as the question the policy should answer, followed by its legal basis."))
        for item in gaps:
            runs = [run(self.item_question(item.item)), run(f" ({self.basis(item.verdict)})")]
            if item.status == "needs_review":
                runs.append(run(" [to be confirmed]", italic=True))
            self.add(paragraph(runs, style="ListNumber", indent_cm=0.9, hanging_cm=0.7, after_pt=3))

    def appendix(self, state) -> None:
        self.heading("Appendix: full checklist", 1)
        rows = []
        for _topic, group in _by_topic(state.items):
            for item in group:
                status = STATUS_LABELS.get(item.status, item.status)
                rows.append([self.item_code(item.item), self.item_question(item.item),
                             SEVERITY_LABELS.get(item.severity, item.severity),
                             status + (" (override)" if item.override else ""),
                             self.basis(item.verdict)])
        self.add(table(["Item", "Question", "Severity", "Status", "Basis"], rows,
                       [1.3, 7.3, 2.2, 2.5, 3.1], size=8.5, status_col=3))
        if state.orphans:
            self.heading("Reviewer decisions no longer matched", 2)
            self.small("These decisions and notes were made on an earlier analysis and no longer "
                       "match an item or passage of the current one. They are kept in the project.",
                       italic=False)
            for orphan in state.orphans:
                self.add(paragraph(run(_describe_orphan(orphan)), style="ListBullet", indent_cm=0.9,
                                   hanging_cm=0.5, after_pt=3))


# ---------------------------------------------------------------- content helpers

class _Span:
    def __init__(self, start: int, end: int) -> None:
        self.start, self.end = start, end


def _by_topic(items):
    order: dict[str, list] = {}
    for item in items:
        order.setdefault(item.topic, []).append(item)
    return list(order.items())


def _ref(state, starts: list[int], offset: int) -> str:
    i = bisect.bisect_right(starts, offset) - 1
    if i < 0:
        return ""
    seg = state.segments[i]
    parts = []
    if seg.page:
        parts.append(f"p. {seg.page}")
    if seg.section:
        parts.append(f"§ {_clip(seg.section, 90)}")
    return ", ".join(parts)


def _company(state) -> str:
    return next((f.value for f in state.analysis.facts if f.kind == "processor_name"), "")


def _policy_date(state) -> str:
    for kind, label in (("effective_date", "effective"), ("updated_date", "last updated")):
        value = next((f.value for f in state.analysis.facts if f.kind == kind), "")
        if value:
            return f"{value} ({label})"
    return ""


def _ruleset_label(states) -> str:
    infos = {(s.analysis.ruleset.id, s.analysis.ruleset.version, s.analysis.ruleset.sha256[:12])
             for s in states}
    return "; ".join(f"{rid} {version} (digest {digest})" for rid, version, digest in sorted(infos))


def _rule_name(rule_id: str) -> str:
    return rule_id.replace("#", "/").split("/")[-1].replace("-", " ").replace("_", " ")


def _top_risks(memo: _Memo, state, law_missing) -> str:
    flags = state.analysis.red_flags
    if not law_missing and not flags:
        needs = sum(1 for i in state.items if i.status == "needs_review")
        return ("No legal requirement is missing and no red flag was found."
                + (f" {needs} item(s) still need the reviewer's judgement." if needs else ""))
    parts = []
    if law_missing:
        topics = Counter(i.topic for i in law_missing)
        worst = "; ".join(f"{memo.topic_title(t).lower()} ({n})" for t, n in topics.most_common(4))
        first = law_missing[0]
        parts.append(f"The policy falls short of {len(law_missing)} legal requirement"
                     f"{'' if len(law_missing) == 1 else 's'}, mostly on {worst}. "
                     f"For example, {memo.item_code(first.item)} asks: "
                     f"“{memo.item_question(first.item)}” ({first.verdict.basis}).")
    if flags:
        parts.append(f"{len(flags)} red flag{' was' if len(flags) == 1 else 's were'} found; "
                     f"the first concerns {memo.topic_title(flags[0].topic).lower()}: {flags[0].why}")
    else:
        parts.append("No red flag was found.")
    return " ".join(parts)


def _describe_orphan(orphan) -> str:
    record = orphan.record
    if orphan.kind == "override":
        return (f"Override of {record.item} to {STATUS_LABELS.get(record.status, record.status)}: "
                f"{record.justification} — {orphan.reason}.")
    if orphan.kind == "decision":
        return f"{record.decision.capitalize()} passage “{_clip(record.text, 160)}” — {orphan.reason}."
    if orphan.kind == "note":
        return f"Note by {record.author}: {record.text} — {orphan.reason}."
    return f"Passage marked by the reviewer “{_clip(record.text, 160)}” — {orphan.reason}."
