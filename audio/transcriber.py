"""Speech to text on the CPU with faster-whisper: whole files and live audio.

:class:`Transcriber` loads a local Whisper model once (lazily, thread-safe; int8, one CPU
thread per core) and turns a file or float32 16 kHz samples into a :class:`Transcript` with
segments and timed words. Callers pass the question's key terms as ``hotwords``: Whisper then
hears "bias" rather than "Myas" (measured in BENCHMARKS.md). Silence and room noise give an
empty transcript: an energy gate, Silero VAD and Whisper's no-speech probability each drop
audio with no speech, and the endings tiny.en invents after audio that stops abruptly are
dropped, so nothing is ever invented. Audio longer than one Whisper window is decoded in chunks
cut at pauses (Whisper's own windowing lost whole windows there), and the scrap of audio after
the last word is not decoded as one more window (``audio/whisper_model.py``).

:meth:`Transcriber.live` returns a :class:`LiveTranscription` (see ``audio/live.py``) that
decodes while the speaker talks, so the final transcript is ready just after they stop.
"""

from __future__ import annotations

import math
import os
import threading
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

import numpy as np

from audio.live import LiveTranscription
from audio.models import ModelSpec, ModelUnavailable, resolve_model
from audio.samples import SAMPLE_RATE, as_samples, load_audio, loudest_dbfs
from audio.transcript import (
    CHUNK_S,
    CONTEXT_CHARS,
    FILLER_PROMPT,
    WINDOW_S,
    DecodeOptions,
    Segment,
    Transcript,
    Word,
)

_TEMPERATURES = (0.0, 0.2, 0.4, 0.6, 0.8, 1.0)


class Transcriber:
    """A Whisper model on the CPU, loaded on first use, shared by threads."""

    def __init__(
        self,
        model: str | None = None,
        cache_dir: Path | None = None,
        threads: int | None = None,
        options: DecodeOptions | None = None,
    ) -> None:
        self.model_name = model
        self.cache_dir = cache_dir
        self.threads = threads or os.cpu_count() or 1
        self.options = options or DecodeOptions()
        self.spec: ModelSpec | None = None
        self.load_s = 0.0
        self._model: Any = None
        self._load_lock = threading.Lock()
        self._decode_lock = threading.Lock()

    @property
    def loaded(self) -> bool:
        return self._model is not None

    def load(self) -> None:
        """Load the model unless loaded; safe from any thread, any number of times."""
        if self._model is not None:
            return
        with self._load_lock:
            if self._model is not None:
                return
            started = time.perf_counter()
            spec = resolve_model(self.model_name, self.cache_dir)
            from audio.whisper_model import ScrapSkippingModel

            try:
                model = ScrapSkippingModel(
                    str(spec.path),
                    device="cpu",
                    compute_type="int8",
                    cpu_threads=self.threads,
                    local_files_only=True,
                )
            except (RuntimeError, ValueError, OSError) as error:
                raise ModelUnavailable(
                    f"cannot load the Whisper model in {spec.path}: {str(error).splitlines()[0]}; "
                    "reinstall it or choose another model (the default is the bundled tiny.en)"
                ) from None
            self.spec = spec
            self.load_s = time.perf_counter() - started
            self._model = model

    def transcribe(self, audio: str | Path | np.ndarray, hotwords: str | None = None) -> Transcript:
        """The transcript of a file, or of float32 mono samples at 16 kHz.

        Audio longer than one Whisper window is decoded in chunks cut at pauses (see
        :func:`speech_chunks`), each with the text before it as context, as live mode does.
        """
        started = time.perf_counter()
        samples = load_audio(audio) if isinstance(audio, str | Path) else as_samples(audio)
        read_s = time.perf_counter() - started
        self.load()
        segments: list[Segment] = []
        decode_s = 0.0
        for start, end in speech_chunks(samples):
            context = " ".join(seg.text.strip() for seg in segments)[-CONTEXT_CHARS:]
            found, seconds = self.decode(
                samples[start:end], hotwords, context or None, start / SAMPLE_RATE
            )
            segments.extend(found)
            decode_s += seconds
        duration = len(samples) / SAMPLE_RATE
        timings = {
            "load_s": self.load_s,
            "read_s": read_s,
            "decode_s": decode_s,
            "rtf": decode_s / duration if duration else 0.0,
        }
        return Transcript.from_segments(segments, duration, timings)

    def decode(
        self,
        samples: np.ndarray,
        hotwords: str | None = None,
        context: str | None = None,
        offset: float = 0.0,
        fallback: bool = True,
        interrupt: Callable[[], bool] | None = None,
    ) -> tuple[list[Segment], float]:
        """Segments of ``samples`` (times shifted by ``offset``) and the seconds it took.

        ``context`` is text said just before ``samples`` (live mode), shown to Whisper as the
        previous text. Without ``fallback`` Whisper decodes once, greedily at temperature 0
        (live partial decodes: a guess now beats a better guess a few seconds late). When
        ``interrupt()`` turns true the decode stops at its next model call and raises
        :class:`~audio.transcript.DecodeInterrupted`.
        """
        self.load()
        opts = self.options
        if len(samples) == 0 or loudest_dbfs(samples) < opts.energy_gate_dbfs:
            return [], 0.0
        prompt_parts = [FILLER_PROMPT] if opts.filler_prompt else []
        hot = hotwords.strip() if hotwords and hotwords.strip() else None
        if hot and opts.hotwords_as_prompt:
            prompt_parts.append(hot)
            hot = None
        if context:
            prompt_parts.append(context)
        from audio.whisper_model import ScrapWindow  # loaded with the model by load()

        started = time.perf_counter()
        with self._decode_lock:
            self._model.start_transcription(opts.min_scrap_s, interrupt)
            raw, _info = self._model.transcribe(
                samples,
                language="en",
                beam_size=opts.beam_size if fallback else 1,
                vad_filter=opts.vad_filter,
                word_timestamps=True,
                initial_prompt=" ".join(prompt_parts) or None,
                hotwords=hot,
                no_speech_threshold=opts.no_speech_threshold,
                condition_on_previous_text=opts.condition_on_previous_text,
                temperature=_TEMPERATURES if fallback else 0.0,
            )
            segments = []
            try:
                for found in raw:
                    segments.append(_segment(found, offset))
            except ScrapWindow:
                pass  # what follows the last word is too short to hold one
        kept = drop_trailing_hallucinations([s for s in segments if s.words])
        return kept, time.perf_counter() - started

    def live(
        self, hotwords: str | None = None, on_partial: Callable[[str], None] | None = None
    ) -> LiveTranscription:
        """A transcription that decodes while audio is fed; see :class:`LiveTranscription`."""
        return LiveTranscription(self, hotwords=hotwords, on_partial=on_partial)


