"""Which other question of its bank an answer reads as: nearer another model answer than its own.

A fluent answer about a neighbouring subject (input standardisation asked about batch norm, the
kernel trick asked about the curse of dimensionality) shares words and whole ideas with the
model answer, so key points alone credit it. What gives it away is that another question of the
bank fits it better: the cosine of the whole answer with each model answer
(``simulator.meaning``), own minus the best other, is the margin. Big banks (a deck of
thousands) compare with the ``CANDIDATES`` other questions whose model answers share the most
content words with the answer, so the cost stays that of a dozen cached embeddings.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from content.questions import Question, Sibling
from content.text import content_tokens
from simulator.meaning.index import MeaningIndex

CANDIDATES = 12
"""Other questions compared by meaning; in a bigger bank, those sharing the most content words."""


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
    if len(others) > CANDIDATES:
        said = {t.stem for t in content_tokens(transcript)}
        others = sorted(
            others,
            key=lambda s: -len(said & {t.stem for t in content_tokens(s.model_answer)}),
        )[:CANDIDATES]
    answers = [question.model_answer, *(s.model_answer for s in others)]
    # The whole bank at once is embedded once and kept; a big bank's candidates vary by answer.
    own, *rest = index.text_vectors(answers, pinned=len(question.siblings) <= CANDIDATES + 1)
    answer = index.text_vectors([transcript])[0]
    similarities = np.stack(rest) @ answer
    best = int(similarities.argmax())
    return Nearest(others[best], float(own @ answer - similarities[best]))
