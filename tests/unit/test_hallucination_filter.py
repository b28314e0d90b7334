"""Whisper's invented endings are dropped; heard words, even short or unsure ones, are kept."""

from __future__ import annotations

from audio.transcriber import drop_trailing_hallucinations, is_hallucination
from audio.transcript import Segment, Word


def segment(*words: tuple[float, float, str, float]) -> Segment:
    timed = tuple(Word(*w) for w in words)
    return Segment(timed[0].start, timed[-1].end, "".join(w.text for w in timed), timed)


HEARD = segment(
    (60.07, 60.43, " of", 0.95),
    (60.43, 61.09, " generalization", 0.97),
    (61.09, 61.51, " performance.", 0.99),
)
# What tiny.en wrote after an espeak answer that stopped abruptly (times and probabilities as
# decoded live in tests/audio/test_transcriber.py::test_live_matches_whole_file).
THANKS = segment(
    (61.51, 61.51, " Thank", 0.03),
    (61.51, 61.51, " you", 0.98),
    (61.51, 61.57, " very", 0.35),
    (61.57, 61.69, " much.", 0.99),
)


def test_an_invented_ending_is_dropped() -> None:
    assert is_hallucination(THANKS)
    assert drop_trailing_hallucinations([HEARD, THANKS, THANKS]) == [HEARD]


def test_heard_speech_is_kept() -> None:
    assert not is_hallucination(HEARD)
    short_answer = segment((3.0, 3.3, " Yes.", 0.9))
    unsure = segment((1.0, 1.4, " Lasso", 0.1), (1.4, 1.8, " shrinks", 0.9), (1.8, 2.1, " it", 0.9))
    assert drop_trailing_hallucinations([HEARD, short_answer]) == [HEARD, short_answer]
    assert drop_trailing_hallucinations([unsure]) == [unsure]


def test_only_the_ending_is_judged() -> None:
    """An odd segment between heard ones stays: the speech around it vouches for it."""
    assert drop_trailing_hallucinations([THANKS, HEARD]) == [THANKS, HEARD]
    assert drop_trailing_hallucinations([]) == []
