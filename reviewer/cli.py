"""Command line: ``pipl-reviewer review FILE... --json-dir DIR`` and friends.

Exit codes: 0 success, 2 bad input (one line on stderr), 1 internal error.
"""
from __future__ import annotations

import argparse
import json
import os
import sys
import traceback
from pathlib import Path

from . import __version__
from .core.document import LoadError

EXIT_OK, EXIT_INTERNAL, EXIT_BAD_INPUT = 0, 1, 2


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="pipl-reviewer",
        description="Review privacy policies against China's PIPL, offline.")
    parser.add_argument("--version", action="version", version=f"pipl-reviewer {__version__}")
    sub = parser.add_subparsers(dest="command")

    review = sub.add_parser("review", help="analyse policy files headlessly")
    review.add_argument("files", nargs="+", metavar="FILE")
    review.add_argument("--json-dir", metavar="DIR", help="write DIR/<file name>.json per input")
    review.add_argument("--json", metavar="OUT", help="with one file: write the JSON to OUT ('-' = stdout)")
    review.add_argument("--lang", choices=["auto", "en", "zh"], default="auto")

    gui = sub.add_parser("gui", help="open the desktop reviewer")
    gui.add_argument("file", nargs="?")
    gui.add_argument("--screenshot", metavar="PNG")

    sub.add_parser("demo", help="open the bundled sample (headless summary without a display)")
    return parser


def _summary(review) -> str:
    doc = review.document
    pages = f", {doc.pages} pages" if doc.pages else ""
    analysis = review.analysis
    counts = {status: 0 for status in ("met", "missing", "needs_review", "not_applicable")}
    for verdict in analysis.checklist:
        counts[verdict.status] += 1
    law_missing = sum(1 for v in analysis.checklist if v.status == "missing" and v.severity == "law")
    topics = len({f.topic for f in analysis.findings})
    parts = [f"{Path(doc.path).name}: {doc.format}, {doc.lang}{pages}, "
             f"{len(doc.text):,} characters, {len(review.segments)} segments",
             f"  {len(analysis.findings)} findings in {topics} topics; checklist: "
             f"{counts['met']} met, {counts['missing']} missing ({law_missing} law), "
             f"{counts['needs_review']} needs review, {counts['not_applicable']} not applicable; "
             f"{len(analysis.red_flags)} red flags"]
    for warning in doc.warnings:
        parts.append(f"  warning: {warning}")
    return "\n".join(parts)


def _write_json(data: dict, target: str) -> None:
    text = json.dumps(data, ensure_ascii=False, indent=1)
    if target == "-":
        sys.stdout.write(text + "\n")
        return
    tmp = f"{target}.part"
    with open(tmp, "w", encoding="utf-8") as fh:
        fh.write(text)
    os.replace(tmp, target)


def cmd_review(args) -> int:
    from .core.review import review_file, to_json

    if args.json and len(args.files) != 1:
        print("pipl-reviewer: --json takes exactly one input file; use --json-dir for several",
              file=sys.stderr)
        return EXIT_BAD_INPUT
    if args.json_dir:
        Path(args.json_dir).mkdir(parents=True, exist_ok=True)
    lang = None if args.lang == "auto" else args.lang
    status = EXIT_OK
    for path in args.files:
        try:
            review = review_file(path, lang=lang)
        except LoadError as exc:
            print(f"pipl-reviewer: {exc}", file=sys.stderr)
            status = status or EXIT_BAD_INPUT
            continue
        except Exception as exc:  # noqa: BLE001 - report, keep going with the next file
            print(f"pipl-reviewer: {Path(path).name}: internal error: "
                  f"{type(exc).__name__}: {exc}", file=sys.stderr)
            if os.environ.get("PIPL_REVIEWER_DEBUG"):
                traceback.print_exc()
            status = EXIT_INTERNAL
            continue
        data = to_json(review)
        if args.json:
            _write_json(data, args.json)
        if args.json_dir:
            _write_json(data, str(Path(args.json_dir) / f"{Path(path).name}.json"))
        print(_summary(review), file=sys.stderr if args.json == "-" else sys.stdout)
    return status


def sample_policy() -> Path:
    from .core.resources import resource_path

    return resource_path("samples", "benewake.pdf")


def _has_display() -> bool:
    if sys.platform in ("win32", "darwin"):
        return True
    return bool(os.environ.get("DISPLAY") or os.environ.get("WAYLAND_DISPLAY")
                or os.environ.get("QT_QPA_PLATFORM"))


def cmd_gui(args) -> int:
    try:
        from .gui.app import run
    except ImportError:
        print("pipl-reviewer: the desktop reviewer is not available in this build yet; "
              "use 'pipl-reviewer review FILE'", file=sys.stderr)
        return EXIT_BAD_INPUT
    return run(args.file, screenshot=getattr(args, "screenshot", None))


def cmd_demo(args) -> int:
    sample = str(sample_policy())
    if _has_display():
        try:
            from .gui.app import run
        except ImportError:
            pass
        else:
            return run(sample)
    return cmd_review(argparse.Namespace(files=[sample], json_dir=None, json=None, lang="auto"))


def main(argv: list[str] | None = None) -> int:
    args = _parser().parse_args(argv)
    if args.command is None:
        args = _parser().parse_args(["gui"])
    handler = {"review": cmd_review, "gui": cmd_gui, "demo": cmd_demo}[args.command]
    try:
        return handler(args)
    except KeyboardInterrupt:
        return 130


if __name__ == "__main__":
    raise SystemExit(main())
