"""Live transcription stopped right at the last word: little is decoded again, nothing is lost.

The real bundled model on real speech (the JFK recording, espeak-ng answers). Decoders are fed
in 0.1 s blocks and let catch up every second, as on a machine that keeps up in real time, so
the windows depend on the audio alone; stop comes right after the last sound.
"""

from __future__ import annotations

import subprocess
import threading
import time
from pathlib import Path

import numpy as np
import pytest

from audio.live import LiveTranscription
from audio.samples import SAMPLE_RATE, load_audio
from audio.transcriber import Transcriber
from content.bank import load_bank
from simulator.speech import question_terms
from tests.audio.sound import normalise
from tests.audio.transcript_checks import assert_live_as_good_as_whole

JFK = Path(__file__).resolve().parents[1] / "data" / "jfk.flac"

pytestmark = pytest.mark.model

BLOCK = SAMPLE_RATE // 10


@pytest.fixture(scope="module")
def transcriber(tmp_path_factory: pytest.TempPathFactory) -> Transcriber:
    model = Transcriber(cache_dir=tmp_path_factory.mktemp("cache"))
    model.load()
    return model


def to_last_sound(samples: np.ndarray) -> np.ndarray:
    loud = np.flatnonzero(np.abs(samples) > 0.02)
    return samples[: loud[-1] + 1]


def espeak_answer(questions: tuple[int, ...], path: Path) -> tuple[np.ndarray, str, str]:
    bank = load_bank()
    text = " ".join(bank.question(n).model_answer for n in questions)
    subprocess.run(["espeak-ng", "-v", "en-us", "-w", str(path)], input=text.encode(), check=True)
    return to_last_sound(load_audio(path)), text, question_terms(bank.question(questions[0]))


def feed_keeping_up(live: LiveTranscription, audio: np.ndarray) -> None:
    for i in range(0, len(audio), BLOCK):
        live.feed(audio[i : i + BLOCK])
        if (i + BLOCK) % SAMPLE_RATE == 0:
            assert live.wait_caught_up(60), "the live decoder never caught up"


def test_stop_at_the_last_word_decodes_only_the_last_seconds(transcriber: Transcriber) -> None:
    """JFK (11 s), stopped at the last word: the words the last step decode heard are kept but
    for its last ``holdback_s``; only the audio after them is decoded, and the transcript is
    the whole-file one word for word."""
    audio = to_last_sound(load_audio(JFK))
    whole = transcriber.transcribe(audio)
    live = transcriber.live()
    feed_keeping_up(live, audio)
    result = live.finish()
    assert not live.reused_last_decode  # speech ran to the end: something had to be decoded
    timings = result.timings
    # at most: the hold-back (2 s), the audio since the last step decode (< 1 s), the gap
    assert 0 < timings["tail_s"] <= 3.5, timings
    assert timings["reused_s"] >= len(audio) / SAMPLE_RATE - 3.5, timings
    assert normalise(result.text) == normalise(whole.text)
    starts = [w.start for w in result.words]
    assert starts == sorted(starts) and result.words[-1].end > len(audio) / SAMPLE_RATE - 1.0


def test_long_answer_stopped_at_the_last_word(transcriber: Transcriber, tmp_path: Path) -> None:
    """A minute of answer (questions 1 and 2): what is decoded at stop is the last sentence or
    so, not the uncommitted window (12 s here, up to 25 s), and the live transcript is as good
    as the whole-file pass (``assert_live_as_good_as_whole``), to its last words."""
    audio, text, terms = espeak_answer((1, 2), tmp_path / "q1-2.wav")
    assert 45 < len(audio) / SAMPLE_RATE < 90
    whole = transcriber.transcribe(audio, hotwords=terms)
    live = transcriber.live(hotwords=terms)
    feed_keeping_up(live, audio)
    result = live.finish()
    # from the start of the last sentence the last step decode heard well (a clip that starts
    # mid-sentence is misheard), not the whole uncommitted window
    assert 0 < result.timings["tail_s"] <= 8.0 and result.timings["reused_s"] >= 4.0, result.timings
    assert_live_as_good_as_whole(text, result.text, whole.text)
    assert normalise(result.text).split()[-2:] == normalise(text).split()[-2:], result.text


def test_the_decode_in_flight_at_stop_is_given_up(transcriber: Transcriber) -> None:
    """Stop while a step decode is running: it is given up at its next model call, not waited
    for, and the transcript is still whole (the last finished decode plus the tail)."""
    audio = to_last_sound(load_audio(JFK))
    whole = transcriber.transcribe(audio)
    live = transcriber.live()
    head = (len(audio) // SAMPLE_RATE - 2) * SAMPLE_RATE
    feed_keeping_up(live, audio[:head])
    running = threading.Event()
    model = transcriber._model
    calls_before = model.interrupted
    original = live._decode_window

    def decode_window(*args: object, **kwargs: object) -> None:
        running.set()
        original(*args, **kwargs)  # type: ignore[arg-type]

    live._decode_window = decode_window  # type: ignore[method-assign]
    live.feed(audio[head:])  # the rest, more than a step: a step decode starts
    assert running.wait(30)
    time.sleep(0.05)  # inside the model now (its voice filter and first encoder pass)
    live._decode_window = original  # type: ignore[method-assign]
    result = live.finish()
    assert live.interrupted and model.interrupted == calls_before + 1
    assert result.timings["interrupted"] == 1.0
    assert normalise(result.text) == normalise(whole.text)


def test_without_clipping_the_whole_window_is_decoded(transcriber: Transcriber) -> None:
    """The same stop with ``clip_at_stop`` off decodes the whole uncommitted window (what the
    clip saves)."""
    audio = to_last_sound(load_audio(JFK))
    live = LiveTranscription(transcriber, clip_at_stop=False)
    feed_keeping_up(live, audio)
    result = live.finish()
    assert result.timings["tail_s"] == pytest.approx(len(audio) / SAMPLE_RATE, abs=0.01)
    assert result.timings["reused_s"] == 0.0
