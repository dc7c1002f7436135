"""The document pane: the PDF view or the reading view (DOCX, TXT, HTML), the
find bar and the topic legend. Both views take highlights as character ranges
of ``Document.text``."""
from __future__ import annotations

import bisect
import itertools
import re
from dataclasses import dataclass

from PySide6.QtCore import QPoint, QPointF, QRectF, Qt, QTimer, Signal
from PySide6.QtGui import (QAction, QColor, QGuiApplication, QKeySequence, QPainter, QTextBlockFormat,
                           QTextCharFormat, QTextCursor, QTextDocument, QTextLength, QTextTableFormat)
from PySide6.QtWidgets import (QHBoxLayout, QLabel, QLineEdit, QMenu, QStackedWidget, QTextBrowser, QTextEdit,
                               QToolButton, QToolTip, QVBoxLayout, QWidget)

from .pdf_view import PdfView, ZoomOnCtrlWheel, tooltip_text
from .style import (FIND_COLOR, FIND_CURRENT_COLOR, FLAG_BAR_WIDTH, FLAG_BAR_X, RED_FLAG_COLOR, RED_FLAG_FILL,
                    RED_FLAG_TEXT, REJECTED_COLOR, html_escape, reading_font, translucent)

MAX_FIND_HITS = 10_000


@dataclass
class Highlight:
    ref: str  # "finding:f3", "manual:4", "flag:r1"
    start: int
    end: int
    color: QColor
    style: str  # finding | manual | rejected | flag
    tooltip: object = ""  # text, or a function that returns it (made only when shown)
    topic: str = ""


def find_hits(text: str, query: str, limit: int = MAX_FIND_HITS) -> list[tuple[int, int]]:
    """Case-insensitive matches of ``query``; any run of spaces matches any whitespace."""
    words = query.split()
    if not words:
        return []
    pattern = re.compile(r"\s+".join(re.escape(w) for w in words), re.IGNORECASE)
    return [(m.start(), m.end()) for m in itertools.islice(pattern.finditer(text), limit)]


@dataclass
class _Block:
    kind: str
    start: int
    text: str
    level: int = 0
    table: int | None = None
    row: int | None = None
    col: int | None = None


def _plain_blocks(text: str) -> list[_Block]:
    """Paragraphs of a text without blocks (a document rebuilt from the cache)."""
    out = []
    for m in re.finditer(r"[^\n]+(?:\n(?!\n)[^\n]*)*", text):
        if m.group(0).strip():
            out.append(_Block("paragraph", m.start(), m.group(0)))
    return out


def _utf16_len(text: str) -> int:
    return len(text.encode("utf-16-le")) // 2


