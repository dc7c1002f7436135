"""The project file (``.piplrev``): one SQLite database per review.

It follows "SQLite as an application file format": ``PRAGMA application_id``
marks our files, ``PRAGMA user_version`` is the schema version, and ordered
migrations upgrade an older file in one transaction after backing it up. A file
from a newer version, a foreign SQLite database or a non-SQLite file is refused
before anything is written to it.

Canonical data (migrated): the project, the documents with their original bytes,
the reviewer's decisions (item overrides, accepted or rejected findings, manual
findings), notes and the audit trail. Derived data (never migrated, rebuilt when
missing or stale): the analysis cache in ``analysis_cache``, keyed by the
document's sha256 and the ruleset version (and the ruleset's digest, so edited
rules without a version bump are not served from an old cache).

Every edit is its own committed transaction. The journal is SQLite's rollback
journal (``journal_mode=DELETE``) with ``synchronous=FULL``: commits are durable,
a crash is rolled back by the next open, readers in other processes can open the
file while it is being edited, and the project is a single file when it is
closed (no ``-wal``/``-shm`` files, which WAL mode would need beside a read-only
reader too).
"""
from __future__ import annotations

import getpass
import hashlib
import json
import os
import sqlite3
import threading
import zlib
from collections import Counter
from contextlib import contextmanager
from dataclasses import dataclass, field, replace
from datetime import datetime, timezone
from pathlib import Path

from .. import __version__
from .document import Document, LoadError
from .results import STATUSES, Analysis, Finding, RulesetInfo, Segment, Verdict, segment_at

APPLICATION_ID = 0x50495052  # "PIPR"
SCHEMA_VERSION = 2
CACHE_FORMAT = 1
EXTENSION = ".piplrev"
SQLITE_HEADER = b"SQLite format 3\x00"
TARGET_KINDS = ("item", "finding", "document")
DECISIONS = ("accepted", "rejected")

# Migration n takes a file from user_version n-1 to n. Each is a list of single
# statements so they all run inside one transaction (executescript would commit).
MIGRATIONS: dict[int, list[str]] = {
    1: [
        """CREATE TABLE project (
            id INTEGER PRIMARY KEY CHECK (id = 1),
            name TEXT NOT NULL,
            created TEXT NOT NULL,
            reviewer TEXT NOT NULL DEFAULT ''
        )""",
        """CREATE TABLE documents (
            id INTEGER PRIMARY KEY,
            sha256 TEXT NOT NULL UNIQUE CHECK (length(sha256) = 64),
            file_name TEXT NOT NULL CHECK (file_name <> ''),
            format TEXT NOT NULL CHECK (format IN ('pdf', 'docx', 'txt', 'html')),
            lang TEXT NOT NULL CHECK (lang IN ('en', 'zh', 'mixed')),
            added TEXT NOT NULL
        )""",
        """CREATE TABLE document_files (
            doc_id INTEGER PRIMARY KEY REFERENCES documents(id) ON DELETE CASCADE,
            content BLOB NOT NULL CHECK (length(content) > 0)
        )""",
        """CREATE TABLE overrides (
            doc_id INTEGER NOT NULL REFERENCES documents(id) ON DELETE CASCADE,
            item TEXT NOT NULL,
            status TEXT NOT NULL
                CHECK (status IN ('met', 'missing', 'needs_review', 'not_applicable')),
            justification TEXT NOT NULL CHECK (trim(justification) <> ''),
            author TEXT NOT NULL,
            time TEXT NOT NULL,
            PRIMARY KEY (doc_id, item)
        )""",
        """CREATE TABLE finding_decisions (
            doc_id INTEGER NOT NULL REFERENCES documents(id) ON DELETE CASCADE,
            key TEXT NOT NULL,
            rule TEXT NOT NULL,
            items TEXT NOT NULL,
            text TEXT NOT NULL,
            start_pos INTEGER NOT NULL CHECK (start_pos >= 0),
            end_pos INTEGER NOT NULL CHECK (end_pos >= start_pos),
            decision TEXT NOT NULL CHECK (decision IN ('accepted', 'rejected')),
            author TEXT NOT NULL,
            time TEXT NOT NULL,
            PRIMARY KEY (doc_id, key)
        )""",
        """CREATE TABLE manual_findings (
            id INTEGER PRIMARY KEY,
            doc_id INTEGER NOT NULL REFERENCES documents(id) ON DELETE CASCADE,
            start_pos INTEGER NOT NULL CHECK (start_pos >= 0),
            end_pos INTEGER NOT NULL CHECK (end_pos > start_pos),
            text TEXT NOT NULL,
            topic TEXT NOT NULL,
            item TEXT,
            note TEXT NOT NULL DEFAULT '',
            author TEXT NOT NULL,
            time TEXT NOT NULL
        )""",
        # Version 1 kept a note's target in one column: "item:<id>", "finding:<key>" or "document".
        """CREATE TABLE notes (
            id INTEGER PRIMARY KEY,
            doc_id INTEGER NOT NULL REFERENCES documents(id) ON DELETE CASCADE,
            target TEXT NOT NULL,
            text TEXT NOT NULL,
            author TEXT NOT NULL,
            time TEXT NOT NULL
        )""",
        """CREATE TABLE audit (
            id INTEGER PRIMARY KEY,
            time TEXT NOT NULL,
            author TEXT NOT NULL,
            action TEXT NOT NULL,
            doc_id INTEGER,
            target TEXT NOT NULL DEFAULT '',
            old TEXT,
            new TEXT
        )""",
        "CREATE INDEX manual_findings_doc ON manual_findings(doc_id)",
        "CREATE INDEX notes_doc ON notes(doc_id)",
    ],
    2: [
        # Notes get a checked target kind and id, and documents a reviewer-given label
        # ("App policy", "Website policy 2023") to tell several policies apart.
        """CREATE TABLE notes_new (
            id INTEGER PRIMARY KEY,
            doc_id INTEGER NOT NULL REFERENCES documents(id) ON DELETE CASCADE,
            target_kind TEXT NOT NULL CHECK (target_kind IN ('item', 'finding', 'document')),
            target_id TEXT NOT NULL DEFAULT '',
            text TEXT NOT NULL CHECK (trim(text) <> ''),
            author TEXT NOT NULL,
            time TEXT NOT NULL,
            CHECK ((target_kind = 'document') = (target_id = ''))
        )""",
        """INSERT INTO notes_new (id, doc_id, target_kind, target_id, text, author, time)
           SELECT id, doc_id,
                  CASE WHEN instr(target, ':') = 0 THEN target
                       ELSE substr(target, 1, instr(target, ':') - 1) END,
                  CASE WHEN instr(target, ':') = 0 THEN ''
                       ELSE substr(target, instr(target, ':') + 1) END,
                  text, author, time
           FROM notes""",
        "DROP TABLE notes",
        "ALTER TABLE notes_new RENAME TO notes",
        "CREATE INDEX notes_doc ON notes(doc_id)",
        "ALTER TABLE documents ADD COLUMN label TEXT NOT NULL DEFAULT ''",
    ],
}

