"""The analysis process: loading and analysing policies away from the window.

The window's process only waits on a pipe, so the engine (PDF parsing, spaCy,
the rules) never holds the interpreter lock the UI thread needs, and a cancel
can stop the work at once by ending the process. This module has no Qt in it:
the child process imports only the core.

Results cross the pipe as plain tuples, dicts and byte arrays, in pieces, so
no single unpickling step holds up the receiving process for long; the
dataclasses are rebuilt on the receiving side in ordinary Python loops.
"""
from __future__ import annotations

import gc
import json
import multiprocessing
import threading
from contextlib import contextmanager
from array import array
from dataclasses import fields, replace

CHUNK = 500  # blocks or segments per message: each is unpickled in one go
FINDINGS_CHUNK = 100  # findings per message: each is decoded in one go


class Cancelled(Exception):
    """The reviewer cancelled the work."""


class EngineError(Exception):
    """The analysis process failed; the message is for the reviewer."""


class UserError(EngineError):
    """Bad input (a LoadError in the core): a one-line message."""


# ---------------------------------------------------------------- the child process

def serve(conn) -> None:
    """The loop of the analysis process: one request at a time. Requests that
    wait are served first; while none does, the process imports the engine,
    reads the rules and warms up, one step at a time."""
    from reviewer.core.document import LoadError
    from reviewer.core.loaders import load

    engine: list = []  # review_document and the ruleset, once imported
    ruleset_sent: list = []

    def analyser():
        if not engine:
            from reviewer.core.review import review_document
            from reviewer.core.rules import load_ruleset

            engine.extend((review_document, load_ruleset()))
            conn.send(("ready",))
        return engine

    def send_ruleset(asked: bool = False):
        # Large messages go out only as answers, which the window reads at once;
        # an unasked one could fill the pipe while the window sends a large request.
        if asked or not ruleset_sent:
            conn.send(("ruleset", analyser()[1]))
            ruleset_sent.append(True)

    warm_up = [None, *WARM_UP_TEXTS]  # None: import the engine and read the rules
    while True:
        while warm_up and not conn.poll():
            step = warm_up.pop(0)
            review_document, ruleset = analyser()
            if step is not None:
                _warm_up(load, review_document, ruleset, step)
            if not warm_up:
                conn.send(("warm",))
        try:
            request = conn.recv()
        except (EOFError, OSError):
            return
        if request is None:
            return
        try:
            kind = request[0]
            if kind == "ruleset":
                send_ruleset(asked=True)
                continue
            if kind == "review":
                _, path, lang, known = request
                document = load(path, lang=lang, progress=lambda done, total: conn.send(("progress", done, total)))
            else:  # "document": rebuild a document from a project's embedded bytes
                from reviewer.core.project import load_bytes

                _, data, file_name, lang = request
                known = None
                document = replace(load_bytes(data, file_name, lang), path=file_name)
            _send_document(conn, document)
            if known is None or document.sha256 in known:
                conn.send(("no_review",))
                continue
            conn.send(("progress", 0, 0))
            review_document, ruleset = analyser()
            send_ruleset()
            _send_preview(conn, document, ruleset)
            _send_review(conn, review_document(document, ruleset))
        except LoadError as exc:
            conn.send(("user_error", str(exc)))
        except Exception as exc:  # noqa: BLE001 - reported to the window
            conn.send(("error", f"{type(exc).__name__}: {exc}"))


# English warms up on the bundled sample policy, so the words of a real policy
# are already known (the first analysis of a large policy took twice as long
# after a warm-up on two sentences); Chinese on a short text.
WARM_UP_TEXTS = {
    "en.txt": None,
    "zh.txt": "隐私政策\n\n我们会收集您的姓名和手机号码，用于向您提供服务。"
              "我们会在实现目的所必需的期限内保存您的个人信息。"
              "如您有任何疑问，请通过 privacy@example.cn 与我们联系。\n",
}


def _warm_up(load, review_document, ruleset, name: str) -> None:
    """One analysis builds a language's pipeline, matchers and vocabulary
    before the first real policy arrives."""
    import os
    import tempfile

    from reviewer.core.resources import resource_path

    with tempfile.TemporaryDirectory(prefix="pipl-reviewer-") as folder:
        text = WARM_UP_TEXTS[name]
        path = str(resource_path("samples", "benewake.txt")) if text is None else os.path.join(folder, name)
        try:
            if text is not None:
                with open(path, "w", encoding="utf-8") as fh:
                    fh.write(text)
            review_document(load(path), ruleset)
        except Exception:  # noqa: BLE001 - only a warm-up
            pass


