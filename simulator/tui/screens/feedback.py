"""The feedback screen: the user's answer beside the model answer, key points in matching colours.

Each covered key point gets one colour, used for its span in the transcript and its spans in
the model answer; missed key points are listed and underlined in the model answer. All text is
built as ``rich.text.Text`` with offsets, so what the user said or typed is shown literally.
An answer that had a follow-up shows it under the answer (the question asked, then what was
said, in the same colours), and the key points it brought are marked "in the follow-up". Opened
from an exam's summary (``from_summary``), the screen goes back there instead of moving on.
"""

from __future__ import annotations

import contextlib
from pathlib import Path
from typing import TYPE_CHECKING

from rich.text import Text
from textual import work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.screen import Screen
from textual.widgets import Footer, Label, Static

from simulator.format import mmss, percent
from simulator.highlight import (
    IN_OTHER_WORDS,
    PARTLY_SIGN,
    answer_marks,
    assists,
    in_other_words,
    scoring_note,
    transcript_marks,
)
from simulator.session import Attempt, Session
from simulator.tui.widgets.highlight import highlighted, literal, point_styles

if TYPE_CHECKING:  # scoring (numpy, rapidfuzz) is not imported before the first paint
    from audio.player import Player
    from content.questions import Question
    from simulator.scoring import Coverage
    from simulator.tui.app import InterviewApp


