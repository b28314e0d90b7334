"""Live transcription: decode while the speaker talks, so the transcript is ready at stop.

Blocks arrive through :meth:`LiveTranscription.feed` (from the recorder's writer thread; it
only appends and returns). A decoder thread decodes the *window*, the audio not yet committed,
each time about ``step_s`` of new audio has arrived (new audio that is only silence is not
decoded); each decode updates :attr:`partial_text` and calls ``on_partial``.

A pause (``speech_end_s`` of quiet after speech no decode has heard to its end) starts a
decode at once, without waiting for a full step: a stop in that pause then finds the answer
decoded and reuses it.

Committing: once the window is ``min_window_s`` long (Whisper guesses worse on short audio), the
words on which the last two decodes agree and that end ``holdback_s`` before the end of the
window are safe; the window is cut after the last safe word that ends a sentence (or after the
last safe word past ``max_window_s``), in the middle of the gap before the next word; no window
is longer than ``HARD_WINDOW_S``, so a decoder that fell behind takes its backlog a chunk at a
time. Windows that may be committed are decoded like a whole-file pass (temperature fallback);
the others once, at temperature 0. Committed text is shown to Whisper as the previous text.

On :meth:`finish` only the uncommitted tail is left, and little of it is decoded again: a step
decode still in flight is given up at its next model call (``interrupt_at_stop``) rather than
waited for; the words of the last finished decode are kept up to the last word that ends
``holdback_s`` before the end of the audio it heard, and only the audio after that word (a
clip of a few seconds: one encoder pass and a few tokens) is decoded, with everything before
it as context (``clip_at_stop``); a decode of the clip that skipped words the last decode heard
in it (tiny.en may skip words that repeat the context) is done again without the context, and
failing that the whole window is decoded, so nothing said is lost. Nothing at all is decoded
when the last decode already heard the answer to its end and only silence came after it. So
the work at stop does not grow with the answer, nor with the uncommitted window. Word times
count from the start of the recording.
"""

from __future__ import annotations

import difflib
import threading
import time
from collections.abc import Callable

import numpy as np

from audio.samples import SAMPLE_RATE, as_samples, loudest_dbfs
from audio.transcript import (
    CHUNK_S,
    CONTEXT_CHARS,
    DecodeInterrupted,
    Decoder,
    Segment,
    Transcript,
    Word,
)

_CLAUSE_END = (".", "?", "!")
_PHRASE_END = (",", ";", ":")
_EDGE_S = 0.3
"""A word that ends this near the end of a decoded window may be cut, or guessed, by it."""
HARD_WINDOW_S = CHUNK_S
"""The longest window decoded at once, committed whatever the decodes agree on. A decoder that
fell behind takes its backlog this much at a time: on longer audio Whisper's own windowing
loses text (as whole-file passes did before they were cut into chunks)."""


