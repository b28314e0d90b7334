"""The interview flow state machine, driven without a terminal and with a stepped clock."""

from __future__ import annotations

from dataclasses import dataclass

import pytest

from content.bank import KeyPoint, Question
from simulator.session import (
    FlowError,
    Session,
    SessionSettings,
    State,
    pick_questions,
)


class StepClock:
    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now


@dataclass
class FakeMissed:
    label: str


@dataclass
class FakeCoverage:
    coverage: float
    missed: list


def q(number: int, topic: str = "T") -> Question:
    return Question(number, topic, f"Question {number}?", "Answer.", (KeyPoint("k", ("k",)),))


@pytest.fixture
def clock() -> StepClock:
    return StepClock()


def test_typed_flow_runs_to_the_summary(clock: StepClock) -> None:
    session = Session([q(1, "A"), q(2, "B")], SessionSettings(mode="typed"), clock=clock)
    assert session.state is State.ASKING
    session.start_answer()
    clock.now += 30
    session.submit("first", FakeCoverage(0.5, [FakeMissed("x")]))
    assert session.state is State.FEEDBACK
    assert session.attempt is not None and session.attempt.duration_s == 30
    session.next()
    assert session.state is State.ASKING and session.question.number == 2
    session.start_answer()
    clock.now += 10
    session.submit("second", FakeCoverage(1.0, []))
    session.next()
    assert session.state is State.SUMMARY
    summary = session.summary()
    assert [r.coverage for r in summary.rows] == [0.5, 1.0]
    assert summary.topic_means == {"A": 0.5, "B": 1.0}
    assert summary.total_s == 40
    assert [r.question.number for r in summary.practise_next] == [1]
    assert summary.practise_next[0].missed == ("x",)


def test_voice_flow_passes_through_transcribing(clock: StepClock) -> None:
    session = Session([q(1)], SessionSettings(mode="voice", time_limit_s=60), clock=clock)
    session.start_answer(audio_path=None)
    clock.now += 45
    assert session.remaining_s() == 15
    session.stop_answer()
    assert session.state is State.TRANSCRIBING
    clock.now += 5  # transcription time is not answer time
    attempt = session.submit("spoken", FakeCoverage(0.25, []))
    assert attempt.duration_s == 45


def test_retry_keeps_every_attempt_and_the_summary_uses_the_last(clock: StepClock) -> None:
    session = Session([q(1)], clock=clock)
    session.start_answer()
    clock.now += 20
    session.submit("a", FakeCoverage(0.2, []))
    session.retry()
    assert session.state is State.ASKING and session.question.number == 1
    session.start_answer()
    clock.now += 10
    session.submit("b", FakeCoverage(0.9, []))
    row = session.finish().rows[0]
    assert (row.coverage, row.attempts, row.time_s) == (0.9, 2, 30)


def test_overtime_is_negative_remaining(clock: StepClock) -> None:
    session = Session([q(1)], SessionSettings(time_limit_s=10), clock=clock)
    assert session.remaining_s() == 10  # the clock has not started
    session.start_answer()
    clock.now += 14
    assert session.remaining_s() == -4
    assert session.overtime_s() == 4


def test_illegal_moves_raise_flow_error(clock: StepClock) -> None:
    session = Session([q(1)], clock=clock)
    with pytest.raises(FlowError, match="asking"):
        session.next()
    with pytest.raises(FlowError):
        session.submit("x")
    session.start_answer()
    with pytest.raises(FlowError):
        session.start_answer()


def test_cancel_answer_drops_the_attempt(clock: StepClock) -> None:
    session = Session([q(1)], clock=clock)
    session.start_answer()
    session.cancel_answer()
    assert session.state is State.ASKING and session.attempts == []


def test_finish_mid_answer_keeps_the_time(clock: StepClock) -> None:
    session = Session([q(1), q(2)], clock=clock)
    session.start_answer()
    clock.now += 7
    summary = session.finish()
    assert session.state is State.SUMMARY
    assert summary.rows[0].time_s == 7 and summary.rows[0].coverage == 0
    clock.now += 100
    assert session.elapsed_s() == 7  # frozen once ended


def test_skip_moves_on_and_the_last_skip_ends(clock: StepClock) -> None:
    session = Session([q(1), q(2)], clock=clock)
    session.skip()
    assert session.question.number == 2
    session.skip()
    assert session.state is State.SUMMARY and session.summary().rows == ()


def test_no_questions_is_a_clear_error() -> None:
    with pytest.raises(FlowError, match="no questions"):
        Session([])


def test_pick_questions_orders_and_counts() -> None:
    questions = [q(n) for n in range(1, 11)]
    assert [x.number for x in pick_questions(questions, count=3)] == [1, 2, 3]
    shuffled = pick_questions(questions, count=None, order="shuffled", seed=3)
    assert sorted(x.number for x in shuffled) == list(range(1, 11))
    assert [x.number for x in shuffled] != list(range(1, 11))
    with pytest.raises(FlowError, match="unknown order"):
        pick_questions(questions, count=1, order="sideways")
