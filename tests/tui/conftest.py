"""Fixtures for the app's tests: a private home folder, a frozen clock, app factories."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest

from content.bank import load_bank
from simulator import locations
from simulator.config import Config
from simulator.session import SessionSettings


class FrozenClock:
    """A clock that only moves when a test moves it (stable snapshots, no timed tests)."""

    def __init__(self, now: float = 5000.0) -> None:
        self.now = now

    def __call__(self) -> float:
        return self.now


@pytest.fixture(autouse=True)
def home(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.setenv(locations.HOME_ENV, str(tmp_path))
    locations.set_home(None)
    return tmp_path


@pytest.fixture
def clock() -> FrozenClock:
    return FrozenClock()


@pytest.fixture
def make_app(clock: FrozenClock) -> Callable[..., object]:
    """``make_app(start_screen, **settings)``: the real app on the built-in bank."""
    from simulator.tui.app import InterviewApp

    def make(start_screen: str = "setup", open_store: bool = False, **settings: object):
        defaults: dict[str, object] = {"mode": "typed", "read_aloud": False}
        defaults.update(settings)
        return InterviewApp(
            load_bank(),
            SessionSettings(**defaults),  # type: ignore[arg-type]
            Config(),
            start_screen=start_screen,
            clock=clock,
            open_store=open_store,
        )

    return make
