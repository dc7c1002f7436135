"""Smoke test of the built bundle (``make package-test``).

    python packaging/smoke_test.py dist/pipl-reviewer

1. the bundled program answers ``--version`` with the version of the dev install;
2. ``review`` of a shared policy PDF writes the same JSON as the dev install
   reading the same rules (the document path aside);
3. it adds the policy to a project, exports the memo and lists the project;
4. on Linux, the same review in a network namespace without any network gives
   the same JSON;
5. it opens the desktop reviewer offscreen and saves a ``--screenshot``;
6. the bundle holds none of the Qt modules it should leave out, and its size.

Each step prints PASS, FAIL or SKIP with the reason; the exit code is 1 if any
step failed.
"""
from __future__ import annotations

import json
import os
import shutil
import struct
import subprocess
import sys
import tempfile
import zipfile
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
POLICY = REPO / "tests" / "fixtures" / "benewake.pdf"
UNWANTED = ("QtNetwork", "Qt6Network", "QtWebEngine", "Qt6WebEngine", "QtQml", "Qt6Qml",
            "QtQuick", "Qt6Quick", "Qt3D", "Qt63D", "QtMultimedia", "Qt6Multimedia", "Qt6Pdf")

results: list[tuple[str, str, str]] = []


def report(step: str, status: str, detail: str = "") -> None:
    results.append((step, status, detail))
    print(f"{status:4}  {step}" + (f": {detail}" if detail else ""), flush=True)


def program(bundle: Path) -> Path:
    name = "pipl-reviewer.exe" if os.name == "nt" else "pipl-reviewer"
    for candidate in (bundle / name, bundle / "PIPL Policy Reviewer.app" / "Contents" / "MacOS" / name):
        if candidate.is_file():
            return candidate
    return bundle / name


def run(args, timeout=600, env=None):
    return subprocess.run([str(a) for a in args], capture_output=True, text=True, timeout=timeout,
                          env=env, encoding="utf-8", errors="replace")


def comparable(data: dict) -> dict:
    """The review JSON without what depends on where the file or the program lies."""
    data = json.loads(json.dumps(data))
    data["document"].pop("path", None)
    for key in [k for k in data.get("tool", {}) if "path" in k]:
        data["tool"].pop(key)
    return data


def first_difference(a, b, where="") -> str:
    if type(a) is not type(b):
        return f"{where or 'top'}: {type(a).__name__} vs {type(b).__name__}"
    if isinstance(a, dict):
        for key in sorted(set(a) | set(b)):
            if key not in a or key not in b:
                return f"{where}.{key}: only in one of them"
            found = first_difference(a[key], b[key], f"{where}.{key}")
            if found:
                return found
        return ""
    if isinstance(a, list):
        if len(a) != len(b):
            return f"{where}: {len(a)} items vs {len(b)}"
        for i, (x, y) in enumerate(zip(a, b)):
            found = first_difference(x, y, f"{where}[{i}]")
            if found:
                return found
        return ""
    return "" if a == b else f"{where}: {str(a)[:80]!r} vs {str(b)[:80]!r}"


def png_size(path: Path) -> tuple[int, int] | None:
    head = path.read_bytes()[:24]
    if len(head) < 24 or not head.startswith(b"\x89PNG\r\n\x1a\n"):
        return None
    return struct.unpack(">II", head[16:24])


def check_version(exe: Path) -> None:
    dev = run([sys.executable, "-m", "reviewer", "--version"], timeout=120).stdout.strip()
    out = run([exe, "--version"], timeout=120)
    if out.returncode == 0 and out.stdout.strip() == dev:
        report("--version", "PASS", out.stdout.strip())
    else:
        report("--version", "FAIL", f"exit {out.returncode}, {out.stdout.strip() or out.stderr.strip()!r}"
                                    f" (dev install: {dev!r})")


def bundled_resources(bundle: Path) -> Path | None:
    found = [p.parent for p in bundle.rglob("ruleset.yaml") if p.parent.parent.name == "rules"]
    return found[0].parent.parent if found else None


def check_review(exe: Path, bundle: Path, tmp: Path) -> None:
    """Compared with the dev install reading the bundle's own copy of the rules, so
    that rules edited in the checkout since the build do not count as a difference."""
    ours, dev, checkout = tmp / "bundle.json", tmp / "dev.json", tmp / "checkout.json"
    out = run([exe, "review", POLICY, "--json", ours])
    if out.returncode != 0 or not ours.exists():
        report("review", "FAIL", f"exit {out.returncode}: {out.stderr.strip()[-500:]}")
        return
    resources = bundled_resources(bundle)
    if resources is None:
        report("review", "FAIL", "the bundle has no resources/rules folder")
        return
    env = dict(os.environ, PIPL_REVIEWER_RESOURCES=str(resources))
    reference = run([sys.executable, "-m", "reviewer", "review", POLICY, "--json", dev], env=env)
    if reference.returncode != 0:
        report("review", "FAIL", f"the dev install failed: {reference.stderr.strip()[-500:]}")
        return
    a = comparable(json.loads(ours.read_text(encoding="utf-8")))
    b = comparable(json.loads(dev.read_text(encoding="utf-8")))
    if a == b:
        report("review", "PASS", f"{POLICY.name}: same JSON as the dev install "
                                 f"({len(a['findings'])} findings, {len(a['segments'])} segments)")
    else:
        report("review", "FAIL", f"the JSON differs from the dev install at {first_difference(a, b)}")
    run([sys.executable, "-m", "reviewer", "review", POLICY, "--json", checkout])
    if checkout.exists():
        current = json.loads(checkout.read_text(encoding="utf-8")).get("ruleset", {})
        if current.get("sha256") != a.get("ruleset", {}).get("sha256"):
            print(f"note  the rules in the checkout changed since this bundle was built "
                  f"(ruleset {current.get('version')}); run 'make package' to bundle them")


