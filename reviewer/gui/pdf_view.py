"""The PDF view: the real pages, rendered lazily by PDFium at the current zoom,
with translucent highlights over the word boxes of each finding."""
from __future__ import annotations

import bisect
from collections import OrderedDict

from PySide6.QtCore import QPointF, QRectF, Qt, QTimer, Signal
from PySide6.QtGui import QBrush, QColor, QPainter, QPainterPath, QPen, QPixmap, QTransform
from PySide6.QtWidgets import QGraphicsItem, QGraphicsScene, QGraphicsView, QToolTip

from .style import (FIND_COLOR, FIND_CURRENT_COLOR, FLAG_BAR_WIDTH, FLAG_BAR_X, RED_FLAG_COLOR, RED_FLAG_FILL,
                    REJECTED_COLOR, SELECTION_COLOR, translucent)
from .workers import PageRenderer

PAGE_GAP = 14.0
MIN_ZOOM, MAX_ZOOM = 0.25, 6.0
CACHE_BYTES = 320 * 1024 * 1024
MAX_RENDER_SCALE = 4.0

Z_HIGHLIGHT, Z_FLAG, Z_FIND, Z_SELECTION, Z_FLASH = 1, 2, 3, 4, 5


def line_rects(boxes) -> list[tuple[int, QRectF]]:
    """Word boxes merged into one rectangle per line: ``(page, rect)`` in text order."""
    out: list[list] = []  # page, x0, top, x1, bottom
    for b in boxes:
        if out:
            last = out[-1]
            if last[0] == b.page:
                overlap = min(last[4], b.bottom) - max(last[2], b.top)
                gap = b.x0 - last[3]
                height = b.bottom - b.top
                if overlap > 0.5 * min(last[4] - last[2], height) and -1 <= gap < 3 * height:
                    last[1] = min(last[1], b.x0)
                    last[2] = min(last[2], b.top)
                    last[3] = max(last[3], b.x1)
                    last[4] = max(last[4], b.bottom)
                    continue
        out.append([b.page, b.x0, b.top, b.x1, b.bottom])
    return [(page, QRectF(x0, top, x1 - x0, bottom - top)) for page, x0, top, x1, bottom in out]


def page_ranges(document, count: int) -> list[tuple[int, int]]:
    """For each page, the span of ``Document.text`` its words cover (from the word
    boxes: a paragraph may run on from one page to the next)."""
    ranges = [[None, None] for _ in range(count)]
    for block in document.blocks:
        if block.body:
            for box in block.boxes:
                if 1 <= box.page <= count:
                    r = ranges[box.page - 1]
                    if r[0] is None or box.start < r[0]:
                        r[0] = box.start
                    if r[1] is None or box.end > r[1]:
                        r[1] = box.end
    return [(r[0], r[1]) if r[0] is not None else (0, 0) for r in ranges]


def tooltip_text(tooltip) -> str:
    """Tooltips may be given as text or as a function that makes it when needed."""
    return tooltip() if callable(tooltip) else (tooltip or "")


class PageItem(QGraphicsItem):
    """One page: the rendered image, or a white sheet while it renders."""

    def __init__(self, view: "PdfView", index: int, width: float, height: float) -> None:
        super().__init__()
        self.view = view
        self.index = index
        self.rect = QRectF(0, 0, width, height)
        self.setFlag(QGraphicsItem.ItemUsesExtendedStyleOption, False)

    def boundingRect(self) -> QRectF:
        return self.rect.adjusted(-1, -1, 3, 3)

    def paint(self, painter: QPainter, option, widget=None) -> None:
        painter.fillRect(self.rect.translated(2, 2), QColor(0, 0, 0, 40))
        pixmap, exact = self.view.pixmap_for(self.index)
        if pixmap is None:
            painter.fillRect(self.rect, QColor("white"))
        else:
            if not exact:
                painter.setRenderHint(QPainter.SmoothPixmapTransform, True)
            painter.drawPixmap(self.rect, pixmap, QRectF(pixmap.rect()))
        painter.setPen(QPen(QColor(0, 0, 0, 60), 0))
        painter.drawRect(self.rect)


