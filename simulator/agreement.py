"""How much of the model answer a whole answer says, in any words, for banks whose key points
were extracted (a user's or an imported bank, which has no hand-written key points).

Extracted key points are clauses of the model answer, one or two for most flashcards, so their
credit alone grades coarsely (all or nothing). The figure of such a bank is read instead from
the answer's soft recall of the model answer (``simulator.meaning.alignment``: every word of the
model answer matched, in context, with the closest word of the answer), the best over the model
answer and every other accepted answer of the question. On real student answers graded by
people it ranks right above wrong better than the key points, the whole-answer cosine and the
exact-word recall, and adding those to it in a fitted logistic regression helped on the
graders' data but cost ordering on answers in other words (BENCHMARKS.md); the key points stay
the explanation of the figure ("you said this, not that").
"""

from __future__ import annotations

from dataclasses import dataclass

from content.bank import Question
from content.text import content_tokens
from simulator.meaning.alignment import answer_words, reference, soft_recall
from simulator.meaning.index import MeaningIndex
from simulator.meaning.units import split_passages, split_units


@dataclass(frozen=True)
class Agreement:
    """The evidence behind an extracted bank's figure."""

    soft_recall: float
    """0..1: how much of the closest accepted answer the answer says, word by word."""
    closest: int
    """Which answer that is: 0 the model answer, 1.. its ``accepted_answers`` in order."""


def references(question: Question) -> tuple[str, ...]:
    """Every answer the bank accepts for ``question``: the model answer first."""
    return (question.model_answer, *question.accepted_answers)


def agreement(question: Question, transcript: str, index: MeaningIndex) -> Agreement:
    """The soft recall of ``transcript`` against each accepted answer; the best one."""
    question_stems = frozenset(t.stem for t in content_tokens(question.text))
    said = index.tokens([u.text for u in split_units(transcript)] or [transcript])
    said_stems = answer_words(transcript)
    best = Agreement(0.0, 0)
    for number, text in enumerate(references(question)):
        passages = [p.text for p in split_passages(text)]
        if not passages:
            continue
        ref = reference(passages, index.tokens(passages), question_stems)
        recall = soft_recall(ref, said, said_stems)
        if recall > best.soft_recall:
            best = Agreement(recall, number)
    return best
