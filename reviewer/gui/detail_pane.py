"""The detail pane: what is known about the selected item, passage, red flag
or fact, and the reviewer's actions on it (override, accept or reject, notes)."""
from __future__ import annotations

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QColor
from PySide6.QtWidgets import (QComboBox, QFrame, QGroupBox, QHBoxLayout, QLabel, QPlainTextEdit, QPushButton,
                               QScrollArea, QVBoxLayout, QWidget)

from .style import (SEVERITY_BADGES, SEVERITY_COLORS, SEVERITY_LABELS, STATUS_COLORS, STATUS_LABELS, clip,
                    html_escape, local_time, matched_words)

DECISION_LABELS = {"accepted": "Accepted", "rejected": "Rejected"}


def _label(html: str, selectable: bool = True) -> QLabel:
    label = QLabel(html)
    label.setWordWrap(True)
    label.setTextFormat(Qt.RichText)
    if selectable:
        label.setTextInteractionFlags(Qt.TextSelectableByMouse | Qt.LinksAccessibleByMouse)
    return label


def _badge(severity: str) -> str:
    return (f'<span style="background-color:{SEVERITY_COLORS.get(severity, "#666")}; color:white; '
            f'font-weight:bold;">&nbsp;{SEVERITY_BADGES.get(severity, severity)}&nbsp;</span>')


def _status(status: str) -> str:
    return (f'<span style="color:{STATUS_COLORS.get(status, "#333")}; font-weight:bold;">'
            f'{STATUS_LABELS.get(status, status)}</span>')


def _quote(text: str, limit: int = 1200) -> str:
    return (f'<table width="100%" cellpadding="6" style="background-color:#f3f4f6;"><tr><td>'
            f'{html_escape(clip(text, limit))}</td></tr></table>')


