import dataclasses
from functools import lru_cache
from pathlib import Path

import docx
import pytest
from docx.oxml.ns import qn

from reviewer.cli import main
from reviewer.core.memo import SECTION_TITLES, export_memo, export_review_memo
from reviewer.core.project import open_project
from reviewer.core.results import RedFlag
from reviewer.core.review import review_file

FIXTURES = Path(__file__).parent / "fixtures"

CHINESE_POLICY = """示例科技有限公司隐私政策

更新日期：2025年3月1日

一、我们如何收集和使用您的个人信息

我们会收集您的手机号码、电子邮箱地址和设备信息，用于注册账号和提供客户服务。

二、我们如何保存您的个人信息

我们将在实现处理目的所必要的最短期限内保存您的个人信息，账号注销后我们将删除或匿名化处理您的个人信息。我们在中华人民共和国境内收集的个人信息，将存储在中华人民共和国境内。

三、您的权利

您可以查阅、复制、更正、删除您的个人信息，也可以撤回您的同意。我们将在十五个工作日内答复您的请求。

四、如何联系我们

如您对本政策有任何疑问，请通过电子邮件 privacy@example.cn 与我们联系。
"""


@lru_cache(maxsize=None)
def reviewed(name: str):
    return review_file(FIXTURES / name)


def paragraphs(document) -> list:
    out = list(document.paragraphs)
    for table in document.tables:
        for row in table.rows:
            for cell in row.cells:
                out.extend(cell.paragraphs)
    return out


def styled(document) -> list[tuple[str, object]]:
    """(style name, paragraph) for the body paragraphs, looking each style up once."""
    names = {s.style_id: s.name for s in document.styles}
    return [(names.get(p._p.style, "Normal"), p) for p in document.paragraphs]


def headings(document) -> list[str]:
    return [p.text for name, p in styled(document) if name.startswith("Heading")]


def styled_text(document, style: str) -> list[str]:
    return [p.text for name, p in styled(document) if name == style]


def full_text(document) -> str:
    return "\n".join(p.text for p in paragraphs(document))


@pytest.fixture(scope="module")
def memo(tmp_path_factory):
    """A project memo with an override, notes, an accepted finding and a red flag."""
    folder = tmp_path_factory.mktemp("memo")
    review = reviewed("benewake.txt")
    findings = review.analysis.findings
    sentence = next((f for f in findings if f.topic == "retention" and len(f.text) > 60), findings[0])
    trigger = " ".join(sentence.text.split()[2:5])
    flag = RedFlag("r0", "retention/indefinite", "retention", sentence.start, sentence.end, sentence.text,
                   trigger, "A minimum period with no maximum lets data be kept forever.",
                   "PIPL 19", ("retention#RT-1",))
    analysis = dataclasses.replace(review.analysis, red_flags=(flag,))
    with open_project(folder / "memo.piplrev", reviewer="Li Wei") as project:
        doc_id, _ = project.add_document(review.document, analysis=analysis, segments=review.segments)
        state = project.review_state(doc_id)
        finding = next(f for f in state.findings if f.finding.text == sentence.text)
        project.decide_finding(doc_id, finding.key, "accepted")
        project.add_note(doc_id, "finding", finding.key, "Only a minimum period is stated.")
        missing = next(i for i in state.items if i.status == "missing" and i.severity == "law")
        project.set_override(doc_id, missing.item, "needs_review",
                             "Annex B may cover this; waiting for the client's copy.")
        project.add_note(doc_id, "item", missing.item, "Raise in the call on Monday.")
        project.add_note(doc_id, "document", None, "The policy reads like a translation.")
        out = export_memo(project, folder / "memo.docx")
        return docx.Document(str(out)), sentence, trigger


def test_memo_has_every_section_as_a_word_heading(memo):
    document, _, _ = memo
    names = headings(document)
    for title in SECTION_TITLES:
        assert title in names
    levels = {p.text: name for name, p in styled(document) if name.startswith("Heading")}
    assert levels["Executive summary"] == "Heading 1"
    assert levels["Missing provisions"] == "Heading 1"
    assert any(name.startswith("1. ") and level == "Heading 2" for name, level in levels.items())
    assert document.paragraphs[0].text == "CONFIDENTIAL · LEGAL REVIEW"
    assert styled_text(document, "Title") == ["PIPL privacy policy review"]


def test_memo_quotes_evidence_with_its_reference(memo):
    document, sentence, trigger = memo
    quotes = styled_text(document, "Quote")
    assert any(sentence.text[:80] in q for q in quotes)
    assert any("§ " in q for q in quotes)  # the section reference of a quote
    bold = [r.text for name, p in styled(document) if name == "Quote" for r in p.runs if r.bold]
    assert trigger in " ".join(bold)  # the red flag's trigger words


def test_memo_shows_notes_override_and_red_flag(memo):
    document, _, item = memo
    text = full_text(document)
    assert "Annex B may cover this; waiting for the client's copy." in text
    assert "Reviewer override: Needs review (automated result: Missing)" in text
    assert "Raise in the call on Monday." in text
    assert "Only a minimum period is stated." in text
    assert "The policy reads like a translation." in text
    assert "A minimum period with no maximum lets data be kept forever." in text
    assert "Accepted by the reviewer." in text
    assert "Needs review (override)" in text  # in the appendix checklist


