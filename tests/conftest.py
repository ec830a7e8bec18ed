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