class HighlightItem(QGraphicsItem):
    """The line rectangles of one highlight on one page."""

    def __init__(self, rects: list[QRectF], color: QColor, style: str, ref: str = "",
                 tooltip: str = "", parent: QGraphicsItem | None = None) -> None:
        super().__init__(parent)
        self.rects = rects
        self.color = QColor(color)
        self.style = style
        self.ref = ref
        self.emphasis = False
        bounds = QRectF()
        for r in rects:
            bounds = bounds.united(r)
        path = QPainterPath()
        for r in rects:
            path.addRect(r)
        self.bar = None
        if style == "flag":  # a red bar in the page margin beside the lines
            self.bar = QRectF(FLAG_BAR_X, bounds.top(), FLAG_BAR_WIDTH, bounds.height())
            bounds = bounds.united(self.bar)
            path.addRect(self.bar)
        self._bounds = bounds.adjusted(-3, -3, 3, 4)
        self._shape = path
        self.tooltip = tooltip  # text or a function, resolved when the tooltip is shown
        self.setZValue({"flag": Z_FLAG, "find": Z_FIND, "find_current": Z_FIND,
                        "selection": Z_SELECTION, "flash": Z_FLASH}.get(style, Z_HIGHLIGHT))

    def boundingRect(self) -> QRectF:
        return self._bounds

    def shape(self) -> QPainterPath:
        return self._shape

    def set_emphasis(self, on: bool) -> None:
        if on != self.emphasis:
            self.emphasis = on
            self.update()

    def paint(self, painter: QPainter, option, widget=None) -> None:
        painter.setRenderHint(QPainter.Antialiasing, False)
        style = self.style
        if style == "flag":
            painter.setPen(Qt.NoPen)
            painter.setBrush(RED_FLAG_FILL)
            for r in self.rects:
                painter.drawRect(r)
            painter.setBrush(QColor(RED_FLAG_COLOR))
            painter.drawRect(self.bar)
            painter.setPen(QPen(QColor(RED_FLAG_COLOR), 2.4 if self.emphasis else 1.8))
            for r in self.rects:
                painter.drawLine(QPointF(r.left(), r.bottom() + 1.2), QPointF(r.right(), r.bottom() + 1.2))
            return
        if style == "flash":
            painter.setPen(QPen(QColor(FIND_CURRENT_COLOR), 2.5))
            painter.setBrush(QColor(255, 152, 0, 70))
            for r in self.rects:
                painter.drawRect(r.adjusted(-2, -2, 2, 2))
            return
        fill = {"find": translucent(QColor(FIND_COLOR), 140),
                "find_current": translucent(QColor(FIND_CURRENT_COLOR), 150),
                "selection": translucent(QColor(SELECTION_COLOR), 70),
                "rejected": translucent(QColor(REJECTED_COLOR), 70)}.get(style)
        if fill is None:
            fill = translucent(self.color, 130 if self.emphasis else 80)
        painter.setBrush(fill)
        painter.setPen(Qt.NoPen)
        for r in self.rects:
            painter.drawRect(r)
        if style == "manual":
            pen = QPen(self.color.darker(120), 1.0, Qt.DashLine)
            painter.setPen(pen)
            painter.setBrush(Qt.NoBrush)
            for r in self.rects:
                painter.drawRect(r)
        if self.emphasis:
            painter.setPen(QPen(self.color.darker(140), 1.4))
            painter.setBrush(Qt.NoBrush)
            for r in self.rects:
                painter.drawRect(r.adjusted(-1, -1, 1, 1))


class ZoomOnCtrlWheel:
    """Ctrl + mouse wheel zooms the view (mixed into both document views)."""

    def wheelEvent(self, event) -> None:
        if event.modifiers() & Qt.ControlModifier:
            self.zoom_in() if event.angleDelta().y() > 0 else self.zoom_out()
            event.accept()
            return
        super().wheelEvent(event)


