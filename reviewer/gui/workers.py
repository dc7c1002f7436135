"""Background work: loading, analysis, project access and PDF page rendering.

Policies are read and analysed in a separate process (``engine_process``), so
the engine never competes with the UI thread for the interpreter lock; the
tasks here run on a thread pool, wait on that process and touch the project,
and report through Qt signals, which Qt queues to the UI thread. PDFium may
only be called by one thread at a time, so every PDFium call made in this
process holds ``PDFIUM``.
"""
from __future__ import annotations

import sys
import threading
import time
import traceback
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

from PySide6.QtCore import QObject, QRunnable, Signal
from PySide6.QtGui import QImage

from .engine_process import ENGINE, Cancelled, EngineError, UserError, quiet_gc

PDFIUM = threading.RLock()
PROJECT_SUFFIX = ".piplrev"

__all__ = ["Cancelled", "ENGINE", "Opened", "Task", "OpenPolicyTask", "OpenProjectTask", "NewProjectTask",
           "ShowDocumentTask", "MemoTask", "WarmUpTask", "PageRenderer", "PDFIUM", "untitled_path"]


@dataclass
class Opened:
    """A policy ready to show: the project it belongs to and its review state."""

    project: object  # reviewer.core.project.Project
    doc_id: int | None
    document: object | None  # reviewer.core.document.Document, with blocks and word boxes
    state: object | None  # reviewer.core.project.ReviewState
    data: bytes | None = None  # the original bytes, for rendering PDF pages
    page_sizes: tuple = ()
    page_ranges: tuple = ()  # per page, the text span of its words
    created: bool = False  # the task opened or created the project
    added: bool = False  # the policy was new to the project


class TaskSignals(QObject):
    progress = Signal(int, int, str)  # done, total (0 = unknown), what is being done
    loaded = Signal(object)  # an Opened without state: the document can be shown already
    previewed = Signal(object)  # the Analysis of a long PDF's first pages, before the whole one
    reviewed = Signal(object)  # an Opened with the state of the analysis, before it is saved in the project
    finished = Signal(object)
    failed = Signal(str)
    cancelled = Signal()


class Task(QRunnable):
    """A unit of background work. ``work()`` returns the result or raises."""

    def __init__(self) -> None:
        super().__init__()
        self.setAutoDelete(False)
        self.signals = TaskSignals()
        self.is_cancelled = False
        self.done = threading.Event()
        self.resumed = threading.Event()  # set by the window once it has shown what the task sent

    def cancel(self) -> None:
        self.is_cancelled = True

    def check(self) -> None:
        if self.is_cancelled:
            raise Cancelled()

    def wait_for_window(self, timeout: float = 2.0) -> None:
        """Let the window show what was just sent before going on: the two
        would otherwise share the interpreter lock, and the window would stall."""
        deadline = time.monotonic() + timeout
        while not self.resumed.wait(0.02) and time.monotonic() < deadline:
            self.check()
        self.resumed.clear()

    def report(self, done: int, total: int, what: str) -> None:
        self.check()
        self.signals.progress.emit(done, total, what)

    def work(self):
        raise NotImplementedError

    def run(self) -> None:
        from reviewer.core.document import LoadError
        from reviewer.core.project import ProjectError

        try:
            result = self.work()
        except Cancelled:
            self.signals.cancelled.emit()
        except (LoadError, ProjectError, UserError, ValueError, OSError) as exc:
            self.signals.failed.emit(_one_line(exc))
        except EngineError as exc:
            self.signals.failed.emit(_one_line(exc))
        except Exception as exc:  # noqa: BLE001 - reported to the reviewer, never a crash
            traceback.print_exc(file=sys.stderr)
            self.signals.failed.emit(f"Internal error: {type(exc).__name__}: {exc}")
        else:
            self.signals.finished.emit(result)
        finally:
            self.done.set()


def _one_line(exc: Exception) -> str:
    if isinstance(exc, OSError) and exc.strerror:
        name = Path(exc.filename).name if exc.filename else ""
        return f"{name}: {exc.strerror}" if name else exc.strerror
    return " ".join(str(exc).split()) or type(exc).__name__


def untitled_path(folder: Path) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    stamp = datetime.now().strftime("%Y-%m-%d %H%M%S")
    path = folder / f"Untitled {stamp}{PROJECT_SUFFIX}"
    n = 2
    while path.exists():
        path = folder / f"Untitled {stamp} ({n}){PROJECT_SUFFIX}"
        n += 1
    return path


