"""The main window: menus, toolbar, the document pane, the side panel and the
detail pane. Every reviewer action goes straight to the project file through
``reviewer.core.project``; loading and analysis run on worker threads."""
from __future__ import annotations

import sqlite3
from pathlib import Path

from PySide6.QtCore import QEvent, QObject, QSettings, Qt, QThreadPool, QTimer, Signal
from PySide6.QtGui import QAction, QActionGroup, QColor, QKeySequence
from PySide6.QtWidgets import (QApplication, QComboBox, QDialog, QFileDialog, QInputDialog, QLabel, QMainWindow,
                               QMessageBox, QProgressBar, QPushButton, QSplitter, QStyle, QToolBar)

from . import qtcompat  # noqa: F401 - must come before the widgets are used
from .detail_pane import DetailPane
from .dialogs import AuditDialog, MarkAsDialog, NoteDialog, OverrideDialog
from .document_view import DocumentPane, Highlight, legend_html
from .side_panel import FACT_LABELS, SidePanel
from .style import RED_FLAG_COLOR, STATUS_LABELS, clip, html_escape, matched_words, paint_icons, topic_colors
from .workers import (ENGINE, PROJECT_SUFFIX, MemoTask, NewProjectTask, Opened, OpenPolicyTask, OpenProjectTask,
                      ShowDocumentTask, WarmUpTask)

APP_NAME = "PIPL Policy Reviewer"
ORG_NAME = "PIPL Reviewer"
POLICY_SUFFIXES = (".pdf", ".docx", ".txt", ".text", ".md", ".html", ".htm", ".xhtml")
POLICY_FILTER = "Privacy policies (*.pdf *.docx *.txt *.text *.md *.html *.htm *.xhtml)"
PROJECT_FILTER = "PIPL Reviewer projects (*.piplrev)"
MAX_RECENT = 10
WARM_UP_DELAY_MS = 250  # the analysis process starts once the window is drawn, not competing with it
GREY = QColor("#9e9e9e")


def default_untitled_dir() -> Path:
    import platformdirs

    return Path(platformdirs.user_data_dir(APP_NAME, appauthor=False)) / "Untitled projects"


def openable(path: str) -> bool:
    return Path(path).suffix.lower() in POLICY_SUFFIXES + (PROJECT_SUFFIX,)


class ReviewerApp(QApplication):
    """The application object. On macOS a policy or project opened from the
    Finder arrives as a QFileOpenEvent sent to it; overriding ``event`` sees
    only the application's own events, where an application-wide event filter
    would run Python code for every event of every widget."""

    file_open_requested = Signal(str)

    def event(self, event) -> bool:
        if event.type() == QEvent.FileOpen:
            path = event.file() or event.url().toLocalFile()
            if path:
                self.file_open_requested.emit(path)
                return True
        return super().event(event)


