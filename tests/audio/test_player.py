"""Player: plays a file into the test sink, pauses, resumes and seeks, reports the position."""

from __future__ import annotations

import time

import numpy as np
import pytest

from audio.player import PlaybackError, Player
from tests.audio.sound import MONITOR_RATE, MonitorRecording, frame_dbfs, tone, write_wav

pytestmark = pytest.mark.audio
RATE = 16000


def _dominant_hz(samples: np.ndarray, rate: int = MONITOR_RATE) -> float:
    spectrum = np.abs(np.fft.rfft(samples * np.hanning(len(samples))))
    return float(np.fft.rfftfreq(len(samples), 1 / rate)[int(np.argmax(spectrum))])


def _steps(tmp_path, seconds: int = 5):
    """One second per tone: 300 Hz, 400 Hz, 500 Hz... so a moment tells where it came from."""
    samples = np.concatenate([tone(1.0, freq=300 + 100 * k, rate=RATE) for k in range(seconds)])
    return write_wav(tmp_path / "steps.wav", samples, RATE)


def _loud_runs(levels: np.ndarray, threshold: float = -30.0) -> list[tuple[float, float]]:
    """(start, length) of loud stretches; gaps under 0.1 s (a dropout when other work starves
    the CPU) are bridged, the file's 1 s of silence is not."""
    loud = np.concatenate([[False], levels > threshold, [False]])
    edges = np.flatnonzero(np.diff(loud.astype(int)))
    runs: list[list[float]] = []
    for start, end in zip(edges[::2], edges[1::2], strict=True):
        if runs and start * 0.02 - (runs[-1][0] + runs[-1][1]) < 0.1:
            runs[-1][1] = end * 0.02 - runs[-1][0]
        else:
            runs.append([start * 0.02, (end - start) * 0.02])
    return [(start, length) for start, length in runs]


def test_plays_the_file_at_the_right_times(sink, tmp_path):
    gap = np.zeros(RATE, dtype=np.float32)
    path = write_wav(
        tmp_path / "pattern.wav",
        np.concatenate([tone(1.0, 440, RATE), gap, tone(1.0, 660, RATE)]),
        RATE,
    )
    finished: list[float] = []
    player = Player(path, on_finished=lambda: finished.append(player.position_s))
    assert player.duration_s == 3.0
    with MonitorRecording(sink, tmp_path / "monitor.raw") as rec:
        player.play()
        assert player.is_playing
        assert player.wait(10)
    heard = rec.samples()
    runs = _loud_runs(frame_dbfs(heard, MONITOR_RATE))
    assert len(runs) == 2
    (first_at, first_len), (second_at, second_len) = runs
    # A dropout the device reports (the callback's thread stalled longer than the buffer on a
    # busy machine) stretches what is heard: each may add up to 0.1 s.
    slack = 0.15 + 0.1 * player.underflows
    assert first_len == pytest.approx(1.0, abs=slack)
    assert second_len == pytest.approx(1.0, abs=slack)  # the file's last 20 ms are heard too
    assert second_at - first_at == pytest.approx(2.0, abs=slack)
    at = int((first_at + 0.5) * MONITOR_RATE)
    assert _dominant_hz(heard[at : at + 4000]) == pytest.approx(440, abs=8)
    at = int((second_at + 0.5) * MONITOR_RATE)
    assert _dominant_hz(heard[at : at + 4000]) == pytest.approx(660, abs=8)
    assert finished == [3.0]
    assert not player.is_playing


def test_pause_holds_the_position_and_the_sound(sink, tmp_path):
    player = Player(_steps(tmp_path))
    with MonitorRecording(sink, tmp_path / "monitor.raw") as rec:
        player.play()
        time.sleep(0.8)
        player.pause()
        paused_at = time.monotonic()
        held = player.position_s
        time.sleep(0.8)
        assert player.position_s == held
        assert player.is_paused and not player.is_playing
        resumed_at = time.monotonic()
        player.resume()
        time.sleep(0.5)
        assert player.position_s > held + 0.3
        player.stop()
    assert 0.5 < held < 1.0
    levels = frame_dbfs(rec.samples(), MONITOR_RATE)
    quiet = levels[int((rec.at(paused_at) + 0.15) / 0.02) : int((rec.at(resumed_at) - 0.02) / 0.02)]
    assert len(quiet) > 20 and quiet.max() < -60
    after = levels[int((rec.at(resumed_at) + 0.15) / 0.02) : int((rec.at(resumed_at) + 0.4) / 0.02)]
    assert after.min() > -30


