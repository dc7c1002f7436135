"""``load(path)``: one entry point that picks the loader for a file.

Each format lives in its own module with a ``load_bytes(data, path)``
function returning a :class:`Document`. This module reads the file once,
applies the size limit, computes the sha256 and turns any failure into a
one-line :class:`LoadError`.

The limits can be changed with environment variables:
``PIPL_REVIEWER_MAX_FILE_MB``, ``PIPL_REVIEWER_MAX_PAGES``,
``PIPL_REVIEWER_MAX_UNPACKED_MB`` and ``PIPL_REVIEWER_MAX_TEXT_CHARS``.
"""
from __future__ import annotations

import hashlib
import os
import stat
from dataclasses import dataclass, replace
from pathlib import Path

from ..document import Document, LoadError, detect_language

MB = 1024 * 1024


@dataclass(frozen=True)
class Limits:
    max_file_bytes: int = 200 * MB
    max_pages: int = 1000
    max_decompressed_bytes: int = 300 * MB
    max_text_chars: int = 2_000_000  # about 800 pages of dense text


def limits_from_env(environ=os.environ) -> Limits:
    """The default limits, with any valid override from the environment."""
    values = {}
    for field, variable, unit in (("max_file_bytes", "PIPL_REVIEWER_MAX_FILE_MB", MB),
                                  ("max_pages", "PIPL_REVIEWER_MAX_PAGES", 1),
                                  ("max_decompressed_bytes", "PIPL_REVIEWER_MAX_UNPACKED_MB", MB),
                                  ("max_text_chars", "PIPL_REVIEWER_MAX_TEXT_CHARS", 1)):
        try:
            value = int(environ.get(variable, ""))
        except ValueError:
            continue
        if value > 0:
            values[field] = value * unit
    return Limits(**values)


LIMITS = limits_from_env()

EXTENSIONS = {
    ".pdf": "pdf",
    ".docx": "docx",
    ".txt": "txt",
    ".text": "txt",
    ".md": "txt",
    ".html": "html",
    ".htm": "html",
    ".xhtml": "html",
}


def format_for(path: str | os.PathLike) -> str | None:
    return EXTENSIONS.get(Path(path).suffix.lower())


def check_path(path: str | os.PathLike, limits: Limits | None = None) -> os.stat_result:
    """Refuse what is not a readable regular file within the size limit."""
    limits = limits or LIMITS
    p = Path(path)
    name = p.name or str(p)
    try:
        info = p.stat()
    except FileNotFoundError:
        raise LoadError(f"{name}: file not found") from None
    except PermissionError:
        raise LoadError(f"{name}: permission denied – the file cannot be read") from None
    except OSError as exc:
        raise LoadError(f"{name}: cannot be read ({exc.strerror or exc})") from None
    if stat.S_ISDIR(info.st_mode):
        raise LoadError(f"{name}: this is a folder, not a file")
    if not stat.S_ISREG(info.st_mode):
        raise LoadError(f"{name}: not a regular file (a device, pipe or socket); "
                        "save the policy as a file and open that")
    if info.st_size > limits.max_file_bytes:
        raise LoadError(f"{name}: file is {info.st_size / MB:.0f} MB, over the "
                        f"{limits.max_file_bytes / MB:.0f} MB limit")
    return info


def read_input(path: str | os.PathLike, limits: Limits | None = None) -> bytes:
    limits = limits or LIMITS
    p = Path(path)
    name = p.name or str(p)
    before = check_path(p, limits)
    try:
        with open(p, "rb") as fh:
            data = fh.read(limits.max_file_bytes + 1)
        after = p.stat()
    except PermissionError:
        raise LoadError(f"{name}: permission denied – the file cannot be read") from None
    except OSError as exc:
        raise LoadError(f"{name}: cannot be read ({exc.strerror or exc})") from None
    if (len(data) != before.st_size or after.st_size != before.st_size
            or after.st_mtime_ns != before.st_mtime_ns):
        raise LoadError(f"{name}: the file changed while it was being read; wait until "
                        "it is saved completely, then open it again")
    if not data:
        raise LoadError(f"{name}: the file is empty (0 bytes)")
    return data


def _loader(fmt: str):
    if fmt == "pdf":
        from . import pdf as module
    elif fmt == "docx":
        from . import docx as module
    elif fmt == "html":
        from . import html as module
    else:
        from . import text as module
    return module


def load(path: str | os.PathLike, lang: str | None = None, limits: Limits | None = None,
         progress=None) -> Document:
    """Load a policy file. ``lang`` overrides detection; ``progress(done, total)``
    is called by loaders that work page by page. ``limits`` default to ``LIMITS``."""
    limits = limits or LIMITS
    fmt = format_for(path)
    name = Path(path).name
    if fmt is None:
        check_path(path, limits)
        raise LoadError(f"{name}: unsupported file type – use PDF, DOCX, TXT or HTML")
    data = read_input(path, limits)
    from_callback: list[BaseException] = []

    def relay(done: int, total: int) -> None:
        try:
            progress(done, total)
        except BaseException as exc:  # e.g. the GUI cancelling: not a problem of the file
            from_callback.append(exc)
            raise

    try:
        doc = _loader(fmt).load_bytes(data, str(path), limits=limits,
                                      progress=relay if progress else None)
    except LoadError as exc:
        message = str(exc)
        raise LoadError(message if message.startswith(name) else f"{name}: {message}") from None
    except MemoryError:
        raise LoadError(f"{name}: the document is too large to load in memory") from None
    except RecursionError:
        raise LoadError(f"{name}: the document is nested too deeply to read") from None
    except Exception as exc:  # noqa: BLE001 - a parser choking on a malformed file
        if exc in from_callback:
            raise
        raise LoadError(f"{name}: the file is damaged or in a form this version cannot read "
                        f"({type(exc).__name__})") from None
    if not doc.text.strip():
        raise LoadError(f"{name}: no text found in the document")
    return replace(doc, sha256=hashlib.sha256(data).hexdigest(),
                   lang=lang if lang in ("en", "zh", "mixed") else detect_language(doc.text))
