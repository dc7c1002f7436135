"""``load(path)``: one entry point that picks the loader for a file.

Each format lives in its own module with a ``load_bytes(data, path)``
function returning a :class:`Document`. This module reads the file once,
applies the size limit, computes the sha256 and turns any failure into a
one-line :class:`LoadError`.
"""
from __future__ import annotations

import hashlib
import os
from dataclasses import dataclass, replace
from pathlib import Path

from ..document import Document, LoadError, detect_language


@dataclass(frozen=True)
class Limits:
    max_file_bytes: int = 200 * 1024 * 1024
    max_pages: int = 3000
    max_decompressed_bytes: int = 300 * 1024 * 1024
    max_text_chars: int = 60_000_000


LIMITS = Limits()

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


def read_input(path: str | os.PathLike, limits: Limits = LIMITS) -> bytes:
    p = Path(path)
    name = p.name
    if not p.exists():
        raise LoadError(f"{name}: file not found")
    if p.is_dir():
        raise LoadError(f"{name}: this is a folder, not a file")
    size = p.stat().st_size
    if size > limits.max_file_bytes:
        raise LoadError(f"{name}: file is {size / 1e6:.0f} MB, over the "
                        f"{limits.max_file_bytes / 1e6:.0f} MB limit")
    try:
        data = p.read_bytes()
    except PermissionError:
        raise LoadError(f"{name}: permission denied – the file cannot be read") from None
    except OSError as exc:
        raise LoadError(f"{name}: cannot be read ({exc.strerror or exc})") from None
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


def load(path: str | os.PathLike, lang: str | None = None, limits: Limits = LIMITS,
         progress=None) -> Document:
    """Load a policy file. ``lang`` overrides detection; ``progress(done, total)``
    is called by loaders that work page by page."""
    fmt = format_for(path)
    name = Path(path).name
    if fmt is None:
        raise LoadError(f"{name}: unsupported file type – use PDF, DOCX, TXT or HTML")
    data = read_input(path, limits)
    try:
        doc = _loader(fmt).load_bytes(data, str(path), limits=limits, progress=progress)
    except LoadError as exc:
        message = str(exc)
        raise LoadError(message if message.startswith(name) else f"{name}: {message}") from None
    except MemoryError:
        raise LoadError(f"{name}: the document is too large to load in memory") from None
    if not doc.text.strip():
        raise LoadError(f"{name}: no text found in the document")
    return replace(doc, sha256=hashlib.sha256(data).hexdigest(),
                   lang=lang if lang in ("en", "zh", "mixed") else detect_language(doc.text))
