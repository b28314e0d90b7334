"""Fixtures for audio tests: the test sound server is up and a private sink is the default."""

from __future__ import annotations

import os
from collections.abc import Iterator

import pytest

from tests.audio.sound import Sink, SoundServerMissing, ensure_sound_server


@pytest.fixture(scope="session")
def sound_server() -> None:
    """The PulseAudio test server answers `pactl info` (started once if needed)."""
    try:
        ensure_sound_server()
    except SoundServerMissing as error:
        pytest.fail(str(error), pytrace=False)


@pytest.fixture(scope="session")
def sink(sound_server: None) -> Iterator[Sink]:
    """A null sink of our own, made this process's default output and input (its monitor)."""
    saved = {key: os.environ.get(key) for key in ("PULSE_SINK", "PULSE_SOURCE")}
    test_sink = Sink.create(f"mi_audio_test_{os.getpid()}")
    test_sink.route_here()
    yield test_sink
    test_sink.remove()
    for key, value in saved.items():
        if value is None:
            os.environ.pop(key, None)
        else:
            os.environ[key] = value
