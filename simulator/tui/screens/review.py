"""Past sessions: a list, one session's answers with playback, re-scoring and comparison.

:class:`ReviewScreen` lists sessions (newest first); Enter opens :class:`SessionScreen`, where
each answer shows its question, its transcript with the covered key points highlighted, the
model answer, and plays its recording with the word being spoken highlighted (from the stored
word times and the player's position, refreshed by a timer). Every store call runs in a thread
worker; user text is always ``rich.text.Text`` styled by character spans, never markup.
"""

from __future__ import annotations

from contextlib import suppress
from typing import TYPE_CHECKING, Any

from rich.text import Text
from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, VerticalScroll
from textual.screen import Screen
from textual.widgets import DataTable, Footer, Header, Static

from content.bank import Bank, Question
from simulator.format import mmss, percent
from simulator.highlight import (
    IN_OTHER_WORDS,
    answer_marks,
    assists,
    in_other_words,
    point_sign,
    point_state,
    transcript_marks,
)
from simulator.store import AnswerRecord, SessionRecord, SessionSummary, Store, StoreError

if TYPE_CHECKING:
    from audio.player import Player

COVERED_STYLE = "bold green reverse"
SPOKEN_STYLE = "bold yellow underline"
SEEK_S = 5.0


def word_offsets(
    transcript: str, words: list[dict[str, Any]]
) -> list[tuple[float, float, int, int]]:
    """(start s, end s, start char, end char) of each timed word found in order in the text."""
    found: list[tuple[float, float, int, int]] = []
    lowered = transcript.casefold()
    at = 0
    for word in words:
        token = str(word.get("text", "")).strip().casefold()
        if not token:
            continue
        index = lowered.find(token, at)
        if index < 0:
            continue
        found.append(
            (float(word.get("start", 0.0)), float(word.get("end", 0.0)), index, index + len(token))
        )
        at = index + len(token)
    return found


def transcript_text(answer: AnswerRecord, position_s: float | None = None) -> Text:
    """The transcript as written: covered key points highlighted, the spoken word marked."""
    text = answer.transcript or answer.draft
    shown = Text(text or "(nothing was said)", end="")
    if not text:
        shown.stylize("dim")
        return shown
    for mark in transcript_marks(answer.scored, text):
        shown.stylize(COVERED_STYLE, mark.start, mark.end)
    if position_s is not None:
        for start, end, first, last in word_offsets(text, answer.words):
            if start <= position_s < max(end, start + 0.05):
                shown.stylize(SPOKEN_STYLE, first, last)
                break
    return shown


def answer_header(answer: AnswerRecord, question: Question | None) -> Text:
    title = Text(f"Q{answer.question}. ", style="bold", end="")
    title.append(question.text if question else "(this question is no longer in the bank)")
    if answer.is_follow_up:
        title.append("\nFollow-up: ", style="bold")
        title.append(answer.prompt)
    points = answer.scored.key_points if answer.scored else ()
    covered = sum(1 for p in points if p.covered)
    what = "still-missing key points" if answer.is_follow_up else "key points"
    helped = " · assisted" if answer.assisted else ""
    title.append(
        f"\n{answer.topic} · {answer.status} · {answer.mode} · {mmss(answer.duration_s)}"
        f" · coverage {percent(answer.coverage)} ({covered}/{len(points)} {what}){helped}",
        style="dim",
    )
    for point in points:
        style = {"covered": "green", "partly": "yellow", "missed": "red"}[point_state(point)]
        title.append(f"\n{point_sign(point)} ", style=style)
        title.append(point.label)
        if point.hinted:
            title.append(" (hinted)", style="dim")
        if point.follow_up:
            title.append(" (in the follow-up)", style="italic")
        if in_other_words(point):
            title.append(f" ({IN_OTHER_WORDS})", style="dim")
    if answer.scored is not None and answer.scored.assisted:
        title.append(f"\nAssisted: {assists(answer.scored)}", style="dim")
    return title


