"""Question-aware transcription of a spoken answer: the question's terms guide Whisper."""

from __future__ import annotations

import threading
from pathlib import Path

from audio.transcriber import Transcriber
from audio.transcript import Transcript
from content.bank import Question
from simulator import locations
from simulator.scoring import key_terms

_transcribers: dict[str | None, Transcriber] = {}
_lock = threading.Lock()


def question_terms(question: Question, limit: int = 30) -> str:
    """The question and its distinctive key-point words, as text to prime Whisper with."""
    terms = ", ".join(key_terms(question, limit=limit))
    return f"{question.text.strip()} {terms}." if terms else question.text.strip()


def shared_transcriber(model: str | None = None) -> Transcriber:
    """One loaded :class:`Transcriber` per model name, shared by every caller."""
    with _lock:
        if model not in _transcribers:
            _transcribers[model] = Transcriber(model, cache_dir=locations.cache_dir())
        return _transcribers[model]


def transcribe_answer(path: Path, question: Question, model: str | None = None) -> Transcript:
    """The transcript of a recorded answer, decoded with the question's terms as a hint.

    Raises ``audio.models.ModelUnavailable`` or ``audio.samples.AudioUnreadable`` with a
    one-line message for the user.
    """
    return shared_transcriber(model).transcribe(Path(path), hotwords=question_terms(question))
