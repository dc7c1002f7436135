import os
from pathlib import Path

import pytest

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

FIXTURES = Path(__file__).parent / "fixtures"
SHARED_POLICIES = ("benewake", "bench3d", "baiinfo")


@pytest.fixture(scope="session")
def qapp_cls():
    """pytest-qt's application is the app's own class (it handles QFileOpenEvent)."""
    from reviewer.gui.main_window import ReviewerApp

    return ReviewerApp


@pytest.fixture
def fixtures() -> Path:
    return FIXTURES


@pytest.fixture
def without_topic_model(monkeypatch):
    """The engine without its topic classifiers: the rule tables check what the
    rules (and the category classifier) find; the topic classifiers have their
    own tests."""
    from reviewer.core import engine

    monkeypatch.setattr(engine, "TOPIC_MODEL_NAMES", {})
