"""Writes the bad and awkward input files the hardening tests feed to the app.

Every file is made here at test time, so nothing large is kept in the
repository. Run it by hand to get the files in a folder:

    python tests/bad_inputs/generate.py OUT_DIR

``make_all(folder)`` returns ``{kind: path}``. The few kinds that need the
test's help (a file without read permission, a file that changes while it is
read) are made as ordinary files here; the test sets up the rest.
``make_projects(folder, good)`` makes damaged copies of a working project file.
"""
from __future__ import annotations

import os
import random
import re
import shutil
import sqlite3
import sys
import zipfile
from pathlib import Path

TESTS = Path(__file__).resolve().parent.parent
if str(TESTS) not in sys.path:
    sys.path.insert(0, str(TESTS))

import make_docs  # noqa: E402
import make_pdfs  # noqa: E402

FIXTURES = TESTS / "fixtures"
SECRET = "SECRET-FROM-OUTSIDE-THE-DOCUMENT"

CHINESE_POLICY = (
    "某某科技有限公司隐私政策\n\n"
    "一、我们如何收集和使用您的个人信息\n\n"
    "我们会收集您在注册账号时主动提供的手机号码、电子邮箱和昵称，用于为您提供服务。\n"
    "我们会在您同意后收集您的位置信息和设备信息，用于保障账号安全。\n\n"
    "二、我们如何共享您的个人信息\n\n"
    "未经您的单独同意，我们不会向第三方提供您的个人信息，法律法规另有规定的除外。\n\n"
    "三、您的权利\n\n"
    "您有权查阅、复制、更正和删除您的个人信息，也可以撤回您的同意。\n"
    "如您对本政策有任何疑问，请通过邮箱 privacy@example.cn 与我们的个人信息保护负责人联系。\n"
)


def english_policy() -> str:
    return (FIXTURES / "benewake.txt").read_text(encoding="utf-8")


def junk(size: int = 64 * 1024, seed: int = 6) -> bytes:
    return random.Random(seed).randbytes(size)


# ---------------------------------------------------------------- PDF

