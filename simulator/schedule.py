"""What to ask next: in order, shuffled, weakest first, or due by spaced repetition (FSRS).

The spaced repetition is FSRS through the ``fsrs`` package: :mod:`simulator.recall` says how an
answer is rated and why, :mod:`simulator.store.cards` keeps each question's card (one per
question per bank) in the history as answers arrive. This module only reads them:

- ``due``: the questions whose card falls due today or earlier (by local day) come first, the
  most overdue first, then those never answered, then the rest by the day they fall due; ties go
  to the question least likely to be recalled now;
- ``weakest``: never answered first, then the lowest mean coverage over the latest
  :data:`RECENT` attempts;
- :func:`due_tomorrow` is what the summary screen lists, :func:`standing` what the progress
  screen shows (recall probability now and the next due day per question).

Questions are identified by number and topic within a bank (numbers alone collide across
banks).
"""

from __future__ import annotations

import random
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from typing import Any

from content.bank import Bank, Question
from simulator.recall import Memory

ORDERS = ("in-order", "shuffled", "weakest", "due")
RECENT = 3
"""How many of the latest attempts the "weakest" order averages."""


@dataclass(frozen=True)
class Standing:
    """Where one question stands in the schedule."""

    question: int
    topic: str
    recall: float
    """The predicted probability of recalling it now (0..1)."""
    due: date
    """The local day its card falls due."""
    reviews: int


def local_day(timestamp: str) -> date:
    """The local calendar day of a stored ISO timestamp."""
    return datetime.fromisoformat(timestamp).astimezone().date()


def memories(store: Any, bank: str | None = None) -> dict[tuple[int, str], Memory]:
    """The FSRS card of every question answered in ``store`` (one bank, or all), by number
    and topic; with every bank, the soonest due card of a (number, topic) wins."""
    if store is None:
        return {}
    found: dict[tuple[int, str], Memory] = {}
    for memory in store.memories(bank):
        found.setdefault((memory.question, memory.topic), memory)
    return found


def standing(store: Any, bank: str | None = None, now: datetime | None = None) -> list[Standing]:
    """Every answered question's recall probability now and next due day, soonest due first."""
    now = now or datetime.now(UTC)
    return [
        Standing(m.question, m.topic, m.recall(now), m.due_day, m.reviews)
        for m in memories(store, bank).values()
    ]


def order_questions(
    questions: Sequence[Question],
    store: Any,
    order: str = "in-order",
    today: date | None = None,
    *,
    bank: str | None = None,
    seed: int | None = None,
) -> list[Question]:
    """``questions`` in the chosen order (see the module docstring).

    ``shuffled`` takes ``seed`` for a repeatable order. Without a store (``None``) every question
    counts as never answered.
    """
    if order not in ORDERS:
        raise ValueError(f"unknown order '{order}'; choose one of {', '.join(ORDERS)}")
    chosen = list(questions)
    if order == "in-order":
        return chosen
    if order == "shuffled":
        random.Random(seed).shuffle(chosen)
        return chosen
    position = {id(q): n for n, q in enumerate(chosen)}
    if order == "weakest":
        recent = _recent_coverage(store, bank)

        def weakest(q: Question) -> tuple[Any, ...]:
            found = recent.get((q.number, q.topic))
            if found is None:
                return (0, 0.0, 0.0, position[id(q)])
            return (1, found[0], found[1], position[id(q)])

        return sorted(chosen, key=weakest)
    today = today or date.today()
    now = _moment(today)
    known = memories(store, bank)

    def due(q: Question) -> tuple[Any, ...]:
        memory = known.get((q.number, q.topic))
        if memory is None:
            return (1, date.min, 0.0, position[id(q)])
        group = 0 if memory.due_day <= today else 2
        return (group, memory.due_day, memory.recall(now), position[id(q)])

    return sorted(chosen, key=due)


def due_tomorrow(store: Any, bank: Bank, today: date | None = None) -> list[int]:
    """Numbers of the bank's answered questions that fall due by tomorrow, soonest first."""
    tomorrow = (today or date.today()) + timedelta(days=1)
    known = memories(store, bank.name)
    due = [
        (memory.due, q.number)
        for q in bank.questions
        if (memory := known.get((q.number, q.topic))) is not None and memory.due_day <= tomorrow
    ]
    return [number for _, number in sorted(due)]


def _recent_coverage(store: Any, bank: str | None) -> dict[tuple[int, str], tuple[float, float]]:
    """(mean of the latest attempts, the last one) per question."""
    if store is None:
        return {}
    history: dict[tuple[int, str], list[float]] = {}
    for attempt in store.attempts(bank):
        history.setdefault((attempt.question, attempt.topic), []).append(attempt.coverage)
    return {
        key: (sum(tries[-RECENT:]) / len(tries[-RECENT:]), tries[-1])
        for key, tries in history.items()
    }


def _moment(day: date) -> datetime:
    """Now, if ``day`` is today; else the end of ``day`` (local), for recall on that day."""
    if day == date.today():
        return datetime.now(UTC)
    return datetime.combine(day, datetime.max.time()).astimezone().astimezone(UTC)