class ReviewScreen(Screen[None]):
    """The list of past sessions."""

    BINDINGS = [
        Binding("enter", "open", "Open", show=True),
        Binding("d", "delete", "Delete", show=True),
        Binding("p", "progress", "Progress", show=True),
        Binding("escape", "back", "Back", show=True),
    ]
    DEFAULT_CSS = """
    ReviewScreen #sessions { height: 1fr; }
    ReviewScreen #status { height: auto; padding: 0 1; }
    """

    def __init__(self, store: Store) -> None:
        super().__init__()
        self.store = store
        self.sessions: list[SessionSummary] = []
        self.loaded = False
        self._confirm_delete: int | None = None

    def compose(self) -> ComposeResult:
        yield Header()
        yield DataTable(id="sessions", cursor_type="row", zebra_stripes=True)
        yield Static(Text("loading the history…"), id="status")
        yield Footer()

    def on_mount(self) -> None:
        table = self.query_one("#sessions", DataTable)
        table.add_columns("Date", "Bank", "Questions", "Answers", "Coverage", "Time", "")
        self.load()

    @work(thread=True, exclusive=True, exit_on_error=False, group="review")
    def load(self) -> None:
        try:
            sessions = self.store.list_sessions()
        except StoreError as error:
            self.app.call_from_thread(self._say, str(error))
            return
        self.app.call_from_thread(self._show, sessions)

    def _say(self, message: str) -> None:
        self.query_one("#status", Static).update(Text(message))

    def _show(self, sessions: list[SessionSummary]) -> None:
        self.sessions = sessions
        table = self.query_one("#sessions", DataTable)
        table.clear()
        for s in sessions:
            table.add_row(
                s.started_at[:16].replace("T", " "),
                Text(s.bank_name),
                str(s.questions),
                str(s.answers),
                percent(s.mean_coverage),
                mmss(s.duration_s),
                Text("interrupted", style="yellow") if s.interrupted else "",
                key=str(s.id),
            )
        count = len(sessions)
        self._say(
            f"{count} session{'s' if count != 1 else ''}. Enter opens one, d deletes, p progress."
            if count
            else "No sessions yet: answer a few questions, then come back."
        )
        self.loaded = True

    def selected(self) -> int | None:
        table = self.query_one("#sessions", DataTable)
        if not self.sessions or table.cursor_row < 0:
            return None
        return self.sessions[min(table.cursor_row, len(self.sessions) - 1)].id

    @on(DataTable.RowSelected, "#sessions")
    def _row_selected(self, event: DataTable.RowSelected) -> None:
        self.action_open()

    def action_open(self) -> None:
        session_id = self.selected()
        if session_id is not None:
            self.app.push_screen(SessionScreen(self.store, session_id))

    def action_delete(self) -> None:
        session_id = self.selected()
        if session_id is None:
            return
        if self._confirm_delete != session_id:
            self._confirm_delete = session_id
            self._say(f"Press d again to delete session {session_id} and its recordings.")
            return
        self._confirm_delete = None
        self.delete(session_id)

    @work(thread=True, exit_on_error=False, group="review")
    def delete(self, session_id: int) -> None:
        try:
            self.store.delete_session(session_id)
        except StoreError as error:
            self.app.call_from_thread(self._say, str(error))
            return
        self.app.call_from_thread(self.notify, f"deleted session {session_id}", markup=False)
        self.app.call_from_thread(self.load)

    def action_progress(self) -> None:
        from simulator.tui.screens.progress import ProgressScreen

        self.app.push_screen(ProgressScreen(self.store))

    def action_back(self) -> None:
        self.app.pop_screen()


