"""faster-whisper's model, made to skip the scrap windows that cost time and invent text.

With word timestamps on, faster-whisper moves its seek to the end of the last word it wrote and
decodes whatever follows as one more 30 s window, even a fraction of a second of it. On live
windows and chunks that scrap is the breath after the last word, or the start of a word cut by
the window's end: a second encoder pass and decode (0.3 s on 2 cores) that mostly writes
"Thank you.", "Okay." or ". . ." for 223 tokens through every temperature of the fallback
(BENCHMARKS.md, section "Session 4"). :class:`ScrapSkippingModel` stops a transcription before
any window after the first that holds less than ``min_scrap_s`` of audio.
"""

from __future__ import annotations

from typing import Any

import numpy as np
from faster_whisper import WhisperModel

FRAMES_PER_SECOND = 100
"""Whisper's log-mel frames per second of audio."""


class ScrapWindow(Exception):
    """Raised from the segment generator before a scrap window; the transcriber stops there."""


class ScrapSkippingModel(WhisperModel):
    """A :class:`WhisperModel` whose transcriptions stop before a short later window.

    Call :meth:`start_transcription` before each ``transcribe`` and stop iterating its segments
    on :class:`ScrapWindow`. Not for concurrent transcriptions (the caller holds a lock).
    """

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.min_scrap_frames = 0
        self._windows = 0  # windows encoded in the current transcription
        self.windows_encoded = 0
        self.scraps_skipped = 0

    def start_transcription(self, min_scrap_s: float) -> None:
        """Windows after the first holding under ``min_scrap_s`` of audio are skipped (0: none)."""
        self.min_scrap_frames = int(min_scrap_s * FRAMES_PER_SECOND)
        self._windows = 0

    def encode(self, features: np.ndarray) -> Any:
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
