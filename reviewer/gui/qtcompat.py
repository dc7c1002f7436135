"""Fixes for known PySide6 problems, applied before the first widget is made."""
import ctypes
import sys


def _guard_none_refcount() -> None:
    """Work around a shiboken6 bug on CPython before 3.12.

    shiboken6 6.12.0 returns ``None`` from void methods without taking a
    reference, so every such call (``setText``, ``setPen``…) drops one reference
    to ``None``, and after some thousands of calls the interpreter aborts with
    "deallocating None". Python 3.12 made ``None`` immortal, which hides the bug
    there. When the bug shows, ``None`` gets a reference count no session can
    exhaust, which is what 3.12 does.
    """
    if sys.version_info >= (3, 12) or sys.implementation.name != "cpython":
        return
    from PySide6.QtCore import QPoint

    point = QPoint()
    before = sys.getrefcount(None)
    for _ in range(64):
        point.setX(1)
    if sys.getrefcount(None) < before - 32:
        ctypes.c_ssize_t.from_address(id(None)).value += 1 << 60


_guard_none_refcount()
