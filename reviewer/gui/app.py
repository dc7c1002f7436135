"""Start the desktop reviewer: ``run(file=None, screenshot=None) -> exit code``."""
from __future__ import annotations

import multiprocessing
import os
import sys
import tempfile
import time
from pathlib import Path

from PySide6.QtCore import QEventLoop, QSettings, QTimer
from PySide6.QtWidgets import QApplication

from . import qtcompat  # noqa: F401 - must come before the widgets are used
from .main_window import APP_NAME, ORG_NAME, MainWindow, ReviewerApp
from .style import ui_font
from .workers import ENGINE

SCREENSHOT_SIZE = (1600, 1000)
SCREENSHOT_TIMEOUT = 300.0


def make_app() -> QApplication:
    # Worker threads here only unpack results and write the project; handing the
    # interpreter lock back to the UI thread after 1 ms instead of 5 keeps it responsive.
    sys.setswitchinterval(0.001)
    app = QApplication.instance()
    if app is None:
        app = ReviewerApp([sys.argv[0] if sys.argv else "pipl-reviewer"])
    app.setOrganizationName(ORG_NAME)
    app.setApplicationName(APP_NAME)
    app.setStyle("Fusion")
    font = ui_font()
    font.setPointSizeF(app.font().pointSizeF())
    app.setFont(font)
    return app


def _has_display() -> bool:
    if sys.platform in ("win32", "darwin"):
        return True
    return bool(os.environ.get("DISPLAY") or os.environ.get("WAYLAND_DISPLAY"))


def run(file=None, screenshot=None) -> int:
    multiprocessing.freeze_support()
    if screenshot and not _has_display():
        os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    app = make_app()
    if screenshot:
        return take_screenshot(file, screenshot)
    window = MainWindow()
    window.show()
    if file:
        QTimer.singleShot(0, lambda: window.open_path(file))
    try:
        return app.exec()
    finally:
        ENGINE.close()


def wait_until(condition, timeout: float) -> bool:
    """Process events until ``condition()`` holds or ``timeout`` seconds pass."""
    deadline = time.monotonic() + timeout
    loop = QEventLoop()
    while not condition():
        if time.monotonic() > deadline:
            return False
        QTimer.singleShot(20, loop.quit)
        loop.exec()
    return True


def settle(window: MainWindow, timeout: float = 30.0) -> None:
    """Wait for the flash to end and the visible PDF pages to be drawn sharp."""
    pane = window.doc_pane

    def ready() -> bool:
        view = pane.view
        if view is pane.pdf_view:
            return (not view._flash_timer.isActive() and view.renderer_idle()
                    and all(view.has_page_image(i) for i in view.visible_pages()))
        return view is None or not view._flash_timer.isActive()

    wait_until(ready, timeout)
    wait_until(lambda: False, 0.2)


def take_screenshot(file, out, size=SCREENSHOT_SIZE) -> int:
    """Open ``file``, wait for the analysis, select the first passage and save a
    picture of the whole window to ``out``."""
    if not file:
        print("pipl-reviewer: --screenshot needs a FILE to open", file=sys.stderr)
        return 2
    with tempfile.TemporaryDirectory(prefix="pipl-reviewer-") as tmp:
        settings = QSettings(str(Path(tmp) / "settings.ini"), QSettings.IniFormat)
        window = MainWindow(settings=settings, untitled_dir=Path(tmp), remember=False)
        errors: list[str] = []
        window._warn = lambda title, message: errors.append(message)
        ended: list[str] = []
        window.task_ended.connect(ended.append)
        window.resize(*size)
        window.show()
        window.open_path(file)
        if not wait_until(lambda: bool(ended), SCREENSHOT_TIMEOUT):
            print(f"pipl-reviewer: {Path(file).name}: timed out", file=sys.stderr)
            window.close()
            return 1
        if errors or ended[0] != "finished":
            print(f"pipl-reviewer: {errors[0] if errors else 'cancelled'}", file=sys.stderr)
            window.close()
            return 2
        window.next_finding()
        settle(window)
        ok = window.grab().save(str(out))
        window.close()
    if not ok:
        print(f"pipl-reviewer: cannot write {out}", file=sys.stderr)
        return 1
    print(out)
    return 0
