"""A transcript cut into the units a key point is judged against: sentences and clauses.

A spoken answer runs ideas together with commas and "and so"; a typed one may be one long line.
Each sentence is a unit; a long sentence is also cut into clauses at semicolons, commas and the
conjunctions that open a new idea ("but", "so", "because", "which", "while", "whereas"), and
any unit still longer than ``MAX_WORDS`` is cut into overlapping windows. Two neighbouring
clauses are also a unit, since an idea often spans them ("the gap grows, which means ...").
Every unit keeps its character span so the feedback can highlight the sentence that earned a
key point.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from content.text import spans_between

MAX_WORDS = 24
"""Longest unit in words; longer ones are cut into windows of this size, half overlapping."""
MIN_WORDS = 3
"""Shorter pieces are joined to their neighbour: "L1, or lasso," is not an idea of its own."""

_SENTENCE_END = re.compile(r"(?<=[.!?;])\s+|\n+")
_CLAUSE_BREAK = re.compile(
    r",\s+(?=(?:and|but|so|because|which|while|whereas|whilst|although|though|then|since|"
    r"meaning|otherwise|whereas)\b)|;\s*|\s[—–-]\s|:\s+",
    re.IGNORECASE,
)
_WORD = re.compile(r"\S+")


@dataclass(frozen=True)
class Unit:
    text: str
    start: int
    end: int


def split_units(text: str) -> list[Unit]:
    """Sentences, their clauses, long-clause windows and neighbouring-clause pairs, in order."""
    units: list[Unit] = []
    seen: set[tuple[int, int]] = set()

    def add(start: int, end: int) -> None:
        while start < end and text[start].isspace():
            start += 1
        while end > start and (text[end - 1].isspace() or text[end - 1] in ",;:"):
            end -= 1
        if end > start and (start, end) not in seen:
            seen.add((start, end))
            units.append(Unit(text[start:end], start, end))

    for s_start, s_end in spans_between(text, 0, len(text), _SENTENCE_END):
        clauses = _merge_short(text, spans_between(text, s_start, s_end, _CLAUSE_BREAK))
        for c_start, c_end in clauses:
            for w_start, w_end in _windows(text, c_start, c_end):
                add(w_start, w_end)
        for (a_start, _), (_, b_end) in zip(clauses, clauses[1:], strict=False):
            if _word_count(text[a_start:b_end]) <= MAX_WORDS * 3 // 2:
                add(a_start, b_end)
        if len(clauses) > 1 and _word_count(text[s_start:s_end]) <= MAX_WORDS:
            add(s_start, s_end)
    return units


def _merge_short(text: str, pieces: list[tuple[int, int]]) -> list[tuple[int, int]]:
    merged: list[tuple[int, int]] = []
    for start, end in pieces:
        if merged and (
            _word_count(text[start:end]) < MIN_WORDS
            or _word_count(text[merged[-1][0] : merged[-1][1]]) < MIN_WORDS
        ):
            merged[-1] = (merged[-1][0], end)
        else:
            merged.append((start, end))
    return merged


def _windows(text: str, start: int, end: int) -> list[tuple[int, int]]:
    words = [(m.start(), m.end()) for m in _WORD.finditer(text, start, end)]
    if len(words) <= MAX_WORDS:
        return [(start, end)]
    step = MAX_WORDS // 2
    out = []
    for first in range(0, len(words) - step, step):
        last = min(first + MAX_WORDS, len(words)) - 1
        out.append((words[first][0], words[last][1]))
    return out


def _word_count(text: str) -> int:
    return len(_WORD.findall(text))


PASSAGE_WORDS = 60
"""Longest passage of ``split_passages`` in words (well inside the model's 128 word pieces)."""


def split_passages(text: str) -> list[Unit]:
    """The text in sentences that do not overlap, one over ``PASSAGE_WORDS`` cut into pieces:
    each word of the text is in exactly one passage (the reference side of a soft recall)."""
    passages = []
    for s_start, s_end in spans_between(text, 0, len(text), _SENTENCE_END):
        words = list(_WORD.finditer(text, s_start, s_end))
        for first in range(0, len(words), PASSAGE_WORDS):
            chunk = words[first : first + PASSAGE_WORDS]
            start, end = chunk[0].start(), chunk[-1].end()
            passages.append(Unit(text[start:end], start, end))
    return passages
