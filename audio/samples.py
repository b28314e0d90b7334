"""Audio as samples: float32 mono at 16 kHz from a file or an array, and how loud it is."""

from __future__ import annotations

from pathlib import Path

import numpy as np

SAMPLE_RATE = 16000
"""What Whisper hears: 16 kHz mono."""


class AudioUnreadable(Exception):
    """An audio file that cannot be read; the message says which and what to do."""


def load_audio(path: str | Path) -> np.ndarray:
    """A file's audio as float32 mono 16 kHz samples; :class:`AudioUnreadable` if it cannot."""
    path = Path(path)
    if not path.exists():
        raise AudioUnreadable(f"no audio file at {path}; check the path")
    if path.is_dir():
        raise AudioUnreadable(f"{path} is a folder; give an audio file (WAV, FLAC, OGG, MP3)")
    from faster_whisper import decode_audio

    try:
        samples = decode_audio(str(path), sampling_rate=SAMPLE_RATE)
    except Exception as error:  # PyAV raises many kinds; all mean the same to the user
        reason = str(error).splitlines()[0] if str(error) else type(error).__name__
        raise AudioUnreadable(
            f"cannot read {path} as audio ({reason}); give a WAV, FLAC, OGG or MP3 file"
        ) from None
    return np.ascontiguousarray(samples, dtype=np.float32)


def as_samples(audio: np.ndarray) -> np.ndarray:
    """Float32 mono samples from an array (int16 scaled, channels averaged)."""
    array = np.asarray(audio)
    if array.ndim == 2:
        array = array.mean(axis=1) if array.shape[1] <= 8 else array.mean(axis=0)
    if array.dtype == np.int16:
        array = array.astype(np.float32) / 32768.0
    return np.ascontiguousarray(array, dtype=np.float32)


def loudest_dbfs(samples: np.ndarray, window: int = SAMPLE_RATE // 10) -> float:
    """The level of the loudest 100 ms of ``samples`` in dBFS (-inf for digital silence)."""
    if len(samples) == 0:
        return float("-inf")
    usable = len(samples) - len(samples) % window if len(samples) >= window else len(samples)
    frames = samples[:usable].reshape(-1, min(window, usable))
    rms = float(np.sqrt(np.max(np.mean(frames.astype(np.float64) ** 2, axis=1))))
    return 20 * np.log10(rms) if rms > 0 else float("-inf")