class MainWindow(QMainWindow):
    review_ready = Signal()  # a policy and its review are on screen
    task_ended = Signal(str)  # finished | failed | cancelled

    def __init__(self, settings: QSettings | None = None, untitled_dir=None, remember: bool = True) -> None:
        super().__init__()
        self.settings = settings if settings is not None else QSettings()
        self.remember = remember
        self.untitled_dir = Path(untitled_dir) if untitled_dir else default_untitled_dir()
        self.project = None
        self.doc_id: int | None = None
        self.policy = None  # reviewer.core.document.Document on screen
        self.state = None  # reviewer.core.project.ReviewState
        self.ruleset = None
        self.items_by_id: dict = {}
        self.pdf_data: bytes | None = None
        self.page_sizes = ()
        self.page_ranges = ()
        self.colors: dict[str, QColor] = {}
        self.topic_filter: set[str] | None = None
        self.position: tuple[int, int, str] | None = None  # the passage last selected
        self.selection_key: tuple[str, str] | None = None
        self.task = None
        self._tasks: set = set()
        self._previous = None
        self._warm_task = None
        self.pool = QThreadPool(self)
        self.pool.setMaxThreadCount(4)
        self.setWindowTitle(APP_NAME)
        self.setAcceptDrops(True)
        self._build_widgets()
        self._build_actions()
        self._build_menus()
        self._build_toolbar()
        self._restore_settings()
        self._update_actions()
        app = QApplication.instance()
        self._file_opens = None
        if isinstance(app, ReviewerApp):  # an unsupported file gets the usual message
            self._file_opens = app.file_open_requested.connect(self.open_path)

    # ------------------------------------------------------------ building

    def _build_widgets(self) -> None:
        self.doc_pane = DocumentPane()
        self.doc_pane.highlight_clicked.connect(self._on_highlight_clicked)
        self.doc_pane.mark_requested.connect(self.mark_selection)
        self.doc_pane.selection_changed.connect(self._update_actions)
        self.doc_pane.pdf_view.setAcceptDrops(False)
        self.doc_pane.text_view.setAcceptDrops(False)
        self.side = SidePanel()
        self.side.selected.connect(self._on_selected)
        self.detail = DetailPane()
        self.detail.override_requested.connect(self._detail_override)
        self.detail.override_cleared.connect(self.clear_override)
        self.detail.decision_requested.connect(self.decide)
        self.detail.note_requested.connect(self._detail_note)
        self.detail.manual_removed.connect(self.remove_manual_finding)
        self.detail.jump_requested.connect(lambda ref: self.side.select("finding", ref) or self._on_selected(
            "finding", ref))
        self.side_split = QSplitter(Qt.Vertical)
        self.side_split.addWidget(self.side)
        self.side_split.addWidget(self.detail)
        self.side_split.setStretchFactor(0, 3)
        self.side_split.setStretchFactor(1, 2)
        self.split = QSplitter(Qt.Horizontal)
        self.split.addWidget(self.doc_pane)
        self.split.addWidget(self.side_split)
        self.split.setStretchFactor(0, 3)
        self.split.setStretchFactor(1, 2)
        self.split.setChildrenCollapsible(False)
        self.setCentralWidget(self.split)

        self.progress_label = QLabel("")
        self.progress = QProgressBar()
        self.progress.setMaximumWidth(220)
        self.progress.setTextVisible(True)
        self.cancel_button = QPushButton("Cancel")
        self.cancel_button.clicked.connect(self.cancel_task)
        bar = self.statusBar()
        bar.addPermanentWidget(self.progress_label)
        bar.addPermanentWidget(self.progress)
        bar.addPermanentWidget(self.cancel_button)
        for w in (self.progress_label, self.progress, self.cancel_button):
            w.hide()

    def _action(self, text: str, slot, shortcut=None, tip: str = "", icon=None) -> QAction:
        action = QAction(text, self)
        if shortcut:
            action.setShortcut(QKeySequence(shortcut))
        if tip:
            action.setStatusTip(tip)
            action.setToolTip(tip)
        if icon is not None:
            action.setIcon(self.style().standardIcon(icon))
        action.triggered.connect(lambda _=False: slot())
        self.addAction(action)
        return action

    def _build_actions(self) -> None:
        sp = QStyle.StandardPixmap
        self.act_new = self._action("&New project…", self.new_project, "Ctrl+Shift+N",
                                    "Create an empty project file")
        self.act_open_project = self._action("Open &project…", self.open_project, "Ctrl+Shift+O",
                                             "Open a .piplrev project", sp.SP_DirOpenIcon)
        self.act_open = self._action("&Open policy…", self.open_policy, QKeySequence.Open,
                                     "Open a privacy policy (PDF, DOCX, TXT or HTML); with a project open, it is "
                                     "added to the project", sp.SP_DialogOpenButton)
        self.act_save_as = self._action("Save project &as…", self.save_as, QKeySequence.SaveAs,
                                        "Copy the project to a file of your choice", sp.SP_DialogSaveButton)
        self.act_memo = self._action("&Export memo…", self.export_memo, "Ctrl+E",
                                     "Write the review memo (DOCX)")
        self.act_quit = self._action("&Quit", self.close, QKeySequence.Quit)
        self.act_find = self._action("&Find…", self.doc_pane.open_find, QKeySequence.Find,
                                     "Find within the policy")
        self.act_zoom_in = self._action("Zoom &in", self.doc_pane.zoom_in, QKeySequence.ZoomIn)
        self.act_zoom_out = self._action("Zoom &out", self.doc_pane.zoom_out, QKeySequence.ZoomOut)
        self.act_zoom_reset = self._action("&Fit width / normal size", self.doc_pane.zoom_reset, "Ctrl+0")
        self.act_next = self._action("&Next finding", self.next_finding, "F3",
                                     "Go to the next highlighted passage", sp.SP_ArrowDown)
        self.act_prev = self._action("&Previous finding", self.previous_finding, "Shift+F3",
                                     "Go to the previous highlighted passage", sp.SP_ArrowUp)
        self.act_missing = self._action("Next &missing item", self.next_missing, "Ctrl+F3",
                                        "Select the next checklist item with no evidence")
        self.act_status = self._action("&Set status…", self.set_status_dialog, "Ctrl+Shift+S",
                                       "Override the status of the selected item (justification required)")
        self.act_status.setShortcut(QKeySequence("Ctrl+Alt+S"))
        self.act_note = self._action("Add &note…", self.add_note_dialog, "Ctrl+Shift+M",
                                     "Add a note on the selected item, passage or the policy")
        self.act_mark = self._action("&Mark selection as…", self.mark_selection, "Ctrl+M",
                                     "Assign the selected text to a topic or item by hand")
        self.act_reviewer = self._action("&Reviewer name…", self.set_reviewer_dialog)
        self.act_audit = self._action("&Audit trail…", self.show_audit_trail, None,
                                      "Every change made to the project: when, by whom, what it was before")
        self.act_about = self._action("&About", self.about)
        self.act_classifier_passages = self._action(
            "Show passages only a &classifier found", self._classifier_passages_toggled, None,
            "Highlight and step through the passages that a trained classifier, not a rule, tied to a "
            "topic (those you accepted stay shown)")
        self.act_classifier_passages.setCheckable(True)
        self.act_classifier_passages.setChecked(
            self.settings.value("view/classifier_passages", True, type=bool))

    def _build_menus(self) -> None:
        bar = self.menuBar()
        file = bar.addMenu("&File")
        file.addAction(self.act_new)
        file.addAction(self.act_open_project)
        file.addAction(self.act_open)
        self.recent_menu = file.addMenu("&Recent")
        self.recent_menu.aboutToShow.connect(self._fill_recent)
        file.addSeparator()
        file.addAction(self.act_save_as)
        file.addAction(self.act_memo)
        file.addSeparator()
        file.addAction(self.act_quit)
        edit = bar.addMenu("&Edit")
        edit.addAction(self.act_find)
        view = bar.addMenu("&View")
        view.addAction(self.act_zoom_in)
        view.addAction(self.act_zoom_out)
        view.addAction(self.act_zoom_reset)
        view.addSeparator()
        view.addAction(self.act_classifier_passages)
        self.topic_menu = view.addMenu("&Topics shown")
        self.topic_menu.aboutToShow.connect(self._fill_topic_menu)
        review = bar.addMenu("&Review")
        for a in (self.act_next, self.act_prev, self.act_missing):
            review.addAction(a)
        review.addSeparator()
        for a in (self.act_status, self.act_note, self.act_mark):
            review.addAction(a)
        review.addSeparator()
        review.addAction(self.act_audit)
        review.addAction(self.act_reviewer)
        help_menu = bar.addMenu("&Help")
        help_menu.addAction(self.act_about)

    def _build_toolbar(self) -> None:
        tb = QToolBar("Main")
        tb.setObjectName("main_toolbar")
        tb.setMovable(False)
        tb.setToolButtonStyle(Qt.ToolButtonTextBesideIcon)
        self.addToolBar(tb)
        tb.addAction(self.act_open)
        tb.addAction(self.act_open_project)
        tb.addSeparator()
        tb.addWidget(QLabel(" Policy: "))
        self.doc_combo = QComboBox()
        self.doc_combo.setMinimumWidth(220)
        self.doc_combo.setToolTip("The policies in this project")
        self.doc_combo.activated.connect(self._doc_combo_activated)
        tb.addWidget(self.doc_combo)
        tb.addSeparator()
        tb.addAction(self.act_prev)
        tb.addAction(self.act_next)
        tb.addAction(self.act_missing)
        tb.addSeparator()
        tb.addAction(self.act_find)
        tb.addAction(self.act_zoom_out)
        tb.addAction(self.act_zoom_in)
        tb.addSeparator()
        tb.addAction(self.act_memo)

    # ------------------------------------------------------------ settings

    def _restore_settings(self) -> None:
        geometry = self.settings.value("window/geometry")
        if geometry is not None:
            self.restoreGeometry(geometry)
        else:
            self.resize(1440, 900)
        state = self.settings.value("window/state")
        if state is not None:
            self.restoreState(state)
        for key, splitter, default in (("window/split", self.split, [860, 580]),
                                       ("window/side_split", self.side_split, [520, 380])):
            saved = self.settings.value(key)
            if saved is None or not splitter.restoreState(saved):
                splitter.setSizes(default)

    def save_settings(self) -> None:
        if not self.remember:
            return
        self.settings.setValue("window/geometry", self.saveGeometry())
        self.settings.setValue("window/state", self.saveState())
        self.settings.setValue("window/split", self.split.saveState())
        self.settings.setValue("window/side_split", self.side_split.saveState())
        self.settings.sync()

    def recent_files(self) -> list[tuple[str, str]]:
        raw = self.settings.value("recent", []) or []
        if isinstance(raw, str):
            raw = [raw]
        out = []
        for entry in raw:
            label, _, path = str(entry).partition("\t")
            if path:
                out.append((label, path))
        return out

    def _add_recent(self, path: Path, label: str) -> None:
        if not self.remember:
            return
        path = str(Path(path).resolve())
        entries = [(lb, p) for lb, p in self.recent_files() if p != path]
        entries.insert(0, (label, path))
        self.settings.setValue("recent", [f"{lb}\t{p}" for lb, p in entries[:MAX_RECENT]])

    def _fill_recent(self) -> None:
        self.recent_menu.clear()
        entries = self.recent_files()
        if not entries:
            self.recent_menu.addAction("(none)").setEnabled(False)
            return
        for label, path in entries:
            action = self.recent_menu.addAction(f"{label}  —  {path}")
            action.triggered.connect(lambda _=False, p=path: self._open_recent(p))
        self.recent_menu.addSeparator()
        self.recent_menu.addAction("Clear list").triggered.connect(lambda: self.settings.setValue("recent", []))

    def _open_recent(self, path: str) -> None:
        if not Path(path).exists():
            self.settings.setValue("recent", [f"{lb}\t{p}" for lb, p in self.recent_files() if p != path])
            self._warn("Cannot open", f"{Path(path).name}: file not found (removed from the recent list)")
            return
        self.open_path(path)

    # ------------------------------------------------------------ tasks

    def _start(self, task, done, loaded=None, reviewed=None, failure_title: str = "Cannot open",
               previewed=None) -> None:
        if self.task is not None:
            self.cancel_task()
        if self._warm_task is not None:
            self._warm_task.cancel()  # it only waits: the engine warms up whenever it is idle
        self.task = task
        self._tasks.add(task)
        s = task.signals
        s.progress.connect(lambda d, t, w: self._task_progress(task, d, t, w))
        s.loaded.connect(lambda opened: self._task_loaded(task, opened, loaded))
        s.previewed.connect(lambda analysis: self._task_loaded(task, analysis, previewed))
        s.reviewed.connect(lambda opened: self._task_loaded(task, opened, reviewed) or task.resumed.set())
        s.finished.connect(lambda result: self._task_finished(task, result, done))
        s.failed.connect(lambda message: self._task_failed(task, message, failure_title))
        s.cancelled.connect(lambda: self._tasks.discard(task))
        self.progress.setRange(0, 0)
        self.progress.setFormat("")
        for w in (self.progress_label, self.progress, self.cancel_button):
            w.show()
        self._update_actions()
        self.pool.start(task)

    def _task_progress(self, task, done: int, total: int, what: str) -> None:
        if task is not self.task:
            return
        self.progress_label.setText(what)
        if total > 0:
            self.progress.setRange(0, total)
            self.progress.setValue(done)
            self.progress.setFormat("%v / %m pages")
        else:
            self.progress.setRange(0, 0)
            self.progress.setFormat("")

    def _end_progress(self, message: str = "") -> None:
        for w in (self.progress_label, self.progress, self.cancel_button):
            w.hide()
        if message:
            self.statusBar().showMessage(message, 8000)
        self._update_actions()

    def _task_loaded(self, task, opened: Opened, callback) -> None:
        if task is self.task and callback is not None:
            callback(opened)

    def _task_finished(self, task, result, done) -> None:
        self._tasks.discard(task)
        if task is not self.task:
            # Abandoned by Cancel: drop a project the task opened for nothing.
            if isinstance(result, Opened) and result.created and result.project is not self.project:
                result.project.close()
            return
        self.task = None
        self._end_progress()
        done(result)
        self.task_ended.emit("finished")

    def _task_failed(self, task, message: str, title: str) -> None:
        self._tasks.discard(task)
        if task is not self.task:
            return
        self.task = None
        self._end_progress()
        self._restore_previous()
        self._warn(title, message)
        self.task_ended.emit("failed")

    def cancel_task(self) -> None:
        task = self.task
        if task is None:
            return
        task.cancel()
        self.task = None
        self._end_progress("Cancelled.")
        self._restore_previous()
        self.task_ended.emit("cancelled")

    def wait_for_tasks(self, msecs: int = 30000) -> bool:
        return self.pool.waitForDone(msecs)

    def warm_up(self) -> None:
        """Start the analysis process, which imports the engine, reads the rules
        and warms up in the background (done once, when the window is first shown)."""
        if self._warm_task is not None or not self.isVisible():
            return
        task = self._warm_task = WarmUpTask()
        self._tasks.add(task)

        def done(ruleset) -> None:
            self._tasks.discard(task)
            if self.ruleset is None:
                self.ruleset = ruleset

        task.signals.finished.connect(done)
        task.signals.failed.connect(lambda message: self._tasks.discard(task))
        task.signals.cancelled.connect(lambda: self._tasks.discard(task))
        self.pool.start(task)
        paint_icons()

    # ------------------------------------------------------------ opening

    def open_path(self, path) -> None:
        path = Path(path)
        if path.suffix.lower() == PROJECT_SUFFIX:
            self.open_project(path)
        else:
            self.open_policy(path)

    def open_policy(self, path=None) -> None:
        if path is None:
            start = self.settings.value("last_folder", str(Path.home()))
            path, _ = QFileDialog.getOpenFileName(self, "Open privacy policy", start, POLICY_FILTER)
            if not path:
                return
        path = Path(path)
        if self.remember:
            self.settings.setValue("last_folder", str(path.parent))
        task = OpenPolicyTask(path, self.project, self.untitled_dir)
        self._start(task, self._opened, loaded=self._show_early, reviewed=self._show_review_early,
                    failure_title="Cannot open policy", previewed=self._show_preview)

    def open_project(self, path=None) -> None:
        if path is None:
            start = self.settings.value("last_folder", str(Path.home()))
            path, _ = QFileDialog.getOpenFileName(self, "Open project", start, PROJECT_FILTER)
            if not path:
                return
        path = Path(path)
        if self.project is not None and path.exists() and self.project.path.exists() \
                and path.resolve() == self.project.path.resolve():
            self.statusBar().showMessage(f"{path.name} is already open.", 5000)
            return
        task = OpenProjectTask(path)
        self._start(task, self._opened, failure_title="Cannot open project")

    def new_project(self, path=None) -> None:
        if path is None:
            start = self.settings.value("last_folder", str(Path.home()))
            path, _ = QFileDialog.getSaveFileName(self, "New project", str(Path(start) / f"Review{PROJECT_SUFFIX}"),
                                                  PROJECT_FILTER)
            if not path:
                return
        path = Path(path)
        if path.suffix.lower() != PROJECT_SUFFIX:
            path = path.with_name(path.name + PROJECT_SUFFIX)
        if path.exists():
            self._warn("Cannot create project", f"{path.name} already exists: use File › Open project to open it.")
            return
        self._start(NewProjectTask(path), self._opened, failure_title="Cannot create project")

    def _set_project(self, project) -> None:
        if self.project is not None and self.project is not project:
            self.project.close()
        self.project = project

    def _show_early(self, opened: Opened) -> None:
        """The policy is read; show it while the analysis runs."""
        self._previous = (self.doc_id, self.policy, self.state, self.pdf_data, self.page_sizes, self.page_ranges)
        self.doc_id, self.state = None, None
        self._take_view(opened)
        self.doc_pane.set_highlights([], "")
        self.side.clear()
        self.detail.show_message("Analysing the policy…")
        self._update_actions()

    def _show_preview(self, analysis) -> None:
        """Highlight the first pages while the whole policy is analysed."""
        if self.state is not None or ENGINE.loaded_ruleset is None:
            return
        self._use_ruleset(ENGINE.loaded_ruleset)
        note = "<br><i>Analysis still running: select it once the checklist appears.</i>"
        out = [Highlight(f"preview:{f.id}", f.start, f.end, self.colors.get(f.topic, GREY), "finding",
                         html_escape(self._topic_title(f.topic)[0]) + note, f.topic)
               for f in analysis.findings if self._topic_shown(f.topic)]
        out += [Highlight(f"preview:{r.id}", r.start, r.end, QColor(RED_FLAG_COLOR), "flag",
                          "⚑ " + html_escape(r.why) + note, r.topic)
                for r in analysis.red_flags if self._topic_shown(r.topic)]
        self._set_highlights(out)

    def _show_review_early(self, opened: Opened) -> None:
        """The analysis is done: show it while it is saved in the project. Until
        then ``doc_id`` is None and the review cannot be changed."""
        self._use_ruleset(ENGINE.loaded_ruleset)
        self.state = opened.state
        self._show_state(new_document=True)

    def _use_ruleset(self, ruleset) -> None:
        self.ruleset = ruleset
        self.items_by_id = ruleset.items
        self.colors = topic_colors([t.id for t in ruleset.topics])

    def _take_view(self, opened: Opened) -> None:
        self.policy, self.pdf_data = opened.document, opened.data
        self.page_sizes, self.page_ranges = opened.page_sizes, opened.page_ranges
        self.doc_pane.show_document(opened.document, opened.data, opened.page_sizes, opened.page_ranges)

    def _restore_previous(self) -> None:
        if self._previous is None:
            return
        self.doc_id, self.policy, self.state, self.pdf_data, self.page_sizes, self.page_ranges = self._previous
        self._previous = None
        if self.policy is not None and self.state is not None:
            self.doc_pane.show_document(self.policy, self.pdf_data, self.page_sizes, self.page_ranges)
            self._show_state(new_document=True)
        else:
            self.doc_pane.clear("Open a privacy policy (PDF, DOCX, TXT or HTML) or a project,\n"
                                "or drop the file here.")
            self.side.clear()
            self.detail.show_message("Select a checklist item, a passage, a red flag or a fact.")
        self._update_actions()

    def _opened(self, opened: Opened) -> None:
        self._previous = None
        if opened.project is not self.project:
            self._set_project(opened.project)
        if opened.doc_id is None:
            self._show_empty_project()
        else:
            shown_early = self.state is not None and self.doc_id is None and self.policy is opened.document
            self.doc_id = opened.doc_id
            self.state = opened.state
            self._use_ruleset(self.project.ruleset)
            if self.doc_pane.policy is not opened.document:
                self._take_view(opened)
            if shown_early:
                self._fill_documents()
            self._show_state(new_document=not shown_early)  # keeps what the reviewer selected meanwhile
            self.statusBar().showMessage(f"{opened.state.document.file_name}: {len(opened.state.findings)} "
                                         "passages found", 8000)
        label = self.state.document.name if self.state is not None else self.project.name
        self._add_recent(self.project.path, label)

    def _show_empty_project(self) -> None:
        self.doc_id = self.policy = self.state = None
        self.pdf_data, self.page_sizes, self.page_ranges = None, (), ()
        self.doc_pane.clear(f"The project {self.project.name} holds no policy yet.\n"
                            "Open a policy (Ctrl+O) or drop it here to add it.")
        self.side.clear()
        self.detail.show_message("No policy in this project yet.")
        self._fill_documents()
        self._update_title()
        self._update_actions()

    def _doc_combo_activated(self, index: int) -> None:
        doc_id = self.doc_combo.itemData(index)
        if doc_id is None or doc_id == self.doc_id or self.project is None:
            return
        self.show_document(doc_id)

    def show_document(self, doc_id: int) -> None:
        task = ShowDocumentTask(self.project, doc_id)
        self._start(task, self._opened, failure_title="Cannot show policy")

    # ------------------------------------------------------------ showing the review

    def _fill_documents(self) -> None:
        self.doc_combo.blockSignals(True)
        self.doc_combo.clear()
        if self.project is not None and not self.project.closed:
            for info in self.project.documents():
                self.doc_combo.addItem(info.name, info.id)
            index = self.doc_combo.findData(self.doc_id)
            if index >= 0:
                self.doc_combo.setCurrentIndex(index)
        self.doc_combo.blockSignals(False)

    def _update_title(self) -> None:
        parts = []
        if self.state is not None:
            parts.append(self.state.document.name)
        if self.project is not None:
            parts.append(self.project.path.name)
        parts.append(APP_NAME)
        self.setWindowTitle(" — ".join(parts))

    def _show_state(self, new_document: bool) -> None:
        self.side.set_state(self.state, self.ruleset, self.colors)
        self._update_highlights()
        if new_document:
            self._fill_documents()
            self.position = None
            self.selection_key = None
            self.detail.show_document(self.state.document, self.state, getattr(self.policy, "warnings", ()))
        elif self.selection_key is not None:
            self._on_selected(*self.selection_key, reveal=False)
        else:
            self.detail.show_document(self.state.document, self.state, getattr(self.policy, "warnings", ()))
        self._update_title()
        self._update_actions()
        self.review_ready.emit()

    def refresh(self) -> None:
        """Read the review state back from the project after a change."""
        self.state = self.project.review_state(self.doc_id)
        self._show_state(new_document=False)

    def _topic_shown(self, topic: str) -> bool:
        return self.topic_filter is None or topic in self.topic_filter

    def _finding_shown(self, fs) -> bool:
        return self._topic_shown(fs.finding.topic) and (
            not fs.finding.by_classifier or fs.status == "accepted" or self.act_classifier_passages.isChecked())

    def _classifier_passages_toggled(self) -> None:
        if self.remember:
            self.settings.setValue("view/classifier_passages", self.act_classifier_passages.isChecked())
        if self.state is not None:
            self._update_highlights()

    def highlights(self) -> list[Highlight]:
        if self.state is None:
            return []
        out = []
        for fs in self.state.findings:
            f = fs.finding
            if self._finding_shown(fs):
                out.append(Highlight(f"finding:{f.id}", f.start, f.end, self.colors.get(f.topic, GREY),
                                     "rejected" if fs.status == "rejected" else "finding",
                                     lambda fs=fs: self._finding_tip(fs), f.topic))
        for m in self.state.manual_findings:
            if self._topic_shown(m.topic):
                out.append(Highlight(f"manual:{m.id}", m.start, m.end, self.colors.get(m.topic, GREY), "manual",
                                     lambda m=m: self._manual_tip(m), m.topic))
        for flag in self.state.analysis.red_flags:
            if self._topic_shown(flag.topic):
                out.append(Highlight(f"flag:{flag.id}", flag.start, flag.end, QColor(RED_FLAG_COLOR), "flag",
                                     lambda flag=flag: self._flag_tip(flag), flag.topic))
        return out

    def _update_highlights(self) -> None:
        self._set_highlights(self.highlights())

    def _set_highlights(self, highlights: list[Highlight]) -> None:
        shown = {h.topic for h in highlights if h.style != "flag"}
        entries = [(t.title_en, self.colors[t.id]) for t in self.ruleset.topics if t.id in shown]
        legend = legend_html(entries, any(h.style == "flag" for h in highlights),
                             any(h.style == "manual" for h in highlights))
        self.doc_pane.set_highlights(highlights, legend)

    def _topic_title(self, topic_id: str) -> tuple[str, str]:
        try:
            t = self.ruleset.topic(topic_id)
            return t.title_en, t.title_zh
        except StopIteration:
            return topic_id, ""

    def _finding_tip(self, fs) -> str:
        f = fs.finding
        en, zh = self._topic_title(f.topic)
        items = self.items_by_id
        lines = [f"<b>{html_escape(en)}</b> <span style='color:#6b7280'>{html_escape(zh)}</span>"]
        for item_id in f.items[:4]:
            item = items.get(item_id)
            if item:
                lines.append(f"{html_escape(item.code)} — {html_escape(clip(item.question, 110))}")
        if not f.items:
            lines.append("<i>Context for the topic (no checklist item directly)</i>")
        words = matched_words(f)
        lines.append(f"<i>Rule:</i> {html_escape(f.rule)}")
        if words:
            lines.append(f"<i>Matched:</i> {html_escape(', '.join(words[:6]))}")
        if f.basis:
            lines.append(f"<i>Basis:</i> {html_escape(f.basis)}")
        if f.negated:
            lines.append("<i>Negated statement</i>")
        if fs.decision:
            lines.append(f"<b>{fs.decision.decision.title()}</b> by {html_escape(fs.decision.author)}")
        return "<br>".join(lines)

    def _manual_tip(self, m) -> str:
        en, _ = self._topic_title(m.topic)
        item = self.items_by_id.get(m.item) if m.item else None
        lines = [f"<b>{html_escape(en)}</b> (marked by hand by {html_escape(m.author)})"]
        if item:
            lines.append(f"{html_escape(item.code)} — {html_escape(clip(item.question, 110))}")
            lines.append(f"<i>Basis:</i> {html_escape(item.basis)}")
        if m.note:
            lines.append(f"<i>Note:</i> {html_escape(m.note)}")
        return "<br>".join(lines)

    def _flag_tip(self, flag) -> str:
        en, _ = self._topic_title(flag.topic)
        return (f"<b style='color:{RED_FLAG_COLOR}'>⚑ Red flag</b> — {html_escape(flag.why)}<br>"
                f"<i>Topic:</i> {html_escape(en)}<br><i>Matched:</i> {html_escape(flag.matched)}<br>"
                f"<i>Basis:</i> {html_escape(flag.basis)}")

    def where(self, start: int) -> str:
        parts = []
        if self.policy is not None and self.policy.format == "pdf":
            page = self.policy.page_at(start) if self.policy.blocks else None
            if page:
                parts.append(f"page {page}")
        seg = self.state.segment_at(start) if self.state is not None else None
        if seg is not None and seg.section:
            parts.append(seg.section)
        return " · ".join(parts)

    # ------------------------------------------------------------ selection

    def passage(self, ref: str):
        """``(start, end, record)`` of a highlighted passage."""
        kind, _, key = ref.partition(":")
        if self.state is None:
            return None
        if kind == "finding":
            for fs in self.state.findings:
                if fs.finding.id == key:
                    return fs.finding.start, fs.finding.end, fs
        elif kind == "manual":
            for m in self.state.manual_findings:
                if str(m.id) == key:
                    return m.start, m.end, m
        elif kind == "flag":
            for flag in self.state.analysis.red_flags:
                if flag.id == key:
                    return flag.start, flag.end, flag
        return None

    def evidence(self, item_id: str) -> list[tuple[int, int, str]]:
        st = self.state.item(item_id)
        out = [(fs.finding.start, fs.finding.end, f"finding:{fs.finding.id}") for fs in st.evidence]
        out += [(m.start, m.end, f"manual:{m.id}") for m in st.manual]
        return sorted(out)

    def _on_highlight_clicked(self, ref: str) -> None:
        kind, _, key = ref.partition(":")
        if kind == "flag":
            if not self.side.select("flag", key):
                self._on_selected("flag", key)
        elif not self.side.select("finding", ref):
            self._on_selected("finding", ref)

    def _on_selected(self, kind: str, key: str, reveal: bool = True) -> None:
        if self.state is None:
            return
        self.selection_key = (kind, key)
        if kind == "item":
            self._select_item(key, reveal)
        elif kind == "finding":
            self._select_passage(key, reveal)
        elif kind == "flag":
            found = self.passage(f"flag:{key}")
            if found:
                start, end, flag = found
                self.detail.show_flag(flag, self._topic_title(flag.topic)[0], self.where(start))
                self.doc_pane.set_current([f"flag:{key}"])
                if reveal:
                    self.doc_pane.reveal(start, end)
        elif kind == "fact":
            facts = self.state.analysis.facts
            fact = facts[int(key)] if key.isdigit() and int(key) < len(facts) else None
            if fact is not None:
                seg = self.state.segment_at(fact.start)
                context = self.state.text[seg.start:seg.end] if seg else ""
                self.detail.show_fact(fact, FACT_LABELS.get(fact.kind, fact.kind), context, self.where(fact.start))
                self.doc_pane.set_current([])
                if reveal:
                    self.doc_pane.reveal(fact.start, fact.end)
        elif kind in ("topic", "other"):
            topic = self.ruleset.topic(key)
            states = [self.state.item(i.id) for i in topic.items if any(s.item == i.id for s in self.state.items)]
            self.detail.show_topic(topic, states, self.items_by_id)
        elif kind == "orphan":
            n = int(key)
            if 0 <= n < len(self.state.orphans):
                self.detail.show_orphan(self.state.orphans[n])
            else:
                self.detail.show_message("Decisions and notes that no longer match the analysis. "
                                         "They are kept in the project.")
        self._update_actions()

    def _select_item(self, item_id: str, reveal: bool) -> None:
        st = self.state.item(item_id)
        item = self.items_by_id[item_id]
        topic = self.ruleset.topic(item.topic)
        evidence = self.evidence(item_id)
        links = []
        for start, end, ref in evidence:
            where = self.where(start)
            links.append((ref, f"“{clip(self.state.text[start:end], 90)}”" + (f" ({where})" if where else "")))
        self.detail.show_item(st, item, topic, links)
        self.doc_pane.set_current([ref for _, _, ref in evidence])
        if not reveal:
            return
        if evidence:
            start, end, ref = evidence[0]
            self.doc_pane.reveal(start, end)
            self.position = (start, end, ref)
            self.statusBar().showMessage(f"{item.code}: {STATUS_LABELS[st.status]} — {len(evidence)} passage(s)",
                                         6000)
        else:
            self.statusBar().showMessage(f"{item.code}: {STATUS_LABELS[st.status]}. {st.verdict.reason}", 10000)

    def _select_passage(self, ref: str, reveal: bool) -> None:
        found = self.passage(ref)
        if found is None:
            return
        start, end, record = found
        if ref.startswith("finding:"):
            f = record.finding
            topic = self.ruleset.topic(f.topic)
            items = [self.items_by_id[i] for i in f.items if i in self.items_by_id]
            self.detail.show_finding(record, ref, topic, items, self.colors.get(f.topic, GREY), self.where(start))
        else:
            topic = self.ruleset.topic(record.topic)
            item = self.items_by_id.get(record.item) if record.item else None
            self.detail.show_manual(record, topic, item, self.colors.get(record.topic, GREY), self.where(start))
        self.doc_pane.set_current([ref])
        self.position = (start, end, ref)
        if reveal:
            self.doc_pane.reveal(start, end)

    def passages(self) -> list[tuple[int, int, str]]:
        """The highlighted passages (findings and manual ones) in document order."""
        if self.state is None:
            return []
        out = [(fs.finding.start, fs.finding.end, f"finding:{fs.finding.id}") for fs in self.state.findings
               if self._finding_shown(fs)]
        out += [(m.start, m.end, f"manual:{m.id}") for m in self.state.manual_findings if self._topic_shown(m.topic)]
        return sorted(out, key=lambda p: (p[0], p[1], _ref_order(p[2])))

    def _go_to(self, ref: str) -> None:
        if not self.side.select("finding", ref):
            self._on_selected("finding", ref)

    def next_finding(self) -> str | None:
        passages = self.passages()
        if not passages:
            self.statusBar().showMessage("No highlighted passages.", 4000)
            return None
        key = _position_key(self.position)
        after = [p for p in passages if key is None or _position_key(p) > key]
        if not after:
            self.statusBar().showMessage("End of the policy reached: back to the first passage.", 4000)
            after = passages
        self._go_to(after[0][2])
        return after[0][2]

    def previous_finding(self) -> str | None:
        passages = self.passages()
        if not passages:
            self.statusBar().showMessage("No highlighted passages.", 4000)
            return None
        key = _position_key(self.position)
        before = [p for p in passages if key is not None and _position_key(p) < key]
        if not before:
            self.statusBar().showMessage("Start of the policy reached: on to the last passage.", 4000)
            before = passages
        self._go_to(before[-1][2])
        return before[-1][2]

    def next_missing(self) -> str | None:
        if self.state is None:
            return None
        ids = self.side.visible_item_ids()
        missing = [i for i in ids if self.state.item(i).status == "missing"]
        if not missing:
            self.statusBar().showMessage("No missing items under the current filters.", 4000)
            return None
        current = self.selection_key[1] if self.selection_key and self.selection_key[0] == "item" else None
        start = ids.index(current) + 1 if current in ids else 0
        later = [i for i in ids[start:] if i in missing]
        target = later[0] if later else missing[0]
        self.side.select("item", target)
        return target

    # ------------------------------------------------------------ reviewer actions

    def _not_editable(self) -> str | None:
        """Why the review cannot be changed now, or None."""
        if self.state is not None and self.doc_id is None:
            return "The policy is still being saved in the project; try again in a moment."
        if self.project is None or self.doc_id is None:
            return "No policy is open."
        return None

    def _project_errors(self):
        from reviewer.core.project import ProjectError

        return (ValueError, ProjectError, sqlite3.Error, OSError)

    def set_override(self, item_id: str, status: str, justification: str) -> str | None:
        """Store an override; returns the reason it was refused, or None."""
        if error := self._not_editable():
            return error
        try:
            self.project.set_override(self.doc_id, item_id, status, justification)
        except self._project_errors() as exc:
            return str(exc)
        self.refresh()
        self.statusBar().showMessage(f"Status of {self.items_by_id[item_id].code} set to "
                                     f"{STATUS_LABELS[status]} (saved).", 6000)
        return None

    def _detail_override(self, item_id: str, status: str, justification: str) -> None:
        error = self.set_override(item_id, status, justification)
        if error:
            self.detail.show_override_error(error)

    def clear_override(self, item_id: str) -> None:
        if error := self._not_editable():
            self._warn("Override not cleared", error)
            return
        try:
            self.project.clear_override(self.doc_id, item_id)
        except self._project_errors() as exc:
            self._warn("Override not cleared", str(exc))
            return
        self.refresh()

    def set_status_dialog(self) -> None:
        if self.state is None or not self.selection_key or self.selection_key[0] != "item":
            self.statusBar().showMessage("Select a checklist item first.", 4000)
            return
        item_id = self.selection_key[1]
        dialog = OverrideDialog(self.items_by_id[item_id], self.state.item(item_id).status,
                                lambda status, text: self.set_override(item_id, status, text), self)
        dialog.exec()

    def decide(self, ref: str, decision: str) -> str | None:
        found = self.passage(ref)
        if found is None or not ref.startswith("finding:"):
            return "Only passages found by the analysis can be accepted or rejected."
        if error := self._not_editable():
            self._warn("Decision not saved", error)
            return error
        try:
            self.project.decide_finding(self.doc_id, found[2].key, decision or None)
        except self._project_errors() as exc:
            self._warn("Decision not saved", str(exc))
            return str(exc)
        self.refresh()
        self.statusBar().showMessage({"accepted": "Passage accepted (saved).", "rejected": "Passage rejected (saved).",
                                      "": "Decision withdrawn (saved)."}[decision or ""], 5000)
        return None

    def add_note(self, kind: str, target: str, text: str) -> str | None:
        if error := self._not_editable():
            return error
        try:
            self.project.add_note(self.doc_id, kind, target or None, text)
        except self._project_errors() as exc:
            return str(exc)
        self.refresh()
        self.statusBar().showMessage("Note added (saved).", 5000)
        return None

    def _detail_note(self, kind: str, target: str, text: str) -> None:
        error = self.add_note(kind, target, text)
        if error:
            self.detail.show_note_error(error)

    def _note_target(self) -> tuple[str, str, str]:
        """(kind, id, description) of what a note from the Review menu is about."""
        kind, key = self.selection_key or ("", "")
        if kind == "item":
            item = self.items_by_id[key]
            return "item", key, f"item {item.code}: {item.question}"
        if kind == "finding" and key.startswith("finding:"):
            found = self.passage(key)
            if found:
                return "finding", found[2].key, f"the passage “{clip(found[2].finding.text, 120)}”"
        return "document", "", f"the policy {self.state.document.name}"

    def add_note_dialog(self) -> None:
        if self.state is None:
            return
        kind, target, description = self._note_target()
        dialog = NoteDialog(description, self)
        if dialog.exec() == QDialog.Accepted:
            error = self.add_note(kind, target, dialog.text.toPlainText())
            if error:
                self._warn("Note not saved", error)

    def add_manual_finding(self, start: int, end: int, topic: str, item: str | None, note: str = "") -> int | None:
        text = self.state.text
        while start < end and text[start].isspace():
            start += 1
        while end > start and text[end - 1].isspace():
            end -= 1
        if end <= start:
            return None
        if error := self._not_editable():
            self._warn("Passage not marked", error)
            return None
        try:
            manual_id = self.project.add_manual_finding(self.doc_id, start, end, topic, item, note)
        except self._project_errors() as exc:
            self._warn("Passage not marked", str(exc))
            return None
        self.selection_key = ("finding", f"manual:{manual_id}")
        self.refresh()
        self.side.select("finding", f"manual:{manual_id}", emit=False)
        if self.doc_pane.view is self.doc_pane.pdf_view:
            self.doc_pane.select_range(0, 0)
        self.statusBar().showMessage("Passage marked (saved).", 5000)
        return manual_id

    def mark_selection(self) -> None:
        if self.state is None:
            return
        selection = self.doc_pane.selection()
        if selection is None:
            self.statusBar().showMessage("Select text in the policy first, then choose Mark as…", 5000)
            return
        dialog = MarkAsDialog(self.ruleset, self.state.text[selection[0]:selection[1]], self)
        if self.selection_key and self.selection_key[0] == "item":
            item = self.items_by_id[self.selection_key[1]]
            dialog.choose(item.topic, item.id)
        if dialog.exec() == QDialog.Accepted:
            topic, item, note = dialog.values()
            self.add_manual_finding(selection[0], selection[1], topic, item, note)

    def remove_manual_finding(self, manual_id: int) -> None:
        try:
            self.project.remove_manual_finding(manual_id)
        except self._project_errors() as exc:
            self._warn("Passage not removed", str(exc))
            return
        self.selection_key = None
        self.refresh()

    def set_reviewer_dialog(self) -> None:
        if self.project is None:
            return
        name, ok = QInputDialog.getText(self, "Reviewer name", "Your name, as it appears in notes and the memo:",
                                        text=self.project.reviewer)
        if ok and name.strip():
            try:
                self.project.set_reviewer(name)
            except self._project_errors() as exc:
                self._warn("Name not saved", str(exc))

    def show_audit_trail(self) -> AuditDialog | None:
        """The audit trail of the project (a window-modal dialog)."""
        if self.project is None or self.project.closed:
            return None
        try:
            dialog = AuditDialog(self.project, self.items_by_id, self)
        except self._project_errors() as exc:
            self._warn("Cannot read the audit trail", str(exc))
            return None
        dialog.setAttribute(Qt.WA_DeleteOnClose)
        dialog.open()
        return dialog

    # ------------------------------------------------------------ file actions

    def save_as(self, path=None) -> bool:
        if self.project is None:
            return False
        if path is None:
            start = str(Path(self.settings.value("last_folder", str(Path.home()))) / self.project.path.name)
            path, _ = QFileDialog.getSaveFileName(self, "Save project as", start, PROJECT_FILTER)
            if not path:
                return False
        path = Path(path)
        if path.suffix.lower() != PROJECT_SUFFIX:
            path = path.with_name(path.name + PROJECT_SUFFIX)
        try:
            self.project.save_as(path)
        except self._project_errors() as exc:
            self._warn("Project not saved", str(exc))
            return False
        self._update_title()
        self._add_recent(path, self.state.document.name if self.state else self.project.name)
        self.statusBar().showMessage(f"Project saved as {path}", 8000)
        return True

    def export_memo(self, path=None) -> None:
        if self.project is None or not self.project.documents():
            self._warn("No memo", "Open a policy first: the memo reports on the policies of the project.")
            return
        if path is None:
            folder = Path(self.settings.value("last_folder", str(Path.home())))
            start = str(folder / f"{self.project.path.stem} memo.docx")
            path, _ = QFileDialog.getSaveFileName(self, "Export review memo", start, "Word documents (*.docx)")
            if not path:
                return
        path = Path(path)
        if path.suffix.lower() != ".docx":
            path = path.with_name(path.name + ".docx")
        self._start(MemoTask(self.project, path),
                    lambda out: self.statusBar().showMessage(f"Memo written to {out}", 10000),
                    failure_title="Memo not written")

    def about(self) -> None:
        from reviewer import __version__

        ruleset = self.ruleset or ENGINE.loaded_ruleset
        rules = (f"{html_escape(ruleset.info.id)} {html_escape(ruleset.info.version)}" if ruleset
                 else "(still loading)")
        QMessageBox.about(self, f"About {APP_NAME}",
                          f"<b>{APP_NAME}</b> {__version__}<br>"
                          f"Ruleset: {rules}<br><br>"
                          "Offline review of privacy policies against China's Personal Information "
                          "Protection Law (PIPL) and its companion rules.<br>"
                          "Nothing leaves this computer. The checklist is a paraphrase, not legal advice.")

    # ------------------------------------------------------------ view menu

    def _fill_topic_menu(self) -> None:
        self.topic_menu.clear()
        if self.ruleset is None:
            self.topic_menu.addAction("(open a policy first)").setEnabled(False)
            return
        all_topics = self.topic_menu.addAction("All topics")
        all_topics.triggered.connect(lambda: self.set_topic_filter(None))
        found = self.topic_menu.addAction("Only topics with passages")
        found.triggered.connect(self._only_found_topics)
        self.topic_menu.addSeparator()
        group = QActionGroup(self.topic_menu)
        group.setExclusive(False)
        for topic in self.ruleset.topics:
            action = self.topic_menu.addAction(topic.title_en)
            action.setCheckable(True)
            action.setChecked(self._topic_shown(topic.id))
            action.setIcon(self._swatch(topic.id))
            action.toggled.connect(lambda on, t=topic.id: self._toggle_topic(t, on))
            group.addAction(action)

    def _swatch(self, topic_id: str):
        from .style import swatch_icon

        return swatch_icon(self.colors.get(topic_id, GREY).name())

    def _only_found_topics(self) -> None:
        if self.state is not None:
            self.set_topic_filter({fs.finding.topic for fs in self.state.findings}
                                  | {m.topic for m in self.state.manual_findings})

    def _toggle_topic(self, topic_id: str, on: bool) -> None:
        shown = set(self.topic_filter) if self.topic_filter is not None else {t.id for t in self.ruleset.topics}
        if on:
            shown.add(topic_id)
        else:
            shown.discard(topic_id)
        self.set_topic_filter(shown)

    def set_topic_filter(self, topics: set[str] | None) -> None:
        if topics is not None and self.ruleset is not None and topics >= {t.id for t in self.ruleset.topics}:
            topics = None
        self.topic_filter = topics
        self.side.set_topic_filter(topics)
        if self.state is not None:
            self._update_highlights()

    # ------------------------------------------------------------ window

    def _update_actions(self) -> None:
        has_project = self.project is not None and not self.project.closed
        has_state = self.state is not None
        has_doc = self.doc_pane.view is not None
        for a in (self.act_save_as, self.act_memo, self.act_reviewer, self.act_audit):
            a.setEnabled(has_project)
        for a in (self.act_next, self.act_prev, self.act_missing):
            a.setEnabled(has_state)
        editable = has_state and self.doc_id is not None
        self.act_note.setEnabled(editable)
        self.act_status.setEnabled(editable and bool(self.selection_key) and self.selection_key[0] == "item")
        self.act_mark.setEnabled(editable and self.doc_pane.selection() is not None)
        for a in (self.act_find, self.act_zoom_in, self.act_zoom_out, self.act_zoom_reset):
            a.setEnabled(has_doc)
        self.doc_combo.setEnabled(has_project and self.doc_combo.count() > 1)

    def _warn(self, title: str, message: str) -> None:
        QMessageBox.warning(self, title, message)

    def dragEnterEvent(self, event) -> None:
        urls = event.mimeData().urls() if event.mimeData().hasUrls() else []
        if any(u.isLocalFile() and openable(u.toLocalFile()) for u in urls):
            event.acceptProposedAction()
        else:
            event.ignore()

    def dragMoveEvent(self, event) -> None:
        self.dragEnterEvent(event)

    def dropEvent(self, event) -> None:
        paths = [u.toLocalFile() for u in event.mimeData().urls() if u.isLocalFile() and openable(u.toLocalFile())]
        if paths:
            event.acceptProposedAction()
            self.open_path(paths[0])

    def shutdown(self) -> None:
        """Stop the work in progress and close the project (a single file again)."""
        if self._file_opens is not None:
            QObject.disconnect(self._file_opens)
            self._file_opens = None
        self.cancel_task()
        if self._warm_task is not None:
            self._warm_task.cancel()
        self.doc_pane.shutdown()
        self.pool.waitForDone(5000)
        if self.project is not None:
            self.project.close()

    def showEvent(self, event) -> None:
        super().showEvent(event)
        if self._warm_task is None:
            QTimer.singleShot(WARM_UP_DELAY_MS, self, self.warm_up)

    def closeEvent(self, event) -> None:
        self.save_settings()
        self.shutdown()
        super().closeEvent(event)


def _position_key(p):
    return None if p is None else (p[0], p[1], _ref_order(p[2]))


def _ref_order(ref: str) -> tuple[str, int, str]:
    kind, _, key = ref.partition(":")
    digits = "".join(ch for ch in key if ch.isdigit())
    return kind, int(digits) if digits else 0, key
