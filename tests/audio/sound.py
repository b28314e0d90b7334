"""Helpers for tests on the real test sound server: a private null sink, playing into it,
recording its monitor, and measuring where there is sound."""

from __future__ import annotations

import ctypes
import os
import re
import shutil
import signal
import subprocess
import time
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import soundfile as sf

REPO = Path(__file__).resolve().parents[2]
START_SCRIPT = REPO / "scripts" / "start-sound-server.sh"
MONITOR_RATE = 16000


def _die_with_parent() -> None:
    """Run in a child before exec: it is killed when the test process dies (Linux)."""
    try:
        libc = ctypes.CDLL(None, use_errno=True)
        libc.prctl(1, signal.SIGKILL)  # PR_SET_PDEATHSIG
    except (OSError, AttributeError):
        pass


class SoundServerMissing(RuntimeError):
    """The PulseAudio test server is not running and could not be started."""


def _pactl_ok() -> bool:
    if shutil.which("pactl") is None:
        return False
    result = subprocess.run(["pactl", "info"], capture_output=True, timeout=10)
    return result.returncode == 0


def ensure_sound_server() -> None:
    """Make sure `pactl info` works, starting the server once if needed."""
    if _pactl_ok():
        return
    if START_SCRIPT.exists():
        subprocess.run([str(START_SCRIPT)], capture_output=True, timeout=30)
    if not _pactl_ok():
        raise SoundServerMissing(
            "the PulseAudio test sound server is not running and scripts/start-sound-server.sh "
            "could not start it; run `make install-test` (as root) then `make sound-server`"
        )


@dataclass
class Sink:
    """A null sink of our own, so other tests playing into the default sink do not leak in.

    While it exists, silence is played into it at low latency. An idle null sink suspends, and
    a null sink with no low-latency client renders in 2-second chunks: a capture from its
    monitor then gets no audio for its first ~2 s (measured: first PortAudio block after
    2.0-2.3 s, with parec too). A real microphone does not behave like that, so keep it awake.
    """

    name: str
    module: str | None = None
    keepalive: subprocess.Popen[bytes] | None = None

    @property
    def monitor(self) -> str:
        return f"{self.name}.monitor"

    @classmethod
    def create(cls, name: str) -> Sink:
        result = subprocess.run(
            ["pactl", "load-module", "module-null-sink", f"sink_name={name}"],
            capture_output=True,
            text=True,
            timeout=10,
        )
        if result.returncode != 0:
            raise SoundServerMissing(f"cannot create the test sink {name}: {result.stderr.strip()}")
        sink = cls(name, result.stdout.strip())
        sink.keep_awake()
        return sink

    @classmethod
    def existing(cls, name: str) -> Sink:
        """A sink someone else made (it is kept awake but never unloaded)."""
        sink = cls(name)
        sink.keep_awake()
        return sink

    def keep_awake(self) -> None:
        self.keepalive = subprocess.Popen(
            [
                "pacat",
                f"--device={self.name}",
                "--raw",
                "--format=s16le",
                "--channels=1",
                "--rate=16000",
                "--latency-msec=20",
                "/dev/zero",
            ],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
            preexec_fn=_die_with_parent,
        )
        time.sleep(0.3)

    @staticmethod
    def remove_stale(prefix: str) -> int:
        """Unload sinks named ``<prefix><pid>`` whose process is gone (a killed test run)."""
        result = subprocess.run(
            ["pactl", "list", "short", "modules"], capture_output=True, text=True, timeout=10
        )
        removed = 0
        for line in result.stdout.splitlines():
            fields = line.split()
            name = next((f[10:] for f in fields if f.startswith("sink_name=")), "")
            pid = name[len(prefix) :]
            if name.startswith(prefix) and pid.isdigit() and not Path(f"/proc/{pid}").exists():
                subprocess.run(["pactl", "unload-module", fields[0]], capture_output=True)
                removed += 1
        return removed

    def remove(self) -> None:
        if self.keepalive is not None:
            self.keepalive.terminate()
            self.keepalive.wait(timeout=10)
            self.keepalive = None
        if self.module:
            subprocess.run(["pactl", "unload-module", self.module], capture_output=True, timeout=10)
            self.module = None

    def route_here(self) -> None:
        """Send this process's (and its children's) PortAudio sound to this sink."""
        os.environ["PULSE_SINK"] = self.name
        os.environ["PULSE_SOURCE"] = self.monitor