DERIVED_SCHEMA = """CREATE TABLE IF NOT EXISTS analysis_cache (
    doc_id INTEGER PRIMARY KEY REFERENCES documents(id) ON DELETE CASCADE,
    sha256 TEXT NOT NULL,
    ruleset_id TEXT NOT NULL,
    ruleset_version TEXT NOT NULL,
    ruleset_sha256 TEXT NOT NULL,
    cache_format INTEGER NOT NULL,
    tool_version TEXT NOT NULL,
    created TEXT NOT NULL,
    title TEXT,
    pages INTEGER,
    data BLOB NOT NULL
)"""


class ProjectError(Exception):
    """The project file cannot be used; the message is one line for the reviewer."""


class ProjectInUse(ProjectError):
    """Another window or process has the project open for editing."""


class ReadOnlyProject(ProjectError):
    """An edit was attempted on a project opened read-only."""


# ---------------------------------------------------------------- records

@dataclass(frozen=True)
class DocumentInfo:
    id: int
    file_name: str
    sha256: str
    format: str
    lang: str
    added: str
    label: str = ""
    size: int = 0
    title: str | None = None
    pages: int | None = None
    ruleset_version: str | None = None  # of the cached analysis

    @property
    def name(self) -> str:
        return self.label or self.title or self.file_name


@dataclass(frozen=True)
class Override:
    item: str
    status: str
    justification: str
    author: str
    time: str


@dataclass(frozen=True)
class Decision:
    key: str
    rule: str
    items: tuple[str, ...]
    text: str
    start: int
    end: int
    decision: str
    author: str
    time: str


@dataclass(frozen=True)
class ManualFinding:
    id: int
    start: int
    end: int
    text: str
    topic: str
    item: str | None
    note: str
    author: str
    time: str


@dataclass(frozen=True)
class Note:
    id: int
    target_kind: str
    target_id: str
    text: str
    author: str
    time: str


@dataclass(frozen=True)
class AuditEntry:
    id: int
    time: str
    author: str
    action: str
    doc_id: int | None
    target: str
    old: object
    new: object


@dataclass
class FindingState:
    finding: Finding
    key: str
    decision: Decision | None = None
    notes: list[Note] = field(default_factory=list)

    @property
    def status(self) -> str | None:
        return self.decision.decision if self.decision else None


@dataclass
class ItemState:
    verdict: Verdict
    override: Override | None = None
    findings: list[FindingState] = field(default_factory=list)
    manual: list[ManualFinding] = field(default_factory=list)
    notes: list[Note] = field(default_factory=list)

    @property
    def item(self) -> str:
        return self.verdict.item

    @property
    def topic(self) -> str:
        return self.verdict.topic

    @property
    def severity(self) -> str:
        return self.verdict.severity

    @property
    def engine_status(self) -> str:
        return self.verdict.status

    @property
    def status(self) -> str:
        """The final status: the reviewer's override wins."""
        return self.override.status if self.override else self.verdict.status

    @property
    def evidence(self) -> list[FindingState]:
        """Findings that support the item, without those the reviewer rejected."""
        return [f for f in self.findings if f.status != "rejected"]


@dataclass(frozen=True)
class Orphan:
    """A decision or note whose item or finding is not in the current analysis."""

    kind: str  # override | decision | note | manual_finding
    record: object
    reason: str


@dataclass
class ReviewState:
    document: DocumentInfo
    text: str
    segments: list[Segment]
    analysis: Analysis
    items: list[ItemState]
    findings: list[FindingState]
    manual_findings: list[ManualFinding]
    notes: list[Note]  # notes on the document itself
    orphans: list[Orphan]
    reviewer: str = ""

    def item(self, item_id: str) -> ItemState:
        return next(i for i in self.items if i.item == item_id)

    def counts(self) -> Counter:
        return Counter(i.status for i in self.items)

    def segment_at(self, offset: int) -> Segment | None:
        return segment_at(self.segments, offset)


# ---------------------------------------------------------------- finding keys

def _digest(text: str) -> str:
    return hashlib.sha1(text.encode("utf-8")).hexdigest()[:12]


def finding_key(finding: Finding) -> str:
    """A key that stays the same across re-analyses of the same document:
    rule id, items, offsets and a digest of the quoted text."""
    return f"{finding.rule}|{'+'.join(finding.items)}|{finding.start}-{finding.end}|{_digest(finding.text)}"


def parse_finding_key(key: str) -> tuple[str, tuple[str, ...], int, int, str]:
    rule, items, span, digest = key.split("|")
    start, end = span.split("-")
    return rule, tuple(i for i in items.split("+") if i), int(start), int(end), digest


def _squash(text: str) -> str:
    return " ".join(text.split())


def attach(records: list[tuple[str, str]], findings) -> dict[str, Finding | None]:
    """Re-attach ``(key, text)`` records to the findings of a new analysis.

    An identical key wins. Otherwise the finding with the same quoted text (or a
    text containing it, or contained in it) is taken, preferring one that shares
    an item, then the same rule, then the nearest offset. ``None`` means orphaned.
    """
    by_key: dict[str, Finding] = {}
    for f in findings:
        by_key.setdefault(finding_key(f), f)
    result: dict[str, Finding | None] = {}
    taken: set[str] = set()
    pending = []
    for key, text in dict(records).items():  # a decision and a note may share a key
        if key in by_key:
            result[key] = by_key[key]
            taken.add(key)
        else:
            pending.append((key, text))
    for key, text in pending:
        rule, items, start, _end, digest = parse_finding_key(key)
        wanted = _squash(text)
        free = [f for k, f in by_key.items() if k not in taken]
        same = [f for f in free if _digest(f.text) == digest or _squash(f.text) == wanted]
        if not same and wanted:
            same = [f for f in free if wanted in _squash(f.text) or
                    (len(_squash(f.text)) > 20 and _squash(f.text) in wanted)]
        if not same:
            result[key] = None
            continue
        best = min(same, key=lambda f: (not set(f.items) & set(items), f.rule != rule,
                                        abs(f.start - start)))
        result[key] = best
        taken.add(finding_key(best))
    return result


