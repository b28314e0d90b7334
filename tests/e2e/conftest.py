"""What the end-to-end tests share: a null sink of their own on the test sound server, and a
tmux terminal with its own data folder."""

from __future__ import annotations

import os
from collections.abc import Iterator
from itertools import count
from pathlib import Path

import pytest

from tests.audio.sound import Sink, SoundServerMissing, ensure_sound_server
from tests.e2e.terminal import Terminal

_sinks = count()


@pytest.fixture
def sink(request: pytest.FixtureRequest) -> Iterator[Sink]:
    """A sink (and its monitor) for one test; named after the test module, for the logs."""
    try:
        ensure_sound_server()
    except SoundServerMissing as error:
        pytest.fail(str(error), pytrace=False)
    module = request.module.__name__.rsplit(".", 1)[-1].removeprefix("test_")
    own = Sink.create(f"mi_{module}_{os.getpid()}_{next(_sinks)}")
    yield own
    own.remove()


@pytest.fixture
def terminal(tmp_path: Path) -> Iterator[Terminal]:
    term = Terminal(100, 30, tmp_path / "home")
    yield term
    term.close()
