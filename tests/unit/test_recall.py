"""FSRS ratings from coverage, and the v2 -> v3 migration that replays old answers into cards."""

from __future__ import annotations

import shutil
import sqlite3
from datetime import datetime
from pathlib import Path

import pytest
from fsrs import Rating

from simulator.recall import Review, rating, replay
from simulator.store import SCHEMA_VERSION, Store
from tests.unit.data.make_history_v2 import ANSWERS, SESSIONS

DATA = Path(__file__).parent / "data"


def test_coverage_maps_to_ratings_and_help_rates_lower() -> None:
    coverages = (0.0, 0.39, 0.4, 0.59, 0.6, 0.89, 0.9, 1.0)
    assert [rating(c) for c in coverages] == [
        Rating.Again, Rating.Again, Rating.Hard, Rating.Hard,
        Rating.Good, Rating.Good, Rating.Easy, Rating.Easy,
    ]  # fmt: skip
    assert [rating(c, assisted=True) for c in (0.1, 0.5, 0.7, 0.95)] == [
        Rating.Again, Rating.Again, Rating.Hard, Rating.Good,
    ]  # fmt: skip


def test_an_assisted_answer_is_remembered_less(tmp_path: Path) -> None:
    store = Store.open(tmp_path / "h.sqlite3")
    session = store.start_session("bank", "", "typed", {})
    for question, assisted in ((1, False), (2, True)):
        answer = store.start_answer(session, question, "t", "typed")
        store.finish_answer(
            answer, transcript="x", words=[], coverage=_Scored(0.7), delivery=None,
            duration_s=1.0, assisted=assisted,
        )  # fmt: skip
    alone, helped = sorted(store.memories("bank"), key=lambda m: m.question)
    assert helped.stability < alone.stability and helped.due <= alone.due


def test_a_version_2_history_migrates_by_replaying_its_answers(tmp_path: Path) -> None:
    path = tmp_path / "history.sqlite3"
    shutil.copy(DATA / "history-v2.sqlite3", path)
    assert sqlite3.connect(path).execute("PRAGMA user_version").fetchone()[0] == 2
    store = Store.open(path)
    assert store.schema_version == SCHEMA_VERSION == 4
    bank_of = {session: bank for session, bank, _ in SESSIONS}
    scored = [
        Review((bank_of[session], question, topic), coverage, datetime.fromisoformat(at))
        for _, session, question, topic, status, coverage, at in ANSWERS
        if status in ("done", "recovered") and coverage is not None
    ]
    expected = replay(scored)
    found = {m.key: m for m in store.memories()}
    assert found == expected
    bv = "Bias-Variance & Overfitting"
    assert set(found) == {("ml-theory", 1, bv), ("ml-theory", 2, bv), ("my-deck", 1, "Stats")}
    q1 = found[("ml-theory", 1, bv)]
    assert (q1.reviews, q1.lapses) == (4, 1)  # the discarded answer does not count
    assert q1.last_review == datetime.fromisoformat("2024-06-12T09:02:00.000+00:00")
    # Answers written after the migration extend the replayed cards.
    session = store.start_session("ml-theory", "", "typed", {})
    answer = store.start_answer(session, 2, bv, "typed")
    store.finish_answer(
        answer, transcript="x", words=[], coverage=_Scored(0.8), delivery=None, duration_s=1
    )
    q2 = {m.key: m for m in store.memories()}[("ml-theory", 2, bv)]
    assert q2.reviews == 2
    store.close()
    assert Store.open(path).schema_version == SCHEMA_VERSION


class _Scored:
    def __init__(self, value: float) -> None:
        self.coverage = value

    def to_dict(self) -> dict:
        return {"coverage": self.coverage, "key_points": []}


def test_the_retention_setting_is_checked() -> None:
    from simulator.recall import scheduler

    with pytest.raises(ValueError, match="desired retention"):
        scheduler(0.3)