class FeedbackScreen(Screen[None]):
    """How an answer did, and what to do next."""

    BINDINGS = [
        Binding("n", "next", "Next", id="next"),
        Binding("t", "retry", "Try again", id="retry"),
        Binding("p", "play", "Play my answer", id="play"),
        Binding("a", "read_model", "Read model answer", id="read_model"),
        Binding("e", "finish", "End session", id="finish"),
        Binding("escape,b", "back", "Back to the summary", id="summary_back"),
    ]
    app: InterviewApp

    def __init__(
        self, session: Session, attempt: Attempt | None, *, from_summary: bool = False
    ) -> None:
        super().__init__()
        self.session = session
        self.attempt = attempt
        self.from_summary = from_summary
        self.player: Player | None = None

    @property
    def question(self) -> Question:
        return self.attempt.question if self.attempt is not None else self.session.question

    def compose(self) -> ComposeResult:
        attempt = self.attempt
        question = self.question
        coverage = attempt.coverage if attempt is not None else None
        transcript = attempt.transcript if attempt is not None else ""
        if self.from_summary:
            number = [q.number for q in self.session.questions].index(question.number) + 1
            position = f"{number}/{len(self.session.questions)}"
        else:
            position = self.session.position
        heading = Text(f"Q{question.number} · {question.topic} · {position}")
        if attempt is not None:
            heading.append(f" · {mmss(attempt.duration_s)}")
            over = attempt.duration_s - self.session.settings.time_limit_s
            if over >= 1:
                heading.append(f" · overtime +{mmss(over)}", style="bold")
        with Horizontal(id="topbar"):
            yield Label(heading, id="question-meta")
            if coverage is not None:
                yield Label(Text(f"Coverage {percent(coverage.coverage)}"), id="coverage")
            else:
                yield Label(Text("Not scored"), id="coverage")
        yield Static(literal(question.text), id="feedback-question")
        mine, model, points = self._texts(question.model_answer, transcript, coverage)
        if question.accepted_answers:
            model = Text.assemble(model, "\n\n", _accepted(question.accepted_answers, coverage))
        later = attempt.follow_up_attempt if attempt is not None else None
        if later is not None and later.follow_up is not None and coverage is not None:
            mine = Text.assemble(mine, "\n\n", self._follow_up_text(later, coverage))
        mine_pane = VerticalScroll(Static(mine, id="mine"), id="mine-pane", classes="pane")
        mine_pane.border_title = "Your answer"
        model_pane = VerticalScroll(Static(model, id="model"), id="model-pane", classes="pane")
        model_pane.border_title = "Model answer"
        yield Horizontal(mine_pane, model_pane, id="panes")
        with Vertical(id="points-box"):
            yield Static(points, id="points")
            readings = self._readings()
            if readings:
                yield Static(literal(" · ".join(readings)), id="delivery")
        yield Footer()

    def _texts(
        self, model_answer: str, transcript: str, coverage: Coverage | None
    ) -> tuple[Text, ...]:
        if coverage is None:
            empty = Text("(nothing to score)", style="dim")
            return literal(transcript) if transcript else empty, literal(model_answer), Text()
        results = list(coverage.key_points)
        styles = point_styles(self.app.theme_variables, len(results))
        error = self.app.theme_variables.get("error", "red")
        mine_spans = [(mark, styles[mark.point]) for mark in transcript_marks(coverage, transcript)]
        model_spans = [
            (mark, styles[mark.point] if mark.covered else f"underline {error}")
            for mark in answer_marks(coverage, model_answer)
        ]
        points = Text()
        for index, (point, style) in enumerate(zip(results, styles, strict=True)):
            hinted = ", hinted" if point.hinted else ""
            if point.covered:
                points.append("✓ ", style="bold")
                points.append(point.label, style=style)
                if hinted:
                    points.append(" (hinted)", style="dim")
            elif point.partly:
                points.append(f"{PARTLY_SIGN} ", style="bold")
                points.append(point.label, style=style)
                points.append(f" (partly{hinted})", style="dim")
            else:
                points.append("✗ ", style=f"bold {error}")
                points.append(point.label, style=f"{error}")
                points.append(f" (missed{hinted})", style="dim")
            if point.follow_up:
                points.append(" (in the follow-up)", style="italic")
            if in_other_words(point):
                points.append(f" ({IN_OTHER_WORDS})", style="dim")
            if index < len(results) - 1:
                points.append("\n")
        if coverage.assisted:
            points.append(f"\nAssisted: {assists(coverage)}", style="bold")
        note = scoring_note(coverage)
        if note:
            points.append(f"\n{note}", style="bold")
        mine = highlighted(transcript, mine_spans) if transcript else Text("(silence)", "dim")
        return mine, highlighted(model_answer, model_spans), points

    def _follow_up_text(self, later: Attempt, coverage: Coverage) -> Text:
        """The follow-up asked and its answer, its key points in the answer's colours."""
        assert later.follow_up is not None
        labels = [k.label for k in coverage.key_points]
        styles = point_styles(self.app.theme_variables, len(labels))
        text = Text("Follow-up: ", style="bold")
        text.append(later.follow_up.text, style="italic")
        text.append("\n")
        said = later.transcript
        if not said:
            text.append("(silence)", style="dim")
            return text
        marks = [
            (mark, styles[labels.index(mark.label)])
            for mark in transcript_marks(later.coverage, said)
            if mark.label in labels
        ]
        return Text.assemble(text, highlighted(said, marks))

    def _readings(self) -> list[str]:
        delivery = self.attempt.delivery if self.attempt is not None else None
        return list(delivery.readings) if delivery is not None else []

    # -- actions --------------------------------------------------------------------------
    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action == "play":
            return self.attempt is not None and self.attempt.audio_path is not None
        if action == "read_model":
            return self.app.voice is not None
        if action in ("next", "retry", "finish"):
            return not self.from_summary
        if action == "back":
            return self.from_summary
        return True

    def _leave(self) -> None:
        self._stop_audio()
        self.app.show_session()

    def action_back(self) -> None:
        self._stop_audio()
        self.app.pop_screen()

    def action_next(self) -> None:
        self.session.next()
        if self.session.state.value == "summary":
            self.app.end_session()
        self._leave()

    def action_retry(self) -> None:
        self.session.retry()
        self._leave()

    def action_finish(self) -> None:
        self.app.end_session()
        self._leave()

    def action_read_model(self) -> None:
        if self.player is not None and self.player.is_playing:
            self.player.pause()
        self.app.speak(self.question.model_answer)

    def action_play(self) -> None:
        """Play my recorded answer; again pauses and resumes; after the end, plays it again."""
        player = self.player
        if player is not None:
            if player.is_playing or player.is_paused:
                player.toggle()
            else:
                self._play(None)
            return
        if self.attempt is not None and self.attempt.audio_path is not None:
            self.app.stop_speaking()
            self._play(self.attempt.audio_path)

    @work(thread=True, exclusive=True, exit_on_error=False, group="play")
    def _play(self, path: Path | None) -> None:
        try:
            if path is not None:
                from audio.player import Player

                self.player = Player(path)
            if self.player is not None:
                self.player.play()
        except Exception as error:
            self.app.call_from_thread(
                self.notify, f"cannot play the answer: {error}", severity="error", markup=False
            )

    def _stop_audio(self) -> None:
        self.app.stop_speaking()
        if self.player is not None:
            with contextlib.suppress(Exception):
                self.player.stop()
                self.player.close()
            self.player = None

    def on_unmount(self) -> None:
        """Leaving (or quitting): no audio stream may outlive the screen that started it."""
        if self.player is not None:
            with contextlib.suppress(Exception):
                self.player.stop()
                self.player.close()
            self.player = None


def _accepted(answers: tuple[str, ...], coverage: Coverage | None) -> Text:
    """The question's other accepted answers under the model answer; the one the figure was
    read from (a bank with extracted key points) is marked."""
    agreement = coverage.agreement if coverage is not None else None
    closest = agreement.closest if agreement is not None else 0
    text = Text("Also accepted:", style="bold")
    for number, answer in enumerate(answers, start=1):
        text.append("\n• ")
        text.append(answer)
        if number == closest:
            text.append(" (closest to your answer)", style="italic")
    return text