# ---------------------------------------------------------------- the file lock

class FileLock:
    """The single-writer lock: an OS lock on the sidecar ``<project>.lock``.

    The OS drops the lock when the process dies, so a crash never leaves a
    project locked, and a clean close deletes the sidecar, so a closed project
    is one file. SQLite's own locks do not fit: ``locking_mode=EXCLUSIVE`` shuts
    out read-only viewers too, and a transaction held open for a whole session
    would defeat committing every action. ``flock`` (POSIX) and ``msvcrt.locking``
    (Windows) also conflict between two windows of the same process.
    """

    def __init__(self, project_path: Path) -> None:
        self.path = Path(str(project_path) + ".lock")
        self._fh = None

    def acquire(self) -> None:
        while True:
            try:
                fh = open(self.path, "a+b")
            except OSError as exc:
                raise ProjectError(f"{self.path.name[:-5]}: cannot be opened for editing "
                                   f"({exc.strerror or exc}); open it read-only") from None
            try:
                _os_lock(fh)
            except OSError:
                fh.close()
                raise ProjectInUse(f"{self.path.name[:-5]} is open in another window/process; "
                                   "close it there or open it read-only") from None
            if os.name == "nt" or _same_file(fh, self.path):
                break
            fh.close()  # the holder deleted the sidecar while we waited; lock the new one
        fh.seek(0)
        fh.truncate()
        fh.write(f"{os.getpid()}\n".encode())
        fh.flush()
        self._fh = fh

    def release(self) -> None:
        fh, self._fh = self._fh, None
        if fh is None:
            return
        if os.name != "nt":
            _unlink(self.path)  # while still locked: newcomers then lock a fresh file
        try:
            _os_unlock(fh)
        except OSError:
            pass
        fh.close()
        if os.name == "nt":
            _unlink(self.path)


def _same_file(fh, path: Path) -> bool:
    try:
        return os.path.samestat(os.fstat(fh.fileno()), os.stat(path))
    except OSError:
        return False


def _unlink(path: Path) -> None:
    try:
        path.unlink()
    except OSError:
        pass


if os.name == "nt":
    import msvcrt

    def _os_lock(fh) -> None:
        fh.seek(0)
        msvcrt.locking(fh.fileno(), msvcrt.LK_NBLCK, 1)

    def _os_unlock(fh) -> None:
        fh.seek(0)
        msvcrt.locking(fh.fileno(), msvcrt.LK_UNLCK, 1)
else:
    import fcntl

    def _os_lock(fh) -> None:
        fcntl.flock(fh.fileno(), fcntl.LOCK_EX | fcntl.LOCK_NB)

    def _os_unlock(fh) -> None:
        fcntl.flock(fh.fileno(), fcntl.LOCK_UN)


# ---------------------------------------------------------------- opening

def _now() -> str:
    return datetime.now(timezone.utc).isoformat(timespec="seconds")


def _default_reviewer() -> str:
    try:
        return getpass.getuser()
    except Exception:  # noqa: BLE001 - no login name on some systems
        return "reviewer"


def check_file(path: Path) -> int:
    """The schema version of an existing project file, read from the SQLite
    header without opening it; raises :class:`ProjectError` for anything else."""
    name = path.name
    try:
        with open(path, "rb") as fh:
            header = fh.read(100)
    except OSError as exc:
        raise ProjectError(f"{name}: cannot be read ({exc.strerror or exc})") from None
    if len(header) < 100 or not header.startswith(SQLITE_HEADER):
        raise ProjectError(f"{name}: not a PIPL Reviewer project (not an SQLite database)")
    application_id = int.from_bytes(header[68:72], "big")
    version = int.from_bytes(header[60:64], "big")
    if application_id != APPLICATION_ID:
        raise ProjectError(f"{name}: an SQLite database of another application, "
                           "not a PIPL Reviewer project")
    if version > SCHEMA_VERSION:
        raise ProjectError(f"{name}: saved by a newer version of PIPL Reviewer (project "
                           f"format {version}; this version reads up to {SCHEMA_VERSION}); "
                           "update the app to open it")
    if version < 1:
        raise ProjectError(f"{name}: not a valid PIPL Reviewer project (no schema version)")
    return version


def _connect(path: Path, readonly: bool) -> sqlite3.Connection:
    if readonly:
        conn = sqlite3.connect(path.resolve().as_uri() + "?mode=ro", uri=True,
                               isolation_level=None, check_same_thread=False, timeout=10)
        conn.execute("PRAGMA query_only=ON")
    else:
        conn = sqlite3.connect(str(path), isolation_level=None, check_same_thread=False,
                               timeout=10)
        conn.execute("PRAGMA journal_mode=DELETE")
        conn.execute("PRAGMA synchronous=FULL")
    conn.execute("PRAGMA foreign_keys=ON")
    return conn


def _migrate(conn: sqlite3.Connection, start: int, author: str) -> None:
    """Apply migrations ``start+1 .. SCHEMA_VERSION`` in one transaction.
    Foreign keys are off during the table rebuilds and checked before commit."""
    conn.execute("PRAGMA foreign_keys=OFF")
    conn.execute("BEGIN IMMEDIATE")
    try:
        if start == 0:
            conn.execute(f"PRAGMA application_id={APPLICATION_ID}")
        for version in range(start + 1, SCHEMA_VERSION + 1):
            for statement in MIGRATIONS[version]:
                conn.execute(statement)
        if start > 0:
            # Derived data is rebuilt, never migrated.
            conn.execute("DROP TABLE IF EXISTS analysis_cache")
            conn.execute("INSERT INTO audit (time, author, action, old, new) VALUES (?, ?, ?, ?, ?)",
                         (_now(), author, "upgrade_file", json.dumps(start), json.dumps(SCHEMA_VERSION)))
        if conn.execute("PRAGMA foreign_key_check").fetchone():
            raise ProjectError("the upgraded file breaks a foreign key")
        conn.execute(f"PRAGMA user_version={SCHEMA_VERSION}")
        conn.execute("COMMIT")
    except BaseException:
        conn.execute("ROLLBACK")
        raise
    finally:
        conn.execute("PRAGMA foreign_keys=ON")


def backup_path_for(path: Path, version: int) -> Path:
    target = path.with_name(f"{path.stem}.v{version}-backup{path.suffix}")
    if target.exists():
        stamp = datetime.now().strftime("%Y%m%d-%H%M%S")
        target = path.with_name(f"{path.stem}.v{version}-backup-{stamp}{path.suffix}")
    return target


