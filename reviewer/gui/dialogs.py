"""Small dialogs: mark a passage by hand, set an item's status, add a note,
read the audit trail."""
from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (QAbstractItemView, QComboBox, QDialog, QDialogButtonBox, QFormLayout, QHBoxLayout,
                               QLabel, QLineEdit, QPlainTextEdit, QTableWidget, QTableWidgetItem, QVBoxLayout)

from .style import STATUS_LABELS, clip, html_escape, local_time, status_icon


class MarkAsDialog(QDialog):
    """Assign a selected passage to a topic, and optionally one of its items."""

    def __init__(self, ruleset, quote: str, parent=None) -> None:
        super().__init__(parent)
        self.setWindowTitle("Mark passage as…")
        self.ruleset = ruleset
        layout = QVBoxLayout(self)
        label = QLabel(f"<i>“{html_escape(clip(quote, 400))}”</i>")
        label.setWordWrap(True)
        layout.addWidget(label)
        form = QFormLayout()
        self.topic = QComboBox()
        for topic in ruleset.topics:
            self.topic.addItem(topic.title_en, topic.id)
        self.item = QComboBox()
        self.item.setMinimumWidth(420)
        self.note = QLineEdit()
        self.note.setPlaceholderText("Optional: why this passage counts")
        form.addRow("Topic:", self.topic)
        form.addRow("Checklist item:", self.item)
        form.addRow("Note:", self.note)
        layout.addLayout(form)
        buttons = QDialogButtonBox(QDialogButtonBox.Ok | QDialogButtonBox.Cancel)
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        layout.addWidget(buttons)
        self.topic.currentIndexChanged.connect(self._fill_items)
        self._fill_items()

    def _fill_items(self) -> None:
        self.item.clear()
        self.item.addItem("(the topic as a whole)", None)
        topic = self.ruleset.topic(self.topic.currentData())
        for item in topic.items:
            self.item.addItem(f"{item.code}  {clip(item.question, 90)}", item.id)

    def choose(self, topic_id: str, item_id: str | None = None) -> None:
        self.topic.setCurrentIndex(self.topic.findData(topic_id))
        if item_id:
            self.item.setCurrentIndex(self.item.findData(item_id))

    def values(self) -> tuple[str, str | None, str]:
        return self.topic.currentData(), self.item.currentData(), self.note.text()


class OverrideDialog(QDialog):
    """Set an item's status. ``save(status, justification)`` returns an error
    message (the dialog stays open) or ``None``."""

    def __init__(self, item, status: str, save, parent=None) -> None:
        super().__init__(parent)
        self.setWindowTitle(f"Set status of {item.code}")
        self.save = save
        layout = QVBoxLayout(self)
        question = QLabel(f"<b>{html_escape(item.code)}</b> {html_escape(item.question)}")
        question.setWordWrap(True)
        layout.addWidget(question)
        form = QFormLayout()
        self.status = QComboBox()
        for key, label in STATUS_LABELS.items():
            self.status.addItem(status_icon(key), label, key)
        self.status.setCurrentIndex(list(STATUS_LABELS).index(status))
        self.justification = QPlainTextEdit()
        self.justification.setPlaceholderText("Required: why the status is changed")
        form.addRow("Status:", self.status)
        form.addRow("Justification:", self.justification)
        layout.addLayout(form)
        self.message = QLabel("")
        self.message.setStyleSheet("color: #b91c1c;")
        self.message.setWordWrap(True)
        self.message.hide()
        layout.addWidget(self.message)
        buttons = QDialogButtonBox(QDialogButtonBox.Save | QDialogButtonBox.Cancel)
        buttons.accepted.connect(self._save)
        buttons.rejected.connect(self.reject)
        layout.addWidget(buttons)
        self.resize(520, 300)

    def _save(self) -> None:
        error = self.save(self.status.currentData(), self.justification.toPlainText())
        if error:
            self.message.setText(error)
            self.message.show()
            self.justification.setFocus()
        else:
            self.accept()


class NoteDialog(QDialog):
    def __init__(self, target: str, parent=None) -> None:
        super().__init__(parent)
        self.setWindowTitle("Add note")
        layout = QVBoxLayout(self)
        label = QLabel(f"Note on {html_escape(target)}")
        label.setTextFormat(Qt.RichText)
        label.setWordWrap(True)
        layout.addWidget(label)
        self.text = QPlainTextEdit()
        layout.addWidget(self.text)
        buttons = QDialogButtonBox(QDialogButtonBox.Ok | QDialogButtonBox.Cancel)
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        layout.addWidget(buttons)
        self.resize(460, 240)