class SessionScreen(Screen[None]):
    """One session: its answers, each with transcript, model answer and playback."""

    BINDINGS = [
        Binding("space", "toggle_play", "Play/pause", show=True),
        Binding("left", "seek(-1)", "Back 5 s", show=True),
        Binding("right", "seek(1)", "Forward 5 s", show=True),
        Binding("r", "rescore", "Re-score", show=True),
        Binding("c", "compare", "Compare attempts", show=True),
        Binding("escape", "back", "Back", show=True),
    ]
    DEFAULT_CSS = """
    SessionScreen #answers { width: 40; height: 1fr; }
    SessionScreen #detail { width: 1fr; height: 1fr; padding: 0 1; }
    SessionScreen .part { margin-bottom: 1; height: auto; }
    SessionScreen #playback { height: auto; padding: 0 1; }
    """

    def __init__(self, store: Store, session_id: int) -> None:
        super().__init__()
        self.store = store
        self.session_id = session_id
        self.record: SessionRecord | None = None
        self.bank: Bank | None = None
        self.loaded = False
        self.player: Player | None = None
        self.shown_transcript = Text("")
        """The transcript as last drawn (for tests and snapshots)."""
        self._player_for: int | None = None

    def compose(self) -> ComposeResult:
        yield Header()
        with Horizontal():
            yield DataTable(id="answers", cursor_type="row")
            with VerticalScroll(id="detail"):
                yield Static(id="question", classes="part")
                yield Static(Text("Transcript", style="bold"), classes="part")
                yield Static(id="transcript", classes="part")
                yield Static(id="compare", classes="part")
                yield Static(Text("Model answer", style="bold"), classes="part")
                yield Static(id="model", classes="part")
        yield Static(id="playback")
        yield Footer()

    def on_mount(self) -> None:
        self.query_one("#answers", DataTable).add_columns("Q", "Status", "Coverage", "Time")
        self.set_interval(0.1, self._tick)
        self.load()

    def on_unmount(self) -> None:
        self._stop_player()

    # -- loading ------------------------------------------------------------------------
    @work(thread=True, exclusive=True, exit_on_error=False, group="session")
    def load(self) -> None:
        from simulator.report import session_bank

        try:
            record = self.store.get_session(self.session_id)
        except StoreError as error:
            self.app.call_from_thread(self._playback, str(error))
            return
        bank = session_bank(record) if record is not None else None
        self.app.call_from_thread(self._show, record, bank)

    def _show(self, record: SessionRecord | None, bank: Bank | None) -> None:
        if record is None:
            self.notify(f"no session {self.session_id}", severity="error", markup=False)
            self.app.pop_screen()
            return
        self.record, self.bank = record, bank
        self.title = f"Session {record.id} · {record.bank_name} · {record.started_at[:16]}"
        table = self.query_one("#answers", DataTable)
        row = max(table.cursor_row, 0)
        table.clear()
        for answer in record.answers:
            table.add_row(
                f"Q{answer.question}" + (" ↳ follow-up" if answer.is_follow_up else ""),
                answer.status,
                percent(answer.coverage),
                mmss(answer.duration_s),
                key=str(answer.id),
            )
        if record.answers:
            table.move_cursor(row=min(row, len(record.answers) - 1))
        self._render_answer()
        self.loaded = True

    def question_of(self, answer: AnswerRecord) -> Question | None:
        if self.bank is None:
            return None
        try:
            return self.bank.question(answer.question)
        except KeyError:
            return None

    @property
    def answer(self) -> AnswerRecord | None:
        if self.record is None or not self.record.answers:
            return None
        table = self.query_one("#answers", DataTable)
        return self.record.answers[min(max(table.cursor_row, 0), len(self.record.answers) - 1)]

    @on(DataTable.RowHighlighted, "#answers")
    def _answer_changed(self, event: DataTable.RowHighlighted) -> None:
        if self.record is not None:
            self._stop_player()
            self.query_one("#compare", Static).update("")
            self._render_answer()

    def _render_answer(self) -> None:
        answer = self.answer
        if answer is None:
            self.query_one("#question", Static).update(Text("This session has no answers."))
            return
        question = self.question_of(answer)
        self.query_one("#question", Static).update(answer_header(answer, question))
        self.shown_transcript = transcript_text(answer, self._position())
        self.query_one("#transcript", Static).update(self.shown_transcript)
        model = Text(question.model_answer if question else "", end="")
        if question is not None:
            for mark in answer_marks(answer.scored, question.model_answer, missed=False):
                model.stylize(COVERED_STYLE, mark.start, mark.end)
        self.query_one("#model", Static).update(model)
        self._playback()

    # -- playback -----------------------------------------------------------------------
    def _position(self) -> float | None:
        answer = self.answer
        if self.player is None or self._player_for != (answer.id if answer else None):
            return None
        try:
            return float(self.player.position_s)
        except Exception:
            return None

    def _playback(self, message: str | None = None) -> None:
        answer = self.answer
        if message is None:
            if answer is None or answer.audio is None:
                message = "No recording for this answer (typed)."
            elif self._position() is None:
                message = f"Space plays {answer.audio.name} ({mmss(answer.duration_s)})."
            else:
                player = self.player
                state = "playing" if player is not None and player.is_playing else "paused"
                total = player.duration_s if player is not None else answer.duration_s
                message = f"{state} {mmss(self._position() or 0)} / {mmss(total)}"
                message += "  (space pause, ← → seek 5 s)"
        self.query_one("#playback", Static).update(Text(message))

    def _tick(self) -> None:
        if self.player is not None and self.answer is not None:
            self.shown_transcript = transcript_text(self.answer, self._position())
            self.query_one("#transcript", Static).update(self.shown_transcript)
            self._playback()

    def action_toggle_play(self) -> None:
        answer = self.answer
        if answer is None or answer.audio is None:
            self._playback("No recording for this answer.")
            return
        if self.player is not None and self._player_for == answer.id:
            self.player.toggle()
            self._playback()
            return
        self._stop_player()
        self.open_player(answer)

    @work(thread=True, exclusive=True, exit_on_error=False, group="player")
    def open_player(self, answer: AnswerRecord) -> None:
        if answer.audio is None or not answer.audio.is_file():
            self.app.call_from_thread(self._playback, f"The recording is missing: {answer.audio}")
            return
        try:
            from audio.player import Player

            player = Player(answer.audio)
            player.play()
        except Exception as error:  # no device, no module, unreadable file: say so, keep going
            reason = str(error).splitlines()[0] if str(error) else type(error).__name__
            self.app.call_from_thread(self._playback, f"Cannot play the recording: {reason}")
            return
        self.app.call_from_thread(self._player_ready, player, answer.id)

    def _player_ready(self, player: Player, answer_id: int) -> None:
        self.player, self._player_for = player, answer_id
        self._playback()

    def _stop_player(self) -> None:
        if self.player is not None:
            with suppress(Exception):
                self.player.stop()
        self.player, self._player_for = None, None

    def action_seek(self, direction: int) -> None:
        position, player = self._position(), self.player
        if position is None or player is None:
            return
        total = float(player.duration_s or 0.0)
        target = max(0.0, position + direction * SEEK_S)
        player.seek(min(target, total) if total else target)
        self._tick()

    # -- re-score and compare -----------------------------------------------------------
    def action_rescore(self) -> None:
        answer = self.answer
        if answer is None:
            return
        if answer.is_follow_up and self.record is not None:  # it is re-scored with its answer
            answer = next((a for a in self.record.answers if a.id == answer.parent_id), answer)
        question = self.question_of(answer)
        text = answer.transcript or answer.draft
        if question is None or not text:
            self.notify("nothing to re-score (no text or no such question)", markup=False)
            return
        self.rescore(answer, question, text)

    @work(thread=True, exit_on_error=False, group="session")
    def rescore(self, answer: AnswerRecord, question: Question, text: str) -> None:
        from simulator.followup import recovered, rescore

        later = self.record.follow_up_of(answer) if self.record is not None else None
        asked = None
        if later is not None and later.scored is not None:
            labels = tuple(k.label for k in later.scored.key_points)
            asked = (later.prompt, later.transcript or later.draft, labels)
        old = answer.scored
        scored, own = rescore(  # a hinted point stays capped; help given stays on the record
            question,
            text,
            asked,
            hinted=old.hinted if old is not None else frozenset(),
            model_answer_first=old is not None and old.model_answer_first,
        )
        try:
            helped = True if recovered(scored) else None  # None: a hint still counts
            self.store.rescore_answer(answer.id, scored, assisted=helped)
            if later is not None and own is not None:
                self.store.rescore_answer(later.id, own)
        except StoreError as error:
            self.app.call_from_thread(self._playback, str(error))
            return
        before = percent(answer.coverage)
        self.app.call_from_thread(
            self.notify,
            f"Q{answer.question}: {before} → {percent(scored.coverage)} with the current bank",
            markup=False,
        )
        self.app.call_from_thread(self.load)

    def action_compare(self) -> None:
        answer = self.answer
        if answer is not None and self.record is not None:
            self.compare(answer, self.record.bank_name)

    @work(thread=True, exclusive=True, exit_on_error=False, group="compare")
    def compare(self, answer: AnswerRecord, bank_name: str) -> None:
        try:
            attempts = self.store.answers_for_question(answer.question, answer.topic, bank_name)
        except StoreError as error:
            self.app.call_from_thread(self._playback, str(error))
            return
        self.app.call_from_thread(self._show_compare, answer, attempts)

    def _show_compare(self, answer: AnswerRecord, attempts: list[AnswerRecord]) -> None:
        shown = Text(f"Every attempt at Q{answer.question} ({len(attempts)})", style="bold")
        for other in attempts:
            points = other.scored.key_points if other.scored else ()
            covered = [p.label for p in points if p.covered]
            style = "reverse" if other.id == answer.id else ""
            shown.append(
                f"\n{other.created_at[:16].replace('T', ' ')}  {percent(other.coverage):>4}  "
                f"{len(covered)}/{len(points)} key points  ",
                style=style,
            )
            shown.append(", ".join(covered), style="dim")
        self.query_one("#compare", Static).update(shown)

    def action_back(self) -> None:
        self._stop_player()
        self.app.pop_screen()
