import os
from pathlib import Path

import pytest

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

FIXTURES = Path(__file__).parent / "fixtures"
SHARED_POLICIES = ("benewake", "bench3d", "baiinfo")


@pytest.fixture
def fixtures() -> Path:
    return FIXTURES