AUDIT_ACTIONS = {
    "create_project": "Project created", "upgrade_file": "Project file upgraded", "save_as": "Saved as",
    "set_reviewer": "Reviewer name set", "add_document": "Policy added", "remove_document": "Policy removed",
    "set_label": "Policy label set", "reanalyze": "Analysed again", "set_override": "Status overridden",
    "clear_override": "Override cleared", "decide_finding": "Passage decided",
    "add_manual_finding": "Passage marked by hand", "remove_manual_finding": "Hand-marked passage removed",
    "add_note": "Note added", "edit_note": "Note edited", "delete_note": "Note deleted",
}
AUDIT_COLUMNS = ("Time", "Author", "Action", "Policy", "Target", "Old → new")


def audit_value(value) -> str:
    """An old or new value of the audit trail as one line of text."""
    if value is None:
        return "—"
    if isinstance(value, dict):
        return "; ".join(f"{k}: {audit_value(v)}" for k, v in value.items() if v not in (None, ""))
    return " ".join(str(value).split())


def audit_target(target: str, items: dict) -> str:
    """Checklist items by their code, findings by rule and character span."""
    from reviewer.core.project import parse_finding_key

    kind, _, rest = target.partition(":")
    if kind in ("item", "finding") and rest:  # a note's target
        target = rest
    if target in items:
        return items[target].code
    if target.count("|") == 3:
        try:
            rule, _, start, end, _ = parse_finding_key(target)
        except ValueError:
            return target
        return f"{rule} (characters {start}–{end})"
    return target


class AuditDialog(QDialog):
    """The project's audit trail: every change, who made it and when, newest first."""

    def __init__(self, project, items: dict, parent=None) -> None:
        super().__init__(parent)
        self.setWindowTitle(f"Audit trail — {project.path.name}")
        self.project = project
        self.items = items
        self.names = {info.id: info.name for info in project.documents()}
        layout = QVBoxLayout(self)
        row = QHBoxLayout()
        row.addWidget(QLabel("Show:"))
        self.scope = QComboBox()
        self.scope.addItem("All changes to the project", None)
        for info_id, name in self.names.items():
            self.scope.addItem(f"Changes to {name}", info_id)
        row.addWidget(self.scope, 1)
        layout.addLayout(row)
        self.table = QTableWidget(0, len(AUDIT_COLUMNS))
        self.table.setHorizontalHeaderLabels(AUDIT_COLUMNS)
        self.table.setEditTriggers(QAbstractItemView.NoEditTriggers)
        self.table.setSelectionBehavior(QAbstractItemView.SelectRows)
        self.table.setWordWrap(False)
        self.table.verticalHeader().hide()
        self.table.verticalHeader().setDefaultSectionSize(self.fontMetrics().height() + 8)
        self.table.horizontalHeader().setStretchLastSection(True)
        layout.addWidget(self.table, 1)
        self.count = QLabel("")
        layout.addWidget(self.count)
        buttons = QDialogButtonBox(QDialogButtonBox.Close)
        buttons.rejected.connect(self.reject)
        layout.addWidget(buttons)
        self.scope.currentIndexChanged.connect(self.fill)
        self.fill()
        self.resize(1000, 520)

    def fill(self) -> None:
        entries = list(reversed(self.project.audit_trail(self.scope.currentData())))
        self.table.setRowCount(len(entries))
        for n, e in enumerate(entries):
            change = f"{audit_value(e.old)} → {audit_value(e.new)}"
            cells = (local_time(e.time, seconds=True), e.author, AUDIT_ACTIONS.get(e.action, e.action.replace("_", " ")),
                     self.names.get(e.doc_id, "" if e.doc_id is None else f"#{e.doc_id} (removed)"),
                     audit_target(e.target, self.items), change)
            for col, text in enumerate(cells):
                cell = QTableWidgetItem(clip(text, 300))
                cell.setToolTip(text if len(text) > 60 else "")
                self.table.setItem(n, col, cell)
        self.table.resizeColumnsToContents()
        for col in range(len(AUDIT_COLUMNS) - 1):
            self.table.setColumnWidth(col, min(self.table.columnWidth(col), 260))
        self.count.setText(f"{len(entries)} entries")
