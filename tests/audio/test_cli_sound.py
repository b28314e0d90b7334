"""`mock-interview devices|say|record` on the test sound server."""

from __future__ import annotations

import json
import os
import subprocess
import sys

import pytest
import soundfile as sf

from tests.audio.sound import (
    MONITOR_RATE,
    REPO,
    MonitorRecording,
    play_file,
    tone,
    voiced_seconds,
    write_wav,
)

pytestmark = pytest.mark.audio


def _cli(*args: str) -> subprocess.CompletedProcess[str]:
    # The child inherits PULSE_SINK/PULSE_SOURCE, so it uses the test sink.
    return subprocess.run(
        [sys.executable, "-m", "simulator", *args],
        cwd=REPO,
        env={**os.environ, "PYTHONPATH": str(REPO)},
        capture_output=True,
        text=True,
        timeout=120,
    )


def test_devices_lists_inputs_and_outputs(sink):
    table = _cli("devices")
    assert table.returncode == 0, table.stderr
    assert "Input devices:" in table.stdout and "Output devices:" in table.stdout
    listing = json.loads(_cli("devices", "--json").stdout)
    assert sum(device["is_default"] for device in listing["inputs"]) == 1
    assert sum(device["is_default"] for device in listing["outputs"]) == 1
    assert {device["name"] for device in listing["inputs"]} & {"default", "pulse"}


def test_say_speaks_and_waits(sink, tmp_path):
    with MonitorRecording(sink, tmp_path / "monitor.raw") as rec:
        result = _cli("say", "Bias is error from wrong assumptions. Variance is sensitivity.")
    assert result.returncode == 0, result.stderr
    assert voiced_seconds(rec.samples(), MONITOR_RATE) > 2.0


def test_record_writes_the_file_and_prints_its_length(sink, tmp_path):
    player = play_file(write_wav(tmp_path / "tone.wav", tone(5.0)), sink.name)
    out = tmp_path / "take.wav"
    result = _cli("record", str(out), "--seconds", "1.5", "--device", "default")
    player.terminate()
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == f"{out}: 1.5 s"
    assert sf.info(out).duration == 1.5