class ReadingView(ZoomOnCtrlWheel, QTextBrowser):
    """A clean reading view of a DOCX, TXT or HTML policy: headings, paragraphs,
    lists and tables, with the findings highlighted in place."""

    highlight_clicked = Signal(str)
    context_menu_requested = Signal(object)

    def __init__(self, parent=None) -> None:
        super().__init__(parent)
        self.setOpenLinks(False)
        self.setReadOnly(True)
        self.setTextInteractionFlags(Qt.TextSelectableByMouse | Qt.TextSelectableByKeyboard)
        self.setFrameShape(QTextBrowser.NoFrame)
        self.policy = None
        self.zoom = 1.0
        self._starts: list[int] = []
        self._qts: list[int] = []
        self._texts: list[str] = []
        self._wide: list[bool] = []
        self._highlights: list[Highlight] = []
        self._base: list = []
        self._base_index: dict[str, list[int]] = {}
        self._find: list[tuple[int, int]] = []
        self._find_current = -1
        self._current: set[str] = set()
        self._flash: tuple[int, int] | None = None
        self._flash_on = False
        self._flash_count = 0
        self._flash_timer = QTimer(self)
        self._flash_timer.setInterval(160)
        self._flash_timer.timeout.connect(self._flash_step)
        self.setStyleSheet("QTextBrowser { background: white; }")

    # -- building the reading view

    def set_document(self, policy) -> None:
        self.policy = policy
        self._highlights, self._current, self._find, self._flash = [], set(), [], None
        self._build()
        self.verticalScrollBar().setValue(0)

    def clear_document(self) -> None:
        self.policy = None
        self._highlights = []
        self._base, self._base_index = [], {}
        self._find = []
        self._flash_timer.stop()
        self._set_text_document(QTextDocument(self))
        self._starts, self._qts, self._texts, self._wide = [], [], [], []

    def _set_text_document(self, doc: QTextDocument) -> None:
        old, self._doc = getattr(self, "_doc", None), doc
        self.setDocument(doc)
        if old is not None:
            old.deleteLater()

    def _build(self) -> None:
        base = 11.0 * self.zoom
        doc = QTextDocument(self)
        doc.setDefaultFont(reading_font(base))
        doc.setDocumentMargin(30)
        doc.setUndoRedoEnabled(False)
        cursor = QTextCursor(doc)
        cursor.beginEditBlock()
        entries: list[tuple[int, int, str]] = []
        blocks = [b for b in self.policy.blocks if b.body] or _plain_blocks(self.policy.text)
        fresh = True  # the cursor stands in an empty block that can take the next paragraph
        i = 0
        while i < len(blocks):
            b = blocks[i]
            if b.kind == "table_cell" and b.table is not None and b.row is not None and b.col is not None:
                j = i
                while (j < len(blocks) and blocks[j].kind == "table_cell" and blocks[j].table == b.table
                       and blocks[j].row is not None and blocks[j].col is not None):
                    j += 1
                self._add_table(cursor, blocks[i:j], base, entries)
                cursor.movePosition(QTextCursor.End)
                fresh = True
                i = j
                continue
            block_format, char_format = self._formats(b.kind, b.level, base)
            if fresh:
                cursor.setBlockFormat(block_format)
                cursor.setBlockCharFormat(char_format)
            else:
                cursor.insertBlock(block_format, char_format)
            entries.append((b.start, cursor.position(), b.text))
            cursor.insertText(b.text, char_format)
            fresh = False
            i += 1
        cursor.endEditBlock()
        entries.sort()
        self._starts = [e[0] for e in entries]
        self._qts = [e[1] for e in entries]
        self._texts = [e[2] for e in entries]
        self._wide = [any(ord(ch) > 0xFFFF for ch in e[2]) for e in entries]
        self._set_text_document(doc)
        self._build_base()
        self._refresh()

    def _formats(self, kind: str, level: int, base: float) -> tuple[QTextBlockFormat, QTextCharFormat]:
        block = QTextBlockFormat()
        char = QTextCharFormat()
        char.setFont(reading_font(base))
        if kind == "heading":
            size = {1: 1.45, 2: 1.25, 3: 1.12}.get(level, 1.05)
            char.setFontPointSize(base * size)
            char.setFontWeight(700)
            char.setForeground(QColor("#1f2d3d"))
            block.setTopMargin(base * (1.3 if level <= 1 else 0.9))
            block.setBottomMargin(base * 0.5)
        else:
            block.setBottomMargin(base * 0.7)
            block.setLineHeight(135, QTextBlockFormat.LineHeightTypes.ProportionalHeight.value)
            if kind == "list_item":
                block.setLeftMargin(base * 1.8)
                block.setBottomMargin(base * 0.35)
            elif kind in ("header", "footer"):
                char.setForeground(QColor("#777777"))
        return block, char

    def _add_table(self, cursor: QTextCursor, cells, base: float, entries: list) -> None:
        rows = max(c.row for c in cells) + 1
        cols = max(c.col for c in cells) + 1
        table_format = QTextTableFormat()
        table_format.setBorder(0.8)
        table_format.setBorderBrush(QColor("#b8bcc4"))
        table_format.setBorderCollapse(True)
        table_format.setCellPadding(5)
        table_format.setCellSpacing(0)
        table_format.setTopMargin(base * 0.4)
        table_format.setBottomMargin(base * 0.9)
        table_format.setWidth(QTextLength(QTextLength.PercentageLength, 100))
        table = cursor.insertTable(rows, cols, table_format)
        filled = set()
        for b in sorted(cells, key=lambda c: (c.row, c.col, c.start)):
            cell = table.cellAt(b.row, b.col)
            c = cell.lastCursorPosition()
            char = QTextCharFormat()
            char.setFont(reading_font(base * 0.95))
            if b.row == 0:
                char.setFontWeight(700)
            if (b.row, b.col) in filled:
                c.insertBlock()
            filled.add((b.row, b.col))
            entries.append((b.start, c.position(), b.text))
            c.insertText(b.text, char)

    # -- offsets

    def qt_pos(self, offset: int) -> int:
        """The position in the view of a character offset of ``Document.text``."""
        i = bisect.bisect_right(self._starts, offset) - 1
        if i < 0:
            return self._qts[0] if self._qts else 0
        text = self._texts[i]
        rel = max(0, min(offset - self._starts[i], len(text)))
        if self._wide[i]:
            rel = _utf16_len(text[:rel])
        return self._qts[i] + rel

    def text_offset(self, qt: int) -> int:
        """The character offset of ``Document.text`` at a position in the view."""
        i = bisect.bisect_right(self._qts, qt) - 1
        if i < 0:
            return self._starts[0] if self._starts else 0
        text = self._texts[i]
        rel = qt - self._qts[i]
        if self._wide[i]:
            units = 0
            for n, ch in enumerate(text):
                if units >= rel:
                    rel = n
                    break
                units += 2 if ord(ch) > 0xFFFF else 1
            else:
                rel = len(text)
        return self._starts[i] + max(0, min(rel, len(text)))

    def _cursor(self, start: int, end: int) -> QTextCursor:
        c = QTextCursor(self.document())
        c.setPosition(self.qt_pos(start))
        c.setPosition(self.qt_pos(end), QTextCursor.KeepAnchor)
        return c

    def offset_at(self, view_pos: QPoint) -> int | None:
        content = QPointF(view_pos.x() + self.horizontalScrollBar().value(),
                          view_pos.y() + self.verticalScrollBar().value())
        qt = self.document().documentLayout().hitTest(content, Qt.ExactHit)
        if qt < 0 or not self._qts:
            return None
        return self.text_offset(qt)

    # -- highlights

    def set_highlights(self, highlights) -> None:
        order = {"rejected": 0, "finding": 1, "manual": 2, "flag": 3}
        self._highlights = sorted(highlights, key=lambda h: order.get(h.style, 1))
        self._build_base()
        self._refresh()

    def set_current(self, refs) -> None:
        """Emphasise the selected passages (only their entries change)."""
        refs = set(refs)
        changed = (refs ^ self._current) & set(self._base_index)
        self._current = refs
        for ref in changed:
            for n in self._base_index[ref]:
                self._base[n].format = self._format(self._highlights[n])
        self._refresh()

    def set_find_hits(self, hits, current: int) -> None:
        self._find = list(hits)
        self._find_current = current
        self._refresh()

    def _selection(self, start: int, end: int, fmt: QTextCharFormat) -> QTextEdit.ExtraSelection:
        s = QTextEdit.ExtraSelection()
        s.cursor = self._cursor(start, end)
        s.format = fmt
        return s

    def _format(self, h: Highlight) -> QTextCharFormat:
        fmt = QTextCharFormat()
        current = h.ref in self._current
        if h.style == "flag":
            fmt.setBackground(RED_FLAG_FILL)
            fmt.setForeground(QColor(RED_FLAG_TEXT))
            fmt.setUnderlineStyle(QTextCharFormat.WaveUnderline)
            fmt.setUnderlineColor(QColor(RED_FLAG_COLOR))
        elif h.style == "rejected":
            fmt.setBackground(translucent(QColor(REJECTED_COLOR), 70))
        else:
            fmt.setBackground(translucent(h.color, 150 if current else 80))
            if h.style == "manual":
                fmt.setUnderlineStyle(QTextCharFormat.DashUnderline)
                fmt.setUnderlineColor(h.color.darker(120))
        if current and h.style != "flag":
            fmt.setUnderlineStyle(QTextCharFormat.SingleUnderline)
            fmt.setUnderlineColor(h.color.darker(150))
        return fmt

    def _build_base(self) -> None:
        self._base = []
        self._base_index: dict[str, list[int]] = {}
        if self.policy is None:
            return
        for n, h in enumerate(self._highlights):
            self._base.append(self._selection(h.start, h.end, self._format(h)))
            self._base_index.setdefault(h.ref, []).append(n)

    def _refresh(self) -> None:
        """The highlights, then the find matches and the flash on top."""
        if self.policy is None:
            self.setExtraSelections([])
            return
        overlay = []
        for n, (start, end) in enumerate(self._find):
            fmt = QTextCharFormat()
            fmt.setBackground(translucent(QColor(FIND_CURRENT_COLOR if n == self._find_current else FIND_COLOR),
                                          170 if n == self._find_current else 140))
            overlay.append(self._selection(start, end, fmt))
        if self._flash and self._flash_on:
            fmt = QTextCharFormat()
            fmt.setBackground(translucent(QColor(FIND_CURRENT_COLOR), 200))
            overlay.append(self._selection(*self._flash, fmt))
        self.setExtraSelections(self._base + overlay)

    def flag_bars(self) -> list[QRectF]:
        """The red bars in the left margin beside the red flags in view (viewport coordinates)."""
        if self.policy is None or not self._qts:
            return []
        area = self.viewport().rect()
        bars = []
        for h in self._highlights:
            if h.style == "flag":
                top = self.cursorRect(self._cursor(h.start, h.start)).top()
                bottom = self.cursorRect(self._cursor(h.end, h.end)).bottom()
                bar = QRectF(FLAG_BAR_X, top, FLAG_BAR_WIDTH, max(bottom - top, 4))
                if bar.top() <= area.bottom() and bar.bottom() >= area.top():
                    bars.append(bar)
        return bars

    def paintEvent(self, event) -> None:
        super().paintEvent(event)
        bars = self.flag_bars()
        if bars:
            painter = QPainter(self.viewport())
            painter.setPen(Qt.NoPen)
            painter.setBrush(QColor(RED_FLAG_COLOR))
            for bar in bars:
                painter.drawRect(bar)
            painter.end()

    # -- scrolling

    def reveal(self, start: int, end: int, flash: bool = True) -> bool:
        if self.policy is None or not self._qts:
            return False
        c = QTextCursor(self.document())
        c.setPosition(self.qt_pos(start))
        rect = self.cursorRect(c)
        bar = self.verticalScrollBar()
        bar.setValue(bar.value() + rect.top() - int(self.viewport().height() * 0.25))
        if flash:
            self.flash(start, end)
        return True

    def is_visible(self, start: int, end: int) -> bool:
        if self.policy is None or not self._qts:
            return False
        c = QTextCursor(self.document())
        c.setPosition(self.qt_pos(start))
        return self.viewport().rect().intersects(self.cursorRect(c))

    def view_point_for(self, start: int, end: int) -> QPoint | None:
        if self.policy is None or not self._qts:
            return None
        c = QTextCursor(self.document())
        c.setPosition(self.qt_pos(min(start + 1, end)))
        rect = self.cursorRect(c)
        return QPoint(rect.left() - 2, rect.center().y())

    def flash(self, start: int, end: int) -> None:
        self._flash = (start, end)
        self._flash_on = True
        self._flash_count = 0
        self._flash_timer.start()
        self._refresh()

    def _flash_step(self) -> None:
        self._flash_count += 1
        self._flash_on = self._flash_count % 2 == 0
        if self._flash_count >= 6:
            self._flash_timer.stop()
            self._flash = None
        self._refresh()

    # -- selection, zoom, mouse

    def selection(self) -> tuple[int, int] | None:
        c = self.textCursor()
        if not c.hasSelection() or not self._qts:
            return None
        start, end = self.text_offset(c.selectionStart()), self.text_offset(c.selectionEnd())
        return (start, end) if end > start else None

    def select_range(self, start: int, end: int) -> None:
        self.setTextCursor(self._cursor(start, end))

    def selected_text(self) -> str:
        sel = self.selection()
        return self.policy.text[sel[0]:sel[1]] if sel else ""

    def set_zoom(self, zoom: float) -> None:
        zoom = max(0.5, min(3.0, zoom))
        if self.policy is None or abs(zoom - self.zoom) < 1e-6:
            self.zoom = zoom
            return
        bar = self.verticalScrollBar()
        fraction = bar.value() / bar.maximum() if bar.maximum() else 0.0
        self.zoom = zoom
        self._build()
        bar.setValue(int(fraction * bar.maximum()))

    def zoom_in(self) -> None:
        self.set_zoom(self.zoom * 1.15)

    def zoom_out(self) -> None:
        self.set_zoom(self.zoom / 1.15)

    def ref_at(self, view_pos: QPoint) -> str | None:
        offset = self.offset_at(view_pos)
        if offset is None:
            return None
        hits = [h for h in self._highlights if h.start <= offset < h.end]
        if not hits:
            return None
        return min(hits, key=lambda h: (h.style == "flag", h.end - h.start)).ref

    def viewportEvent(self, event) -> bool:
        if event.type() == event.Type.ToolTip:
            offset = self.offset_at(event.pos())
            tips = [] if offset is None else [tooltip_text(h.tooltip) for h in self._highlights
                                              if h.start <= offset < h.end and h.tooltip]
            if tips:
                QToolTip.showText(event.globalPos(), "<hr>".join(tips[:4]), self.viewport())
            else:
                QToolTip.hideText()
                event.ignore()
            return True
        return super().viewportEvent(event)

    def mouseReleaseEvent(self, event) -> None:
        super().mouseReleaseEvent(event)
        if event.button() == Qt.LeftButton and not self.textCursor().hasSelection():
            ref = self.ref_at(event.position().toPoint())
            if ref:
                self.highlight_clicked.emit(ref)

    def contextMenuEvent(self, event) -> None:
        self.context_menu_requested.emit(event.globalPos())


