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
the explanation of the figure ("you said this, not that"). For a bank with its own key points the
same alignment, both ways, says whether an answer is on the model answer's subject at all
(``simulator.scoring.SAYS_NONE_AT``).
"""

from __future__ import annotations

from dataclasses import dataclass

from content.bank import Question
from content.text import content_tokens
from simulator.meaning.alignment import answer_words, reference, soft_recall
from simulator.meaning.encoder import TokenVectors
from simulator.meaning.index import MeaningIndex
from simulator.meaning.units import split_passages, split_units


@dataclass(frozen=True)
class Agreement:
    """The evidence behind an extracted bank's figure."""

    soft_recall: float
    """0..1: how much of the closest accepted answer the answer says, word by word."""
    closest: int
    """Which answer that is: 0 the model answer, 1.. its ``accepted_answers`` in order."""
    soft_precision: float = 0.0
    """0..1: how much of what the answer says that accepted answer says too, word by word: high
    for a short answer that says little but nothing else, low for one about something else."""


def references(question: Question) -> tuple[str, ...]:
    """Every answer the bank accepts for ``question``: the model answer first."""
    return (question.model_answer, *question.accepted_answers)


def agreement(question: Question, transcript: str, index: MeaningIndex) -> Agreement:
    """The soft recall of ``transcript`` against each accepted answer, the best one, and the
    soft precision against that one."""
    question_stems = frozenset(t.stem for t in content_tokens(question.text))
    units = [u.text for u in split_units(transcript)] or [transcript]
    said = index.tokens(units)
    said_stems = answer_words(transcript)
    best = Agreement(0.0, 0)
    best_pieces: list[TokenVectors] = []
    best_stems: frozenset[str] = frozenset()
    for number, text in enumerate(references(question)):
        passages = [p.text for p in split_passages(text)]
        if not passages:
            continue
        pieces = index.tokens(passages)
        recall = soft_recall(reference(passages, pieces, question_stems), said, said_stems)
        if recall > best.soft_recall:
            best, best_pieces, best_stems = Agreement(recall, number), pieces, answer_words(text)
    if not best_pieces:
        return best
    # The same alignment the other way round: the answer's words found in the accepted answer.
    answer_as_reference = reference(units, said, question_stems)
    precision = soft_recall(answer_as_reference, best_pieces, best_stems)
    return Agreement(best.soft_recall, best.closest, precision)
