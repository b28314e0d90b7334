"""What to ask next: in order, shuffled, weakest first, or due by spaced repetition.

The schedule is SM-2 (Wozniak 1990, the algorithm behind Anki's first versions), chosen
because it needs one number per review, which is exactly what an answer gives us, and because
its behaviour is well known and easy to explain: get it right and the gap grows (1 day, 6 days,
then times the ease), get it wrong and it comes back tomorrow. FSRS predicts recall better but
needs many reviews per user to fit its parameters; a rehearsal tool has a few dozen.

Coverage maps to SM-2's 0-5 grade by :data:`GRADES`: 60% coverage (most key points said) is
the lowest passing grade 3, 90% a perfect 5. Several attempts on one day count once, at their
best: the repetition is the day, not the retry a minute later.

The schedule is not stored: it is recomputed from the answers in the store every time, so
re-scoring, deleting a session or recovering one changes it without a second source of truth
(30 questions times a few hundred attempts takes milliseconds; see BENCHMARKS.md).
Questions are identified by number and topic (numbers alone collide across banks).
"""

from __future__ import annotations

import random
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from typing import Any

from content.bank import Bank, Question
from simulator.store import ScoredAttempt

ORDERS = ("in-order", "shuffled", "weakest", "due")
GRADES = ((0.9, 5), (0.75, 4), (0.6, 3), (0.4, 2), (0.2, 1))
"""(lowest coverage, SM-2 grade); below the last, grade 0."""
PASS_GRADE = 3
START_EASE = 2.5
MIN_EASE = 1.3
RECENT = 3
"""How many of the latest attempts the "weakest" order averages."""


@dataclass(frozen=True)
class Card:
    """The spaced-repetition state of one question after its history."""

    question: int
    topic: str
    reviews: int
    """Days on which it was answered."""
    streak: int
    """Passing reviews in a row (SM-2's repetition number)."""
    ease: float
    interval_days: int
    last_seen: date
    due: date
    last_coverage: float
    recent_coverage: float
    """Mean of the latest :data:`RECENT` attempts."""


def grade(coverage: float) -> int:
    """SM-2's 0-5 grade for a coverage figure."""
    for lowest, value in GRADES:
        if coverage >= lowest:
            return value
    return 0


def local_day(timestamp: str) -> date:
    """The local calendar day of a stored ISO timestamp."""
    return datetime.fromisoformat(timestamp).astimezone().date()


def schedule(attempts: Iterable[ScoredAttempt]) -> dict[tuple[int, str], Card]:
    """SM-2 cards for every question with scored attempts (oldest attempts first)."""
    history: dict[tuple[int, str], list[ScoredAttempt]] = {}
    for attempt in attempts:
        history.setdefault((attempt.question, attempt.topic), []).append(attempt)
    return {key: _card(key, tries) for key, tries in history.items()}


def _card(key: tuple[int, str], tries: list[ScoredAttempt]) -> Card:
    best_per_day: dict[date, float] = {}
    for attempt in tries:
        day = local_day(attempt.created_at)
        best_per_day[day] = max(best_per_day.get(day, 0.0), attempt.coverage)
    ease, streak, interval = START_EASE, 0, 0
    days = sorted(best_per_day.items())
    for _day, coverage in days:
        q = grade(coverage)
        if q >= PASS_GRADE:
            streak += 1
            interval = 1 if streak == 1 else 6 if streak == 2 else round(interval * ease)
        else:
            streak, interval = 0, 1
        ease = max(MIN_EASE, ease + 0.1 - (5 - q) * (0.08 + (5 - q) * 0.02))  # after use
    day = days[-1][0]
    recent = [a.coverage for a in tries[-RECENT:]]
    return Card(
        question=key[0],
        topic=key[1],
        reviews=len(best_per_day),
        streak=streak,
        ease=ease,
        interval_days=interval,
        last_seen=day,
        due=day + timedelta(days=interval),
        last_coverage=tries[-1].coverage,
        recent_coverage=sum(recent) / len(recent),
    )


def cards(store: Any, bank: str | None = None) -> dict[tuple[int, str], Card]:
    """The schedule of every question answered in ``store`` (all banks, or one)."""
    if store is None:
        return {}
    return schedule(store.attempts(bank))


def order_questions(
    questions: Sequence[Question],
    store: Any,
    order: str = "in-order",
    today: date | None = None,
    *,
    bank: str | None = None,
    seed: int | None = None,
) -> list[Question]:
    """``questions`` in the chosen order.

    - ``in-order``: as given; ``shuffled``: random (``seed`` for a repeatable order);
    - ``weakest``: never answered first, then by the mean of the latest attempts, lowest first;
    - ``due``: due or overdue first (most overdue first), then never answered, then the rest by
      the day they fall due.
    Without a store (``None``) every question counts as never answered.
    """
    if order not in ORDERS:
        raise ValueError(f"unknown order '{order}'; choose one of {', '.join(ORDERS)}")
    chosen = list(questions)
    if order == "in-order":
        return chosen
    if order == "shuffled":
        random.Random(seed).shuffle(chosen)
        return chosen
    today = today or date.today()
    known = cards(store, bank)
    position = {id(q): n for n, q in enumerate(chosen)}

    def weakest(q: Question) -> tuple[Any, ...]:
        card = known.get((q.number, q.topic))
        if card is None:
            return (0, 0.0, 0.0, position[id(q)])
        return (1, card.recent_coverage, card.last_coverage, position[id(q)])

    def due(q: Question) -> tuple[Any, ...]:
        card = known.get((q.number, q.topic))
        if card is None:
            return (1, date.min, 0.0, position[id(q)])
        group = 0 if card.due <= today else 2
        return (group, card.due, card.recent_coverage, position[id(q)])

    return sorted(chosen, key=weakest if order == "weakest" else due)


def due_tomorrow(store: Any, bank: Bank, today: date | None = None) -> list[int]:
    """Numbers of the bank's answered questions that are due by tomorrow, soonest first."""
    tomorrow = (today or date.today()) + timedelta(days=1)
    known = cards(store, bank.name)
    due = [
        (card.due, q.number)
        for q in bank.questions
        if (card := known.get((q.number, q.topic))) is not None and card.due <= tomorrow
    ]
    return [number for _, number in sorted(due)]