class LiveTranscription:
    """Audio in, growing text out; :meth:`finish` gives the whole :class:`Transcript`."""

    def __init__(
        self,
        transcriber: Decoder,
        hotwords: str | None = None,
        on_partial: Callable[[str], None] | None = None,
        step_s: float = 1.0,
        holdback_s: float = 2.0,
        min_window_s: float = 12.0,
        max_window_s: float = 20.0,
        speech_end_s: float | None = 0.3,
        interrupt_at_stop: bool = True,
        clip_at_stop: bool = True,
    ) -> None:
        self.transcriber = transcriber
        self.hotwords = hotwords
        self.on_partial = on_partial
        self.step = int(step_s * SAMPLE_RATE)
        self.holdback_s = holdback_s
        self.min_window_s = min_window_s
        self.max_window_s = max_window_s
        self.speech_end = None if speech_end_s is None else int(speech_end_s * SAMPLE_RATE)
        self.longest = int(HARD_WINDOW_S * SAMPLE_RATE)
        self.interrupt_at_stop = interrupt_at_stop
        self.clip_at_stop = clip_at_stop
        self._speech_seen = False  # any block louder than silence yet
        self._quiet_run = 0  # samples of quiet since the last speech
        self._pause_decoded = False  # a decode took the window in this pause, past speech_end
        self._cond = threading.Condition()
        self._pending: list[np.ndarray] = []
        self._window = np.zeros(0, dtype=np.float32)
        self._window_start = 0  # samples from the start of the recording
        self._received = 0
        self._decoded_upto = 0  # the end of the audio the decoder took so far
        # Where decodes end is set by feed(), from the audio alone: the decoder thread may wake
        # late (a busy machine), and then took whatever had come by then (or, once speech went
        # on, skipped the pause decode), so the windows, and what stop reused, varied run to run.
        self._scheduled = 0  # the end of the audio feed() handed to decodes so far
        self._due: int | None = None  # the end of the next decode's window, when one is due
        self._due_pause = False  # the next decode is a pause's
        self._peak_dbfs = -120.0  # the loudest 100 ms so far: what speech sounds like here
        self._last_end = -1  # sample where the last decoded window ended
        self._last_rest: list[Segment] = []  # its words not committed
        self._last_ended_quiet = False
        self.reused_last_decode = False
        self.interrupted = False  # finish() gave up a step decode in flight
        self._decoding_to_quiet = False  # the decode in flight heard the speaker stop
        self._busy = False
        self._previous: list[Word] = []  # the words of the last decode, to agree with
        self._committed: list[Segment] = []
        self._tail_text = ""
        self._finishing = False
        self._result: Transcript | None = None
        self.decodes = 0
        self.decode_s = 0.0
        self.max_decode_s = 0.0
        self.error: BaseException | None = None
        self._thread = threading.Thread(target=self._run, name="live-transcription", daemon=True)
        self._thread.start()

    # -- the feeding side -------------------------------------------------------------------

    def feed(self, block: np.ndarray) -> None:
        """Append float32 mono 16 kHz samples; returns at once."""
        samples = as_samples(block).copy()
        if samples.size == 0:
            return
        with self._cond:
            if self._finishing:
                return
            self._pending.append(samples)
            self._received += samples.size
            if self._is_quiet(samples):
                self._quiet_run += samples.size
            else:
                self._speech_seen, self._quiet_run, self._pause_decoded = True, 0, False
            if self._has_work():
                # A pause's decode still waiting for a busy decoder stays a pause's.
                pending_pause = self._due is not None and self._due_pause
                self._due, self._due_pause = self._received, pending_pause or self._speech_ended()
                self._scheduled = self._received
                if self.speech_end is not None and self._quiet_run >= self.speech_end:
                    self._pause_decoded = True
                self._cond.notify_all()  # the decoder, and anyone in wait_caught_up

    @property
    def received_s(self) -> float:
        return self._received / SAMPLE_RATE

    def _speech_ended(self) -> bool:
        """The speaker fell silent after words no decode has seen to their end (lock held):
        decode now, so that a stop in this pause finds the answer already decoded."""
        return (
            self.speech_end is not None
            and self._speech_seen
            and not self._pause_decoded
            and self._quiet_run >= self.speech_end
            and self._received > self._scheduled
        )

    def _has_work(self) -> bool:
        """Enough new audio for a decode, or the end of an utterance (lock held)."""
        return self._received - self._scheduled >= self.step or self._speech_ended()

    def _is_caught_up(self) -> bool:
        """The decoder has decoded all it will before more audio comes (lock held)."""
        return not self._busy and self._due is None

    def wait_caught_up(self, timeout: float | None = None) -> bool:
        """Block until the decoder is caught up (or has failed); False on timeout. For callers
        that feed faster than real time and want the windows real time would give."""
        with self._cond:
            return self._cond.wait_for(
                lambda: self._is_caught_up() or self.error is not None, timeout
            )

    @property
    def committed_text(self) -> str:
        with self._cond:
            return _join(self._committed)

    @property
    def heard_to_s(self) -> float:
        """Seconds of the recording that the latest decode heard (the end of its window), so
        :attr:`partial_text` holds the words said up to here; 0 before the first decode."""
        with self._cond:
            return max(0, self._last_end) / SAMPLE_RATE

    @property
    def last_word(self) -> Word | None:
        """The last word of :attr:`partial_text`, with its times and probability."""
        with self._cond:
            for segments in (self._last_rest, self._committed):
                if segments and segments[-1].words:
                    return segments[-1].words[-1]
            return None

    @property
    def partial_text(self) -> str:
        """Everything heard so far: the committed words and the latest guess at the rest."""
        with self._cond:
            return _join_text(_join(self._committed), self._tail_text)

    # -- the decoder thread -----------------------------------------------------------------

    def _take_window(self, upto: int | None = None) -> tuple[np.ndarray, int, str]:
        """The uncommitted audio (up to sample ``upto`` of the recording, a block end; None:
        all that came), where it starts, and the committed text before it."""
        if self._pending:
            waiting = self._received - sum(b.size for b in self._pending)
            taken = 0
            for block in self._pending:
                if upto is not None and waiting + block.size > upto:
                    break
                waiting += block.size
                taken += 1
            self._window = np.concatenate([self._window, *self._pending[:taken]])
            self._pending = self._pending[taken:]
        context = _join(self._committed)[-CONTEXT_CHARS:]
        return self._window, self._window_start, context

    def _stop_wanted(self) -> bool:
        """Asked by the model before each of its calls in a step decode: the answer ended, and
        this decode did not hear it to its end (one that did is waited for: stop reuses it)."""
        return self._finishing and not self._decoding_to_quiet

    def _run(self) -> None:
        stop = self._stop_wanted if self.interrupt_at_stop else None
        try:
            while True:
                with self._cond:
                    while not self._finishing and self._due is None:
                        self._cond.wait()
                    if self._finishing or self._due is None:
                        return
                    upto, at_pause, self._due = self._due, self._due_pause, None
                    window, start, context = self._take_window(upto)
                    window = window[: self.longest]  # a backlog: a chunk at a time
                    if start + window.size < upto:  # the rest of it next
                        self._due, self._due_pause = upto, at_pause
                    new = window[max(0, self._decoded_upto - start) :]
                    self._decoding_to_quiet = self._is_quiet(window[-int(0.3 * SAMPLE_RATE) :])
                    self._decoded_upto = start + window.size
                    self._busy = True
                try:
                    if self._is_quiet(new) and self._last_end >= 0 and self._last_ended_quiet:
                        # Nothing new was said, and the last decode heard the speaker to the
                        # end. (If it ended mid-speech, decode once more: stop can reuse that.)
                        continue
                    self._decode_window(
                        window, start, context, final=False, at_pause=at_pause, interrupt=stop
                    )
                except DecodeInterrupted:
                    self.interrupted = True
                    return  # finish() takes it from the last decode that was not given up
                finally:
                    with self._cond:
                        self._busy = False
                        self._cond.notify_all()
        except BaseException as error:  # noqa: BLE001 - kept and re-raised by finish()
            with self._cond:
                self.error = error
                self._cond.notify_all()

    def _decode_window(
        self,
        window: np.ndarray,
        start: int,
        context: str,
        final: bool,
        at_pause: bool = False,
        interrupt: Callable[[], bool] | None = None,
    ) -> None:
        """Decode ``window``; commit what is safe (all of it when ``final``).

        A window that may be committed, or whose decode may be reused at stop (one taken at a
        pause), is decoded in full, with temperature fallback; the others once, greedily."""
        offset = start / SAMPLE_RATE
        length = window.size / SAMPLE_RATE
        full = final or at_pause or length >= self.min_window_s
        segments = self._decode(window, offset, context, full, interrupt)
        self._apply(segments, window, start, final)

    def _decode(
        self,
        window: np.ndarray,
        offset: float,
        context: str | None,
        fallback: bool,
        interrupt: Callable[[], bool] | None = None,
    ) -> list[Segment]:
        segments, seconds = self.transcriber.decode(
            window, self.hotwords, context, offset, fallback=fallback, interrupt=interrupt
        )
        self.decodes += 1
        self.decode_s += seconds
        self.max_decode_s = max(self.max_decode_s, seconds)
        return segments

    def _apply(self, segments: list[Segment], window: np.ndarray, start: int, final: bool) -> None:
        """Commit what is safe of a decode of ``window`` (all of it when ``final``)."""
        offset = start / SAMPLE_RATE
        end = offset + window.size / SAMPLE_RATE
        if final:
            commit, cut = segments, end
        else:
            commit, cut = self._choose_commit(segments, offset, end)
            self._previous = [w for s in segments for w in s.words]
        with self._cond:
            self._committed.extend(commit)
            done = {id(w) for s in commit for w in s.words}
            rest = [w for s in segments for w in s.words if id(w) not in done]
            self._last_end = start + window.size
            self._last_rest = _regroup(segments, {id(w) for w in rest})
            self._last_ended_quiet = self._is_quiet(window[-int(0.3 * SAMPLE_RATE) :])
            if not final and cut > offset:
                drop = min(int(round(cut * SAMPLE_RATE)) - self._window_start, self._window.size)
                if drop > 0:
                    self._window = self._window[drop:]
                    self._window_start += drop
            self._tail_text = "" if final else "".join(w.text for w in rest).strip()
            text = _join_text(_join(self._committed), self._tail_text)
        if self.on_partial is not None and not final:
            self.on_partial(text)

    def _is_quiet(self, samples: np.ndarray) -> bool:
        """No speech in ``samples``: far quieter than the loudest speech so far."""
        if samples.size == 0:
            return True
        level = loudest_dbfs(samples)
        self._peak_dbfs = max(self._peak_dbfs, level)
        return level < max(self.transcriber.options.energy_gate_dbfs, self._peak_dbfs - 35.0)

    def _choose_commit(
        self, segments: list[Segment], offset: float, end: float
    ) -> tuple[list[Segment], float]:
        """The words that will not change any more (as segments), and where to cut the window.

        A word is safe when the last two decodes agree on it and on every word before it
        (tiny Whisper models sometimes drop or change the first words of a window; agreement
        keeps such a guess out) and it ends ``holdback_s`` before the end of the window. The
        cut goes after the last safe word that ends a clause, or after the last safe word once
        the window is longer than ``max_window_s``; it sits in the middle of the gap before the
        next word, so no word is split. Past ``HARD_WINDOW_S`` the latest guess is taken.
        """
        limit = end - self.holdback_s
        words = [w for s in segments for w in s.words]
        if words and end - offset < self.min_window_s:
            return [], offset  # Whisper hears better with a long window: wait for one
        if not words:  # silence: drop it once the window is long, keeping the hold-back
            return [], (limit if end - offset > self.max_window_s else offset)
        previous = [_norm(w.text) for w in self._previous if w.start >= offset - 0.05]
        agreed = 0
        while (
            agreed < min(len(words), len(previous))
            and _norm(words[agreed].text) == previous[agreed]
        ):
            agreed += 1
        if end - offset >= HARD_WINDOW_S - 0.01:
            agreed = len(words)
        safe = 0
        while safe < agreed and words[safe].end <= limit:
            safe += 1
        if safe == 0:
            return [], offset
        ends = [i for i in range(safe) if words[i].text.rstrip().endswith(_CLAUSE_END)]
        if ends:
            last = ends[-1]
        elif end - offset >= self.max_window_s:
            last = safe - 1
        else:
            return [], offset
        kept = words[: last + 1]
        following = words[last + 1].start if last + 1 < len(words) else limit
        cut = max(kept[-1].end, min(following, (kept[-1].end + following) / 2))
        return _regroup(segments, set(map(id, kept))), cut

    # -- the end ----------------------------------------------------------------------------

    def finish(self) -> Transcript:
        """Stop feeding; decode only the uncommitted tail; the whole transcript."""
        if self._result is not None:
            return self._result
        stopped = time.perf_counter()
        with self._cond:
            self._finishing = True
            self._cond.notify_all()
        self._thread.join()
        waited = time.perf_counter() - stopped
        if self.error is not None:
            raise self.error
        with self._cond:
            window, start, context = self._take_window()
        while window.size > self.longest:  # the decoder fell behind: its backlog, chunk by chunk
            self._decode_window(window[: self.longest], start, context, final=False)
            with self._cond:
                before, (window, start, context) = start, self._take_window()
            if start == before:
                break  # nothing could be committed: decode the rest at once
        with self._cond:
            unseen = window[max(0, self._last_end - start) :]
        tail_s = window.size / SAMPLE_RATE
        reused_s = 0.0
        head = self._reusable_head(start) if self.clip_at_stop else None
        if self._last_end >= 0 and self._last_ended_quiet and self._is_quiet(unseen):
            # The last decode heard the answer to its end; only silence came after it.
            self._committed.extend(self._last_rest)
            self.reused_last_decode = True
            tail_s = 0.0
            reused_s = window.size / SAMPLE_RATE
        elif head is not None:
            # Keep what the last decode heard up to a word well before its end; decode the rest.
            cut, kept, heard = head
            with self._cond:
                clip_context = _join([*self._committed, *kept])[-CONTEXT_CHARS:]
            clip = window[cut - start :]
            found = self._decode_clip(clip, cut, clip_context, heard)
            if found is None:  # the clip lost words the last decode heard: the whole window
                self._decode_window(window, start, context, final=True)
            else:
                with self._cond:
                    self._committed.extend(kept)
                self._apply(found, clip, cut, final=True)
                tail_s = clip.size / SAMPLE_RATE
                reused_s = (cut - start) / SAMPLE_RATE
        else:
            self._decode_window(window, start, context, final=True)
        duration = self._received / SAMPLE_RATE
        timings = {
            "load_s": self.transcriber.load_s,
            "decode_s": self.decode_s,
            "live_decodes": float(self.decodes),
            "max_live_decode_s": self.max_decode_s,
            "finish_wait_s": waited,
            "tail_s": tail_s,
            "reused_s": reused_s,
            "interrupted": float(self.interrupted),
            "finish_s": time.perf_counter() - stopped,
        }
        self._result = Transcript.from_segments(self._committed, duration, timings)
        return self._result

    def _decode_clip(
        self, clip: np.ndarray, cut: int, context: str, heard: list[Word]
    ) -> list[Segment] | None:
        """The segments of the clip decoded at stop, or None when every decode of it lost
        words the last decode heard well in it (``heard``): decode the whole window instead.

        Shown the text before the clip as previous text, tiny.en may skip words of the clip
        that repeat it: JFK's "... can do for you | ask what you can do for your country" came
        out "can do for your country" when the clip was cut 7.84 s in, not 7.80 or 7.90. Such a
        decode is done again without the previous text; a greedy last decode may have misheard
        one word, so one word it heard and the clip's decode lacks is not a loss."""
        best: tuple[int, list[Segment]] | None = None
        for previous in (context, None):
            segments = self._decode(clip, cut / SAMPLE_RATE, previous or None, fallback=True)
            lost = _lost_words(heard, segments)
            if best is None or lost < best[0]:
                best = (lost, segments)
            if lost == 0:
                break
        assert best is not None
        return best[1] if best[0] <= 1 else None

    def _reusable_head(self, start: int) -> tuple[int, list[Segment], list[Word]] | None:
        """Where to start decoding at stop, and the words of the last decode kept before it.

        The last finished decode's uncommitted words are kept up to the last sentence end (or,
        failing one, clause end; failing that, a pause of 0.3 s) among the words that end
        ``holdback_s`` before the end of the audio that decode heard (its last words may be cut
        by its end, or guessed without what follows); the cut goes into the gap after that
        word, at most 0.25 s past it. None when there is no such word (decode the whole
        window)."""
        with self._cond:
            if self._last_end <= start:
                return None
            heard_end = self._last_end / SAMPLE_RATE
            words = [
                w for s in self._last_rest for w in s.words if w.start >= start / SAMPLE_RATE - 0.05
            ]
            limit = heard_end - self.holdback_s
            safe = [i for i, w in enumerate(words) if w.end <= limit]
            # tiny.en mishears a clip that starts mid-sentence ("... to get a more | stable
            # estimate" came out "linear, similar to"): start it where a sentence, or else a
            # clause, starts
            ends = [i for i in safe if words[i].text.rstrip().endswith(_CLAUSE_END)]
            ends = ends or [i for i in safe if words[i].text.rstrip().endswith(_PHRASE_END)]
            ends = ends or [  # unpunctuated (a greedy guess): a pause between words
                i for i in safe if i + 1 < len(words) and words[i + 1].start - words[i].end >= 0.3
            ]
            if not ends:
                return None
            last = ends[-1]
            following = words[last + 1].start if last + 1 < len(words) else heard_end
            end = words[last].end
            cut = int(round(max(end, min(end + 0.25, (end + following) / 2)) * SAMPLE_RATE))
            if cut <= start:
                return None
            kept = _regroup(self._last_rest, {id(w) for w in words[: last + 1]})
            # what it heard in the clip, but for the last word or so (maybe cut by its end):
            # a decode of the clip that lacks these lost them
            heard = [w for w in words[last + 1 :] if w.end <= heard_end - _EDGE_S]
            return cut, kept, heard

    def words(self) -> list[Word]:
        with self._cond:
            return [w for s in self._committed for w in s.words]


