"""Live transcription's clip at stop, with a scripted decoder: a decode of the clip that skips
words the last decode heard is done again, so nothing said is lost (whatever the cut)."""

from __future__ import annotations

from collections.abc import Callable

import numpy as np
import pytest

from audio.live import LiveTranscription
from audio.samples import SAMPLE_RATE
from audio.transcript import DecodeOptions, Segment, Word

SAID = (
    "And so my fellow Americans, ask not what your country can do for you,"
    " ask what you can do for your country."
)
DURATION_S = 10.95


def _script() -> list[Word]:
    texts = SAID.split()
    starts = np.linspace(0.3, 10.2, len(texts))
    # a pause after the first "you," (word 13): the cut at stop goes into it
    starts[13:] += 0.4
    starts[13:] = np.minimum(starts[13:], DURATION_S - 0.4)
    return [
        Word(float(s), float(s) + 0.3, f" {t}", 0.9) for s, t in zip(starts, texts, strict=True)
    ]


class ScriptedDecoder:
    """Says the scripted words inside the window; shown text ending "for you," before a
    window that starts with "ask what you", it skips those three (as tiny.en did on JFK)."""

    def __init__(self, skips: bool) -> None:
        self.options = DecodeOptions()
        self.load_s = 0.0
        self.skips = skips
        self.calls: list[tuple[float, float, str | None]] = []

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
        self.calls.append((offset, end, context))
        words = [w for w in _script() if w.start >= offset - 0.01 and w.end <= end]
        heard = [w.text.strip().rstrip(",.") for w in words[:3]]
        if (
            self.skips
            and context
            and context.endswith("for you,")
            and heard == ["ask", "what", "you"]
        ):
            words = words[3:]
        if not words:
            return [], 0.0
        text = "".join(w.text for w in words)
        return [Segment(words[0].start, words[-1].end, text, tuple(words))], 0.0


def _stopped_at_the_end(decoder: ScriptedDecoder) -> tuple[LiveTranscription, str]:
    live = LiveTranscription(decoder)
    rng = np.random.default_rng(0)
    audio = (0.1 * rng.standard_normal(int(DURATION_S * SAMPLE_RATE))).astype(np.float32)
    block = SAMPLE_RATE // 10
    for i in range(0, len(audio), block):
        live.feed(audio[i : i + block])
        if (i + block) % SAMPLE_RATE == 0:
            assert live.wait_caught_up(10)
    return live, live.finish().text


@pytest.mark.parametrize("skips", [False, True])
def test_a_clip_decode_that_skips_words_is_done_again_without_context(skips: bool) -> None:
    decoder = ScriptedDecoder(skips)
    live, text = _stopped_at_the_end(decoder)
    assert text == SAID
    clip_calls = [c for c in decoder.calls if c[0] > 0]
    # the clip starts after the first "you,", with the text before it as context
    assert clip_calls[0][2] is not None and clip_calls[0][2].endswith("for you,")
    assert 0 < live.finish().timings["tail_s"] < 4.0
    # decoded again without context only when the first decode lost words
    assert len(clip_calls) == (2 if skips else 1)
    if skips:
        assert clip_calls[1][2] is None
