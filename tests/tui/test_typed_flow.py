"""The typed interview, end to end, driven through the real app with the Pilot."""

from __future__ import annotations

import html
import re

from textual.widgets import Input, Static, TextArea

from simulator.tui.screens.feedback import FeedbackScreen
from simulator.tui.screens.interview import InterviewScreen
from simulator.tui.screens.keys import KeysScreen
from simulator.tui.screens.setup import SetupScreen
from simulator.tui.screens.summary import SummaryScreen
from tests.tui.waiting import until, until_screen

MARKUP = "[bold]x[/bold] L1 adds the absolute value and gives sparse weights [/] [red]"


def screen_text(app) -> str:
    """What the terminal shows, as plain text (the SVG export, unescaped)."""
    svg = html.unescape(app.export_screenshot()).replace("\xa0", " ")
    return " ".join(re.findall(r">([^<>]*)</text>", svg))


def shown(screen, selector: str) -> str:
    return str(screen.query_one(selector, Static).render())


async def test_setup_to_summary_with_literal_markup(make_app) -> None:
    app = make_app("setup", topics=("Bias",))
    async with app.run_test(size=(100, 30)) as pilot:
        await until_screen(pilot, SetupScreen)
        count = app.screen.query_one("#count", Input)
        count.value = "1"
        await pilot.press("ctrl+s")
        await until_screen(pilot, InterviewScreen)
        assert shown(app.screen, "#question-text") == "Explain the bias-variance tradeoff."
        assert app.screen.focused is app.screen.query_one("#typed-answer", TextArea)
        await pilot.press(*MARKUP)
        assert app.screen.query_one("#typed-answer", TextArea).text == MARKUP
        await pilot.press("ctrl+s")
        await until_screen(pilot, FeedbackScreen)
        assert re.fullmatch(r"Coverage \d{1,3}%", shown(app.screen, "#coverage"))
        assert shown(app.screen, "#mine") == MARKUP
        assert "Bias is the error" in shown(app.screen, "#model")
        await pilot.press("n")
        await until_screen(pilot, SummaryScreen)
        heading = str(app.screen.query_one("#summary-heading").render())
        assert "1 answered" in heading
        assert "Practise next" in shown(app.screen, "#summary-practise")


async def test_feedback_highlights_covered_points_in_both_panes(make_app) -> None:
    app = make_app("interview", questions=(1,))
    answer = "Bias comes from wrong assumptions and variance from sensitivity to small fluctuations"
    async with app.run_test(size=(100, 30)) as pilot:
        await until_screen(pilot, InterviewScreen)
        app.screen.query_one("#typed-answer", TextArea).insert(answer)
        await pilot.press("ctrl+s")
        await until_screen(pilot, FeedbackScreen)
        attempt = app.session.attempt
        covered = [k for k in attempt.coverage.key_points if k.covered]
        assert covered, "this answer covers at least one key point"
        mine = app.screen.query_one("#mine", Static).content
        model = app.screen.query_one("#model", Static).content
        for point in covered:
            span = point.transcript_span
            mine_styles = {str(s.style) for s in mine.spans if s.start <= span.start < s.end}
            assert mine_styles, f"{point.label} is not highlighted in the transcript"
            model_styles = {
                str(s.style)
                for a in point.answer_spans
                for s in model.spans
                if s.start <= a.start < s.end
            }
            assert mine_styles & model_styles, f"{point.label}: colours differ between panes"
        points = shown(app.screen, "#points")
        assert "✓" in points and "✗" in points and "(missed)" in points


async def test_empty_submit_is_refused_with_a_message(make_app) -> None:
    app = make_app("interview", questions=(4,))
    async with app.run_test(size=(80, 24)) as pilot:
        await until_screen(pilot, InterviewScreen)
        await pilot.press("ctrl+s")
        await pilot.pause()
        assert isinstance(app.screen, InterviewScreen)
        assert "Type an answer first" in str(app.screen.query_one("#status").render())


