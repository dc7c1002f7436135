import json
import subprocess
import sys

import pytest

from reviewer.cli import main


def run_cli(*args):
    return subprocess.run([sys.executable, "-m", "reviewer", *map(str, args)],
                          capture_output=True, text=True)


def test_version():
    out = run_cli("--version")
    assert out.returncode == 0 and out.stdout.startswith("pipl-reviewer ")


def test_review_writes_json_per_file(tmp_path, fixtures):
    code = main(["review", str(fixtures / "benewake.txt"), str(fixtures / "bench3d.txt"),
                 "--json-dir", str(tmp_path)])
    assert code == 0
    data = json.loads((tmp_path / "benewake.txt.json").read_text(encoding="utf-8"))
    assert data["schema"] == "pipl-reviewer.review/1"
    assert data["tool"]["name"] == "pipl-reviewer"
    doc = data["document"]
    assert doc["format"] == "txt" and doc["lang"] == "en" and len(doc["sha256"]) == 64
    assert doc["text"] == (fixtures / "benewake.txt").read_text(encoding="utf-8")
    seg = data["segments"][5]
    assert set(seg) >= {"id", "start", "end", "kind", "section", "page"}
    for key in ("findings", "checklist", "red_flags", "facts"):
        assert key in data
    assert (tmp_path / "bench3d.txt.json").exists()


def test_json_to_stdout(fixtures):
    out = run_cli("review", fixtures / "bench3d.txt", "--json", "-")
    assert out.returncode == 0
    assert json.loads(out.stdout)["document"]["format"] == "txt"


def test_bad_input_exits_2_with_one_line_and_continues(tmp_path, fixtures):
    junk = tmp_path / "junk.pdf"
    junk.write_bytes(b"\x00\x01garbage" * 100)
    empty = tmp_path / "empty.txt"
    empty.write_bytes(b"")
    out = run_cli("review", junk, empty, fixtures / "benewake.txt", "--json-dir", tmp_path / "out")
    assert out.returncode == 2
    errors = out.stderr.strip().splitlines()
    assert len(errors) == 2
    assert errors[0].startswith("pipl-reviewer: junk.pdf:")
    assert "empty" in errors[1]
    assert "Traceback" not in out.stderr
    assert (tmp_path / "out" / "benewake.txt.json").exists()


def test_gui_without_file_reports_cleanly():
    out = run_cli("gui", "--help")
    assert out.returncode == 0


@pytest.mark.skipif(sys.platform in ("win32", "darwin"), reason="these always have a display")
def test_gui_without_a_display_says_so_instead_of_aborting():
    import os

    env = {k: v for k, v in os.environ.items() if k not in ("DISPLAY", "WAYLAND_DISPLAY", "QT_QPA_PLATFORM")}
    out = subprocess.run([sys.executable, "-m", "reviewer"], capture_output=True, text=True, env=env,
                         timeout=120)
    assert out.returncode == 2
    assert out.stderr.strip().splitlines() == [
        "pipl-reviewer: no display to show the window on; use 'pipl-reviewer review FILE' "
        "for a headless review"]


def test_unusable_output_paths_get_one_line_each(tmp_path, fixtures, capsys):
    a_file = tmp_path / "taken"
    a_file.write_text("x", encoding="utf-8")
    policy = str(fixtures / "benewake.txt")
    assert main(["review", policy, "--json-dir", str(a_file)]) == 2
    assert main(["review", policy, "--json", str(tmp_path / "missing" / "out.json")]) == 2
    assert main(["review", policy, "--project", str(tmp_path / "missing" / "p.piplrev")]) == 2
    errors = [line for line in capsys.readouterr().err.splitlines() if line]
    assert errors == [
        f"pipl-reviewer: {a_file}: this is a file, not a folder for the JSON files",
        "pipl-reviewer: out.json: cannot be written (No such file or directory)",
        f"pipl-reviewer: p.piplrev: the folder {tmp_path / 'missing'} does not exist",
    ]
    assert not (tmp_path / "missing").exists() and a_file.read_text(encoding="utf-8") == "x"


def test_every_json_file_that_cannot_be_written_is_named(tmp_path, fixtures, capsys):
    out = tmp_path / "json"
    for name in ("benewake.txt", "bench3d.txt"):
        (out / f"{name}.json").mkdir(parents=True)  # a folder where the file should go
    policies = [str(fixtures / "benewake.txt"), str(fixtures / "bench3d.txt")]
    assert main(["review", *policies, "--json-dir", str(out)]) == 2
    errors = [line for line in capsys.readouterr().err.splitlines() if line]
    assert [e.split(":")[1].strip() for e in errors] == ["benewake.txt.json", "bench3d.txt.json"]