class _FindEdit(QLineEdit):
    """Enter finds the next match, Shift+Enter the previous one, Esc closes."""

    step = Signal(int)
    escape = Signal()

    def keyPressEvent(self, event) -> None:
        if event.key() in (Qt.Key_Return, Qt.Key_Enter):
            self.step.emit(-1 if event.modifiers() & Qt.ShiftModifier else 1)
            return
        if event.key() == Qt.Key_Escape:
            self.escape.emit()
            return
        super().keyPressEvent(event)


class FindBar(QWidget):
    """Find within the document, with a hit count and next/previous."""

    changed = Signal(str)
    step = Signal(int)  # +1 next, -1 previous
    closed = Signal()

    def __init__(self, parent=None) -> None:
        super().__init__(parent)
        layout = QHBoxLayout(self)
        layout.setContentsMargins(6, 4, 6, 4)
        layout.setSpacing(4)
        layout.addWidget(QLabel("Find:"))
        self.edit = _FindEdit()
        self.edit.setPlaceholderText("Search the policy")
        self.edit.setClearButtonEnabled(True)
        self.edit.textChanged.connect(self.changed)
        self.edit.step.connect(self.step)
        self.edit.escape.connect(self.closed)
        layout.addWidget(self.edit, 1)
        self.count = QLabel("")
        self.count.setMinimumWidth(90)
        layout.addWidget(self.count)
        for text, tip, delta in (("▲", "Previous match (Shift+Enter)", -1), ("▼", "Next match (Enter)", 1)):
            button = QToolButton()
            button.setText(text)
            button.setToolTip(tip)
            button.clicked.connect(lambda _=False, d=delta: self.step.emit(d))
            layout.addWidget(button)
        close = QToolButton()
        close.setText("✕")
        close.setToolTip("Close (Esc)")
        close.clicked.connect(self.closed)
        layout.addWidget(close)



