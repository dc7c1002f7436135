"""Colours, icons, labels and fonts shared by the widgets."""
from __future__ import annotations

from functools import lru_cache

from PySide6.QtCore import QPointF, QRectF, Qt
from PySide6.QtGui import QColor, QFont, QIcon, QPainter, QPen, QPixmap

# Latin families first; CJK text falls back to the CJK families, in this order.
UI_FAMILIES = ["Segoe UI", "Noto Sans", "Liberation Sans", "DejaVu Sans", "Helvetica Neue", "Arial",
               "Noto Sans CJK SC", "Source Han Sans SC", "Microsoft YaHei", "PingFang SC",
               "WenQuanYi Micro Hei"]
READING_FAMILIES = ["Noto Sans", "Segoe UI", "Liberation Sans", "DejaVu Sans", "Arial",
                    "Noto Sans CJK SC", "Source Han Sans SC", "Microsoft YaHei", "PingFang SC",
                    "WenQuanYi Micro Hei"]

# 27 distinguishable hues, one per topic in ruleset order.
TOPIC_PALETTE = [
    "#e6194b", "#3cb44b", "#4363d8", "#f58231", "#911eb4", "#42d4f4", "#f032e6", "#bfef45",
    "#469990", "#9a6324", "#800000", "#808000", "#000075", "#e6a800", "#dcbeff", "#aaffc3",
    "#ff6f91", "#00a3a3", "#7b5ea7", "#c0392b", "#2e86c1", "#27ae60", "#d35400", "#8e44ad",
    "#16a085", "#b7950b", "#5d6d7e",
]
HIGHLIGHT_ALPHA = 80
REJECTED_COLOR = "#9e9e9e"
RED_FLAG_COLOR = "#d50000"
RED_FLAG_FILL = QColor(213, 0, 0, 56)  # the tint over a red-flag passage
RED_FLAG_TEXT = "#a00000"  # red-flag passages in the reading view
FLAG_BAR_X, FLAG_BAR_WIDTH = 8.0, 4.0  # the red bar in the left margin beside a red-flag passage
FIND_COLOR = "#ffeb3b"
FIND_CURRENT_COLOR = "#ff9800"
SELECTION_COLOR = "#2962ff"

STATUS_LABELS = {"met": "Met", "missing": "Missing", "needs_review": "Needs review",
                 "not_applicable": "Not applicable"}
STATUS_SHORT = {"met": "met", "missing": "missing", "needs_review": "review",
                "not_applicable": "n/a"}
STATUS_COLORS = {"met": "#2e7d32", "missing": "#c62828", "needs_review": "#ef8f00",
                 "not_applicable": "#8a8f98"}
SEVERITY_LABELS = {"law": "Law", "standard": "Standard", "best_practice": "Best practice"}
SEVERITY_BADGES = {"law": "LAW", "standard": "STD", "best_practice": "BP"}
SEVERITY_COLORS = {"law": "#b71c1c", "standard": "#1565c0", "best_practice": "#546e7a"}

FACT_GROUPS = [
    ("Processor", ("processor_name",)),
    ("Contacts", ("email", "phone", "address")),
    ("Dates", ("effective_date", "updated_date", "date")),
    ("Retention periods", ("retention_period",)),
    ("Deadlines", ("deadline",)),
    ("Third parties and SDKs", ("third_party",)),
    ("Sensitive PI mentioned", ("pi_category:sensitive",)),
    ("Other PI categories", ("pi_category",)),
]


def topic_colors(topic_ids) -> dict[str, QColor]:
    return {tid: QColor(TOPIC_PALETTE[i % len(TOPIC_PALETTE)]) for i, tid in enumerate(topic_ids)}


def translucent(color: QColor, alpha: int = HIGHLIGHT_ALPHA) -> QColor:
    c = QColor(color)
    c.setAlpha(alpha)
    return c


def ui_font(point_size: float | None = None) -> QFont:
    font = QFont()
    font.setFamilies(UI_FAMILIES)
    if point_size:
        font.setPointSizeF(point_size)
    return font


def reading_font(point_size: float = 11.0) -> QFont:
    font = QFont()
    font.setFamilies(READING_FAMILIES)
    font.setPointSizeF(point_size)
    return font


