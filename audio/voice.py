"""Speak a text aloud with espeak-ng, played through PortAudio so that stop() is instant.

Why espeak-ng is driven directly and not through pyttsx3 (measured with pyttsx3 2.99 on
espeak-ng 1.51, see BENCHMARKS.md "Audio I/O"):

* pyttsx3's espeak driver plays by writing a temporary WAV and running ``aplay`` inside
  espeak's callback, so it cannot be stopped mid-sentence.
* ``runAndWait`` returns before synthesis has finished on the first call (its queued
  ``endLoop`` runs before the text), which is why a long text "wrote no file": the file was
  written later, under the next request's name.
* A rate set after the first utterance is applied late or never: rate 300 then 100 rendered
  "Hello world, how are you today." as 1.04 s both times (espeak-ng -s 100: 3.93 s);
  100 then 300 gave 3.92 s both times.

``espeak-ng -w`` in a subprocess per sentence renders exactly what the command line does, with
the rate and voice asked for, takes ~15 ms per sentence, cannot hang the app (timeout), and
needs no shared engine. Texts are split into sentences; the first plays while the rest render, so a
long model answer starts after the first sentence and is spoken completely.
"""

from __future__ import annotations

import contextlib
import queue
import re
import shutil
import subprocess
import tempfile
import threading
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np

from audio._alsa import quiet_alsa

INSTALL_HINT = "install it with: sudo apt-get install espeak-ng"
SYNTH_TIMEOUT_S = 30.0
DEFAULT_RATE = 175  # espeak-ng's own default, words per minute
_MAX_CHUNK_CHARS = 300
VOICE_LATENCY: str | float = "low"


class VoiceUnavailable(Exception):
    """No speech engine or no way to play it; the message says why and how to fix it."""


@dataclass(frozen=True)
class VoiceInfo:
    """One espeak-ng voice as ``espeak-ng --voices`` lists it."""

    id: str
    name: str
    languages: tuple[str, ...] = ()


@dataclass(frozen=True)
class Speech:
    """Synthesised audio of one piece of text."""

    samples: np.ndarray  # float32 mono
    samplerate: int

    @property
    def duration_s(self) -> float:
        return len(self.samples) / self.samplerate


_ABBREVIATIONS = ("e.g.", "i.e.", "etc.", "vs.", "Dr.", "Mr.", "Mrs.", "Fig.", "approx.")


def split_sentences(text: str) -> list[str]:
    """Split a text into sentences; a very long sentence is cut at clause punctuation."""
    text = " ".join(text.split())
    if not text:
        return []
    pieces: list[str] = []
    current = ""
    for token in re.split(r"(?<=[.!?])\s+", text):
        current = f"{current} {token}".strip()
        if current.endswith(_ABBREVIATIONS):
            continue
        pieces.append(current)
        current = ""
    if current:
        pieces.append(current)
    chunks: list[str] = []
    for sentence in pieces:
        chunks.extend(_cut_long(sentence))
    return chunks


def _cut_long(sentence: str) -> list[str]:
    if len(sentence) <= _MAX_CHUNK_CHARS:
        return [sentence]
    parts = re.split(r"(?<=[,;:])\s+", sentence)
    chunks: list[str] = []
    current = ""
    for part in parts:
        if current and len(current) + len(part) + 1 > _MAX_CHUNK_CHARS:
            chunks.append(current)
            current = part
        else:
            current = f"{current} {part}".strip()
    if current:
        chunks.append(current)
    return chunks


def _describe(error: BaseException) -> str:
    text = str(error).strip().splitlines()[0] if str(error).strip() else ""
    return f"{type(error).__name__}: {text}" if text else type(error).__name__


def espeak_path() -> str:
    """The espeak-ng executable; :class:`VoiceUnavailable` if it is not installed."""
    path = shutil.which("espeak-ng")
    if path is None:
        raise VoiceUnavailable(f"no speech engine (espeak-ng is not installed); {INSTALL_HINT}")
    return path


