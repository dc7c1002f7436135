"""Entry point of the desktop bundle.

``pipl-reviewer`` is the command line (``pipl-reviewer --help``); without
arguments it opens the desktop reviewer, and given just a file (as a file
association or a double click gives it) it opens that file in the desktop
reviewer. On Windows ``pipl-reviewer-gui.exe`` does the same without a console
window.
"""
import multiprocessing
import sys
from pathlib import Path

COMMANDS = {"review", "project", "memo", "gui", "demo"}


def arguments(argv: list[str]) -> list[str]:
    if len(argv) == 1 and argv[0] not in COMMANDS and not argv[0].startswith("-") \
            and Path(argv[0]).exists():
        return ["gui", argv[0]]
    return argv


if __name__ == "__main__":
    multiprocessing.freeze_support()  # the GUI's analysis process starts this program again
    from reviewer.cli import main

    raise SystemExit(main(arguments(sys.argv[1:])))