def check_gui(exe: Path, tmp: Path) -> None:
    help_text = run([exe, "gui", "--help"], timeout=120).stdout
    if "--screenshot" not in help_text:
        report("gui --screenshot", "SKIP", "this build's 'gui' command has no --screenshot option yet")
        return
    shot = tmp / "screenshot.png"
    env = dict(os.environ, QT_QPA_PLATFORM="offscreen")
    out = run([exe, "gui", POLICY, "--screenshot", shot], env=env)
    size = png_size(shot) if shot.exists() else None
    if out.returncode == 0 and size and shot.stat().st_size > 20_000:
        kept = REPO / "dist" / "package-test-screenshot.png"
        shutil.copy(shot, kept)
        report("gui --screenshot", "PASS", f"{size[0]}x{size[1]} PNG, {shot.stat().st_size // 1024} KB "
                                           f"({kept.relative_to(REPO)})")
    else:
        report("gui --screenshot", "FAIL", f"exit {out.returncode}, picture {size}: "
                                           f"{out.stderr.strip()[-500:]}")


def check_project_and_memo(exe: Path, tmp: Path) -> None:
    project, memo = tmp / "smoke.piplrev", tmp / "memo.docx"
    out = run([exe, "review", POLICY, "--project", project, "--memo", memo])
    listing = run([exe, "project", project]) if project.exists() else None
    ok = out.returncode == 0 and memo.exists() and listing is not None and listing.returncode == 0
    if ok:
        with zipfile.ZipFile(memo) as z:
            ok = "word/document.xml" in z.namelist()
    if ok:
        report("project and memo", "PASS", f"{memo.name}: {memo.stat().st_size // 1024} KB; "
                                           f"{listing.stdout.splitlines()[0]}")
    else:
        report("project and memo", "FAIL", f"exit {out.returncode}: {out.stderr.strip()[-500:]}")


def check_offline(exe: Path, tmp: Path) -> None:
    """Linux: the review again, in a network namespace with no network at all."""
    unshare = shutil.which("unshare")
    if not sys.platform.startswith("linux") or not unshare:
        report("offline review", "SKIP", "needs Linux and unshare")
        return
    if run([unshare, "-rn", "true"], timeout=60).returncode != 0:
        report("offline review", "SKIP", "this system does not allow a private network namespace")
        return
    out_file, reference = tmp / "offline.json", tmp / "bundle.json"
    out = run([unshare, "-rn", exe, "review", POLICY, "--json", out_file])
    if out.returncode != 0 or not out_file.exists():
        report("offline review", "FAIL", f"exit {out.returncode}: {out.stderr.strip()[-500:]}")
    elif reference.exists() and comparable(json.loads(out_file.read_text(encoding="utf-8"))) != \
            comparable(json.loads(reference.read_text(encoding="utf-8"))):
        report("offline review", "FAIL", "without a network the JSON differs")
    else:
        report("offline review", "PASS", "same JSON with no network interface (unshare -rn)")


def check_contents(bundle: Path) -> None:
    files = [p for p in bundle.rglob("*") if p.is_file() and not p.is_symlink()]
    unwanted = sorted({p.name for p in files if any(u in p.name for u in UNWANTED)})
    size = sum(p.stat().st_size for p in files)
    if unwanted:
        report("contents", "FAIL", f"left-out Qt modules are in the bundle: {', '.join(unwanted[:8])}")
    else:
        report("contents", "PASS", f"{size / 2**20:.0f} MB in {len(files)} files, "
                                   "no network, QML, WebEngine or multimedia modules")


def main() -> int:
    bundle = Path(sys.argv[1] if len(sys.argv) > 1 else REPO / "dist" / "pipl-reviewer")
    exe = program(bundle)
    if not exe.is_file():
        print(f"package-test: no bundle at {bundle}; run 'make package' first", file=sys.stderr)
        return 1
    with tempfile.TemporaryDirectory(prefix="pipl-package-test-") as tmp:
        check_version(exe)
        check_review(exe, bundle, Path(tmp))
        check_project_and_memo(exe, Path(tmp))
        check_offline(exe, Path(tmp))
        check_gui(exe, Path(tmp))
    check_contents(bundle)
    failed = [r for r in results if r[1] == "FAIL"]
    skipped = [r for r in results if r[1] == "SKIP"]
    print(f"package-test: {len(results) - len(failed) - len(skipped)} passed, {len(failed)} failed, "
          f"{len(skipped)} skipped")
    return 1 if failed else 0


if __name__ == "__main__":
    raise SystemExit(main())
