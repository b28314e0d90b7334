"""The espeak-ng speech engine: pyttsx3 on espeak-ng renders each sentence (a
:class:`~audio.synthesis.Synthesizer`; :class:`audio.voice.Voice` plays what it renders).

What pyttsx3 2.99 on espeak-ng 1.51 does, as measured (see BENCHMARKS.md "Audio I/O"), and what
this module does about it:

* Its espeak driver plays through ``aplay`` inside espeak's callback, which cannot be stopped
  mid-sentence. We only let pyttsx3 *render* (``save_to_file``) and play the samples through a
  PortAudio stream whose callback stop() turns to silence within one buffer.
* ``runAndWait`` returns before the speech is rendered (espeak renders in its own thread), which
  is why "a five-sentence text wrote no file": it appeared later. We wait for pyttsx3's own
  ``finished-utterance`` notification instead, with a fresh file name for every render.
* A rate change was applied to the wrong render (rates 300/100 alternating over 20 renders:
  0-10 of 20 wrong). The cause: espeak queues ``SetParameter`` behind in its command queue, and
  ``runAndWait`` ends with the driver's ``stop()``, which calls ``espeak_Cancel`` whenever that
  queue is still busy (16-20 of 20 times) and so throws the queued rate away. A throwaway
  render after the change does not help (4-8 of 20 wrong). Waiting, after setting the rate and
  voice, until espeak's queue is idle and its *current* rate (``espeak_GetParameter(RATE, 1)``)
  is the one asked for, before rendering: 0 of 20 wrong in every run (benchmarks/audio_io.py:
  3 fresh processes; 180 more processes x 4 renders also all right); the wait is ~1-4 ms. The
  same wait before the engine's first loop stopped a rare empty first render (1 in 180
  processes before, 0 in 180 after); an empty render is still done again, as a safety net.
* After the "de" voice, libespeak-ng renders the default voice ~4% longer for the rest of the
  process, whatever voice is set again (its own state). The app uses one voice per process.
* espeak initialises once per process with one global callback, and pyttsx3 hangs when calls
  overlap, so the engine lives in ONE thread ("voice-engine") that takes requests from a queue.
* Texts are split into sentences, each rendered in ~10-15 ms; the first plays while the rest
  render, so a long model answer starts at once and is spoken completely.
"""

from __future__ import annotations

import ctypes
import queue
import tempfile
import threading
import time
from collections.abc import Callable
from concurrent.futures import Future
from concurrent.futures import TimeoutError as FutureTimeout
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np

from audio.errors import describe as _describe
from audio.synthesis import Speech, VoiceInfo, VoiceUnavailable

INSTALL_HINT = "install it with: sudo apt-get install espeak-ng"
PYTTSX3_HINT = "reinstall the app's Python packages: make install"
SYNTH_TIMEOUT_S = 30.0
START_TIMEOUT_S = 10.0
SETTLE_TIMEOUT_S = 2.0  # espeak applies a rate within ~1-4 ms; this is only a safety net
_RENDER_ATTEMPTS = 3
_MIN_SPEECH_S = 0.05  # espeak renders even one letter as ~0.3 s
DEFAULT_RATE = 175  # espeak-ng's own default, words per minute (pyttsx3 would set 200)


class _Engine:
    """The single pyttsx3 engine of the process, owned by one thread fed from a queue."""

    def __init__(self) -> None:
        self._work: queue.Queue[tuple[Callable[[_State], Any], Future[Any]]] = queue.Queue()
        self._ready: Future[None] = Future()
        self._thread = threading.Thread(target=self._run, name="voice-engine", daemon=True)
        self._thread.start()

    def wait_ready(self, timeout: float = START_TIMEOUT_S) -> None:
        try:
            self._ready.result(timeout)
        except FutureTimeout:
            raise VoiceUnavailable(
                f"the speech engine did not start within {timeout:.0f} s; {INSTALL_HINT}"
            ) from None

    def call(self, work: Callable[[_State], Any], timeout: float = SYNTH_TIMEOUT_S) -> Any:
        done: Future[Any] = Future()
        self._work.put((work, done))
        try:
            return done.result(timeout)
        except FutureTimeout:
            done.cancel()
            raise VoiceUnavailable(
                f"the speech engine did not answer within {timeout:.0f} s; {INSTALL_HINT}"
            ) from None

    def _run(self) -> None:
        try:
            state = _start_pyttsx3()
        except VoiceUnavailable as error:
            self._ready.set_exception(error)
            return
        except Exception as error:  # any other failure to start is "no speech engine"
            self._ready.set_exception(
                VoiceUnavailable(f"no speech engine ({_describe(error)}); {INSTALL_HINT}")
            )
            return
        self._ready.set_result(None)
        while True:
            work, done = self._work.get()
            if not done.set_running_or_notify_cancel():
                continue
            try:
                done.set_result(work(state))
            except Exception as error:
                done.set_exception(error)