def _copy_database(conn: sqlite3.Connection, target: Path) -> None:
    """Write a consistent copy of ``conn``'s database to ``target`` with the backup API."""
    part = target.with_name(target.name + ".part")
    _unlink(part)
    dest = sqlite3.connect(str(part))
    try:
        conn.backup(dest)
        dest.execute("PRAGMA journal_mode=DELETE")
    finally:
        dest.close()
    os.replace(part, target)


def _create(path: Path, name: str, reviewer: str) -> None:
    """Build a new project under a temporary name and move it into place, so a
    crash never leaves a half-made file at ``path``."""
    part = path.with_name(path.name + ".new")
    _unlink(part)
    conn = _connect(part, readonly=False)
    try:
        _migrate(conn, 0, reviewer)
        with _transaction(conn):
            conn.execute("INSERT INTO project (id, name, created, reviewer) VALUES (1, ?, ?, ?)",
                         (name, _now(), reviewer))
            conn.execute("INSERT INTO audit (time, author, action, new) VALUES (?, ?, ?, ?)",
                         (_now(), reviewer, "create_project", json.dumps(name, ensure_ascii=False)))
    finally:
        conn.close()
    os.replace(part, path)


@contextmanager
def _transaction(conn: sqlite3.Connection):
    conn.execute("BEGIN IMMEDIATE")
    try:
        yield
    except BaseException:
        conn.execute("ROLLBACK")
        raise
    conn.execute("COMMIT")


def open_project(path, create: bool = True, readonly: bool = False, reviewer: str | None = None,
                 ruleset=None, analyzer=None) -> "Project":
    """Open (or create) a project file.

    ``reviewer`` names the author of this session's edits (default: the
    project's reviewer, else the login name). ``ruleset`` and ``analyzer``
    (``analyzer(document, ruleset) -> (segments, analysis)``) default to the
    bundled ruleset and the detection engine.
    """
    path = Path(path)
    if path.is_dir():
        raise ProjectError(f"{path.name}: this is a folder, not a project file")
    if not path.parent.is_dir():
        raise ProjectError(f"{path.name}: the folder {path.parent} does not exist")
    if readonly:
        if not path.exists():
            raise ProjectError(f"{path.name}: file not found")
        version = check_file(path)
        if version < SCHEMA_VERSION:
            raise ProjectError(f"{path.name}: made by an older version of PIPL Reviewer; "
                               "open it for editing once to upgrade it")
        _recover(path)
        try:
            conn = _connect(path, readonly=True)
            return Project(path, conn, None, reviewer, ruleset, analyzer, readonly=True)
        except sqlite3.DatabaseError as exc:
            raise ProjectError(f"{path.name}: cannot be opened read-only ({exc})") from None

    lock = FileLock(path)
    lock.acquire()
    conn = None
    try:
        if not path.exists():
            if not create:
                raise ProjectError(f"{path.name}: file not found")
            _create(path, path.stem, reviewer or _default_reviewer())
        check_file(path)
        conn = _connect(path, readonly=False)
        # Read the version through SQLite: a hot journal left by a crash is rolled back first.
        version = conn.execute("PRAGMA user_version").fetchone()[0]
        if conn.execute("PRAGMA application_id").fetchone()[0] != APPLICATION_ID \
                or not 1 <= version <= SCHEMA_VERSION:
            raise ProjectError(f"{path.name}: not a valid PIPL Reviewer project")
        backup = None
        if version < SCHEMA_VERSION:
            backup = backup_path_for(path, version)
            _copy_database(conn, backup)
            stored = conn.execute("SELECT reviewer FROM project").fetchone()
            _migrate(conn, version, reviewer or (stored and stored[0]) or _default_reviewer())
        conn.execute(DERIVED_SCHEMA)
        project = Project(path, conn, lock, reviewer, ruleset, analyzer, readonly=False)
    except BaseException as exc:
        if conn is not None:
            conn.close()
        lock.release()
        if isinstance(exc, sqlite3.DatabaseError):
            raise ProjectError(f"{path.name}: the project file is damaged ({exc})") from None
        raise
    project.backup_path = backup
    return project


def _recover(path: Path) -> None:
    """Roll back the journal a crashed writer left behind, which a read-only
    connection cannot do. Only when no other process holds the project open."""
    if not Path(str(path) + "-journal").exists():
        return
    lock = FileLock(path)
    try:
        lock.acquire()
    except ProjectError:
        return  # a live writer: its journal is not hot
    try:
        conn = sqlite3.connect(str(path))
        try:
            conn.execute("PRAGMA user_version").fetchone()
        finally:
            conn.close()
    except sqlite3.DatabaseError:
        pass
    finally:
        lock.release()


def _default_analyzer(document: Document, ruleset) -> tuple[list[Segment], Analysis]:
    from .review import review_document

    review = review_document(document, ruleset)
    return review.segments, review.analysis


def _pack(document: Document, segments: list[Segment], analysis: Analysis) -> bytes:
    data = {
        "format": CACHE_FORMAT,
        "document": {"path": document.path, "format": document.format, "lang": document.lang,
                     "title": document.title, "pages": document.pages,
                     "warnings": list(document.warnings), "text": document.text},
        "segments": [[s.id, s.start, s.end, s.kind, s.section, s.page, s.block, s.level, s.lead]
                     for s in segments],
        "analysis": analysis.to_json(),
    }
    return zlib.compress("".join(_json_pieces(data)).encode(), 6)


def _json_pieces(value, run: int = 200):
    """The compact JSON text of ``value`` in pieces, each long list in runs of
    ``run`` items. One ``json.dumps`` of a large review holds the interpreter
    lock for about 100 ms, which the desktop app's window would feel as a
    freeze while the review is saved in the background."""
    if isinstance(value, dict):
        yield "{"
        for n, (key, item) in enumerate(value.items()):
            yield ("," if n else "") + json.dumps(key, ensure_ascii=False) + ":"
            yield from _json_pieces(item, run)
        yield "}"
    elif isinstance(value, list) and len(value) > run:
        yield "["
        for n in range(0, len(value), run):
            yield ("," if n else "") + json.dumps(value[n:n + run], ensure_ascii=False, separators=(",", ":"))[1:-1]
        yield "]"
    else:
        yield json.dumps(value, ensure_ascii=False, separators=(",", ":"))


