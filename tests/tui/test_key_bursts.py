"""Keys that arrive in one burst (a paste without bracketed paste, tmux, a dictation tool).

Every key and paste is posted to the app at once, the way a terminal hands a burst to the
driver, with Ctrl+S last: the answer scored and stored must hold every character sent before
the Ctrl+S, and the Ctrl+S must never be ignored. The draft saved while typing must equal the
text area.
"""

from __future__ import annotations

from textual import events
from textual.keys import _character_to_key
from textual.widgets import TextArea

from simulator.tui.screens.feedback import FeedbackScreen
from simulator.tui.screens.interview import InterviewScreen
from tests.tui.waiting import until, until_screen

LONG_ANSWER = (
    "Use precision when false positives are expensive, such as spam filtering where a real "
    "email sent to the junk folder costs the user, and recall when false negatives are "
    "expensive, such as cancer screening where a missed case is far worse than a false alarm; "
    "the F1 score balances the two and the threshold moves along the precision recall curve. "
) * 2


def burst(app, text: str) -> None:
    """Post one key event per character, then Ctrl+S, without waiting between them."""
    for character in text:
        app.post_message(events.Key(_character_to_key(character), character))
    app.post_message(events.Key("ctrl+s", None))


async def submitted_text(app, pilot) -> str:
    await until_screen(pilot, FeedbackScreen)
    return app.session.attempt.transcript


async def test_a_long_burst_of_keys_then_ctrl_s_keeps_every_key(make_app) -> None:
    for text in (LONG_ANSWER, "Precision and recall trade off against each other."):
        app = make_app("interview", questions=(7,))
        async with app.run_test(size=(100, 30)) as pilot:
            await until_screen(pilot, InterviewScreen)
            burst(app, text)
            assert await submitted_text(app, pilot) == text


async def test_bracketed_paste_then_ctrl_s_is_not_ignored(make_app) -> None:
    for _ in range(3):
        app = make_app("interview", questions=(7,))
        async with app.run_test(size=(100, 30)) as pilot:
            await until_screen(pilot, InterviewScreen)
            app.post_message(events.Paste(LONG_ANSWER))
            app.post_message(events.Key("ctrl+s", None))
            assert await submitted_text(app, pilot) == LONG_ANSWER


async def test_the_draft_after_a_burst_equals_the_text_area(make_app) -> None:
    app = make_app("interview", open_store=True, questions=(7,))
    async with app.run_test(size=(100, 30)) as pilot:
        screen = await until_screen(pilot, InterviewScreen)
        await until(pilot, lambda: app.session.session_id is not None, "session row written")
        for character in LONG_ANSWER:
            app.post_message(events.Key(_character_to_key(character), character))
        area = screen.query_one("#typed-answer", TextArea)
        await until(pilot, lambda: area.text == LONG_ANSWER, "every key taken")

        def draft() -> str | None:
            answer_id = app.session.attempt.answer_id
            if answer_id is None:
                return None
            app.journal.barrier().wait(5)
            return app.store.get_answer(answer_id).draft

        await until(pilot, lambda: draft() == area.text, "the draft saved equals the text area")


async def test_a_megabyte_answer_is_refused_with_a_message_and_kept(make_app) -> None:
    from simulator.tui.screens.interview import MAX_TYPED_CHARS

    document = ("Precision and recall trade off against each other. " * 20_000)[:1_000_000]
    assert len(document) > MAX_TYPED_CHARS
    app = make_app("interview", questions=(7,))
    async with app.run_test(size=(100, 30)) as pilot:
        screen = await until_screen(pilot, InterviewScreen)
        app.post_message(events.Paste(document))
        app.post_message(events.Key("ctrl+s", None))
        status = screen.query_one("#status")
        await until(pilot, lambda: "1,000,000 characters" in str(status.render()), "a message")
        assert isinstance(app.screen, InterviewScreen), "not scored, not frozen"
        assert screen.query_one("#typed-answer", TextArea).text == document, "kept"
