"""Fixtures for audio tests: the test sound server is up, and a sink the tests can hear.

PortAudio picks its PulseAudio sink and source when sounddevice is imported (PULSE_SINK and
PULSE_SOURCE are read then, not when a stream opens), so a private sink is made and routed to
here, at import, before any test module imports sounddevice. If something routed the process
already (another conftest, CI), or sounddevice is already loaded, the tests use that sink.
"""

from __future__ import annotations

import atexit
import os
import sys
from collections.abc import Iterator

import pytest

from tests.audio.sound import Sink, SoundServerMissing, default_sink, ensure_sound_server

_own_sink: Sink | None = None
_setup_error: str | None = None


def _route_to_private_sink() -> None:
    global _own_sink, _setup_error
    if "PULSE_SINK" in os.environ or "sounddevice" in sys.modules:
        return
    try:
        ensure_sound_server()
        Sink.remove_stale("mi_audio_test_")
        _own_sink = Sink.create(f"mi_audio_test_{os.getpid()}")
    except SoundServerMissing as error:
        _setup_error = str(error)
        return
    _own_sink.route_here()
    atexit.register(_own_sink.remove)


_route_to_private_sink()


@pytest.fixture(scope="session")
def sound_server() -> None:
    """The PulseAudio test server answers `pactl info` (started once if needed)."""
    try:
        ensure_sound_server()
    except SoundServerMissing as error:
        pytest.fail(_setup_error or str(error), pytrace=False)


@pytest.fixture(scope="session")
def sink(sound_server: None) -> Iterator[Sink]:
    """The sink this process plays into; its monitor is this process's default input."""
    if _own_sink is not None:
        yield _own_sink
        return
    shared = Sink.existing(os.environ.get("PULSE_SINK") or default_sink())
    yield shared
    shared.remove()
