"""The desktop reviewer, driven through its real widgets (pytest-qt, offscreen).

Settings, untitled projects and project copies all live in tmp dirs, so the
tests never touch the user's own settings or data.
"""
import os
import re
import shutil
import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest

pytest.importorskip("PySide6")
pytest.importorskip("pytestqt")

from PySide6.QtCore import QEvent, QMimeData, QPoint, QPointF, QRectF, QSettings, Qt, QUrl  # noqa: E402
from PySide6.QtGui import QDropEvent, QHelpEvent, QMouseEvent  # noqa: E402
from PySide6.QtWidgets import QApplication, QDialog, QToolTip  # noqa: E402

from reviewer.gui import main_window as main_window_module  # noqa: E402
from reviewer.gui.main_window import APP_NAME, ORG_NAME, MainWindow  # noqa: E402
from reviewer.gui.style import html_escape  # noqa: E402

FIXTURES = Path(__file__).parent / "fixtures"
OPEN_TIMEOUT = 240_000  # ms: the analysis of a policy on a slow, busy machine

# The offscreen platform plugin warns that it cannot pass size hints to, or raise, a window
# manager it does not have; that is no fault of the app.
pytestmark = pytest.mark.qt_log_ignore(r"This plugin does not support (propagateSizeHints|raise)\(\)")


# ---------------------------------------------------------------- fixtures

@pytest.fixture(autouse=True)
def private_settings(qapp, tmp_path, monkeypatch):
    """QSettings and platformdirs point into tmp_path."""
    qapp.setOrganizationName(ORG_NAME)
    qapp.setApplicationName(APP_NAME)
    for var in ("XDG_CONFIG_HOME", "XDG_DATA_HOME", "XDG_CACHE_HOME"):
        monkeypatch.setenv(var, str(tmp_path / var.lower()))
    for fmt in (QSettings.NativeFormat, QSettings.IniFormat):
        QSettings.setPath(fmt, QSettings.UserScope, str(tmp_path / "qsettings"))
    yield


@pytest.fixture
def settings(tmp_path):
    return QSettings(str(tmp_path / "settings.ini"), QSettings.IniFormat)


@pytest.fixture
def make_window(qtbot, tmp_path, settings):
    windows = []

    def make(size=(1400, 900), **kwargs):
        kwargs.setdefault("settings", settings)
        kwargs.setdefault("untitled_dir", tmp_path / "untitled")
        window = MainWindow(**kwargs)
        qtbot.addWidget(window)
        if size:
            window.resize(*size)
        window.show()
        qtbot.waitExposed(window)
        windows.append(window)
        return window

    yield make
    for window in windows:
        window.shutdown()


@pytest.fixture
def window(make_window):
    return make_window()


@pytest.fixture
def warnings(monkeypatch):
    """Message boxes are captured instead of shown."""
    shown = []

    def warning(parent, title, text, *args, **kwargs):
        shown.append((title, text))
        return main_window_module.QMessageBox.Ok

    monkeypatch.setattr(main_window_module.QMessageBox, "warning", staticmethod(warning))
    return shown


@pytest.fixture(scope="session")
def txt_project(tmp_path_factory):
    """A project holding benewake.txt with its analysis, made once through the core API."""
    from reviewer.core.project import open_project
    from reviewer.core.review import review_file

    path = tmp_path_factory.mktemp("projects") / "benewake.piplrev"
    with open_project(path) as project:
        project.add_document(review_file(FIXTURES / "benewake.txt", ruleset=project.ruleset))
    return path


@pytest.fixture
def project_copy(txt_project, tmp_path):
    target = tmp_path / "review.piplrev"
    shutil.copy(txt_project, target)
    return target


def open_file(qtbot, window, path):
    with qtbot.waitSignal(window.task_ended, timeout=OPEN_TIMEOUT) as blocker:
        window.open_path(path)
    assert blocker.args == ["finished"], f"opening {Path(path).name} ended with {blocker.args}"
    assert window.state is not None


def db(path):
    return sqlite3.connect(f"file:{path}?mode=ro", uri=True)


def squash(text: str) -> str:
    return re.sub(r"\s+", "", text.replace("\u2029", " ").replace("\u2028", " "))


def send_mouse(widget, kind, pos: QPoint, button, buttons) -> None:
    event = QMouseEvent(kind, QPointF(pos), QPointF(widget.mapToGlobal(pos)), button, buttons,
                        Qt.NoModifier)
    QApplication.sendEvent(widget, event)


def drag(widget, a: QPoint, b: QPoint) -> None:
    """Press at ``a``, move to ``b`` with the button held, release."""
    send_mouse(widget, QEvent.MouseButtonPress, a, Qt.LeftButton, Qt.LeftButton)
    for n in range(1, 6):
        p = a + (b - a) * (n / 5)
        send_mouse(widget, QEvent.MouseMove, p, Qt.NoButton, Qt.LeftButton)
    send_mouse(widget, QEvent.MouseButtonRelease, b, Qt.LeftButton, Qt.NoButton)


def click_tree_row(qtbot, window, kind, key):
    side = window.side
    row = side.row_for(kind, key)
    assert row is not None
    parent = row.parent()
    while parent is not None:
        parent.setExpanded(True)
        parent = parent.parent()
    side.tabs.setCurrentWidget(side.tree)
    side.tree.scrollToItem(row)
    rect = side.tree.visualItemRect(row)
    qtbot.mouseClick(side.tree.viewport(), Qt.LeftButton, pos=rect.center())
    assert side.tree.currentItem() is row


