"""Other accepted answers on the feedback screen, the closest one marked (the real app, Pilot)."""

from __future__ import annotations

from pathlib import Path

from textual.widgets import Static, TextArea

from content.bank import load_bank
from simulator.config import Config
from simulator.session import SessionSettings
from simulator.tui.screens.feedback import FeedbackScreen
from simulator.tui.screens.interview import InterviewScreen
from tests.tui.waiting import until_screen

BANK = Path(__file__).parent / "data" / "accepted-no-key-points.md"


async def test_an_answer_like_an_accepted_one_is_scored_against_it_and_shown(clock) -> None:
    from simulator.meaning import shared
    from simulator.tui.app import InterviewApp

    bank = load_bank(BANK)
    assert bank.questions[0].key_points_extracted
    app = InterviewApp(
        bank,
        SessionSettings(mode="typed", read_aloud=False, questions=(1,)),
        Config(),
        start_screen="interview",
        clock=clock,
        open_store=False,
    )
    async with app.run_test(size=(110, 36)) as pilot:
        await until_screen(pilot, InterviewScreen)
        await pilot.pause()
        answer = "I would use dropout: random units are switched off while it trains."
        app.screen.query_one("#typed-answer", TextArea).insert(answer)
        await pilot.press("ctrl+s")
        await until_screen(pilot, FeedbackScreen, tries=6000)
        coverage = app.session.attempt.coverage
        model = str(app.screen.query_one("#model", Static).render())
        assert "Collect more training data" in model
        assert "Also accepted:" in model
        assert "Add dropout" in model and "Stop training early" in model
        assert shared.current() is not None  # scoring waited for the model: scored by meaning
        assert coverage.agreement is not None and coverage.agreement.closest == 1
        assert "cannot co-adapt. (closest to your answer)" in model
        assert coverage.coverage >= 0.5
