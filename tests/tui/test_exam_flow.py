"""Exam mode and follow-ups in the real app, driven with the Pilot: questions back to back with
no feedback in between, a follow-up where key points were missed, then a summary that opens
every answer's feedback (with the points that came in the follow-up)."""

from __future__ import annotations

from pathlib import Path

from textual.widgets import DataTable, Static, TextArea

from content.bank import load_bank
from simulator.session import State
from simulator.store import Store
from simulator.tui.screens.feedback import FeedbackScreen
from simulator.tui.screens.interview import InterviewScreen
from simulator.tui.screens.summary import SummaryScreen
from tests.tui.waiting import until, until_screen

BANK = load_bank()
PARTIAL = "Bias is the error from wrong assumptions, a model too simple to capture the data."
RECOVERS = (
    "A flexible model is sensitive to small fluctuations in the training data, it fits the noise."
)


def shown(screen, selector: str) -> str:
    return str(screen.query_one(selector, Static).render())


async def answer(pilot, text: str) -> None:
    """Type ``text`` on the interview screen on show and submit it; wait until it moved on."""
    screen = await until_screen(pilot, InterviewScreen)
    screen.query_one("#typed-answer", TextArea).insert(text)
    await pilot.pause()
    await pilot.press("ctrl+s")
    await until(pilot, lambda: pilot.app.screen is not screen, "the answer moved the session on")


async def test_an_exam_asks_follow_ups_shows_no_feedback_and_opens_it_from_the_summary(
    make_app, home: Path
) -> None:
    app = make_app("interview", open_store=True, questions=(1, 2, 3), exam=True, follow_ups=True)
    async with app.run_test(size=(110, 34)) as pilot:
        await until_screen(pilot, InterviewScreen)
        assert "exam" in str(app.screen.query_one("#question-meta").render())
        await answer(pilot, PARTIAL)
        screen = await until_screen(pilot, InterviewScreen)  # the follow-up, not feedback
        follow_up = app.session.follow_up
        assert follow_up is not None and follow_up.written
        assert shown(screen, "#question-text") == follow_up.text
        assert shown(screen, "#followed-question") == BANK.question(1).text
        assert "follow-up" in str(screen.query_one("#question-meta").render())
        assert follow_up.text in {k.follow_up for k in BANK.question(1).key_points}
        await answer(pilot, RECOVERS)
        screen = await until_screen(pilot, InterviewScreen)
        assert app.session.question.number == 2 and app.session.follow_up is None
        assert shown(screen, "#question-text") == BANK.question(2).text
        await answer(pilot, BANK.question(2).model_answer)  # nothing missed: no follow-up
        screen = await until_screen(pilot, InterviewScreen)
        assert app.session.question.number == 3 and app.session.follow_up is None
        await answer(pilot, "I am not sure, it has to do with regularization.")
        await until_screen(pilot, InterviewScreen)
        assert app.session.follow_up is not None
        await pilot.press("ctrl+n")  # decline the last follow-up: on to the summary
        summary = await until_screen(pilot, SummaryScreen)
        assert app.session.state is State.SUMMARY
        assert not any(isinstance(s, FeedbackScreen) for s in app.screen_stack)
        assert "Exam over · 3 answered" in str(summary.query_one("#summary-heading").render())
        table = summary.query_one("#summary-answers", DataTable)
        assert table.row_count == 3
        first = summary.summary.rows[0]
        assert first.from_follow_up, "the follow-up brought a key point"
        assert str(table.get_cell_at((0, 3))).startswith("+")
        await pilot.press("enter")  # the first row
        feedback = await until_screen(pilot, FeedbackScreen)
        points = shown(feedback, "#points")
        for label in first.from_follow_up:
            assert f"{label} (in the follow-up)" in points
        mine = shown(feedback, "#mine")
        assert PARTIAL in mine and f"Follow-up: {follow_up.text}" in mine and RECOVERS in mine
        assert "Bias is the error" in shown(feedback, "#model")
        await pilot.press("n")  # moving on is not offered here
        assert app.screen is feedback
        await pilot.press("escape")
        await until_screen(pilot, SummaryScreen)
        written = app.journal.barrier()
        await until(pilot, written.is_set, "store jobs written")
        await pilot.press("ctrl+q")
    store = Store.open(home / "history.sqlite3")
    (listed,) = store.list_sessions()
    record = store.get_session(listed.id)
    assert record.ended_at is not None
    assert [(a.question, a.kind) for a in record.answers] == [
        (1, "answer"), (1, "follow_up"), (2, "answer"), (3, "answer"),
    ]  # fmt: skip
    parent, child = record.answers[:2]
    assert child.parent_id == parent.id and child.prompt == follow_up.text
    assert parent.assisted and parent.from_follow_up == list(first.from_follow_up)
    assert listed.answers == 3


async def test_study_mode_asks_a_follow_up_only_when_told(make_app) -> None:
    app = make_app("interview", questions=(1,), follow_ups=True)
    async with app.run_test(size=(100, 30)) as pilot:
        await answer(pilot, PARTIAL)
        await until_screen(pilot, InterviewScreen)
        assert app.session.follow_up is not None
        await answer(pilot, RECOVERS)
        feedback = await until_screen(pilot, FeedbackScreen)  # study mode: feedback after it
        assert "(in the follow-up)" in shown(feedback, "#points")
        assert "Follow-up: " in shown(feedback, "#mine")
    app = make_app("interview", questions=(1,))
    async with app.run_test(size=(100, 30)) as pilot:
        await answer(pilot, PARTIAL)
        await until_screen(pilot, FeedbackScreen)
        assert app.session.follow_up is None