def default_sink() -> str:
    result = subprocess.run(["pactl", "get-default-sink"], capture_output=True, text=True)
    return result.stdout.strip() or "vsink"


def play_file(path: Path, sink: str) -> subprocess.Popen[bytes]:
    """Start playing a sound file into ``sink`` with paplay; returns the process."""
    return subprocess.Popen(["paplay", f"--device={sink}", str(path)])


class MonitorRecording:
    """Record a sink's monitor with parec (16 kHz mono s16le) while the block runs.

    The sink is kept awake (see :class:`Sink`), so the recording runs in real time: sample
    ``n`` was heard at ``t0 + n / 16000`` (monotonic clock; ``t0`` is calibrated from the first
    bytes that arrive, within ~30 ms).
    """

    def __init__(self, sink: Sink, path: Path) -> None:
        self.sink = sink
        self.path = path
        self._process: subprocess.Popen[bytes] | None = None
        self.t0 = 0.0

    def __enter__(self) -> MonitorRecording:
        self._file = self.path.open("wb")
        self._process = subprocess.Popen(
            [
                "parec",
                f"--device={self.sink.monitor}",
                "--format=s16le",
                f"--rate={MONITOR_RATE}",
                "--channels=1",
                "--latency-msec=10",
            ],
            stdout=self._file,
            preexec_fn=_die_with_parent,
        )
        deadline = time.monotonic() + 10
        while self.path.stat().st_size == 0:
            if time.monotonic() > deadline:
                raise SoundServerMissing(f"parec recorded nothing from {self.sink.monitor}")
            time.sleep(0.002)
        self.t0 = time.monotonic() - self.path.stat().st_size / (2 * MONITOR_RATE)
        time.sleep(0.2)
        return self

    def __exit__(self, *exc: object) -> None:
        time.sleep(0.2)
        assert self._process is not None
        self._process.terminate()
        self._process.wait(timeout=10)
        self._file.close()

    def at(self, moment: float) -> float:
        """Seconds into the recording at the monotonic time ``moment``."""
        return moment - self.t0

    def samples(self) -> np.ndarray:
        return np.fromfile(self.path, dtype="<i2").astype(np.float32) / 32768.0


def tone(seconds: float, freq: float = 440.0, rate: int = 16000, amp: float = 0.5) -> np.ndarray:
    t = np.arange(int(seconds * rate)) / rate
    return (amp * np.sin(2 * np.pi * freq * t)).astype(np.float32)


def write_wav(path: Path, samples: np.ndarray, rate: int = 16000) -> Path:
    sf.write(path, samples, rate, subtype="PCM_16")
    return path


def normalise(text: str) -> str:
    """Text as compared for word error rate: lowercase words, hyphens split, no punctuation."""
    return " ".join(re.sub(r"[^a-z0-9' ]+", " ", text.lower().replace("-", " ")).split())


def espeak_render(text: str, path: Path, rate: int = 200) -> tuple[np.ndarray, int]:
    """espeak-ng's own rendering of ``text`` (the reference for completeness)."""
    subprocess.run(["espeak-ng", "-s", str(rate), "-w", str(path), text], check=True, timeout=60)
    samples, samplerate = sf.read(path, dtype="float32")
    return samples, samplerate


def frame_dbfs(samples: np.ndarray, rate: int, frame_s: float = 0.02) -> np.ndarray:
    """Level of each ``frame_s`` frame in dBFS (RMS; silence is -120)."""
    size = max(1, int(rate * frame_s))
    count = len(samples) // size
    if count == 0:
        return np.zeros(0)
    frames = samples[: count * size].reshape(count, size).astype(np.float64)
    rms = np.sqrt((frames**2).mean(axis=1))
    return 20 * np.log10(np.maximum(rms, 1e-6))


def voiced_seconds(samples: np.ndarray, rate: int, threshold_db: float = -40.0) -> float:
    """Seconds of frames louder than ``threshold_db``."""
    return float((frame_dbfs(samples, rate) > threshold_db).sum() * 0.02)


def sound_span(samples: np.ndarray, rate: int, threshold_db: float = -40.0) -> tuple[float, float]:
    """(first, last) second with sound louder than ``threshold_db``; (nan, nan) if none."""
    loud = np.flatnonzero(frame_dbfs(samples, rate) > threshold_db)
    if len(loud) == 0:
        return float("nan"), float("nan")
    return float(loud[0] * 0.02), float((loud[-1] + 1) * 0.02)
