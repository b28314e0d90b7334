"""Spaced repetition from real stored history: SM-2 intervals, weakest and due orders."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from pathlib import Path

import pytest

from content.bank import load_bank
from simulator.schedule import (
    due_tomorrow,
    grade,
    local_day,
    order_questions,
    schedule,
)
from simulator.store import ScoredAttempt, Store

BANK = load_bank()
Q1, Q2, Q3, Q4 = (BANK.question(n) for n in (1, 2, 3, 4))
DAY1 = datetime(2024, 6, 3, 12, tzinfo=UTC)


class Scored:
    def __init__(self, value: float) -> None:
        self.coverage = value

    def to_dict(self) -> dict:
        return {"coverage": self.coverage, "key_points": []}


class Clock:
    def __init__(self) -> None:
        self.now = DAY1

    def __call__(self) -> datetime:
        return self.now


def on(day: int) -> str:
    return (DAY1 + timedelta(days=day - 1)).isoformat()


@pytest.fixture
def store(tmp_path: Path) -> Store:
    """Q1 good three days running, Q2 poor, Q3 never answered, Q4 good once."""
    clock = Clock()
    store = Store.open(tmp_path / "h.sqlite3", clock=clock)
    plan = {1: [(Q1, 0.95), (Q2, 0.3), (Q4, 0.8)], 2: [(Q1, 0.92)], 8: [(Q1, 1.0), (Q2, 0.2)]}
    for day, answers in plan.items():
        clock.now = DAY1 + timedelta(days=day - 1)
        session = store.start_session(BANK.name, str(BANK.path), "typed", {})
        for question, value in answers:
            answer = store.start_answer(session, question.number, question.topic, "typed")
            store.finish_answer(
                answer, transcript="x", words=[], coverage=Scored(value), delivery=None,
                duration_s=1.0,
            )  # fmt: skip
        store.end_session(session)
    return store


def today(day: int) -> date:
    return local_day(on(day))


def test_grades_follow_coverage() -> None:
    assert [grade(c) for c in (0.0, 0.2, 0.45, 0.6, 0.8, 0.95)] == [0, 1, 2, 3, 4, 5]


def test_sm2_intervals_grow_with_success_and_reset_on_failure() -> None:
    good = [ScoredAttempt(1, "t", 1.0, on(d)) for d in (1, 2, 8)]
    card = schedule(good)[(1, "t")]
    assert (card.streak, card.reviews) == (3, 3)
    assert card.ease == pytest.approx(2.8)
    assert card.interval_days == round(6 * 2.7)  # the ease before the third review
    assert card.due == today(8) + timedelta(days=16)
    failed = schedule([*good, ScoredAttempt(1, "t", 0.1, on(9))])[(1, "t")]
    assert (failed.streak, failed.interval_days, failed.due) == (0, 1, today(10))
    assert failed.ease < card.ease


def test_retries_on_one_day_count_once_at_their_best() -> None:
    same_day = [ScoredAttempt(1, "t", c, on(1)) for c in (0.1, 0.95, 0.3)]
    card = schedule(same_day)[(1, "t")]
    assert (card.reviews, card.streak, card.interval_days) == (1, 1, 1)
    assert card.last_coverage == 0.3  # the latest attempt, for "weakest"


def test_weakest_puts_unseen_first_then_lowest_recent(store: Store) -> None:
    ordered = order_questions([Q1, Q2, Q3, Q4], store, "weakest", today(9))
    assert [q.number for q in ordered] == [3, 2, 4, 1]


def test_due_puts_overdue_first_then_unseen_then_later(store: Store) -> None:
    ordered = order_questions([Q1, Q2, Q3, Q4], store, "due", today(9))
    # Q4 due on day 2 (most overdue), Q2 due day 9, Q3 never seen, Q1 due day 24.
    assert [q.number for q in ordered] == [4, 2, 3, 1]


def test_due_tomorrow_lists_what_the_summary_shows(store: Store) -> None:
    assert due_tomorrow(store, BANK, today(8)) == [4, 2]
    assert due_tomorrow(store, BANK, today(30)) == [4, 2, 1]


def test_another_bank_history_does_not_count(store: Store) -> None:
    ordered = order_questions([Q1, Q2, Q3, Q4], store, "weakest", today(9), bank="other")
    assert [q.number for q in ordered] == [1, 2, 3, 4]


def test_without_a_store_and_other_orders() -> None:
    questions = [Q1, Q2, Q3, Q4]
    assert order_questions(questions, None, "due", today(1)) == questions
    assert order_questions(questions, None, "in-order") == questions
    shuffled = order_questions(questions, None, "shuffled", seed=3)
    assert sorted(q.number for q in shuffled) == [1, 2, 3, 4]
    assert shuffled == order_questions(questions, None, "shuffled", seed=3)
    with pytest.raises(ValueError, match="unknown order"):
        order_questions(questions, None, "random")
