"""Nothing typed is lost: answers committed to the real store, drafts kept on quit."""

from __future__ import annotations

from pathlib import Path

from textual.widgets import TextArea

from simulator.store import Store
from simulator.tui.screens.feedback import FeedbackScreen
from simulator.tui.screens.interview import InterviewScreen
from simulator.tui.screens.setup import SetupScreen
from tests.tui.waiting import until, until_screen

DRAFT = "[bold]half[/bold] an answer about lasso"


def only_session(home: Path):
    store = Store.open(home / "history.sqlite3")
    try:
        sessions = store.list_sessions()
        assert len(sessions) == 1
        return store.get_session(sessions[0].id)
    finally:
        store.close()


async def test_scored_answer_is_committed_before_moving_on(make_app, home: Path) -> None:
    app = make_app("interview", open_store=True, questions=(4, 5))
    async with app.run_test(size=(100, 30)) as pilot:
        await until_screen(pilot, InterviewScreen)
        await pilot.press(*"lasso gives sparse weights")
        await pilot.press("ctrl+s")
        await until_screen(pilot, FeedbackScreen)
        written = app.journal.barrier()
        await until(pilot, written.is_set, "store jobs written")
        record = only_session(home)  # read while the app still runs
        assert [a.status for a in record.answers] == ["done"]
        assert record.answers[0].transcript == "lasso gives sparse weights"
        assert record.answers[0].coverage == app.session.attempt.coverage.coverage
        await pilot.press("ctrl+q")
    record = only_session(home)
    assert record.ended_at, "ctrl+q ends the session in the store"


async def test_quit_mid_answer_keeps_the_draft(make_app, home: Path) -> None:
    app = make_app("interview", open_store=True, questions=(4,))
    async with app.run_test(size=(100, 30)) as pilot:
        await until_screen(pilot, InterviewScreen)
        app.screen.query_one(TextArea).insert(DRAFT)
        await pilot.pause()
        await pilot.press("ctrl+q")
    answer = only_session(home).answers[0]
    assert answer.status == "in_progress"
    assert answer.draft == DRAFT


async def test_unwritable_data_dir_falls_back_to_memory_with_one_warning(
    make_app, home: Path, monkeypatch
) -> None:
    blocker = home / "not-a-folder"
    blocker.write_text("a file where the data folder should be")
    monkeypatch.setenv("MOCK_INTERVIEW_HOME", str(blocker))
    app = make_app("interview", open_store=True, questions=(4,))
    async with app.run_test(size=(100, 30)) as pilot:
        await until(pilot, lambda: app.store is not None, "store opened")
        await pilot.pause()
        warnings = [n.message for n in app._notifications if "in memory" in n.message]
        assert len(warnings) == 1, [n.message for n in app._notifications]
        await pilot.press(*"lasso")
        await pilot.press("ctrl+s")
        await until_screen(pilot, FeedbackScreen)


async def test_review_key_opens_past_sessions(make_app) -> None:
    from simulator.tui.screens.review import ReviewScreen

    app = make_app("setup", open_store=True)
    async with app.run_test(size=(100, 30)) as pilot:
        await until_screen(pilot, SetupScreen)
        await until(pilot, lambda: app.store is not None, "store opened")
        await pilot.press("v")
        await until_screen(pilot, ReviewScreen)
        await until(pilot, lambda: app.screen.loaded, "review list loaded")


async def test_start_screen_review(make_app) -> None:
    from simulator.tui.screens.review import ReviewScreen

    app = make_app("review", open_store=True)
    async with app.run_test(size=(100, 30)) as pilot:
        await until_screen(pilot, ReviewScreen)
        await until(pilot, lambda: app.screen.loaded, "review list loaded")
        await pilot.press("escape")
        await until_screen(pilot, SetupScreen)


async def test_draft_is_autosaved_while_typing(make_app, home: Path) -> None:
    app = make_app("interview", open_store=True, questions=(4,))
    async with app.run_test(size=(100, 30)) as pilot:
        await until_screen(pilot, InterviewScreen)
        await pilot.press(*"lasso is L1")

        def saved() -> str:
            store = Store.open(home / "history.sqlite3")
            try:
                sessions = store.list_sessions()
                record = store.get_session(sessions[0].id) if sessions else None
            finally:
                store.close()
            return record.answers[0].draft if record and record.answers else ""

        for _ in range(100):  # the draft lands shortly after typing stops (debounced)
            if saved() == "lasso is L1":
                break
            await pilot.pause(0.05)
        assert saved() == "lasso is L1"
        assert isinstance(app.screen, InterviewScreen), "saving never leaves the screen"


async def test_summary_says_what_is_due_for_review_tomorrow(make_app, home: Path) -> None:
    from textual.widgets import Static

    from simulator.tui.screens.summary import SummaryScreen

    app = make_app("interview", open_store=True, questions=(4,))
    async with app.run_test(size=(100, 30)) as pilot:
        await until_screen(pilot, InterviewScreen)
        await pilot.press(*"lasso gives sparse weights")
        await pilot.press("ctrl+s")
        await until_screen(pilot, FeedbackScreen)
        await pilot.press("n")
        await until_screen(pilot, SummaryScreen)

        def due_text() -> str:
            return str(app.screen.query_one("#summary-due", Static).render())

        await until(pilot, lambda: "Due for review" in due_text(), "the due list")
        assert "Q4: What is the difference between L1 and L2" in due_text()
        await pilot.press("ctrl+q")


async def test_a_damaged_history_is_moved_aside_and_a_fresh_one_used(make_app, home: Path) -> None:
    path = home / "history.sqlite3"
    store = Store.open(path)
    store.start_session("ml-theory", "", "typed", {})
    store.close()
    with path.open("r+b") as file:
        file.write(b"\x00not a header any more" * 4)
    damaged = path.read_bytes()
    app = make_app("interview", open_store=True, questions=(4,))
    async with app.run_test(size=(100, 30)) as pilot:
        await until(pilot, lambda: app.store is not None, "store opened")
        await pilot.pause()
        (moved,) = home.glob("history.damaged-*.sqlite3")
        warnings = [n.message for n in app._notifications if str(moved) in n.message]
        assert len(warnings) == 1, [n.message for n in app._notifications]
        assert ".recover" in warnings[0] and "fresh history" in warnings[0]
        await pilot.press(*"lasso")
        await pilot.press("ctrl+s")
        await until_screen(pilot, FeedbackScreen)
        await pilot.press("ctrl+q")
    assert moved.read_bytes() == damaged, "the damaged file was written to"
    assert only_session(home).answers[0].transcript == "lasso"
