"""Small dialogs: mark a passage by hand, set an item's status, add a note."""
from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (QComboBox, QDialog, QDialogButtonBox, QFormLayout, QLabel, QLineEdit,
                               QPlainTextEdit, QVBoxLayout)

from .style import STATUS_LABELS, clip, html_escape, status_icon


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
