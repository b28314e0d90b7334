"""The interview screen: one question, read aloud, answered by voice or typed, against a clock.

Voice: Space starts and stops recording to a file in the session's audio folder; blocks feed
the live transcriber so the words appear as they are spoken; the level meter shows the input.
Typed: a text area autosaved as a draft; Ctrl+S submits. Either way the answer clock counts
down, turns to a warning near the end and stops the answer at zero (or marks the overtime).
"""

from __future__ import annotations

import contextlib
import threading
import time
from typing import Any

from rich.text import Text
from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.screen import Screen
from textual.timer import Timer
from textual.widgets import Footer, Label, Static, TextArea

from simulator.session import Session, State
from simulator.tui.messages import (
    AnswerScored,
    MicrophoneFailed,
    PartialTranscript,
    RecordingStopped,
    ScoringFailed,
)
from simulator.tui.relay import BlockRelay
from simulator.tui.widgets.highlight import literal
from simulator.tui.widgets.meters import AnswerClock, LevelMeter, SessionClock

DRAFT_DELAY_S = 0.6


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

    def __init__(self, session: Session) -> None:
        super().__init__()
        self.session = session
        self.mode = session.settings.mode
        self.recorder: Any = None
        self.live: Any = None
        self._tick: Timer | None = None
        self._draft_timer: Timer | None = None
        self._busy = False
        self._submit_pending = False
        self._spoken = False
        self._live_settled = threading.Event()
        self._live_settled.set()

    # -- layout ---------------------------------------------------------------------------
    def compose(self) -> ComposeResult:
        session = self.session
        question = session.question
        heading = Text(f"Q{question.number} · {question.topic} · {session.position}")
        with Horizontal(id="topbar"):
            yield Label(heading, id="question-meta")
            yield SessionClock(id="session-clock")
        with VerticalScroll(id="question-box"):
            yield Static(literal(question.text), id="question-text")
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
        clock.warning_s = self.app.config.interview.warning_s  # type: ignore[attr-defined]
        self._show_mode()
        self._refresh_clocks()
        self._tick = self.set_interval(0.25, self._refresh_clocks)
        if self.mode == "voice" or self.session.settings.mode == "voice":
            self.set_interval(0.1, self._refresh_level)
        if self.session.settings.read_aloud:
            self.call_after_refresh(self.action_read_again)
        problem = self.app.microphone_error  # type: ignore[attr-defined]
        if self.mode == "voice" and problem:
            self.action_switch_to_typed(problem)

    def _show_mode(self) -> None:
        typed = self.mode == "typed"
        self.query_one("#typed-answer").display = typed
        self.query_one("#level").display = not typed
        self.query_one("#live-text").display = not typed
        self.set_class(typed, "-typed")
        if typed:
            self.query_one("#typed-answer", TextArea).focus()
            self._status("Type your answer. Ctrl+S submits.")
            self.query_one("#hint", Label).update("ctrl+s submit · f1 keys")
        else:
            self._status("Press Space to start answering out loud.")
            self.query_one("#hint", Label).update("space record/stop · f1 keys")

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
            return self.app.voice is not None  # type: ignore[attr-defined]
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
        recorder = self.recorder
        level = float(getattr(recorder, "level_dbfs", -100.0)) if recorder is not None else -100.0
        self.query_one(LevelMeter).dbfs = level

    # -- speaking the question ------------------------------------------------------------
    def action_read_again(self) -> None:
        if self.session.state is not State.ASKING:
            return
        if self.app.speak(self.session.question.text):  # type: ignore[attr-defined]
            self._spoken = True

    def voice_ready(self) -> None:
        """The speech engine came up after this screen painted: read the question now."""
        self.refresh_bindings()
        if self.session.settings.read_aloud and not self._spoken:
            self.action_read_again()

    # -- typed answers --------------------------------------------------------------------
    @on(TextArea.Changed, "#typed-answer")
    def _typed(self, event: TextArea.Changed) -> None:
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
            self.app.record_draft(attempt, text)  # type: ignore[attr-defined]

    def _begin_answer(self, mode: str, audio_path: Any = None) -> None:
        self.app.stop_speaking()  # type: ignore[attr-defined]
        attempt = self.session.start_answer(mode, audio_path)
        self.app.record_start(attempt)  # type: ignore[attr-defined]

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
        if (
            self._busy
            or self.mode != "typed"
            or self.session.state
            not in (
                State.ASKING,
                State.ANSWERING,
            )
        ):
            return
        text = self.query_one("#typed-answer", TextArea).text
        if self.session.state is State.ASKING:
            if not text.strip():
                self._status("Type an answer first (Ctrl+N skips the question).", "bold")
                return
            self._begin_answer("typed")
        self.session.stop_answer()  # the clock stops at the key press, not when scored
        self._busy = True
        self._status("Scoring…")
        self._score(text, None)

    def action_switch_to_typed(self, reason: str | None = None) -> None:
        if reason:
            self.app.say_once(f"{reason}; switching to typed answers")  # type: ignore[attr-defined]
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
            if app.model_state == "failed":  # type: ignore[attr-defined]
                self.action_switch_to_typed(app.model_error)  # type: ignore[attr-defined]
                return
            attempt_no = 1 + sum(
                1 for a in self.session.attempts if a.question is self.session.question
            )
            app.stop_speaking()  # type: ignore[attr-defined]
            attempt = self.session.start_answer("voice")
            self._status("Recording… Space stops.", "bold")
            self._live_settled.clear()
            self.live = None
            self._record(attempt, attempt_no)
        elif state is State.ANSWERING:
            self._busy = True
            self._status("Transcribing…")
            self._stop_recording()

    @work(thread=True, exclusive=True, exit_on_error=False, group="record")
    def _record(self, attempt: Any, attempt_no: int) -> None:
        """Start recording at once; connect the live transcription when the model is there."""
        try:
            self._record_now(attempt, attempt_no)
        finally:
            self._live_settled.set()

    def _record_now(self, attempt: Any, attempt_no: int) -> None:
        app: Any = self.app
        relay = BlockRelay()
        try:
            from audio.microphone import MicrophoneUnavailable, Recorder

            app.wait_for_session()
            path = app.session_audio_path(attempt_no)
            device = app.config.audio.input_device or None
            if isinstance(device, str) and device.isdigit():
                device = int(device)
            recorder = Recorder(
                path, device=device, on_block=relay, on_stopped=self._recorder_ended
            )
            recorder.start()
        except MicrophoneUnavailable as error:
            self.post_message(MicrophoneFailed(str(error)))
            return
        except Exception as error:
            self.post_message(MicrophoneFailed(f"cannot record: {error}"))
            return
        attempt.audio_path = path
        app.record_start(attempt)
        self.recorder = recorder
        if app.transcriber is None:
            self.post_message(PartialTranscript("(the speech model is loading; keep talking)"))
        app.load_model_blocking()
        transcriber = app.transcriber
        if transcriber is None:
            self.post_message(PartialTranscript(f"(recording only: {app.model_error})"))
            return
        live = transcriber.live(hotwords=_hotwords(self.session.question))
        live.on_partial = lambda text: self.post_message(PartialTranscript(text))
        self.live = live
        relay.connect(live.feed)

    def _recorder_ended(self, recording: Any) -> None:
        """From the recorder's thread: it stopped by itself (device error, maximum length)."""
        if getattr(recording, "stopped_by", "user") != "user":
            self.post_message(RecordingStopped(recording))

    def on_microphone_failed(self, message: MicrophoneFailed) -> None:
        if self.session.state in (State.ANSWERING, State.TRANSCRIBING):
            self.session.cancel_answer()
        self._busy = False
        self.recorder = None
        self.action_switch_to_typed(message.reason)

    @on(PartialTranscript)
    def _partial(self, message: PartialTranscript) -> None:
        self.query_one("#live-text", Static).update(literal(message.text))

    @work(thread=True, exclusive=True, exit_on_error=False, group="transcribe")
    def _stop_recording(self) -> None:
        recorder = self.recorder
        deadline = time.monotonic() + 5
        while recorder is None and not self._live_settled.is_set():  # still starting
            if time.monotonic() > deadline:
                break
            time.sleep(0.05)
            recorder = self.recorder
        if recorder is None:  # it never started: the microphone failure is being reported
            return
        recording = recorder.stop()
        self._live_settled.wait(60)  # the model may still be loading; the words wait for it
        live = self.live
        self.recorder = None
        self.post_message(RecordingStopped(recording))
        app: Any = self.app
        question = self.session.question
        try:
            if live is not None:
                transcript = live.finish()
            elif app.transcriber is not None:
                transcript = app.transcriber.transcribe(
                    recording.path, hotwords=_hotwords(question)
                )
            else:
                where = f" ({recording.path})"
                reason = app.model_error or "the speech model is not loaded"
                self.post_message(
                    ScoringFailed("", f"the answer is saved{where} but not transcribed: {reason}")
                )
                return
            text = transcript.text.strip()
            words = [_word_dict(w) for w in getattr(transcript, "words", []) or []]
            try:
                from simulator.delivery import analyse

                delivery = analyse(transcript)
            except ImportError:
                delivery = None
            from simulator.scoring import coverage

            result = coverage(question, text)
        except Exception as error:
            self.post_message(ScoringFailed("", f"cannot transcribe the answer: {error}"))
            return
        self.post_message(AnswerScored(text, result, delivery, words))

    def on_recording_stopped(self, message: RecordingStopped) -> None:
        recording = message.recording
        if self.session.state is State.ANSWERING and not self._busy:
            # stopped by itself: transcribe and score what was recorded
            self._busy = True
            self._status("The recording stopped; transcribing what was said…")
            self._stop_recording()
        if self.session.state is State.ANSWERING:
            self.session.stop_answer()
        if recording is not None and getattr(recording, "error", None):
            self.app.say_once(f"the recording stopped early: {recording.error}")  # type: ignore[attr-defined]

    # -- scoring --------------------------------------------------------------------------
    @work(thread=True, exclusive=True, exit_on_error=False, group="score")
    def _score(self, text: str, delivery: Any) -> None:
        try:
            from simulator.scoring import coverage

            result = coverage(self.session.question, text)
        except Exception as error:
            self.post_message(ScoringFailed(text, f"cannot score the answer: {error}"))
            return
        self.post_message(AnswerScored(text, result, delivery, None))

    def on_answer_scored(self, message: AnswerScored) -> None:
        self._busy = False
        attempt = self.session.submit(message.transcript, message.coverage, message.delivery)
        self.app.record_finish(attempt, message.words)  # type: ignore[attr-defined]
        self.app.show_session()  # type: ignore[attr-defined]

    def on_scoring_failed(self, message: ScoringFailed) -> None:
        self._busy = False
        self._status(message.reason, "bold red")
        self.notify(message.reason, severity="error", markup=False)
        if self.session.state in (State.ANSWERING, State.TRANSCRIBING):
            self.session.submit(message.transcript, None)
            self.app.record_finish(self.session.attempt)  # type: ignore[attr-defined]
            self.app.show_session()  # type: ignore[attr-defined]

    # -- leaving --------------------------------------------------------------------------
    def action_skip(self) -> None:
        if self.session.state is not State.ASKING:
            return
        self.app.stop_speaking()  # type: ignore[attr-defined]
        self.session.skip()
        self.app.show_session()  # type: ignore[attr-defined]

    def action_finish(self) -> None:
        self.save_before_quit()
        self.app.end_session()  # type: ignore[attr-defined]
        self.app.show_session()  # type: ignore[attr-defined]

    def save_before_quit(self) -> None:
        """Keep what exists: the typed draft, or stop the recording (its file stays)."""
        if self.session.state is not State.ANSWERING:
            return
        if self.mode == "typed":
            self._save_draft()
        elif self.recorder is not None:
            with contextlib.suppress(Exception):
                self.recorder.stop()

    def on_unmount(self) -> None:
        if self.recorder is not None:
            with contextlib.suppress(Exception):
                self.recorder.stop()


def _hotwords(question: Any) -> str | None:
    """The question's distinctive terms, to bias Whisper towards them."""
    try:
        from simulator.speech import question_terms

        return question_terms(question) or None
    except ImportError:
        pass
    try:
        from simulator.scoring import key_terms

        return ", ".join(key_terms(question)) or None
    except Exception:
        return None


def _word_dict(word: Any) -> dict:
    return {
        "start": getattr(word, "start", 0.0),
        "end": getattr(word, "end", 0.0),
        "text": getattr(word, "text", ""),
        "probability": getattr(word, "probability", 0.0),
    }