def _unpack(blob: bytes, sha256: str) -> tuple[Document, list[Segment], Analysis]:
    data = json.loads(zlib.decompress(blob))
    d = data["document"]
    document = Document(path=d["path"], format=d["format"], text=d["text"], blocks=(),
                        sha256=sha256, lang=d["lang"], title=d["title"], pages=d["pages"],
                        warnings=tuple(d["warnings"]))
    segments = [Segment(*row) for row in data["segments"]]
    return document, segments, Analysis.from_json(data["analysis"])


def load_bytes(data: bytes, file_name: str, lang: str | None = None) -> Document:
    """A :class:`Document` from a file's bytes, as ``loaders.load`` builds it from a path."""
    from .document import detect_language
    from .loaders import LIMITS, _loader, format_for

    fmt = format_for(file_name)
    if fmt is None:
        raise LoadError(f"{file_name}: unsupported file type")
    doc = _loader(fmt).load_bytes(data, file_name, limits=LIMITS, progress=None)
    return replace(doc, sha256=hashlib.sha256(data).hexdigest(),
                   lang=lang if lang in ("en", "zh", "mixed") else detect_language(doc.text))


# ---------------------------------------------------------------- the project

class Project:
    """An open project. Every edit is committed at once and written to the audit trail."""

    def __init__(self, path: Path, conn: sqlite3.Connection, lock: FileLock | None,
                 reviewer: str | None, ruleset, analyzer, readonly: bool) -> None:
        self.path = path
        self.conn = conn
        self.readonly = readonly
        self.backup_path: Path | None = None
        self._lock = lock
        self._ruleset = ruleset
        self._analyzer = analyzer or _default_analyzer
        self._mutex = threading.RLock()
        self._loaded: dict[int, tuple] = {}  # doc_id -> (document, segments, analysis)
        row = conn.execute("SELECT name, created, reviewer FROM project").fetchone()
        if row is None:
            raise ProjectError(f"{path.name}: the project file is damaged (it has no project record)")
        self.name, self.created, stored_reviewer = row
        self.reviewer = reviewer or stored_reviewer or _default_reviewer()

    # -- lifecycle

    def close(self) -> None:
        with self._mutex:
            if self.conn is not None:
                self.conn.close()
                self.conn = None
            if self._lock is not None:
                self._lock.release()
                self._lock = None

    def __enter__(self) -> "Project":
        return self

    def __exit__(self, *exc) -> None:
        self.close()

    @property
    def closed(self) -> bool:
        return self.conn is None

    def save_as(self, path) -> None:
        """Write the project to ``path`` with SQLite's backup API and go on
        working in the new file (which is then the one locked for editing)."""
        target = Path(path)
        if target.exists() and self.path.exists() and os.path.samefile(target, self.path):
            return
        lock = FileLock(target)
        lock.acquire()
        try:
            with self._mutex:
                _copy_database(self.conn, target)
                conn = _connect(target, readonly=False)
                conn.execute(DERIVED_SCHEMA)
        except BaseException:
            lock.release()
            raise
        old_path = self.path
        with self._mutex:
            self.conn.close()
            if self._lock is not None:
                self._lock.release()
            self.conn, self._lock, self.path, self.readonly = conn, lock, target, False
            self._write_audit("save_as", None, "", str(old_path), str(target))

    # -- plumbing

    @contextmanager
    def _write(self):
        if self.readonly:
            raise ReadOnlyProject(f"{self.path.name} is open read-only")
        if self.conn is None:
            raise ProjectError(f"{self.path.name} is closed")
        with self._mutex, _transaction(self.conn):
            yield self.conn

    def _audit(self, action: str, doc_id: int | None, target: str, old, new) -> None:
        self.conn.execute(
            "INSERT INTO audit (time, author, action, doc_id, target, old, new) "
            "VALUES (?, ?, ?, ?, ?, ?, ?)",
            (_now(), self.reviewer, action, doc_id, target,
             None if old is None else json.dumps(old, ensure_ascii=False),
             None if new is None else json.dumps(new, ensure_ascii=False)))

    def _write_audit(self, action, doc_id, target, old, new) -> None:
        with self._write():
            self._audit(action, doc_id, target, old, new)

    def _query(self, sql: str, args=()) -> list:
        with self._mutex:
            try:
                return self.conn.execute(sql, args).fetchall()
            except sqlite3.DatabaseError as exc:
                raise ProjectError(f"{self.path.name}: the project file is damaged ({exc})") from None

    @property
    def ruleset(self):
        if self._ruleset is None:
            from .rules import load_ruleset

            self._ruleset = load_ruleset()
        return self._ruleset

    # -- project

    def set_reviewer(self, name: str) -> None:
        """The reviewer named in the memo; also the author of this session's edits."""
        name = name.strip()
        if not name:
            raise ValueError("The reviewer's name cannot be empty.")
        with self._write() as conn:
            old = conn.execute("SELECT reviewer FROM project").fetchone()[0]
            conn.execute("UPDATE project SET reviewer = ?", (name,))
            self.reviewer = name
            self._audit("set_reviewer", None, "", old, name)

    @property
    def project_reviewer(self) -> str:
        return self._query("SELECT reviewer FROM project")[0][0]

    # -- documents

    def documents(self) -> list[DocumentInfo]:
        rows = self._query(
            "SELECT d.id, d.file_name, d.sha256, d.format, d.lang, d.added, d.label, "
            "length(f.content), c.title, c.pages, c.ruleset_version "
            "FROM documents d JOIN document_files f ON f.doc_id = d.id "
            "LEFT JOIN analysis_cache c ON c.doc_id = d.id ORDER BY d.id")
        return [DocumentInfo(*row) for row in rows]

    def document_info(self, doc_id: int) -> DocumentInfo:
        for info in self.documents():
            if info.id == doc_id:
                return info
        raise KeyError(f"no document {doc_id} in {self.path.name}")

    def find_document(self, sha256: str) -> int | None:
        row = self._query("SELECT id FROM documents WHERE sha256 = ?", (sha256,))
        return row[0][0] if row else None

    def original_bytes(self, doc_id: int) -> bytes:
        row = self._query("SELECT content FROM document_files WHERE doc_id = ?", (doc_id,))
        if not row:
            raise KeyError(f"no document {doc_id} in {self.path.name}")
        return row[0][0]

    def load_document(self, doc_id: int) -> Document:
        """The full document (PDF word boxes and all) rebuilt from the embedded bytes."""
        info = self.document_info(doc_id)
        return replace(load_bytes(self.original_bytes(doc_id), info.file_name, info.lang),
                       path=info.file_name)

    def add_document(self, source, analysis: Analysis | None = None,
                     segments: list[Segment] | None = None) -> tuple[int, bool]:
        """Add a policy from a path, a :class:`Document` or a ``Review``; returns
        ``(doc_id, added)``. A file already in the project (same sha256) is not
        added again. The original bytes are embedded and the analysis cached."""
        if isinstance(source, Document):
            document = source
        elif hasattr(source, "document") and hasattr(source, "segments"):
            document = source.document
            segments = segments or source.segments
            analysis = analysis or getattr(source, "analysis", None)
        else:
            from .loaders import load

            document = load(source)
        existing = self.find_document(document.sha256)
        if existing is not None:
            return existing, False
        if self.readonly:
            raise ReadOnlyProject(f"{self.path.name} is open read-only")
        try:
            data = Path(document.path).read_bytes()
        except OSError as exc:
            raise LoadError(f"{Path(document.path).name}: cannot be read "
                            f"({exc.strerror or exc})") from None
        if hashlib.sha256(data).hexdigest() != document.sha256:
            raise LoadError(f"{Path(document.path).name}: the file changed since it was loaded")
        if segments is None or analysis is None:
            segments, analysis = self._analyzer(document, self.ruleset)
        document = replace(document, path=Path(document.path).name)
        blob = _pack(document, segments, analysis)
        with self._write() as conn:
            cur = conn.execute(
                "INSERT INTO documents (sha256, file_name, format, lang, added) VALUES (?, ?, ?, ?, ?)",
                (document.sha256, document.path, document.format, document.lang, _now()))
            doc_id = cur.lastrowid
            conn.execute("INSERT INTO document_files (doc_id, content) VALUES (?, ?)", (doc_id, data))
            self._store_cache(doc_id, document, analysis, blob)
            self._audit("add_document", doc_id, document.path, None,
                        {"file_name": document.path, "sha256": document.sha256})
        self._loaded[doc_id] = (document, segments, analysis)
        return doc_id, True

    def remove_document(self, doc_id: int) -> None:
        info = self.document_info(doc_id)
        with self._write() as conn:
            conn.execute("DELETE FROM documents WHERE id = ?", (doc_id,))
            self._loaded.pop(doc_id, None)
            self._audit("remove_document", doc_id, info.file_name,
                        {"file_name": info.file_name, "sha256": info.sha256}, None)

    def set_label(self, doc_id: int, label: str) -> None:
        info = self.document_info(doc_id)
        with self._write() as conn:
            conn.execute("UPDATE documents SET label = ? WHERE id = ?", (label.strip(), doc_id))
            self._audit("set_label", doc_id, info.file_name, info.label, label.strip())

    # -- analysis cache

    def _store_cache(self, doc_id: int, document: Document, analysis: Analysis, blob: bytes) -> None:
        info = analysis.ruleset
        self.conn.execute(
            "INSERT OR REPLACE INTO analysis_cache (doc_id, sha256, ruleset_id, ruleset_version, "
            "ruleset_sha256, cache_format, tool_version, created, title, pages, data) "
            "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
            (doc_id, document.sha256, info.id, info.version, info.sha256, CACHE_FORMAT,
             __version__, _now(), document.title, document.pages, blob))

    def _cache_row(self, doc_id: int):
        rows = self._query("SELECT d.sha256, c.sha256, c.ruleset_id, c.ruleset_version, "
                           "c.ruleset_sha256, c.cache_format, c.data FROM documents d "
                           "LEFT JOIN analysis_cache c ON c.doc_id = d.id WHERE d.id = ?",
                           (doc_id,))
        if not rows:
            raise KeyError(f"no document {doc_id} in {self.path.name}")
        return rows[0]

    def _is_current(self, row, info: RulesetInfo | None) -> bool:
        doc_sha, sha, rid, version, rsha, fmt, _ = row
        if sha != doc_sha or fmt != CACHE_FORMAT:
            return False
        return info is None or (rid, version, rsha) == (info.id, info.version, info.sha256)

    def stale_documents(self) -> list[int]:
        """Documents whose analysis is missing or from another ruleset."""
        info = self.ruleset.info
        current = (info.id, info.version, info.sha256)
        stale = []
        for doc in self.documents():
            if doc.id in self._loaded:
                cached = self._loaded[doc.id][2].ruleset
                if (cached.id, cached.version, cached.sha256) == current:
                    continue
            elif self._is_current(self._cache_row(doc.id), info):
                continue
            stale.append(doc.id)
        return stale

    def analysis(self, doc_id: int) -> tuple[Document, list[Segment], Analysis]:
        """The stored analysis, with no re-analysis unless nothing usable is cached."""
        if doc_id not in self._loaded:
            row = self._cache_row(doc_id)
            if not self._is_current(row, None):
                return self.reanalyze(doc_id)
            try:
                self._loaded[doc_id] = _unpack(row[6], row[0])
            except (zlib.error, ValueError, KeyError, TypeError, IndexError):
                # The cache is derived data: a damaged one is simply rebuilt.
                return self.reanalyze(doc_id)
        return self._loaded[doc_id]

    def reanalyze(self, doc_id: int) -> tuple[Document, list[Segment], Analysis]:
        """Analyse the embedded document again with the current ruleset. Reviewer
        decisions are kept; they re-attach to the new findings in :meth:`review_state`."""
        info = self.document_info(doc_id)
        document = self.load_document(doc_id)
        segments, analysis = self._analyzer(document, self.ruleset)
        if not self.readonly:
            old = self._cache_row(doc_id)
            with self._write():
                self._store_cache(doc_id, document, analysis, _pack(document, segments, analysis))
                self._audit("reanalyze", doc_id, info.file_name,
                            old[3] and {"ruleset": old[2], "version": old[3]},
                            {"ruleset": analysis.ruleset.id, "version": analysis.ruleset.version})
        self._loaded[doc_id] = (document, segments, analysis)
        return document, segments, analysis

    def reanalyze_stale(self) -> list[int]:
        stale = self.stale_documents()
        for doc_id in stale:
            self.reanalyze(doc_id)
        return stale

    # -- reviewer decisions

    def _checklist(self, doc_id: int) -> dict[str, Verdict]:
        return {v.item: v for v in self.analysis(doc_id)[2].checklist}

    def _finding(self, doc_id: int, key: str) -> Finding | None:
        for f in self.analysis(doc_id)[2].findings:
            if finding_key(f) == key:
                return f
        return None

    def set_override(self, doc_id: int, item_id: str, status: str, justification: str) -> None:
        if status not in STATUSES:
            raise ValueError(f"Unknown status {status!r}: use one of {', '.join(STATUSES)}.")
        if not (justification or "").strip():
            raise ValueError("An override needs a justification: say why the status is changed.")
        if item_id not in self._checklist(doc_id):
            raise ValueError(f"Unknown checklist item {item_id!r}.")
        justification = justification.strip()
        with self._write() as conn:
            old = conn.execute("SELECT status, justification FROM overrides WHERE doc_id = ? AND item = ?",
                               (doc_id, item_id)).fetchone()
            conn.execute("INSERT OR REPLACE INTO overrides (doc_id, item, status, justification, "
                         "author, time) VALUES (?, ?, ?, ?, ?, ?)",
                         (doc_id, item_id, status, justification, self.reviewer, _now()))
            self._audit("set_override", doc_id, item_id,
                        old and {"status": old[0], "justification": old[1]},
                        {"status": status, "justification": justification})

    def clear_override(self, doc_id: int, item_id: str) -> None:
        with self._write() as conn:
            old = conn.execute("SELECT status, justification FROM overrides WHERE doc_id = ? AND item = ?",
                               (doc_id, item_id)).fetchone()
            if old is None:
                return
            conn.execute("DELETE FROM overrides WHERE doc_id = ? AND item = ?", (doc_id, item_id))
            self._audit("clear_override", doc_id, item_id,
                        {"status": old[0], "justification": old[1]}, None)

    def _decisions(self, doc_id: int) -> list[Decision]:
        rows = self._query("SELECT key, rule, items, text, start_pos, end_pos, decision, author, time "
                           "FROM finding_decisions WHERE doc_id = ? ORDER BY start_pos, key", (doc_id,))
        return [Decision(r[0], r[1], tuple(r[2].split()), *r[3:]) for r in rows]

    def decide_finding(self, doc_id: int, finding_key_or_finding, decision: str | None) -> None:
        """Accept or reject a finding (``None`` withdraws the decision). A decision
        made on an earlier analysis and re-attached to this finding is replaced."""
        key = (finding_key(finding_key_or_finding) if isinstance(finding_key_or_finding, Finding)
               else finding_key_or_finding)
        if decision not in DECISIONS + (None,):
            raise ValueError("A finding is 'accepted' or 'rejected' (or None to withdraw).")
        findings = self.analysis(doc_id)[2].findings
        finding = next((f for f in findings if finding_key(f) == key), None)
        existing = self._decisions(doc_id)
        attached = attach([(d.key, d.text) for d in existing], findings)
        same = [d for d in existing
                if d.key == key or (attached.get(d.key) is not None
                                    and finding_key(attached[d.key]) == key)]
        if finding is None and not same:
            raise ValueError(f"No finding {key!r} in this document.")
        with self._write() as conn:
            for d in same:
                conn.execute("DELETE FROM finding_decisions WHERE doc_id = ? AND key = ?", (doc_id, d.key))
            if decision is not None:
                if finding is None:
                    raise ValueError(f"No finding {key!r} in the current analysis.")
                conn.execute(
                    "INSERT INTO finding_decisions (doc_id, key, rule, items, text, start_pos, "
                    "end_pos, decision, author, time) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                    (doc_id, key, finding.rule, " ".join(finding.items), finding.text,
                     finding.start, finding.end, decision, self.reviewer, _now()))
            self._audit("decide_finding", doc_id, key,
                        same[0].decision if same else None, decision)

    def add_manual_finding(self, doc_id: int, start: int, end: int, topic: str,
                           item: str | None = None, note: str = "") -> int:
        """Mark a passage the engine missed as evidence for a topic (and item)."""
        document = self.analysis(doc_id)[0]
        if not 0 <= start < end <= len(document.text):
            raise ValueError(f"The passage {start}-{end} is outside the document "
                             f"(0-{len(document.text)}).")
        checklist = self._checklist(doc_id)
        if item is not None and item not in checklist:
            raise ValueError(f"Unknown checklist item {item!r}.")
        if item is not None and checklist[item].topic != topic:
            raise ValueError(f"Item {item} belongs to topic {checklist[item].topic}, not {topic}.")
        text = document.text[start:end]
        with self._write() as conn:
            cur = conn.execute(
                "INSERT INTO manual_findings (doc_id, start_pos, end_pos, text, topic, item, note, "
                "author, time) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
                (doc_id, start, end, text, topic, item, note.strip(), self.reviewer, _now()))
            self._audit("add_manual_finding", doc_id, item or topic, None,
                        {"start": start, "end": end, "text": text, "topic": topic, "item": item,
                         "note": note.strip()})
            return cur.lastrowid

    def remove_manual_finding(self, manual_id: int) -> None:
        with self._write() as conn:
            row = conn.execute("SELECT doc_id, start_pos, end_pos, text, topic, item FROM manual_findings "
                               "WHERE id = ?", (manual_id,)).fetchone()
            if row is None:
                raise ValueError(f"No manual finding {manual_id}.")
            conn.execute("DELETE FROM manual_findings WHERE id = ?", (manual_id,))
            self._audit("remove_manual_finding", row[0], row[5] or row[4],
                        {"start": row[1], "end": row[2], "text": row[3], "topic": row[4],
                         "item": row[5]}, None)

    # -- notes

    def add_note(self, doc_id: int, target_kind: str, target_id: str | None, text: str,
                 author: str | None = None) -> int:
        """A note on an item (``target_id`` = item id), a finding (its key) or
        the document (``target_id`` empty)."""
        if target_kind not in TARGET_KINDS:
            raise ValueError(f"A note is on an item, a finding or the document, not {target_kind!r}.")
        if not (text or "").strip():
            raise ValueError("A note cannot be empty.")
        target_id = "" if target_kind == "document" else (target_id or "")
        if target_kind == "item" and target_id not in self._checklist(doc_id):
            raise ValueError(f"Unknown checklist item {target_id!r}.")
        if target_kind == "finding" and self._finding(doc_id, target_id) is None:
            raise ValueError(f"No finding {target_id!r} in this document.")
        author = (author or "").strip() or self.reviewer
        with self._write() as conn:
            cur = conn.execute("INSERT INTO notes (doc_id, target_kind, target_id, text, author, time) "
                               "VALUES (?, ?, ?, ?, ?, ?)",
                               (doc_id, target_kind, target_id, text.strip(), author, _now()))
            self._audit("add_note", doc_id, f"{target_kind}:{target_id}".rstrip(":"), None,
                        {"id": cur.lastrowid, "text": text.strip(), "author": author})
            return cur.lastrowid

    def edit_note(self, note_id: int, text: str) -> None:
        if not (text or "").strip():
            raise ValueError("A note cannot be empty.")
        with self._write() as conn:
            row = conn.execute("SELECT doc_id, target_kind, target_id, text FROM notes WHERE id = ?",
                               (note_id,)).fetchone()
            if row is None:
                raise ValueError(f"No note {note_id}.")
            conn.execute("UPDATE notes SET text = ? WHERE id = ?", (text.strip(), note_id))
            self._audit("edit_note", row[0], f"{row[1]}:{row[2]}".rstrip(":"), row[3], text.strip())

    def delete_note(self, note_id: int) -> None:
        with self._write() as conn:
            row = conn.execute("SELECT doc_id, target_kind, target_id, text FROM notes WHERE id = ?",
                               (note_id,)).fetchone()
            if row is None:
                raise ValueError(f"No note {note_id}.")
            conn.execute("DELETE FROM notes WHERE id = ?", (note_id,))
            self._audit("delete_note", row[0], f"{row[1]}:{row[2]}".rstrip(":"), row[3], None)

    # -- reading the review

    def audit_trail(self, doc_id: int | None = None) -> list[AuditEntry]:
        sql = "SELECT id, time, author, action, doc_id, target, old, new FROM audit"
        rows = self._query(sql + (" WHERE doc_id = ?" if doc_id is not None else "") + " ORDER BY id",
                           (doc_id,) if doc_id is not None else ())
        return [AuditEntry(r[0], r[1], r[2], r[3], r[4], r[5],
                           None if r[6] is None else json.loads(r[6]),
                           None if r[7] is None else json.loads(r[7])) for r in rows]

    def counts(self, doc_id: int) -> dict[str, int]:
        """Numbers of overrides, finding decisions, manual findings and notes."""
        out = {}
        for name, table in (("overrides", "overrides"), ("decisions", "finding_decisions"),
                            ("manual_findings", "manual_findings"), ("notes", "notes")):
            out[name] = self._query(f"SELECT count(*) FROM {table} WHERE doc_id = ?", (doc_id,))[0][0]
        return out

    def review_state(self, doc_id: int) -> ReviewState:
        info = self.document_info(doc_id)
        document, segments, analysis = self.analysis(doc_id)
        overrides = {r[0]: Override(*r) for r in self._query(
            "SELECT item, status, justification, author, time FROM overrides WHERE doc_id = ?",
            (doc_id,))}
        manual = [ManualFinding(*r) for r in self._query(
            "SELECT id, start_pos, end_pos, text, topic, item, note, author, time FROM manual_findings "
            "WHERE doc_id = ? ORDER BY start_pos, id", (doc_id,))]
        notes = [Note(*r) for r in self._query(
            "SELECT id, target_kind, target_id, text, author, time FROM notes WHERE doc_id = ? "
            "ORDER BY id", (doc_id,))]
        return build_state(info, document.text, segments, analysis, overrides,
                           self._decisions(doc_id), manual, notes, self.project_reviewer)


