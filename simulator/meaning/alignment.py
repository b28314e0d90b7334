"""Soft recall: how much of a reference answer an answer says, word by word, in any words.

Every word piece of the reference, as the encoder sees it in its sentence, is matched with the
closest word piece of the answer; the soft recall is the weighted mean of those best cosines
(the recall of BERTScore, Zhang et al. 2020, with the bundled sentence model's own layers).
"Capacitor" in the reference finds "capacitor", and "pushes the other up" finds "increases the
other" at a lower cosine, so a paraphrase keeps most of the credit an exact-word recall would
give it nothing for. Weights: a content word 1, a word of the question ``QUESTION_WORD_WEIGHT``
(an answer that repeats the question says little), a stopword ``STOPWORD_WEIGHT``, punctuation
0; chosen by cross-validation over the SemEval train split's questions (BENCHMARKS.md).

Strict words keep what the lexical matcher does well: a word with a digit ("L1") or one of a
contrasting pair (``content.text.CONTRASTS``: precision / recall, bias / variance, ...) is
found only as itself (its stem), never by a close vector: the model puts "L1 drives weights to
zero" and the same sentence with L2 at cosine 0.91, so without this a swapped term would pass.
An answer that says the other side of such a pair where the reference says only one side (L2
where it says L1, and not L1) states the opposite: its soft recall counts ``SWAPPED_FACTOR``.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np

from content.text import CONTRASTS, tokenize
from simulator.meaning.encoder import TokenVectors

QUESTION_WORD_WEIGHT = 0.1
STOPWORD_WEIGHT = 0.3
SWAPPED_FACTOR = 0.5


_CONTRASTING = frozenset().union(*CONTRASTS)


@dataclass(frozen=True)
class Reference:
    """A reference answer's word pieces, stacked over its sentences, with their weights, and
    for each piece of a strict word that word's stem ("" for the others)."""

    vectors: np.ndarray
    weights: np.ndarray
    strict: tuple[str, ...]


def reference(
    texts: Sequence[str], pieces: Sequence[TokenVectors], question_stems: frozenset[str]
) -> Reference:
    """``texts`` are the reference's sentences and ``pieces`` their word-piece vectors."""
    kept = [(t, p) for t, p in zip(texts, pieces, strict=True) if len(p.vectors)]
    if not kept:
        return Reference(np.zeros((0, 1), dtype=np.float32), np.zeros(0), ())
    return Reference(
        np.concatenate([p.vectors for _, p in kept]).astype(np.float32),
        np.concatenate([piece_weights(t, p, question_stems) for t, p in kept]),
        tuple(stem for t, p in kept for stem in strict_stems(t, p)),
    )


def _word_at(text: str, start: int, starts: np.ndarray, words: list) -> int:
    at = int(np.searchsorted(starts, start, side="right")) - 1
    return at if at >= 0 and start < words[at].end else -1


def strict_stems(text: str, pieces: TokenVectors) -> list[str]:
    """Per piece, the stem of its word when that word must be said as itself, else ""."""
    words = tokenize(text)
    starts = np.array([w.start for w in words], dtype=np.int64)
    out = []
    for start, _end in pieces.offsets:
        at = _word_at(text, int(start), starts, words)
        word = words[at] if at >= 0 else None
        strict = word is not None and (
            any(c.isdigit() for c in word.norm) or word.stem in _CONTRASTING
        )
        out.append(word.stem if word is not None and strict else "")
    return out


def piece_weights(text: str, pieces: TokenVectors, question_stems: frozenset[str]) -> np.ndarray:
    """Each word piece weighs as the word it is part of (0 outside every word)."""
    words = tokenize(text)
    starts = np.array([w.start for w in words], dtype=np.int64)
    weights = np.zeros(len(pieces.offsets))
    for i, (start, _end) in enumerate(pieces.offsets):
        at = _word_at(text, int(start), starts, words)
        if at < 0:
            continue
        word = words[at]
        if word.is_stopword:
            weights[i] = STOPWORD_WEIGHT
        elif word.stem in question_stems:
            weights[i] = QUESTION_WORD_WEIGHT
        else:
            weights[i] = 1.0
    return weights


def soft_recall(
    ref: Reference, answer: Sequence[TokenVectors], answer_stems: frozenset[str]
) -> float:
    """Weighted mean over the reference's pieces of the best cosine with any answer piece; a
    piece of a strict word counts 1 when the answer says that word and 0 when it does not."""
    said = [p.vectors for p in answer if len(p.vectors)]
    total = float(ref.weights.sum())
    if not said or total <= 0:
        return 0.0
    best = np.maximum((ref.vectors @ np.concatenate(said).astype(np.float32).T).max(axis=1), 0.0)
    for i, word in enumerate(ref.strict):
        if word:
            best[i] = 1.0 if word in answer_stems else 0.0
    recall = float((best * ref.weights).sum() / total)
    return recall * SWAPPED_FACTOR if swaps_a_contrast(ref, answer_stems) else recall


def swaps_a_contrast(ref: Reference, answer_stems: frozenset[str]) -> bool:
    """The answer names a term of a contrasting pair that the reference does not, and not the
    reference's own term of that pair."""
    said_by_reference = set(ref.strict) - {""}
    for group in CONTRASTS:
        own = group & said_by_reference
        if own and not own & answer_stems and (group - own) & answer_stems:
            return True
    return False
