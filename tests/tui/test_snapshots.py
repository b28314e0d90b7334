"""Snapshots of every screen, with clocks frozen so they are stable."""

from __future__ import annotations

import time

from textual.widgets import TextArea

from simulator.tui.screens.feedback import FeedbackScreen
from simulator.tui.screens.interview import InterviewScreen
from simulator.tui.screens.summary import SummaryScreen

ANSWER = "[bold]x[/bold] L1 (lasso) adds the absolute weights and gives sparse models [/]"


async def _until(pilot, screen_type, seconds: float = 60.0) -> None:
    # A bound in time, not in polls: the first answer scored in a process also loads the
    # embedding model, which took over the old 200 polls (about 4 s) on a loaded machine.
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if isinstance(pilot.app.screen, screen_type):
            await pilot.pause()
            return
        await pilot.pause(0.02)
    raise AssertionError(f"{screen_type.__name__} never showed")


async def _answer(pilot) -> None:
    await _until(pilot, InterviewScreen)
    area = pilot.app.screen.query_one(TextArea)
    area.cursor_blink = False
    area.insert(ANSWER)
    await pilot.press("ctrl+s")
    await _until(pilot, FeedbackScreen)


def test_setup_screen(snap_compare, make_app) -> None:
    assert snap_compare(make_app("setup"), terminal_size=(100, 30))


def test_setup_screen_small(snap_compare, make_app) -> None:
    assert snap_compare(make_app("setup"), terminal_size=(80, 24))


def test_interview_screen_typed(snap_compare, make_app) -> None:
    async def before(pilot) -> None:
        await _until(pilot, InterviewScreen)
        area = pilot.app.screen.query_one(TextArea)
        area.cursor_blink = False
        area.insert(ANSWER)
        await pilot.pause()

    app = make_app("interview", questions=(4,))
    assert snap_compare(app, terminal_size=(80, 24), run_before=before)


def test_interview_screen_voice_waiting(snap_compare, make_app) -> None:
    async def before(pilot) -> None:
        await _until(pilot, InterviewScreen)

    app = make_app("interview", questions=(4,), mode="voice")
    app.model_state = "ready"  # the snapshot is of the screen, not of a model load
    assert snap_compare(app, terminal_size=(100, 30), run_before=before)


def test_feedback_screen(snap_compare, make_app) -> None:
    app = make_app("interview", questions=(4,))
    assert snap_compare(app, terminal_size=(100, 30), run_before=_answer)


def test_summary_screen(snap_compare, make_app) -> None:
    async def before(pilot) -> None:
        await _answer(pilot)
        await pilot.press("n")
        await _until(pilot, SummaryScreen)

    app = make_app("interview", questions=(4,))
    assert snap_compare(app, terminal_size=(100, 30), run_before=before)


def test_keys_screen(snap_compare, make_app) -> None:
    async def before(pilot) -> None:
        await _until(pilot, InterviewScreen)
        pilot.app.screen.query_one(TextArea).cursor_blink = False
        await pilot.press("f1")
        await pilot.pause()

    app = make_app("interview", questions=(4,))
    assert snap_compare(app, terminal_size=(80, 24), run_before=before)


def test_feedback_screen_small(snap_compare, make_app) -> None:
    app = make_app("interview", questions=(4,))
    assert snap_compare(app, terminal_size=(80, 24), run_before=_answer)


def test_feedback_screen_light_theme(snap_compare, make_app) -> None:
    app = make_app("interview", questions=(4,))
    app.config.appearance.theme = "textual-light"
    assert snap_compare(app, terminal_size=(100, 30), run_before=_answer)