class DocumentPane(QWidget):
    highlight_clicked = Signal(str)
    selection_changed = Signal()
    mark_requested = Signal()
    page_rendered = Signal(int)

    def __init__(self, parent=None) -> None:
        super().__init__(parent)
        self.policy = None
        self.find_bar = FindBar()
        self.find_bar.hide()
        self.find_bar.changed.connect(self._find_changed)
        self.find_bar.step.connect(self.find_step)
        self.find_bar.closed.connect(self.close_find)
        self.hits: list[tuple[int, int]] = []
        self.hit = -1

        self.placeholder = QLabel()
        self.placeholder.setAlignment(Qt.AlignCenter)
        self.placeholder.setWordWrap(True)
        self.placeholder.setStyleSheet("color: #5f6670; font-size: 15px; background: #f4f5f7;")
        self.pdf_view = PdfView()
        self.text_view = ReadingView()
        self.stack = QStackedWidget()
        for w in (self.placeholder, self.pdf_view, self.text_view):
            self.stack.addWidget(w)
        self.legend = QLabel()
        self.legend.setWordWrap(True)
        self.legend.setTextFormat(Qt.RichText)
        self.legend.setStyleSheet("QLabel { padding: 3px 8px; background: #fafbfc; border-top: 1px solid #d9dce1;"
                                  " font-size: 11px; color: #374151; }")
        self.legend.hide()

        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(0)
        layout.addWidget(self.find_bar)
        layout.addWidget(self.stack, 1)
        layout.addWidget(self.legend)

        for view in (self.pdf_view, self.text_view):
            view.highlight_clicked.connect(self.highlight_clicked)
            view.context_menu_requested.connect(self._context_menu)
        self.pdf_view.selection_changed.connect(self.selection_changed)
        self.text_view.selectionChanged.connect(self.selection_changed)
        self.pdf_view.page_rendered.connect(self.page_rendered)
        self.show_message("Open a privacy policy (PDF, DOCX, TXT or HTML) or a project,\n"
                          "or drop the file here.")

    @property
    def view(self):
        w = self.stack.currentWidget()
        return w if w is not self.placeholder else None

    def show_message(self, text: str) -> None:
        self.placeholder.setText(text)
        self.stack.setCurrentWidget(self.placeholder)
        self.legend.hide()

    def show_document(self, policy, data: bytes | None = None, page_sizes=(), page_ranges=None) -> None:
        self.policy = policy
        self.hits, self.hit = [], -1
        if policy.format == "pdf" and data and page_sizes:
            self.text_view.clear_document()
            self.stack.setCurrentWidget(self.pdf_view)
            self.pdf_view.set_document(policy, data, page_sizes, page_ranges)
        else:
            self.pdf_view.clear()
            self.stack.setCurrentWidget(self.text_view)
            self.text_view.set_document(policy)
        if self.find_bar.isVisible() and self.find_bar.edit.text():
            self._find_changed(self.find_bar.edit.text())

    def clear(self, message: str = "") -> None:
        self.policy = None
        self.pdf_view.clear()
        self.text_view.clear_document()
        self.show_message(message or "No policy open.")

    def shutdown(self) -> None:
        self.pdf_view.clear()

    def set_highlights(self, highlights, legend_html: str = "") -> None:
        if self.view is not None:
            self.view.set_highlights(highlights)
        self.legend.setText(legend_html)
        self.legend.setVisible(bool(legend_html) and self.view is not None)

    def set_current(self, refs) -> None:
        if self.view is not None:
            self.view.set_current(refs)

    def reveal(self, start: int, end: int, flash: bool = True) -> bool:
        return self.view.reveal(start, end, flash) if self.view is not None else False

    def is_visible(self, start: int, end: int) -> bool:
        return self.view.is_visible(start, end) if self.view is not None else False

    def selection(self) -> tuple[int, int] | None:
        return self.view.selection() if self.view is not None else None

    def select_range(self, start: int, end: int) -> None:
        if self.view is not None:
            self.view.select_range(start, end)

    def selected_text(self) -> str:
        return self.view.selected_text() if self.view is not None else ""

    def zoom_in(self) -> None:
        if self.view is not None:
            self.view.zoom_in()

    def zoom_out(self) -> None:
        if self.view is not None:
            self.view.zoom_out()

    def zoom_reset(self) -> None:
        if self.view is self.pdf_view:
            self.pdf_view.fit_width()
        elif self.view is self.text_view:
            self.text_view.set_zoom(1.0)

    # -- find

    def open_find(self) -> None:
        self.find_bar.show()
        self.find_bar.edit.setFocus()
        self.find_bar.edit.selectAll()

    def close_find(self) -> None:
        self.find_bar.hide()
        self.hits, self.hit = [], -1
        if self.view is not None:
            self.view.set_find_hits([], -1)

    def find(self, query: str) -> int:
        self.find_bar.show()
        self.find_bar.edit.setText(query)
        return len(self.hits)

    def _find_changed(self, query: str) -> None:
        self.hits = find_hits(self.policy.text, query) if self.policy is not None else []
        self.hit = 0 if self.hits else -1
        self._show_hit()

    def find_step(self, delta: int) -> None:
        if not self.hits:
            return
        self.hit = (self.hit + delta) % len(self.hits)
        self._show_hit()

    def _show_hit(self) -> None:
        if self.view is not None:
            self.view.set_find_hits(self.hits, self.hit)
        if not self.find_bar.edit.text().strip():
            self.find_bar.count.setText("")
        elif not self.hits:
            self.find_bar.count.setText("No matches")
        else:
            more = "+" if len(self.hits) >= MAX_FIND_HITS else ""
            self.find_bar.count.setText(f"{self.hit + 1} of {len(self.hits)}{more}")
            self.reveal(*self.hits[self.hit], flash=False)

    # -- context menu

    def _context_menu(self, global_pos) -> None:
        menu = QMenu(self)
        selected = self.selection() is not None
        mark = QAction("Mark as…", menu)
        mark.setShortcut(QKeySequence("Ctrl+M"))
        mark.setEnabled(selected)
        mark.triggered.connect(self.mark_requested)
        menu.addAction(mark)
        copy = QAction("Copy", menu)
        copy.setEnabled(selected)
        copy.triggered.connect(lambda: QGuiApplication.clipboard().setText(self.selected_text()))
        menu.addAction(copy)
        menu.exec(global_pos)


def legend_html(entries: list[tuple[str, QColor]], flags: bool, manual: bool) -> str:
    """The legend: a swatch per topic shown, and the red flag and manual markers."""
    parts = []
    for title, color in entries:
        a = 80 / 255
        blend = QColor(int(color.red() * a + 255 * (1 - a)), int(color.green() * a + 255 * (1 - a)),
                       int(color.blue() * a + 255 * (1 - a)))
        parts.append(f'<span style="background-color:{blend.name()}; border:1px solid {color.name()};">'
                     f'&nbsp;&nbsp;&nbsp;&nbsp;</span>&nbsp;{html_escape(title)}')
    if flags:
        parts.append(f'<span style="background-color:{RED_FLAG_COLOR};">&nbsp;</span>&nbsp;<span style="color:'
                     f'{RED_FLAG_COLOR}; font-weight:bold; text-decoration: underline;">⚑ red flag</span>')
    if manual:
        parts.append("<i>dashed: marked by hand</i>")
    return "&nbsp;&nbsp;&nbsp; ".join(parts)
