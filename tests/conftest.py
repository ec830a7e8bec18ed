import os

import pytest

from storygen import consent


@pytest.fixture(autouse=True)
def storygen_home(tmp_path, monkeypatch):
    """Every test gets its own consent store; nothing touches the user's ~/.storygen."""
    home = tmp_path / "storygen-home"
    monkeypatch.setenv("STORYGEN_HOME", str(home))
    return home


@pytest.fixture(scope="module")
def shots(tmp_path_factory, request):
    """Where a browser test's screenshots go: $STORYGEN_SCREENSHOT_DIR, or pytest's temp folder
    (browser-shots/ for test_browser.py, studio-shots/ for test_studio.py)."""
    from pathlib import Path

    where = os.environ.get("STORYGEN_SCREENSHOT_DIR")
    name = request.module.__name__.rsplit(".", 1)[-1].removeprefix("test_") + "-shots"
    folder = Path(where) if where else tmp_path_factory.getbasetemp() / name
    folder.mkdir(parents=True, exist_ok=True)
    return folder


@pytest.fixture
def consented(storygen_home):
    consent.grant("Test Guardian")
    return storygen_home



def pytest_configure(config):
    """Fast tests run the named baselines (configs/quick.yaml: template planner and writer,
    heuristic ranker), module-scoped fixtures included; tests marked `slow` run the shipped
    defaults, the story models (see `defaults` below)."""
    from storygen.config import CONFIG_DIR, SETTINGS_ENV

    os.environ[SETTINGS_ENV] = str(CONFIG_DIR / "quick.yaml")


@pytest.fixture(autouse=True)
def defaults(monkeypatch, request):
    from storygen.config import SETTINGS_ENV

    if request.node.get_closest_marker("slow"):
        monkeypatch.delenv(SETTINGS_ENV, raising=False)
