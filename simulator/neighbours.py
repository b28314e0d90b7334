"""Which other subject an answer reads as: nearer another model answer than its own.

A fluent answer about a neighbouring subject (input standardisation asked about batch norm, the
kernel trick asked about the curse of dimensionality) shares words and whole ideas with the
model answer, so key points alone credit it. What gives it away is that another subject fits it
better: another question of the bank, or one of the common interview subjects the bank does not
ask (``content.subjects``). The cosine of the whole answer with each model answer
(``simulator.meaning``), own minus the best other, is the margin.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache

import numpy as np

from content.questions import Question
from content.subjects import OTHER_SUBJECT, Subject, background_subjects, background_texts
from content.text import content_tokens
from simulator.meaning.index import MeaningIndex

WHOLE_BANK = 200
"""A bank of up to this many questions is compared whole: its model answers are embedded once
and kept (on disk, keyed by content) ..."""
CANDIDATES = 12
"""... a bigger one (a deck of thousands) with the others sharing the most content words with
the answer, embedded as needed."""


BACKGROUND_FROM_WORDS = 40
"""The background is compared only for a model answer of at least this many words (its own run
78-108): a right answer is nearer a full background answer on a neighbouring subject than a
one-sentence flashcard answer on its own. Measured with the built-in bank's model answers cut
to their first sentence (15-31 words, key points extracted) on the paraphrase tune sets: 3
right answers of tune and 8 of hard_tune lost 5 points or more (two complete ones 67% and 80%
-> 0%), for off-topic answers under 10% 9 -> 15 and 10 -> 27."""
SAME_QUESTION_AT = 0.60
"""A background subject whose question is at least this near the one asked (cosine) is the
question's own subject, not another one, and is left out; ..."""
SAME_ANSWER_AT = 0.70
"""... so is one whose model answer is at least this near the question's. Eight questions of
the background asked again in other words, each with a one-sentence answer of another writer:
questions 0.63-1.00, answers 0.45-0.76 (the higher of the two 0.73-1.00); the built-in bank's
30 questions against their nearest background subject, all neighbours, not the same subject:
questions 0.32-0.56 and 0.70 (data drift against "besides data drift, what would you
monitor"), answers 0.33-0.71 (batch norm against layer norm, 0.71, is left out)."""


@dataclass(frozen=True)
class Nearest:
    """The other question of the bank or background subject whose model answer the answer is
    nearest, and by how much."""

    reads_as: str
    """What it reads as: "13. What is the curse of dimensionality?" for a question of the bank,
    "another subject: Feature scaling" for one of the background."""
    margin: float
    """Cosine with its own model answer minus cosine with this one's: negative when the answer
    is nearer this other question."""


def nearest_other(
    question: Question, transcript: str, index: MeaningIndex, siblings: bool = True
) -> Nearest | None:
    """The other question of the bank (unless not ``siblings``), or background subject, nearest
    ``transcript`` by meaning; None when there is none to compare with."""
    others = [
        s
        for s in (question.siblings if siblings else ())
        if s.number != question.number and s.model_answer.strip()
    ]
    background_too = len(question.model_answer.split()) >= BACKGROUND_FROM_WORDS
    if not transcript.strip() or not (others or background_too):
        return None
    if len(question.siblings) > WHOLE_BANK:
        said = {t.stem for t in content_tokens(transcript)}
        others = sorted(others, key=lambda s: -len(said & _stems(s.model_answer)))[:CANDIDATES]
    elif others:
        index.text_vectors([s.model_answer for s in question.siblings], pinned=True)
    asked, own, *rest = index.text_vectors(
        [question.text, question.model_answer, *(s.model_answer for s in others)]
    )
    labels = [f"{s.number}. {s.text}" for s in others]
    subjects, background = (
        _background(asked, own, index)
        if background_too
        else ([], np.zeros((0, own.shape[0]), dtype=np.float32))
    )
    labels += [f"{OTHER_SUBJECT}{s.topic}" for s in subjects]
    if not labels:
        return None
    answer = index.text_vectors([transcript])[0]
    similarities = np.concatenate([np.stack(rest) @ answer if rest else [], background @ answer])
    best = int(similarities.argmax())
    return Nearest(labels[best], float(own @ answer - similarities[best]))


def _background(
    asked: np.ndarray, own: np.ndarray, index: MeaningIndex
) -> tuple[list[Subject], np.ndarray]:
    """The background subjects an answer is compared with, and their vectors: not those on the
    question's own subject (a bank may well ask one of them), by its question or its answer."""
    subjects = list(background_subjects())
    if not subjects:
        return [], np.zeros((0, index.encoder.dimension), dtype=np.float32)
    vectors = prime_background(index)
    questions, answers = vectors[0::2], vectors[1::2]
    apart = (questions @ asked < SAME_QUESTION_AT) & (answers @ own < SAME_ANSWER_AT)
    return [s for s, keep in zip(subjects, apart, strict=True) if keep], answers[apart]


def prime(question: Question, index: MeaningIndex) -> None:
    """Embed the model answers of a bank compared whole and the background subjects, once (kept,
    and cached on disk)."""
    if 1 < len(question.siblings) <= WHOLE_BANK:
        index.text_vectors([s.model_answer for s in question.siblings], pinned=True)
    prime_background(index)


def prime_background(index: MeaningIndex) -> np.ndarray:
    """The background subjects' vectors, question then answer for each, kept: shipped with the
    app (``simulator.meaning.seed``), so that a first run does not embed them (about 9 s)."""
    return index.text_vectors(background_texts(), pinned=True)


@lru_cache(maxsize=4096)
def _stems(text: str) -> frozenset[str]:
    return frozenset(t.stem for t in content_tokens(text))
