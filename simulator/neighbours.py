"""Which other question of its bank an answer reads as: nearer another model answer than its own.

A fluent answer about a neighbouring subject (input standardisation asked about batch norm, the
kernel trick asked about the curse of dimensionality) shares words and whole ideas with the
model answer, so key points alone credit it. What gives it away is that another question of the
bank fits it better: the cosine of the whole answer with each model answer
(``simulator.meaning``), own minus the best other, is the margin.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache

import numpy as np

from content.questions import Question, Sibling
from content.text import content_tokens
from simulator.meaning.index import MeaningIndex

WHOLE_BANK = 200
"""A bank of up to this many questions is compared whole: its model answers are embedded once
and kept (on disk, keyed by content) ..."""
CANDIDATES = 12
"""... a bigger one (a deck of thousands) with the others sharing the most content words with
the answer, embedded as needed."""


@dataclass(frozen=True)
class Nearest:
    """The other question of the bank whose model answer the answer is nearest, and by how much."""

    question: Sibling
    margin: float
    """Cosine with its own model answer minus cosine with this one's: negative when the answer
    is nearer this other question."""


def nearest_other(question: Question, transcript: str, index: MeaningIndex) -> Nearest | None:
    """The bank's other question nearest ``transcript`` by meaning; None in a bank of one."""
    others = [
        s for s in question.siblings if s.number != question.number and s.model_answer.strip()
    ]
    if not others or not transcript.strip():
        return None
    whole_bank = len(question.siblings) <= WHOLE_BANK
    if not whole_bank:
        said = {t.stem for t in content_tokens(transcript)}
        others = sorted(others, key=lambda s: -len(said & _stems(s.model_answer)))[:CANDIDATES]
    if whole_bank:
        prime(question, index)
    own, *rest = index.text_vectors([question.model_answer, *(s.model_answer for s in others)])
    answer = index.text_vectors([transcript])[0]
    similarities = np.stack(rest) @ answer
    best = int(similarities.argmax())
    return Nearest(others[best], float(own @ answer - similarities[best]))


def prime(question: Question, index: MeaningIndex) -> None:
    """Embed the model answers of a bank compared whole, once (kept, and cached on disk)."""
    if 1 < len(question.siblings) <= WHOLE_BANK:
        index.text_vectors([s.model_answer for s in question.siblings], pinned=True)


@lru_cache(maxsize=4096)
def _stems(text: str) -> frozenset[str]:
    return frozenset(t.stem for t in content_tokens(text))