def _canvas(width: int, height: int, ratio: float = 2.0) -> QPixmap:
    pix = QPixmap(int(width * ratio), int(height * ratio))
    pix.setDevicePixelRatio(ratio)
    pix.fill(Qt.transparent)
    return pix


@lru_cache(maxsize=None)
def status_icon(status: str) -> QIcon:
    """A filled disc with a sign: ✓ met, ✕ missing, ? needs review, – not applicable."""
    pix = _canvas(16, 16)
    p = QPainter(pix)
    p.setRenderHint(QPainter.Antialiasing)
    p.setPen(Qt.NoPen)
    p.setBrush(QColor(STATUS_COLORS.get(status, "#888888")))
    p.drawEllipse(QRectF(1, 1, 14, 14))
    pen = QPen(QColor("white"), 2.0)
    pen.setCapStyle(Qt.RoundCap)
    p.setPen(pen)
    if status == "met":
        p.drawPolyline([QPointF(4.5, 8), QPointF(7, 10.5), QPointF(11.5, 5.5)])
    elif status == "missing":
        p.drawLine(5, 5, 11, 11)
        p.drawLine(11, 5, 5, 11)
    elif status == "needs_review":
        font = QFont(ui_font())
        font.setPixelSize(12)
        font.setBold(True)
        p.setFont(font)
        p.drawText(QRectF(0, 0, 16, 16), Qt.AlignCenter, "?")
    else:
        p.drawLine(5, 8, 11, 8)
    p.end()
    return QIcon(pix)


@lru_cache(maxsize=None)
def swatch_icon(color_name: str) -> QIcon:
    pix = _canvas(14, 14)
    p = QPainter(pix)
    p.setRenderHint(QPainter.Antialiasing)
    color = QColor(color_name)
    p.setPen(QPen(color.darker(130), 1))
    p.setBrush(translucent(color, 150))
    p.drawRoundedRect(QRectF(1.5, 1.5, 11, 11), 2.5, 2.5)
    p.end()
    return QIcon(pix)


def paint_icons() -> None:
    """Paint the topic, status and flag icons into their caches, so that the
    first review shown does not pay for it."""
    for color in TOPIC_PALETTE:
        swatch_icon(color)
    for status in STATUS_LABELS:
        status_icon(status)
    flag_icon()


@lru_cache(maxsize=None)
def flag_icon() -> QIcon:
    pix = _canvas(16, 16)
    p = QPainter(pix)
    p.setRenderHint(QPainter.Antialiasing)
    p.setPen(QPen(QColor("#5d4037"), 1.6))
    p.drawLine(4, 2, 4, 15)
    p.setPen(Qt.NoPen)
    p.setBrush(QColor(RED_FLAG_COLOR))
    p.drawPolygon([QPointF(4.5, 2), QPointF(14, 5), QPointF(4.5, 9)])
    p.end()
    return QIcon(pix)


def status_text(status: str) -> str:
    return STATUS_LABELS.get(status, status)


def summary_text(counts: dict[str, int]) -> str:
    """'3 met / 1 missing / 1 review' (statuses with a count only)."""
    parts = [f"{counts[s]} {STATUS_SHORT[s]}" for s in ("met", "missing", "needs_review", "not_applicable")
             if counts.get(s)]
    return " / ".join(parts)


def local_time(stamp: str, seconds: bool = False) -> str:
    """A stored UTC time stamp in local time."""
    from datetime import datetime

    try:
        return datetime.fromisoformat(stamp).astimezone().strftime("%Y-%m-%d %H:%M" + (":%S" if seconds else ""))
    except (TypeError, ValueError):
        return stamp or ""


def html_escape(text: str) -> str:
    return (text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
            .replace('"', "&quot;"))


def clip(text: str, limit: int = 160) -> str:
    text = " ".join(text.split())
    return text if len(text) <= limit else text[: limit - 1].rstrip() + "…"


def matched_words(finding) -> list[str]:
    """The distinct words that matched, in order, for tooltips and the detail pane."""
    return list(dict.fromkeys(m.text.strip() for m in finding.matched if m.text.strip()))
