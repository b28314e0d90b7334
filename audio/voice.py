"""Speak a text aloud: a :class:`~audio.synthesis.Synthesizer` renders each sentence, PortAudio
plays it, and stop() silences it at once.

The text is split into sentences; the first plays while the rest render, so a long model answer
starts at once and is spoken completely. Which engine renders is the synthesizer's business
(``audio.synthesis.make_synthesizer``; espeak-ng today, see :mod:`audio.espeak`).
"""

from __future__ import annotations

import contextlib
import queue
import threading
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

import numpy as np

from audio.devices import load_sounddevice
from audio.engines import make_synthesizer
from audio.errors import describe as _describe
from audio.synthesis import Synthesizer, VoiceUnavailable, split_sentences

VOICE_LATENCY: str | float = "low"


def _sounddevice() -> Any:
    return load_sounddevice(VoiceUnavailable, "play sound")


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

    ``synthesizer`` renders the sentences (None: the default engine, espeak-ng at its own
    rate); ``device`` is a PortAudio output device (default: the system's).
    Raises :class:`VoiceUnavailable` when there is no speech engine or no sound library.
    """

    def __init__(
        self, synthesizer: Synthesizer | None = None, device: int | str | None = None
    ) -> None:
        self.device = device
        self._sd = _sounddevice()
        try:
            self._sd.query_devices(device, "output")
        except Exception as error:
            raise VoiceUnavailable(
                f"no sound output device ({_describe(error)}); plug in speakers or choose one "
                "listed by `mock-interview devices`"
            ) from None
        self.synthesizer = synthesizer if synthesizer is not None else make_synthesizer()
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
                speech = self.synthesizer.synthesize(sentence)
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
