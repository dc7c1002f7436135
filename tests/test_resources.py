"""``resource_root()`` finds ``resources/`` in all three layouts the app ships in:
a dev checkout, an installed wheel and a frozen (PyInstaller) bundle."""
from __future__ import annotations

import importlib.util
import re
import shutil
import sys
import tomllib
from pathlib import Path

import pytest

import reviewer.core.resources as resources_module
from reviewer.core.resources import resource_path, resource_root

REPO = Path(__file__).resolve().parent.parent
SOURCE = REPO / "reviewer" / "core" / "resources.py"


def load_copy(module_file: Path):
    """Import a copy of ``reviewer/core/resources.py`` from where it lies in a layout."""
    module_file.parent.mkdir(parents=True, exist_ok=True)
    shutil.copy(SOURCE, module_file)
    spec = importlib.util.spec_from_file_location(f"resources_copy_{abs(hash(module_file))}",
                                                  module_file)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def small_resources(target: Path) -> Path:
    (target / "rules" / "pipl").mkdir(parents=True)
    (target / "rules" / "pipl" / "ruleset.yaml").write_text("id: pipl\n")
    (target / "samples").mkdir()
    (target / "samples" / "benewake.pdf").write_bytes(b"%PDF-1.4\n")
    return target


@pytest.fixture(autouse=True)
def no_override(monkeypatch):
    monkeypatch.delenv("PIPL_REVIEWER_RESOURCES", raising=False)


def test_dev_checkout(monkeypatch):
    monkeypatch.delattr(sys, "_MEIPASS", raising=False)
    assert resource_root() == REPO / "resources"
    assert resource_path("rules", "pipl", "ruleset.yaml").is_file()
    assert resource_path("samples", "benewake.pdf").is_file()


def test_installed_wheel(tmp_path, monkeypatch):
    """site-packages/reviewer/resources, as pyproject.toml maps ``resources/``."""
    monkeypatch.delattr(sys, "_MEIPASS", raising=False)
    setuptools = tomllib.loads((REPO / "pyproject.toml").read_text())["tool"]["setuptools"]
    assert setuptools["package-dir"]["reviewer.resources"] == "resources"
    assert "reviewer.resources" in setuptools["packages"]

    site = tmp_path / "site-packages"
    shutil.copytree(REPO / "resources", site / "reviewer" / "resources")
    module = load_copy(site / "reviewer" / "core" / "resources.py")
    assert module.resource_root() == site / "reviewer" / "resources"
    assert module.resource_path("rules", "pipl", "ruleset.yaml").is_file()


def test_frozen_bundle(tmp_path, monkeypatch):
    """PyInstaller sets ``sys._MEIPASS`` to the folder holding the bundled data."""
    bundle = tmp_path / "pipl-reviewer" / "_internal"
    small_resources(bundle / "resources")
    module = load_copy(bundle / "reviewer" / "core" / "resources.py")
    monkeypatch.setattr(sys, "frozen", True, raising=False)
    monkeypatch.setattr(sys, "_MEIPASS", str(bundle), raising=False)
    assert module.resource_root() == bundle / "resources"
    assert module.resource_path("samples", "benewake.pdf").read_bytes() == b"%PDF-1.4\n"


def test_frozen_bundle_wins_over_a_checkout(tmp_path, monkeypatch):
    bundle = small_resources(tmp_path / "bundle" / "resources").parent
    monkeypatch.setattr(sys, "_MEIPASS", str(bundle), raising=False)
    assert resources_module.resource_root() == bundle / "resources"


def test_a_named_resources_folder_wins(tmp_path, monkeypatch):
    other = small_resources(tmp_path / "other")
    monkeypatch.setenv("PIPL_REVIEWER_RESOURCES", str(other))
    assert resource_root() == other


def test_missing_resources_are_named(tmp_path, monkeypatch):
    monkeypatch.delattr(sys, "_MEIPASS", raising=False)
    module = load_copy(tmp_path / "lonely" / "reviewer" / "core" / "resources.py")
    with pytest.raises(FileNotFoundError, match="resources folder is missing"):
        module.resource_root()


def test_the_bundle_spec_puts_resources_where_the_app_looks():
    spec = (REPO / "packaging" / "pipl-reviewer.spec").read_text(encoding="utf-8")
    assert re.search(r"""\(\s*str\(ROOT / "resources"\)\s*,\s*"resources"\s*\)""", spec)


def test_nothing_else_builds_a_resources_path():
    """Every other module asks ``resource_path``; a hand-made path would break in one layout."""
    offenders = []
    for path in (REPO / "reviewer").rglob("*.py"):
        if path == SOURCE:
            continue
        text = path.read_text(encoding="utf-8")
        if re.search(r"""["']resources["']|_MEIPASS""", text):
            offenders.append(str(path.relative_to(REPO)))
    assert offenders == []


# ---------------------------------------------------------------- icons and desktop files

ICON_SIZES = (16, 24, 32, 48, 64, 128, 256, 512)


def test_icons_in_every_size():
    from lxml import etree

    icons = REPO / "resources" / "icons"
    assert etree.parse(str(icons / "pipl-reviewer.svg")).getroot().tag.endswith("svg")
    for size in ICON_SIZES:
        head = (icons / f"pipl-reviewer-{size}.png").read_bytes()[:24]
        assert head.startswith(b"\x89PNG\r\n\x1a\n")
        assert int.from_bytes(head[16:20], "big") == int.from_bytes(head[20:24], "big") == size


def test_desktop_entry_and_file_type_agree(tmp_path):
    from configparser import ConfigParser

    from lxml import etree

    from reviewer.core.project import APPLICATION_ID, EXTENSION, open_project

    linux = REPO / "packaging" / "linux"
    entry = ConfigParser(interpolation=None)
    entry.optionxform = str
    entry.read(linux / "pipl-reviewer.desktop", encoding="utf-8")
    desktop = entry["Desktop Entry"]
    assert desktop["Type"] == "Application" and desktop["Icon"] == "pipl-reviewer"
    assert desktop["Exec"].split()[-1] == "%f"
    assert "application/x-piplrev" in desktop["MimeType"].split(";")

    ns = {"m": "http://www.freedesktop.org/standards/shared-mime-info"}
    mime = etree.parse(str(linux / "pipl-reviewer-mime.xml")).find("m:mime-type", ns)
    assert mime.get("type") == "application/x-piplrev"
    assert mime.find("m:glob", ns).get("pattern") == f"*{EXTENSION}"
    assert mime.find("m:icon", ns).get("name") == desktop["Icon"]
    inner = mime.find("m:magic/m:match/m:match", ns)
    offset, value = int(inner.get("offset")), int(inner.get("value"), 16)
    assert value == APPLICATION_ID

    with open_project(tmp_path / f"magic{EXTENSION}"):
        pass
    header = (tmp_path / f"magic{EXTENSION}").read_bytes()[:100]
    assert header.startswith(mime.find("m:magic/m:match", ns).get("value").encode())
    assert int.from_bytes(header[offset:offset + 4], "big") == value
