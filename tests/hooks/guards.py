"""Test guards shared by the tests and by ``sitecustomize.py`` (for the processes
the tests start, such as the GUI's analysis process).

``block_network(record)`` makes internet sockets and name lookups raise and calls
``record(what)`` for each attempt, naming the function that tried; local sockets
(AF_UNIX, used for pipes between processes) still work. ``harmless(what)`` tells
the one known attempt that is no connection: urllib3 (imported by spaCy's
command-line module) creates an IPv6 socket at import to see whether the system
has IPv6, and never connects it. ``changing_open(path)`` and ``unreadable_open(path)`` are
replacements for ``open`` in ``reviewer.core.loaders``: the first appends to
``path`` right after reading it (another program saving it at that moment), the
second refuses it as the operating system refuses a user without read permission;
``base`` is the ``open`` they wrap.
"""
from __future__ import annotations

import builtins
import os
import socket
import sys

INTERNET = {socket.AF_INET, socket.AF_INET6}


def block_network(record) -> list:
    """Install the block; returns ``[(module, name, original)]`` to undo it."""
    originals = []

    class GuardedSocket(socket.socket):
        def __init__(self, family=-1, type=-1, proto=-1, fileno=None):
            if fileno is None and (family == -1 or family in INTERNET):
                record(f"socket.socket(family={family}) by {caller()}")
                raise OSError("network access is blocked (offline test)")
            super().__init__(family, type, proto, fileno)

    def refuse(name):
        def blocked(*args, **kwargs):
            record(f"socket.{name}{args[:2]} by {caller()}")
            raise OSError("network access is blocked (offline test)")
        return blocked

    replacements = {"socket": GuardedSocket}
    for name in ("create_connection", "create_server", "getaddrinfo", "gethostbyname",
                 "gethostbyname_ex", "gethostbyaddr"):
        replacements[name] = refuse(name)
    for name, value in replacements.items():
        originals.append((socket, name, getattr(socket, name)))
        setattr(socket, name, value)
    return originals


def caller() -> str:
    frame = sys._getframe(2)
    return f"{frame.f_code.co_filename}:{frame.f_code.co_name}"


def harmless(what: str) -> bool:
    return "urllib3" in what and what.endswith(":_has_ipv6")


def changing_open(path, base=builtins.open):
    path = os.path.abspath(path)

    def open_(file, mode="r", *args, **kwargs):
        handle = base(file, mode, *args, **kwargs)
        if "r" in mode and os.path.abspath(file) == path:
            read = handle.read

            def read_and_change(*a):
                data = read(*a)
                with builtins.open(path, "ab") as other:
                    other.write(b"\nA line added by another program.\n")
                return data

            handle.read = read_and_change
        return handle

    return open_


def unreadable_open(path, base=builtins.open):
    path = os.path.abspath(path)

    def open_(file, mode="r", *args, **kwargs):
        if os.path.abspath(file) == path:
            raise PermissionError(13, "Permission denied", str(file))
        return base(file, mode, *args, **kwargs)

    return open_
