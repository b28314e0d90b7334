"""What to highlight in a transcript and in a model answer, read from a :class:`Coverage`.

The one place that walks a coverage's spans for display: the feedback screen, the review screen
and the HTML report each style the marks it returns in their own way (Rich styles, ``<mark>``).
Marks are clipped to the text they point into; empty ones are dropped.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from typing import TYPE_CHECKING

from content.subjects import OTHER_SUBJECT

if TYPE_CHECKING:
    from simulator.scoring import Coverage, KeyPointResult, Span


@dataclass(frozen=True)
class Mark:
    """Characters ``start``..``end`` (exclusive) belong to key point number ``point``."""

    start: int
    end: int
    point: int
    """Index of the key point in ``Coverage.key_points``."""
    label: str
    covered: bool


PARTLY_SIGN = "◐"


def point_state(point: KeyPointResult) -> str:
    """ "covered", "partly" (some credit: the idea without its specifics) or "missed"."""
    if point.covered:
        return "covered"
    return "partly" if point.credit > 0 else "missed"


def point_sign(point: KeyPointResult) -> str:
    """The mark a list of key points shows: ✓ covered, ◐ partly covered, ✗ missed."""
    return {"covered": "✓", "partly": PARTLY_SIGN, "missed": "✗"}[point_state(point)]


def in_other_words(point: KeyPointResult) -> bool:
    """The point was credited for a sentence that says it in other words (by meaning), not for
    its own terms: worth a look at the sentence highlighted, as such credit is the less sure."""
    return point.credit > 0 and point.evidence == "meaning"


IN_OTHER_WORDS = "in other words"
"""The note beside a key point credited by meaning."""


def assists(coverage: Coverage) -> str:
    """What help an answer had, for people: "2 hints", "model answer shown first", or both."""
    said = []
    if coverage.hinted:
        count = len(coverage.hinted)
        said.append(f"{count} hint{'s' if count > 1 else ''}")
    if coverage.model_answer_first:
        said.append("model answer shown first")
    return ", ".join(said)


def _clipped(span: Span | None, size: int) -> tuple[int, int] | None:
    if span is None:
        return None
    start, end = max(0, int(span.start)), min(size, int(span.end))
    return (start, end) if end > start else None


def transcript_marks(coverage: Coverage | None, text: str) -> list[Mark]:
    """Where each covered or partly covered key point was said, in key-point order."""
    marks: list[Mark] = []
    for index, point in enumerate(coverage.key_points if coverage else ()):
        found = _clipped(point.transcript_span, len(text)) if point.credit > 0 else None
        if found:
            marks.append(Mark(found[0], found[1], index, point.label, True))
    return marks


def answer_marks(
    coverage: Coverage | None, model_answer: str, *, missed: bool = True
) -> list[Mark]:
    """Where each key point sits in the model answer (covered and, unless told not, missed)."""
    marks: list[Mark] = []
    for index, point in enumerate(coverage.key_points if coverage else ()):
        if not point.covered and not missed:
            continue
        for span in point.answer_spans:
            found = _clipped(span, len(model_answer))
            if found:
                marks.append(Mark(found[0], found[1], index, point.label, point.covered))
    return marks


def segments(text: str, marks: Iterable[Mark]) -> list[tuple[str, Mark | None]]:
    """``text`` cut into runs in order, each with the mark it lies in (first mark wins)."""
    out: list[tuple[str, Mark | None]] = []
    at = 0
    for mark in sorted(marks, key=lambda m: (m.start, m.end, m.label)):
        start, end = max(mark.start, at), min(mark.end, len(text))
        if start >= end:
            continue
        if start > at:
            out.append((text[at:start], None))
        out.append((text[start:end], mark))
        at = end
    if at < len(text) or not out:
        out.append((text[at:], None))
    return out


NOT_ENGLISH_NOTE = (
    "Judged by its words only: the meaning model reads English, and this question is not in "
    "English, so an idea counts only where your answer uses the model answer's words."
)


def scoring_note(result: Coverage) -> str | None:
    """What the figure's reader should know of how it was reached: judged by words only (the
    question is not in English), or why the figure is lower than the key points' marks say
    (the answer reads as about something else: it says too little of the model answer, or is
    nearer another question's); None otherwise."""
    from simulator.scoring import SAYS_ENOUGH_AT, SAYS_NONE_AT

    if result.not_english:
        return NOT_ENGLISH_NOTE
    if result.says_enough >= 1.0 or result.agreement is None:
        return None
    if result.reads_as:
        other = (
            f"a subject this bank does not ask ({result.reads_as.removeprefix(OTHER_SUBJECT)})"
            if result.reads_as.startswith(OTHER_SUBJECT)
            else f"another question ({result.reads_as})"
        )
        if result.says_enough <= 0.0:
            return (
                f"Read as an answer about {other}: your answer is nearer a model answer on it "
                "than this question's, so nothing counts by meaning and the figure is 0."
            )
        return (
            f"Figure scaled to {result.says_enough:.0%} of the key points' share: your answer "
            f"is nearly as near a model answer on {other} as this question's."
        )
    said = f"{result.agreement.soft_recall:.0%}"
    if result.says_enough <= 0.0:
        return (
            f"Read as about something else: your answer says {said} of the model answer, in "
            f"its words or others (under {SAYS_NONE_AT:.0%}), so nothing counts by meaning "
            "and the figure is 0."
        )
    return (
        f"Figure scaled to {result.says_enough:.0%} of the key points' share: your answer says "
        f"{said} of the model answer, in its words or others ({SAYS_ENOUGH_AT:.0%} counts in "
        "full)."
    )