def pdf_truncated(folder: Path) -> Path:
    data = (FIXTURES / "benewake.pdf").read_bytes()
    path = folder / "truncated.pdf"
    path.write_bytes(data[: len(data) // 3])
    return path


def pdf_truncated_tail(folder: Path) -> Path:
    """The last lines of the file (``startxref`` and ``%%EOF``) are missing."""
    data = make_pdfs.plain_pdf(pages=3)
    path = folder / "truncated_tail.pdf"
    path.write_bytes(data[: data.rindex(b"startxref")])
    return path


def pdf_corrupt_xref(folder: Path) -> Path:
    """Every cross-reference entry points to the wrong place."""
    data = make_pdfs.plain_pdf(pages=3)
    start = data.rindex(b"\nxref\n") + 1
    end = data.index(b"trailer", start)
    table = re.sub(rb"\d{10} 00000 n", lambda m: b"%010d 00000 n" % (int(m.group()[:10]) * 3 + 17),
                   data[start:end])
    path = folder / "corrupt_xref.pdf"
    path.write_bytes(data[:start] + table + data[end:])
    return path


def pdf_user_password(folder: Path) -> Path:
    path = folder / "password.pdf"
    path.write_bytes(make_pdfs.plain_pdf(pages=2, user_password="secret"))
    return path


def pdf_owner_password(folder: Path) -> Path:
    path = folder / "owner_password.pdf"
    path.write_bytes(make_pdfs.plain_pdf(pages=2, owner_password="owner"))
    return path


def pdf_scanned(folder: Path) -> Path:
    path = folder / "scanned.pdf"
    path.write_bytes(make_pdfs.scanned_pdf(pages=3))
    return path


def pdf_pages(pages: int) -> bytes:
    """``pages`` short pages of policy text."""
    out = []
    for n in range(1, pages + 1):
        text = f"Section {n}. {make_pdfs.LOREM[n % len(make_pdfs.LOREM)]}"
        items, _ = make_pdfs.paragraph(text, 72, 72, 460)
        out.append(items)
    return make_pdfs.make_pdf(out)


def pdf_2000_pages(folder: Path) -> Path:
    path = folder / "2000_pages.pdf"
    path.write_bytes(pdf_pages(2000))
    return path


def pdf_tiny_characters(folder: Path) -> Path:
    """One page holding about 100,000 characters of policy text in 1.8 pt type."""
    text = " ".join(make_pdfs.LOREM)
    items = []
    top = 8.0
    while sum(len(item[3]) for item in items) < 100_000:
        items.append(("text", 8, top, text[:330], 1.8, "F1"))
        text = text[330:] + " " + text[:330]
        top += 2.2
    path = folder / "tiny_characters.pdf"
    path.write_bytes(make_pdfs.make_pdf([items]))
    return path


def pdf_no_unicode_map(folder: Path) -> Path:
    path = folder / "no_tounicode.pdf"
    path.write_bytes(make_pdfs.garbled_pdf())
    return path


# ---------------------------------------------------------------- DOCX

def docx_not_zip(folder: Path) -> Path:
    return make_docs.not_a_zip(folder / "not_a_zip.docx")


def docx_zip_bomb(folder: Path) -> Path:
    return make_docs.zip_bomb_docx(folder / "zip_bomb.docx", megabytes=400)


def docx_external_entity(folder: Path) -> Path:
    secret = folder / "secret.txt"
    secret.write_text(SECRET)
    return make_docs.with_doctype(
        folder / "xxe.docx",
        f'<!DOCTYPE w:document [<!ENTITY xxe SYSTEM "{secret.as_uri()}">]>', "&xxe;")


def docx_billion_laughs(folder: Path) -> Path:
    return make_docs.billion_laughs_docx(folder / "billion_laughs.docx")


def docx_no_document_xml(folder: Path) -> Path:
    return make_docs.missing_document_docx(folder / "no_document_xml.docx")


def docx_old_word(folder: Path) -> Path:
    return make_docs.old_doc(folder / "old_word.docx")


def docx_images_only(folder: Path) -> Path:
    return make_docs.images_only_docx(folder / "images_only.docx")


def docx_wrong_zip_offsets(folder: Path) -> Path:
    """The zip's end record puts the central directory 1000 bytes later than it is."""
    data = bytearray(make_docs.simple_docx(folder / "wrong_offsets.docx").read_bytes())
    end = data.rindex(b"PK\x05\x06")
    offset = int.from_bytes(data[end + 16:end + 20], "little")
    data[end + 16:end + 20] = (offset + 1000).to_bytes(4, "little")
    path = folder / "wrong_offsets.docx"
    path.write_bytes(bytes(data))
    return path


def docx_corrupt_deflate(folder: Path) -> Path:
    """The compressed bytes of word/document.xml are garbage (sizes and names intact)."""
    path = make_docs.simple_docx(folder / "corrupt_deflate.docx")
    data = bytearray(path.read_bytes())
    with zipfile.ZipFile(path) as z:
        info = z.getinfo("word/document.xml")
    start = info.header_offset + 30 + len(info.filename.encode()) + len(info.extra)
    data[start:start + info.compress_size] = bytes([0x04]) + random.Random(3).randbytes(
        info.compress_size - 1)
    path.write_bytes(bytes(data))
    return path


def docx_foreign_relationships(folder: Path) -> Path:
    """The package relationships (_rels/.rels) are in a namespace Word does not use."""
    rels = (b'<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="urn:not-opc">'
            b'<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/'
            b'2006/relationships/officeDocument" Target="word/document.xml"/></Relationships>')
    path = make_docs.simple_docx(folder / "foreign_relationships.docx")
    return make_docs.rewrite_zip(path, {"_rels/.rels": rels})


def docx_nul_in_xml(folder: Path) -> Path:
    """A NUL character inside word/document.xml, which XML does not allow."""
    path = make_docs.simple_docx(folder / "nul_in_xml.docx", ("Privacy Policy", "We collect@@"))
    return make_docs.rewrite_zip(path, {"word/document.xml": lambda d: d.replace(b"@@", b"\x00")})


# ---------------------------------------------------------------- text

def txt_empty(folder: Path) -> Path:
    path = folder / "empty.txt"
    path.write_bytes(b"")
    return path


def txt_whitespace(folder: Path) -> Path:
    path = folder / "whitespace.txt"
    path.write_bytes((" \t\r\n\n   \u3000" * 200).encode("utf-8"))
    return path


def txt_50_mb(folder: Path) -> Path:
    text = english_policy().encode("utf-8")
    path = folder / "50mb.txt"
    path.write_bytes(text * (50 * 2**20 // len(text) + 1))
    return path


def txt_mixed_encodings(folder: Path) -> Path:
    """A UTF-8 file with a Windows-1252 paragraph and a GBK paragraph pasted in."""
    english = english_policy().split("\n\n")
    data = ("\n\n".join(english[:6]) + "\n\n").encode("utf-8")
    data += "We don’t sell data – “never”.\n\n".encode("cp1252")
    data += CHINESE_POLICY.split("\n\n")[2].encode("gbk") + b"\n\n"
    data += "\n\n".join(english[6:12]).encode("utf-8")
    path = folder / "mixed_encodings.txt"
    path.write_bytes(data)
    return path


def txt_utf16_no_bom(folder: Path) -> Path:
    path = folder / "utf16_no_bom.txt"
    path.write_bytes(english_policy().encode("utf-16-le"))
    return path


def txt_gb18030(folder: Path) -> Path:
    path = folder / "gb18030.txt"
    path.write_bytes(CHINESE_POLICY.encode("gb18030"))
    return path


def txt_nul_bytes(folder: Path) -> Path:
    text = english_policy().encode("utf-8")
    path = folder / "nul_bytes.txt"
    path.write_bytes(text[:3000] + b"\x00" + text[3000:6000] + b"\x00\x00" + text[6000:])
    return path


def txt_one_5_mb_line(folder: Path) -> Path:
    line = english_policy().replace("\n", " ").encode("utf-8")
    path = folder / "one_line.txt"
    path.write_bytes((line * (5 * 2**20 // len(line) + 1))[: 5 * 2**20])
    return path


# ---------------------------------------------------------------- HTML

def html_scripts_only(folder: Path) -> Path:
    script = "<script>var policy = 'We collect your name and email address.';</script>\n"
    path = folder / "scripts_only.html"
    path.write_text("<!DOCTYPE html><html><head><title></title>" + script * 3
                    + "</head><body>" + script * 20 + "<noscript></noscript></body></html>",
                    encoding="utf-8")
    return path


def html_malformed(folder: Path) -> Path:
    """Unclosed and crossed tags, stray brackets, broken entities, no closing tags."""
    sentences = english_policy().split("\n\n")[:12]
    body = "".join(f"<p><b>{s}<i></p></b><div><span>\n" for s in sentences)
    path = folder / "malformed.html"
    path.write_text("<html><head><title>Privacy Policy</title><meta charset=utf-8>"
                    "<body><table><tr><td>" + body
                    + "</td></tr><p>&nbsp &amp &#xZZ; &#99999999; <<< >>> <a href='x>"
                    + "</html></body></head><div", encoding="utf-8")
    return path


def html_control_characters(folder: Path) -> Path:
    """Form feeds and other control characters beside page furniture that is dropped."""
    sentences = english_policy().split("\n\n")[:8]
    body = "".join(f"<p>{s}<script>track()</script>\x0c<nav>Home</nav>\x0b {s}</p>\n"
                    for s in sentences)
    path = folder / "control_characters.html"
    path.write_text(f"<html><head><title>Privacy\x0cPolicy</title></head><body>{body}</body></html>",
                    encoding="utf-8")
    return path


# ---------------------------------------------------------------- files

def folder_as_file(folder: Path) -> Path:
    path = folder / "policy folder.pdf"
    path.mkdir(exist_ok=True)
    return path


def chinese_path(folder: Path) -> Path:
    sub = folder / "隐私 政策 文件夹"
    sub.mkdir(exist_ok=True)
    path = sub / "隐私 政策 (2024 版).txt"
    path.write_text(CHINESE_POLICY, encoding="utf-8")
    return path


def no_read_permission(folder: Path) -> Path:
    path = folder / "locked.txt"
    path.write_text(english_policy(), encoding="utf-8")
    path.chmod(0)
    return path


def changes_while_loading(folder: Path) -> Path:
    path = folder / "changing.txt"
    path.write_text(english_policy(), encoding="utf-8")
    return path


def make_junk(suffix: str):
    def maker(folder: Path) -> Path:
        path = folder / f"junk{suffix}"
        path.write_bytes(junk())
        return path

    maker.__name__ = f"junk_{suffix.lstrip('.')}"
    return maker


def unsupported_type(folder: Path) -> Path:
    path = folder / "policy.rtf"
    path.write_text(r"{\rtf1\ansi We collect your name.}")
    return path


def missing_file(folder: Path) -> Path:
    return folder / "no such policy.pdf"


def special_file(folder: Path) -> Path:
    """A named pipe: opening it would wait for a writer for ever."""
    path = folder / "pipe.txt"
    if hasattr(os, "mkfifo") and not path.exists():
        os.mkfifo(path)
    return path


def excel_renamed(folder: Path) -> Path:
    path = folder / "workbook.docx"
    with zipfile.ZipFile(path, "w") as z:
        z.writestr("[Content_Types].xml", "<Types/>")
        z.writestr("xl/workbook.xml", "<workbook/>")
    return path


JUNK_SUFFIXES = (".pdf", ".docx", ".txt", ".text", ".md", ".html", ".htm", ".xhtml")

MAKERS = {
    "pdf_truncated": pdf_truncated,
    "pdf_truncated_tail": pdf_truncated_tail,
    "pdf_corrupt_xref": pdf_corrupt_xref,
    "pdf_user_password": pdf_user_password,
    "pdf_owner_password": pdf_owner_password,
    "pdf_scanned": pdf_scanned,
    "pdf_2000_pages": pdf_2000_pages,
    "pdf_tiny_characters": pdf_tiny_characters,
    "pdf_no_unicode_map": pdf_no_unicode_map,
    "docx_not_zip": docx_not_zip,
    "docx_zip_bomb": docx_zip_bomb,
    "docx_external_entity": docx_external_entity,
    "docx_billion_laughs": docx_billion_laughs,
    "docx_no_document_xml": docx_no_document_xml,
    "docx_old_word": docx_old_word,
    "docx_images_only": docx_images_only,
    "docx_excel_renamed": excel_renamed,
    "docx_wrong_zip_offsets": docx_wrong_zip_offsets,
    "docx_corrupt_deflate": docx_corrupt_deflate,
    "docx_foreign_relationships": docx_foreign_relationships,
    "docx_nul_in_xml": docx_nul_in_xml,
    "txt_empty": txt_empty,
    "txt_whitespace": txt_whitespace,
    "txt_50_mb": txt_50_mb,
    "txt_mixed_encodings": txt_mixed_encodings,
    "txt_utf16_no_bom": txt_utf16_no_bom,
    "txt_gb18030": txt_gb18030,
    "txt_nul_bytes": txt_nul_bytes,
    "txt_one_5_mb_line": txt_one_5_mb_line,
    "html_scripts_only": html_scripts_only,
    "html_malformed": html_malformed,
    "html_control_characters": html_control_characters,
    "folder_as_file": folder_as_file,
    "chinese_path": chinese_path,
    "no_read_permission": no_read_permission,
    "changes_while_loading": changes_while_loading,
    "unsupported_type": unsupported_type,
    "missing_file": missing_file,
    "special_file": special_file,
    **{f"junk_{s.lstrip('.')}": make_junk(s) for s in JUNK_SUFFIXES},
}


# ---------------------------------------------------------------- project files

def damaged_project(good: Path, target: Path, *statements: str) -> Path:
    """A copy of the project ``good`` with SQL ``statements`` applied, checks off."""
    shutil.copy(good, target)
    db = sqlite3.connect(target)
    try:
        db.execute("PRAGMA ignore_check_constraints = ON")
        for statement in statements:
            db.execute(statement)
        db.commit()
    finally:
        db.close()
    return target


def make_projects(folder: Path, good: Path) -> dict[str, Path]:
    """Bad project files, made from the working project ``good``."""
    folder = Path(folder)
    folder.mkdir(parents=True, exist_ok=True)
    data = good.read_bytes()
    out = {}
    out["project_not_sqlite"] = folder / "not_sqlite.piplrev"
    out["project_not_sqlite"].write_bytes((FIXTURES / "benewake.pdf").read_bytes())
    out["project_truncated"] = folder / "truncated.piplrev"
    out["project_truncated"].write_bytes(data[: len(data) // 2])
    out["project_other_application"] = folder / "other_application.piplrev"
    other = sqlite3.connect(out["project_other_application"])
    other.execute("CREATE TABLE contacts (name TEXT)")
    other.commit()
    other.close()
    out["project_newer_version"] = damaged_project(good, folder / "newer.piplrev",
                                                   "PRAGMA user_version = 99")
    out["project_corrupt_cache"] = damaged_project(
        good, folder / "corrupt_cache.piplrev", "UPDATE analysis_cache SET data = zeroblob(100)")
    out["project_missing_table"] = damaged_project(good, folder / "missing_table.piplrev",
                                                   "DROP TABLE notes")
    out["project_no_project_row"] = damaged_project(good, folder / "no_project_row.piplrev",
                                                    "DELETE FROM project")
    return out


def make_all(folder: Path, kinds=None) -> dict[str, Path]:
    folder = Path(folder)
    folder.mkdir(parents=True, exist_ok=True)
    return {kind: MAKERS[kind](folder) for kind in (kinds or MAKERS)}


if __name__ == "__main__":
    if len(sys.argv) != 2:
        sys.exit("usage: generate.py OUT_DIR")
    for kind, path in make_all(Path(sys.argv[1])).items():
        print(f"{kind:24} {path}")
