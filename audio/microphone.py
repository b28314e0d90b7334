"""Record from an input device straight to a WAV file on disk, with a level for a meter.

The PortAudio callback only queues each block. A writer thread appends the blocks to the file
as they come, and libsndfile rewrites the WAV header after every block (asked to with
``SFC_SET_UPDATE_HEADER_AUTO``; ``SoundFile.flush()`` alone does not), so the file is whole and
its header true at every moment, for any tool: a ``kill -9`` loses at most the last block
(0.1 s) still in flight. ``sounddevice`` is imported lazily, so importing this module
never fails on a machine without PortAudio.

Measured through PulseAudio's ALSA plugin: the first capture stream of a process delivers its
first block only after ~1.7 s (later streams after 0.1 s), and the sound of those 1.7 s is lost.
So :meth:`Recorder.start` returns only once blocks flow (the user sees "recording" when it
really is), and :func:`warm_up` lets an app pay that cost at start-up instead.
"""

from __future__ import annotations

import contextlib
import math
import queue
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Literal

import numpy as np

from audio.devices import Device, default_index, device_from_info, list_devices, load_sounddevice
from audio.errors import first_line as _first_line

SAMPLERATE = 16000
BLOCK_S = 0.1
STALL_S = 2.0
START_TIMEOUT_S = 6.0
START_ATTEMPTS = 2
SILENCE_DBFS = -120.0
DEVICES_HINT = "see `mock-interview devices`"

StoppedBy = Literal["user", "max_length", "device_error"]


class MicrophoneUnavailable(Exception):
    """No usable input device (or no PortAudio); the message says what to do."""


InputDevice = Device
"""An input device (the shared :class:`audio.devices.Device`)."""


@dataclass(frozen=True)
class Recording:
    """What a recording left on disk and why it ended."""

    path: Path
    duration_s: float
    samplerate: int
    stopped_by: StoppedBy
    error: str | None = None


def sounddevice_module() -> Any:
    """Import sounddevice, turning a missing PortAudio into :class:`MicrophoneUnavailable`."""
    return load_sounddevice(MicrophoneUnavailable, "use audio devices")


def list_input_devices() -> list[Device]:
    """Every device with input channels; empty when there is none."""
    return list_devices(sounddevice_module(), "input")


def parse_device(device: int | str | None) -> int | str | None:
    """A device as configured or typed: an index ("3" is 3), a (part of a) name, None: default."""
    if isinstance(device, str):
        device = device.strip()
        if not device:
            return None
        if device.isdigit():
            return int(device)
    return device


def resolve_input_device(device: int | str | None = None) -> Device:
    """The input device for an index, a (part of a) name, or None for the default."""
    sd = sounddevice_module()
    device = parse_device(device)
    try:
        info = sd.query_devices(device, kind="input")
    except (ValueError, sd.PortAudioError) as error:
        if device is None:
            raise MicrophoneUnavailable(
                f"no microphone found ({_first_line(error)}); plug one in, or choose a device "
                f"with --device ({DEVICES_HINT})"
            ) from None
        raise MicrophoneUnavailable(
            f"no input device '{device}' ({_first_line(error)}); {DEVICES_HINT}"
        ) from None
    if info["max_input_channels"] < 1:
        raise MicrophoneUnavailable(f"device '{info['name']}' has no input; {DEVICES_HINT}")
    return device_from_info(info, "input", default_index(sd, "input"))


_warm_lock = threading.Lock()


def warm_up(device: int | str | None = None, timeout: float = START_TIMEOUT_S) -> float:
    """Open the input once and wait for its first block, so the first real recording starts
    at once; returns the seconds it took. Raises :class:`MicrophoneUnavailable`."""
    sd = sounddevice_module()
    info = resolve_input_device(device)
    arrived = threading.Event()
    started = time.monotonic()
    with _warm_lock:
        try:
            stream = sd.InputStream(
                samplerate=SAMPLERATE,
                device=info.index,
                channels=1,
                dtype="float32",
                callback=lambda *_args: arrived.set(),
            )
            stream.start()
        except Exception as error:
            raise MicrophoneUnavailable(
                f"cannot record from '{info.name}' ({_first_line(error)}); {DEVICES_HINT}"
            ) from None
        try:
            arrived.wait(timeout)
        finally:
            with contextlib.suppress(Exception):
                stream.abort()
            with contextlib.suppress(Exception):
                stream.close()
    if not arrived.is_set():
        raise MicrophoneUnavailable(
            f"'{info.name}' sent no audio within {timeout:.0f} s; check it, or choose another "
            f"device ({DEVICES_HINT})"
        )
    return time.monotonic() - started