def build_state(info: DocumentInfo, text: str, segments: list[Segment], analysis: Analysis,
                overrides: dict[str, Override] | None = None, decisions: list[Decision] = (),
                manual: list[ManualFinding] = (), notes: list[Note] = (),
                reviewer: str = "") -> ReviewState:
    """Combine an analysis with the reviewer's decisions and notes. Anything that
    no longer matches the analysis is returned in ``orphans``."""
    overrides = overrides or {}
    orphans: list[Orphan] = []
    findings = [FindingState(f, finding_key(f)) for f in analysis.findings]
    by_key = {f.key: f for f in findings}
    note_records = []
    for n in notes:
        if n.target_kind == "finding" and n.target_id.count("|") == 3:
            _rule, _items, start, end, _digest_ = parse_finding_key(n.target_id)
            note_records.append((n.target_id, text[start:end]))
    attached = attach([(d.key, d.text) for d in decisions] + note_records, analysis.findings)

    for d in decisions:
        target = attached.get(d.key)
        if target is None:
            orphans.append(Orphan("decision", d, "the passage is no longer found by the analysis"))
        else:
            by_key[finding_key(target)].decision = d

    items = [ItemState(v) for v in analysis.checklist]
    by_item = {i.item: i for i in items}
    for item_id, override in overrides.items():
        if item_id in by_item:
            by_item[item_id].override = override
        else:
            orphans.append(Orphan("override", override, "the item is not in the current checklist"))
    by_id = {f.finding.id: f for f in findings}
    accepted = [f for f in findings if f.decision is not None and f.decision.decision == "accepted"]
    for state in items:
        ids = list(state.verdict.evidence)
        ids += [f.finding.id for f in accepted if state.item in f.finding.items and f.finding.id not in ids]
        state.findings = [by_id[i] for i in ids if i in by_id]

    document_notes = []
    for n in notes:
        if n.target_kind == "document":
            document_notes.append(n)
        elif n.target_kind == "item":
            if n.target_id in by_item:
                by_item[n.target_id].notes.append(n)
            else:
                orphans.append(Orphan("note", n, "the item is not in the current checklist"))
        else:
            target = attached.get(n.target_id)
            if target is None:
                orphans.append(Orphan("note", n, "the passage is no longer found by the analysis"))
            else:
                by_key[finding_key(target)].notes.append(n)

    topics = {v.topic for v in analysis.checklist}
    for m in manual:
        if m.item is not None and m.item in by_item:
            by_item[m.item].manual.append(m)
        elif m.item is not None or m.topic not in topics:
            orphans.append(Orphan("manual_finding", m, "the item is not in the current checklist"))
    return ReviewState(document=info, text=text, segments=list(segments), analysis=analysis,
                       items=items, findings=findings, manual_findings=list(manual),
                       notes=document_notes, orphans=orphans, reviewer=reviewer)


def state_for_review(review, analysis: Analysis | None = None, reviewer: str = "") -> ReviewState:
    """The review state of a one-off ``Review`` (no project, no decisions)."""
    document = review.document
    analysis = analysis or review.analysis
    info = DocumentInfo(id=0, file_name=Path(document.path).name, sha256=document.sha256,
                        format=document.format, lang=document.lang, added=_now(),
                        title=document.title, pages=document.pages,
                        ruleset_version=analysis.ruleset.version)
    return build_state(info, document.text, review.segments, analysis,
                       reviewer=reviewer or _default_reviewer())