def text_point(view, offset: int, right_of_cursor: bool = True) -> QPoint:
    """A viewport point just inside the character after (or before) ``offset``."""
    from PySide6.QtGui import QTextCursor

    c = QTextCursor(view.document())
    c.setPosition(view.qt_pos(offset))
    rect = view.cursorRect(c)
    return QPoint(rect.left() + (2 if right_of_cursor else -2), rect.center().y())


# ---------------------------------------------------------------- opening each format

@pytest.mark.parametrize("name", ["benewake.txt", "bench3d.docx"])
def test_reading_view_highlights_sit_on_the_finding_text(qtbot, window, name):
    open_file(qtbot, window, FIXTURES / name)
    view = window.doc_pane.text_view
    assert window.doc_pane.view is view
    highlights = [h for h in window.highlights() if h.style in ("finding", "rejected")]
    assert len(highlights) >= 5
    selections = {(s.cursor.selectionStart(), s.cursor.selectionEnd()): s for s in view.extraSelections()}
    text = window.policy.text
    for h in highlights:
        key = (view.qt_pos(h.start), view.qt_pos(h.end))
        assert key in selections, f"no highlight for {h.ref}"
        shown = selections[key].cursor.selectedText()
        assert squash(shown) == squash(text[h.start:h.end])
        assert selections[key].format.background().color().alpha() > 0
    # the legend names the topics shown, in their colours
    topics = {h.topic for h in highlights}
    for topic in topics:
        assert html_escape(window.ruleset.topic(topic).title_en) in window.doc_pane.legend.text()


def test_docx_reading_view_keeps_headings_and_tables(qtbot, window):
    open_file(qtbot, window, FIXTURES / "benewake.docx")
    doc = window.doc_pane.text_view.document()
    frames = doc.rootFrame().childFrames()
    assert any(type(f).__name__ == "QTextTable" for f in frames), "the collection table is a real table"
    heading = next(b for b in window.policy.blocks if b.kind == "heading" and b.level == 1)
    c = window.doc_pane.text_view._cursor(heading.start + 1, heading.start + 2)
    assert c.charFormat().fontWeight() >= 600


@pytest.mark.parametrize("name", ["baiinfo.pdf", "benewake.pdf"])
def test_pdf_highlights_lie_on_the_word_boxes_of_the_right_page(qtbot, window, name):
    import pypdfium2 as pdfium

    open_file(qtbot, window, FIXTURES / name)
    pdf = window.doc_pane.pdf_view
    assert window.doc_pane.view is pdf
    assert len(pdf.pages) == window.policy.pages
    findings = [fs.finding for fs in window.state.findings]
    assert findings
    checked = 0
    document = pdfium.PdfDocument(str(FIXTURES / name))
    try:
        for f in findings:
            boxes = window.policy.boxes_for(f.start, f.end)
            rects = pdf.highlight_rects(f"finding:{f.id}")
            assert rects, f"{f.id} has no highlight"
            assert {page for page, _ in rects} == {b.page for b in boxes}
            for b in boxes:
                centre = QPointF((b.x0 + b.x1) / 2, (b.top + b.bottom) / 2)
                assert any(page == b.page and r.adjusted(-0.5, -0.5, 0.5, 0.5).contains(centre) for page, r in rects)
            # Independently of the loader: PDFium reads the finding's first word inside the first rectangle.
            page_number, rect = rects[0]
            words = re.findall(r"[A-Za-z]{3,}", f.text)
            if not words or checked >= 8:
                continue
            page = document[page_number - 1]
            height = page.get_height()
            textpage = page.get_textpage()
            inside = textpage.get_text_bounded(left=rect.left() - 1, bottom=height - rect.bottom() - 1,
                                               right=rect.right() + 1, top=height - rect.top() + 1)
            textpage.close()
            page.close()
            assert words[0] in inside.replace("\r", "").replace("\n", " ").replace("-", ""), \
                f"{f.id}: {words[0]!r} not in {inside!r}"
            checked += 1
    finally:
        document.close()
    assert checked >= 3


def test_pdf_pages_render_lazily_and_sharp(qtbot, window):
    open_file(qtbot, window, FIXTURES / "bench3d.pdf")
    pdf = window.doc_pane.pdf_view
    qtbot.waitUntil(lambda: all(pdf.has_page_image(i) for i in pdf.visible_pages()), timeout=30_000)
    visible = pdf.visible_pages()
    assert 0 in visible
    assert len(visible) < len(pdf.pages), "only the pages in view are rendered"
    rendered = {i for (i, scale) in pdf._cache}
    assert rendered <= set(range(len(pdf.pages)))
    assert len(rendered) < len(pdf.pages)
    scale = pdf.render_scale()
    assert scale == pytest.approx(pdf.zoom * pdf.devicePixelRatioF(), abs=0.001)
    pixmap = pdf._cache[(0, scale)]
    assert pixmap.width() == pytest.approx(window.page_sizes[0][0] * scale, abs=2)
    pdf.zoom_in()
    qtbot.waitUntil(lambda: all(pdf.has_page_image(i) for i in pdf.visible_pages()), timeout=30_000)
    assert any(s == pdf.render_scale() for (_, s) in pdf._cache)


# ---------------------------------------------------------------- side panel and document view

def test_selecting_an_item_scrolls_the_pdf_to_its_evidence(qtbot, window):
    open_file(qtbot, window, FIXTURES / "benewake.pdf")
    pdf = window.doc_pane.pdf_view
    # the item whose first evidence is furthest down the policy
    candidates = [(window.evidence(st.item)[0], st.item) for st in window.state.items if window.evidence(st.item)]
    (start, end, ref), item_id = max(candidates)
    pdf.verticalScrollBar().setValue(0)
    assert not pdf.is_visible(start, end)
    click_tree_row(qtbot, window, "item", item_id)
    assert pdf.is_visible(start, end)
    page = window.policy.page_at(start)
    assert page - 1 in pdf.visible_pages()
    assert window.detail.kind == "item" and window.detail.key == item_id
    assert ref in pdf._current