def pdf_page_sizes(data: bytes) -> tuple:
    import pypdfium2 as pdfium

    with PDFIUM:
        pdf = pdfium.PdfDocument(data)
        try:
            return tuple(pdf.get_page_size(i) for i in range(len(pdf)))
        finally:
            pdf.close()


def _finish(opened: Opened) -> Opened:
    """Do here, off the UI thread, what the PDF view would otherwise work out when shown."""
    from .pdf_view import page_ranges

    document = opened.document
    if document is not None and document.format == "pdf" and opened.data:
        opened.page_sizes = tuple(document.page_sizes) or pdf_page_sizes(opened.data)
        opened.page_ranges = tuple(page_ranges(document, len(opened.page_sizes)))
        document.boxes_for(0, 0)  # builds the document's box index
    return opened


class OpenPolicyTask(Task):
    """Load and analyse a policy file, then add it to ``project`` (or to a new
    untitled project in ``untitled_dir`` when no project is open)."""

    def __init__(self, path, project=None, untitled_dir: Path | None = None) -> None:
        super().__init__()
        self.path = Path(path)
        self.project = project
        self.untitled_dir = untitled_dir

    def work(self) -> Opened:
        from reviewer.core.project import open_project, state_for_review

        name = self.path.name
        self.report(0, 0, f"Reading {name}…")
        data: list[bytes | None] = [None]

        def progress(done: int, total: int) -> None:
            if total:
                self.report(done, total, f"Reading {name}: page {done} of {total}")
            else:
                self.report(0, 0, f"Analysing {name}…")

        def show(document) -> None:
            self.check()
            data[0] = self.path.read_bytes() if document.format == "pdf" else None
            self.signals.loaded.emit(_finish(Opened(self.project, None, document, None, data[0])))

        known = frozenset(info.sha256 for info in self.project.documents()) if self.project else frozenset()
        document, review = ENGINE.run(("review", str(self.path), None, known), lambda: self.is_cancelled,
                                      progress, show, self.signals.previewed.emit)
        self.check()
        if review is None:
            doc_id = self.project.find_document(document.sha256)
            self.report(0, 0, f"{name} is already in the project")
            with quiet_gc():
                state = self.project.review_state(doc_id)
            return _finish(Opened(self.project, doc_id, document, state, data[0]))
        self.report(0, 0, f"Saving {name} in the project…")
        with quiet_gc():
            early = state_for_review(review, reviewer=self.project.reviewer if self.project else "")
        self.signals.reviewed.emit(Opened(self.project, None, document, early, data[0]))
        self.wait_for_window()
        project, created = self.project, False
        if project is None:
            project = open_project(untitled_path(self.untitled_dir), ruleset=ENGINE.ruleset())
            created = True
        try:
            with quiet_gc():
                doc_id, added = project.add_document(review)
                state = project.review_state(doc_id)
        except BaseException:
            if created:
                project.close()
            raise
        return _finish(Opened(project, doc_id, document, state, data[0], created=created, added=added))


class OpenProjectTask(Task):
    """Open a project file and show its first (or the given) policy."""

    def __init__(self, path, doc_id: int | None = None) -> None:
        super().__init__()
        self.path = Path(path)
        self.doc_id = doc_id

    def work(self) -> Opened:
        from reviewer.core.project import open_project

        self.report(0, 0, f"Opening {self.path.name}…")
        ruleset = ENGINE.ruleset(lambda: self.is_cancelled)
        project = open_project(self.path, create=False, ruleset=ruleset)
        try:
            docs = project.documents()
            if not docs:
                return Opened(project, None, None, None, created=True)
            ids = [d.id for d in docs]
            opened = show_document(self, project, self.doc_id if self.doc_id in ids else ids[0])
            opened.created = True
            return opened
        except BaseException:
            project.close()
            raise


class NewProjectTask(Task):
    def __init__(self, path) -> None:
        super().__init__()
        self.path = Path(path)

    def work(self) -> Opened:
        from reviewer.core.project import open_project

        self.report(0, 0, f"Creating {self.path.name}…")
        project = open_project(self.path, create=True, ruleset=ENGINE.ruleset(lambda: self.is_cancelled))
        return Opened(project, None, None, None, created=True)


