"""The review and progress screens on a real store, driven by the Pilot in a tiny app."""

from __future__ import annotations

from datetime import date, timedelta
from pathlib import Path

import pytest
from rich.text import Text
from textual.app import App
from textual.widgets import DataTable, Static

from content.bank import builtin_bank_path, load_bank
from simulator.scoring import coverage
from simulator.store import Store
from simulator.tui.screens.progress import ProgressScreen
from simulator.tui.screens.review import ReviewScreen, SessionScreen, transcript_text
from tests.tui.waiting import until

BANK = load_bank()
Q1, Q2 = BANK.question(1), BANK.question(2)
GAP = "a large gap between training and validation performance, the model is memorizing"
SAID = "[bold]not markup[/bold] bias comes from wrong assumptions, the model is too simple"


class Zero:
    """A stale score, as an older scorer might have left it."""

    coverage = 0.0

    def to_dict(self) -> dict:
        return {"coverage": 0.0, "key_points": []}


@pytest.fixture
def store(tmp_path: Path) -> Store:
    store = Store.open(tmp_path / "history.sqlite3")
    for _ in range(2):
        session = store.start_session(BANK.name, str(builtin_bank_path()), "voice", {})
        wav = store.session_audio_dir(session) / "q01-1.wav"
        wav.write_bytes(b"RIFF")
        first = store.start_answer(session, 1, Q1.topic, "voice", wav)
        words = [
            {"start": 0.1 * n, "end": 0.1 * n + 0.08, "text": " " + w}
            for n, w in enumerate(SAID.split())
        ]
        store.finish_answer(
            first, transcript=SAID, words=words, coverage=coverage(Q1, SAID), delivery=None,
            duration_s=3.0,
        )  # fmt: skip
        second = store.start_answer(session, 2, Q2.topic, "typed")
        store.finish_answer(
            second, transcript=GAP, words=[],
            coverage=Zero(), delivery=None, duration_s=9.0,
        )  # fmt: skip
        store.end_session(session)
    return store


class ReviewApp(App):
    def __init__(self, store: Store, screen: str = "review") -> None:
        super().__init__()
        self.store, self.start = store, screen

    def on_mount(self) -> None:
        if self.start == "review":
            self.push_screen(ReviewScreen(self.store))
        else:
            self.push_screen(ProgressScreen(self.store))


def static_text(screen, selector: str) -> Text:
    return screen.query_one(selector, Static).render()


async def test_lists_sessions_and_opens_one_with_literal_highlighted_text(store: Store) -> None:
    app = ReviewApp(store)
    async with app.run_test(size=(140, 50)) as pilot:
        screen = app.screen
        await until(pilot, lambda: screen.loaded)
        assert screen.query_one("#sessions", DataTable).row_count == 2
        await pilot.press("enter")
        await until(pilot, lambda: isinstance(app.screen, SessionScreen) and app.screen.loaded)
        detail = app.screen
        text = detail.shown_transcript
        assert text.plain == SAID  # the brackets stay, nothing parsed as markup
        marked = [text.plain[s.start : s.end] for s in text.spans if "reverse" in str(s.style)]
        assert any("wrong assumptions" in m for m in marked)
        assert Q1.text in static_text(detail, "#question").plain
        assert "Bias is the error" in static_text(detail, "#model").plain
        await pilot.press("escape")
        assert isinstance(app.screen, ReviewScreen)


def test_the_word_being_spoken_is_marked_from_word_times(store: Store) -> None:
    answer = store.get_session(1).answers[0]
    at = transcript_text(answer, position_s=0.22)  # the third word: "bias"
    spoken = [at.plain[s.start : s.end] for s in at.spans if "underline" in str(s.style)]
    assert spoken == ["bias"]
    assert not [s for s in transcript_text(answer).spans if "underline" in str(s.style)]


