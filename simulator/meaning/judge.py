"""Key points judged by meaning: which sentence of an answer says each one, and how surely.

For every key point, its texts (label, longer phrasings, the model-answer sentence it came from)
are compared with every unit of the answer (sentences, clauses; see ``units``). A unit speaks
for the key points it fits best (within ``SHARED_WITHIN`` of its best fit): a sentence about
variance is close to the bias key point too, but closer to variance, so it counts for variance
only. That keeps a short answer from covering every key point of its topic at once. The best
such unit gives the key point's ``similarity``; ``relevance`` is the cosine of the whole answer
with the whole model answer, low for an answer about something else, and ``nearest_part`` its
cosine with the closest sentence of the model answer.

The thresholds that turn these into credit live in ``simulator.scoring``; they were chosen on
``tests/unit/data/paraphrase/tune.json`` (odd questions of the built-in bank) and the SemEval
train split (``benchmarks/grading.py``), never on ``holdout.json`` or the test splits.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

import numpy as np

from simulator.meaning.index import MeaningIndex
from simulator.meaning.units import Unit, split_units

SHARED_WITHIN = 0.05
"""A unit counts for every key point whose similarity is this close to its best one."""
HIGHLIGHT_WITHIN = 0.1
"""The units that speak for a key point within this of its best similarity are ``Evidence.near``:
the candidates for the sentence the feedback highlights, of which ``simulator.scoring`` shows the
one that says most of the point's words. On the graders' excerpts of ``evidence_tune.json`` the
most similar unit was theirs for 58 of 83 points credited by meaning; chosen among those within
0.05 / 0.1 / 0.2 / any, 62 / 65 / 64 / 64 (``benchmarks/evidence.py``)."""


@dataclass(frozen=True)
class Evidence:
    """The best semantic match of one key point in an answer."""

    similarity: float
    unit: Unit | None
    near: tuple[Unit, ...] = ()
    """The units that speak for the key point within ``HIGHLIGHT_WITHIN`` of ``similarity``,
    ``unit`` among them: a sentence about the whole subject ("when the absence itself tells you
    something, add a zero-one column") can sit closer to a key point (mean imputation) than the
    one that says it ("plugging in the column's average"). The credit is ``similarity``'s."""


@dataclass(frozen=True)
class Judgement:
    evidence: tuple[Evidence, ...]
    """One per key point, in the question's order."""
    relevance: float
    nearest_part: float = 0.0
    """The cosine of the whole answer with the model-answer sentence (unit) it is closest to: a
    short answer that says one idea well is far from a long model answer as a whole, but close
    to the sentence that says that idea (``simulator.scoring.SHORT_ANSWER_WORDS``)."""


def model_answer_units(model_answer: str) -> list[str]:
    """The model answer's sentences (units) a short answer's ``nearest_part`` is read from."""
    return [u.text for u in split_units(model_answer)]


def judge(
    index: MeaningIndex,
    transcript: str,
    key_point_texts: list[list[str]],
    model_answer: str,
    contradicts: Callable[[int, Unit], bool] = lambda point, unit: False,
) -> Judgement:
    """Compare ``transcript`` with each key point's texts and with the whole model answer.

    ``contradicts(point, unit)`` says that a unit swaps a contrasting term of key point
    ``point`` ("L2 drives the weights to zero" for "L1 drives weights to zero"). Such a unit
    never speaks for that point, and when that point is the one it fits best, for none: it is
    a statement of the other side of the contrast, not a vaguer statement of something else.
    """
    units = split_units(transcript)
    whole = index.text_vectors([transcript, model_answer])
    relevance = float(whole[0] @ whole[1])
    parts = model_answer_units(model_answer)
    nearest_part = float((index.vectors(parts) @ whole[0]).max()) if parts else relevance
    if not units or not key_point_texts:
        return Judgement(
            tuple(Evidence(0.0, None) for _ in key_point_texts), relevance, nearest_part
        )
    unit_vectors = index.vectors([u.text for u in units])
    point_vectors = [index.vectors(texts) for texts in key_point_texts]
    per_point = np.stack([(unit_vectors @ vectors.T).max(axis=1) for vectors in point_vectors])
    vetoed = np.array(
        [[contradicts(point, unit) for unit in units] for point in range(len(key_point_texts))]
    )
    fits_best = per_point.argmax(axis=0)
    swapped = vetoed[fits_best, np.arange(len(units))]
    speaks_for = (per_point >= per_point.max(axis=0, keepdims=True) - SHARED_WITHIN) & ~vetoed
    exclusive = np.where(speaks_for & ~swapped[None, :], per_point, 0.0)
    evidence = []
    for row in range(exclusive.shape[0]):
        best = int(exclusive[row].argmax())
        found = float(exclusive[row, best])
        if found <= 0:
            evidence.append(Evidence(0.0, None))
            continue
        close = np.flatnonzero((exclusive[row] > 0) & (exclusive[row] >= found - HIGHLIGHT_WITHIN))
        evidence.append(Evidence(found, units[best], tuple(units[int(u)] for u in close)))
    return Judgement(tuple(evidence), relevance, nearest_part)