@dataclass
class _State:
    """The pyttsx3 engine and what the voice-engine thread knows about it."""

    engine: Any
    espeak: Any  # pyttsx3.drivers._espeak: pyttsx3's binding of libespeak-ng
    current_rate: Callable[[], int]
    default_voice: str
    finished: threading.Event
    errors: list[BaseException] = field(default_factory=list)
    voice: str | None = None
    rerenders: int = 0  # renders that came out empty and were done again
    voices: list[VoiceInfo] | None = None


def _start_pyttsx3() -> _State:
    try:
        import pyttsx3
    except ImportError as error:
        raise VoiceUnavailable(
            f"no speech engine (pyttsx3 cannot be imported: {_describe(error)}); {PYTTSX3_HINT}"
        ) from None
    try:
        import pyttsx3.drivers.espeak as espeak_driver
        from pyttsx3.drivers import _espeak
    except Exception as error:  # pyttsx3 raises RuntimeError when libespeak-ng will not load
        raise VoiceUnavailable(
            f"no speech engine (pyttsx3 cannot load the espeak-ng library: {_describe(error)}); "
            f"{INSTALL_HINT}"
        ) from None
    # The driver prints "Audio saved to ..." on stdout, which would scribble over a TUI.
    espeak_driver.print = lambda *args, **kwargs: None
    engine = pyttsx3.init("espeak")
    finished = threading.Event()
    state = _State(
        engine=engine,
        espeak=_espeak,
        current_rate=_current_rate_reader(_espeak),
        default_voice=espeak_driver.EspeakDriver._defaultVoice,
        finished=finished,
    )
    engine.connect("finished-utterance", lambda name=None, completed=True: finished.set())
    engine.connect("error", lambda name=None, exception=None: state.errors.append(exception))
    # The driver set rate 200 as it started; let espeak take it before the first loop, whose
    # stop() would otherwise cancel it. A fresh engine queues setProperty until its first loop;
    # one empty loop makes every later setProperty apply at once, so _settle() can see it take.
    _settle(state, _PYTTSX3_START_RATE)
    engine.runAndWait()
    _settle(state, _PYTTSX3_START_RATE)
    return state


_PYTTSX3_START_RATE = 200  # what pyttsx3's espeak driver sets as it starts


def _current_rate_reader(espeak: Any) -> Callable[[], int]:
    """espeak_GetParameter(RATE, current=1): the rate espeak will render with now.

    (pyttsx3 binds GetParameter without its ``current`` argument, so it is bound here.)"""
    get = espeak.dll.espeak_GetParameter
    get.argtypes = [ctypes.c_int, ctypes.c_int]
    get.restype = ctypes.c_int
    return lambda: int(get(espeak.RATE, 1))


def _settle(state: _State, rate: int) -> None:
    """Wait until espeak's command queue is idle and its current rate is ``rate``.

    pyttsx3's runAndWait cancels whatever espeak still has queued (a rate change included), so
    rendering starts only once the change has taken; set again once if it was thrown away."""
    for attempt in range(2):
        deadline = time.monotonic() + SETTLE_TIMEOUT_S
        while time.monotonic() < deadline:
            if not state.espeak.IsPlaying() and state.current_rate() == rate:
                return
            time.sleep(0.001)
        if attempt == 0:
            state.engine.setProperty("rate", rate)
    raise VoiceUnavailable(
        f"espeak-ng did not take the speaking rate {rate} (it has {state.current_rate()}); "
        f"{INSTALL_HINT}"
    )


def _voices(state: _State) -> list[VoiceInfo]:
    if state.voices is None:
        # pyttsx3's own getProperty("voices") lower-cases ids ("gmw/en-us"); its espeak binding
        # gives them as espeak-ng spells them ("gmw/en-US"). Languages: a priority byte, a name.
        state.voices = [
            VoiceInfo(
                id=v.identifier.decode("utf-8"),
                name=v.name.decode("utf-8").replace("_", " "),
                languages=(v.languages[1:].decode("utf-8", "replace"),) if v.languages else (),
            )
            for v in state.espeak.ListVoices(None)
        ]
    return state.voices


