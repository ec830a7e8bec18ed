import os

import pytest

from storygen import consent


@pytest.fixture(autouse=True)
def storygen_home(tmp_path, monkeypatch):
    """Every test gets its own consent store; nothing touches the user's ~/.storygen."""
    home = tmp_path / "storygen-home"
    monkeypatch.setenv("STORYGEN_HOME", str(home))
    return home


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