class PdfView(ZoomOnCtrlWheel, QGraphicsView):
    highlight_clicked = Signal(str)
    selection_changed = Signal()
    page_rendered = Signal(int)
    context_menu_requested = Signal(object)  # global QPoint

    def __init__(self, parent=None) -> None:
        super().__init__(parent)
        self.setScene(QGraphicsScene(self))
        self.setBackgroundBrush(QBrush(QColor("#e4e6eb")))
        self.setAlignment(Qt.AlignHCenter | Qt.AlignTop)
        self.setRenderHints(QPainter.Antialiasing | QPainter.SmoothPixmapTransform)
        self.setViewportUpdateMode(QGraphicsView.SmartViewportUpdate)
        self.setTransformationAnchor(QGraphicsView.NoAnchor)
        self.setDragMode(QGraphicsView.NoDrag)
        self.document = None
        self.pages: list[PageItem] = []
        self.zoom = 1.0
        self._renderer: PageRenderer | None = None
        self._cache: OrderedDict[tuple[int, float], QPixmap] = OrderedDict()
        self._cache_bytes = 0
        self._highlights: list = []  # sorted by start
        self._highlight_starts: list[int] = []
        self._longest = 0
        self._items: dict[str, list[HighlightItem]] = {}
        self._built: set[int] = set()  # pages whose highlight items exist
        self._page_ranges: list[tuple[int, int]] = []
        self._find_items: list[HighlightItem] = []
        self._selection_items: list[HighlightItem] = []
        self._flash_items: list[HighlightItem] = []
        self._flash_timer = QTimer(self)
        self._flash_timer.setInterval(160)
        self._flash_timer.timeout.connect(self._flash_step)
        self._flash_count = 0
        self._current: set[str] = set()
        self._selection: tuple[int, int] | None = None
        self._press = None
        self._page_boxes: dict[int, list] | None = None
        self._fitted = False
        self.verticalScrollBar().valueChanged.connect(self._build_visible)

    # -- document

    def set_document(self, document, data: bytes, page_sizes, ranges=None) -> None:
        """Show a PDF; ``ranges`` (see :func:`page_ranges`) may be computed beforehand off the UI thread."""
        self.clear()
        self.document = document
        self._renderer = PageRenderer(data)
        self._renderer.rendered.connect(self._on_rendered)
        top = 0.0
        width = max((w for w, _ in page_sizes), default=612.0)
        for index, (w, h) in enumerate(page_sizes):
            item = PageItem(self, index, w, h)
            item.setPos((width - w) / 2, top)
            self.scene().addItem(item)
            self.pages.append(item)
            top += h + PAGE_GAP
        self.scene().setSceneRect(QRectF(-PAGE_GAP, -PAGE_GAP, width + 2 * PAGE_GAP, top + PAGE_GAP))
        self._page_ranges = list(ranges) if ranges else page_ranges(document, len(page_sizes))
        self._fitted = self.isVisible()
        self.fit_width()
        self.verticalScrollBar().setValue(self.verticalScrollBar().minimum())

    def clear(self) -> None:
        if self._renderer is not None:
            self._renderer.rendered.disconnect(self._on_rendered)
            self._renderer.close()
            self._renderer = None
        self._flash_timer.stop()
        self._flash_items = []
        self.scene().clear()
        self.pages = []
        self._items = {}
        self._built = set()
        self._page_ranges = []
        self._find_items = []
        self._selection_items = []
        self._highlights, self._highlight_starts, self._longest = [], [], 0
        self._cache.clear()
        self._cache_bytes = 0
        self._selection = None
        self._page_boxes = None
        self.document = None

    def close_renderer(self) -> None:
        if self._renderer is not None:
            self._renderer.close()

    # -- zoom and rendering

    def render_scale(self) -> float:
        """Pixels per PDF point for page images: sharp on high-DPI screens, capped
        so a page image stays a reasonable size at extreme zoom."""
        return round(min(self.zoom * self.devicePixelRatioF(), MAX_RENDER_SCALE), 3)

    def set_zoom(self, zoom: float) -> None:
        zoom = max(MIN_ZOOM, min(MAX_ZOOM, zoom))
        if abs(zoom - self.zoom) < 1e-6 and self.transform().m11() == zoom:
            return
        center = self.mapToScene(self.viewport().rect().center())
        self.zoom = zoom
        self.setTransform(QTransform.fromScale(zoom, zoom))
        self.centerOn(center)
        if self._renderer is not None:
            self._renderer.forget()
        self._build_visible()
        self.viewport().update()

    def zoom_in(self) -> None:
        self.set_zoom(self.zoom * 1.25)

    def zoom_out(self) -> None:
        self.set_zoom(self.zoom / 1.25)

    def fit_width(self) -> None:
        if not self.pages:
            return
        width = self.scene().sceneRect().width()
        scrollbar = self.style().pixelMetric(self.style().PixelMetric.PM_ScrollBarExtent)
        available = max(self.width() - 2 * self.frameWidth() - scrollbar, 200)
        self.set_zoom(max(0.5, min(2.0, available / width)))

    def pixmap_for(self, index: int) -> tuple[QPixmap | None, bool]:
        """The best cached image of a page; requests a render at the current scale
        when that one is missing."""
        scale = self.render_scale()
        key = (index, scale)
        pixmap = self._cache.get(key)
        if pixmap is not None:
            self._cache.move_to_end(key)
            return pixmap, True
        if self._renderer is not None:
            self._renderer.request(index, scale)
        others = [(abs(s - scale), p) for (i, s), p in self._cache.items() if i == index]
        return (min(others, key=lambda x: x[0])[1], False) if others else (None, False)

    def _on_rendered(self, index: int, scale: float, image) -> None:
        if index >= len(self.pages):
            return
        pixmap = QPixmap.fromImage(image)
        key = (index, scale)
        if key in self._cache:
            self._cache_bytes -= _size(self._cache.pop(key))
        self._cache[key] = pixmap
        self._cache_bytes += _size(pixmap)
        while self._cache_bytes > CACHE_BYTES and len(self._cache) > 1:
            _, old = self._cache.popitem(last=False)
            self._cache_bytes -= _size(old)
        self.pages[index].update()
        self.page_rendered.emit(index)

    def has_page_image(self, index: int) -> bool:
        return (index, self.render_scale()) in self._cache

    def renderer_idle(self) -> bool:
        return self._renderer is None or self._renderer.idle()

    def visible_pages(self) -> list[int]:
        area = self.mapToScene(self.viewport().rect()).boundingRect()
        return [p.index for p in self.pages if p.sceneBoundingRect().intersects(area)]

    def resizeEvent(self, event) -> None:
        super().resizeEvent(event)
        self._build_visible()
        if self.pages and not self._fitted and self.isVisible():
            self._fitted = True
            self.fit_width()

    def showEvent(self, event) -> None:
        super().showEvent(event)
        if self.pages and not self._fitted:
            self._fitted = True
            self.fit_width()

    # -- highlights

    def set_highlights(self, highlights) -> None:
        """Highlights are kept as ranges; their items are made page by page as
        the pages come into view."""
        for items in self._items.values():
            for item in items:
                self.scene().removeItem(item)
        self._items = {}
        self._built = set()
        self._highlights = sorted(highlights, key=lambda h: (h.start, h.end))
        self._highlight_starts = [h.start for h in self._highlights]
        self._longest = max((h.end - h.start for h in self._highlights), default=0)
        self._build_visible()

    def _build_visible(self, *_) -> None:
        if not self.pages or not self._highlights:
            return
        visible = self.visible_pages()
        if visible:
            for index in range(max(visible[0] - 1, 0), min(visible[-1] + 2, len(self.pages))):
                self._build_page(index)

    def _build_page(self, index: int) -> None:
        if index in self._built or self.document is None:
            return
        self._built.add(index)
        page_start, page_end = self._page_ranges[index]
        if page_end <= page_start:
            return
        first = bisect.bisect_left(self._highlight_starts, page_start - self._longest)
        last = bisect.bisect_left(self._highlight_starts, page_end)
        for h in self._highlights[first:last]:
            if h.end <= page_start:
                continue
            boxes = [b for b in self.document.boxes_for(max(h.start, page_start), min(h.end, page_end))
                     if b.page == index + 1]
            if not boxes:
                continue
            item = HighlightItem([r for _, r in line_rects(boxes)], h.color, h.style, h.ref, h.tooltip,
                                 self.pages[index])
            item.set_emphasis(h.ref in self._current)
            self._items.setdefault(h.ref, []).append(item)

    def _make_items(self, start, end, color, style, ref="", tooltip="") -> list[HighlightItem]:
        by_page: dict[int, list[QRectF]] = {}
        for page, rect in line_rects(self.document.boxes_for(start, end)):
            by_page.setdefault(page, []).append(rect)
        items = []
        for page, rects in by_page.items():
            if 1 <= page <= len(self.pages):
                items.append(HighlightItem(rects, color, style, ref, tooltip, self.pages[page - 1]))
        return items

    def highlight_rects(self, ref: str) -> list[tuple[int, QRectF]]:
        """``(page, rect)`` of a highlight's items (made now if their page was never in view)."""
        h = next((h for h in self._highlights if h.ref == ref), None)
        if h is not None and self.document is not None:
            for b in self.document.boxes_for(h.start, h.end):
                if 1 <= b.page <= len(self.pages):
                    self._build_page(b.page - 1)
        items = sorted(self._items.get(ref, []), key=lambda i: i.parentItem().index)
        return [(item.parentItem().index + 1, r) for item in items for r in item.rects]

    def set_current(self, refs) -> None:
        self._current = set(refs)
        for ref, items in self._items.items():
            for item in items:
                item.set_emphasis(ref in self._current)

    def set_find_hits(self, hits, current: int) -> None:
        for item in self._find_items:
            self.scene().removeItem(item)
        self._find_items = []
        if self.document is None:
            return
        for n, (start, end) in enumerate(hits):
            style = "find_current" if n == current else "find"
            self._find_items += self._make_items(start, end, QColor(FIND_COLOR), style)

    # -- scrolling

    def _first_rect(self, start: int, end: int) -> QRectF | None:
        rects = line_rects(self.document.boxes_for(start, end)) if self.document else []
        for page, rect in rects:
            if 1 <= page <= len(self.pages):
                return self.pages[page - 1].mapRectToScene(rect)
        page = self.document.page_at(start) if self.document else None
        if page and 1 <= page <= len(self.pages):
            r = self.pages[page - 1].sceneBoundingRect()
            return QRectF(r.left(), r.top(), r.width(), 40)
        return None

    def reveal(self, start: int, end: int, flash: bool = True) -> bool:
        rect = self._first_rect(start, end)
        if rect is None:
            return False
        view_height = self.viewport().height() / self.zoom
        self.centerOn(QPointF(rect.center().x(), rect.top() + view_height * 0.5 - view_height * 0.2))
        if flash:
            self.flash(start, end)
        return True

    def is_visible(self, start: int, end: int) -> bool:
        rect = self._first_rect(start, end)
        if rect is None:
            return False
        area = self.mapToScene(self.viewport().rect()).boundingRect()
        return area.intersects(rect)

    def flash(self, start: int, end: int) -> None:
        for item in self._flash_items:
            self.scene().removeItem(item)
        self._flash_items = self._make_items(start, end, QColor(FIND_CURRENT_COLOR), "flash")
        self._flash_count = 0
        self._flash_timer.start()

    def _flash_step(self) -> None:
        self._flash_count += 1
        for item in self._flash_items:
            item.setVisible(self._flash_count % 2 == 0)
        if self._flash_count >= 6:
            self._flash_timer.stop()
            for item in self._flash_items:
                self.scene().removeItem(item)
            self._flash_items = []

    # -- selection by dragging over words

    def _page_word_boxes(self, page: int) -> list:
        if self._page_boxes is None:
            self._page_boxes = {}
            for block in self.document.blocks:
                if block.body:
                    for box in block.boxes:
                        self._page_boxes.setdefault(box.page, []).append(box)
        return self._page_boxes.get(page, [])

    def box_at(self, scene_pos: QPointF):
        """The word under (or nearest to) a scene point."""
        if self.document is None:
            return None
        for item in self.pages:
            r = item.sceneBoundingRect()
            if r.top() - PAGE_GAP / 2 <= scene_pos.y() <= r.bottom() + PAGE_GAP / 2:
                p = item.mapFromScene(scene_pos)
                boxes = self._page_word_boxes(item.index + 1)
                if not boxes:
                    return None

                def distance(b):
                    dx = max(b.x0 - p.x(), 0, p.x() - b.x1)
                    dy = max(b.top - p.y(), 0, p.y() - b.bottom)
                    return (dy * 4 + dx, b.start)

                return min(boxes, key=distance)
        return None

    def select_range(self, start: int, end: int) -> None:
        for item in self._selection_items:
            self.scene().removeItem(item)
        self._selection_items = []
        self._selection = (start, end) if end > start else None
        if self._selection:
            self._selection_items = self._make_items(start, end, QColor(SELECTION_COLOR), "selection")
        self.selection_changed.emit()

    def selection(self) -> tuple[int, int] | None:
        return self._selection

    def selected_text(self) -> str:
        if not self._selection or self.document is None:
            return ""
        return self.document.text[self._selection[0]:self._selection[1]]

    def mousePressEvent(self, event) -> None:
        if event.button() == Qt.LeftButton and self.document is not None:
            scene_pos = self.mapToScene(event.position().toPoint())
            self._press = (event.position(), self.box_at(scene_pos), False)
            event.accept()
            return
        super().mousePressEvent(event)

    def mouseMoveEvent(self, event) -> None:
        if self._press is not None and event.buttons() & Qt.LeftButton:
            origin, first, dragging = self._press
            if not dragging and (event.position() - origin).manhattanLength() < 4:
                return
            self._press = (origin, first, True)
            last = self.box_at(self.mapToScene(event.position().toPoint()))
            if first is not None and last is not None:
                start = min(first.start, last.start)
                end = max(first.end, last.end)
                self.select_range(start, end)
            event.accept()
            return
        super().mouseMoveEvent(event)

    def mouseReleaseEvent(self, event) -> None:
        if self._press is not None and event.button() == Qt.LeftButton:
            _, _, dragging = self._press
            self._press = None
            if not dragging:
                if self._selection:
                    self.select_range(0, 0)
                ref = self.ref_at(event.position().toPoint())
                if ref:
                    self.highlight_clicked.emit(ref)
            event.accept()
            return
        super().mouseReleaseEvent(event)

    def ref_at(self, view_pos) -> str | None:
        """The highlight under a viewport point, the narrowest one when several overlap."""
        found = []
        for item in self.items(view_pos):
            if isinstance(item, HighlightItem) and item.ref:
                found.append(item)
        if not found:
            return None
        return min(found, key=lambda i: sum(r.width() * r.height() for r in i.rects)).ref

    def view_point_for(self, start: int, end: int):
        """A viewport point inside a highlight's first rectangle (tests and tools)."""
        rect = self._first_rect(start, end)
        return None if rect is None else self.mapFromScene(rect.center())

    def viewportEvent(self, event) -> bool:
        if event.type() == event.Type.ToolTip:
            found = [item for item in self.items(event.pos()) if isinstance(item, HighlightItem) and item.tooltip]
            found.sort(key=lambda i: sum(r.width() * r.height() for r in i.rects))
            tips = list(dict.fromkeys(tooltip_text(item.tooltip) for item in found[:4]))
            if tips:
                QToolTip.showText(event.globalPos(), "<hr>".join(tips), self.viewport())
            else:
                QToolTip.hideText()
                event.ignore()
            return True
        return super().viewportEvent(event)

    def contextMenuEvent(self, event) -> None:
        self.context_menu_requested.emit(event.globalPos())


def _size(pixmap: QPixmap) -> int:
    return pixmap.width() * pixmap.height() * 4