def synthesize(text: str, rate: int | None = None, voice: str | None = None) -> Speech:
    """Render ``text`` with espeak-ng (as ``espeak-ng -s RATE -v VOICE -w``); blocks."""
    import soundfile as sf

    command = [espeak_path(), "-s", str(int(rate or DEFAULT_RATE))]
    if voice:
        command += ["-v", voice]
    with tempfile.TemporaryDirectory(prefix="mi-voice-") as folder:
        path = Path(folder) / "speech.wav"
        try:
            result = subprocess.run(
                [*command, "-w", str(path), "--stdin"],
                input=text.encode("utf-8"),
                capture_output=True,
                timeout=SYNTH_TIMEOUT_S,
            )
        except (OSError, subprocess.TimeoutExpired) as error:
            raise VoiceUnavailable(
                f"espeak-ng failed ({_describe(error)}); {INSTALL_HINT}"
            ) from None
        if result.returncode != 0 or not path.exists():
            detail = result.stderr.decode("utf-8", "replace").strip().splitlines()
            reason = detail[0] if detail else f"exit code {result.returncode}"
            raise VoiceUnavailable(f"espeak-ng failed ({reason}); {INSTALL_HINT}")
        samples, samplerate = sf.read(path, dtype="float32", always_2d=False)
    return Speech(np.ascontiguousarray(samples, dtype=np.float32), int(samplerate))


def list_voices() -> list[VoiceInfo]:
    """The voices espeak-ng offers (ids go to ``Voice(voice=...)``)."""
    result = subprocess.run(
        [espeak_path(), "--voices"], capture_output=True, text=True, timeout=SYNTH_TIMEOUT_S
    )
    voices = []
    for line in result.stdout.splitlines()[1:]:
        fields = line.split()
        if len(fields) < 5:
            continue
        language, name, file = fields[1], fields[3], fields[4]
        voices.append(VoiceInfo(id=file, name=name.replace("_", " "), languages=(language,)))
    return voices


def _known_voice(voice: str, voices: list[VoiceInfo]) -> bool:
    wanted = voice.strip().lower()
    for info in voices:
        names = {info.id.lower(), info.id.lower().rsplit("/", 1)[-1], info.name.lower()}
        if wanted in names | {language.lower() for language in info.languages}:
            return True
    return False


def _sounddevice() -> Any:
    try:
        import sounddevice
    except OSError as error:
        raise VoiceUnavailable(
            f"cannot play sound ({error}); install it with: sudo apt-get install libportaudio2"
        ) from None
    quiet_alsa()
    return sounddevice


@dataclass
class _Utterance:
    text: str
    on_done: Callable[[], None] | None
    cancelled: threading.Event = field(default_factory=threading.Event)


class _Feed:
    """Samples handed from the speaking thread to the PortAudio callback."""

    def __init__(self, cancelled: threading.Event) -> None:
        self._chunks: list[np.ndarray] = []
        self._offset = 0
        self._lock = threading.Lock()
        self._closed = False
        self._cancelled = cancelled
        self.drained = threading.Event()

    def push(self, samples: np.ndarray) -> None:
        with self._lock:
            self._chunks.append(samples)

    def close(self) -> None:
        with self._lock:
            self._closed = True

    def callback(self, outdata: np.ndarray, frames: int, _time: Any, _status: Any) -> None:
        from sounddevice import CallbackAbort, CallbackStop

        out = outdata[:, 0]
        out.fill(0.0)
        if self._cancelled.is_set():
            self.drained.set()
            raise CallbackAbort
        filled = 0
        with self._lock:
            while filled < frames and self._chunks:
                chunk = self._chunks[0]
                take = min(frames - filled, len(chunk) - self._offset)
                out[filled : filled + take] = chunk[self._offset : self._offset + take]
                filled += take
                self._offset += take
                if self._offset >= len(chunk):
                    self._chunks.pop(0)
                    self._offset = 0
            finished = self._closed and not self._chunks
        if finished:
            self.drained.set()
            raise CallbackStop


