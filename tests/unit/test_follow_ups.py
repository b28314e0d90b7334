"""Choosing a follow-up, scoring its answer against what is missing, and the session's moves."""

from __future__ import annotations

from dataclasses import replace

import pytest

from content.bank import load_bank
from simulator import followup
from simulator.scoring import coverage
from simulator.session import FlowError, Session, SessionSettings, State

BANK = load_bank()
Q1 = BANK.question(1)  # bias-variance: two weight-2 points, then four of weight 1
PARTIAL = "Bias is the error from wrong assumptions, a model too simple to capture the data."


def without_follow_ups(question):
    return replace(
        question, key_points=tuple(replace(k, follow_up="") for k in question.key_points)
    )


def test_the_heaviest_missed_point_is_probed_with_its_written_follow_up() -> None:
    scored = coverage(Q1, PARTIAL)
    assert [r.label for r in scored.covered] == ["Bias from wrong assumptions"]
    chosen = followup.choose(Q1, scored)
    assert chosen is not None and chosen.written
    assert chosen.point == "Variance from sensitivity to data"  # weight 2, first in the bank
    assert chosen.text == Q1.key_points[1].follow_up
    assert "Bias from wrong assumptions" not in chosen.missing
    assert len(chosen.missing) == len(Q1.key_points) - 1


def test_nothing_missed_means_no_follow_up() -> None:
    assert followup.choose(Q1, None) is None
    full = coverage(Q1, Q1.model_answer)
    assert not full.missed
    assert followup.choose(Q1, full) is None


@pytest.mark.parametrize("question", BANK.questions, ids=lambda q: f"Q{q.number}")
def test_a_bank_without_follow_ups_gets_a_neutral_probe_never_the_label(question) -> None:
    bare = without_follow_ups(question)
    chosen = followup.choose(bare, coverage(bare, "I am not sure."))
    assert chosen is not None and not chosen.written
    assert chosen.text in {
        p.format(topic=question.topic.replace("&", "and")) for p in followup._PROBES
    }
    for point in question.key_points:
        assert point.label.casefold() not in chosen.text.casefold()
    probed = next(k for k in question.key_points if k.label == chosen.point)
    words = followup._words(" ".join((probed.label, *probed.phrasings)))
    assert not followup._words(chosen.text) & words - followup._words("what else matters here")


def test_the_follow_up_answer_is_scored_against_the_missing_points_only() -> None:
    first = coverage(Q1, PARTIAL)
    chosen = followup.choose(Q1, first)
    asked = followup.scoring_question(Q1, chosen)
    assert asked.text == chosen.text and asked.model_answer == Q1.model_answer
    assert [k.label for k in asked.key_points] == list(chosen.missing)
    later = coverage(asked, "It is sensitive to small fluctuations in the training data.")
    assert [r.label for r in later.covered] == ["Variance from sensitivity to data"]
    combined = followup.combine(first, later)
    marks = {r.label: r.follow_up for r in combined.key_points}
    assert marks["Variance from sensitivity to data"] and not marks["Bias from wrong assumptions"]
    assert followup.recovered(combined) == ["Variance from sensitivity to data"]
    gained = combined.coverage - first.coverage
    total = sum(k.weight for k in Q1.key_points)
    assert gained == pytest.approx(0.95 * followup.FOLLOW_UP_SHARE * 2 / total)
    recovered = next(r for r in combined.key_points if r.follow_up)
    assert recovered.covered and recovered.transcript_span is None  # its words are elsewhere
    assert combined.to_dict()["key_points"][1]["follow_up"] is True


def test_a_follow_up_that_adds_nothing_changes_nothing() -> None:
    first = coverage(Q1, PARTIAL)
    asked = followup.scoring_question(Q1, followup.choose(Q1, first))
    combined = followup.combine(first, coverage(asked, "I would rather not guess."))
    assert combined.coverage == first.coverage and followup.recovered(combined) == []


def session(**settings) -> Session:
    return Session([Q1, BANK.question(2)], SessionSettings(mode="typed", **settings))


def answer(s: Session, text: str) -> None:
    s.start_answer()
    s.submit(text, coverage(s.scoring_question, text))


def test_study_mode_with_follow_ups_asks_then_shows_both() -> None:
    s = session(follow_ups=True)
    answer(s, PARTIAL)
    assert s.state is State.ASKING and s.follow_up is not None
    assert s.asked == s.follow_up.text != Q1.text
    parent = s.answer
    answer(s, "It is sensitive to small fluctuations in the training data.")
    assert s.state is State.FEEDBACK and s.follow_up is None
    assert s.answer is parent and parent.follow_up_attempt is s.attempt
    assert s.attempt.kind == "follow_up" and s.attempt.parent is parent
    assert parent.assisted and followup.recovered(parent.coverage)
    row = s.summary().rows[0]
    assert row.attempts == 1 and row.from_follow_up == ("Variance from sensitivity to data",)
    assert row.time_s == parent.duration_s + s.attempt.duration_s


def test_without_the_setting_there_is_no_follow_up() -> None:
    s = session()
    answer(s, PARTIAL)
    assert s.state is State.FEEDBACK and s.follow_up is None


def test_exam_mode_goes_on_without_feedback_and_ends_in_the_summary() -> None:
    s = session(exam=True, follow_ups=True)
    answer(s, PARTIAL)
    assert s.state is State.ASKING and s.follow_up is not None and s.question.number == 1
    answer(s, "no idea")
    assert s.state is State.ASKING and s.follow_up is None and s.question.number == 2
    with pytest.raises(FlowError):
        s.next()  # there is no feedback to leave
    answer(s, BANK.question(2).model_answer)  # complete: no follow-up
    assert s.state is State.SUMMARY
    assert [r.question.number for r in s.summary().rows] == [1, 2]
    assert not s.summary().rows[0].answer.assisted  # the follow-up added nothing


def test_skipping_a_follow_up_keeps_the_answer_and_goes_on() -> None:
    s = session(exam=True, follow_ups=True)
    answer(s, PARTIAL)
    before = s.answer.coverage
    s.skip()
    assert s.follow_up is None and s.question.number == 2
    assert s.attempts[0].coverage is before and len(s.attempts) == 1


def test_a_cancelled_follow_up_answer_is_asked_again() -> None:
    s = session(follow_ups=True)
    answer(s, PARTIAL)
    asked = s.follow_up
    s.start_answer()
    s.cancel_answer()
    assert s.state is State.ASKING and s.follow_up is asked


def test_retry_after_feedback_starts_a_fresh_answer() -> None:
    s = session(follow_ups=True)
    answer(s, PARTIAL)
    answer(s, "no idea")
    s.retry()
    assert s.follow_up is None
    s.start_answer()
    assert s.attempt.kind == "answer"
