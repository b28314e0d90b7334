"""Study aids in the real app: a hint during a typed answer, the model answer shown first.

Driven with the Pilot on the built-in bank; answers go to the real SQLite store, and the test
reads back what was stored (assisted, the hinted key point capped at partly).
"""

from __future__ import annotations

import asyncio
import shutil
import subprocess
from pathlib import Path

import pytest
from textual.widgets import Static, TextArea

from simulator.scoring import HINTED_CREDIT
from simulator.store import Store
from simulator.tui.screens.feedback import FeedbackScreen
from simulator.tui.screens.interview import InterviewScreen
from tests.tui.test_voice_flow import private_sink  # noqa: F401  (the test sink fixture)
from tests.tui.waiting import until, until_screen

# Question 4 (L1 vs L2); its key points in the bank's order:
LABELS = [
    "L1 adds absolute weights",
    "L2 adds squared weights",
    "L1 drives weights to zero",
    "L1 does feature selection",
    "L2 shrinks without zeroing",
    "Elastic Net combines both",
]
FIRST_TWO = "L1 adds the sum of absolute weights and L2 adds the squared weights. "
THIRD = "L1 drives weights to exactly zero."
ALL_SIX = (
    FIRST_TWO + THIRD + " It does automatic feature selection. L2 shrinks the weights toward "
    "zero but never exactly zero. Elastic net combines L1 and L2."
)


def shown(screen, selector: str) -> str:
    return str(screen.query_one(selector, Static).render())


def stored_answers(home: Path) -> list:
    store = Store.open(home / "history.sqlite3")
    try:
        (summary,) = store.list_sessions()
        record = store.get_session(summary.id)
        assert record is not None
        return record.answers
    finally:
        store.close()


async def written(pilot, app) -> None:
    done = app.journal.barrier()
    await until(pilot, done.is_set, "store jobs written")


async def test_a_hint_shows_the_first_missed_label_and_the_stored_answer_is_assisted(
    make_app, home: Path
) -> None:
    app = make_app("interview", open_store=True, questions=(4,))
    async with app.run_test(size=(100, 30)) as pilot:
        screen = await until_screen(pilot, InterviewScreen)
        assert not screen.check_action("hint", ())  # no answer yet: nothing to hint at
        area = screen.query_one("#typed-answer", TextArea)
        area.insert(FIRST_TWO)
        await until(pilot, lambda: screen.check_action("hint", ()), "the answer began")
        await pilot.press("ctrl+g")
        attempt = app.session.attempt
        await until(pilot, lambda: attempt.hints == [LABELS[2]], "the first hint")
        assert shown(screen, "#hints-given") == f"Hints: {LABELS[2]}"
        assert f"Hint: {LABELS[2]}" in shown(screen, "#status")
        assert "ctrl+g again for the next" in shown(screen, "#status")
        await pilot.press("ctrl+g")  # again: the next one not covered
        await until(pilot, lambda: len(attempt.hints) == 2, "the second hint")
        assert attempt.hints == [LABELS[2], LABELS[3]]
        area.insert(THIRD)  # the hinted point said after the hint
        await pilot.press("ctrl+s")
        feedback = await until_screen(pilot, FeedbackScreen)
        points = {k.label: k for k in attempt.coverage.key_points}
        assert points[LABELS[2]].credit == HINTED_CREDIT and points[LABELS[2]].hinted
        assert points[LABELS[3]].credit == 0.0 and points[LABELS[3]].hinted
        assert points[LABELS[0]].covered and not points[LABELS[0]].hinted
        listed = shown(feedback, "#points")
        assert f"{LABELS[2]} (partly, hinted)" in listed, listed
        assert f"{LABELS[3]} (missed, hinted)" in listed, listed
        assert "Assisted: 2 hints" in listed, listed
        await written(pilot, app)
    (answer,) = stored_answers(home)
    assert answer.assisted and answer.status == "done"
    assert answer.scored is not None
    assert answer.scored.hinted == {LABELS[2], LABELS[3]}
    stored = {k.label: k.credit for k in answer.scored.key_points}
    assert stored[LABELS[2]] == HINTED_CREDIT


async def test_with_nothing_missing_the_hint_says_so(make_app) -> None:
    app = make_app("interview", questions=(4,))
    async with app.run_test(size=(100, 30)) as pilot:
        screen = await until_screen(pilot, InterviewScreen)
        screen.query_one("#typed-answer", TextArea).insert(ALL_SIX)
        await until(pilot, lambda: screen.check_action("hint", ()), "the answer began")
        await pilot.press("ctrl+g")
        await until(pilot, lambda: "Nothing is missing" in shown(screen, "#status"), "no hint")
        assert app.session.attempt.hints == []
        assert not screen.query_one("#hints-given").display
        await pilot.press("ctrl+s")
        await until_screen(pilot, FeedbackScreen)
        assert not app.session.attempt.assisted
        assert not app.session.attempt.coverage.assisted


