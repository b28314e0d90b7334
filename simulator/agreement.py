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

import threading
from collections import OrderedDict
from collections.abc import Sequence
from dataclasses import dataclass

from content.bank import Question
from content.text import content_tokens
from simulator.meaning.alignment import (
    Reference,
    answer_words,
    reference,
    soft_recall,
    soft_recalls,
)
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
        ref, pieces = _cached_reference(index, tuple(passages), question_stems)
        recall = soft_recall(ref, said, said_stems)
        if recall > best.soft_recall:
            best, best_pieces, best_stems = Agreement(recall, number), pieces, answer_words(text)
    if not best_pieces:
        return best
    # The same alignment the other way round: the answer's words found in the accepted answer.
    answer_as_reference = reference(units, said, question_stems)
    precision = soft_recall(answer_as_reference, best_pieces, best_stems)
    return Agreement(best.soft_recall, best.closest, precision)


def point_recalls(
    question: Question,
    transcript: str,
    point_texts: Sequence[Sequence[str]],
    index: MeaningIndex,
) -> list[float]:
    """Per key point, the highest soft recall of any of its texts (label, phrasings, the
    model-answer sentence it comes from) by the whole answer: how much of that point the
    answer says, word by word (``simulator.scoring.POINT_SAYS_NONE_AT``)."""
    question_stems = frozenset(t.stem for t in content_tokens(question.text))
    units = [u.text for u in split_units(transcript)] or [transcript]
    said = index.tokens(units)
    texts = [text for group in point_texts for text in group]
    index.pin_tokens(texts)
    refs = [_cached_reference(index, (text,), question_stems)[0] for text in texts]
    recalls = iter(soft_recalls(refs, said, answer_words(transcript)))
    return [max((next(recalls) for _ in group), default=0.0) for group in point_texts]


_REFERENCES: OrderedDict[
    tuple[str, tuple[str, ...], frozenset[str]], tuple[Reference, list[TokenVectors]]
] = OrderedDict()
_REFERENCES_SIZE = 4096
_REFERENCES_LOCK = threading.Lock()


def _cached_reference(
    index: MeaningIndex, texts: tuple[str, ...], question_stems: frozenset[str]
) -> tuple[Reference, list[TokenVectors]]:
    """A bank's text (an accepted answer's passages, a key point's text) as a soft-recall
    reference, and its pieces: built once per model (keyed by its weights' version: indexes of one
    model share them, another model never reads them), as the bank's texts recur every scoring."""
    key = (index.encoder.version, texts, question_stems)
    with _REFERENCES_LOCK:
        found = _REFERENCES.get(key)
        if found is not None:
            _REFERENCES.move_to_end(key)
            return found
    pieces = index.tokens(list(texts))
    built = (reference(list(texts), pieces, question_stems), pieces)
    with _REFERENCES_LOCK:
        _REFERENCES[key] = built
        while len(_REFERENCES) > _REFERENCES_SIZE:
            _REFERENCES.popitem(last=False)
    return built


def unit_recalls(
    question: Question, texts: Sequence[str], units: Sequence[str], index: MeaningIndex
) -> list[float]:
    """Per unit of an answer, the highest soft recall of any of a key point's ``texts`` by that
    unit alone: where in the answer the point's words are said."""
    question_stems = frozenset(t.stem for t in content_tokens(question.text))
    refs = [_cached_reference(index, (text,), question_stems)[0] for text in texts]
    pieces = index.tokens(list(units))
    return [
        max(soft_recalls(refs, [piece], answer_words(unit)), default=0.0)
        for unit, piece in zip(units, pieces, strict=True)
    ]
