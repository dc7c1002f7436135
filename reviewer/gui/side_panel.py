"""The side panel: the checklist tree of the 27 PIPL topics, the red flags and
the facts, with filters. Selecting a row emits ``selected(kind, key)``."""
from __future__ import annotations

import time
from collections import Counter

from PySide6.QtCore import QRectF, QSize, Qt, Signal
from PySide6.QtGui import QBrush, QColor, QFont, QPainter
from PySide6.QtWidgets import (QAbstractItemView, QCheckBox, QComboBox, QHBoxLayout, QHeaderView, QLabel,
                               QListWidget, QListWidgetItem, QStyledItemDelegate, QTabWidget, QTreeWidget,
                               QTreeWidgetItem, QVBoxLayout, QWidget)

from .style import (FACT_GROUPS, SEVERITY_BADGES, SEVERITY_COLORS, SEVERITY_LABELS, STATUS_LABELS, clip,
                    flag_icon, status_icon, summary_text, swatch_icon)

KEY = Qt.UserRole
SEVERITY = Qt.UserRole + 1

FACT_LABELS = {"processor_name": "Processor", "email": "Email", "phone": "Phone", "address": "Address",
               "effective_date": "Effective date", "updated_date": "Last updated", "date": "Date",
               "retention_period": "Retention period", "deadline": "Deadline",
               "third_party": "Third party / SDK", "pi_category": "PI category"}


class BadgeDelegate(QStyledItemDelegate):
    """Paints the severity as a small coloured badge (LAW / STD / BP)."""

    def paint(self, painter: QPainter, option, index) -> None:
        severity = index.data(SEVERITY)
        if not severity:
            super().paint(painter, option, index)
            return
        self.initStyleOption(option, index)
        option.text = ""
        option.widget.style().drawControl(option.widget.style().ControlElement.CE_ItemViewItem,
                                          option, painter, option.widget)
        text = SEVERITY_BADGES.get(severity, severity)
        painter.save()
        painter.setRenderHint(QPainter.Antialiasing)
        font = QFont(option.font)
        font.setPointSizeF(max(option.font.pointSizeF() * 0.78, 6.5))
        font.setBold(True)
        painter.setFont(font)
        width = painter.fontMetrics().horizontalAdvance(text) + 10
        height = painter.fontMetrics().height() + 2
        r = option.rect
        box = QRectF(r.left() + 3, r.center().y() - height / 2 + 0.5, width, height)
        painter.setPen(Qt.NoPen)
        painter.setBrush(QColor(SEVERITY_COLORS.get(severity, "#666666")))
        painter.drawRoundedRect(box, 3, 3)
        painter.setPen(QColor("white"))
        painter.drawText(box, Qt.AlignCenter, text)
        painter.restore()

    def sizeHint(self, option, index) -> QSize:
        size = super().sizeHint(option, index)
        return QSize(max(size.width(), 44), size.height())


