"""faster-whisper's model, made to skip the scrap windows that cost time and invent text, and
to give up a decode that is no longer wanted.

With word timestamps on, faster-whisper moves its seek to the end of the last word it wrote and
decodes whatever follows as one more 30 s window, even a fraction of a second of it. On live
windows and chunks that scrap is the breath after the last word, or the start of a word cut by
the window's end: a second encoder pass and decode (0.3 s on 2 cores) that mostly writes
"Thank you.", "Okay." or ". . ." for 223 tokens through every temperature of the fallback
(BENCHMARKS.md, section "Session 4"). :class:`ScrapSkippingModel` stops a transcription before
any window after the first that holds less than ``min_scrap_s`` of audio.

A transcription may also be given an ``interrupt`` test: before each call into the
CTranslate2 model (encoder, decoder, word alignment) it is asked, and when it says so the
transcription stops with :class:`audio.transcript.DecodeInterrupted`. Live mode uses it at the
end of an answer: the step decode in flight is given up at its next model call instead of
being waited for (a decode of a 20 s window takes about a second on 2 cores).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import numpy as np
from faster_whisper import WhisperModel

from audio.transcript import DecodeInterrupted

FRAMES_PER_SECOND = 100
"""Whisper's log-mel frames per second of audio."""


class ScrapWindow(Exception):
    """Raised from the segment generator before a scrap window; the transcriber stops there."""


def _never() -> bool:
    return False


class _Interruptible:
    """The CTranslate2 model, asking ``owner.interrupt()`` before each decoder call."""

    def __init__(self, inner: Any, owner: ScrapSkippingModel) -> None:
        self._inner = inner
        self._owner = owner

    def __getattr__(self, name: str) -> Any:
        attribute = getattr(self._inner, name)
        if name not in ("generate", "align", "detect_language"):
            return attribute

        def call(*args: Any, **kwargs: Any) -> Any:
            self._owner.check_interrupt()
            return attribute(*args, **kwargs)

        return call


class ScrapSkippingModel(WhisperModel):
    """A :class:`WhisperModel` whose transcriptions stop before a short later window, or when
    told to.

    Call :meth:`start_transcription` before each ``transcribe`` and stop iterating its segments
    on :class:`ScrapWindow`. Not for concurrent transcriptions (the caller holds a lock).
    """

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        inner: Any = getattr(self, "model")  # noqa: B009 - set by WhisperModel, untyped
        self.model = _Interruptible(inner, self)
        self.min_scrap_frames = 0
        self.interrupt: Callable[[], bool] = _never
        self._windows = 0  # windows encoded in the current transcription
        self.windows_encoded = 0
        self.scraps_skipped = 0
        self.interrupted = 0

    def start_transcription(
        self, min_scrap_s: float, interrupt: Callable[[], bool] | None = None
    ) -> None:
        """Windows after the first holding under ``min_scrap_s`` of audio are skipped (0: none);
        the transcription stops when ``interrupt()`` turns true."""
        self.min_scrap_frames = int(min_scrap_s * FRAMES_PER_SECOND)
        self.interrupt = interrupt or _never
        self._windows = 0

    def check_interrupt(self) -> None:
        if self.interrupt():
            self.interrupted += 1
            raise DecodeInterrupted

    def encode(self, features: np.ndarray) -> Any:
        self.check_interrupt()
        if self._windows and content_frames(features) < self.min_scrap_frames:
            self.scraps_skipped += 1
            raise ScrapWindow
        self._windows += 1
        self.windows_encoded += 1
        return super().encode(features)


def content_frames(features: np.ndarray) -> int:
    """Frames of real audio in a window's features: faster-whisper pads them with zero frames
    (a real frame is never all zero: log-mel values are floored and shifted)."""
    frames = features.reshape(-1, features.shape[-1])
    filled = np.flatnonzero(np.any(frames != 0, axis=0))
    return int(filled[-1]) + 1 if filled.size else 0