async def test_the_model_answer_first_key_shows_it_and_the_answer_counts_as_assisted(
    make_app, home: Path
) -> None:
    app = make_app("interview", open_store=True, questions=(4,))
    async with app.run_test(size=(100, 30)) as pilot:
        screen = await until_screen(pilot, InterviewScreen)
        panel = screen.query_one("#model-first", Static)
        assert not panel.display
        await pilot.press("ctrl+o")
        await pilot.pause()
        assert panel.display and panel.region.height > 0
        text = shown(screen, "#model-first")
        assert app.session.question.model_answer[:40] in text
        assert all(label in text for label in LABELS), text
        await pilot.press(*"lasso")  # answering hides it: the answer is from memory
        await pilot.pause()
        assert not panel.display
        assert not screen.check_action("model_answer_first", ())
        await pilot.press("ctrl+s")
        feedback = await until_screen(pilot, FeedbackScreen)
        attempt = app.session.attempt
        assert attempt.model_answer_first and attempt.assisted
        assert attempt.coverage.model_answer_first
        listed = shown(feedback, "#points")
        assert "Assisted: model answer shown first" in listed, listed
        await written(pilot, app)
    (answer,) = stored_answers(home)
    assert answer.assisted
    assert answer.scored is not None and answer.scored.model_answer_first


async def test_the_setting_shows_the_model_answer_before_every_question(make_app) -> None:
    app = make_app("interview", questions=(4,))
    app.config.interview.model_answer_first = True
    async with app.run_test(size=(100, 30)) as pilot:
        screen = await until_screen(pilot, InterviewScreen)
        assert screen.query_one("#model-first").display
        await pilot.press("ctrl+o")  # the key hides it again; it was still seen
        await pilot.pause()
        assert not screen.query_one("#model-first").display
        await pilot.press(*"ridge")
        await pilot.press("ctrl+s")
        await until_screen(pilot, FeedbackScreen)
        assert app.session.attempt.model_answer_first


async def test_the_study_keys_can_be_rebound(make_app) -> None:
    app = make_app("interview", questions=(4,))
    app.config.keymap = {"hint": "f2", "model_answer_first": "f3"}
    async with app.run_test(size=(100, 30)) as pilot:
        screen = await until_screen(pilot, InterviewScreen)
        await pilot.press("f3")
        await pilot.pause()
        assert screen.query_one("#model-first").display
        assert "(f3 now)" in shown(screen, "#status")
        screen.query_one("#typed-answer", TextArea).insert(FIRST_TWO)
        await until(pilot, lambda: screen.check_action("hint", ()), "the answer began")
        await pilot.press("f2")
        await until(pilot, lambda: app.session.attempt.hints == [LABELS[2]], "a hint by f2")
        assert "f2 again for the next" in shown(screen, "#status")


@pytest.mark.audio
@pytest.mark.model
async def test_a_hint_while_speaking_reads_the_live_words(
    make_app,
    private_sink,  # noqa: F811
    tmp_path: Path,
    home: Path,
) -> None:
    if shutil.which("espeak-ng") is None:
        pytest.fail("espeak-ng is not installed; run `make install-test`", pytrace=False)
    speech = tmp_path / "first-point.wav"
    said = "L1 regularization adds the absolute value of the weights to the loss."
    subprocess.run(["espeak-ng", "-s", "150", "-w", str(speech), said], check=True)
    app = make_app("interview", open_store=True, mode="voice", questions=(4,))
    async with app.run_test(size=(100, 30)) as pilot:
        screen = await until_screen(pilot, InterviewScreen)
        await until(pilot, lambda: app.model_state == "ready", "model loaded")
        await pilot.press("space")
        await until(
            pilot,
            lambda: screen.answer is not None and screen.answer.live is not None,
            "recording and live transcription started",
        )
        await asyncio.to_thread(
            subprocess.run, ["paplay", f"--device={private_sink.name}", str(speech)], check=True
        )
        await until(
            pilot,
            lambda: "absolute" in screen.answer.heard_so_far().lower(),
            "the first point heard live",
        )
        await pilot.press("ctrl+g")
        attempt = app.session.attempt
        await until(pilot, lambda: attempt.hints, "a hint from the live words")
        assert attempt.hints == [LABELS[1]], (attempt.hints, screen.answer.heard_so_far())
        assert f"Hints: {LABELS[1]}" == shown(screen, "#hints-given")
        await pilot.press("space")
        await until_screen(pilot, FeedbackScreen)
        points = {k.label: k for k in attempt.coverage.key_points}
        assert points[LABELS[0]].covered and points[LABELS[1]].hinted
        assert points[LABELS[1]].credit <= HINTED_CREDIT
        await written(pilot, app)
    (answer,) = stored_answers(home)
    assert answer.assisted and answer.mode == "voice"