def test_memo_cover_summary_and_tables(memo):
    document, _, _ = memo
    cover = {row.cells[0].text: row.cells[1].text for row in document.tables[0].rows}
    assert cover["File"] == "benewake.txt" and len(cover["SHA-256"]) == 64
    assert cover["Company"].startswith("Benewake") and cover["Reviewer"] == "Li Wei"
    assert cover["Tool"].startswith("PIPL Policy Reviewer") and cover["Ruleset"].startswith("pipl ")
    text = full_text(document)
    assert "checklist items" in text and "red flag" in text
    for label in ("Law", "National standard", "Best practice"):
        assert label in text
    assert "⚠ verify" in text
    tables = document.tables[1:]
    assert len(tables) >= 3
    for table in tables:
        assert table.style.name == "Table Grid"
        assert table.rows[0]._tr.trPr.find(qn("w:tblHeader")) is not None
    status = next(t for t in tables if t.rows[0].cells[0].text == "Topic")
    assert [c.text for c in status.rows[0].cells][1:5] == ["Met", "Missing", "Needs review", "Not applicable"]
    appendix = tables[-1]
    assert [c.text for c in appendix.rows[0].cells] == ["Item", "Question", "Severity", "Status", "Basis"]
    assert len(appendix.rows) == 121


def test_memo_missing_provisions_lists_law_items(memo):
    document, _, _ = memo
    listed = styled_text(document, "List Number")
    assert listed and all("(" in text for text in listed)


def test_memo_page_numbers_and_east_asian_font(memo):
    document, _, _ = memo
    footer = document.sections[0].footer._element.xml
    assert "PAGE" in footer and "NUMPAGES" in footer
    fonts = document.styles.element.find(qn("w:docDefaults")).find(".//" + qn("w:rFonts"))
    assert fonts.get(qn("w:eastAsia"))
    assert document.styles["Normal"].element.rPr.rFonts.get(qn("w:eastAsia"))


def test_memo_of_a_chinese_policy_quotes_it_in_chinese(tmp_path):
    review = review_file(chinese_policy(tmp_path))
    assert review.document.lang == "zh" and review.analysis.findings
    out = export_review_memo(review, tmp_path / "zh.docx", reviewer="Li Wei")
    document = docx.Document(str(out))
    quotes = " ".join(styled_text(document, "Quote"))
    quoted = [f.text for f in review.analysis.findings if f.text in quotes]
    assert quoted and all("\u4e00" <= ch <= "\u9fff" for ch in quoted[0][:4])
    assert "示例科技有限公司隐私政策" in full_text(document)
    assert "Executive summary" in headings(document)


def chinese_policy(folder: Path) -> Path:
    policy = folder / "中文政策.txt"
    policy.write_text(CHINESE_POLICY, encoding="utf-8")
    return policy


def test_memo_of_several_policies(tmp_path):
    with open_project(tmp_path / "two.piplrev") as project:
        project.add_document(reviewed("benewake.txt"))
        project.add_document(review_file(chinese_policy(tmp_path)))
        document = docx.Document(str(export_memo(project, tmp_path / "two.docx")))
    names = headings(document)
    assert [n for n in names if n.startswith("Policy ")] == \
        ["Policy 1: Privacy Policy of Benewake", "Policy 2: 示例科技有限公司隐私政策"]
    assert names.count("Missing provisions") == 2
    styles = {p.text: name for name, p in styled(document)}
    assert styles["Policy 1: Privacy Policy of Benewake"] == "Heading 1"


def test_cli_memo_commands(tmp_path, capsys):
    policy = chinese_policy(tmp_path)
    one = tmp_path / "one.docx"
    assert main(["review", str(policy), "--memo", str(one)]) == 0
    assert "Review by topic" in headings(docx.Document(str(one)))
    project = tmp_path / "p.piplrev"
    assert main(["review", str(policy), "--project", str(project),
                 "--memo", str(tmp_path / "quick.docx")]) == 0
    assert (tmp_path / "quick.docx").exists()
    out = tmp_path / "memo.docx"
    assert main(["memo", str(project), "-o", str(out)]) == 0
    assert "Red flags" in headings(docx.Document(str(out)))
    assert main(["memo", str(project), "-o", str(out), "--document", "7"]) == 2
    assert main(["review", str(FIXTURES / "benewake.txt"), str(FIXTURES / "bench3d.txt"),
                 "--memo", str(out)]) == 2
    assert "exactly one input file" in capsys.readouterr().err


def test_memo_counts_the_passages_it_does_not_quote(memo):
    document, _, _ = memo
    counts = [p.text for p in document.paragraphs if p.text.endswith("this item.") and " more passage" in p.text]
    assert counts
    for line in counts:
        n = int(line.split()[0])
        assert line == (f"{n} more passage supports this item." if n == 1 else f"{n} more passages support this item.")