async def test_rescore_compare_and_delete(store: Store, tmp_path: Path) -> None:
    app = ReviewApp(store)
    async with app.run_test(size=(140, 50)) as pilot:
        await until(pilot, lambda: app.screen.loaded)
        await pilot.press("enter")
        await until(pilot, lambda: isinstance(app.screen, SessionScreen) and app.screen.loaded)
        detail = app.screen
        await pilot.press("down")  # the Q2 answer, stored with a stale 0% score
        assert detail.answer.question == 2
        stale = detail.answer.id
        await pilot.press("r")
        await until(pilot, lambda: (store.get_answer(stale).coverage or 0) > 0.3)
        await pilot.press("c")
        await until(pilot, lambda: "Every attempt" in static_text(detail, "#compare").plain)
        assert "(2)" in static_text(detail, "#compare").plain
        await pilot.press("escape")
        review = app.screen
        await pilot.press("d")
        assert "again" in static_text(review, "#status").plain
        victim = review.selected()
        await pilot.press("d")
        await until(pilot, lambda: store.get_session(victim) is None)
        await until(pilot, lambda: review.query_one("#sessions", DataTable).row_count == 1)
        assert not (tmp_path / "audio" / str(victim)).exists()


async def test_typed_answer_says_there_is_no_recording(store: Store) -> None:
    app = ReviewApp(store)
    async with app.run_test(size=(140, 50)) as pilot:
        await until(pilot, lambda: app.screen.loaded)
        await pilot.press("enter")
        await until(pilot, lambda: isinstance(app.screen, SessionScreen) and app.screen.loaded)
        await pilot.press("down", "space")
        assert "No recording" in static_text(app.screen, "#playback").plain


async def test_progress_shows_stats_and_the_weakest(store: Store) -> None:
    app = ReviewApp(store, "progress")
    async with app.run_test(size=(140, 50)) as pilot:
        await until(pilot, lambda: app.screen.loaded)
        assert app.screen.query_one("#stats", DataTable).row_count == 2
        weakest = static_text(app.screen, "#weakest").plain
        assert weakest.startswith("Weakest questions: Q2 (0%)")
        # FSRS: answered today, so recalled for sure now; Q2 failed twice, due tomorrow.
        table = app.screen.query_one("#stats", DataTable)
        rows = {str(table.get_row_at(n)[0]): table.get_row_at(n) for n in range(table.row_count)}
        tomorrow = date.today() + timedelta(days=1)
        assert [str(c) for c in rows["Q2"][-2:]] == [
            "100% likely to recall",
            f"{tomorrow:%d %b %Y}",
        ]
        assert str(rows["Q1"][-2]) == "100% likely to recall"


async def test_a_follow_up_shows_under_its_answer_and_re_scores_with_it(tmp_path: Path) -> None:
    from simulator.followup import FollowUp, combine, scoring_question

    store = Store.open(tmp_path / "follow-ups.sqlite3")
    session = store.start_session(BANK.name, str(builtin_bank_path()), "typed", {})
    said = "Bias is the error from wrong assumptions."
    later = "It is sensitive to small fluctuations in the training data."
    first = coverage(Q1, said)
    missing = tuple(k.label for k in first.key_points if k.credit < 1)
    prompt = Q1.key_points[1].follow_up
    own = coverage(
        scoring_question(Q1, FollowUp(prompt, Q1.key_points[1].label, missing, True)), later
    )
    parent = store.start_answer(session, 1, Q1.topic, "typed")
    store.finish_answer(
        parent, transcript=said, words=[], coverage=Zero(), delivery=None, duration_s=5
    )  # a stale score: re-scoring must bring back what the follow-up added
    child = store.start_answer(
        session, 1, Q1.topic, "typed", parent_id=parent, prompt=prompt, probed=missing[0]
    )
    store.finish_answer(
        child, transcript=later, words=[], coverage=own, delivery=None, duration_s=4
    )
    app = ReviewApp(store)
    async with app.run_test(size=(140, 50)) as pilot:
        await until(pilot, lambda: app.screen.loaded)
        await pilot.press("enter")
        await until(pilot, lambda: isinstance(app.screen, SessionScreen) and app.screen.loaded)
        detail = app.screen
        table = detail.query_one("#answers", DataTable)
        assert [str(table.get_row_at(n)[0]) for n in range(2)] == ["Q1", "Q1 ↳ follow-up"]
        await pilot.press("down")
        header = static_text(detail, "#question").plain
        assert f"Follow-up: {prompt}" in header and "still-missing key points" in header
        await pilot.press("r")  # re-scores the answer with its follow-up
        expected = combine(first, own).coverage
        await until(pilot, lambda: abs((store.get_answer(parent).coverage or 0) - expected) < 1e-6)
        assert store.get_answer(parent).assisted
        await pilot.press("up")
        await until(pilot, lambda: "(in the follow-up)" in static_text(detail, "#question").plain)
