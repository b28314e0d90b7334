"""The shared vocabulary of speech to text: what was said, and how a Whisper engine decodes it.

:class:`Transcript` (text, :class:`Segment` s, timed :class:`Word` s) is what the transcriber,
live transcription and everything above them exchange; :class:`DecodeOptions` and the window
sizes are shared by whole-file and live decoding; :class:`Decoder` is what live transcription
needs of an engine (``audio.transcriber.Transcriber`` is one). Plain data, no model, no I/O.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import asdict, dataclass, field
from typing import Any, Protocol

import numpy as np

FILLER_PROMPT = "Um, so, uh, I mean, like, you know, it's, uh, basically this."
"""Shown to Whisper as earlier text so that it writes the "um" and "uh" it hears."""


WINDOW_S = 30.0
"""What Whisper hears at once."""
CHUNK_S = 25.0
"""Longest chunk of a whole-file pass. Whisper's own 30 s windowing, with the key terms as
hotwords, lost whole windows on answers over 30 s (WER 45-91% on some; BENCHMARKS.md)."""
CONTEXT_CHARS = 200
"""How much of the text before a chunk Whisper is shown as previous text."""


@dataclass(frozen=True)
class Word:
    start: float
    end: float
    text: str
    probability: float

    def shifted(self, offset: float) -> Word:
        return Word(self.start + offset, self.end + offset, self.text, self.probability)


@dataclass(frozen=True)
class Segment:
    start: float
    end: float
    text: str
    words: tuple[Word, ...]

    def shifted(self, offset: float) -> Segment:
        return Segment(
            self.start + offset,
            self.end + offset,
            self.text,
            tuple(w.shifted(offset) for w in self.words),
        )


@dataclass(frozen=True)
class Transcript:
    """What was said: the text, its segments and timed words, and how long it took."""

    text: str
    segments: tuple[Segment, ...]
    words: tuple[Word, ...]
    duration_s: float
    timings: dict[str, float] = field(default_factory=dict)

    @classmethod
    def from_segments(
        cls, segments: Iterable[Segment], duration_s: float, timings: dict[str, float]
    ) -> Transcript:
        segments = tuple(s for s in segments if s.text.strip())
        text = " ".join(s.text.strip() for s in segments)
        words = tuple(w for s in segments for w in s.words)
        return cls(text, segments, words, duration_s, dict(timings))

    def to_dict(self) -> dict[str, Any]:
        return {
            "text": self.text,
            "duration_s": round(self.duration_s, 3),
            "segments": [
                {"start": s.start, "end": s.end, "text": s.text.strip()} for s in self.segments
            ],
            "words": [asdict(w) for w in self.words],
            "timings": {k: round(v, 4) for k, v in self.timings.items()},
        }


@dataclass(frozen=True)
class DecodeOptions:
    """How Whisper decodes; the defaults are the ones measured best in BENCHMARKS.md."""

    beam_size: int = 5
    vad_filter: bool = True
    filler_prompt: bool = False
    """Start the prompt with :data:`FILLER_PROMPT` so "um" and "uh" are written down. Off:
    on tiny.en it costs 18-27 points of word error rate on the bank (BENCHMARKS.md)."""
    energy_gate_dbfs: float = -55.0
    """Audio whose loudest 100 ms is quieter than this is silence: nothing is decoded."""
    no_speech_threshold: float = 0.6
    condition_on_previous_text: bool = True
    min_scrap_s: float = 1.0
    """Skip a window after the first that holds less audio than this: the scrap after the last
    word, where Whisper mostly invents text (``audio/whisper_model.py``; 0 decodes every one)."""
    hotwords_as_prompt: bool = False
    """Give the key terms as prompt text instead of faster-whisper's ``hotwords`` (which are
    repeated for every 30 s window); measured about equal on the bank (BENCHMARKS.md)."""


class DecodeInterrupted(Exception):
    """A decode given up before its end because its caller no longer wants it (live mode: the
    answer ended while a step decode was in flight)."""


class Decoder(Protocol):
    """What :class:`audio.live.LiveTranscription` needs of a speech-to-text engine."""

    options: DecodeOptions
    load_s: float

    def decode(
        self,
        samples: np.ndarray,
        hotwords: str | None = None,
        context: str | None = None,
        offset: float = 0.0,
        fallback: bool = True,
        interrupt: Callable[[], bool] | None = None,
    ) -> tuple[list[Segment], float]: ...