async def test_retry_then_skip_to_summary(make_app) -> None:
    app = make_app("interview", questions=(4, 5))
    async with app.run_test(size=(100, 30)) as pilot:
        await until_screen(pilot, InterviewScreen)
        await pilot.press(*"lasso")
        await pilot.press("ctrl+s")
        await until_screen(pilot, FeedbackScreen)
        await pilot.press("t")
        await until_screen(pilot, InterviewScreen)
        assert app.session.question.number == 4
        await pilot.press(*"ridge")
        await pilot.press("ctrl+s")
        await until_screen(pilot, FeedbackScreen)
        await pilot.press("n")
        await until_screen(pilot, InterviewScreen)
        assert app.session.question.number == 5
        await pilot.press("ctrl+n")  # skip the last question
        await until_screen(pilot, SummaryScreen)
        rows = app.screen.summary.rows
        assert [(r.question.number, r.attempts) for r in rows] == [(4, 2)]


async def test_keys_screen_opens_with_f1_and_closes(make_app) -> None:
    app = make_app("interview", questions=(4,))
    async with app.run_test(size=(80, 24)) as pilot:
        await until_screen(pilot, InterviewScreen)
        await pilot.press("f1")
        await until_screen(pilot, KeysScreen)
        text = screen_text(app)
        assert "Submit" in text and "Skip" in text
        await pilot.press("escape")
        await until_screen(pilot, InterviewScreen)


async def test_resize_keeps_the_question_visible(make_app) -> None:
    app = make_app("interview", questions=(4,))
    async with app.run_test(size=(100, 30)) as pilot:
        await until_screen(pilot, InterviewScreen)
        for size in [(80, 24), (60, 16), (120, 40), (80, 24)]:
            await pilot.resize_terminal(*size)
            await pilot.pause()
            question = app.screen.query_one("#question-text")
            assert question.region.height >= 1 and question.region.width > 0
        assert "L1 and L2" in screen_text(app)


async def test_user_keymap_rebinds_submit(make_app) -> None:
    app = make_app("interview", questions=(4,))
    app.config.keymap = {"submit": "ctrl+g"}
    async with app.run_test(size=(100, 30)) as pilot:
        await until_screen(pilot, InterviewScreen)
        await pilot.press(*"lasso")
        await pilot.press("ctrl+s")  # no longer bound
        await pilot.pause()
        assert isinstance(app.screen, InterviewScreen)
        await pilot.press("ctrl+g")
        await until_screen(pilot, FeedbackScreen)


async def test_the_hint_line_names_the_keys_bound_now(make_app) -> None:
    app = make_app("interview", questions=(4,))
    app.config.keymap = {"submit": "ctrl+g", "keys": "f2"}
    async with app.run_test(size=(100, 30)) as pilot:
        screen = await until_screen(pilot, InterviewScreen)
        hint = str(screen.query_one("#hint").render())
        assert hint == "ctrl+g submit · f2 keys", hint


async def test_command_palette_runs_the_screen_keys(make_app) -> None:
    from textual.command import CommandList, CommandPalette

    from simulator.tui.commands import ScreenKeysProvider

    app = make_app("interview", questions=(4,))
    async with app.run_test(size=(100, 30)) as pilot:
        await until_screen(pilot, InterviewScreen)
        provider = ScreenKeysProvider(app.screen)
        names = [str(hit.display) async for hit in provider.discover()]
        assert "Submit" in names and "Skip" in names
        await pilot.press(*"lasso")
        await pilot.press("ctrl+p")
        await until_screen(pilot, CommandPalette)
        await pilot.press(*"Submit")
        commands = app.screen.query_one(CommandList)

        def listed() -> bool:
            options = [
                str(commands.get_option_at_index(i).prompt) for i in range(commands.option_count)
            ]
            return bool(options) and "Submit" in options[0]

        await until(pilot, listed, "Submit is the first match")
        await pilot.press("enter")
        await until_screen(pilot, FeedbackScreen)
        assert app.session.attempt.transcript == "lasso"