def _segment(raw: Any, offset: float) -> Segment:
    words = tuple(
        Word(float(w.start) + offset, float(w.end) + offset, w.word, float(w.probability))
        for w in (raw.words or [])
        if w.word.strip()
    )
    return Segment(float(raw.start) + offset, float(raw.end) + offset, raw.text, words)


def speech_chunks(samples: np.ndarray, max_s: float = CHUNK_S) -> list[tuple[int, int]]:
    """Consecutive (start, end) sample ranges covering all of ``samples``: one range when it fits
    a Whisper window (30 s), else chunks of about equal length (about ``max_s`` at most), cut in
    the middle of the pause found by Silero VAD nearest each even split (so no word is split and
    no chunk is a stub)."""
    total = len(samples)
    if total <= WINDOW_S * SAMPLE_RATE:
        return [(0, total)]
    from faster_whisper.vad import VadOptions, get_speech_timestamps

    options = VadOptions(
        min_silence_duration_ms=300, speech_pad_ms=100, max_speech_duration_s=max_s
    )
    regions = get_speech_timestamps(samples, options)
    pauses = [(a["end"] + b["start"]) // 2 for a, b in zip(regions, regions[1:], strict=False)]
    count = math.ceil(total / (max_s * SAMPLE_RATE))
    cuts = [0]
    for k in range(1, count):
        target = k * total // count
        later = [p for p in pauses if p > cuts[-1]]
        cuts.append(min(later, key=lambda p: abs(p - target)) if later else target)
    cuts.append(total)
    return [(a, b) for a, b in zip(cuts, cuts[1:], strict=False) if b > a]


def word_anomaly(word: Word) -> float:
    """How unlike heard speech a word looks: unlikely, or squeezed into (almost) no time.

    The same reading as openai-whisper's hallucination check: a probability under 0.15 counts
    1, a word shorter than 0.133 s counts up to 2 more, one longer than 2 s counts its excess.
    """
    duration = word.end - word.start
    score = 1.0 if word.probability < 0.15 else 0.0
    if duration < 0.133:
        score += (0.133 - duration) * 15
    if duration > 2.0:
        score += duration - 2.0
    return score


def is_hallucination(segment: Segment) -> bool:
    """A segment whose first words are, on average, anomalous: invented, not heard."""
    words = segment.words[:8]
    return sum(word_anomaly(w) for w in words) >= max(len(words), 2)


def drop_trailing_hallucinations(segments: list[Segment]) -> list[Segment]:
    """Without the invented segments at the end (tiny.en adds "Thank you very much." to audio
    that stops abruptly; such words are unlikely and take no time). Earlier segments are kept:
    real speech around them vouches for them."""
    end = len(segments)
    while end and is_hallucination(segments[end - 1]):
        end -= 1
    return segments[:end]
