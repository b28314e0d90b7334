"""A WAV header left saying 0 bytes by a crash is repaired so that every tool reads the audio."""

from __future__ import annotations

import struct
import wave
from pathlib import Path

import numpy as np
import soundfile as sf

from audio.wav_header import repair


def cut_by_a_crash(path: Path, seconds: float = 1.5) -> None:
    """A real libsndfile recording whose header still says what it said when opened: 0 bytes."""
    samples = (0.2 * np.sin(np.linspace(0, 600, int(16000 * seconds)))).astype(np.float32)
    sf.write(path, samples, 16000, subtype="PCM_16")
    with path.open("r+b") as file:
        file.seek(4)
        file.write(struct.pack("<I", 36))  # RIFF size of an empty file
        file.seek(40)
        file.write(struct.pack("<I", 0))  # data size 0


def test_a_header_that_says_nothing_is_repaired(tmp_path: Path) -> None:
    path = tmp_path / "q01-1.wav"
    cut_by_a_crash(path)
    with wave.open(str(path)) as reader:  # the fault, as Python's wave sees it
        assert reader.getnframes() == 0
    before = path.read_bytes()
    assert repair(path) is True
    after = path.read_bytes()
    assert after[44:] == before[44:], "the samples are never touched"
    with wave.open(str(path)) as reader:
        assert reader.getnframes() == 24000
    assert sf.info(str(path)).frames == 24000
    assert repair(path) is False, "a true header is left alone"


def test_not_a_wav_is_left_alone(tmp_path: Path) -> None:
    path = tmp_path / "notes.wav"
    path.write_bytes(b"not audio at all" * 10)
    assert repair(path) is False
    assert path.read_bytes() == b"not audio at all" * 10
