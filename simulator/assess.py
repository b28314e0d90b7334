"""An answer's feedback: question + what was said (or typed) -> the one :class:`Feedback`.

Every front end and every path that scores an answer comes here: the interview screens (voice
and typed), recovery of an interrupted session, ``mock-interview score`` and ``drill``. A spoken
answer gets its words (timed, as stored), its delivery (pace, fillers, pauses) and its
coverage; a typed one only its coverage. Key points are judged by meaning too, with the
bundled embedding model (``simulator.meaning.shared``: the app loads it in a worker after the
first paint; a score asked for sooner waits for it); without the model, by phrasings alone.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from typing import Any

from audio.transcript import Transcript, Word
from content.language import question_is_english
from content.questions import Question
from simulator import locations
from simulator.delivery import Delivery, analyse
from simulator.meaning import shared as meaning
from simulator.meaning.index import MeaningIndex
from simulator.scoring import Coverage, coverage


@dataclass(frozen=True)
class Feedback:
    """How one answer did: the text scored, its coverage, and for speech its delivery and words."""

    transcript: str
    coverage: Coverage
    delivery: Delivery | None = None
    words: list[dict[str, Any]] = field(default_factory=list)
    """The timed words as the store keeps them (start, end, text, probability)."""
    timings: dict[str, float] = field(default_factory=dict)
    """How long transcription took, by stage (spoken answers)."""


def assess_text(
    question: Question,
    text: str,
    *,
    hinted: frozenset[str] = frozenset(),
    model_answer_first: bool = False,
) -> Feedback:
    """A typed answer (or any text): its coverage of the question's key points.

    ``hinted``: labels shown as hints during the answer (each earns less); ``model_answer_first``:
    the model answer was shown before it (both mark the answer assisted).
    """
    scored = coverage(
        question, text, _meaning(question), hinted=hinted, model_answer_first=model_answer_first
    )
    return Feedback(text, scored)


def assess_spoken(
    question: Question,
    transcript: Transcript,
    *,
    hinted: frozenset[str] = frozenset(),
    model_answer_first: bool = False,
) -> Feedback:
    """A transcribed answer: words, delivery and coverage of its (stripped) text."""
    text = transcript.text.strip()
    return Feedback(
        text,
        coverage(
            question, text, _meaning(question), hinted=hinted, model_answer_first=model_answer_first
        ),
        analyse(transcript),
        word_dicts(transcript.words),
        dict(transcript.timings),
    )


def word_dicts(words: tuple[Word, ...] | list[Word]) -> list[dict[str, Any]]:
    """Timed words as plain dicts, the shape the store keeps."""
    return [asdict(word) for word in words]


def _meaning(question: Question) -> MeaningIndex | None:
    """The shared embedding index, loading it (or waiting for the load in progress) if needed;
    None for a question not in English, which is judged by words alone (``simulator.scoring``):
    its first score does not wait for a model it would not use."""
    if not question_is_english(question):
        return None
    return meaning.load(locations.cache_dir())
