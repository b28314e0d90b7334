"""When a hands-free answer is over (simulator.turns), on synthetic levels and on real speech.

The detector runs on the recording's own clock (samples fed), so these tests feed audio faster
than real time and assert exact seconds: no timed tests.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

from audio.samples import SAMPLE_RATE, load_audio
from audio.transcript import Word
from simulator.turns import FRAME_S, EndOfAnswer, TurnSettings, is_open

JFK = Path(__file__).resolve().parents[1] / "data" / "jfk.flac"
RNG = np.random.default_rng(7)
DONE = "The model memorizes the training data, so it fails on new data."


def noise(seconds: float, dbfs: float = -65.0) -> np.ndarray:
    """Gaussian noise at an RMS of ``dbfs`` (a quiet room through a laptop microphone)."""
    return (RNG.standard_normal(int(seconds * SAMPLE_RATE)) * 10 ** (dbfs / 20)).astype(np.float32)


def voiced(seconds: float, dbfs: float = -20.0) -> np.ndarray:
    """A buzz at speech level, with syllable gaps of 50 ms every 300 ms (like speech)."""
    t = np.arange(int(seconds * SAMPLE_RATE)) / SAMPLE_RATE
    wave = np.sin(2 * np.pi * 150 * t) * np.sqrt(2) * 10 ** (dbfs / 20)
    wave[(t % 0.3) > 0.25] = 0.0
    return (wave + noise(seconds)).astype(np.float32)


def feed(turn: EndOfAnswer, audio: np.ndarray, block: int = 1600) -> float | None:
    """Feed in recorder-sized blocks; the second (of the recording) at which it ended."""
    for start in range(0, audio.size, block):
        turn.feed(audio[start : start + block])
        if turn.ended:
            return turn.elapsed_s
    return None


@pytest.mark.parametrize(
    "text",
    [
        "Overfitting means the model memorizes the data and",
        "I would use cross-validation, so...",
        "the validation loss goes up because",
        "Regularization helps, um",
        "The main signal is, uh,",
        "the gap between training and validation accuracy is the...",
        "There are two things:",
        "It is like",
        "It\u2019s because of the\u2026",
        "If training accuracy is 99% and.",
        "we regularize it",
        "adds the absolute value of the weights to the loss, dumb.",
        "Regularization helps. Done.",
    ],
)
def test_open_sentences(text: str) -> None:
    assert is_open(text)


@pytest.mark.parametrize(
    "text",
    [
        "",
        "The model is too complex.",
        "learning curves",
        "Is it 99%?",
        "We regularize it.",
        "When the drift is large, I retrain the model.",
        "ReLU, residual connections and batch normalization help.",
    ],
)
def test_finished_sentences(text: str) -> None:
    assert not is_open(text)


def test_a_thinking_pause_before_the_first_word_never_ends_the_answer() -> None:
    turn = EndOfAnswer()
    assert feed(turn, noise(60.0)) is None
    status = turn.status()
    assert not status.heard_speech and not status.ended and status.needed_s is None
    assert status.silence_s == pytest.approx(60.0, abs=0.1)


def test_a_click_is_not_a_first_word() -> None:
    turn = EndOfAnswer()
    click = np.concatenate([noise(3.0), voiced(0.1, -10.0), noise(10.0)])
    assert feed(turn, click) is None
    assert not turn.heard_speech


def test_silence_after_a_finished_sentence_ends_it_after_the_setting() -> None:
    turn = EndOfAnswer(TurnSettings(end_silence_s=2.5))
    turn.hear(DONE)
    speech_end = 4.0 + 3.0
    ended = feed(turn, np.concatenate([noise(4.0), voiced(3.0), noise(10.0)]))
    assert ended is not None
    assert speech_end + 2.5 - FRAME_S <= ended <= speech_end + 2.5 + 2 * FRAME_S


def test_an_open_sentence_waits_longer() -> None:
    turn = EndOfAnswer(TurnSettings(end_silence_s=2.5, open_factor=2.0))
    turn.hear("The model memorizes the training data and")
    audio = np.concatenate([noise(1.0), voiced(3.0), noise(4.5), voiced(2.0), noise(10.0)])
    for start in range(0, int(8.5 * SAMPLE_RATE), 1600):  # the 4.5 s pause after "and"
        turn.feed(audio[start : start + 1600])
        assert not turn.ended, f"cut off at {turn.elapsed_s:.1f} s"
    status = turn.status()
    assert status.open_sentence and status.needed_s == pytest.approx(5.0)
    assert status.silence_s == pytest.approx(4.5, abs=0.1)
    turn.hear("The model memorizes the training data and it fails on new data.")
    rest = audio[int(8.5 * SAMPLE_RATE) :]
    ended = feed(turn, rest)
    assert ended is not None and ended == pytest.approx(10.5 + 2.5, abs=0.15)


def test_with_a_transcriber_the_end_waits_for_its_words_to_catch_up() -> None:
    turn = EndOfAnswer(TurnSettings(end_silence_s=2.0))
    turn.expect_words()
    feed(turn, np.concatenate([noise(1.0), voiced(2.0)]))
    turn.hear("The model", heard_to_s=2.0)  # a decode from before the last words
    assert feed(turn, noise(5.0)) is None
    status = turn.status()
    assert status.waiting_for_words and status.silence_s == pytest.approx(5.0, abs=0.1)
    turn.hear("The model overfits.", heard_to_s=3.3)  # the decode at the pause
    assert turn.ended


def test_with_a_transcriber_speech_without_words_never_ends_it() -> None:
    turn = EndOfAnswer()
    turn.expect_words()
    feed(turn, np.concatenate([noise(1.0), voiced(1.0)]))
    turn.hear("", heard_to_s=2.5)  # a cough: Whisper heard no words
    assert feed(turn, noise(20.0)) is None


def test_what_is_heard_while_muted_is_neither_speech_nor_silence() -> None:
    turn = EndOfAnswer(TurnSettings(end_silence_s=2.5))
    turn.hear(DONE)
    turn.mute()
    assert feed(turn, np.concatenate([voiced(3.0), noise(5.0)])) is None  # the app speaking
    assert not turn.heard_speech and turn.status().muted
    turn.unmute()
    assert turn.silence_s == 0.0
    feed(turn, noise(2.0))
    assert turn.silence_s == pytest.approx(2.0, abs=0.06)
    ended = feed(turn, np.concatenate([voiced(2.0), noise(5.0)]))
    assert ended == pytest.approx(8.0 + 2.0 + 2.0 + 2.5, abs=0.15)


def test_steady_room_noise_above_the_gate_is_not_speech_but_speech_over_it_is() -> None:
    turn = EndOfAnswer()
    turn.hear(DONE)
    assert feed(turn, noise(6.0, dbfs=-42.0)) is None
    assert not turn.heard_speech
    ended = feed(turn, np.concatenate([voiced(2.0, -18.0) + noise(2.0, -42.0), noise(6.0, -42.0)]))
    assert ended == pytest.approx(6.0 + 2.0 + 2.5, abs=0.15)


def test_a_long_unbroken_sentence_never_becomes_silence() -> None:
    turn = EndOfAnswer(TurnSettings(end_silence_s=1.0))
    turn.hear(DONE)
    t = np.arange(20 * SAMPLE_RATE) / SAMPLE_RATE  # 20 s of speech without a single gap
    hum = (np.sin(2 * np.pi * 150 * t) * (0.1 + 0.05 * np.sin(2 * np.pi * 3 * t))).astype(
        np.float32
    )
    assert feed(turn, np.concatenate([noise(1.0), hum])) is None
    assert turn.heard_speech and turn.silence_s < 0.2


def test_block_size_does_not_change_the_decision() -> None:
    audio = np.concatenate([noise(2.0), voiced(2.0), noise(4.0)])
    ends = []
    for block in (1600, 1024, 333):
        turn = EndOfAnswer()
        turn.hear(DONE)
        ends.append(feed(turn, audio, block))
    assert ends[0] is not None and max(ends) - min(ends) <= FRAME_S + 0.03


def test_real_speech_with_its_own_pauses_ends_only_after_its_last_word() -> None:
    """JFK's 11 s (real human speech, room noise, pauses between phrases) then 8 s of the
    room's own quiet (its pause at 2.3-3.2 s, repeated): no end inside the speech (its pauses
    are up to 1.2 s), and the end 2.5 s after the last word."""
    speech = load_audio(JFK)
    room = np.tile(speech[int(2.3 * SAMPLE_RATE) : int(3.2 * SAMPLE_RATE)], 9)
    turn = EndOfAnswer()
    turn.hear("ask not what your country can do for you, ask what you can do for your country.")
    ended = feed(turn, np.concatenate([speech, room]))
    levels = [
        20 * np.log10(np.sqrt(np.mean(f.astype(np.float64) ** 2)) + 1e-12)
        for f in np.split(speech[: speech.size // 800 * 800], speech.size // 800)
    ]
    last_word = (max(i for i, level in enumerate(levels) if level > -30) + 1) * FRAME_S
    assert ended is not None, "never ended"
    assert ended > speech.size / SAMPLE_RATE - 0.5, f"cut off at {ended:.1f} s"
    assert last_word + 2.3 <= ended <= last_word + 3.0, (last_word, ended)


def test_an_unsure_or_early_last_word_leaves_the_sentence_open() -> None:
    """Whisper closes the window it decodes: "the loss, um" comes back as "the loss." (the
    filler dropped: its last word ends before the speech does) or "the loss, dump." (unsure)."""
    audio = np.concatenate([noise(1.0), voiced(3.0), noise(3.0)])
    cases = [
        (Word(3.5, 3.95, " loss.", 0.97), False),  # 0.05 s before the speech ends: over
        (Word(3.5, 3.70, " loss.", 0.97), True),  # 0.3 s of speech after it: a dropped word
        (Word(3.5, 4.00, " dump.", 0.19), True),  # unsure
    ]
    results = []
    for word, _ in cases:
        turn = EndOfAnswer(TurnSettings(end_silence_s=2.5))
        turn.expect_words()
        feed(turn, audio[: 4 * SAMPLE_RATE])
        turn.hear(
            "L1 regularization adds the absolute value of the weights to the loss.", 4.3, word
        )
        feed(turn, audio[4 * SAMPLE_RATE :])
        results.append(turn.status().open_sentence)
    assert results == [expected for _, expected in cases]


def test_the_first_short_clause_of_an_answer_waits_longer() -> None:
    turn = EndOfAnswer(TurnSettings(end_silence_s=2.5))
    turn.hear("Correlation means two variables move together.")  # the comma lost
    ended = feed(turn, np.concatenate([noise(1.0), voiced(2.5), noise(10.0)]))
    assert ended == pytest.approx(3.5 + 2.5 * 2.5, abs=0.15)
