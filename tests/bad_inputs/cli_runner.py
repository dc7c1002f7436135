"""Run ``pipl-reviewer`` commands one after another, each in its own process.

Python and spaCy take seconds to start, which would drown the time the CLI
spends on a bad file. This process imports the app once, warms it up, then for
every request forks a child that runs ``reviewer.cli.main(args)`` exactly as
``python -m reviewer`` does, under an address-space limit. The parent waits
with a time limit and reports the exit code, the wall time and the child's
peak memory.

Protocol: one JSON object a line on stdin
``{"args": [...], "stdout": PATH, "stderr": PATH, "memory_mb": N, "timeout": S,
"uid": a user id to switch to, "change_on_read": a path}`` (the last two optional:
see ``hooks/guards.py`` for the second);
one JSON object a line on stdout with ``code``, ``seconds``, ``max_rss_mb`` and
``timed_out``. POSIX only.
"""
from __future__ import annotations

import json
import os
import resource
import signal
import sys
import time
import traceback
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "hooks"))

from guards import changing_open  # noqa: E402


def warm_up() -> None:
    import reviewer.cli  # noqa: F401
    import reviewer.core.memo  # noqa: F401
    import reviewer.core.project  # noqa: F401
    from reviewer.core.loaders import docx, html, pdf, text  # noqa: F401
    from reviewer.core.review import review_document
    from reviewer.core.document import Document, Block

    for sample in ("Privacy Policy. We collect your name and email address.",
                   "隐私政策。我们会收集您的手机号码。"):
        document = Document(path="warm-up.txt", format="txt", text=sample, sha256="0" * 64,
                            blocks=(Block(kind="paragraph", start=0, end=len(sample), text=sample),),
                            lang="zh" if "隐" in sample else "en")
        review_document(document)


def child(request: dict) -> int:
    limit = request.get("memory_mb", 3072) * 2**20
    resource.setrlimit(resource.RLIMIT_AS, (limit, limit))
    out = os.open(request["stdout"], os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o644)
    err = os.open(request["stderr"], os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o644)
    os.dup2(out, 1)
    os.dup2(err, 2)
    if request.get("uid") is not None:
        os.setgid(request["uid"])
        os.setuid(request["uid"])
    import reviewer.core.loaders as loaders
    from reviewer.cli import main

    if request.get("change_on_read"):
        loaders.open = changing_open(request["change_on_read"])

    try:
        code = main(request["args"])
    except SystemExit as exc:
        code = exc.code if isinstance(exc.code, int) else 1
    except BaseException:  # the traceback is what the test looks for
        traceback.print_exc()
        code = 1
    sys.stdout.flush()
    sys.stderr.flush()
    return code or 0


def run(request: dict) -> dict:
    start = time.monotonic()
    pid = os.fork()
    if pid == 0:
        code = 1
        try:
            code = child(request)
        finally:
            os._exit(code)
    deadline = start + request.get("timeout", 60)
    timed_out = False
    while True:
        done, status, usage = os.wait4(pid, os.WNOHANG)
        if done:
            break
        if time.monotonic() > deadline:
            os.kill(pid, signal.SIGKILL)
            _, status, usage = os.wait4(pid, 0)
            timed_out = True
            break
        time.sleep(0.01)
    return {"code": os.waitstatus_to_exitcode(status), "seconds": time.monotonic() - start,
            "max_rss_mb": usage.ru_maxrss / 1024, "timed_out": timed_out}


def main() -> None:
    warm_up()
    print(json.dumps({"ready": True}), flush=True)
    for line in sys.stdin:
        if line.strip():
            print(json.dumps(run(json.loads(line))), flush=True)


if __name__ == "__main__":
    main()
