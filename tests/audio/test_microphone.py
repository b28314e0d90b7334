"""Microphone: real recordings from the test sink's monitor, crash safety, clear errors."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import threading
import time
import wave
from pathlib import Path

import numpy as np
import pytest
import soundfile as sf

import audio.microphone as microphone
from audio.microphone import (
    MicrophoneUnavailable,
    Recorder,
    list_input_devices,
    resolve_input_device,
)
from tests.audio.sound import REPO, play_file, tone, write_wav

pytestmark = pytest.mark.audio


def _dominant_hz(samples: np.ndarray, rate: int) -> float:
    spectrum = np.abs(np.fft.rfft(samples * np.hanning(len(samples))))
    return float(np.fft.rfftfreq(len(samples), 1 / rate)[int(np.argmax(spectrum))])


def test_lists_input_devices_with_one_default(sink):
    devices = list_input_devices()
    assert devices, "the test sound server offers input devices"
    assert sum(device.is_default for device in devices) == 1
    assert all(device.channels > 0 for device in devices)
    default = resolve_input_device(None)
    assert default.is_default
    assert resolve_input_device(str(default.index)).index == default.index
    assert resolve_input_device(default.name).name == default.name


def test_unknown_device_says_where_to_look(sink):
    with pytest.raises(MicrophoneUnavailable, match="no input device 'no-such-mic'.*devices"):
        resolve_input_device("no-such-mic")
    with pytest.raises(MicrophoneUnavailable, match="no input device '999'"):
        Recorder("x.wav", device=999).start()


def test_records_what_plays_to_a_16k_mono_file(sink, tmp_path):
    source = write_wav(tmp_path / "tone.wav", tone(4.0, freq=440.0))
    blocks: list[tuple[str, np.dtype, int]] = []
    levels: list[float] = []
    recorder = Recorder(
        tmp_path / "answer.wav",
        on_block=lambda block: blocks.append(
            (threading.current_thread().name, block.dtype, block.ndim)
        ),
    )
    recorder.start()
    began = time.monotonic()
    assert recorder.is_recording
    player = play_file(source, sink.name)
    for _ in range(20):
        time.sleep(0.1)
        levels.append(recorder.level_dbfs)
    recording = recorder.stop()
    wall = time.monotonic() - began
    player.wait(timeout=10)

    assert recording.stopped_by == "user" and recording.error is None
    assert not recorder.is_recording
    info = sf.info(recording.path)
    assert (info.samplerate, info.channels) == (16000, 1)
    assert info.duration == pytest.approx(recording.duration_s, abs=1e-3)
    assert recording.duration_s == pytest.approx(wall, abs=0.4)
    samples, rate = sf.read(recording.path, dtype="float32")
    assert _dominant_hz(samples[rate // 2 :], rate) == pytest.approx(440, abs=5)
    assert max(levels) > -15  # a 0.5-amplitude tone is about -9 dBFS
    assert {name for name, _, _ in blocks} == {"mic-writer"}
    assert {(dtype, ndim) for _, dtype, ndim in blocks} == {(np.dtype("float32"), 1)}
    assert recorder.elapsed_s == recording.duration_s


def test_stops_by_itself_at_the_maximum_length(sink, tmp_path):
    stopped = []
    recorder = Recorder(tmp_path / "short.wav", max_seconds=1.25, on_stopped=stopped.append)
    recorder.start()
    recording = recorder.wait(timeout=10)
    assert recording is not None
    assert recording.stopped_by == "max_length"
    assert recording.duration_s == 1.25
    assert sf.info(recording.path).frames == 20000
    assert stopped == [recording]
    assert recorder.stop() == recording  # stop() after the end is harmless


def test_a_failing_consumer_loses_nothing(sink, tmp_path):
    def broken(_block: np.ndarray) -> None:
        raise ValueError("consumer bug")

    recorder = Recorder(tmp_path / "a.wav", max_seconds=0.5, on_block=broken)
    recorder.start()
    recording = recorder.wait(timeout=10)
    assert recording is not None and recording.duration_s == 0.5
    assert recorder.block_errors and recorder.block_errors[0] == "consumer bug"


def test_unwritable_path_is_a_clear_error(sink, tmp_path):
    blocker = tmp_path / "file"
    blocker.write_text("")
    with pytest.raises(MicrophoneUnavailable, match="cannot write|choose a writable"):
        Recorder(blocker / "sub" / "a.wav").start()


RECORD_SCRIPT = """
import sys, time
from audio.microphone import Recorder
recorder = Recorder(sys.argv[1])
recorder.start()
print("recording", flush=True)
time.sleep(60)
"""


def test_kill_9_leaves_a_playable_file(sink, tmp_path):
    source = write_wav(tmp_path / "tone.wav", tone(6.0, freq=330.0))
    out = tmp_path / "killed.wav"
    child = subprocess.Popen(
        [sys.executable, "-c", RECORD_SCRIPT, str(out)],
        cwd=REPO,
        env={**os.environ, "PYTHONPATH": str(REPO)},
        stdout=subprocess.PIPE,
        text=True,
    )
    assert child.stdout is not None
    assert child.stdout.readline().strip() == "recording"
    player = play_file(source, sink.name)
    started = time.monotonic()
    time.sleep(3.0)
    child.send_signal(signal.SIGKILL)
    lived = time.monotonic() - started
    child.wait(timeout=10)
    player.terminate()
    assert child.returncode == -signal.SIGKILL
    samples, rate = sf.read(out, dtype="float32")  # playable: soundfile reads it
    assert rate == 16000
    duration = len(samples) / rate
    assert duration >= 2.5
    assert duration <= lived + 0.3
    assert np.sqrt(np.mean(samples[-rate // 2 :] ** 2)) > 0.1  # the tone, up to the end
    with wave.open(str(out)) as reader:  # the header tells the truth to tools that believe it
        assert reader.getnframes() == len(samples)


def _run_python(code: str, env: dict[str, str] | None = None) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-c", code],
        cwd=REPO,
        env={**os.environ, "PYTHONPATH": str(REPO), **(env or {})},
        capture_output=True,
        text=True,
        timeout=60,
    )


def test_no_input_device_is_a_clear_error():
    # No sound server reachable: PortAudio then has no device at all (a real condition).
    code = (
        "from audio.microphone import Recorder, MicrophoneUnavailable, list_input_devices\n"
        "print(len(list_input_devices()))\n"
        "try:\n    Recorder('/tmp/never.wav').start()\n"
        "except MicrophoneUnavailable as e:\n    print(e)\n"
    )
    result = _run_python(code, {"PULSE_SERVER": "unix:/nonexistent"})
    assert result.returncode == 0, result.stderr
    count, message = result.stdout.strip().splitlines()
    assert count == "0"
    assert message.startswith("no microphone found (Error querying device -1)")
    assert "--device" in message


def test_missing_portaudio_does_not_break_the_import():
    # Simulates the OSError sounddevice raises without libportaudio2 (cannot be made real
    # here without uninstalling a system package).
    code = (
        "import sys\n"
        "class NoPortAudio:\n"
        "    def find_spec(self, name, path=None, target=None):\n"
        "        if name == 'sounddevice':\n"
        "            raise OSError('PortAudio library not found')\n"
        "sys.meta_path.insert(0, NoPortAudio())\n"
        "import audio.microphone as m\n"
        "try:\n    m.list_input_devices()\n"
        "except m.MicrophoneUnavailable as e:\n    print(e)\n"
    )
    result = _run_python(code)
    assert result.returncode == 0, result.stderr
    assert "PortAudio library not found" in result.stdout
    assert "sudo apt-get install libportaudio2" in result.stdout


_REAL_INPUT_STREAM = microphone.sounddevice_module().InputStream


class _VanishingStream:
    """A real InputStream whose device "goes away" after a few blocks (fault injection)."""

    blocks_before_fault = 5
    announce = True

    def __init__(self, *args, callback, finished_callback, **kwargs):
        self._seen = 0
        self._user_callback = callback
        self._finished = finished_callback
        self._real = _REAL_INPUT_STREAM(*args, callback=self._callback, **kwargs)

    def _callback(self, indata, frames, time_info, status):
        self._seen += 1
        if self._seen <= self.blocks_before_fault:
            self._user_callback(indata, frames, time_info, status)
        elif self._seen == self.blocks_before_fault + 1 and self.announce:
            # PortAudio reports a host error by ending the stream.
            threading.Thread(target=self._finished).start()

    def start(self):
        self._real.start()

    def abort(self):
        self._real.abort()

    def close(self):
        self._real.close()


def test_device_gone_mid_recording_keeps_what_was_recorded(sink, tmp_path, monkeypatch):
    import sounddevice

    monkeypatch.setattr(sounddevice, "InputStream", _VanishingStream)
    stopped = []
    recorder = Recorder(tmp_path / "gone.wav", on_stopped=stopped.append)
    recorder.start()
    recording = recorder.wait(timeout=10)
    assert recording is not None
    assert recording.stopped_by == "device_error"
    assert recording.error == "the input stream ended unexpectedly"
    assert recording.duration_s == pytest.approx(0.5)
    assert sf.info(recording.path).duration == pytest.approx(0.5)
    assert stopped == [recording]


def test_device_that_falls_silent_is_detected(sink, tmp_path, monkeypatch):
    import sounddevice

    class Stalling(_VanishingStream):
        announce = False  # no error from PortAudio: the blocks just stop coming

    monkeypatch.setattr(sounddevice, "InputStream", Stalling)
    monkeypatch.setattr(microphone, "STALL_S", 0.6)
    recorder = Recorder(tmp_path / "stalled.wav")
    recorder.start()
    recording = recorder.wait(timeout=10)
    assert recording is not None
    assert recording.stopped_by == "device_error"
    assert "sent no audio" in (recording.error or "")
    assert Path(recording.path).exists() and recording.duration_s == pytest.approx(0.5)
