"""Word error rate of the live transcript stopped at the last word: the clip decoded at stop
(``audio.live``: the last sentence or so) against the whole uncommitted window.

The two-answer recordings of ``benchmarks/transcription.py live-accuracy`` (espeak-ng en-us,
questions N and N+1, key terms of N as hotwords), cut at their last sound so that every stop
is right at the last word; fed in 0.1 s blocks with the decoder let catch up every second (the
windows depend on the audio alone). From one feeding each: ``finish()`` as the app runs it
(the clip), and the uncommitted window as it was at stop decoded whole (what ``finish()`` did
before), with the same committed text before it; beside them the whole-file pass.
Run: .venv/bin/python benchmarks/stop_clip_accuracy.py [1 3 5 7 9 11 13]
"""

from __future__ import annotations

import os
import sys
from pathlib import Path

import jiwer
import numpy as np

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from audio.samples import SAMPLE_RATE  # noqa: E402
from audio.transcriber import Transcriber  # noqa: E402
from audio.transcript import Transcript  # noqa: E402
from benchmarks.transcription import (  # noqa: E402
    CACHE,
    feed_keeping_up,
    normalise,
    pair_recording,
)
from content.bank import load_bank  # noqa: E402
from simulator.speech import question_terms  # noqa: E402


def main() -> None:
    firsts = [int(x) for x in sys.argv[1:]] or [1, 3, 5, 7, 9, 11, 13]
    bank = load_bank()
    transcriber = Transcriber("tiny.en", cache_dir=CACHE)
    transcriber.load()
    totals = np.zeros(3)
    print(
        "| questions | WER % clip (now) | WER % whole window (before) | WER % whole-file "
        "| decoded at stop: clip / window | stop -> final: clip / window decode | load |"
    )
    print("| --- | --- | --- | --- | --- | --- | --- |")
    for first in firsts:
        audio, text = pair_recording(first)
        audio = audio[: np.flatnonzero(np.abs(audio) > 0.02)[-1] + 1]
        terms = question_terms(bank.question(first))
        whole = transcriber.transcribe(audio, hotwords=terms)
        live = transcriber.live(hotwords=terms)
        feed_keeping_up(live, audio)
        live.wait_caught_up()
        with live._cond:  # the state finish() starts from (a benchmark may look inside)
            window, start, context = live._take_window()
            committed = list(live._committed)
        result = live.finish()
        segments, seconds = transcriber.decode(window, terms, context, start / SAMPLE_RATE)
        before = Transcript.from_segments(committed + segments, result.duration_s, {})
        reference = normalise(text)
        wers = [jiwer.wer(reference, normalise(t.text)) * 100 for t in (result, before, whole)]
        totals += wers
        print(
            f"| {first}+{first + 1} | {wers[0]:.1f} | {wers[1]:.1f} | {wers[2]:.1f} "
            f"| {result.timings['tail_s']:.1f} s / {window.size / SAMPLE_RATE:.1f} s "
            f"| {result.timings['finish_s']:.2f} s / {seconds:.2f} s | {os.getloadavg()[0]:.1f} |",
            flush=True,
        )
    n = len(firsts)
    print(f"| mean | {totals[0] / n:.1f} | {totals[1] / n:.1f} | {totals[2] / n:.1f} | | | |")


if __name__ == "__main__":
    main()
