"""The interview screen: one question, read aloud, answered by voice or typed, against a clock.

Voice: Space starts and stops recording to a file in the session's audio folder; blocks feed
the live transcriber so the words appear as they are spoken; the level meter shows the input.
Typed: a text area autosaved as a draft; Ctrl+S submits. Either way the answer clock counts
down, turns to a warning near the end and stops the answer at zero (or marks the overtime).
Study aids: Ctrl+G during an answer reveals the label of the next key point not covered yet
(that point then earns less); Ctrl+O before answering shows the model answer and its key
points (``interview.model_answer_first`` shows them for every question). Either marks the
answer assisted.
A follow-up (``session.follow_up``) is asked on this screen like a question: shown under the
question it follows, read aloud, answered, and scored against ``session.scoring_question``.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import partial
from typing import TYPE_CHECKING

from rich.text import Text
from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.screen import Screen
from textual.timer import Timer
from textual.widgets import Footer, Label, Static, TextArea

from simulator.answering import NotTranscribed, VoiceAnswer, warm_typed_draft
from simulator.session import Attempt, Session, State
from simulator.tui.messages import (
    AnswerScored,
    HintFound,
    MicrophoneFailed,
    PartialTranscript,
    QuestionSpoken,
    RecordingStopped,
    ScoringFailed,
    ToneHeard,
    VoiceReady,
)
from simulator.tui.widgets.highlight import literal
from simulator.tui.widgets.meters import AnswerClock, LevelMeter, SessionClock

if TYPE_CHECKING:
    from audio.microphone import Recording
    from simulator.assess import Feedback
    from simulator.tui.app import InterviewApp
    from simulator.turns import EndOfAnswer

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
        Binding("ctrl+g", "hint", "Hint", id="hint"),
        Binding("ctrl+o", "model_answer_first", "Model answer first", id="model_answer_first"),
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
        self._turn_token = 0
        """Hands-free: which reading of the question (or tone) a message is about."""
        self._arming = False  # hands-free: the tone is playing
        self._armed = False  # hands-free: listening was started (or is about to be)
        self._model_shown = False
        """The model answer was shown before this answer began (it will count as assisted)."""
        self._hints_wanted = 0
        """Hint presses not answered yet (each reveals one more key point, in order)."""

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
            yield Static(self._model_answer_text(), id="model-first")
        with Vertical(id="answer-box"):
            yield Label("", id="status")
            yield Static("", id="hints-given")
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
        self.query_one("#model-first").display = False
        self.query_one("#hints-given").display = False
        self._show_mode()
        if self.app.config.interview.model_answer_first and self._study_aids():
            self.action_model_answer_first()
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
        elif self.hands_free:
            self._status("Hands-free: after the question, a tone, then answer; silence ends it.")
            self.query_one("#hint", Label).update(
                f"hands-free · {self._key('record', 'space')} start/end now · "
                f"{self._key('keys', 'f1')} keys"
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
        if action == "hint":
            return self._study_aids() and self.session.state is State.ANSWERING and not self._busy
        if action == "model_answer_first":
            return self._study_aids() and self.session.state is State.ASKING
        return True

    def _study_aids(self) -> bool:
        """Hints and the model answer first are for study sessions: an exam is a real
        interview, with no help."""
        return not self.session.settings.exam

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
        if self.hands_free:
            self._hands_free_tick()

    # -- speaking the question ------------------------------------------------------------
    def action_read_again(self) -> None:
        if self._turn() is not None:
            self._read_while_listening()
            return
        if self.session.state is not State.ASKING:
            return
        self._turn_token += 1
        self._armed = False
        if self.app.speak(self.session.asked, on_done=self._spoken_callback()):
            self._spoken = True
        elif self.hands_free and self.app.voice is not None:  # the voice failed: no reading
            self._arm()

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
            self.run_worker(
                partial(warm_typed_draft, text), thread=True, group="warm-draft", exclusive=True
            )

    def _begin_answer(self, mode: str) -> None:
        self.app.stop_speaking()
        attempt = self.session.start_answer(mode)
        self._answer_begins(attempt)
        self.app.journal.answer_started(self.session, attempt)

    def _answer_begins(self, attempt: Attempt) -> None:
        """The answer is now from memory: the model answer shown first hides, and counts."""
        attempt.model_answer_first = self._model_shown
        panel = self.query_one("#model-first")
        if panel.display:
            panel.display = False
            self.remove_class("-model-first")
            if self.mode == "typed":
                self._status("Type your answer. Ctrl+S submits.")
        self.call_after_refresh(self.refresh_bindings)

    # -- study aids -----------------------------------------------------------------------
    def _model_answer_text(self) -> Text:
        """The key points first (they fit on a small terminal), then the model answer."""
        question = self.session.question
        text = Text("", end="")
        if question.key_points:
            text.append("Key points", style="bold")
            for point in question.key_points:
                text.append(f"\n• {point.label}", style="not bold")
            text.append("\n\n")
        text.append("Model answer\n", style="bold")
        text.append(question.model_answer, style="not bold")
        return text

    def action_model_answer_first(self) -> None:
        """Before answering: show the model answer and key points (again: hide them)."""
        if self.session.state is not State.ASKING or not self._study_aids():
            return
        panel = self.query_one("#model-first", Static)
        panel.display = not panel.display
        self.set_class(bool(panel.display), "-model-first")
        if panel.display:
            self._model_shown = True
            key = self._key("model_answer_first", "ctrl+o")
            self._status(f"Read it, then answer from memory: it hides when you start ({key} now).")
        else:
            self._show_mode()

    def action_hint(self) -> None:
        """During an answer: the label of the next key point it has not covered yet."""
        if self.session.state is not State.ANSWERING or self._busy or not self._study_aids():
            return
        self._hints_wanted += 1
        if self._hints_wanted == 1:
            self._ask_for_hint()

    def _ask_for_hint(self) -> None:
        attempt = self.session.attempt
        if attempt is None:
            self._hints_wanted = 0
            return
        if self.mode == "typed":
            said = self.query_one("#typed-answer", TextArea).text
        else:
            said = self.answer.heard_so_far() if self.answer is not None else ""
        self._find_hint(attempt, said, tuple(attempt.hints))

    @work(thread=True, exit_on_error=False, group="hint")
    def _find_hint(self, attempt: Attempt, said: str, hinted: tuple[str, ...]) -> None:
        try:
            from simulator.hints import next_hint

            hint = next_hint(self.session.scoring_question, said, hinted)
        except Exception as error:  # the answer goes on; only the hint is lost
            self.post_message(HintFound(attempt, None, f"cannot find a hint: {error}"))
            return
        self.post_message(HintFound(attempt, hint))

    def on_hint_found(self, message: HintFound) -> None:
        self._hints_wanted = max(0, self._hints_wanted - 1)
        attempt, hint = message.attempt, message.hint
        if attempt is not self.session.attempt or self.session.state is not State.ANSWERING:
            self._hints_wanted = 0
            return  # the answer ended meanwhile: a hint after the last word changes nothing
        if self._busy or hint is None:
            self._hints_wanted = 0
            if message.error:
                self.notify(message.error, severity="error", markup=False)
            return
        if hint.label is not None and hint.label not in attempt.hints:
            attempt.hints.append(hint.label)
            shown = self.query_one("#hints-given", Static)
            shown.update(Text("Hints: " + " · ".join(attempt.hints), style="bold"))
            shown.display = True
        again = f" · {self._key('hint', 'ctrl+g')} again for the next" if hint.remaining else ""
        self._status(hint.message + (again if hint.label else ""), "bold")
        if self._hints_wanted:
            self._ask_for_hint()

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
        self._score(text, *self._assists())

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
            speaking = app.voice is not None and app.voice.is_speaking
            app.stop_speaking()
            attempt = self.session.start_answer("voice")
            self._answer_begins(attempt)
            self._status("Recording… Space stops.", "bold")
            answer = VoiceAnswer(
                self.session.scoring_question,
                on_partial=self._heard,
                on_stopped=self._recorder_ended,
                turn=self._new_turn(speaking),  # hands-free: ends by itself
            )
            self.answer = answer
            self._record(answer, attempt, attempt_no)
        elif state is State.ANSWERING:
            self._busy = True
            self._status("Transcribing…")
            self._stop_recording(*self._assists())

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
    def _stop_recording(self, hinted: frozenset[str], model_answer_first: bool) -> None:
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
            feedback = answer.finish(
                recording,
                app.transcriber,
                app.model_error,
                hinted=hinted,
                model_answer_first=model_answer_first,
            )
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
            self._stop_recording(*self._assists())
        if self.session.state is State.ANSWERING:
            self.session.stop_answer()
        if recording is not None and recording.error:
            self.app.say_once(
                f"the recording stopped early: {recording.error}; what was said is kept and "
                "scored, and the next questions are typed",
                timeout=30,  # it must still show on the feedback, after the transcription
            )
            if recording.stopped_by == "device_error":  # the sound server or device is gone
                self.app.microphone_error = f"the microphone stopped ({recording.error})"

    # -- hands-free turns -----------------------------------------------------------------
    @property
    def hands_free(self) -> bool:
        """Voice answers start after the question and a tone, and end on silence."""
        return self.session.settings.hands_free and self.mode == "voice"

    def _turn(self) -> EndOfAnswer | None:
        """The end-of-answer detector of the answer being taken, if hands-free."""
        answer = self.answer
        if answer is None or self.session.state is not State.ANSWERING:
            return None
        return answer.turn

    def _new_turn(self, app_speaking: bool) -> EndOfAnswer | None:
        if not self.hands_free:
            return None
        from simulator.turns import EndOfAnswer, TurnSettings

        turn = EndOfAnswer(TurnSettings(end_silence_s=self.app.config.interview.end_silence_s))
        if self.app.model_state != "failed":  # the words will come: the end waits for them
            turn.expect_words()
        if self._arming:  # Space during the tone: listening begins once it has been heard
            turn.mute()
        elif app_speaking:  # Space during the question: its last syllable is not the answer
            turn.mute()
            self._turn_token += 1
            self._unmute_after_voice(turn)
        return turn

    def _spoken_callback(self) -> Callable[[], None]:
        token = self._turn_token

        def spoken() -> None:  # from the voice's thread
            self.post_message(QuestionSpoken(token))

        return spoken

    def on_question_spoken(self, message: QuestionSpoken) -> None:
        if message.token != self._turn_token or not self.hands_free or self._busy:
            return
        if self.session.state is State.ASKING or self._turn() is not None:
            self._arm()

    def _arm(self) -> None:
        """The tone, then listening (or, while listening, unmuting)."""
        self._turn_token += 1
        self._arming = self._armed = True
        if self.session.state is State.ASKING:
            self._status("Your turn after the tone…", "bold")
        voice = self.app.voice
        self._play_tone(self._turn_token, voice.device if voice is not None else None)

    @work(thread=True, exclusive=True, exit_on_error=False, group="tone")
    def _play_tone(self, token: int, device: int | str | None) -> None:
        from audio.tone import ToneFailed, play_tone

        try:
            play_tone(device)
        except ToneFailed as error:
            self.post_message(ToneHeard(token, str(error)))
            return
        self.post_message(ToneHeard(token))

    def on_tone_heard(self, message: ToneHeard) -> None:
        if message.token != self._turn_token:
            return
        self._arming = False
        if message.error:
            self.app.say_once(f"{message.error}; hands-free answers start without a tone")
        turn = self._turn()
        if turn is not None:
            turn.unmute()
        elif self.session.state is State.ASKING and self.hands_free and not self._busy:
            self.action_toggle_recording()

    @work(thread=True, exclusive=False, exit_on_error=False, group="unmute")
    def _unmute_after_voice(self, turn: EndOfAnswer) -> None:
        voice = self.app.voice
        if voice is not None:
            voice.wait(5)
        turn.unmute()

    def _read_while_listening(self) -> None:
        """Read again while listening: what the microphone hears meanwhile is not the answer;
        after the voice, the tone, and listening goes on (the answer clock keeps running)."""
        turn = self._turn()
        if turn is None or self._busy:
            return
        turn.mute()
        self._turn_token += 1
        self._arming = True
        if not self.app.speak(self.session.asked, on_done=self._spoken_callback()):
            self._arm()

    def _hands_free_tick(self) -> None:
        """Every 0.1 s: start listening when no voice will read the question; show the
        silence while listening; end the answer when the candidate is done."""
        state = self.session.state
        if state is State.ASKING:
            app = self.app
            no_voice = not self.session.settings.read_aloud or bool(app.voice_error)
            if no_voice and not self._armed and not self._busy:
                self._arm()
            return
        turn = self._turn()
        if turn is None or self._busy:
            return
        status = turn.status()
        if status.ended:
            self.action_toggle_recording()  # as Space: transcribe and score
            return
        key = self._key("record", "space")
        if status.muted:
            text = "Listening after the question and the tone…"
        elif not status.heard_speech:
            text = f"Listening… take your time ({status.silence_s:.0f} s). {key} ends the answer."
        elif status.silence_s < 0.3:
            text = f"Listening… {key} ends the answer."
        else:
            needed = status.needed_s or 0.0
            text = f"Listening · silence {status.silence_s:.1f} s of {needed:.1f} s"
            if status.open_sentence:
                text += " (the sentence is open: waiting longer)"
            elif status.waiting_for_words:
                text += " (catching the last words)"
        self._status(text, "bold")

    # -- scoring --------------------------------------------------------------------------
    def _assists(self) -> tuple[frozenset[str], bool]:
        """The current answer's hinted labels and whether the model answer was shown first."""
        attempt = self.session.attempt
        if attempt is None:
            return frozenset(), False
        return frozenset(attempt.hints), attempt.model_answer_first

    @work(thread=True, exclusive=True, exit_on_error=False, group="score")
    def _score(self, text: str, hinted: frozenset[str], model_answer_first: bool) -> None:
        try:
            from simulator.assess import assess_text

            feedback = assess_text(
                self.session.scoring_question,
                text,
                hinted=hinted,
                model_answer_first=model_answer_first,
            )
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