def test_selecting_an_item_scrolls_the_reading_view_and_flashes(qtbot, window, project_copy):
    open_file(qtbot, window, project_copy)
    view = window.doc_pane.text_view
    candidates = [(window.evidence(st.item)[0], st.item) for st in window.state.items if window.evidence(st.item)]
    (start, end, ref), item_id = max(candidates)
    view.verticalScrollBar().setValue(0)
    assert not view.is_visible(start, end)
    click_tree_row(qtbot, window, "item", item_id)
    assert view.is_visible(start, end)
    assert view._flash == (start, end)
    qtbot.waitUntil(lambda: view._flash is None, timeout=5000)


def test_missing_item_says_what_was_looked_for(qtbot, window, project_copy):
    open_file(qtbot, window, project_copy)
    item_id = window.next_missing()
    assert item_id is not None
    st = window.state.item(item_id)
    assert st.status == "missing"
    text = " ".join(label.text() for label in window.detail.findChildren(main_window_module.QLabel))
    assert st.verdict.reason.split(":")[0] in text
    assert "Looked for" in text or "not addressed" in text


def test_clicking_a_highlight_selects_it_in_the_side_panel(qtbot, window, project_copy):
    open_file(qtbot, window, project_copy)
    view = window.doc_pane.text_view
    f = max(window.state.findings, key=lambda fs: fs.finding.end - fs.finding.start).finding
    window.doc_pane.reveal(f.start, f.end, flash=False)
    point = view.view_point_for(f.start, f.end)
    qtbot.mouseClick(view.viewport(), Qt.LeftButton, pos=point)
    current = window.side.tree.currentItem()
    assert current is not None
    kind, key = current.data(0, Qt.UserRole)
    assert kind == "finding"
    start, end, _ = window.passage(key)
    offset = view.offset_at(point)
    assert start <= offset < end
    assert window.detail.kind == "finding"