class SidePanel(QWidget):
    selected = Signal(str, str)  # kind (topic | item | finding | flag | fact | orphan), key

    def __init__(self, parent=None) -> None:
        super().__init__(parent)
        self.state = None
        self.ruleset = None
        self.topic_filter: set[str] | None = None
        self._ref_items: dict[str, QTreeWidgetItem] = {}
        self._item_rows: dict[str, QTreeWidgetItem] = {}
        self._other_rows: dict[str, QTreeWidgetItem] = {}
        self._children: dict[tuple, list] = {}
        self._placed: dict[str, tuple] = {}
        self._colors: dict[str, QColor] = {}
        self._flag_rows: dict[str, QListWidgetItem] = {}
        self._fact_cycle: dict[str, int] = {}
        self._selected_at = 0.0

        self.status_filter = QComboBox()
        self.status_filter.addItem("All statuses", "")
        for status, label in STATUS_LABELS.items():
            self.status_filter.addItem(status_icon(status), label, status)
        self.severity_filter = QComboBox()
        self.severity_filter.addItem("All severities", "")
        for severity, label in SEVERITY_LABELS.items():
            self.severity_filter.addItem(label, severity)
        self.only_law = QCheckBox("Only law")
        self.only_law.setToolTip("Show only items whose severity is law")
        for w in (self.status_filter, self.severity_filter):
            w.currentIndexChanged.connect(self.apply_filters)
        self.only_law.toggled.connect(self._only_law_toggled)

        self.tree = QTreeWidget()
        self.tree.setColumnCount(3)
        self.tree.setHeaderLabels(["Checklist", "Severity", "Basis"])
        self.tree.setUniformRowHeights(True)
        self.tree.setAlternatingRowColors(False)
        self.tree.setSelectionMode(QAbstractItemView.SingleSelection)
        self.tree.setItemDelegateForColumn(1, BadgeDelegate(self.tree))
        header = self.tree.header()
        header.setStretchLastSection(False)
        header.setSectionResizeMode(0, QHeaderView.Stretch)
        header.setSectionResizeMode(1, QHeaderView.Fixed)
        header.setSectionResizeMode(2, QHeaderView.Interactive)
        header.resizeSection(1, 58)
        header.resizeSection(2, 185)
        self.tree.currentItemChanged.connect(self._tree_current_changed)
        self.tree.itemClicked.connect(self._tree_clicked)
        self.tree.itemExpanded.connect(self._populate)

        self.flags = QListWidget()
        self.flags.setWordWrap(True)
        self.flags.setSpacing(2)
        self.flags.currentItemChanged.connect(self._flag_changed)
        self.flags.itemClicked.connect(self._flag_clicked)

        self.facts = QTreeWidget()
        self.facts.setHeaderLabels(["Fact", "Found"])
        self.facts.header().setSectionResizeMode(0, QHeaderView.Stretch)
        self.facts.header().setStretchLastSection(False)
        self.facts.header().resizeSection(1, 56)
        self.facts.itemClicked.connect(self._fact_clicked)

        self.tabs = QTabWidget()
        self.tabs.setDocumentMode(True)
        self.tabs.addTab(self.tree, "Checklist")
        self.tabs.addTab(self.flags, "Red flags")
        self.tabs.addTab(self.facts, "Facts")

        self.summary = QLabel()
        self.summary.setWordWrap(True)
        self.summary.setStyleSheet("color: #3c4450; padding: 2px 2px;")

        filters = QHBoxLayout()
        filters.setContentsMargins(0, 0, 0, 0)
        filters.addWidget(self.status_filter, 1)
        filters.addWidget(self.severity_filter, 1)
        filters.addWidget(self.only_law)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(4, 4, 4, 0)
        layout.setSpacing(4)
        layout.addWidget(self.summary)
        layout.addLayout(filters)
        layout.addWidget(self.tabs, 1)

    # -- content

    def clear(self) -> None:
        self.state = None
        self.tree.clear()
        self.flags.clear()
        self.facts.clear()
        self._ref_items, self._item_rows, self._flag_rows = {}, {}, {}
        self._other_rows, self._children, self._placed = {}, {}, {}
        self.summary.setText("")
        self.tabs.setTabText(1, "Red flags")

    def set_state(self, state, ruleset, colors: dict[str, QColor]) -> None:
        """Fill the panels from a review state, keeping the expanded topics and the selection."""
        expanded = {self.tree.topLevelItem(i).data(0, KEY) for i in range(self.tree.topLevelItemCount())
                    if self.tree.topLevelItem(i).isExpanded()}
        current = self.current_key()
        same_document = self.state is not None and self.state.document.id == state.document.id
        self.state = state
        self.ruleset = ruleset
        self.tree.blockSignals(True)
        self.tree.clear()
        self._ref_items, self._item_rows, self._other_rows = {}, {}, {}
        self._children, self._placed, self._colors = {}, {}, colors
        by_item = {i.item: i for i in state.items}
        by_topic: dict[str, list] = {}
        for fs in state.findings:
            by_topic.setdefault(fs.finding.topic, []).append(
                (f"finding:{fs.finding.id}", fs.finding.text, fs.status == "rejected", False))
        for m in state.manual_findings:
            by_topic.setdefault(m.topic, []).append((f"manual:{m.id}", m.text, False, True))
        for topic in ruleset.topics:
            states = [by_item[i.id] for i in topic.items if i.id in by_item]
            counts = Counter(s.status for s in states)
            top = QTreeWidgetItem([topic.title_en, "", summary_text(counts)])
            top.setData(0, KEY, ("topic", topic.id))
            top.setIcon(0, swatch_icon(colors[topic.id].name()))
            top.setToolTip(0, f"{topic.title_en}\n{topic.title_zh}")
            top.setToolTip(2, summary_text(counts))
            font = top.font(0)
            font.setBold(True)
            top.setFont(0, font)
            self.tree.addTopLevelItem(top)
            for item_def in topic.items:
                st = by_item.get(item_def.id)
                if st is None:
                    continue
                mark = "✎ " if st.override else ""
                basis = item_def.basis + ("  ⚠ verify" if item_def.verify else "")
                row = QTreeWidgetItem([f"{mark}{item_def.code}  {item_def.question}", "", basis])
                row.setData(0, KEY, ("item", item_def.id))
                row.setData(1, SEVERITY, item_def.severity)
                row.setIcon(0, status_icon(st.status))
                tip = f"{item_def.code}: {item_def.question}\n\nStatus: {STATUS_LABELS[st.status]}"
                if st.override:
                    tip += (f" (reviewer override; automatic: {STATUS_LABELS[st.engine_status]})"
                            f"\nJustification: {st.override.justification}")
                else:
                    tip += f"\n{st.verdict.reason}"
                row.setToolTip(0, tip)
                row.setToolTip(1, f"{SEVERITY_LABELS[item_def.severity]}: {item_def.severity_label}")
                row.setToolTip(2, basis + (f"\n⚠ {item_def.verify_note}" if item_def.verify_note else ""))
                top.addChild(row)
                self._item_rows[item_def.id] = row
                children = [(f"finding:{fs.finding.id}", fs.finding.text, fs.status == "rejected", False)
                            for fs in st.findings]
                children += [(f"manual:{m.id}", m.text, False, True) for m in st.manual]
                self._add_children(row, ("item", item_def.id), children)
            loose = [c for c in by_topic.get(topic.id, []) if c[0] not in self._placed]
            if loose:
                other = QTreeWidgetItem([f"Other passages on this topic ({len(loose)})", "", ""])
                other.setData(0, KEY, ("other", topic.id))
                other.setToolTip(0, "Passages the engine found on this topic that support no checklist "
                                    "item directly, and passages marked for the topic by hand.")
                top.addChild(other)
                self._other_rows[topic.id] = other
                self._add_children(other, ("other", topic.id), loose)
        if state.orphans:
            top = QTreeWidgetItem([f"Orphaned decisions ({len(state.orphans)})", "", "no longer matched"])
            top.setData(0, KEY, ("orphan", "-1"))
            top.setToolTip(0, "Reviewer decisions and notes whose item or passage is not in the current "
                              "analysis. They are kept, never dropped.")
            self.tree.addTopLevelItem(top)
            for n, orphan in enumerate(state.orphans):
                row = QTreeWidgetItem([f"{orphan.kind.replace('_', ' ')}: {orphan.reason}", "", ""])
                row.setData(0, KEY, ("orphan", str(n)))
                top.addChild(row)
        for i in range(self.tree.topLevelItemCount()):
            top = self.tree.topLevelItem(i)
            top.setExpanded(same_document and top.data(0, KEY) in expanded)
        self.tree.blockSignals(False)
        self._fill_flags(state, ruleset)
        self._fill_facts(state)
        counts = state.counts()
        law_missing = sum(1 for i in state.items if i.status == "missing" and i.severity == "law")
        self.summary.setText(
            f"<b>{len(state.items)} items:</b> {summary_text(counts)} · "
            f"<span style='color:#b71c1c'>{law_missing} law items missing</span> · "
            f"{len(state.findings) + len(state.manual_findings)} passages · "
            f"{len(state.analysis.red_flags)} red flags")
        self.apply_filters()
        if current and same_document:
            self.select(*current, emit=False)

    def _add_children(self, row: QTreeWidgetItem, key: tuple, children: list) -> None:
        """Evidence rows are made when their parent is first expanded."""
        if not children:
            return
        self._children[key] = children
        for ref, *_ in children:
            self._placed.setdefault(ref, key)
        row.setChildIndicatorPolicy(QTreeWidgetItem.ShowIndicator)

    def _populate(self, row: QTreeWidgetItem) -> None:
        key = row.data(0, KEY)
        children = self._children.pop(key, None)
        if not children:
            return
        grey = QBrush(QColor("#8a8f98"))
        for ref, text, rejected, manual in children:
            topic = self._topic_of(ref)
            ev = self._evidence_row(ref, text, self._colors.get(topic, QColor("gray")), rejected, grey, manual)
            row.addChild(ev)
            self._ref_items.setdefault(ref, ev)

    def _topic_of(self, ref: str) -> str:
        kind, _, key = ref.partition(":")
        if kind == "finding":
            return self._finding_topics().get(key, "")
        return next((m.topic for m in self.state.manual_findings if str(m.id) == key), "")

    def _finding_topics(self) -> dict[str, str]:
        if getattr(self, "_topics_cache", (None,))[0] is not self.state:
            self._topics_cache = (self.state, {fs.finding.id: fs.finding.topic for fs in self.state.findings})
        return self._topics_cache[1]

    def _evidence_row(self, ref, text, color, rejected, grey, manual=False) -> QTreeWidgetItem:
        prefix = "✎ " if manual else ""
        row = QTreeWidgetItem([f"{prefix}“{clip(text, 140)}”", "", "rejected" if rejected else
                               ("marked by hand" if manual else "")])
        row.setData(0, KEY, ("finding", ref))
        row.setIcon(0, swatch_icon(color.name()))
        row.setToolTip(0, clip(text, 600))
        if rejected:
            row.setForeground(0, grey)
            font = row.font(0)
            font.setStrikeOut(True)
            row.setFont(0, font)
        return row

    def _fill_flags(self, state, ruleset) -> None:
        self.flags.blockSignals(True)
        self.flags.clear()
        self._flag_rows = {}
        for flag in state.analysis.red_flags:
            try:
                topic = ruleset.topic(flag.topic).title_en
            except StopIteration:
                topic = flag.topic
            row = QListWidgetItem(flag_icon(), f"{flag.why}\n“{clip(flag.text, 160)}”\n{topic} · {flag.basis}")
            row.setData(KEY, ("flag", flag.id))
            row.setToolTip(f"Matched: {flag.matched}")
            self.flags.addItem(row)
            self._flag_rows[flag.id] = row
        if not state.analysis.red_flags:
            row = QListWidgetItem("No red flags found in this policy.")
            row.setFlags(Qt.NoItemFlags)
            self.flags.addItem(row)
        self.flags.blockSignals(False)
        self.tabs.setTabText(1, f"Red flags ({len(state.analysis.red_flags)})")

    def _fill_facts(self, state) -> None:
        self.facts.clear()
        self._fact_cycle = {}
        facts = list(state.analysis.facts)
        used: set[int] = set()
        for title, kinds in FACT_GROUPS:
            rows: dict[tuple[str, str], list[int]] = {}
            for n, fact in enumerate(facts):
                if n in used:
                    continue
                for kind in kinds:
                    name, _, flag = kind.partition(":")
                    if fact.kind == name and (not flag or fact.detail.get(flag)):
                        rows.setdefault((fact.kind, " ".join(fact.value.split())), []).append(n)
                        used.add(n)
                        break
            group = QTreeWidgetItem([title, str(sum(len(v) for v in rows.values())) if rows else ""])
            font = group.font(0)
            font.setBold(True)
            group.setFont(0, font)
            self.facts.addTopLevelItem(group)
            if not rows:
                none = QTreeWidgetItem(["none found", ""])
                none.setForeground(0, QBrush(QColor("#8a8f98")))
                group.addChild(none)
            for (kind, value), indices in rows.items():
                label = clip(value, 90)
                detail = facts[indices[0]].detail
                extra = []
                if detail.get("placeholder"):
                    extra.append("placeholder")
                if "days" in detail:
                    extra.append(f"{detail['days']} {'working ' if detail.get('working') else ''}days")
                if len(kinds) > 1 or kind in ("date",):
                    label = f"{FACT_LABELS.get(kind, kind)}: {label}"
                if extra:
                    label += f"  ({', '.join(extra)})"
                row = QTreeWidgetItem([label, f"{len(indices)}×"])
                row.setData(0, KEY, ("fact", ",".join(map(str, indices))))
                row.setToolTip(0, value)
                group.addChild(row)
            group.setExpanded(True)

    # -- filters

    def _only_law_toggled(self, on: bool) -> None:
        self.severity_filter.setEnabled(not on)
        self.apply_filters()

    def set_topic_filter(self, topics: set[str] | None) -> None:
        self.topic_filter = topics
        self.apply_filters()

    def apply_filters(self) -> None:
        status = self.status_filter.currentData()
        severity = "law" if self.only_law.isChecked() else self.severity_filter.currentData()
        by_item = {i.item: i for i in self.state.items} if self.state else {}
        filtering = bool(status or severity)
        for i in range(self.tree.topLevelItemCount()):
            top = self.tree.topLevelItem(i)
            kind, key = top.data(0, KEY)
            visible_children = 0
            for j in range(top.childCount()):
                row = top.child(j)
                row_kind, row_key = row.data(0, KEY)
                if row_kind == "item":
                    st = by_item.get(row_key)
                    show = st is not None and (not status or st.status == status) and \
                        (not severity or st.severity == severity)
                else:
                    show = not filtering
                row.setHidden(not show)
                visible_children += show
            in_topics = kind != "topic" or self.topic_filter is None or key in self.topic_filter
            top.setHidden(not in_topics or (filtering and visible_children == 0))
            if filtering and visible_children and not top.isHidden():
                top.setExpanded(True)

    def clear_filters(self) -> None:
        for w in (self.status_filter, self.severity_filter, self.only_law):
            w.blockSignals(True)
        self.status_filter.setCurrentIndex(0)
        self.severity_filter.setCurrentIndex(0)
        self.only_law.setChecked(False)
        self.severity_filter.setEnabled(True)
        for w in (self.status_filter, self.severity_filter, self.only_law):
            w.blockSignals(False)
        self.apply_filters()

    # -- selection

    def current_key(self) -> tuple[str, str] | None:
        if self.tabs.currentWidget() is self.flags and self.flags.currentItem() is not None:
            return self.flags.currentItem().data(KEY)
        row = self.tree.currentItem()
        return row.data(0, KEY) if row is not None else None

    def row_for(self, kind: str, key: str) -> QTreeWidgetItem | None:
        if kind == "item":
            return self._item_rows.get(key)
        if kind == "finding":
            if key not in self._ref_items and key in self._placed:
                parent_kind, parent_key = self._placed[key]
                parent = (self._item_rows if parent_kind == "item" else self._other_rows).get(parent_key)
                if parent is not None:
                    self._populate(parent)
            return self._ref_items.get(key)
        if kind == "topic":
            for i in range(self.tree.topLevelItemCount()):
                if self.tree.topLevelItem(i).data(0, KEY) == ("topic", key):
                    return self.tree.topLevelItem(i)
        return None

    def select(self, kind: str, key: str, emit: bool = True) -> bool:
        if kind == "flag":
            row = self._flag_rows.get(key)
            if row is None:
                return False
            self.tabs.setCurrentWidget(self.flags)
            self.flags.blockSignals(not emit)
            self.flags.setCurrentItem(row)
            self.flags.blockSignals(False)
            return True
        row = self.row_for(kind, key)
        if row is None:
            return False
        if self._hidden(row):
            self.clear_filters()
            if self._hidden(row):
                self.set_topic_filter(None)
        parent = row.parent()
        while parent is not None:
            parent.setExpanded(True)
            parent = parent.parent()
        self.tabs.setCurrentWidget(self.tree)
        self.tree.blockSignals(not emit)
        self.tree.setCurrentItem(row)
        self.tree.blockSignals(False)
        self.tree.scrollToItem(row, QAbstractItemView.PositionAtCenter)
        return True

    def _hidden(self, row: QTreeWidgetItem) -> bool:
        while row is not None:
            if row.isHidden():
                return True
            row = row.parent()
        return False

    def visible_item_ids(self) -> list[str]:
        """Checklist items shown under the current filters, in tree order."""
        out = []
        for i in range(self.tree.topLevelItemCount()):
            top = self.tree.topLevelItem(i)
            if top.isHidden():
                continue
            for j in range(top.childCount()):
                row = top.child(j)
                kind, key = row.data(0, KEY)
                if kind == "item" and not row.isHidden():
                    out.append(key)
        return out

    # A click on the row that is already current selects it again (to jump and
    # flash once more); the click that makes a row current is not counted twice.

    def _tree_current_changed(self, current, previous) -> None:
        if current is None:
            return
        self._selected_at = time.monotonic()
        kind, key = current.data(0, KEY)
        self.selected.emit(kind, key)

    def _tree_clicked(self, row, column) -> None:
        if time.monotonic() - self._selected_at > 0.4:
            kind, key = row.data(0, KEY)
            self.selected.emit(kind, key)

    def _flag_changed(self, current, previous) -> None:
        if current is not None and current.data(KEY):
            self._selected_at = time.monotonic()
            self.selected.emit(*current.data(KEY))

    def _flag_clicked(self, row) -> None:
        if row.data(KEY) and time.monotonic() - self._selected_at > 0.4:
            self.selected.emit(*row.data(KEY))

    def _fact_clicked(self, row, column) -> None:
        data = row.data(0, KEY)
        if not data:
            return
        indices = [int(i) for i in data[1].split(",")]
        n = self._fact_cycle.get(data[1], -1) + 1
        self._fact_cycle[data[1]] = n
        self.selected.emit("fact", str(indices[n % len(indices)]))
