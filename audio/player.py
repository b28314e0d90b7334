"""Play a recorded answer back through PortAudio: pause, resume, seek, and the position.

The file is read into memory (a ten-minute answer at 16 kHz mono is 38 MB of float32) and a
callback stream hands it out block by block. Pausing keeps the stream open and writes silence,
so resuming is instant; the position is the frame the callback will play next, minus what is
still buffered in the device (good enough to highlight the word being heard).
"""

from __future__ import annotations

import contextlib
import threading
from collections.abc import Callable
from pathlib import Path
from typing import Any

import numpy as np

from audio.devices import Device, list_devices, load_sounddevice
from audio.errors import first_line as _first_line

PLAYER_LATENCY: str | float = "high"
"""PortAudio's "high" output latency (35 ms on PulseAudio here, "low" is 9 ms): a stall of the
callback's thread shorter than the buffer is not heard, and a busy laptop (or CI machine) stalls
it longer than 9 ms now and then (a test heard 0.16 s of dropouts in a 1 s tone). Pausing and
seeking answer within it; ``position_s`` subtracts it. The end of the file is followed by that
much silence before the stream stops, as stopping drops what the device still holds (measured:
the last 20 ms of the file at "high", 0.1 s at a fixed 0.1 s)."""


class PlaybackError(Exception):
    """The file cannot be played (missing, unreadable, no output device, no PortAudio)."""


def _sounddevice() -> Any:
    return load_sounddevice(PlaybackError, "play sound")


OutputDevice = Device
"""An output device (the shared :class:`audio.devices.Device`)."""


def list_output_devices() -> list[Device]:
    """Every device with output channels; empty when there is none."""
    return list_devices(_sounddevice(), "output")


class Player:
    """Plays one sound file; ``on_finished`` runs (in a background thread) at its natural end."""

    def __init__(
        self,
        path: Path | str,
        device: int | str | None = None,
        on_finished: Callable[[], None] | None = None,
    ) -> None:
        import soundfile as sf

        self.path = Path(path)
        self.device = device
        self.on_finished = on_finished
        try:
            samples, samplerate = sf.read(self.path, dtype="float32", always_2d=True)
        except (OSError, RuntimeError, sf.LibsndfileError) as error:
            raise PlaybackError(f"cannot read {self.path} ({_first_line(error)})") from None
        self._samples = np.ascontiguousarray(samples.mean(axis=1), dtype=np.float32)
        self.samplerate = int(samplerate)
        self._frame = 0
        self._paused = False
        self._lock = threading.Lock()
        self._stream: Any = None
        self._latency_s = 0.0
        self._tail_frames = 0
        self._underflows = 0
        self._finished = threading.Event()

    @property
    def duration_s(self) -> float:
        return len(self._samples) / self.samplerate

    @property
    def position_s(self) -> float:
        """Seconds into the file of the sound being heard now."""
        with self._lock:
            frame = self._frame
            playing = self._stream is not None and not self._paused
        seconds = frame / self.samplerate
        if playing:
            seconds -= self._latency_s
        return min(max(0.0, seconds), self.duration_s)

    @property
    def underflows(self) -> int:
        """How many times the device ran dry since the player was made (a dropout heard)."""
        with self._lock:
            return self._underflows

    @property
    def is_playing(self) -> bool:
        return self._stream is not None and not self._paused and not self._finished.is_set()

    @property
    def is_paused(self) -> bool:
        return self._stream is not None and self._paused

    def play(self) -> None:
        """Start playing from the current position (from the start if at the end)."""
        if self._stream is not None:
            self.resume()
            return
        sd = _sounddevice()
        with self._lock:
            if self._frame >= len(self._samples):
                self._frame = 0
            self._paused = False
            self._tail_frames = 0
        self._finished.clear()
        try:
            stream = sd.OutputStream(
                samplerate=self.samplerate,
                channels=1,
                dtype="float32",
                device=self.device,
                latency=PLAYER_LATENCY,
                callback=self._callback,
                finished_callback=self._stream_finished,
            )
        except Exception as error:
            raise PlaybackError(
                f"cannot open the sound output ({_first_line(error)}); see `mock-interview devices`"
            ) from None
        self._latency_s = float(stream.latency)
        self._stream = stream
        stream.start()

    def pause(self) -> None:
        with self._lock:
            self._paused = True

    def resume(self) -> None:
        with self._lock:
            self._paused = False

    def toggle(self) -> None:
        """Pause if playing, else play or resume."""
        if self.is_playing:
            self.pause()
        else:
            self.play()

    def seek(self, seconds: float) -> None:
        """Jump to ``seconds`` (clamped to the file)."""
        frame = int(round(max(0.0, seconds) * self.samplerate))
        with self._lock:
            self._frame = min(frame, len(self._samples))
            if self._frame < len(self._samples):
                self._tail_frames = 0  # the silence after the end starts again from the new end

    def stop(self) -> None:
        """Stop playing and go back to the start; ``on_finished`` is not called."""
        stream = self._close_stream()
        with self._lock:
            self._frame = 0
            self._paused = False
        if stream is not None:
            self._finished.set()

    def wait(self, timeout: float | None = None) -> bool:
        """Wait until playback has finished or was stopped; False if ``timeout`` ran out."""
        return self._finished.wait(timeout)

    def close(self) -> None:
        self.stop()

    def _close_stream(self) -> Any:
        stream, self._stream = self._stream, None
        if stream is not None:
            with contextlib.suppress(Exception):
                stream.abort()
            with contextlib.suppress(Exception):
                stream.close()
        return stream

    # PortAudio's thread.
    def _callback(self, outdata: np.ndarray, frames: int, _time: Any, status: Any) -> None:
        from sounddevice import CallbackStop

        out = outdata[:, 0]
        with self._lock:
            if status.output_underflow:
                self._underflows += 1
            if self._paused:
                out.fill(0.0)
                return
            start = self._frame
            take = max(0, min(frames, len(self._samples) - start))
            out[:take] = self._samples[start : start + take]
            out[take:] = 0.0
            self._frame = start + take
            if self._frame >= len(self._samples):
                self._tail_frames += frames - take
            # The file's end is heard once the silence after it has pushed it through the device.
            played_out = self._tail_frames >= self._latency_s * self.samplerate + frames
        if played_out:
            raise CallbackStop

    def _stream_finished(self) -> None:
        with self._lock:
            natural = self._frame >= len(self._samples) and not self._paused
        if not natural or self._finished.is_set():
            return
        threading.Thread(target=self._finish, name="player-finished", daemon=True).start()

    def _finish(self) -> None:
        self._close_stream()
        self._finished.set()
        if self.on_finished is not None:
            with contextlib.suppress(Exception):
                self.on_finished()