async def test_time_up_submits_what_was_typed(make_app, clock) -> None:
    app = make_app("interview", questions=(4,), time_limit_s=60)
    async with app.run_test(size=(100, 30)) as pilot:
        await until_screen(pilot, InterviewScreen)
        await pilot.press(*"lasso")
        clock.now += 50
        answer_clock = app.screen.query_one("#answer-clock")
        await until(pilot, lambda: "0:10" in str(answer_clock.render()), "clock at 0:10")
        assert answer_clock.has_class("-warning")
        clock.now += 11
        await until_screen(pilot, FeedbackScreen)
        assert app.session.attempt.transcript == "lasso"


async def test_overtime_runs_on_and_is_marked(make_app, clock) -> None:
    app = make_app("interview", questions=(4,), time_limit_s=30, allow_overtime=True)
    async with app.run_test(size=(100, 30)) as pilot:
        await until_screen(pilot, InterviewScreen)
        await pilot.press(*"ridge")
        clock.now += 95
        answer_clock = app.screen.query_one("#answer-clock")
        await until(pilot, lambda: "overtime +1:05" in str(answer_clock.render()), "overtime")
        await pilot.pause(0.3)  # another tick or more: it must not submit by itself
        assert isinstance(app.screen, InterviewScreen)
        assert answer_clock.has_class("-over")
        await pilot.press("ctrl+s")
        await until_screen(pilot, FeedbackScreen)
        assert "overtime +1:05" in str(app.screen.query_one("#question-meta").render())


async def test_unknown_keymap_id_is_named_once(make_app) -> None:
    app = make_app("interview", questions=(4,))
    app.config.keymap = {"sumbit": "ctrl+g"}
    async with app.run_test(size=(100, 30)) as pilot:
        await until_screen(pilot, InterviewScreen)
        messages = [n.message for n in app._notifications]
        assert sum("unknown binding id(s): sumbit" in m for m in messages) == 1
        assert "submit" in messages[0]


async def test_setup_choices_become_the_session(make_app) -> None:
    from textual.widgets import Checkbox, RadioSet, SelectionList

    app = make_app("setup", mode="voice", read_aloud=True)
    async with app.run_test(size=(100, 30)) as pilot:
        await until_screen(pilot, SetupScreen)
        screen = app.screen
        topics = screen.query_one("#topics", SelectionList)
        topics.deselect_all()
        topics.select("Deep Learning")
        screen.query_one("#count", Input).value = "2"
        screen.query_one("#time-limit", Input).value = "45"
        mode = screen.query_one("#mode", RadioSet)
        next(b for b in mode.query("RadioButton") if b.name == "typed").value = True
        order = screen.query_one("#order", RadioSet)
        next(b for b in order.query("RadioButton") if b.name == "shuffled").value = True
        screen.query_one("#read-aloud", Checkbox).value = False
        await pilot.pause()
        await pilot.press("ctrl+s")
        await until_screen(pilot, InterviewScreen)
        settings = app.session.settings
        assert settings.topics == ("Deep Learning",)
        assert (settings.count, settings.time_limit_s) == (2, 45)
        assert (settings.mode, settings.order, settings.read_aloud) == ("typed", "shuffled", False)
        assert len(app.session.questions) == 2
        assert {q.topic for q in app.session.questions} == {"Deep Learning"}
        assert app.screen.query_one("#typed-answer").display


async def test_setup_rejects_bad_numbers_with_a_message(make_app) -> None:
    from textual.widgets import Label, SelectionList

    app = make_app("setup")
    async with app.run_test(size=(80, 24)) as pilot:
        await until_screen(pilot, SetupScreen)
        app.screen.query_one("#count", Input).value = "0"
        await pilot.press("ctrl+s")
        await pilot.pause()
        assert isinstance(app.screen, SetupScreen)
        assert "questions:" in str(app.screen.query_one("#setup-status", Label).render())
        app.screen.query_one("#count", Input).value = "3"
        app.screen.query_one("#topics", SelectionList).deselect_all()
        await pilot.press("ctrl+s")
        await pilot.pause()
        assert "at least one topic" in str(app.screen.query_one("#setup-status", Label).render())