def test_seek_moves_the_position_and_what_is_heard(sink, tmp_path):
    player = Player(_steps(tmp_path))
    player.seek(2.5)
    assert player.position_s == 2.5
    with MonitorRecording(sink, tmp_path / "monitor.raw") as rec:
        started = time.monotonic()
        player.play()
        time.sleep(0.3)
        assert 2.5 < player.position_s < 3.0
        player.pause()
    heard = rec.samples()
    at = int((rec.at(started) + 0.1) * MONITOR_RATE)
    # second 2.5 of the file is the 500 Hz step
    assert _dominant_hz(heard[at : at + 2000]) == pytest.approx(500, abs=10)
    player.seek(99)
    assert player.position_s == player.duration_s
    player.seek(-3)
    assert player.position_s == 0.0
    player.stop()


def test_a_seek_back_while_the_end_plays_out_plays_the_end_again_in_full(tmp_path):
    """Once the file's last sample is out, the player waits for the device's latency of silence
    to push it through before it stops. Seeking back in that wait starts the wait over at the
    next end, so the end is not cut short. (The callback is driven as PortAudio drives it.)"""
    from types import SimpleNamespace

    from sounddevice import CallbackStop

    player = Player(_steps(tmp_path, 1))
    player._latency_s = 0.2  # as a real output stream reports it
    status = SimpleNamespace(output_underflow=False)
    out = np.zeros((1600, 1), dtype=np.float32)

    def blocks_until_stop() -> int:
        for count in range(1, 1000):
            try:
                player._callback(out, len(out), None, status)
            except CallbackStop:
                return count
        raise AssertionError("never stopped")

    whole = blocks_until_stop()  # 10 blocks of the file, then the latency's silence
    player.seek(0.0)
    for _ in range(whole - 1):
        player._callback(out, len(out), None, status)  # at the end again, waiting
    player.seek(0.5)
    assert blocks_until_stop() == whole - 5  # the second half, then the whole wait again


def test_stop_rewinds_without_calling_on_finished(sink, tmp_path):
    finished: list[bool] = []
    player = Player(_steps(tmp_path, 3), on_finished=lambda: finished.append(True))
    player.play()
    time.sleep(0.3)
    player.stop()
    assert player.position_s == 0.0
    assert not player.is_playing
    time.sleep(0.2)
    assert finished == []
    player.toggle()  # plays again from the start
    assert player.is_playing
    player.stop()


def test_missing_file_is_a_clear_error(tmp_path):
    with pytest.raises(PlaybackError, match="cannot read .*nothing.wav"):
        Player(tmp_path / "nothing.wav")


def test_a_stalled_callback_is_a_counted_dropout_that_loses_no_sound(sink, tmp_path):
    """The callback's thread held up longer than the device's buffer (a busy machine; here by
    holding the player's lock): the device runs dry once, counted, and the rest of the file is
    heard after the gap, not skipped."""
    player = Player(write_wav(tmp_path / "tone.wav", tone(2.0, 440, RATE), RATE))
    with MonitorRecording(sink, tmp_path / "monitor.raw") as rec:
        player.play()
        time.sleep(0.5)
        with player._lock:
            time.sleep(0.3)
        assert player.wait(10)
    runs = _loud_runs(frame_dbfs(rec.samples(), MONITOR_RATE))
    assert player.underflows >= 1
    assert len(runs) == 2, runs  # the gap is heard ...
    assert sum(length for _, length in runs) == pytest.approx(2.0, abs=0.06)  # ... nothing lost
