import pytest

from tests.desk.helpers import DeskClock


@pytest.fixture(autouse=True)
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "uploads"
    return settings.MEDIA_ROOT


@pytest.fixture
def desk_clock(monkeypatch):
    """The desk's clock, set by the test: `desk_clock.set("2026-11-16 09:00")`."""
    clock = DeskClock()
    monkeypatch.setattr("motcua.desk.services.current_time", clock)
    return clock
