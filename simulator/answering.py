"""Taking one answer: a spoken one owns its recorder, relay and live transcription.

:class:`VoiceAnswer` starts writing the microphone to a file the moment recording starts, even
while the Whisper model still loads: a :class:`BlockRelay` keeps the blocks heard meanwhile and
feeds them, in order, to the live transcription once it exists. :meth:`VoiceAnswer.stop` ends
the recording; :meth:`VoiceAnswer.finish` gives the one :class:`~simulator.assess.Feedback`
(from the live transcription, or a whole-file pass when there was none). A typed answer needs
no machinery: :func:`simulator.assess.assess_text`.

Threads: :meth:`~VoiceAnswer.start_recording` and :meth:`~VoiceAnswer.listen` run in one
worker; :meth:`~VoiceAnswer.stop` and :meth:`~VoiceAnswer.finish` in another, which waits for
the first to settle (:meth:`~VoiceAnswer.settle`). No front end is assumed. Importing this
module is cheap (a key press creates a :class:`VoiceAnswer` on a UI's event loop): the
recorder, the model and scoring are imported by the worker threads that use them.
"""

from __future__ import annotations

import contextlib
import json
import os
import re
import threading
import time
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, TypeAlias

if TYPE_CHECKING:
    import numpy as np

    from audio.live import LiveTranscription
    from audio.microphone import Recorder, Recording
    from audio.transcriber import Transcriber
    from content.questions import Question
    from simulator.assess import Feedback
    from simulator.meaning.index import MeaningIndex
    from simulator.turns import EndOfAnswer

Block: TypeAlias = "np.ndarray"
_SENTENCE_END = re.compile(r"[.!?](?=\s+\S)")


def finished_sentences(text: str) -> str:
    """``text`` up to the end of its last sentence that has more text after it."""
    ends = [m.end() for m in _SENTENCE_END.finditer(text)]
    return text[: ends[-1]].strip() if ends else ""


def warm_typed_draft(text: str) -> None:
    """Embed a typed draft's finished sentences now (the app calls it in a worker as the draft
    is saved), so Ctrl+S finds them embedded, as Space does a spoken answer's. Best effort:
    scoring embeds whatever is missing itself."""
    from simulator.meaning import shared

    index = shared.current()
    finished = finished_sentences(text)
    if index is not None and finished:
        warm_finished(index, finished)


def warm_finished(index: MeaningIndex, finished: str) -> None:
    """Embed the finished sentences of an answer in progress, and its whole-answer chunks so
    far, so scoring it later finds them cached. Best effort."""
    from simulator.meaning.units import split_units

    with contextlib.suppress(Exception):
        index.warm(unit.text for unit in split_units(finished))
        # And the whole answer's chunks so far: all but the last are the final answer's too.
        index.text_vectors([finished])


class NotTranscribed(Exception):
    """The recording is on disk but there is no model to transcribe it; says where and why."""


