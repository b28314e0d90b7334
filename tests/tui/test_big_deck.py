"""A 2,000-card Anki deck, imported with ``bank import``, opens in the app and can be practised."""

from __future__ import annotations

import re
from pathlib import Path

import genanki
import pytest
from textual.widgets import Input, SelectionList, Static, TextArea

from content.bank import load_bank
from simulator.cli import main
from simulator.config import Config
from simulator.session import SessionSettings
from simulator.tui.app import InterviewApp
from simulator.tui.screens.feedback import FeedbackScreen
from simulator.tui.screens.interview import InterviewScreen
from simulator.tui.screens.setup import SetupScreen
from tests.tui.waiting import until_screen

NOTES = 2000
TOPICS = 20


def big_deck(path: Path) -> Path:
    """A real genanki package: 2,000 Basic notes in 20 decks under 'Interview prep'."""
    decks = [genanki.Deck(1_950_000_000 + n, f"Interview prep::Part {n + 1:02d}")
             for n in range(TOPICS)]  # fmt: skip
    for n in range(NOTES):
        decks[n % TOPICS].add_note(
            genanki.Note(
                model=genanki.BASIC_MODEL,
                fields=[
                    f"What does regularization technique number {n} penalize?",
                    f"Technique {n} adds a penalty on large weights to the loss<br>"
                    f"<ul><li>it shrinks weights toward zero</li><li>it reduces variance "
                    f"&amp; overfitting</li></ul>",
                ],
                guid=genanki.guid_for(n),
            )
        )
    genanki.Package(decks).write_to_file(str(path))
    return path


async def test_a_2000_card_deck_imports_and_the_app_opens_it(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    deck = big_deck(tmp_path / "big.apkg")
    target = tmp_path / "big.md"
    assert main(["bank", "import", str(deck), "-o", str(target)]) == 0
    assert capsys.readouterr().out.startswith(f"{target}: {NOTES} questions in {TOPICS} topics")
    bank = load_bank(target)
    assert (len(bank.questions), len(bank.topics), bank.title) == (NOTES, TOPICS, "Interview prep")
    app = InterviewApp(
        bank, SessionSettings(mode="typed", read_aloud=False), Config(), open_store=False
    )
    async with app.run_test(size=(100, 30)) as pilot:
        await until_screen(pilot, SetupScreen)
        assert "Interview prep" in str(app.screen.query_one("#bank-title").render())
        topics = app.screen.query_one("#topics", SelectionList)
        assert topics.option_count == TOPICS
        app.screen.query_one("#count", Input).value = "1"
        await pilot.press("ctrl+s")
        await until_screen(pilot, InterviewScreen)
        question = str(app.screen.query_one("#question-text", Static).render())
        assert question == bank.questions[0].text
        app.screen.query_one("#typed-answer", TextArea).insert(
            "It adds a penalty on large weights and shrinks them toward zero"
        )
        await pilot.press("ctrl+s")
        await until_screen(pilot, FeedbackScreen)
        coverage = str(app.screen.query_one("#coverage", Static).render())
        assert re.fullmatch(r"Coverage \d{1,3}%", coverage)
        assert coverage != "Coverage 0%"
