"""Spaced repetition from real stored history: FSRS cards, weakest and due orders."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from pathlib import Path

import pytest
from fsrs import Card, Rating, Scheduler

from content.bank import load_bank
from simulator.recall import Review, replay
from simulator.schedule import due_tomorrow, local_day, memories, order_questions
from simulator.store import Store

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


def test_each_answer_is_a_review_and_the_cards_are_what_fsrs_says(store: Store) -> None:
    """The stored cards equal the library run by hand on the same ratings and times."""
    plain = Scheduler(learning_steps=(), relearning_steps=(), enable_fuzzing=False)
    plans = {1: [(1, Rating.Easy), (2, Rating.Easy), (8, Rating.Easy)],
             2: [(1, Rating.Again), (8, Rating.Again)], 4: [(1, Rating.Good)]}  # fmt: skip
    known = memories(store, BANK.name)
    assert set(known) == {(n, BANK.question(n).topic) for n in plans}
    for number, plan in plans.items():
        card = Card(card_id=1)
        for day, rated in plan:
            card, _ = plain.review_card(card, rated, DAY1 + timedelta(days=day - 1))
        memory = known[(number, BANK.question(number).topic)]
        assert memory.stability == pytest.approx(card.stability)
        assert memory.difficulty == pytest.approx(card.difficulty)
        assert memory.due == card.due
        assert memory.reviews == len(plan)
    assert known[(2, Q2.topic)].lapses == 2


def test_success_spaces_a_question_out_and_failure_brings_it_back(store: Store) -> None:
    known = memories(store, BANK.name)
    q1, q2, q4 = (known[(q.number, q.topic)] for q in (Q1, Q2, Q4))
    assert q1.due_day - today(8) > timedelta(days=30)  # three near-perfect answers
    assert q4.due_day - today(1) < timedelta(days=7)  # one good answer
    assert q2.due_day - today(8) <= timedelta(days=1)  # failed again on day 8
    assert q1.recall(DAY1 + timedelta(days=20)) > q4.recall(DAY1 + timedelta(days=20))


def test_a_higher_desired_retention_brings_questions_back_sooner(store: Store) -> None:
    before = memories(store, BANK.name)[(Q1.number, Q1.topic)]
    assert store.set_retention(0.97) == 3  # every card rebuilt for the new setting
    after = memories(store, BANK.name)[(Q1.number, Q1.topic)]
    assert after.due < before.due and after.stability == pytest.approx(before.stability)
    assert store.set_retention(0.97) == 0  # nothing to redo
    with pytest.raises(ValueError, match="desired retention"):
        store.set_retention(1.5)


def test_cards_follow_rescoring_discarding_and_deleting(store: Store) -> None:
    def replayed() -> dict:
        rows = store._db.execute(
            """SELECT s.bank_name, a.question, a.topic, a.coverage, a.created_at
               FROM answers a JOIN sessions s ON s.id = a.session_id
               WHERE a.status IN ('done', 'recovered') AND a.coverage IS NOT NULL"""
        ).fetchall()
        reviews = [Review((r[0], r[1], r[2]), r[3], datetime.fromisoformat(r[4])) for r in rows]
        return {k[1:]: m for k, m in replay(reviews).items()}

    q2_answers = store.answers_for_question(Q2.number, Q2.topic)
    store.rescore_answer(q2_answers[-1].id, Scored(0.95))
    assert memories(store, BANK.name) == replayed()
    assert memories(store, BANK.name)[(Q2.number, Q2.topic)].lapses == 1
    (q4_answer,) = store.answers_for_question(Q4.number, Q4.topic)
    store.set_status(q4_answer.id, "discarded")
    assert (Q4.number, Q4.topic) not in memories(store, BANK.name)
    last_session = store.list_sessions()[0].id  # day 8
    assert store.delete_session(last_session)
    assert memories(store, BANK.name) == replayed()
    assert memories(store, BANK.name)[(Q1.number, Q1.topic)].reviews == 2


def test_an_answer_finished_late_is_replayed_in_time_order(tmp_path: Path) -> None:
    clock = Clock()
    store = Store.open(tmp_path / "late.sqlite3", clock=clock)
    session = store.start_session(BANK.name, str(BANK.path), "typed", {})
    early = store.start_answer(session, 1, Q1.topic, "typed")  # day 1, recovered later
    clock.now = DAY1 + timedelta(days=3)
    later = store.start_answer(session, 1, Q1.topic, "typed")
    for answer, value in ((later, 0.9), (early, 0.2)):
        store.finish_answer(
            answer, transcript="x", words=[], coverage=Scored(value), delivery=None,
            duration_s=1.0,
        )  # fmt: skip
    (memory,) = store.memories(BANK.name)
    in_order = replay(
        [Review(memory.key, 0.2, DAY1), Review(memory.key, 0.9, DAY1 + timedelta(days=3))]
    )[memory.key]
    assert memory == in_order and memory.lapses == 1


def test_weakest_puts_unseen_first_then_lowest_recent(store: Store) -> None:
    ordered = order_questions([Q1, Q2, Q3, Q4], store, "weakest", today(9))
    assert [q.number for q in ordered] == [3, 2, 4, 1]


def test_due_puts_overdue_first_then_unseen_then_later(store: Store) -> None:
    ordered = order_questions([Q1, Q2, Q3, Q4], store, "due", today(9))
    # Q4 due on day 3 (most overdue), Q2 due today (day 9), Q3 never seen, Q1 due in weeks.
    assert [q.number for q in ordered] == [4, 2, 3, 1]


def test_due_tomorrow_lists_what_the_summary_shows(store: Store) -> None:
    assert due_tomorrow(store, BANK, today(1)) == []
    assert due_tomorrow(store, BANK, today(8)) == [4, 2]
    q1_due = memories(store, BANK.name)[(Q1.number, Q1.topic)].due_day
    assert due_tomorrow(store, BANK, q1_due - timedelta(days=2)) == [4, 2]
    assert due_tomorrow(store, BANK, q1_due - timedelta(days=1)) == [4, 2, 1]


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
