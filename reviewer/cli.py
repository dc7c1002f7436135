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
    review.add_argument("--project", metavar="P.piplrev",
                        help="add the files and their analysis to this project (created if needed)")
    review.add_argument("--memo", metavar="MEMO.docx",
                        help="write the review memo (of one file, or of the files added to --project)")

    project = sub.add_parser("project", help="list a project's policies, statuses, decisions and notes")
    project.add_argument("project", metavar="P.piplrev")

    memo = sub.add_parser("memo", help="export a project's review memo as DOCX")
    memo.add_argument("project", metavar="PROJECT")
    memo.add_argument("-o", "--output", required=True, metavar="MEMO.docx")
    memo.add_argument("--document", type=int, metavar="ID", help="only this policy (ids as 'project' lists them)")

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


def _bad(message: str) -> int:
    print(f"pipl-reviewer: {message}", file=sys.stderr)
    return EXIT_BAD_INPUT


def _internal(name: str, exc: Exception) -> int:
    """One line on stderr (the traceback only with PIPL_REVIEWER_DEBUG set)."""
    detail = " ".join(str(exc).split())
    print(f"pipl-reviewer: {name}: internal error: {type(exc).__name__}: {detail}", file=sys.stderr)
    if os.environ.get("PIPL_REVIEWER_DEBUG"):
        traceback.print_exc()
    return EXIT_INTERNAL


def cmd_review(args) -> int:
    from .core.project import ProjectError, open_project

    if args.json and len(args.files) != 1:
        print("pipl-reviewer: --json takes exactly one input file; use --json-dir for several",
              file=sys.stderr)
        return EXIT_BAD_INPUT
    if getattr(args, "memo", None) and len(args.files) != 1 and not args.project:
        return _bad("--memo takes exactly one input file; use --project to review several")
    project = None
    if getattr(args, "project", None):
        try:
            project = open_project(args.project, create=True)
        except ProjectError as exc:
            return _bad(str(exc))
    try:
        return _review_files(args, project)
    finally:
        if project is not None:
            project.close()


def _review_into(project, path, lang, stale: set[int]):
    """Review a file for a project: a file already in it (same sha256) is not
    added again, and its stored analysis is used unless the ruleset changed."""
    from .core.loaders import load
    from .core.review import Review, review_document

    document = load(path, lang=lang)
    doc_id = project.find_document(document.sha256)
    if doc_id is None:
        review = review_document(document, project.ruleset)
        doc_id, added = project.add_document(review)
        return review, doc_id, True
    _stored, segments, analysis = (project.reanalyze(doc_id) if doc_id in stale
                                   else project.analysis(doc_id))
    return Review(document=document, segments=segments, analysis=analysis), doc_id, False


def _review_files(args, project) -> int:
    from .core.project import ProjectError
    from .core.review import review_file, to_json

    json_dir = Path(args.json_dir) if args.json_dir else None
    if json_dir:
        if json_dir.exists() and not json_dir.is_dir():
            return _bad(f"{json_dir}: this is a file, not a folder for the JSON files")
        try:
            json_dir.mkdir(parents=True, exist_ok=True)
        except OSError as exc:
            return _bad(f"{json_dir}: cannot be used as the folder for the JSON files ({exc.strerror or exc})")
    lang = None if args.lang == "auto" else args.lang
    status = EXIT_OK
    review = None
    doc_ids = []
    out = sys.stderr if args.json == "-" else sys.stdout
    stale = set(project.stale_documents()) if project is not None else set()
    for path in args.files:
        try:
            if project is not None:
                review, doc_id, added = _review_into(project, path, lang, stale)
                doc_ids.append(doc_id)
            else:
                review = review_file(path, lang=lang)
        except (LoadError, ProjectError) as exc:
            print(f"pipl-reviewer: {exc}", file=sys.stderr)
            status = status or EXIT_BAD_INPUT
            continue
        except Exception as exc:  # noqa: BLE001 - report, keep going with the next file
            status = _internal(Path(path).name, exc)
            continue
        data = to_json(review)
        targets = [args.json] if args.json else []
        if json_dir:
            targets.append(str(json_dir / f"{Path(path).name}.json"))
        for target in targets:
            try:
                _write_json(data, target)
            except OSError as exc:
                failed = _bad(f"{Path(target).name}: cannot be written ({exc.strerror or exc})")
                status = status or failed
        print(_summary(review), file=out)
        if project is not None:
            print(f"  {'added to' if added else 'already in'} {project.path.name} as document {doc_id}",
                  file=out)
    if getattr(args, "memo", None) and (doc_ids if project is not None else review is not None):
        try:
            if project is not None:
                from .core.memo import export_memo

                export_memo(project, args.memo, doc_id=doc_ids)
            else:
                from .core.memo import export_review_memo

                export_review_memo(review, args.memo)
        except OSError as exc:
            return _bad(f"{Path(args.memo).name}: cannot be written ({exc.strerror or exc})")
        print(f"memo written to {args.memo}", file=out)
    return status


