"""The interview app: owns the session, the journal, the model and the voice; screens show them.

Blocking work never runs on the event loop. The Whisper model loads in a worker at start-up
(the first screen paints before it starts); speech, recording and transcription run in
workers too; every store write goes through the :class:`~simulator.journal.Journal`, drained
by one long-lived worker, so writes stay in order (an answer row exists before its draft or
result is saved) and a quit waits for them to land. Screens reach these services through the
typed app (``app: InterviewApp`` on each screen); the app tells screens what happened with
messages (``VoiceReady``, ``MicrophoneFailed``).
"""

from __future__ import annotations

import contextlib
import datetime
import signal
import threading
import time
from collections.abc import Callable
from typing import TYPE_CHECKING

from textual import on, work
from textual.app import App
from textual.binding import Binding
from textual.notifications import SeverityLevel
from textual.worker import Worker, WorkerState, get_current_worker

from content.bank import Bank
from simulator.config import Config
from simulator.journal import Journal
from simulator.session import Session, SessionSettings, State
from simulator.tui import signals
from simulator.tui.commands import ScreenKeysProvider
from simulator.tui.messages import (
    MicrophoneFailed,
    ModelFailed,
    ModelReady,
    StoreOpened,
    VoiceFailed,
    VoiceReady,
)

if TYPE_CHECKING:
    from textual.screen import Screen

    from audio.transcriber import Transcriber
    from audio.voice import Voice
    from simulator.store import Store