def _regroup(segments: list[Segment], kept: set[int]) -> list[Segment]:
    """The kept words (by id), as segments that keep the original grouping."""
    result = []
    for segment in segments:
        words = tuple(w for w in segment.words if id(w) in kept)
        if words:
            text = "".join(w.text for w in words)
            result.append(Segment(words[0].start, words[-1].end, text, words))
    return result


def _lost_words(heard: list[Word], segments: list[Segment]) -> int:
    """How many of the ``heard`` words a decode of the same audio skipped: heard words with no
    word of the decode in their place. A word heard otherwise ("cross-malination", "cross
    validation"), or two heard as one ("star, please", "stable"), is a guess, not a loss."""
    expected = [_norm(w.text) for w in heard]
    found = [_norm(w.text) for s in segments for w in s.words]
    matcher = difflib.SequenceMatcher(None, expected, found, autojunk=False)
    lost = 0
    for tag, i1, i2, j1, j2 in matcher.get_opcodes():
        if tag == "delete":
            lost += i2 - i1
        elif tag == "replace":
            lost += max(0, (i2 - i1) - (j2 - j1) - 1)
    return lost


def _norm(text: str) -> str:
    return "".join(c for c in text.lower() if c.isalnum())


def _join(segments: list[Segment]) -> str:
    return " ".join(s.text.strip() for s in segments if s.text.strip())


def _join_text(first: str, second: str) -> str:
    return f"{first} {second}".strip() if second else first