class DetailPane(QScrollArea):
    override_requested = Signal(str, str, str)  # item id, status, justification
    override_cleared = Signal(str)
    decision_requested = Signal(str, str)  # finding ref, "accepted" | "rejected" | "" (withdraw)
    note_requested = Signal(str, str, str)  # target kind, target id, text
    manual_removed = Signal(int)
    jump_requested = Signal(str)  # ref of a passage

    def __init__(self, parent=None) -> None:
        super().__init__(parent)
        self.setWidgetResizable(True)
        self.setFrameShape(QFrame.NoFrame)
        self.kind = ""
        self.key = ""
        self.show_message("Select a checklist item, a passage, a red flag or a fact.")

    def _reset(self, kind: str = "", key: str = "") -> QVBoxLayout:
        self.kind, self.key = kind, key
        self.status_combo = self.justification = self.save_override_button = None
        self.clear_override_button = self.override_message = None
        self.note_edit = self.add_note_button = self.note_message = None
        self.accept_button = self.reject_button = self.withdraw_button = self.remove_button = None
        body = self._body = QWidget()
        body.setObjectName("detail")
        layout = QVBoxLayout(body)
        layout.setContentsMargins(8, 8, 8, 8)
        layout.setSpacing(6)
        return layout

    def _done(self, layout: QVBoxLayout) -> None:
        """Put the finished page in place (the old one is deleted)."""
        layout.addStretch(1)
        self.setWidget(self._body)

    def show_message(self, text: str) -> None:
        layout = self._reset()
        label = _label(f'<span style="color:#6b7280">{html_escape(text)}</span>', selectable=False)
        layout.addWidget(label)
        self._done(layout)

    # -- a checklist item

    def show_item(self, st, item, topic, evidence: list[tuple[str, str]]) -> None:
        """``st`` is the ItemState, ``item`` the rulebook Item, ``evidence`` (ref, link text) pairs."""
        layout = self._reset("item", item.id)
        head = (f'<b style="font-size:large">{html_escape(item.code)}</b>&nbsp; {_badge(item.severity)}<br>'
                f'<b>{html_escape(item.question)}</b><br>'
                f'<span style="color:#4b5563">{html_escape(topic.title_en)} · {html_escape(topic.title_zh)}</span>')
        layout.addWidget(_label(head))
        facts = (f'<b>Severity:</b> {SEVERITY_LABELS.get(item.severity, item.severity)}'
                 f'{" (" + html_escape(item.severity_label) + ")" if item.severity_label else ""}<br>'
                 f'<b>Basis:</b> {html_escape(item.basis)}')
        if item.verify:
            facts += (f'<br><span style="color:#b45309"><b>⚠ verify</b> '
                      f'{html_escape(item.verify_note or "the article number could not be confirmed")}</span>')
        layout.addWidget(_label(facts))

        auto = QGroupBox("Automatic status")
        box = QVBoxLayout(auto)
        text = f"{_status(st.engine_status)} — {html_escape(st.verdict.reason)}"
        if st.engine_status == "missing" and item.looked_for and item.looked_for not in st.verdict.reason:
            text += f"<br><b>Looked for:</b> {html_escape(item.looked_for)}"
        box.addWidget(_label(text))
        layout.addWidget(auto)

        if evidence:
            ev = QGroupBox(f"Evidence ({len(evidence)})")
            box = QVBoxLayout(ev)
            links = "<br>".join(f'<a href="{html_escape(ref)}">{html_escape(text)}</a>' for ref, text in evidence)
            label = _label(links)
            label.linkActivated.connect(self.jump_requested)
            box.addWidget(label)
            layout.addWidget(ev)

        layout.addWidget(self._override_box(st))
        layout.addWidget(self._notes_box("item", item.id, st.notes))
        self._done(layout)

    def _override_box(self, st) -> QGroupBox:
        group = QGroupBox("Reviewer override")
        box = QVBoxLayout(group)
        if st.override:
            o = st.override
            box.addWidget(_label(f"Final status: {_status(o.status)} <i>(override)</i><br>"
                                 f"<b>Justification:</b> {html_escape(o.justification)}<br>"
                                 f'<span style="color:#6b7280">{html_escape(o.author)}, {local_time(o.time)}</span>'))
        else:
            box.addWidget(_label(f"Final status: {_status(st.status)} <i>(automatic)</i>"))
        row = QHBoxLayout()
        row.addWidget(QLabel("Set status:"))
        self.status_combo = QComboBox()
        for status, label in STATUS_LABELS.items():
            self.status_combo.addItem(label, status)
        self.status_combo.setCurrentIndex(list(STATUS_LABELS).index(st.status))
        row.addWidget(self.status_combo, 1)
        box.addLayout(row)
        self.justification = QPlainTextEdit()
        self.justification.setPlaceholderText("Justification (required): why the status is changed")
        self.justification.setFixedHeight(64)
        box.addWidget(self.justification)
        self.override_message = QLabel("")
        self.override_message.setWordWrap(True)
        self.override_message.setStyleSheet("color: #b91c1c;")
        self.override_message.hide()
        box.addWidget(self.override_message)
        buttons = QHBoxLayout()
        self.save_override_button = QPushButton("Save override")
        self.save_override_button.clicked.connect(
            lambda: self.override_requested.emit(self.key, self.status_combo.currentData(),
                                                 self.justification.toPlainText()))
        buttons.addWidget(self.save_override_button)
        if st.override:
            self.clear_override_button = QPushButton("Clear override")
            self.clear_override_button.clicked.connect(lambda: self.override_cleared.emit(self.key))
            buttons.addWidget(self.clear_override_button)
        buttons.addStretch(1)
        box.addLayout(buttons)
        return group

    def show_override_error(self, message: str) -> None:
        if self.override_message is not None:
            self.override_message.setText(message)
            self.override_message.show()
            self.justification.setFocus()

    def _notes_box(self, kind: str, target: str, notes) -> QGroupBox:
        group = QGroupBox(f"Notes ({len(notes)})" if notes else "Notes")
        box = QVBoxLayout(group)
        for note in notes:
            box.addWidget(_label(f"{html_escape(note.text).replace(chr(10), '<br>')}<br>"
                                 f'<span style="color:#6b7280">— {html_escape(note.author)}, '
                                 f'{local_time(note.time)}</span>'))
        self.note_edit = QPlainTextEdit()
        self.note_edit.setPlaceholderText("Add a note…")
        self.note_edit.setFixedHeight(56)
        box.addWidget(self.note_edit)
        self.note_message = QLabel("")
        self.note_message.setStyleSheet("color: #b91c1c;")
        self.note_message.hide()
        box.addWidget(self.note_message)
        row = QHBoxLayout()
        self.add_note_button = QPushButton("Add note")
        self.add_note_button.clicked.connect(
            lambda: self.note_requested.emit(kind, target, self.note_edit.toPlainText()))
        row.addWidget(self.add_note_button)
        row.addStretch(1)
        box.addLayout(row)
        return group

    def show_note_error(self, message: str) -> None:
        if self.note_message is not None:
            self.note_message.setText(message)
            self.note_message.show()

    # -- a passage found by the engine

    def show_finding(self, fs, ref: str, topic, items: list, color: QColor, where: str) -> None:
        f = fs.finding
        layout = self._reset("finding", ref)
        layout.addWidget(_label(
            f'<span style="background-color:{color.name()};">&nbsp;&nbsp;&nbsp;</span>&nbsp;'
            f'<b style="font-size:large">{html_escape(topic.title_en)}</b><br>'
            f'<span style="color:#4b5563">{html_escape(topic.title_zh)}</span>'))
        layout.addWidget(_label(_quote(f.text)))
        lines = []
        if where:
            lines.append(f"<b>Where:</b> {html_escape(where)}")
        if items:
            lines.append("<b>Checklist items:</b><br>" + "<br>".join(
                f"{_badge(i.severity)} {html_escape(i.code)} — {html_escape(clip(i.question, 140))}" for i in items))
        else:
            lines.append("<b>Checklist items:</b> none directly (context for the topic)")
        words = matched_words(f)
        lines.append(f"<b>Rule:</b> {html_escape(f.rule)}")
        if words:
            lines.append(f"<b>Matched words:</b> {html_escape(', '.join(words[:10]))}")
        if f.how:
            lines.append(f"<b>Found by:</b> {html_escape(f.how)}")
        lines.append(f"<b>Score:</b> {f.score:.2f}" + (" · <b>negated</b>" if f.negated else ""))
        if f.basis:
            lines.append(f"<b>Basis:</b> {html_escape(f.basis)}")
        layout.addWidget(_label("<br>".join(lines)))

        group = QGroupBox("Reviewer decision")
        box = QVBoxLayout(group)
        if fs.decision:
            d = fs.decision
            box.addWidget(_label(f"<b>{DECISION_LABELS[d.decision]}</b> by {html_escape(d.author)}, "
                                 f"{local_time(d.time)}"))
        else:
            box.addWidget(_label('<span style="color:#6b7280">Not yet accepted or rejected.</span>'))
        row = QHBoxLayout()
        self.accept_button = QPushButton("Accept")
        self.accept_button.setToolTip("Confirm that the passage supports its checklist items")
        self.accept_button.clicked.connect(lambda: self.decision_requested.emit(ref, "accepted"))
        self.reject_button = QPushButton("Reject")
        self.reject_button.setToolTip("The passage does not support its items: it is no longer evidence")
        self.reject_button.clicked.connect(lambda: self.decision_requested.emit(ref, "rejected"))
        row.addWidget(self.accept_button)
        row.addWidget(self.reject_button)
        if fs.decision:
            self.withdraw_button = QPushButton("Withdraw decision")
            self.withdraw_button.clicked.connect(lambda: self.decision_requested.emit(ref, ""))
            row.addWidget(self.withdraw_button)
            (self.accept_button if fs.decision.decision == "accepted" else self.reject_button).setEnabled(False)
        row.addStretch(1)
        box.addLayout(row)
        layout.addWidget(group)
        layout.addWidget(self._notes_box("finding", fs.key, fs.notes))
        self._done(layout)

    # -- a passage marked by hand

    def show_manual(self, m, topic, item, color: QColor, where: str) -> None:
        layout = self._reset("manual", str(m.id))
        layout.addWidget(_label(
            f'<span style="background-color:{color.name()};">&nbsp;&nbsp;&nbsp;</span>&nbsp;'
            f'<b style="font-size:large">Marked by hand: {html_escape(topic.title_en)}</b>'))
        layout.addWidget(_label(_quote(m.text)))
        lines = []
        if where:
            lines.append(f"<b>Where:</b> {html_escape(where)}")
        if item is not None:
            lines.append(f"<b>Item:</b> {_badge(item.severity)} {html_escape(item.code)} — "
                         f"{html_escape(item.question)}")
        else:
            lines.append("<b>Item:</b> the topic as a whole")
        if m.note:
            lines.append(f"<b>Note:</b> {html_escape(m.note)}")
        lines.append(f'<span style="color:#6b7280">{html_escape(m.author)}, {local_time(m.time)}</span>')
        layout.addWidget(_label("<br>".join(lines)))
        row = QHBoxLayout()
        self.remove_button = QPushButton("Remove this passage")
        self.remove_button.clicked.connect(lambda: self.manual_removed.emit(m.id))
        row.addWidget(self.remove_button)
        row.addStretch(1)
        layout.addLayout(row)
        self._done(layout)

    # -- topic, red flag, fact, document, orphan

    def show_topic(self, topic, states, items_by_id) -> None:
        layout = self._reset("topic", topic.id)
        rows = "".join(
            f'<tr><td>{_status(s.status)}</td><td>{html_escape(items_by_id[s.item].code)}</td>'
            f'<td>{html_escape(clip(items_by_id[s.item].question, 120))}</td></tr>' for s in states)
        layout.addWidget(_label(f'<b style="font-size:large">{html_escape(topic.title_en)}</b><br>'
                                f'<span style="color:#4b5563">{html_escape(topic.title_zh)}</span>'
                                f'<table cellpadding="3">{rows}</table>'))
        self._done(layout)

    def show_flag(self, flag, topic_title: str, where: str) -> None:
        layout = self._reset("flag", flag.id)
        layout.addWidget(_label(f'<b style="font-size:large; color:#b71c1c">⚑ Red flag</b><br>'
                                f'<b>{html_escape(flag.why)}</b>'))
        layout.addWidget(_label(_quote(flag.text)))
        lines = [f"<b>Matched:</b> {html_escape(flag.matched)}", f"<b>Topic:</b> {html_escape(topic_title)}",
                 f"<b>Basis:</b> {html_escape(flag.basis)}"]
        if where:
            lines.insert(0, f"<b>Where:</b> {html_escape(where)}")
        if flag.items:
            lines.append(f"<b>Items:</b> {html_escape(', '.join(i.split('#')[-1] for i in flag.items))}")
        layout.addWidget(_label("<br>".join(lines)))
        self._done(layout)

    def show_fact(self, fact, label: str, context: str, where: str) -> None:
        layout = self._reset("fact", f"{fact.kind}:{fact.start}")
        lines = [f'<b style="font-size:large">{html_escape(label)}</b>', f"{html_escape(fact.value)}"]
        detail = {k: v for k, v in fact.detail.items() if k not in ("names",)}
        if detail:
            lines.append('<span style="color:#4b5563">' + html_escape(
                ", ".join(f"{k.replace('_', ' ')}: {v}" for k, v in detail.items())) + "</span>")
        if where:
            lines.append(f"<b>Where:</b> {html_escape(where)}")
        layout.addWidget(_label("<br>".join(lines)))
        if context:
            layout.addWidget(_label(_quote(context)))
        self._done(layout)

    def show_document(self, info, state, warnings) -> None:
        layout = self._reset("document", str(info.id))
        lines = [f'<b style="font-size:large">{html_escape(info.name)}</b>',
                 f"<b>File:</b> {html_escape(info.file_name)} ({info.format.upper()}, {info.lang}"
                 + (f", {info.pages} pages" if info.pages else "") + ")",
                 f"<b>SHA-256:</b> <span style='font-family:monospace'>{info.sha256}</span>",
                 f"<b>Added:</b> {local_time(info.added)}"]
        if info.ruleset_version:
            lines.append(f"<b>Ruleset:</b> {html_escape(info.ruleset_version)}")
        for w in warnings:
            lines.append(f'<span style="color:#b45309">⚠ {html_escape(w)}</span>')
        if state.orphans:
            lines.append(f"<b>Orphaned decisions:</b> {len(state.orphans)} (see the end of the checklist)")
        layout.addWidget(_label("<br>".join(lines)))
        layout.addWidget(self._notes_box("document", "", state.notes))
        self._done(layout)

    def show_orphan(self, orphan) -> None:
        layout = self._reset("orphan", "")
        record = orphan.record
        text = getattr(record, "text", "") or getattr(record, "justification", "")
        lines = [f'<b style="font-size:large">Orphaned {html_escape(orphan.kind.replace("_", " "))}</b>',
                 html_escape(orphan.reason)]
        for attr in ("item", "status", "decision", "topic", "author", "time"):
            value = getattr(record, attr, None)
            if value:
                shown = local_time(value) if attr == "time" else str(value)
                lines.append(f"<b>{attr.title()}:</b> {html_escape(shown)}")
        layout.addWidget(_label("<br>".join(lines)))
        if text:
            layout.addWidget(_label(_quote(text)))
        self._done(layout)
