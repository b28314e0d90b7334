"""Soft recall: how much of a reference answer an answer says, word by word, in any words.

Every word piece of the reference, as the encoder sees it in its sentence, is matched with the
closest word piece of the answer; the soft recall is the weighted mean of those best cosines
(the recall of BERTScore, Zhang et al. 2020, with the bundled sentence model's own layers).
"Capacitor" in the reference finds "capacitor", and "pushes the other up" finds "increases the
other" at a lower cosine, so a paraphrase keeps most of the credit an exact-word recall would
give it nothing for. Weights: a content word 1, a word of the question ``QUESTION_WORD_WEIGHT``
(an answer that repeats the question says little), a stopword ``STOPWORD_WEIGHT``, punctuation
0, a negation ``NEGATION_WEIGHT``; chosen on the SemEval train split (BENCHMARKS.md).

Strict words keep what the lexical matcher does well: a word with a digit ("L1") or one of a
contrasting pair (``content.text.CONTRASTS``: precision / recall, bias / variance, ...) is
found only as itself (its stem), never by a close vector: the model puts "L1 drives weights to
zero" and the same sentence with L2 at cosine 0.91, so without this a swapped term would pass.
An answer that says the other side of such a pair where the reference says only one side (L2
where it says L1, and not L1) states the opposite: its soft recall counts ``SWAPPED_FACTOR``.
A negation ("not", "never", "isn't", ...) is strict too, found only where the answer negates
something: "they are connected" sits close to "they are not connected" for the model. On the
SemEval train split it raised the AUC on both datasets (0.775 -> 0.777, 0.837 -> 0.844;
BENCHMARKS.md). Scaling down the whole recall of an answer that negates nothing where the
reference does helped one dataset and hurt the other, so it is not done.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from functools import lru_cache

import numpy as np

from content.text import CONTRASTS, Token, swaps_contrast, tokenize
from simulator.meaning.encoder import TokenVectors

QUESTION_WORD_WEIGHT = 0.1
STOPWORD_WEIGHT = 0.3
SWAPPED_FACTOR = 0.5
NEGATION_WEIGHT = 1.0
"""A negation weighs as a content word, though "not" and "no" are stopwords: dropping it says
the opposite (SemEval train AUC 0.777 / 0.843 at the stopword weight, 0.779 / 0.850 at 1, 0.775
/ 0.845 at 2)."""


_CONTRASTING = frozenset().union(*CONTRASTS)
NEGATIONS = frozenset({"not", "no", "never", "cannot", "nor", "none", "nothing", "without"})
"""Words that negate; with "n't" (``isn't``, ``don't``) they all count as one strict word."""
NEGATED = "<not>"
"""The strict word a negation stands for: any negation in the answer says it."""
_APOSTROPHES = "'\u2019"


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
    kept = [(t, p) for t, p in zip(texts, pieces, strict=True) if len(p)]
    if not kept:
        return Reference(np.zeros((0, 1), dtype=np.float32), np.zeros(0), ())
    read = [_read_pieces(t, _offsets_key(p), question_stems) for t, p in kept]
    return Reference(
        np.concatenate([p.vectors for _, p in kept]),
        np.concatenate([weights for weights, _ in read]),
        tuple(word for _, strict in read for word in strict),
    )


def _offsets_key(pieces: TokenVectors) -> bytes:
    return np.asarray(pieces.offsets, dtype=np.int32).tobytes()


@lru_cache(maxsize=4096)
def _read_pieces(
    text: str, offsets: bytes, question_stems: frozenset[str]
) -> tuple[np.ndarray, tuple[str, ...]]:
    """Each piece's weight and strict word (see ``Reference``), for one sentence and its
    pieces' offsets (int32 pairs): remembered, as an answer's finished sentences are read again
    at every scoring."""
    words = _piece_words(text, np.frombuffer(offsets, dtype=np.int32).reshape(-1, 2))
    weights = np.array([_weight(text, w, question_stems) for w in words])
    weights.flags.writeable = False
    return weights, tuple(_strict(text, w) for w in words)


def answer_words(text: str) -> frozenset[str]:
    """The stems an answer says, and ``NEGATED`` when it negates anything (for strict words)."""
    words = tokenize(text)
    stems = {w.stem for w in words}
    if any(_negates(text, w) for w in words):
        stems.add(NEGATED)
    return frozenset(stems)


def _negates(text: str, word: Token) -> bool:
    if word.norm in NEGATIONS:
        return True
    return word.norm == "t" and word.start > 0 and text[word.start - 1] in _APOSTROPHES


def _piece_words(text: str, offsets: np.ndarray) -> list[Token | None]:
    """Per word piece (its character offsets), the word of ``text`` it is part of (None for
    punctuation)."""
    words = tokenize(text)
    starts = np.array([w.start for w in words], dtype=np.int64)
    out: list[Token | None] = []
    for start, _end in offsets:
        at = int(np.searchsorted(starts, start, side="right")) - 1
        out.append(words[at] if at >= 0 and start < words[at].end else None)
    return out


def piece_weights(text: str, pieces: TokenVectors, question_stems: frozenset[str]) -> np.ndarray:
    """Each word piece weighs as the word it is part of (0 outside every word)."""
    return np.array([_weight(text, w, question_stems) for w in _piece_words(text, pieces.offsets)])


def _weight(text: str, word: Token | None, question_stems: frozenset[str]) -> float:
    if word is None:
        return 0.0
    if _negates(text, word):
        return NEGATION_WEIGHT
    if word.is_stopword:
        return STOPWORD_WEIGHT
    return QUESTION_WORD_WEIGHT if word.stem in question_stems else 1.0


def _strict(text: str, word: Token | None) -> str:
    """The stem of a word that must be said as itself (a digit in it, or a contrast term), or
    ``NEGATED`` for a negation."""
    if word is None:
        return ""
    if _negates(text, word):
        return NEGATED
    if any(c.isdigit() for c in word.norm) or word.stem in _CONTRASTING:
        return word.stem
    return ""


def soft_recall(
    ref: Reference, answer: Sequence[TokenVectors], answer_stems: frozenset[str]
) -> float:
    """Weighted mean over the reference's pieces of the best cosine with any answer piece; a
    piece of a strict word counts 1 when the answer says that word and 0 when it does not.
    ``answer_stems``: :func:`answer_words` of the answer."""
    return soft_recalls([ref], answer, answer_stems)[0]


def soft_recalls(
    refs: Sequence[Reference], answer: Sequence[TokenVectors], answer_stems: frozenset[str]
) -> list[float]:
    """:func:`soft_recall` of each of ``refs`` by the same answer, in one product."""
    said = [p.vectors for p in answer if len(p)]
    kept = [ref for ref in refs if len(ref.strict)]
    if not said or not kept:
        return [0.0] * len(refs)
    best_all = np.maximum(
        (np.concatenate([r.vectors for r in kept]) @ np.concatenate(said).T).max(axis=1), 0.0
    )
    recalls, at = [], 0
    for ref in refs:
        if not len(ref.strict):
            recalls.append(0.0)
            continue
        best = best_all[at : at + len(ref.strict)]
        at += len(ref.strict)
        total = float(ref.weights.sum())
        if total <= 0:
            recalls.append(0.0)
            continue
        for i, word in enumerate(ref.strict):
            if word:
                best[i] = 1.0 if word in answer_stems else 0.0
        recall = float((best * ref.weights).sum() / total)
        swapped = swaps_contrast(set(ref.strict) - {""}, answer_stems)
        recalls.append(recall * SWAPPED_FACTOR if swapped else recall)
    return recalls