def _document_fields(document) -> dict:
    return {f.name: getattr(document, f.name) for f in fields(document) if f.init and not f.name.startswith("_")}


def _send_document(conn, document) -> None:
    from reviewer.core.document import Block

    names = [f.name for f in fields(Block) if f.name != "boxes"]
    ints, floats = array("q"), array("d")
    rows = []
    for block in document.blocks:
        rows.append(tuple(getattr(block, n) for n in names) + (len(block.boxes),))
        for box in block.boxes:
            ints.extend((box.start, box.end, box.page))
            floats.extend((box.x0, box.top, box.x1, box.bottom))
    head = {k: v for k, v in _document_fields(document).items() if k != "blocks"}
    conn.send(("document", head, names, len(rows)))
    for i in range(0, len(rows), CHUNK):
        conn.send(("blocks", rows[i:i + CHUNK]))
    conn.send_bytes(ints.tobytes())
    conn.send_bytes(floats.tobytes())


def _send_preview(conn, document, ruleset) -> None:
    """Findings and red flags of the first pages of a long PDF, sent ahead of
    the whole analysis so the window can highlight what the reviewer sees."""
    from reviewer.core.review import first_pages_analysis

    preview = first_pages_analysis(document, ruleset)
    if preview is not None:
        data = preview.to_json()
        kept = {key: data[key] for key in ("findings", "red_flags", "ruleset")}
        conn.send(("preview", json.dumps(kept, ensure_ascii=False)))


def _send_review(conn, review) -> None:
    from reviewer.core.results import Segment

    names = [f.name for f in fields(Segment)]
    rows = [tuple(getattr(s, n) for n in names) for s in review.segments]
    conn.send(("review", names, len(rows)))
    for i in range(0, len(rows), CHUNK):
        conn.send(("segments", rows[i:i + CHUNK]))
    # The findings go in chunks too: decoding one large JSON text holds the
    # interpreter lock, and so the window, for over 100 ms.
    analysis = review.analysis.to_json()
    findings = analysis.pop("findings")
    conn.send(("analysis", json.dumps(analysis, ensure_ascii=False), len(findings)))
    for i in range(0, len(findings), FINDINGS_CHUNK):
        conn.send(("findings", json.dumps(findings[i:i + FINDINGS_CHUNK], ensure_ascii=False)))


# ---------------------------------------------------------------- the window's side

@contextmanager
def quiet_gc():
    """Build large, long-lived structures without the cycle collector running
    (a full collection holds the interpreter lock, and so the UI, for its whole
    length), then leave them out of future collections: a document's blocks and
    boxes hold no reference cycles and are freed by reference counting."""
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        gc.freeze()
        if enabled:
            gc.enable()


def _receive_document(conn, head: dict, names: list[str], count: int):
    from reviewer.core.document import Block, Box, Document

    rows = []
    while len(rows) < count:
        rows += conn.recv()[1]
    ints, floats = array("q"), array("d")
    ints.frombytes(conn.recv_bytes())
    floats.frombytes(conn.recv_bytes())
    blocks = []
    k = 0
    for row in rows:
        n = row[-1]
        boxes = tuple(Box(ints[3 * i], ints[3 * i + 1], ints[3 * i + 2],
                          floats[4 * i], floats[4 * i + 1], floats[4 * i + 2], floats[4 * i + 3])
                      for i in range(k, k + n))
        k += n
        blocks.append(Block(**dict(zip(names, row[:-1])), boxes=boxes))
    for key in ("page_sizes", "warnings"):
        if key in head and isinstance(head[key], list):
            head[key] = tuple(tuple(x) if isinstance(x, list) else x for x in head[key])
    return Document(**head, blocks=tuple(blocks))


def _receive_review(conn, document, names: list[str], count: int):
    from reviewer.core.results import Analysis, Review, Segment

    rows = []
    while len(rows) < count:
        rows += conn.recv()[1]
    segments = [Segment(**dict(zip(names, row))) for row in rows]
    _, head, count = conn.recv()
    analysis = json.loads(head)
    analysis["findings"] = []
    while len(analysis["findings"]) < count:
        analysis["findings"] += json.loads(conn.recv()[1])
    return Review(document=document, segments=segments, analysis=Analysis.from_json(analysis))


