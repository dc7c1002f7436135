"""Find files under ``resources/`` in a dev checkout, an installed wheel or a frozen bundle."""
from __future__ import annotations

import sys
from pathlib import Path


def resource_root() -> Path:
    frozen = getattr(sys, "_MEIPASS", None)
    candidates = []
    if frozen:
        candidates.append(Path(frozen) / "resources")
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