def test_hovering_and_clicking_a_pdf_highlight(qtbot, window):
    open_file(qtbot, window, FIXTURES / "baiinfo.pdf")
    pdf = window.doc_pane.pdf_view
    f = window.state.findings[len(window.state.findings) // 2].finding
    pdf.reveal(f.start, f.end, flash=False)
    point = pdf.view_point_for(f.start, f.end)
    QApplication.sendEvent(pdf.viewport(), QHelpEvent(QEvent.ToolTip, point, pdf.viewport().mapToGlobal(point)))
    assert window.ruleset.topic(f.topic).title_en.split()[0] in QToolTip.text()
    qtbot.mouseClick(pdf.viewport(), Qt.LeftButton, pos=point)
    kind, key = window.side.tree.currentItem().data(0, Qt.UserRole)
    start, end, _ = window.passage(key)
    assert kind == "finding" and start <= f.start + 1 and end >= f.start


def test_hovering_a_highlight_explains_it(qtbot, window, project_copy):
    open_file(qtbot, window, project_copy)
    view = window.doc_pane.text_view
    fs = next(fs for fs in window.state.findings if fs.finding.items)
    f = fs.finding
    window.doc_pane.reveal(f.start, f.end, flash=False)
    point = view.view_point_for(f.start, f.end)
    event = QHelpEvent(QEvent.ToolTip, point, view.viewport().mapToGlobal(point))
    QApplication.sendEvent(view.viewport(), event)
    tip = QToolTip.text()
    assert window.ruleset.topic(f.topic).title_en.split()[0] in tip
    assert window.ruleset.items[f.items[0]].code in tip
    assert "Rule:" in tip and f.rule in tip


def test_next_and_previous_finding_follow_document_order(qtbot, window, project_copy):
    open_file(qtbot, window, project_copy)
    passages = window.passages()
    assert len(passages) >= 5
    assert passages == sorted(passages, key=lambda p: (p[0], p[1]))
    seen = []
    for _ in range(6):
        qtbot.keyClick(window, Qt.Key_F3)
        seen.append(window.position)
    assert [p[2] for p in seen] == [p[2] for p in passages[:6]]
    assert window.doc_pane.is_visible(seen[-1][0], seen[-1][1])
    back = []
    for _ in range(3):
        qtbot.keyClick(window, Qt.Key_F3, Qt.ShiftModifier)
        back.append(window.position[2])
    assert back == [p[2] for p in passages[4::-1][:3]]
    assert window.side.tree.currentItem().data(0, Qt.UserRole) == ("finding", back[-1])


def test_find_counts_hits_and_steps_through_them(qtbot, window, project_copy):
    open_file(qtbot, window, project_copy)
    qtbot.keyClick(window, Qt.Key_F, Qt.ControlModifier)
    bar = window.doc_pane.find_bar
    assert bar.isVisible()
    qtbot.keyClicks(bar.edit, "personal information")
    expected = len(re.findall(r"personal\s+information", window.policy.text, re.I))
    assert expected > 3
    assert bar.count.text() == f"1 of {expected}"
    qtbot.keyClick(bar.edit, Qt.Key_Return)
    assert bar.count.text() == f"2 of {expected}"
    start, end = window.doc_pane.hits[1]
    assert window.doc_pane.is_visible(start, end)
    qtbot.keyClick(bar.edit, Qt.Key_Return, Qt.ShiftModifier)
    assert bar.count.text() == f"1 of {expected}"
    bar.edit.setText("no such words anywhere")
    assert bar.count.text() == "No matches"


def test_filters_and_topic_filter(qtbot, window, project_copy):
    open_file(qtbot, window, project_copy)
    side = window.side
    side.only_law.setChecked(True)
    shown = side.visible_item_ids()
    assert shown and all(window.state.item(i).severity == "law" for i in shown)
    side.status_filter.setCurrentIndex(side.status_filter.findData("missing"))
    shown = side.visible_item_ids()
    assert all(window.state.item(i).status == "missing" and window.state.item(i).severity == "law" for i in shown)
    side.clear_filters()
    assert len(side.visible_item_ids()) == len(window.state.items)
    topic = window.state.findings[0].finding.topic
    window.set_topic_filter({topic})
    assert {h.topic for h in window.highlights()} <= {topic}
    assert all(window.ruleset.items[i].topic == topic for i in side.visible_item_ids())
    window.set_topic_filter(None)
    assert len(side.visible_item_ids()) == len(window.state.items)


def test_tree_shows_27_topics_with_summaries_badges_and_verify_marks(qtbot, window, project_copy):
    open_file(qtbot, window, project_copy)
    tree = window.side.tree
    tops = [tree.topLevelItem(i) for i in range(tree.topLevelItemCount())]
    topics = [t for t in tops if t.data(0, Qt.UserRole)[0] == "topic"]
    assert len(topics) == 27
    assert all(re.search(r"\d+ (met|missing|review|n/a)", t.text(2)) for t in topics)
    verify = [i for i in window.ruleset.items.values() if i.verify]
    assert verify
    row = window.side.row_for("item", verify[0].id)
    assert "⚠ verify" in row.text(2)
    assert row.data(1, Qt.UserRole + 1) in ("law", "standard", "best_practice")


def test_red_flags_and_facts_jump_to_the_text(qtbot, window):
    open_file(qtbot, window, FIXTURES / "benewake.txt")
    facts = window.side.facts
    group = next(facts.topLevelItem(i) for i in range(facts.topLevelItemCount())
                 if facts.topLevelItem(i).text(0) == "Processor")
    row = group.child(0)
    assert row.data(0, Qt.UserRole)
    facts.scrollToItem(row)
    window.side.tabs.setCurrentWidget(facts)
    qtbot.mouseClick(facts.viewport(), Qt.LeftButton, pos=facts.visualItemRect(row).center())
    fact = window.state.analysis.facts[int(row.data(0, Qt.UserRole)[1].split(",")[0])]
    assert window.detail.kind == "fact"
    assert window.doc_pane.is_visible(fact.start, fact.end)
    if window.state.analysis.red_flags:
        flag = window.state.analysis.red_flags[-1]
        assert window.side.select("flag", flag.id)
        assert window.detail.kind == "flag"
        assert window.doc_pane.is_visible(flag.start, flag.end)
        assert any(h.ref == f"flag:{flag.id}" and h.style == "flag" for h in window.highlights())


# ---------------------------------------------------------------- reviewer actions

def test_override_with_justification_is_stored_in_the_project_file(qtbot, window, project_copy):
    open_file(qtbot, window, project_copy)
    item_id = next(st.item for st in window.state.items if st.status == "missing")
    click_tree_row(qtbot, window, "item", item_id)
    detail = window.detail
    detail.status_combo.setCurrentIndex(detail.status_combo.findData("not_applicable"))
    qtbot.keyClicks(detail.justification, "The app has no accounts; confirmed with the client.")
    qtbot.mouseClick(detail.save_override_button, Qt.LeftButton)
    with db(project_copy) as conn:
        rows = conn.execute("SELECT item, status, justification FROM overrides").fetchall()
        audit = conn.execute("SELECT action, target FROM audit WHERE action = 'set_override'").fetchall()
    assert rows == [(item_id, "not_applicable", "The app has no accounts; confirmed with the client.")]
    assert audit == [("set_override", item_id)]
    assert window.state.item(item_id).status == "not_applicable"
    assert "✎" in window.side.row_for("item", item_id).text(0)
    assert window.detail.kind == "item" and window.detail.key == item_id


def test_override_without_justification_is_refused(qtbot, window, project_copy):
    open_file(qtbot, window, project_copy)
    item_id = next(st.item for st in window.state.items if st.status == "missing")
    click_tree_row(qtbot, window, "item", item_id)
    detail = window.detail
    detail.status_combo.setCurrentIndex(detail.status_combo.findData("met"))
    qtbot.keyClicks(detail.justification, "   ")
    qtbot.mouseClick(detail.save_override_button, Qt.LeftButton)
    assert detail.override_message.isVisibleTo(detail)
    assert "justification" in detail.override_message.text()
    assert window.state.item(item_id).status == "missing"
    # the Review › Set status… dialog refuses too and stays open
    from reviewer.gui.dialogs import OverrideDialog

    dialog = OverrideDialog(window.ruleset.items[item_id], "missing",
                            lambda status, text: window.set_override(item_id, status, text), window)
    qtbot.addWidget(dialog)
    dialog.show()
    dialog._save()
    assert dialog.result() != QDialog.Accepted and dialog.isVisible()
    assert "justification" in dialog.message.text()
    dialog.close()
    with db(project_copy) as conn:
        assert conn.execute("SELECT count(*) FROM overrides").fetchone()[0] == 0


def test_accept_reject_and_notes_are_committed_at_once(qtbot, window, project_copy):
    open_file(qtbot, window, project_copy)
    f = window.state.findings[0].finding
    window.side.select("finding", f"finding:{f.id}")
    qtbot.mouseClick(window.detail.reject_button, Qt.LeftButton)
    assert window.state.findings[0].status == "rejected"
    assert any(h.ref == f"finding:{f.id}" and h.style == "rejected" for h in window.highlights())
    qtbot.keyClicks(window.detail.note_edit, "Too vague to count as evidence.")
    qtbot.mouseClick(window.detail.add_note_button, Qt.LeftButton)
    with db(project_copy) as conn:
        assert conn.execute("SELECT decision FROM finding_decisions").fetchall() == [("rejected",)]
        note = conn.execute("SELECT target_kind, text, author FROM notes").fetchone()
    assert note[:2] == ("finding", "Too vague to count as evidence.") and note[2]
    assert "Too vague" in " ".join(lb.text() for lb in window.detail.findChildren(main_window_module.QLabel))


def test_passages_only_a_classifier_found_can_be_hidden(qtbot, make_window, settings, project_copy):
    window = make_window()
    open_file(qtbot, window, project_copy)
    by_model = [fs.finding for fs in window.state.findings if fs.finding.by_classifier]
    by_rule = [fs.finding for fs in window.state.findings if not fs.finding.by_classifier]
    assert by_model and by_rule and all(f.rule.startswith("classifier/") for f in by_model)
    refs = {h.ref for h in window.highlights()}
    assert {f"finding:{f.id}" for f in by_model + by_rule} <= refs
    kept = by_model[0]
    window.side.select("finding", f"finding:{kept.id}")
    qtbot.mouseClick(window.detail.accept_button, Qt.LeftButton)

    window.act_classifier_passages.trigger()  # off
    assert not window.act_classifier_passages.isChecked()
    refs = {h.ref for h in window.highlights()}
    assert {f"finding:{f.id}" for f in by_rule} <= refs
    assert {r for r in refs if r.startswith("finding:")} & {f"finding:{f.id}" for f in by_model} == {
        f"finding:{kept.id}"}  # the one the reviewer accepted stays
    assert {ref for _, _, ref in window.passages()} == {r for r in refs if not r.startswith("flag:")}
    assert settings.value("view/classifier_passages", type=bool) is False
    assert make_window().act_classifier_passages.isChecked() is False  # remembered

    window.act_classifier_passages.trigger()  # on again
    assert {f"finding:{f.id}" for f in by_model} <= {h.ref for h in window.highlights()}


def test_manual_finding_by_selecting_text_in_the_reading_view(qtbot, window, project_copy, monkeypatch):
    open_file(qtbot, window, project_copy)
    view = window.doc_pane.text_view
    text = window.policy.text
    start = text.index("We will store the personal information")
    end = text.index(".", start) + 1
    window.doc_pane.reveal(start, end, flash=False)
    drag(view.viewport(), text_point(view, start), text_point(view, end, right_of_cursor=False))
    assert window.doc_pane.selection() == (start, end)
    assert window.act_mark.isEnabled()

    def fake_exec(dialog):
        dialog.choose("retention", "retention#RT-4")
        dialog.note.setText("Storage location")
        return QDialog.Accepted

    monkeypatch.setattr("reviewer.gui.dialogs.MarkAsDialog.exec", fake_exec)
    qtbot.keyClick(window, Qt.Key_M, Qt.ControlModifier)
    with db(project_copy) as conn:
        rows = conn.execute("SELECT id, start_pos, end_pos, text, topic, item, note FROM manual_findings").fetchall()
    assert len(rows) == 1
    manual_id, s, e, quoted, topic, item, note = rows[0]
    assert (s, e) == (start, end) and quoted == text[start:end]
    assert (topic, item, note) == ("retention", "retention#RT-4", "Storage location")
    assert any(h.ref == f"manual:{manual_id}" and h.style == "manual" for h in window.highlights())
    row = window.side.row_for("finding", f"manual:{manual_id}")
    assert row is not None and row.parent().data(0, Qt.UserRole) == ("item", "retention#RT-4")
    assert f"manual:{manual_id}" in [p[2] for p in window.passages()]


def test_manual_finding_by_dragging_over_pdf_words(qtbot, window, monkeypatch):
    open_file(qtbot, window, FIXTURES / "benewake.pdf")
    pdf = window.doc_pane.pdf_view
    words = pdf._page_word_boxes(1)
    first, last = words[5], words[12]
    assert first.page == last.page == 1
    to_view = lambda b: pdf.mapFromScene(pdf.pages[0].mapToScene(QPointF((b.x0 + b.x1) / 2, (b.top + b.bottom) / 2)))
    pdf.reveal(first.start, last.end, flash=False)
    drag(pdf.viewport(), to_view(first), to_view(last))
    assert pdf.selection() == (first.start, last.end)
    assert pdf._selection_items

    def fake_exec(dialog):
        dialog.choose("processor_identity_contact")
        return QDialog.Accepted

    monkeypatch.setattr("reviewer.gui.dialogs.MarkAsDialog.exec", fake_exec)
    window.mark_selection()
    manual = window.state.manual_findings
    assert len(manual) == 1
    assert (manual[0].start, manual[0].end) == (first.start, last.end)
    assert manual[0].topic == "processor_identity_contact" and manual[0].item is None
    rects = pdf.highlight_rects(f"manual:{manual[0].id}")
    assert rects and {p for p, _ in rects} == {1}


def test_project_reopens_with_the_reviewers_work(qtbot, make_window, project_copy, settings):
    first = make_window()
    open_file(qtbot, first, project_copy)
    item_id = next(st.item for st in first.state.items if st.status == "missing")
    assert first.set_override(item_id, "needs_review", "Ask the client") is None
    first.close()
    assert not Path(str(project_copy) + "-wal").exists()
    assert not Path(str(project_copy) + ".lock").exists()
    second = make_window()
    assert second.recent_files()[0][1] == str(project_copy.resolve())
    open_file(qtbot, second, project_copy)
    st = second.state.item(item_id)
    assert st.status == "needs_review" and st.override.justification == "Ask the client"


# ---------------------------------------------------------------- files, errors, settings

def test_open_policy_without_project_creates_an_untitled_project(qtbot, window, tmp_path):
    open_file(qtbot, window, FIXTURES / "benewake.txt")
    project_path = window.project.path
    assert project_path.parent == tmp_path / "untitled"
    assert project_path.suffix == ".piplrev" and project_path.name.startswith("Untitled")
    with db(project_path) as conn:
        assert conn.execute("SELECT file_name FROM documents").fetchall() == [("benewake.txt",)]
    copy = tmp_path / "kept" / "Benewake review.piplrev"
    copy.parent.mkdir()
    assert window.save_as(copy)
    assert window.project.path == copy
    with db(copy) as conn:
        assert conn.execute("PRAGMA application_id").fetchone()[0] == 0x50495052
        assert conn.execute("SELECT count(*) FROM documents").fetchone()[0] == 1
    assert copy.name in window.windowTitle()


def test_second_policy_is_added_to_the_open_project(qtbot, window, project_copy):
    open_file(qtbot, window, project_copy)
    open_file(qtbot, window, FIXTURES / "bench3d.txt")
    assert window.project.path == project_copy
    assert window.doc_combo.count() == 2 and window.doc_combo.isEnabled()
    first_id = window.doc_combo.itemData(0)
    with qtbot.waitSignal(window.task_ended, timeout=OPEN_TIMEOUT):
        window.doc_combo.setCurrentIndex(0)
        window.doc_combo.activated.emit(0)
    assert window.doc_id == first_id
    assert window.state.document.file_name == "benewake.txt"


@pytest.mark.parametrize("name,content", [
    ("broken.pdf", b"%PDF-1.7\nthis is not really a PDF\n"),
    ("empty.docx", b""),
    ("notes.xyz", b"plain words"),
    ("fake.piplrev", b"just some text, not a database\n" * 10),
])
def test_bad_file_gives_a_clear_message_and_keeps_the_project(qtbot, window, project_copy, tmp_path, warnings,
                                                              name, content):
    open_file(qtbot, window, project_copy)
    project, policy, state = window.project, window.policy, window.state
    bad = tmp_path / name
    bad.write_bytes(content)
    with qtbot.waitSignal(window.task_ended, timeout=OPEN_TIMEOUT) as blocker:
        window.open_path(bad)
    assert blocker.args == ["failed"]
    assert len(warnings) == 1
    title, message = warnings[0]
    assert name in message and "\n" not in message and "Traceback" not in message
    assert window.project is project and not project.closed
    assert window.policy is policy and window.state is state
    assert window.doc_pane.policy is policy
    with db(project_copy) as conn:
        assert conn.execute("SELECT count(*) FROM documents").fetchone()[0] == 1
    assert bad.read_bytes() == content, "a bad file is never modified"


def test_cancel_a_long_load(qtbot, window, tmp_path):
    import pypdfium2 as pdfium

    big = tmp_path / "long.pdf"
    out = pdfium.PdfDocument.new()
    source = pdfium.PdfDocument(str(FIXTURES / "baiinfo.pdf"))
    while len(out) < 300:
        out.import_pages(source)
    pages = len(out)
    out.save(str(big))
    out.close()
    source.close()

    progress = []
    window.open_path(big)
    task = window.task
    task.signals.progress.connect(lambda done, total, what: progress.append((done, total)))
    qtbot.waitUntil(lambda: any(total > 0 for _, total in progress), timeout=60_000)
    assert window.progress.isVisible() and window.cancel_button.isVisible()
    assert window.progress.maximum() == pages
    with qtbot.waitSignal(window.task_ended) as blocker:
        qtbot.mouseClick(window.cancel_button, Qt.LeftButton)
    assert blocker.args == ["cancelled"]
    assert not window.progress.isVisible()
    assert window.project is None and window.state is None
    assert window.doc_pane.view is None
    assert task.done.wait(60), "the worker stops at the next page"
    assert max(done for done, _ in progress) < pages
    assert not (tmp_path / "untitled").exists() or not list((tmp_path / "untitled").iterdir())
    open_file(qtbot, window, FIXTURES / "benewake.txt")  # the window still works


def test_drop_a_file_onto_the_window(qtbot, window):
    mime = QMimeData()
    mime.setUrls([QUrl.fromLocalFile(str(FIXTURES / "benewake.txt"))])
    pos = QPointF(window.rect().center())
    event = QDropEvent(pos, Qt.CopyAction, mime, Qt.LeftButton, Qt.NoModifier)
    with qtbot.waitSignal(window.task_ended, timeout=OPEN_TIMEOUT) as blocker:
        window.dropEvent(event)
    assert blocker.args == ["finished"]
    assert window.state.document.file_name == "benewake.txt"


def test_window_remembers_geometry_splitters_and_recent_files(qtbot, make_window, project_copy, settings):
    screen = QApplication.primaryScreen().availableGeometry()
    width, height = min(1234, screen.width() - 60), min(777, screen.height() - 60)
    first = make_window()
    first.resize(width, height)
    first.split.setSizes([width // 2, width - width // 2])
    open_file(qtbot, first, project_copy)
    sizes = first.split.sizes()
    first.close()
    second = make_window(size=None)
    assert (second.size().width(), second.size().height()) == (width, height)
    assert second.split.sizes() == sizes
    assert [p for _, p in second.recent_files()] == [str(project_copy.resolve())]
    assert Path(settings.fileName()).exists()


def test_export_memo(qtbot, window, project_copy, tmp_path):
    import docx

    open_file(qtbot, window, project_copy)
    out = tmp_path / "memo.docx"
    with qtbot.waitSignal(window.task_ended, timeout=OPEN_TIMEOUT) as blocker:
        window.export_memo(out)
    assert blocker.args == ["finished"]
    text = "\n".join(p.text for p in docx.Document(str(out)).paragraphs)
    assert "Executive summary" in text


def test_chinese_policy_renders_with_a_cjk_font(qtbot, window, tmp_path):
    from PySide6.QtGui import QFont, QFontDatabase, QFontMetrics

    policy = tmp_path / "隐私政策.txt"
    policy.write_text("隐私政策\n\n一、我们如何收集和使用您的个人信息\n\n"
                      "我们会在实现本政策所述目的所必需的期限内保存您的个人信息，"
                      "超出保存期限后，我们将删除或匿名化处理您的个人信息。\n\n"
                      "如您对本政策有任何疑问，可以通过电子邮件 privacy@example.cn 与我们联系，"
                      "我们将在十五个工作日内回复。\n", encoding="utf-8")
    open_file(qtbot, window, policy)
    assert window.policy.lang == "zh"
    view = window.doc_pane.text_view
    assert "隐私政策" in view.toPlainText()
    families = view.document().defaultFont().families()
    cjk = [f for f in families if "CJK" in f or "YaHei" in f or "PingFang" in f]
    assert cjk
    if "Noto Sans CJK SC" in QFontDatabase.families():
        assert QFontMetrics(QFont("Noto Sans CJK SC")).inFont("个")
        assert QFontMetrics(view.document().defaultFont()).horizontalAdvance("个人信息") > 0
    window.side.select("item", window.state.items[0].item)
    assert window.detail.kind == "item"


def test_screenshot_command(tmp_path):
    out = tmp_path / "shot.png"
    env = dict(os.environ, QT_QPA_PLATFORM="offscreen", XDG_CONFIG_HOME=str(tmp_path / "config"),
               XDG_DATA_HOME=str(tmp_path / "data"))
    result = subprocess.run([sys.executable, "-m", "reviewer", "gui", str(FIXTURES / "benewake.txt"),
                             "--screenshot", str(out)], capture_output=True, text=True, env=env, timeout=600)
    assert result.returncode == 0, result.stderr
    from PySide6.QtGui import QImage

    image = QImage(str(out))
    assert (image.width(), image.height()) == (1600, 1000)
    assert not (tmp_path / "data").exists(), "screenshot mode leaves no project behind"
    bad = subprocess.run([sys.executable, "-m", "reviewer", "gui", str(tmp_path / "missing.pdf"),
                          "--screenshot", str(tmp_path / "x.png")], capture_output=True, text=True, env=env,
                         timeout=600)
    assert bad.returncode == 2 and "missing.pdf" in bad.stderr and "Traceback" not in bad.stderr


# ---------------------------------------------------------------- audit trail, files from the system, red flags

def test_audit_trail_lists_every_change_newest_first(qtbot, window, project_copy):
    from reviewer.gui.dialogs import AuditDialog

    open_file(qtbot, window, project_copy)
    item = window.state.items[0]
    code = window.items_by_id[item.item].code
    assert window.set_override(item.item, "needs_review", "Wording is ambiguous") is None
    ref = window.passages()[0][2]
    assert window.decide(ref, "rejected") is None
    window.act_audit.trigger()
    dialog = window.findChild(AuditDialog)
    assert dialog is not None and dialog.isVisible()
    table = dialog.table
    rows = [[table.item(r, c).text() for c in range(table.columnCount())] for r in range(table.rowCount())]
    headers = [table.horizontalHeaderItem(c).text() for c in range(table.columnCount())]
    assert headers == ["Time", "Author", "Action", "Policy", "Target", "Old → new"]
    reviewer, name = window.project.reviewer, window.state.document.name
    decided, overridden = rows[0], rows[1]
    assert decided[1:4] == [reviewer, "Passage decided", name]
    assert decided[4].endswith(")") and "characters" in decided[4]
    assert decided[5] == "— → rejected"
    assert overridden[1:5] == [reviewer, "Status overridden", name, code]
    assert overridden[5] == "— → status: needs_review; justification: Wording is ambiguous"
    assert re.fullmatch(r"\d{4}-\d\d-\d\d \d\d:\d\d:\d\d", overridden[0])
    assert [r[2] for r in rows[-2:]] == ["Policy added", "Project created"]
    assert dialog.count.text() == f"{len(rows)} entries"
    # one policy's changes only: the project's own entries drop out
    dialog.scope.setCurrentIndex(dialog.scope.findData(window.doc_id))
    assert table.rowCount() == len(rows) - 1
    assert table.item(table.rowCount() - 1, 2).text() == "Policy added"
    dialog.close()


def test_files_opened_from_the_system_arrive_as_file_open_events(qtbot, window, project_copy, qapp):
    from PySide6.QtGui import QFileOpenEvent

    with qtbot.waitSignal(window.task_ended, timeout=OPEN_TIMEOUT) as blocker:
        QApplication.postEvent(qapp, QFileOpenEvent(str(project_copy)))
    assert blocker.args == ["finished"]
    assert window.project.path == project_copy
    with qtbot.waitSignal(window.task_ended, timeout=OPEN_TIMEOUT) as blocker:
        QApplication.postEvent(qapp, QFileOpenEvent(QUrl.fromLocalFile(str(FIXTURES / "bench3d.txt"))))
    assert blocker.args == ["finished"]
    assert window.state.document.file_name == "bench3d.txt"
    assert [info.file_name for info in window.project.documents()] == ["benewake.txt", "bench3d.txt"]


def red_pixels(image, rect) -> int:
    """Pixels of ``image`` inside ``rect`` that are a strong red."""
    count = 0
    rect = rect.toAlignedRect().intersected(image.rect())
    for y in range(rect.top(), rect.bottom() + 1):
        for x in range(rect.left(), rect.right() + 1):
            c = image.pixelColor(x, y)
            count += c.red() > 170 and c.green() < 70 and c.blue() < 70
    return count


def test_red_flags_are_marked_in_the_pdf_view(qtbot, window):
    from reviewer.gui.app import settle

    open_file(qtbot, window, FIXTURES / "benewake.pdf")
    view = window.doc_pane.pdf_view
    flag = window.state.analysis.red_flags[2]
    assert window.side.select("flag", flag.id)
    settle(window)
    rects = view.highlight_rects(f"flag:{flag.id}")
    assert rects
    item = view._items[f"flag:{flag.id}"][0]
    assert item.style == "flag" and item.bar.right() < min(r.left() for _, r in rects)  # in the page margin
    image = view.viewport().grab().toImage()
    bar = view.mapFromScene(item.mapRectToScene(item.bar)).boundingRect()
    assert red_pixels(image, QRectF(bar)) >= 0.6 * bar.width() * bar.height()
    under = item.mapRectToScene(item.rects[0])
    line = view.mapFromScene(QRectF(under.left(), under.bottom() + 0.5, under.width(), 1.5)).boundingRect()
    assert red_pixels(image, QRectF(line)) >= line.width() * 0.8  # underlined along the line


def test_red_flags_are_marked_in_the_reading_view(qtbot, window):
    from PySide6.QtGui import QTextCharFormat

    open_file(qtbot, window, FIXTURES / "bench3d.txt")
    view = window.doc_pane.text_view
    flag = window.state.analysis.red_flags[1]
    assert window.side.select("flag", flag.id)
    qtbot.waitUntil(lambda: not view._flash_timer.isActive(), timeout=5000)
    fmt = next(s.format for s, h in zip(view._base, view._highlights) if h.ref == f"flag:{flag.id}")
    assert fmt.underlineStyle() == QTextCharFormat.WaveUnderline and fmt.background().color().alpha() >= 50
    bars = view.flag_bars()
    assert bars and all(bar.right() < view.document().documentMargin() for bar in bars)
    image = view.viewport().grab().toImage()
    assert max(red_pixels(image, bar) for bar in bars) >= 0.6 * bars[0].width() * bars[0].height()
    assert "⚑ red flag" in window.doc_pane.legend.text()


def test_the_review_is_shown_while_it_is_saved(qtbot, window, monkeypatch):
    import threading

    from reviewer.core.project import Project

    release = threading.Event()
    add_document = Project.add_document

    def slow_add_document(self, *args, **kwargs):
        release.wait(60)
        return add_document(self, *args, **kwargs)

    monkeypatch.setattr(Project, "add_document", slow_add_document)
    with qtbot.waitSignal(window.review_ready, timeout=OPEN_TIMEOUT):
        window.open_path(FIXTURES / "benewake.txt")
    assert window.doc_id is None and window.passages() and window.task is not None
    item = window.state.items[0].item
    assert "still being saved" in window.set_override(item, "met", "Checked")
    assert not window.act_note.isEnabled()
    window.side.select("item", item)  # the reviewer can look around meanwhile
    with qtbot.waitSignal(window.task_ended, timeout=OPEN_TIMEOUT) as blocker:
        release.set()
    assert blocker.args == ["finished"]
    assert window.doc_id is not None and window.selection_key == ("item", item)
    assert window.act_note.isEnabled()
    assert window.set_override(item, "met", "Checked") is None


def test_engine_answers_a_large_request_after_a_cancel(fixtures):
    """After a cancel restarts the analysis process, a large request (a project's
    embedded PDF) is answered: the process never sends a large message unasked,
    so the two sides cannot block each other writing."""
    from reviewer.gui.engine_process import Cancelled, Engine

    engine = Engine()
    try:
        with pytest.raises(Cancelled):
            engine.run(("review", str(fixtures / "baiinfo.pdf"), None, set()), lambda: True)
        data = (fixtures / "baiinfo.pdf").read_bytes()
        padded = data + b"\n%" + b"x" * (4 * 2**20) + b"\n"  # comment bytes after %%EOF: still a PDF
        document, review = engine.run(("document", padded, "baiinfo.pdf", None), lambda: False)
        assert review is None and document.format == "pdf" and "Privacy" in document.text
        assert engine.ruleset().info.id == "pipl"
    finally:
        engine.close()


def test_first_pages_are_highlighted_before_the_whole_review(qtbot, window, fixtures):
    """A long PDF's first pages get their highlights ahead of the whole analysis;
    the whole review then replaces them."""
    from reviewer.gui.engine_process import ENGINE

    ENGINE.ruleset()
    events = []
    original = window._show_preview

    def preview(analysis):
        events.append(("preview", len(analysis.findings)))
        original(analysis)
        events.append(("highlights", len(window.doc_pane.pdf_view._items)))

    window._show_preview = preview
    window.review_ready.connect(lambda: events.append(("review", None)))
    window.open_path(fixtures / "benewake.pdf")
    qtbot.waitUntil(lambda: ("review", None) in events, timeout=60000)
    assert events[0][0] == "preview" and events[0][1] > 0
    assert events[1] == ("highlights", events[0][1]) or events[1][1] > 0
    assert events.index(("review", None)) > 1
    assert all(ref.startswith(("finding:", "flag:", "manual:")) for ref in window.doc_pane.pdf_view._items)


def test_audit_targets_read_as_item_codes():
    from reviewer.core.rules import load_ruleset
    from reviewer.gui.dialogs import audit_target

    items = load_ruleset().items
    assert audit_target("retention#RT-1", items) == "RT-1"
    assert audit_target("item:retention#RT-1", items) == "RT-1"
    assert audit_target("benewake.txt", items) == "benewake.txt"