class Engine:
    """The window's handle on the analysis process. One request at a time;
    ``cancelled()`` is polled while waiting, and a cancel ends the process (a
    fresh one starts for the next request)."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._process = None
        self._conn = None
        self._ruleset = None
        self._warm = False
        self._closed = False

    @property
    def loaded_ruleset(self):
        """The rulebook if it has arrived (never waits: safe on the UI thread)."""
        return self._ruleset

    @property
    def warm(self) -> bool:
        """The process has run its warm-up (never waits)."""
        return self._warm

    def close(self) -> None:
        """End the process for good (at exit)."""
        self._closed = True
        self.stop()

    def start(self) -> None:
        with self._lock:
            self._ensure()

    def ruleset(self, cancelled=lambda: False):
        """The rulebook, as the analysis process loaded it (so this process never parses it)."""
        self._wait(lambda: self._ruleset is not None, cancelled, ask=("ruleset",))
        return self._ruleset

    def wait_warm(self, cancelled=lambda: False) -> None:
        """Wait until the process has run its warm-up analyses."""
        self._wait(lambda: self._warm, cancelled)

    def _wait(self, condition, cancelled, ask=None) -> None:
        """Receive until ``condition()`` holds, after sending the request ``ask`` if given."""
        with self._lock:
            self._ensure()
            if ask is not None and not condition():
                self._conn.send(ask)
            while not condition():
                try:
                    self._receive(cancelled, None, until_ready=True)
                except Cancelled:
                    if ask is not None:
                        self.stop()  # its answer would be left in the pipe
                    raise
                except (EOFError, OSError) as exc:
                    self.stop()
                    raise EngineError(f"the analysis process stopped unexpectedly ({type(exc).__name__})") from None

    def _ensure(self) -> None:
        if self._closed:
            raise EngineError("the application is closing")
        if self._process is not None and self._process.is_alive():
            return
        context = multiprocessing.get_context("spawn")
        parent, child = context.Pipe()
        self._process = context.Process(target=serve, args=(child,), name="pipl-reviewer-engine", daemon=True)
        self._process.start()
        child.close()
        self._conn = parent
        self._warm = False

    def stop(self) -> None:
        """End the process (also while it works: this is how a cancel stops it)."""
        process, conn = self._process, self._conn
        self._process = self._conn = None
        if conn is not None:
            conn.close()
        if process is not None and process.is_alive():
            process.terminate()
            process.join(5)
            if process.is_alive():
                process.kill()
                process.join(5)

    def _receive(self, cancelled, on_progress, until_ready: bool = False):
        """The next message that is not a progress report (or the ready message)."""
        while True:
            while not self._conn.poll(0.05):
                if cancelled():
                    raise Cancelled()
                if not self._process.is_alive():
                    self.stop()
                    raise EngineError("the analysis process stopped unexpectedly")
            message = self._conn.recv()
            if message[0] == "progress":
                if on_progress is not None:
                    on_progress(message[1], message[2])
            elif message[0] == "ruleset":
                self._ruleset = self._ruleset or message[1]
                if until_ready:
                    return message
            elif message[0] in ("ready", "warm"):
                self._warm = message[0] == "warm"
                if until_ready:
                    return message
            else:
                return message

    def run(self, request: tuple, cancelled, on_progress=None, on_document=None, on_preview=None):
        """Send a request; returns ``(document, review or None)``. A ``("review",
        path, lang, known)`` request is analysed unless the document's sha256 is
        in ``known``; a ``("document", data, file_name, lang)`` one never is.
        ``on_document(document)`` is called as soon as the document is read,
        while the analysis runs, and ``on_preview(analysis)`` with the findings
        and red flags of the first pages of a long PDF, before the whole analysis."""
        with self._lock:
            self._ensure()
            try:
                self._conn.send(request)
                message = self._receive(cancelled, on_progress)
                if message[0] == "user_error":
                    raise UserError(message[1])
                if message[0] == "error":
                    raise EngineError(f"Internal error: {message[1]}")
                with quiet_gc():
                    document = _receive_document(self._conn, *message[1:])
                if on_document is not None:
                    on_document(document)
                message = self._receive(cancelled, on_progress)
                if message[0] == "preview":
                    if on_preview is not None:
                        from reviewer.core.results import Analysis

                        on_preview(Analysis.from_json(json.loads(message[1])))
                    message = self._receive(cancelled, on_progress)
                if message[0] == "no_review":
                    return document, None
                if message[0] == "error":
                    raise EngineError(f"Internal error: {message[1]}")
                with quiet_gc():
                    return document, _receive_review(self._conn, document, *message[1:])
            except EngineError:
                raise  # the process answered in full and waits for the next request
            except Cancelled:
                self.stop()  # the quickest way to stop the work
                if not self._closed:
                    self._ensure()  # a fresh process warms up for the next request
                raise
            except (EOFError, OSError) as exc:
                self.stop()
                raise EngineError(f"the analysis process stopped unexpectedly ({type(exc).__name__})") from None
            except BaseException:
                self.stop()  # cancelled or failed half-way: start afresh next time
                raise


ENGINE = Engine()
