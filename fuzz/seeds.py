"""Seed inputs for the fuzz targets: small valid files of each kind, made on the fly."""
from __future__ import annotations

import io
import sys
import tempfile
import zipfile
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
TESTS = REPO / "tests"
if str(TESTS) not in sys.path:
    sys.path.insert(0, str(TESTS))

import make_docs  # noqa: E402
import make_pdfs  # noqa: E402

ENGLISH = (
    "Privacy Policy\n\n1. Information We Collect\n\nWe collect your name, phone number and email "
    "address when you register.\n\n2. Sharing\n\nWe do not share personal information with third "
    "parties without your separate consent.\n\n3. Your Rights\n\nYou may access, correct or "
    "delete your personal information by writing to privacy@example.com.\n")
CHINESE = (
    "隐私政策\n\n一、我们如何收集您的个人信息\n\n我们会收集您的手机号码和电子邮箱，用于为您提供服务。\n\n"
    "二、我们如何共享您的个人信息\n\n未经您的单独同意，我们不会向第三方提供您的个人信息。\n")


def text_seeds() -> list[bytes]:
    return [ENGLISH.encode("utf-8"), CHINESE.encode("utf-8"), CHINESE.encode("gb18030"),
            CHINESE.encode("big5", errors="replace"), ENGLISH.encode("utf-16"),
            ENGLISH.encode("utf-16-le"), CHINESE.encode("utf-16-le"),
            ENGLISH.replace("\n", "\r\n").encode("cp1252"), b"\xef\xbb\xbf" + ENGLISH.encode()]


def html_seeds() -> list[bytes]:
    with tempfile.TemporaryDirectory() as tmp:
        gbk = make_docs.chinese_page(Path(tmp) / "zh.html", "gbk").read_bytes()
    return [make_docs.POLICY_PAGE.encode("utf-8"), gbk,
            b"<html><body><table><tr><td>We collect <b>your name</td><td rowspan=3>and email"
            b"</table><pre>1. Sharing\n2. Rights</pre><ul><li>Access<li>Deletion</ul>",
            b"<?xml version='1.0' encoding='utf-8'?><html xmlns='http://www.w3.org/1999/xhtml'>"
            b"<body><main><h1>Privacy</h1><p>We keep data for six months.</p></main></body></html>"]


def docx_seeds() -> list[bytes]:
    out = []
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        for maker in (make_docs.simple_docx, make_docs.tables_docx, make_docs.tracked_changes_docx,
                      make_docs.text_box_docx, make_docs.numbered_docx, make_docs.chinese_docx):
            out.append(maker(folder / f"{maker.__name__}.docx").read_bytes())
    return out


def pdf_seeds() -> list[bytes]:
    return [make_pdfs.plain_pdf(pages=2, title="Privacy Policy"), make_pdfs.structure_pdf(),
            make_pdfs.table_pdf(), make_pdfs.table_pdf(rotate=90), make_pdfs.chinese_pdf(),
            make_pdfs.two_column_pdf(flow=True), make_pdfs.headers_pdf(pages=3),
            make_pdfs.hyphen_pdf(), make_pdfs.plain_pdf(pages=1, owner_password="owner")]


def project_seed(folder: Path) -> bytes:
    """A small project: one policy with an override and a note."""
    from reviewer.core.project import open_project
    from reviewer.core.review import review_file

    policy = folder / "seed-policy.txt"
    policy.write_text(ENGLISH, encoding="utf-8")
    path = folder / "seed.piplrev"
    with open_project(path) as project:
        doc_id, _ = project.add_document(review_file(policy, ruleset=project.ruleset))
        item = project.review_state(doc_id).items[0].item
        project.set_override(doc_id, item, "met", "Seen in section 1.")
        project.add_note(doc_id, "document", None, "Seed note.")
    return path.read_bytes()


def zip_parts(data: bytes) -> dict[str, bytes]:
    with zipfile.ZipFile(io.BytesIO(data)) as z:
        return {name: z.read(name) for name in z.namelist()}


def make_zip(parts: dict[str, bytes]) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as z:
        for name, data in parts.items():
            z.writestr(name, data)
    return buffer.getvalue()