def _apply(state: _State, rate: int, voice: str | None) -> None:
    wanted = state.default_voice
    if voice is not None:
        resolved = _resolve_voice(voice, _voices(state))
        if resolved is None:
            raise VoiceUnavailable(f"no voice '{voice}'; see `espeak-ng --voices` for the list")
        wanted = resolved
    if wanted != state.voice:
        state.errors.clear()
        state.engine.setProperty("voice", wanted)
        if state.errors:
            state.voice = None
            raise VoiceUnavailable(f"espeak-ng cannot use the voice '{wanted}' ({state.errors[0]})")
        state.voice = wanted
    # Always set the rate: cheap, and whatever espeak did to it before, it is ours now.
    state.engine.setProperty("rate", rate)
    _settle(state, rate)


def _render(state: _State, text: str, rate: int, voice: str | None) -> Speech:
    """Render with the rate and voice taken; render again if espeak gave no audio at all (seen
    once in 180 fresh processes, first render, before _start_pyttsx3 waited for its rate)."""
    for _attempt in range(_RENDER_ATTEMPTS):
        _apply(state, rate, voice)
        speech = _render_once(state, text)
        if speech.duration_s >= _MIN_SPEECH_S or not _speakable(text):
            return speech
        state.rerenders += 1
        state.voice = None  # set everything again
    raise VoiceUnavailable(
        f"espeak-ng rendered no audio for {text[:40]!r} in {_RENDER_ATTEMPTS} tries; {INSTALL_HINT}"
    )


def _speakable(text: str) -> bool:
    return any(character.isalnum() for character in text)


def _render_once(state: _State, text: str) -> Speech:
    import soundfile as sf

    with tempfile.TemporaryDirectory(prefix="mi-voice-") as folder:
        path = Path(folder) / "speech.wav"  # a fresh name: a late file can never be taken
        state.finished.clear()
        state.engine.save_to_file(text, str(path))
        state.engine.runAndWait()  # returns before espeak has rendered; wait for its signal
        if not state.finished.wait(SYNTH_TIMEOUT_S) or not path.exists():
            raise VoiceUnavailable(
                f"espeak-ng produced no audio within {SYNTH_TIMEOUT_S:.0f} s; {INSTALL_HINT}"
            )
        samples, samplerate = sf.read(path, dtype="float32", always_2d=False)
    # Let espeak finish the command (its callback returns after the signal) before the next.
    _settle(state, state.current_rate())
    return Speech(np.ascontiguousarray(samples, dtype=np.float32), int(samplerate))


_engine_lock = threading.Lock()
_engine: _Engine | None = None


def _shared_engine() -> _Engine:
    global _engine
    with _engine_lock:
        if _engine is None:
            _engine = _Engine()
        engine = _engine
    engine.wait_ready()
    return engine


def synthesize(text: str, rate: int | None = None, voice: str | None = None) -> Speech:
    """Render ``text`` (a sentence) with pyttsx3 on espeak-ng at ``rate`` words per minute
    (175 when None) in ``voice`` (an id, name or language; espeak-ng's default when None).
    Blocks until rendered; the rate and voice of earlier calls never leak into this one."""
    rate = int(rate or DEFAULT_RATE)
    return _shared_engine().call(lambda state: _render(state, text, rate, voice))


def list_voices() -> list[VoiceInfo]:
    """The voices espeak-ng offers (ids go to ``Voice(voice=...)``)."""
    return list(_shared_engine().call(_voices))


def _resolve_voice(voice: str, voices: list[VoiceInfo]) -> str | None:
    """The id of the voice named by an id, a name or a language; None if there is none.

    pyttsx3 passes the voice to espeak's SetVoiceByName, which takes an id or a name but not
    every language ("en-gb" fails), so the id is what is set."""
    wanted = voice.strip().lower()
    for info in voices:
        names = {info.id.lower(), info.id.lower().rsplit("/", 1)[-1], info.name.lower()}
        if wanted in names | {language.lower() for language in info.languages}:
            return info.id
    return None


def _known_voice(voice: str, voices: list[VoiceInfo]) -> bool:
    return _resolve_voice(voice, voices) is not None


class EspeakSynthesizer:
    """espeak-ng through pyttsx3: the process's one engine thread, at a rate and in a voice."""

    name = "espeak-ng"

    def __init__(self, rate: int | None = None, voice: str | None = None) -> None:
        self.rate = rate
        self.voice = voice
        _shared_engine()  # VoiceUnavailable now, not on the first sentence, if it cannot start
        if voice is not None and not _known_voice(voice, list_voices()):
            raise VoiceUnavailable(f"no voice '{voice}'; see `espeak-ng --voices` for the list")

    def synthesize(self, text: str) -> Speech:
        return synthesize(text, self.rate, self.voice)

    def voices(self) -> list[VoiceInfo]:
        return list_voices()