def dbfs(block: np.ndarray) -> float:
    """RMS level of a float block in dBFS (full scale 1.0); silence is -120."""
    if block.size == 0:
        return SILENCE_DBFS
    rms = math.sqrt(float(np.mean(np.square(block, dtype=np.float64))))
    return max(SILENCE_DBFS, 20.0 * math.log10(rms)) if rms > 0 else SILENCE_DBFS


class Recorder:
    """Records mono float blocks from ``device`` into ``path`` (16-bit PCM WAV).

    ``on_block`` receives each float32 mono block from the writer thread (never from the
    PortAudio callback); ``on_stopped`` receives the :class:`Recording` when the recording ends
    by itself (maximum length, device error) or by :meth:`stop`.
    """

    def __init__(
        self,
        path: Path | str,
        device: int | str | None = None,
        samplerate: int = SAMPLERATE,
        max_seconds: float | None = None,
        on_block: Callable[[np.ndarray], None] | None = None,
        on_stopped: Callable[[Recording], None] | None = None,
    ) -> None:
        self.path = Path(path)
        self.device = device
        self.samplerate = int(samplerate)
        self.max_seconds = max_seconds
        self.on_block = on_block
        self.on_stopped = on_stopped
        self.level_dbfs = SILENCE_DBFS
        self.overflows = 0
        self.block_errors: list[str] = []
        self._frames = 0
        self._blocks: queue.Queue[np.ndarray | None] = queue.Queue()
        self._lock = threading.Lock()
        self._stream: Any = None
        self._file: Any = None
        self._writer: threading.Thread | None = None
        self._stopped_by: StoppedBy | None = None
        self._error: str | None = None
        self._ending = False
        self._replacing = False
        self._first_block = threading.Event()
        self._done = threading.Event()
        self._recording: Recording | None = None

    @property
    def elapsed_s(self) -> float:
        return self._frames / self.samplerate

    @property
    def is_recording(self) -> bool:
        return self._writer is not None and not self._ending

    def start(self) -> None:
        """Open the device and the file; returns once audio flows (within 0.1 s, or ~1.7 s for
        the first stream of a process, see :func:`warm_up`; a stream still silent after 3 s is
        reopened once). Raises :class:`MicrophoneUnavailable`."""
        if self._writer is not None:
            raise RuntimeError("this Recorder was already started")
        sd = sounddevice_module()
        device = resolve_input_device(self.device)
        import soundfile as sf

        try:
            self.path.parent.mkdir(parents=True, exist_ok=True)
            self._file = sf.SoundFile(
                self.path, "w", samplerate=self.samplerate, channels=1, subtype="PCM_16"
            )
            _header_after_every_write(self._file)
        except (OSError, RuntimeError) as error:
            raise MicrophoneUnavailable(
                f"cannot write {self.path} ({_first_line(error)}); choose a writable place"
            ) from None
        self._writer = threading.Thread(target=self._write, name="mic-writer", daemon=True)
        for attempt in range(1, START_ATTEMPTS + 1):
            self._stream = self._open_stream(sd, device)
            if attempt == 1:
                self._writer.start()
            if self._first_block.wait(START_TIMEOUT_S / START_ATTEMPTS):
                return
            if attempt < START_ATTEMPTS:  # a stalled first stream is fine once reopened
                self._replacing = True
                with contextlib.suppress(Exception):
                    self._stream.abort()
                with contextlib.suppress(Exception):
                    self._stream.close()
                self._replacing = False
        if self.stop().duration_s == 0:
            self.path.unlink(missing_ok=True)
        raise MicrophoneUnavailable(
            f"'{device.name}' sent no audio within {START_TIMEOUT_S:.0f} s; check it, or "
            f"choose another device ({DEVICES_HINT})"
        )

    def _open_stream(self, sd: Any, device: InputDevice) -> Any:
        try:
            stream = sd.InputStream(
                samplerate=self.samplerate,
                blocksize=int(self.samplerate * BLOCK_S),
                device=device.index,
                channels=1,
                dtype="float32",
                callback=self._callback,
                finished_callback=self._stream_finished,
            )
            stream.start()
        except Exception as error:
            if self._writer is not None and self._writer.is_alive():
                self._end("device_error", f"cannot reopen the device: {_first_line(error)}")
                self._done.wait()
            else:
                self._file.close()
            if self._frames == 0:
                self.path.unlink(missing_ok=True)
            raise MicrophoneUnavailable(
                f"cannot record from '{device.name}' ({_first_line(error)}); {DEVICES_HINT}"
            ) from None
        return stream

    def stop(self) -> Recording:
        """Stop (if still running), finish the file and say what was recorded."""
        if self._writer is None:
            raise RuntimeError("this Recorder was never started")
        self._end("user", None)
        self._done.wait()
        assert self._recording is not None
        return self._recording

    def wait(self, timeout: float | None = None) -> Recording | None:
        """Wait for the recording to end by itself; None if ``timeout`` ran out."""
        self._done.wait(timeout)
        return self._recording

    # PortAudio's thread: only queue the block.
    def _callback(self, indata: np.ndarray, _frames: int, _time: Any, status: Any) -> None:
        if status.input_overflow:
            self.overflows += 1
        self._blocks.put(indata[:, 0].copy())
        self._first_block.set()

    def _stream_finished(self) -> None:
        if not self._ending and not self._replacing:
            self._end_from_thread("device_error", "the input stream ended unexpectedly")

    def _end_from_thread(self, stopped_by: StoppedBy, error: str | None) -> None:
        threading.Thread(target=self._end, args=(stopped_by, error), daemon=True).start()

    def _end(self, stopped_by: StoppedBy, error: str | None) -> None:
        """Stop the stream once; the writer then drains what is queued and closes the file."""
        with self._lock:
            if self._ending:
                return
            self._ending = True
            self._stopped_by = stopped_by
            self._error = error
        stream = self._stream
        if stream is not None:
            try:
                # abort, not stop: stop() waits for PortAudio to drain and was seen to hang on
                # a stalled source; abort loses at most the block in flight (0.1 s).
                stream.abort()
            except Exception as stop_error:
                if self._error is None and stopped_by == "user":
                    self._error = f"the input device failed: {_first_line(stop_error)}"
                    self._stopped_by = "device_error"
            with contextlib.suppress(Exception):
                stream.close()
        self._blocks.put(None)

    def _write(self) -> None:
        max_frames = None if self.max_seconds is None else int(self.max_seconds * self.samplerate)
        last_block = time.monotonic()
        try:
            while True:
                try:
                    block = self._blocks.get(timeout=0.2)
                except queue.Empty:
                    stalled = time.monotonic() - last_block > STALL_S
                    if stalled and self._first_block.is_set() and not self._ending:
                        self._end_from_thread(
                            "device_error",
                            f"the microphone sent no audio for {STALL_S:.0f} s (unplugged?)",
                        )
                        last_block = time.monotonic()
                    continue
                if block is None:
                    break
                last_block = time.monotonic()
                if max_frames is not None:
                    block = block[: max(0, max_frames - self._frames)]
                if block.size:
                    self._store(block)
                if max_frames is not None and self._frames >= max_frames:
                    self._end_from_thread("max_length", None)
        except Exception as error:  # disk full, file gone: stop, keep what is there
            self._error = f"cannot write {self.path}: {_first_line(error)}"
            self._stopped_by = "device_error"
            self._end_from_thread("device_error", self._error)
        finally:
            with contextlib.suppress(Exception):
                self._file.close()
            self._finish()

    def _store(self, block: np.ndarray) -> None:
        self._file.write(block)
        self._file.flush()  # the header was rewritten by the write: the file is whole from here
        self._frames += len(block)
        self.level_dbfs = dbfs(block)
        if self.on_block is not None:
            try:
                self.on_block(block)
            except Exception as error:  # a consumer's bug must not lose the recording
                self.block_errors.append(_first_line(error))

    def _finish(self) -> None:
        self._recording = Recording(
            path=self.path,
            duration_s=self._frames / self.samplerate,
            samplerate=self.samplerate,
            stopped_by=self._stopped_by or "user",
            error=self._error,
        )
        self._done.set()
        if self.on_stopped is not None:
            with contextlib.suppress(Exception):
                self.on_stopped(self._recording)


def _header_after_every_write(file: object) -> None:
    """Ask libsndfile to rewrite the WAV header after every write (flush alone does not: a file
    cut by a crash kept a header saying 0 bytes, which ``wave`` and ``soxi`` believe)."""
    import soundfile as sf

    from audio.wav_header import SFC_SET_UPDATE_HEADER_AUTO

    with contextlib.suppress(Exception):
        sf._snd.sf_command(file._file, SFC_SET_UPDATE_HEADER_AUTO, sf._ffi.NULL, 1)  # type: ignore[attr-defined]
