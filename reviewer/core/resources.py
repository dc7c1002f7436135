"""Find files under ``resources/`` in a dev checkout, an installed wheel or a frozen bundle.

``PIPL_REVIEWER_RESOURCES`` names another resources folder (for comparing a
build with the rules it was built from)."""
from __future__ import annotations

import os
import sys
from pathlib import Path


def resource_root() -> Path:
    candidates = []
    override = os.environ.get("PIPL_REVIEWER_RESOURCES")
    if override:
        candidates.append(Path(override))
    frozen = getattr(sys, "_MEIPASS", None)
    if frozen:
        candidates.append(Path(frozen) / "resources")  # PyInstaller bundle
    package = Path(__file__).resolve().parent.parent
    candidates.append(package / "resources")  # installed wheel: reviewer/resources
    candidates.append(package.parent / "resources")  # dev checkout: <repo>/resources
    for path in candidates:
        if (path / "rules").is_dir():
            return path
    raise FileNotFoundError("the application's resources folder is missing: "
                            + ", ".join(str(p) for p in candidates))


def resource_path(*parts: str) -> Path:
    return resource_root().joinpath(*parts)
