"""`mock-interview score --audio`: the real bundled model on real speech, then coverage."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest

from tests.audio.sound import espeak_render, write_wav

ROOT = Path(__file__).resolve().parents[2]
STRONG_Q4 = (
    "L1, also called lasso, adds the absolute value of the weights and drives many of them to "
    "exactly zero, so you get sparse models and feature selection. L2, or ridge, adds the "
    "squared weights and shrinks them toward zero without making them zero."
)
OFF_TOPIC_Q4 = (
    "I would pick the learning rate with a range test, then use warmup and cosine annealing. "
    "Adam with a small learning rate is a good default for transformers."
)

pytestmark = pytest.mark.model


def score_audio(path: Path, question: int = 4) -> dict:
    result = subprocess.run(
        [
            sys.executable,
            "-m",
            "simulator",
            "score",
            "-q",
            str(question),
            "--audio",
            str(path),
            "--json",
        ],
        capture_output=True,
        text=True,
        cwd=ROOT,
        timeout=180,
    )
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout)


def test_spoken_answers_keep_strong_above_off_topic(tmp_path: Path) -> None:
    espeak_render(STRONG_Q4, tmp_path / "strong.wav", rate=160)
    espeak_render(OFF_TOPIC_Q4, tmp_path / "off.wav", rate=160)
    strong = score_audio(tmp_path / "strong.wav")
    off = score_audio(tmp_path / "off.wav")
    assert strong["coverage"] >= 0.6, strong["transcript"]
    assert off["coverage"] <= 0.1, off["transcript"]
    assert "squared" in strong["transcript"].lower()
    delivery = strong["delivery"]
    assert 100 < delivery["words_per_minute"] < 260
    assert delivery["readings"] and "wpm" in delivery["readings"][0]
    assert strong["timings"]["decode_s"] > 0


def test_near_silence_gives_an_empty_transcript_and_zero_coverage(tmp_path: Path) -> None:
    rng = np.random.default_rng(7)
    hiss = (rng.standard_normal(16000 * 10) * 10 ** (-55 / 20)).astype(np.float32)
    result = score_audio(write_wav(tmp_path / "hiss.wav", hiss))
    assert result["transcript"].strip() == ""
    assert result["coverage"] == 0.0
    assert not any(k["covered"] for k in result["key_points"])