class Voice:
    """Speaks texts one after another in a background thread; ``stop()`` silences it at once.

    ``rate`` is in words per minute (espeak-ng's default, 175, when None); ``voice`` is an id,
    name or language from :func:`list_voices` (e.g. ``en-us``). ``device`` is a PortAudio output
    device (default: the system's).
    Raises :class:`VoiceUnavailable` when there is no speech engine or no sound library.
    """

    def __init__(
        self,
        rate: int | None = None,
        voice: str | None = None,
        device: int | str | None = None,
    ) -> None:
        self.rate = rate
        self.voice = voice
        self.device = device
        self._sd = _sounddevice()
        try:
            self._sd.query_devices(device, "output")
        except Exception as error:
            raise VoiceUnavailable(
                f"no sound output device ({_describe(error)}); plug in speakers or choose one "
                "listed by `mock-interview devices`"
            ) from None
        espeak_path()
        if voice is not None and not _known_voice(voice, list_voices()):
            raise VoiceUnavailable(f"no voice '{voice}'; see `espeak-ng --voices` for the list")
        self._queue: queue.Queue[_Utterance | None] = queue.Queue()
        self._pending: list[_Utterance] = []
        self._lock = threading.Lock()
        self._idle = threading.Event()
        self._idle.set()
        self.last_error: str | None = None
        self._closed = False
        self._thread = threading.Thread(target=self._run, name="voice-speaker", daemon=True)
        self._thread.start()

    @property
    def is_speaking(self) -> bool:
        return not self._idle.is_set()

    def speak(self, text: str, on_done: Callable[[], None] | None = None) -> None:
        """Queue ``text``; returns at once. ``on_done`` runs (in a background thread) when it
        has been spoken completely or was stopped."""
        if self._closed:
            raise RuntimeError("this Voice is closed")
        utterance = _Utterance(text, on_done)
        with self._lock:
            self._idle.clear()
            self._pending.append(utterance)
        self._queue.put(utterance)

    def stop(self) -> None:
        """Silence the current text at once and drop the queued ones.

        Only a flag is set here: the PortAudio callback sees it within one buffer (a few
        milliseconds), writes silence and aborts, which discards what was buffered; the stream
        itself is touched by the speaking thread alone (aborting it from a second thread while
        the callback finishes can deadlock PortAudio).
        """
        with self._lock:
            for utterance in self._pending:
                utterance.cancelled.set()

    def wait(self, timeout: float | None = None) -> bool:
        """Wait until everything queued has been spoken; False if ``timeout`` ran out."""
        return self._idle.wait(timeout)

    def close(self) -> None:
        """Stop speaking and end the speaking thread."""
        if self._closed:
            return
        self._closed = True
        self.stop()
        self._queue.put(None)
        self._thread.join(timeout=5)

    def __enter__(self) -> Voice:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def _run(self) -> None:
        while True:
            utterance = self._queue.get()
            if utterance is None:
                return
            try:
                if not utterance.cancelled.is_set():
                    self._say(utterance)
            except Exception as error:  # keep the thread alive; report on the object
                self.last_error = _describe(error)
            finally:
                with self._lock:
                    self._pending.remove(utterance)
                    if not self._pending:
                        self._idle.set()
                if utterance.on_done is not None:
                    with contextlib.suppress(Exception):
                        utterance.on_done()

    def _say(self, utterance: _Utterance) -> None:
        sentences = split_sentences(utterance.text)
        feed = _Feed(utterance.cancelled)
        stream = None
        try:
            for sentence in sentences:
                if utterance.cancelled.is_set():
                    break
                speech = synthesize(sentence, self.rate, self.voice)
                feed.push(speech.samples)
                if stream is None:
                    stream = self._open_stream(speech.samplerate, feed, utterance)
            feed.close()
            if stream is not None:
                while not feed.drained.wait(0.05):
                    if utterance.cancelled.is_set() or not stream.active:
                        break
        finally:
            if stream is not None:
                with contextlib.suppress(Exception):
                    stream.abort()
                with contextlib.suppress(Exception):
                    stream.close()

    def _open_stream(self, samplerate: int, feed: _Feed, utterance: _Utterance) -> Any:
        try:
            stream = self._sd.OutputStream(
                samplerate=samplerate,
                channels=1,
                dtype="float32",
                device=self.device,
                latency=VOICE_LATENCY,
                callback=feed.callback,
            )
        except Exception as error:
            raise VoiceUnavailable(f"cannot open the sound output ({_describe(error)})") from None
        if not utterance.cancelled.is_set():
            stream.start()
        return stream