class InterviewApp(App[int]):
    """Rehearse interview questions out loud (or typed), offline."""

    TITLE = "mock-interview"
    CSS_PATH = "app.tcss"
    COMMANDS = App.COMMANDS | {ScreenKeysProvider}
    BINDINGS = [
        Binding("ctrl+q", "quit", "Quit", id="quit", priority=True),
        Binding("f1,question_mark", "show_keys", "Keys", id="keys"),
    ]

    def __init__(
        self,
        bank: Bank,
        settings: SessionSettings,
        config: Config | None = None,
        *,
        start_screen: str = "setup",
        clock: Callable[[], float] = time.monotonic,
        model: str | None = None,
        open_store: bool = True,
    ) -> None:
        super().__init__()
        self.bank = bank
        self.settings = settings
        self.config = config or Config()
        self.start_screen = start_screen
        self.clock = clock
        self.model_name = model or self.config.audio.model
        self.open_store = open_store
        self.session: Session | None = None
        self.journal = Journal(writes=open_store)
        """Every write to the history, in order (its store opens in the store worker)."""
        self.transcriber: Transcriber | None = None
        self.model_state = "idle"
        """idle, loading, ready or failed."""
        self.model_error = ""
        self._model_done = threading.Event()
        self.voice: Voice | None = None
        self.voice_error = ""
        self._voice_requested = False
        self._microphone_requested = False
        self.microphone_error = ""
        self._store_worker: Worker[None] | None = None
        self._said: set[str] = set()
        self._quitting = False

    @property
    def store(self) -> Store | None:
        """The history, once open (None while it opens, or without one)."""
        return self.journal.store

    # -- start-up -------------------------------------------------------------------------
    def on_mount(self) -> None:
        signals.install(self._on_signal)
        self._apply_config()
        if self.start_screen == "interview":
            self.start_interview(self.settings)
        else:
            from simulator.tui.screens.setup import SetupScreen

            self.push_screen(SetupScreen())
        # after the first paint: nothing competes with it for the interpreter
        self.call_after_refresh(self._start_background)

    def _start_background(self) -> None:
        """Open the store, load the model (voice mode) and the speech engine, in workers."""
        self._store_worker = self._run_store()
        self._load_meaning()
        if self.start_screen == "review":
            return  # reviewing needs the history and the speakers, not the model or microphone
        if self.settings.mode == "voice":
            self.load_model()
            self.prepare_microphone()
        if self.settings.read_aloud:
            self.start_voice()

    # -- the embedding model --------------------------------------------------------------
    @work(thread=True, exclusive=True, exit_on_error=False, group="meaning")
    def _load_meaning(self) -> None:
        """Load the model that judges key points by meaning (about a second), once; not for a
        bank with no question in English, judged by words alone (``simulator.scoring``)."""
        from content.language import question_is_english
        from simulator import locations
        from simulator.meaning import shared

        if not any(question_is_english(q) for q in self.bank.questions):
            return
        index = shared.load(locations.cache_dir())
        if index is None:
            reason = shared.unavailable_reason() or "the embedding model did not load"
            self.call_from_thread(
                self.say_once,
                f"{reason}; key points are matched by their phrasings only",
                "warning",
            )
        elif self.bank.questions:
            from simulator.neighbours import prime

            # The bank's model answers, which every answer is compared with: once, before the
            # first Space or Ctrl+S (about a second the first time, then from the disk cache).
            prime(self.bank.questions[0], index)

    # -- the microphone -------------------------------------------------------------------
    def prepare_microphone(self) -> None:
        """Open the input once in a worker: the first stream of a process is slow to start."""
        if self._microphone_requested:
            return
        self._microphone_requested = True
        self._warm_microphone()

    @work(thread=True, exclusive=True, exit_on_error=False, group="microphone")
    def _warm_microphone(self) -> None:
        try:
            from audio.microphone import MicrophoneUnavailable, parse_device, warm_up

            warm_up(parse_device(self.config.audio.input_device))
        except MicrophoneUnavailable as error:
            self.microphone_error = str(error)
            self.post_message(MicrophoneFailed(self.microphone_error))
        except Exception as error:
            self.microphone_error = f"cannot record: {error}"
            self.post_message(MicrophoneFailed(self.microphone_error))

    def on_microphone_failed(self, message: MicrophoneFailed) -> None:
        """No microphone at start: the interview on show carries on typed (said once)."""
        from simulator.tui.screens.interview import InterviewScreen

        if isinstance(self.screen, InterviewScreen) and self.screen.mode == "voice":
            self.screen.post_message(MicrophoneFailed(message.reason))

    def _apply_config(self) -> None:
        if self.config.appearance.theme in self.available_themes:
            self.theme = self.config.appearance.theme
        else:
            self.say_once(f"unknown theme '{self.config.appearance.theme}'; using the default")
        if self.config.keymap:
            known = binding_ids()
            unknown = sorted(set(self.config.keymap) - known)
            if unknown:
                self.say_once(
                    f"[keymap] in the config names unknown binding id(s): {', '.join(unknown)}; "
                    f"known ids: {', '.join(sorted(known))}"
                )
            self.set_keymap({k: v for k, v in self.config.keymap.items() if k in known})

    def say_once(
        self, message: str, severity: SeverityLevel = "warning", timeout: float = 8
    ) -> None:
        """Tell the user something once per run (a fallback, a missing device)."""
        if message not in self._said:
            self._said.add(message)
            self.notify(message, severity=severity, timeout=timeout, markup=False)

    # -- the model ------------------------------------------------------------------------
    def load_model(self) -> None:
        if self.model_state in ("loading", "ready"):
            return
        self.model_state = "loading"
        self._load_model()

    def load_model_blocking(self, timeout: float = 60.0) -> None:
        """From a worker thread: wait until the model is loaded or has failed."""
        if self.model_state == "idle":
            self.call_from_thread(self.load_model)
        self._model_done.wait(timeout)

    @work(thread=True, exclusive=True, exit_on_error=False, group="model")
    def _load_model(self) -> None:
        try:
            self._load_model_now()
        finally:
            self._model_done.set()

    def _load_model_now(self) -> None:
        started = time.perf_counter()
        try:
            from audio.models import ModelUnavailable
            from audio.transcriber import Transcriber
            from simulator import locations

            transcriber = Transcriber(self.model_name, cache_dir=locations.cache_dir())
            transcriber.load()
        except ModelUnavailable as error:
            self.model_error = str(error)
            self.post_message(ModelFailed(self.model_error))
            return
        except Exception as error:  # a broken install must not kill the app
            self.model_error = f"cannot load the speech model: {error}"
            self.post_message(ModelFailed(self.model_error))
            return
        self.transcriber = transcriber
        self.post_message(ModelReady(self.model_name, time.perf_counter() - started))

    def on_model_ready(self, message: ModelReady) -> None:
        self.model_state = "ready"

    def on_model_failed(self, message: ModelFailed) -> None:
        self.model_state = "failed"
        self.model_error = message.reason
        self.say_once(f"{message.reason}; answers will be typed", "error")
        from simulator.tui.screens.interview import InterviewScreen

        screen = self.screen
        session = self.session
        asking = session is not None and session.state is State.ASKING
        if isinstance(screen, InterviewScreen) and screen.mode == "voice" and asking:
            screen.action_switch_to_typed()  # the screen says what the toast says

    # -- the voice ------------------------------------------------------------------------
    def start_voice(self) -> None:
        if self._voice_requested:
            return
        self._voice_requested = True
        self._open_voice()

    @work(thread=True, exclusive=True, exit_on_error=False, group="voice")
    def _open_voice(self) -> None:
        try:
            from audio.engines import make_synthesizer
            from audio.synthesis import VoiceUnavailable
            from audio.voice import Voice

            audio = self.config.audio
            engine = make_synthesizer(audio.voice_engine, rate=audio.voice_rate or None)
            self.voice = Voice(engine)
            self.post_message(VoiceReady())
        except VoiceUnavailable as error:
            self.post_message(VoiceFailed(str(error)))
        except Exception as error:
            self.post_message(VoiceFailed(f"cannot read questions aloud: {error}"))

    def on_voice_ready(self, message: VoiceReady) -> None:
        """Tell the screen, so the question on show is read (it may have painted first)."""
        from simulator.tui.screens.interview import InterviewScreen

        if isinstance(self.screen, InterviewScreen):
            self.screen.post_message(VoiceReady())

    def on_voice_failed(self, message: VoiceFailed) -> None:
        self.voice_error = message.reason
        self.say_once(f"{message.reason}; questions are shown, not read")

    def speak(self, text: str, on_done: Callable[[], None] | None = None) -> bool:
        """Read ``text`` aloud if the voice is there; False if it is not (yet)."""
        if self.voice is None:
            return False
        try:
            self.voice.stop()
            self.voice.speak(text, on_done=on_done)
        except Exception as error:
            self.say_once(f"cannot read aloud: {error}")
            return False
        return True

    def stop_speaking(self) -> None:
        if self.voice is not None:
            with contextlib.suppress(Exception):
                self.voice.stop()

    # -- the store ------------------------------------------------------------------------
    @work(thread=True, exclusive=True, exit_on_error=False, group="store")
    def _run_store(self) -> None:
        """Open the store, then run the journal's writes in order until told to stop."""
        journal = self.journal
        if self.open_store and journal.store is None:
            from simulator.store import Store

            store: Store | None
            try:
                store, warning = Store.open_or_memory()
                store.set_retention(self.config.schedule.desired_retention)
            except Exception as error:
                store, warning = None, f"history is not saved: {error}"
            journal.store = store
            self.post_message(StoreOpened(store, warning, _interrupted(store)))
        worker = get_current_worker()
        journal.run(
            cancelled=lambda: worker.is_cancelled,  # the app is closing and every job is done
            on_error=lambda message: self.call_from_thread(self.say_once, message, "error"),
        )

    def on_store_opened(self, message: StoreOpened) -> None:
        if message.warning:  # a damaged history moved aside, or history kept in memory
            self.say_once(message.warning, timeout=30)
        if message.interrupted:
            self.say_once(
                f"{message.interrupted} earlier session(s) ended without saying goodbye; "
                "recover their answers with: mock-interview sessions recover",
                "information",
            )
        if self.start_screen == "review":
            self.action_review()

    # -- the interview --------------------------------------------------------------------
    def start_interview(self, settings: SessionSettings) -> None:
        from simulator.session import FlowError, pick_questions

        self.settings = settings
        if settings.order in ("weakest", "due") and self.store is None and self.open_store:
            self.notify("the history is still opening; press Start again in a moment")
            return
        try:
            if settings.questions:
                questions = [self.bank.question(n) for n in settings.questions]
            else:
                questions = pick_questions(
                    self.bank.in_topics(list(settings.topics)),
                    count=settings.count,
                    order=settings.order,
                    store=self.store,
                    today=_today(),
                    bank=self.bank.name,
                )
            self.session = Session(questions, settings, clock=self.clock)
        except (FlowError, KeyError) as error:
            self.notify(str(error).strip("'\""), severity="error", markup=False)
            return
        except Exception as error:  # e.g. the history could not be read for the order
            self.notify(f"cannot start: {error}", severity="error", markup=False)
            return
        if settings.mode == "voice":
            self.call_after_refresh(self.load_model)
            self.call_after_refresh(self.prepare_microphone)
        if settings.read_aloud:
            self.call_after_refresh(self.start_voice)
        self.journal.start_session(self.session, self.bank)
        self.show_session()

    def show_session(self) -> None:
        """Show the screen that fits the session's state."""
        from simulator.tui.screens.feedback import FeedbackScreen
        from simulator.tui.screens.interview import InterviewScreen
        from simulator.tui.screens.summary import SummaryScreen

        session = self.session
        assert session is not None
        screen: Screen[None]
        if session.state is State.SUMMARY:
            screen = SummaryScreen(session.summary(), session)
        elif session.state is State.FEEDBACK:
            screen = FeedbackScreen(session, session.answer)
        else:
            screen = InterviewScreen(session)
        if len(self.screen_stack) > 1:
            self.switch_screen(screen)
        else:
            self.push_screen(screen)

    def end_session(self) -> None:
        session = self.session
        if session is None:
            return
        if session.state is not State.SUMMARY:
            session.finish()
        self.journal.session_ended(session)

    # -- actions --------------------------------------------------------------------------
    def action_show_keys(self) -> None:
        from simulator.tui.screens.keys import KeysScreen

        if not isinstance(self.screen, KeysScreen):
            self.push_screen(KeysScreen(self.screen))

    def action_review(self) -> None:
        from simulator.tui.screens.review import ReviewScreen

        if self.store is None:
            self.notify("the history is still opening; try again in a moment", markup=False)
            return
        self.push_screen(ReviewScreen(self.store))

    def _on_signal(self, signum: int) -> None:
        """SIGTERM, SIGHUP or SIGINT: quit as Ctrl+Q does (a second one while saving waits)."""
        if self._quitting:
            return
        self.run_worker(self.action_quit(signals.exit_code(signum)), group="signal")

    async def action_quit(self, code: int = 0) -> None:
        """Quit, saving what exists: the answer in progress, then the session's end."""
        from simulator.tui.screens.interview import InterviewScreen

        if self._quitting:
            return
        self._quitting = True
        if isinstance(self.screen, InterviewScreen):
            self.screen.save_before_quit()
        if self.session is not None and self.session.state is not State.SUMMARY:
            self.end_session()
        self.stop_speaking()
        self.journal.stop()
        if self._store_worker is not None:
            await self._store_worker.wait()
        if code == signals.exit_code(signal.SIGHUP):
            # The terminal is gone: restoring it would write to a closed pty, and Textual's
            # writer blocks once its queue is full, so the process never ended. Everything is
            # saved by now; leave at once.
            signals.leave_now(code)
        self.exit(code)

    def on_unmount(self) -> None:
        """The app is closing: silence and close the speech engine's stream."""
        signals.uninstall()
        voice, self.voice = self.voice, None
        if voice is not None:
            with contextlib.suppress(Exception):
                voice.close()

    @on(Worker.StateChanged)
    def _worker_failed(self, event: Worker.StateChanged) -> None:
        """One place for workers that died: say what went wrong, keep the app alive."""
        if event.state is WorkerState.ERROR:
            error = event.worker.error
            self.notify(f"{event.worker.group}: {error}", severity="error", markup=False)


def _today() -> datetime.date:
    return datetime.date.today()


def _interrupted(store: Store | None) -> int:
    """How many earlier sessions were cut off (their answers can be recovered)."""
    if store is None:
        return 0
    try:
        from simulator.recovery import find_interrupted

        return len(find_interrupted(store))
    except Exception:
        return 0


def binding_ids() -> set[str]:
    """Every binding id a user keymap can rebind."""
    from simulator.tui.screens.feedback import FeedbackScreen
    from simulator.tui.screens.interview import InterviewScreen
    from simulator.tui.screens.keys import KeysScreen
    from simulator.tui.screens.setup import SetupScreen
    from simulator.tui.screens.summary import SummaryScreen

    ids: set[str] = set()
    for owner in (
        InterviewApp,
        SetupScreen,
        InterviewScreen,
        FeedbackScreen,
        SummaryScreen,
        KeysScreen,
    ):
        for binding in owner.BINDINGS:
            if isinstance(binding, Binding) and binding.id:
                ids.add(binding.id)
    return ids
