"""The interview screen: one question, read aloud, answered by voice or typed, against a clock.

Voice: Space starts and stops recording to a file in the session's audio folder; blocks feed
the live transcriber so the words appear as they are spoken; the level meter shows the input.
Typed: a text area autosaved as a draft; Ctrl+S submits. Either way the answer clock counts
down, turns to a warning near the end and stops the answer at zero (or marks the overtime).
A follow-up (``session.follow_up``) is asked on this screen like a question: shown under the
question it follows, read aloud, answered, and scored against ``session.scoring_question``.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from rich.text import Text
from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.screen import Screen
from textual.timer import Timer
from textual.widgets import Footer, Label, Static, TextArea

from simulator.answering import NotTranscribed, VoiceAnswer
from simulator.session import Attempt, Session, State
from simulator.tui.messages import (
    AnswerScored,
    MicrophoneFailed,
    PartialTranscript,
    RecordingStopped,
    ScoringFailed,
    VoiceReady,
)
from simulator.tui.widgets.highlight import literal
from simulator.tui.widgets.meters import AnswerClock, LevelMeter, SessionClock

if TYPE_CHECKING:
    from audio.microphone import Recording
    from simulator.assess import Feedback
    from simulator.tui.app import InterviewApp

DRAFT_DELAY_S = 0.6
MAX_TYPED_CHARS = 100_000
"""A typed answer longer than this (a pasted document) is refused with a message, not scored."""


class InterviewScreen(Screen[None]):
    """Ask the current question of ``session`` and take the answer."""

    BINDINGS = [
        Binding("space", "toggle_recording", "Record / stop", id="record"),
        Binding("ctrl+s", "submit", "Submit", id="submit", priority=True),
        Binding("ctrl+r", "read_again", "Read again", id="read_again"),
        Binding("r", "read_again", "Read again", id="read_again_r", show=False),
        Binding("ctrl+t", "switch_to_typed", "Type instead", id="type_instead"),
        Binding("ctrl+n", "skip", "Skip", id="skip"),
        Binding("ctrl+e", "finish", "End session", id="finish"),
    ]
    app: InterviewApp

    def __init__(self, session: Session) -> None:
        super().__init__()
        self.session = session
        self.mode = session.settings.mode
        self.answer: VoiceAnswer | None = None
        """The spoken answer being taken, if any."""
        self._tick: Timer | None = None
        self._draft_timer: Timer | None = None
        self._busy = False
        self._submit_pending = False
        self._spoken = False

    # -- layout ---------------------------------------------------------------------------
    def compose(self) -> ComposeResult:
        session = self.session
        question = session.question
        heading = Text(f"Q{question.number} · {question.topic} · {session.position}")
        if session.settings.exam:
            heading.append(" · exam")
        if session.follow_up is not None:
            heading.append(" · follow-up", style="bold")
        with Horizontal(id="topbar"):
            yield Label(heading, id="question-meta")
            yield SessionClock(id="session-clock")
        with VerticalScroll(id="question-box"):
            if session.follow_up is not None:
                yield Static(literal(question.text), id="followed-question")
            yield Static(literal(session.asked), id="question-text")
        with Vertical(id="answer-box"):
            yield Label("", id="status")
            yield LevelMeter(id="level")
            yield Static(literal(""), id="live-text")
            yield TextArea(id="typed-answer", soft_wrap=True, show_line_numbers=False)
        with Horizontal(id="bottombar"):
            yield AnswerClock(id="answer-clock")
            yield Label("", id="hint")
        yield Footer()

    def on_mount(self) -> None:
        clock = self.query_one(AnswerClock)
        clock.warning_s = self.app.config.interview.warning_s
        self._show_mode()
        self._refresh_clocks()
        self._tick = self.set_interval(0.25, self._refresh_clocks)
        if self.mode == "voice" or self.session.settings.mode == "voice":
            self.set_interval(0.1, self._refresh_level)
        if self.session.settings.read_aloud:
            self.call_after_refresh(self.action_read_again)
        problem = self.app.microphone_error
        if self.mode == "voice" and problem:
            self.action_switch_to_typed(problem)

    def _show_mode(self) -> None:
        typed = self.mode == "typed"
        area = self.query_one("#typed-answer", TextArea)
        area.display = typed
        # Hidden is not enough: the screen's auto-focus could give the hidden text area the
        # focus, and then Space typed a blank "typed answer" instead of starting the recording
        # (the screen showed "Press Space" while the answer clock ran; the old e2e flake).
        area.disabled = not typed
        if not typed and self.focused is area:
            self.set_focus(None)
        self.query_one("#level").display = not typed
        self.query_one("#live-text").display = not typed
        self.set_class(typed, "-typed")
        if typed:
            self.query_one("#typed-answer", TextArea).focus()
            self._status("Type your answer. Ctrl+S submits.")
            self.query_one("#hint", Label).update(
                f"{self._key('submit', 'ctrl+s')} submit · {self._key('keys', 'f1')} keys"
            )
        else:
            self._status("Press Space to start answering out loud.")
            self.query_one("#hint", Label).update(
                f"{self._key('record', 'space')} record/stop · {self._key('keys', 'f1')} keys"
            )

    def _key(self, binding_id: str, fallback: str) -> str:
        """The key bound now to ``binding_id`` (after the user's keymap), for the hint line."""
        for key, active in self.active_bindings.items():
            if active.binding.id == binding_id:
                return key
        return fallback

    def _status(self, text: str, style: str = "") -> None:
        self.query_one("#status", Label).update(Text(text, style=style))

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action == "toggle_recording":
            return self.mode == "voice"
        if action == "submit":
            return self.mode == "typed" or self.session.state is State.ANSWERING
        if action == "switch_to_typed":
            return self.mode == "voice" and self.session.state is State.ASKING
        if action == "read_again":
            return self.app.voice is not None
        return True

    # -- clocks ---------------------------------------------------------------------------
    def _refresh_clocks(self) -> None:
        session = self.session
        self.query_one(SessionClock).elapsed = session.elapsed_s()
        if session.state is State.ASKING:
            remaining = float(session.settings.time_limit_s)
        else:
            remaining = session.remaining_s()
        self.query_one(AnswerClock).remaining = remaining
        overdue = session.state is State.ANSWERING and remaining <= 0
        if overdue and not session.settings.allow_overtime:
            self._time_up()

    def _time_up(self) -> None:
        if self._busy:
            return
        self.notify("Time is up.", severity="warning", markup=False)
        if self.mode == "voice":
            self.action_toggle_recording()
        else:
            self.action_submit()

    def _refresh_level(self) -> None:
        answer = self.answer
        self.query_one(LevelMeter).dbfs = answer.level_dbfs if answer is not None else -100.0

    # -- speaking the question ------------------------------------------------------------
    def action_read_again(self) -> None:
        if self.session.state is not State.ASKING:
            return
        if self.app.speak(self.session.asked):
            self._spoken = True

    def on_voice_ready(self, message: VoiceReady) -> None:
        """The speech engine came up after this screen painted: read the question now."""
        message.stop()  # the app sent it here; it must not bubble back
        self.refresh_bindings()
        if self.session.settings.read_aloud and not self._spoken:
            self.action_read_again()

    # -- typed answers --------------------------------------------------------------------
    @on(TextArea.Changed, "#typed-answer")
    def _typed(self, event: TextArea.Changed) -> None:
        if self.mode != "typed":
            return
        if self.session.state is State.ASKING and event.text_area.text:
            self._begin_answer("typed")
        if self.session.state is State.ANSWERING:
            if self._draft_timer is not None:
                self._draft_timer.stop()
            self._draft_timer = self.set_timer(DRAFT_DELAY_S, self._save_draft)

    def _save_draft(self) -> None:
        attempt = self.session.attempt
        if attempt is not None and self.session.state is State.ANSWERING:
            text = self.query_one("#typed-answer", TextArea).text
            self.app.journal.draft(attempt, text)

    def _begin_answer(self, mode: str) -> None:
        self.app.stop_speaking()
        attempt = self.session.start_answer(mode)
        self.app.journal.answer_started(self.session, attempt)

    def action_submit(self) -> None:
        if self.mode == "voice":
            if self.session.state is State.ANSWERING:
                self.action_toggle_recording()
            return
        if self._busy or self._submit_pending:
            return
        # Ctrl+S is a priority binding: the app runs it as soon as it reads the key, while the
        # keys (or the paste) that came before it in the same burst are still queued for the
        # text area. Read the text from the text area's own queue, after those keys.
        self._submit_pending = True
        self.query_one("#typed-answer", TextArea).call_later(self._submit_typed)

    def _submit_typed(self) -> None:
        self._submit_pending = False
        if self._busy or self.mode != "typed":
            return
        if self.session.state not in (State.ASKING, State.ANSWERING):
            return
        text = self.query_one("#typed-answer", TextArea).text
        if len(text) > MAX_TYPED_CHARS:
            self._save_draft()
            self._status(
                f"This answer is {len(text):,} characters; answers are scored up to "
                f"{MAX_TYPED_CHARS:,} (a 20-minute answer is about 20,000). Shorten it; "
                "it is kept as a draft.",
                "bold red",
            )
            return
        if self.session.state is State.ASKING:
            if not text.strip():
                self._status("Type an answer first (Ctrl+N skips the question).", "bold")
                return
            self._begin_answer("typed")
        self.session.stop_answer()  # the clock stops at the key press, not when scored
        self._busy = True
        self._status("Scoring…")
        self._score(text)

    def action_switch_to_typed(self, reason: str | None = None) -> None:
        if reason:
            self.app.say_once(f"{reason}; switching to typed answers")
        self.mode = "typed"
        self._show_mode()
        self.refresh_bindings()

    # -- voice answers --------------------------------------------------------------------
    def action_toggle_recording(self) -> None:
        if self.mode != "voice" or self._busy:
            return
        self.call_after_refresh(self.refresh_bindings)  # Submit shows while recording
        state = self.session.state
        if state is State.ASKING:
            app = self.app
            if app.model_state == "failed":
                self.action_switch_to_typed(app.model_error)
                return
            attempt_no = 1 + sum(
                1 for a in self.session.attempts if a.question is self.session.question
            )
            app.stop_speaking()
            attempt = self.session.start_answer("voice")
            self._status("Recording… Space stops.", "bold")
            answer = VoiceAnswer(
                self.session.scoring_question,
                on_partial=self._heard,
                on_stopped=self._recorder_ended,
            )
            self.answer = answer
            self._record(answer, attempt, attempt_no)
        elif state is State.ANSWERING:
            self._busy = True
            self._status("Transcribing…")
            self._stop_recording()

    @work(thread=True, exclusive=True, exit_on_error=False, group="record")
    def _record(self, answer: VoiceAnswer, attempt: Attempt, attempt_no: int) -> None:
        """Start recording at once; connect the live transcription when the model is there."""
        try:
            self._record_now(answer, attempt, attempt_no)
        finally:
            answer.settle()

    def _record_now(self, answer: VoiceAnswer, attempt: Attempt, attempt_no: int) -> None:
        from audio.microphone import MicrophoneUnavailable, parse_device

        app = self.app
        try:
            app.journal.wait_for_session()
            path = app.journal.audio_path(self.session, attempt_no)
            answer.start_recording(path, parse_device(app.config.audio.input_device))
        except MicrophoneUnavailable as error:
            self.post_message(MicrophoneFailed(str(error)))
            return
        except Exception as error:
            self.post_message(MicrophoneFailed(f"cannot record: {error}"))
            return
        attempt.audio_path = path
        app.journal.answer_started(self.session, attempt)
        if app.transcriber is None:
            self.post_message(PartialTranscript("(the speech model is loading; keep talking)"))
        app.load_model_blocking()
        transcriber = app.transcriber
        if transcriber is None:
            self.post_message(PartialTranscript(f"(recording only: {app.model_error})"))
            return
        answer.listen(transcriber)

    def _heard(self, text: str) -> None:
        """From the decoder thread: the words so far."""
        self.post_message(PartialTranscript(text))

    def _recorder_ended(self, recording: Recording) -> None:
        """From the recorder's thread: it stopped by itself (device error, maximum length)."""
        self.post_message(RecordingStopped(recording))

    def on_microphone_failed(self, message: MicrophoneFailed) -> None:
        if self.session.state in (State.ANSWERING, State.TRANSCRIBING):
            self.session.cancel_answer()
        self._busy = False
        self.answer = None
        self.action_switch_to_typed(message.reason)

    @on(PartialTranscript)
    def _partial(self, message: PartialTranscript) -> None:
        self.query_one("#live-text", Static).update(literal(message.text))

    @work(thread=True, exclusive=True, exit_on_error=False, group="transcribe")
    def _stop_recording(self) -> None:
        answer = self.answer
        if answer is None:
            return
        recording = answer.stop()
        if recording is None:  # it never started: the microphone failure is being reported
            return
        answer.wait_settled(60)  # the model may still be loading; the words wait for it
        self.answer = None
        self.post_message(RecordingStopped(recording))
        app = self.app
        try:
            feedback = answer.finish(recording, app.transcriber, app.model_error)
        except NotTranscribed as error:
            self.post_message(ScoringFailed("", str(error)))
            return
        except Exception as error:
            self.post_message(ScoringFailed("", f"cannot transcribe the answer: {error}"))
            return
        self.post_message(AnswerScored(feedback))

    def on_recording_stopped(self, message: RecordingStopped) -> None:
        recording: Recording | None = message.recording
        if self.session.state is State.ANSWERING and not self._busy:
            # stopped by itself: transcribe and score what was recorded
            self._busy = True
            self._status("The recording stopped; transcribing what was said…")
            self._stop_recording()
        if self.session.state is State.ANSWERING:
            self.session.stop_answer()
        if recording is not None and recording.error:
            self.app.say_once(
                f"the recording stopped early: {recording.error}; what was said is kept and "
                "scored, and the next questions are typed"
            )
            if recording.stopped_by == "device_error":  # the sound server or device is gone
                self.app.microphone_error = f"the microphone stopped ({recording.error})"

    # -- scoring --------------------------------------------------------------------------
    @work(thread=True, exclusive=True, exit_on_error=False, group="score")
    def _score(self, text: str) -> None:
        try:
            from simulator.assess import assess_text

            feedback = assess_text(self.session.scoring_question, text)
        except Exception as error:
            self.post_message(ScoringFailed(text, f"cannot score the answer: {error}"))
            return
        self.post_message(AnswerScored(feedback))

    def on_answer_scored(self, message: AnswerScored) -> None:
        self._busy = False
        feedback: Feedback = message.feedback
        attempt = self.session.submit(feedback.transcript, feedback.coverage, feedback.delivery)
        self.app.journal.answer_finished(attempt, feedback.words or None)
        self._moved_on()

    def _moved_on(self) -> None:
        """Show where the session went: a follow-up, feedback, the next question (an exam),
        or the summary, whose end is then written."""
        if self.session.state is State.SUMMARY:
            self.app.end_session()
        self.app.show_session()

    def on_scoring_failed(self, message: ScoringFailed) -> None:
        self._busy = False
        self._status(message.reason, "bold red")
        self.notify(message.reason, severity="error", markup=False)
        if self.session.state in (State.ANSWERING, State.TRANSCRIBING):
            attempt = self.session.submit(message.transcript, None)
            self.app.journal.answer_finished(attempt)
            self._moved_on()

    # -- leaving --------------------------------------------------------------------------
    def action_skip(self) -> None:
        if self.session.state is not State.ASKING:
            return
        self.app.stop_speaking()
        self.session.skip()
        self._moved_on()

    def action_finish(self) -> None:
        self.save_before_quit()
        self.app.end_session()
        self.app.show_session()

    def save_before_quit(self) -> None:
        """Keep what exists: the typed draft, or stop the recording (its file stays) and keep
        the words heard so far as the draft (recovery transcribes the whole file again)."""
        if self.session.state is not State.ANSWERING:
            return
        if self.mode == "typed":
            self._save_draft()
        elif self.answer is not None:
            self.answer.stop_quietly()
            live = self.answer.live
            attempt = self.session.attempt
            heard = live.partial_text.strip() if live is not None else ""
            if heard and attempt is not None:
                self.app.journal.draft(attempt, heard)

    def on_unmount(self) -> None:
        if self.answer is not None:
            self.answer.stop_quietly()