def _plural(n: int, word: str) -> str:
    return f"{n} {word}{'' if n == 1 else 's'}"


def cmd_project(args) -> int:
    from .core.project import ProjectError, open_project

    try:
        project = open_project(args.project, readonly=True)
    except ProjectError as exc:
        return _bad(str(exc))
    try:
        docs = project.documents()
        print(f"{project.path.name}: project \"{project.name}\", reviewer {project.project_reviewer}, "
              f"created {project.created[:10]}, {len(docs)} {'policy' if len(docs) == 1 else 'policies'}")
        for doc in docs:
            state = project.review_state(doc.id)
            c = state.counts()
            n = project.counts(doc.id)
            print(f"  [{doc.id}] {doc.name}: {doc.file_name}, {doc.format}, {doc.lang}, "
                  f"{doc.size:,} bytes, sha256 {doc.sha256[:12]}…, added {doc.added[:10]}")
            print(f"      status: {c['met']} met, {c['missing']} missing, {c['needs_review']} needs review, "
                  f"{c['not_applicable']} not applicable; {_plural(len(state.analysis.red_flags), 'red flag')}; "
                  f"ruleset {state.analysis.ruleset.id} {state.analysis.ruleset.version}")
            print(f"      decisions: {_plural(n['overrides'], 'override')}, "
                  f"{_plural(n['decisions'], 'finding decision')}, "
                  f"{_plural(n['manual_findings'], 'manual finding')}; {_plural(n['notes'], 'note')}"
                  + (f"; {len(state.orphans)} orphaned" if state.orphans else ""))
    except ProjectError as exc:
        return _bad(str(exc))
    except Exception as exc:  # noqa: BLE001 - one line, never a traceback
        return _internal(Path(args.project).name, exc)
    finally:
        project.close()
    return EXIT_OK


def cmd_memo(args) -> int:
    from .core.memo import export_memo
    from .core.project import ProjectError, ProjectInUse, open_project

    try:
        try:
            project = open_project(args.project, create=False)
        except ProjectInUse:
            project = open_project(args.project, readonly=True)
    except ProjectError as exc:
        return _bad(str(exc))
    try:
        if args.document is not None and args.document not in [d.id for d in project.documents()]:
            return _bad(f"{project.path.name} has no document {args.document}")
        for doc_id in project.reanalyze_stale():
            print(f"re-analysed {project.document_info(doc_id).file_name} with the current ruleset",
                  file=sys.stderr)
        export_memo(project, args.output, doc_id=args.document)
    except ValueError as exc:
        return _bad(str(exc))
    except OSError as exc:
        return _bad(f"{Path(args.output).name}: cannot be written ({exc.strerror or exc})")
    finally:
        project.close()
    print(f"memo written to {args.output}")
    return EXIT_OK


def sample_policy() -> Path:
    from .core.resources import resource_path

    return resource_path("samples", "benewake.pdf")


def _has_display() -> bool:
    if sys.platform in ("win32", "darwin"):
        return True
    return bool(os.environ.get("DISPLAY") or os.environ.get("WAYLAND_DISPLAY")
                or os.environ.get("QT_QPA_PLATFORM"))


def cmd_gui(args) -> int:
    screenshot = getattr(args, "screenshot", None)
    if not _has_display():
        if not screenshot:
            return _bad("no display to show the window on; use 'pipl-reviewer review FILE' "
                        "for a headless review")
        os.environ["QT_QPA_PLATFORM"] = "offscreen"  # a screenshot needs no screen
    try:
        from .gui.app import run
    except ImportError as exc:
        return _bad(f"the desktop reviewer cannot start ({exc}); use 'pipl-reviewer review FILE'")
    return run(args.file, screenshot=screenshot)


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
    handler = {"review": cmd_review, "gui": cmd_gui, "demo": cmd_demo, "project": cmd_project,
               "memo": cmd_memo}[args.command]
    try:
        return handler(args)
    except KeyboardInterrupt:
        return 130


if __name__ == "__main__":
    raise SystemExit(main())
