"""Follow-ups in the history: the v3 -> v4 migration, the link to the parent answer, and a
follow-up never counting as an answer of its own (statistics, sessions, FSRS cards)."""

from __future__ import annotations

import shutil
import sqlite3
import threading
from datetime import datetime
from pathlib import Path

from content.bank import load_bank
from simulator.journal import Journal
from simulator.recall import Review, replay
from simulator.scoring import coverage
from simulator.session import Session, SessionSettings, State
from simulator.store import SCHEMA_VERSION, Store
from tests.unit.data.make_history_v3 import ANSWERS

DATA = Path(__file__).parent / "data"
BANK = load_bank()
PARTIAL = "Bias is the error from wrong assumptions, a model too simple to capture the data."
RECOVERS = "It is sensitive to small fluctuations in the training data."


def test_a_version_3_history_migrates_keeping_answers_stats_and_cards(tmp_path: Path) -> None:
    path = tmp_path / "history.sqlite3"
    shutil.copy(DATA / "history-v3.sqlite3", path)
    raw = sqlite3.connect(path)
    assert raw.execute("PRAGMA user_version").fetchone()[0] == 3
    cards_before = raw.execute("SELECT * FROM cards ORDER BY question").fetchall()
    raw.close()
    store = Store.open(path)
    assert store.schema_version == SCHEMA_VERSION == 4
    record = store.get_session(2)
    assert record is not None
    (answer,) = record.answers
    assert (answer.kind, answer.parent_id, answer.prompt, answer.assisted) == (
        "answer", None, "", True,
    )  # fmt: skip
    assert [a.id for a in store.get_session(1).answers] == [1, 2, 3]
    cards_after = store._db.execute("SELECT * FROM cards ORDER BY question").fetchall()
    assert [tuple(r) for r in cards_after] == cards_before  # no replay needed, none done
    stats = {s.question: s for s in store.question_stats("ml-theory")}
    assert stats[1].attempts == 2 and stats[1].mean == (0.45 + 0.75) / 2
    listed = {s.id: s for s in store.list_sessions()}
    assert (listed[1].answers, listed[2].answers) == (3, 1)
    scored = [r for r in ANSWERS if r[5] is not None]
    assert len(store.attempts("ml-theory")) == len(scored)
    store.close()
    assert Store.open(path).schema_version == SCHEMA_VERSION


def test_a_follow_up_links_to_its_parent_and_is_not_an_answer_of_its_own(tmp_path: Path) -> None:
    store = Store.open(tmp_path / "history.sqlite3")
    q1 = BANK.question(1)
    session_id = store.start_session("ml-theory", "", "typed", {})
    parent = store.start_answer(session_id, 1, q1.topic, "typed")
    first = coverage(q1, PARTIAL)
    store.finish_answer(
        parent, transcript=PARTIAL, words=[], coverage=first, delivery=None, duration_s=20
    )
    card_before = store.memories("ml-theory")[0]
    child = store.start_answer(
        session_id, 1, q1.topic, "typed", parent_id=parent, prompt="And the other error?",
        probed="Variance from sensitivity to data",
    )  # fmt: skip
    store.finish_answer(
        child, transcript=RECOVERS, words=[], coverage=coverage(q1, RECOVERS), delivery=None,
        duration_s=8,
    )  # fmt: skip
    record = store.get_session(session_id)
    parent_row, child_row = record.answers
    assert child_row.kind == "follow_up" and child_row.parent_id == parent
    assert child_row.prompt == "And the other error?"
    assert record.follow_up_of(parent_row) == child_row
    assert record.mean_coverage == parent_row.coverage  # the follow-up is not averaged in
    assert store.list_sessions()[0].answers == 1
    assert store.question_stats()[0].attempts == 1
    assert len(store.attempts()) == 1
    assert len(store.answers_for_question(1)) == 1
    card = store.memories("ml-theory")[0]
    assert card.reviews == card_before.reviews == 1
    assert child_row.to_dict()["kind"] == "follow_up"
    store.delete_session(session_id)  # the follow-up goes with its session and parent
    assert store._db.execute("SELECT count(*) FROM answers").fetchone()[0] == 0


def test_the_journal_stores_a_follow_up_and_completes_its_parent(tmp_path: Path) -> None:
    store = Store.open(tmp_path / "history.sqlite3")
    journal = Journal(store)
    writer = threading.Thread(target=journal.run)
    writer.start()
    session = Session([BANK.question(1)], SessionSettings(mode="typed", follow_ups=True))
    journal.start_session(session, BANK)
    for text in (PARTIAL, RECOVERS):
        attempt = session.start_answer()
        journal.answer_started(session, attempt)
        session.submit(text, coverage(session.scoring_question, text))
        journal.answer_finished(attempt)
    assert session.state is State.FEEDBACK
    journal.stop()
    writer.join(timeout=30)
    reopened = Store.open(tmp_path / "history.sqlite3")
    parent, child = reopened.get_session(session.session_id).answers
    assert child.kind == "follow_up" and child.parent_id == parent.id
    assert child.prompt == BANK.question(1).key_points[1].follow_up
    assert child.probed == "Variance from sensitivity to data"
    assert [k.label for k in child.scored.key_points] == list(session.attempts[1].follow_up.missing)
    assert parent.assisted and parent.from_follow_up == ["Variance from sensitivity to data"]
    assert parent.coverage == session.attempts[0].coverage.coverage > 0
    (card,) = reopened.memories("ml-theory")
    assert card.reviews == 1  # one review: the answer, rated as assisted
    at = datetime.fromisoformat(parent.created_at)
    key = ("ml-theory", 1, parent.topic)
    assisted = replay([Review(key, parent.coverage, at, assisted=True)])[key]
    alone = replay([Review(key, parent.coverage, at)])[key]
    assert card.due == assisted.due and card.stability == assisted.stability
    assert (assisted.stability, assisted.due) != (alone.stability, alone.due)


def test_report_and_recovery_know_a_follow_up(tmp_path: Path) -> None:
    from simulator.recovery import recover_session
    from simulator.report import render

    store = Store.open(tmp_path / "history.sqlite3")
    q1 = BANK.question(1)
    session_id = store.start_session("ml-theory", "", "typed", {})
    parent = store.start_answer(session_id, 1, q1.topic, "typed")
    store.finish_answer(
        parent, transcript=PARTIAL, words=[], coverage=coverage(q1, PARTIAL), delivery=None,
        duration_s=20,
    )  # fmt: skip
    prompt = q1.key_points[1].follow_up
    child = store.start_answer(
        session_id, 1, q1.topic, "typed", parent_id=parent, prompt=prompt,
        probed=q1.key_points[1].label,
    )  # fmt: skip
    store.save_draft(child, RECOVERS)  # then the process was killed
    recovered = recover_session(store, session_id, None)
    assert [a.status for a in recovered.answers] == ["recovered"]
    record = store.get_session(session_id)
    first, later = record.answers
    assert later.status == "recovered" and later.transcript == RECOVERS
    assert {k.label for k in later.scored.key_points} == {
        k.label for k in coverage(q1, PARTIAL).key_points if k.credit < 1
    }  # scored against what the answer had missed
    assert first.assisted and "Variance from sensitivity to data" in first.from_follow_up
    markdown = render(record, "md", BANK)
    assert f"## Q1 follow-up: {prompt}" in markdown
    assert "Variance from sensitivity to data (in the follow-up)" in markdown
    page = render(record, "html", BANK)
    assert "<h2>Q1 follow-up: " in page and "(in the follow-up)</li>" in page
