"""Held-out answers spoken by a voice that is not espeak-ng, transcribed by the bundled model and
scored as `score --audio` does: strong > partial > off-topic must survive speech recognition.

Set B of `tests/unit/data/` (14 questions, never tuned on) spoken by flite's awb voice (Debian
package ``flite``, never tuned to). `benchmarks/spoken_ordering.py` runs all 30 questions on
four flite voices; BENCHMARKS.md has the figures.
"""

from __future__ import annotations

import json
import shutil
import subprocess
from pathlib import Path

import jiwer
import pytest

from content.bank import load_bank
from simulator.scoring import coverage
from simulator.speech import transcribe_answer
from tests.audio.sound import normalise
from tests.ordering import KINDS, Ordering

DATA = Path(__file__).resolve().parents[1] / "unit" / "data" / "coverage_answers_holdout.json"
pytestmark = pytest.mark.model


def flite(text: str, path: Path, voice: str = "awb") -> Path:
    if shutil.which("flite") is None:
        pytest.fail("flite is not installed; run `make install-test`", pytrace=False)
    subprocess.run(["flite", "-voice", voice, "-t", text, "-o", str(path)], check=True, timeout=120)
    return path


def test_held_out_spoken_answers_keep_their_order(tmp_path: Path) -> None:
    bank = load_bank()
    items = json.loads(DATA.read_text())
    tally, references, heard = Ordering(), [], []
    for item in items:
        question = bank.question(item["question"])
        scores = {}
        for kind in KINDS:
            wav = flite(item[kind], tmp_path / f"q{question.number}-{kind}.wav")
            transcript = transcribe_answer(wav, question)
            scores[kind] = coverage(question, transcript.text).coverage
            references.append(normalise(item[kind]))
            heard.append(normalise(transcript.text) or "<nothing>")
        tally.add(question.number, scores)
    assert tally.pairs == 42
    # 34 of 36 (94%) is the bar for spoken answers; from text, set B orders 40 of 42
    assert tally.ordered >= 39, tally.misordered
    assert jiwer.wer(references, heard) <= 0.10