class ShowDocumentTask(Task):
    """Switch to another policy of the open project."""

    def __init__(self, project, doc_id: int) -> None:
        super().__init__()
        self.project = project
        self.doc_id = doc_id

    def work(self) -> Opened:
        return show_document(self, self.project, self.doc_id)


def show_document(task: Task, project, doc_id: int) -> Opened:
    """The stored review of a policy, and its document rebuilt (in the analysis
    process) from the embedded file for the view: PDF word boxes, headings, tables."""
    info = project.document_info(doc_id)
    if doc_id in project.stale_documents():
        task.report(0, 0, f"Analysing {info.file_name} again with the current rules…")
    else:
        task.report(0, 0, f"Reading {info.file_name}…")
    with quiet_gc():
        state = project.review_state(doc_id)
    data = project.original_bytes(doc_id)
    task.check()

    def progress(done: int, total: int) -> None:
        if total:
            task.report(done, total, f"Reading {info.file_name}: page {done} of {total}")

    try:
        document, _ = ENGINE.run(("document", data, info.file_name, info.lang), lambda: task.is_cancelled,
                                 progress)
    except UserError:
        document = None
    if document is None or document.text != state.text:
        document = project.analysis(doc_id)[0]  # the cached text, without layout
    return _finish(Opened(project, doc_id, document, state, data if info.format == "pdf" else None))


class MemoTask(Task):
    def __init__(self, project, out_path) -> None:
        super().__init__()
        self.project = project
        self.out_path = Path(out_path)

    def work(self) -> Path:
        from reviewer.core.memo import export_memo

        self.report(0, 0, f"Writing {self.out_path.name}…")
        return export_memo(self.project, self.out_path)


class WarmUpTask(Task):
    """Start the analysis process (it imports the engine and reads the rules)
    while the reviewer looks at the empty window; returns the rules."""

    def work(self):
        ruleset = ENGINE.ruleset(lambda: self.is_cancelled)
        ENGINE.wait_warm(lambda: self.is_cancelled)
        return ruleset


class PageRenderer(QObject):
    """Renders PDF pages on its own thread, most recent request first."""

    rendered = Signal(int, float, QImage)  # page index, scale, image

    def __init__(self, data: bytes) -> None:
        super().__init__()
        self._data = data
        self._pdf = None
        self._wanted: list[tuple[int, float]] = []
        self._cond = threading.Condition()
        self._closed = False
        self._busy = False
        self._thread = threading.Thread(target=self._loop, name="page-renderer", daemon=True)
        self._thread.start()

    def request(self, index: int, scale: float) -> None:
        with self._cond:
            key = (index, scale)
            if key in self._wanted:
                self._wanted.remove(key)
            self._wanted.append(key)
            self._cond.notify()

    def forget(self) -> None:
        with self._cond:
            self._wanted.clear()

    def idle(self) -> bool:
        with self._cond:
            return not self._wanted and not self._busy

    def close(self, wait: float = 5.0) -> None:
        with self._cond:
            self._closed = True
            self._wanted.clear()
            self._cond.notify()
        self._thread.join(wait)

    def _loop(self) -> None:
        while True:
            with self._cond:
                while not self._wanted and not self._closed:
                    self._cond.wait()
                if self._closed:
                    break
                index, scale = self._wanted.pop()
                self._busy = True
            try:
                image = self._render(index, scale)
            except Exception:  # noqa: BLE001 - a page that cannot be drawn stays blank
                traceback.print_exc(file=sys.stderr)
                image = None
            with self._cond:
                self._busy = False
                closed = self._closed
            if image is not None and not closed:
                try:
                    self.rendered.emit(index, scale, image)
                except RuntimeError:  # the receiver is gone
                    break
        with PDFIUM:
            if self._pdf is not None:
                self._pdf.close()
                self._pdf = None

    def _render(self, index: int, scale: float) -> QImage:
        import pypdfium2 as pdfium

        with PDFIUM:
            if self._pdf is None:
                self._pdf = pdfium.PdfDocument(self._data)
            page = self._pdf[index]
            try:
                bitmap = page.render(scale=scale, rev_byteorder=True, prefer_bgrx=True,
                                     draw_annots=True)
                try:
                    image = QImage(bitmap.buffer, bitmap.width, bitmap.height, bitmap.stride,
                                   QImage.Format_RGBX8888).copy()
                finally:
                    bitmap.close()
            finally:
                page.close()
        return image
