"""Live transcription's decode windows depend on the audio fed, not on when the decoder thread
gets to run: a caller that lets it catch up every second (as test_live_stop does) gets the
same windows from a slow decoder as from a fast one, pause decodes included. (Before, the
decoder took whatever had come when it woke, and a pause decode was dropped when speech had
resumed by then.) Two decodes due within one such second may still be taken as one."""

from __future__ import annotations

import time
from collections.abc import Callable

import numpy as np

from audio.live import LiveTranscription
from audio.samples import SAMPLE_RATE
from audio.transcript import DecodeOptions, Segment, Word

BLOCK = SAMPLE_RATE // 10


class TimedDecoder:
    """One word per decode, which takes ``delay`` seconds."""

    def __init__(self, delay: float) -> None:
        self.options = DecodeOptions()
        self.load_s = 0.0
        self.delay = delay
        self.windows: list[tuple[float, float]] = []

    def decode(
        self,
        samples: np.ndarray,
        hotwords: str | None = None,
        context: str | None = None,
        offset: float = 0.0,
        fallback: bool = True,
        interrupt: Callable[[], bool] | None = None,
    ) -> tuple[list[Segment], float]:
        end = offset + len(samples) / SAMPLE_RATE
        self.windows.append((round(offset, 2), round(end, 2)))
        time.sleep(self.delay)
        word = Word(offset, offset + 0.2, " word", 0.9)
        return [Segment(word.start, word.end, word.text, (word,))], self.delay


def _speech_with_pauses() -> np.ndarray:
    """6 s: speech, with pauses of 0.5 s starting 1.2, 3.0 and 5.0 s in (no two decodes come
    due within the same second)."""
    rng = np.random.default_rng(0)
    audio = (0.1 * rng.standard_normal(6 * SAMPLE_RATE)).astype(np.float32)
    for start in (1.2, 3.0, 5.0):
        audio[int(start * SAMPLE_RATE) : int((start + 0.5) * SAMPLE_RATE)] = 0.0
    return audio


def _windows(delay: float) -> list[tuple[float, float]]:
    decoder = TimedDecoder(delay)
    live = LiveTranscription(decoder)
    audio = _speech_with_pauses()
    for i in range(0, len(audio), BLOCK):
        live.feed(audio[i : i + BLOCK])
        if (i + BLOCK) % SAMPLE_RATE == 0:
            assert live.wait_caught_up(10)
    assert live.wait_caught_up(10)
    windows = list(decoder.windows)
    live.finish()
    return windows


def test_a_slow_decoder_decodes_the_same_windows() -> None:
    fast = _windows(0.0)
    # pause decodes end 0.3 s into each pause, step decodes a second after the last decode
    assert fast == [(0.0, e) for e in (1.0, 1.5, 2.5, 3.3, 4.3, 5.3)]
    assert _windows(0.15) == fast
