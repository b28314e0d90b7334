"""Soft recall: how much of a reference answer an answer says, word by word, in any words.

Every word piece of the reference, as the encoder sees it in its sentence, is matched with the
closest word piece of the answer; the soft recall is the weighted mean of those best cosines
(the recall of BERTScore, Zhang et al. 2020, with the bundled sentence model's own layers).
"Capacitor" in the reference finds "capacitor", and "pushes the other up" finds "increases the
other" at a lower cosine, so a paraphrase keeps most of the credit an exact-word recall would
give it nothing for. Weights: a content word 1, a word of the question ``QUESTION_WORD_WEIGHT``
(an answer that repeats the question says little), a stopword ``STOPWORD_WEIGHT``, punctuation
0. Chosen on the SemEval train split (``benchmarks/grading.py --fit``).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np

from content.text import tokenize
from simulator.meaning.encoder import TokenVectors

QUESTION_WORD_WEIGHT = 0.25
STOPWORD_WEIGHT = 0.1


@dataclass(frozen=True)
class Reference:
    """A reference answer's word pieces, stacked over its sentences, with their weights."""

    vectors: np.ndarray
    weights: np.ndarray


def reference(
    texts: Sequence[str], pieces: Sequence[TokenVectors], question_stems: frozenset[str]
) -> Reference:
    """``texts`` are the reference's sentences and ``pieces`` their word-piece vectors."""
    vectors = [p.vectors for p in pieces if len(p.vectors)]
    weights = [piece_weights(t, p, question_stems) for t, p in zip(texts, pieces, strict=True)]
    if not vectors:
        return Reference(np.zeros((0, 1), dtype=np.float32), np.zeros(0))
    return Reference(
        np.concatenate(vectors).astype(np.float32),
        np.concatenate([w for w, p in zip(weights, pieces, strict=True) if len(p.vectors)]),
    )


def piece_weights(text: str, pieces: TokenVectors, question_stems: frozenset[str]) -> np.ndarray:
    """Each word piece weighs as the word it is part of (0 outside every word)."""
    words = tokenize(text)
    starts = np.array([w.start for w in words], dtype=np.int64)
    weights = np.zeros(len(pieces.offsets))
    for i, (start, _end) in enumerate(pieces.offsets):
        at = int(np.searchsorted(starts, start, side="right")) - 1
        if at < 0 or start >= words[at].end:
            continue
        word = words[at]
        if word.is_stopword:
            weights[i] = STOPWORD_WEIGHT
        elif word.stem in question_stems:
            weights[i] = QUESTION_WORD_WEIGHT
        else:
            weights[i] = 1.0
    return weights


def soft_recall(ref: Reference, answer: Sequence[TokenVectors]) -> float:
    """Weighted mean over the reference's pieces of the best cosine with any answer piece."""
    said = [p.vectors for p in answer if len(p.vectors)]
    total = float(ref.weights.sum())
    if not said or total <= 0:
        return 0.0
    best = (ref.vectors @ np.concatenate(said).astype(np.float32).T).max(axis=1)
    return float((np.maximum(best, 0.0) * ref.weights).sum() / total)
