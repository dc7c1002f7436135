"""Installs test guards in every Python process a test starts with this folder
on PYTHONPATH (the processes inherit it, so the GUI's analysis process does too).

PIPL_TEST_NETWORK_LOG=FILE      block internet sockets; each attempt is a line appended to FILE
PIPL_TEST_UNREADABLE=PATH       reading PATH through the loaders fails with "permission denied"
PIPL_TEST_CHANGE_ON_READ=PATH   reading PATH through the loaders changes it right after
"""
import os

import guards

if os.environ.get("PIPL_TEST_NETWORK_LOG"):
    def _record(what, log=os.environ["PIPL_TEST_NETWORK_LOG"]):
        import sys

        with open(log, "a", encoding="utf-8") as fh:
            fh.write(f"process {os.getpid()} ({' '.join(sys.argv)[:80]}): {what}\n")

    guards.block_network(_record)

if os.environ.get("PIPL_TEST_UNREADABLE") or os.environ.get("PIPL_TEST_CHANGE_ON_READ"):
    import builtins

    import reviewer.core.loaders as _loaders

    _open = builtins.open
    if os.environ.get("PIPL_TEST_CHANGE_ON_READ"):
        _open = guards.changing_open(os.environ["PIPL_TEST_CHANGE_ON_READ"], _open)
    if os.environ.get("PIPL_TEST_UNREADABLE"):
        _open = guards.unreadable_open(os.environ["PIPL_TEST_UNREADABLE"], _open)
    _loaders.open = _open
