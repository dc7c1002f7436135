"""Write ``tests/fixtures/project_v0.piplrev``: a project saved at schema version 1
(the format before migration 2), with one small policy and one of each kind of
reviewer decision and note, so the upgrade test has real data to carry over.

    python tests/make_project_fixture.py [OUT]
"""
from __future__ import annotations

import hashlib
import sqlite3
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from reviewer.core.project import APPLICATION_ID, DERIVED_SCHEMA, MIGRATIONS  # noqa: E402

OUT = Path(__file__).parent / "fixtures" / "project_v0.piplrev"
TIME = "2025-06-01T09:00:00+00:00"
AUTHOR = "Wang Fang"

POLICY = """Example Tools Ltd. Privacy Policy

1. Who we are

Example Tools Ltd. is the processor of your personal information. You can contact us at privacy@example.com.

2. Information we collect

We collect your name, email address and phone number when you register an account.

3. Retention

We keep your personal information for three years after your account is closed, and then delete it.

4. Your rights

You may access, correct or delete your personal information by writing to privacy@example.com.
"""

RETENTION = "We keep your personal information for three years after your account is closed, and then delete it."


def finding_key(rule: str, items: str, start: int, end: int, text: str) -> str:
    return f"{rule}|{items}|{start}-{end}|{hashlib.sha1(text.encode()).hexdigest()[:12]}"


def build(out: Path) -> None:
    if out.exists():
        out.unlink()
    data = POLICY.encode()
    start = POLICY.index(RETENTION)
    end = start + len(RETENTION)
    key = finding_key("retention/period-stated", "retention#RT-1", start, end, RETENTION)
    conn = sqlite3.connect(out, isolation_level=None)
    conn.execute("BEGIN")
    conn.execute(f"PRAGMA application_id={APPLICATION_ID}")
    for statement in MIGRATIONS[1]:
        conn.execute(statement)
    conn.execute(DERIVED_SCHEMA)
    conn.execute("PRAGMA user_version=1")
    conn.execute("INSERT INTO project VALUES (1, 'Example Tools review', ?, ?)", (TIME, AUTHOR))
    conn.execute("INSERT INTO documents VALUES (1, ?, 'example-tools.txt', 'txt', 'en', ?)",
                 (hashlib.sha256(data).hexdigest(), TIME))
    conn.execute("INSERT INTO document_files VALUES (1, ?)", (data,))
    conn.execute("INSERT INTO overrides VALUES (1, 'retention#RT-1', 'met', ?, ?, ?)",
                 ("Section 3 states a three-year period.", AUTHOR, TIME))
    conn.execute("INSERT INTO finding_decisions VALUES (1, ?, 'retention/period-stated', "
                 "'retention#RT-1', ?, ?, ?, 'accepted', ?, ?)", (key, RETENTION, start, end, AUTHOR, TIME))
    contact = POLICY.index("privacy@example.com")
    conn.execute("INSERT INTO manual_findings VALUES (1, 1, ?, ?, 'privacy@example.com', "
                 "'processor_identity_contact', 'processor_identity_contact#ID-2', "
                 "'E-mail contact for PI matters', ?, ?)",
                 (contact, contact + len("privacy@example.com"), AUTHOR, TIME))
    for n, (target, text) in enumerate([("item:retention#RT-1", "Ask whether backups follow the same period."),
                                        (f"finding:{key}", "Clear statement of the period."),
                                        ("document", "Short policy; English only.")], 1):
        conn.execute("INSERT INTO notes VALUES (?, 1, ?, ?, ?, ?)", (n, target, text, AUTHOR, TIME))
    for n, (action, target) in enumerate([("create_project", ""), ("add_document", "example-tools.txt"),
                                          ("set_override", "retention#RT-1"), ("decide_finding", key),
                                          ("add_manual_finding", "processor_identity_contact#ID-2"),
                                          ("add_note", "item:retention#RT-1"), ("add_note", f"finding:{key}"),
                                          ("add_note", "document")], 1):
        conn.execute("INSERT INTO audit VALUES (?, ?, ?, ?, ?, ?, NULL, NULL)",
                     (n, TIME, AUTHOR, action, None if n == 1 else 1, target))
    # A derived-data row in an old cache format: the upgrade drops it.
    conn.execute("INSERT INTO analysis_cache VALUES (1, ?, 'pipl', '0.1', '', 0, '0.0.1', ?, NULL, NULL, x'00')",
                 (hashlib.sha256(data).hexdigest(), TIME))
    conn.execute("COMMIT")
    conn.execute("VACUUM")
    conn.close()


if __name__ == "__main__":
    build(Path(sys.argv[1]) if len(sys.argv) > 1 else OUT)