class BlockRelay:
    """A recorder's ``on_block``: forwards to ``connect``-ed feed, buffering until then."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._backlog: list[Block] = []
        self._feed: Callable[[Block], None] | None = None

    def __call__(self, block: Block) -> None:
        with self._lock:
            if self._feed is None:
                self._backlog.append(block)
                return
            self._feed(block)

    def connect(self, feed: Callable[[Block], None]) -> None:
        """Feed the backlog, then every new block, to ``feed`` (which must return at once)."""
        with self._lock:
            for block in self._backlog:
                feed(block)
            self._backlog.clear()
            self._feed = feed

    @property
    def waiting(self) -> int:
        """Blocks held back so far."""
        with self._lock:
            return len(self._backlog)


class VoiceAnswer:
    """One spoken answer to ``question``: recording, live words, then its feedback."""

    def __init__(
        self,
        question: Question,
        on_partial: Callable[[str], None] | None = None,
        on_stopped: Callable[[Recording], None] | None = None,
        turn: EndOfAnswer | None = None,
    ) -> None:
        self.question = question
        self.hotwords: str | None = None
        """The question's terms, to steer Whisper (worked out when recording starts)."""
        self.on_partial = on_partial
        self.on_stopped = on_stopped
        """Called (from the recorder's thread) when the recording ended by itself."""
        self.relay = BlockRelay()
        self.turn = turn
        """Hands-free: decides when the answer is over; fed every block and the live words.
        While it is muted (the app speaks) the live transcription gets silence instead."""
        self.recorder: Recorder | None = None
        self.live: LiveTranscription | None = None
        self._settled = threading.Event()
        self._embedded_up_to = ""
        self._primed = False
        self.stop_s = 0.0
        """How long ending the recording took (the recorder's last block written)."""

    @property
    def level_dbfs(self) -> float:
        recorder = self.recorder
        return float(recorder.level_dbfs) if recorder is not None else -100.0

    def start_recording(self, path: Path, device: int | str | None = None) -> None:
        """Record to ``path`` now; raises ``audio.microphone.MicrophoneUnavailable``."""
        from audio.microphone import Recorder
        from simulator.speech import question_terms

        self.hotwords = question_terms(self.question) or None
        on_block = self.relay if self.turn is None else self.take_block
        recorder = Recorder(path, device=device, on_block=on_block, on_stopped=self._ended)
        recorder.start()
        self.recorder = recorder

    def listen(self, transcriber: Transcriber) -> None:
        """Transcribe as the answer goes: the blocks heard so far first, then each new one."""
        live = transcriber.live(hotwords=self.hotwords, on_partial=self._heard)
        self.live = live
        if self.turn is not None:
            self.turn.expect_words()
        self.relay.connect(live.feed)

    def take_block(self, block: Block) -> None:
        """The recorder's ``on_block`` (its thread) when hands-free: the end detector hears
        every block; the words never include what the microphone heard while the app itself
        was speaking (the live transcription gets silence instead)."""
        turn = self.turn
        if turn is None:
            self.relay(block)
            return
        turn.feed(block)
        self.relay(block * 0.0 if turn.muted else block)

    def _heard(self, text: str) -> None:
        """From the live decoder: show the words (and tell the end detector, hands-free), and
        embed the sentences heard so far now (every one but the last, which may still grow), so
        scoring at Space finds them ready and its time does not grow with the answer."""
        live = self.live
        if self.turn is not None and live is not None:
            self.turn.hear(text, live.heard_to_s, live.last_word)
        if self.on_partial is not None:
            self.on_partial(text)
        from simulator.meaning import shared

        index = shared.current()
        if live is None or index is None:
            return
        if not self._primed:
            self._primed = True
            with contextlib.suppress(Exception):
                self._prime(index)
        finished = finished_sentences(text)
        if finished and finished != self._embedded_up_to:
            self._embedded_up_to = finished
            warm_finished(index, finished)

    def _prime(self, index: MeaningIndex) -> None:
        """Score a sentence once, early: the question's key points and model answer are then
        embedded (or read from the disk cache) before Space, not after it."""
        from simulator.scoring import coverage

        coverage(self.question, "I will answer the question.", index)

    def settle(self) -> None:
        """Starting is over (recording, and live words if a model came): stop may go on."""
        self._settled.set()

    @property
    def settled(self) -> bool:
        return self._settled.is_set()

    def _ended(self, recording: Recording) -> None:
        if recording.stopped_by != "user" and self.on_stopped is not None:
            self.on_stopped(recording)

    def heard_so_far(self) -> str:
        """The words of the live transcription so far (empty before it is connected)."""
        live = self.live
        return live.partial_text.strip() if live is not None else ""

    def stop(self, start_timeout_s: float = 5.0) -> Recording | None:
        """End the recording (waiting for it to start, if it still is); None if it never did."""
        deadline = time.monotonic() + start_timeout_s
        while self.recorder is None and not self._settled.is_set():
            if time.monotonic() > deadline:
                break
            time.sleep(0.05)
        recorder = self.recorder
        if recorder is None:
            return None
        started = time.perf_counter()
        recording = recorder.stop()
        self.stop_s = time.perf_counter() - started
        return recording

    def stop_quietly(self) -> None:
        """Stop the recording if there is one (quitting): its file stays."""
        recorder = self.recorder
        if recorder is not None:
            with contextlib.suppress(Exception):
                recorder.stop()

    def wait_settled(self, timeout_s: float = 60.0) -> None:
        """The model may still be loading: the words wait for it."""
        self._settled.wait(timeout_s)

    def finish(
        self,
        recording: Recording,
        transcriber: Transcriber | None,
        model_error: str = "",
        *,
        hinted: frozenset[str] = frozenset(),
        model_answer_first: bool = False,
    ) -> Feedback:
        """The answer's feedback: the live transcription finished, or the whole file decoded.

        ``hinted`` and ``model_answer_first`` go to :func:`~simulator.assess.assess_spoken`.
        Raises :class:`NotTranscribed` when there was neither (no model).
        """
        started = time.perf_counter()
        live = self.live
        if live is not None:
            transcript = live.finish()
        elif transcriber is not None:
            transcript = transcriber.transcribe(recording.path, hotwords=self.hotwords)
        else:
            reason = model_error or "the speech model is not loaded"
            raise NotTranscribed(
                f"the answer is saved ({recording.path}) but not transcribed: {reason}"
            )
        from simulator.assess import assess_spoken

        transcribed = time.perf_counter()
        feedback = assess_spoken(
            self.question, transcript, hinted=hinted, model_answer_first=model_answer_first
        )
        done = time.perf_counter()
        feedback.timings.update(
            stop_s=self.stop_s, transcribe_s=transcribed - started, score_s=done - transcribed
        )
        _log_timings(feedback.timings)
        return feedback


TIMINGS_LOG = "MOCK_INTERVIEW_TIMINGS_LOG"
"""Environment variable: a file to which each spoken answer's timings are appended as one JSON
line (for ``benchmarks/app_stop_latency.py``: where the time between Space and the feedback
goes)."""


def _log_timings(timings: dict[str, float]) -> None:
    path = os.environ.get(TIMINGS_LOG)
    if not path:
        return
    with contextlib.suppress(OSError), open(path, "a", encoding="utf-8") as out:
        out.write(json.dumps({k: round(v, 4) for k, v in timings.items()}) + "\n")
