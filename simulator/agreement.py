"""How a human grader would judge a whole answer against the model answer, for banks whose key
points were extracted (a user's or an imported bank, which has no hand-written key points).

Extracted key points are clauses of the model answer, one or two for most flashcards, so their
credit alone grades coarsely. The figure of such a bank is read from three signals instead,
combined by a logistic regression fitted on real student answers graded by people (SemEval-2013
train split; ``benchmarks/grading.py --fit`` prints the coefficients below):

- ``soft_recall``: how much of the model answer the answer says, word by word in context, in
  any words (``simulator.meaning.alignment``); the best over the model answer and every other
  accepted answer of the question;
- ``key_points``: the extracted key points' figure (credit, on-topic share);
- ``relevance``: the cosine of the whole answer with the model answer (best over the accepted
  answers too).

The result, ``probability``, estimates how likely a grader is to call the answer correct; the
scorer reads it through a rising calibration line into the shown figure.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

from content.bank import Question
from content.text import content_tokens
from simulator.meaning.alignment import reference, soft_recall
from simulator.meaning.index import MeaningIndex
from simulator.meaning.units import split_passages, split_units

INTERCEPT = -6.0
SOFT_RECALL_WEIGHT = 8.0
KEY_POINTS_WEIGHT = 1.0
RELEVANCE_WEIGHT = 2.0
"""The fitted logistic regression (``benchmarks/grading.py --fit``, SemEval train, both
datasets, every reference of a question as an accepted answer)."""


@dataclass(frozen=True)
class Agreement:
    """The evidence behind an extracted bank's figure, and what it adds up to."""

    soft_recall: float
    key_points: float
    relevance: float

    @property
    def probability(self) -> float:
        """The estimated chance, 0..1, that a human grader calls the answer correct."""
        z = (
            INTERCEPT
            + SOFT_RECALL_WEIGHT * self.soft_recall
            + KEY_POINTS_WEIGHT * self.key_points
            + RELEVANCE_WEIGHT * self.relevance
        )
        return 1.0 / (1.0 + math.exp(-z))


def references(question: Question) -> tuple[str, ...]:
    """Every answer the bank accepts for ``question``: the model answer first."""
    return (question.model_answer, *question.accepted_answers)


def agreement(
    question: Question,
    transcript: str,
    key_points: float,
    relevance: float,
    index: MeaningIndex,
) -> Agreement:
    """The evidence for ``transcript``; ``relevance`` is its cosine with the model answer."""
    question_stems = frozenset(t.stem for t in content_tokens(question.text))
    units = [u.text for u in split_units(transcript)] or [transcript]
    said = index.tokens(units)
    best_recall = 0.0
    for text in references(question):
        passages = [p.text for p in split_passages(text)]
        if not passages:
            continue
        ref = reference(passages, index.tokens(passages), question_stems)
        best_recall = max(best_recall, soft_recall(ref, said))
    others = question.accepted_answers
    if others:
        vectors = index.vectors([transcript, *others])
        relevance = max(relevance, float((vectors[1:] @ vectors[0]).max()))
    return Agreement(best_recall, key_points, relevance)
