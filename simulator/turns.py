"""When a hands-free answer is over: speech and silence from the microphone, and whether the
words heard so far leave a sentence open.

:class:`EndOfAnswer` is fed the recording as it is captured (:meth:`~EndOfAnswer.feed`, float
samples; time is counted in samples, so it runs on the recording's own clock) and the live
transcript (:meth:`~EndOfAnswer.hear`). It answers :attr:`~EndOfAnswer.ended` and
:attr:`~EndOfAnswer.silence_s`. The rules:

- Silence before the first word (a thinking pause) never ends the answer; only the answer
  clock does. The first word is a run of :attr:`TurnSettings.onset_s` of speech, so a click
  or a knock is not one.
- After speech, :attr:`TurnSettings.end_silence_s` of silence ends the answer when the words so
  far end a finished sentence; when they leave it open (the last word is "and", "so",
  "because", "um", "the", ... or the text ends on a comma, a colon, a dash or "...", or its
  last clause is a single word, Whisper's usual guess at a trailing "um"; or the transcript's
  last word is unsure or ends before the speech did: a dropped "and"; or the answer so far is
  shorter than :attr:`TurnSettings.short_answer_words`), the wait is
  :attr:`TurnSettings.open_factor` times longer.
- With a live transcriber (:meth:`~EndOfAnswer.expect_words`), the answer ends only once the
  transcript has heard the audio up to the end of the last speech (``heard_to_s`` in
  :meth:`~EndOfAnswer.hear`) and holds at least one word: a decoder that lags behind under load
  delays the end, it never makes it early.
- :meth:`~EndOfAnswer.mute` (the app is speaking): nothing heard counts, neither as speech nor
  as silence; after :meth:`~EndOfAnswer.unmute` the silence is counted afresh.

Speech is a 50 ms frame louder than an absolute gate and than the noise floor (the quietest
tenth of the last 5 s) plus a margin; once the first word came, that bar never rises above the
loudest speech minus 20 dB (a floor that crept up during a long unbroken sentence must not turn
speech into silence), and it never falls below the loudest speech minus 35 dB (a loud
speaker's breath is not speech). Erring low is safe: a noise taken for speech delays the end,
it never makes it early. Thread-safe: samples come from the recorder's thread, words from the
decoder's, questions from the UI's.
"""

from __future__ import annotations

import math
import re
import threading
from collections import deque
from dataclasses import dataclass

import numpy as np

from audio.transcript import Word

SAMPLE_RATE = 16000
FRAME_S = 0.05

CONNECTIVES = frozenset(
    """
    and or but so because cause since although though unless whereas if than nor when while
    until like with into onto from via um umm uh uhh er erm ah hmm the a an of
    """.split()
)
"""Words no sentence ends on (conjunctions, fillers, articles): open even when the transcript
puts a full stop after one (Whisper closes every window it decodes)."""
OPEN_WORDS = CONNECTIVES | frozenset(
    """
    as that which who whom whose where what how why then also plus well
    basically mean know this these those its their our your my his her
    to in on at for by about between through over under per
    is are was were be been being am has have had do does did can could will would should may
    might must not no very more most less each every some any either neither both such
    i we you they it he she
    """.split()
)
"""Words after which a sentence is open unless the transcript ends it there ("we regularize
it." is over, "we regularize it" may go on): connectives, prepositions, auxiliaries, pronouns.
A pause after one of them is a pause for thought."""
OPEN_ENDINGS = (",", ";", ":", "-", "\u2013", "\u2014", "...", "\u2026")
"""Marks at the end of the text that leave the sentence open (Whisper writes "..." when the
speaker trails off)."""
_WORD = re.compile(r"[a-z0-9'%]+")
_FULL_STOP = (".", "?", "!")
_CLAUSE_BREAK = re.compile(r"[,;.?!]")


@dataclass(frozen=True)
class TurnSettings:
    """How long a silence ends the answer, and what counts as speech."""

    end_silence_s: float = 2.5
    """Silence after a finished sentence that ends the answer."""
    open_factor: float = 2.5
    """How many times longer to wait after a sentence left open (2.5 s -> 6.25 s: longer
    than the 5 s a candidate may think in the middle of a sentence)."""
    onset_s: float = 0.2
    """Speech within half a second that makes the first word (a click is not one)."""
    gate_dbfs: float = -50.0
    """Nothing quieter than this is speech."""
    floor_margin_db: float = 12.0
    """Speech stands at least this far above the noise floor."""
    peak_margin_db: float = 35.0
    """... and no more than this below the loudest speech so far."""
    floor_window_s: float = 5.0
    """The noise floor is the quietest tenth of this much recent audio."""
    speech_headroom_db: float = 20.0
    """After the first word, the bar for speech stays at least this far below its loudest."""
    unsure_probability: float = 0.35
    """A last word Whisper gives less probability than this leaves the sentence open."""
    unheard_tail_s: float = 0.15
    """Speech going on this long after the transcript's last word ends leaves it open."""
    short_answer_words: int = 10
    """An answer of fewer words so far is not over yet: the first pause of an answer is the
    likeliest pause for thought, and a clause such as "correlation means two variables move
    together," comes back closed with a full stop."""


@dataclass(frozen=True)
class TurnStatus:
    """What the detector knows now, for a screen to show."""

    muted: bool
    heard_speech: bool
    """The first word came."""
    silence_s: float
    """How long it has been quiet (before the first word: since listening began)."""
    needed_s: float | None
    """Silence that will end the answer now (None before the first word)."""
    open_sentence: bool
    """The words so far leave the sentence open, so the wait is longer."""
    waiting_for_words: bool
    """Silent long enough, but the transcript has not yet heard the last words."""
    ended: bool


def is_open(text: str) -> bool:
    """Whether ``text`` (the transcript so far) stops in the middle of a sentence."""
    stripped = text.rstrip()
    if not stripped:
        return False
    if stripped.endswith(OPEN_ENDINGS):
        return True
    lowered = stripped.lower().replace("\u2019", "'")
    words = _WORD.findall(lowered)
    if not words:
        return False
    last = words[-1]
    if last in CONNECTIVES or (last in OPEN_WORDS and not stripped.endswith(_FULL_STOP)):
        return True
    # A last clause of one word after a comma or a full stop is Whisper's guess at a trailing
    # filler ("the loss, um" heard as "the loss, dumb."; "helps, um" as "helps. Done."), as
    # often as it is a sentence; waiting longer is the safe side.
    head = _CLAUSE_BREAK.split(lowered.rstrip(".?!"))
    return len(head) > 1 and len(_WORD.findall(head[-1])) == 1


def level_dbfs(samples: np.ndarray) -> float:
    """RMS level in dBFS (full scale 1.0); silence is -120."""
    if samples.size == 0:
        return -120.0
    rms = math.sqrt(float(np.mean(np.square(samples, dtype=np.float64))))
    return max(-120.0, 20.0 * math.log10(rms)) if rms > 0 else -120.0


class EndOfAnswer:
    """Fed the answer's audio and words; says when the candidate has finished."""

    def __init__(self, settings: TurnSettings | None = None, samplerate: int = SAMPLE_RATE) -> None:
        self.settings = settings or TurnSettings()
        self.samplerate = samplerate
        self._frame = max(1, int(round(FRAME_S * samplerate)))
        self._lock = threading.Lock()
        self._rest = np.zeros(0, dtype=np.float32)  # samples short of a whole frame
        self._samples = 0  # fed so far (muted or not): the recording's clock
        self._muted = False
        self._quiet_from = 0.0  # when the current silence began (seconds)
        self._heard = False
        self._speech_end = 0.0  # end of the last speech frame
        self._recent: list[float] = []  # start times of the speech frames in the last 0.5 s
        self._levels: deque[float] = deque(
            maxlen=max(1, int(round(self.settings.floor_window_s / FRAME_S)))
        )
        self._peak = -120.0
        self._text = ""
        self._last_word: Word | None = None
        self._heard_to = 0.0
        self._words_expected = False
        self._ended = False

    # -- input ----------------------------------------------------------------------------
    def feed(self, samples: np.ndarray) -> None:
        """The next samples of the recording (float mono at ``samplerate``)."""
        block = np.asarray(samples, dtype=np.float32).reshape(-1)
        with self._lock:
            if self._rest.size:
                block = np.concatenate([self._rest, block])
            whole = block.size // self._frame * self._frame
            for start in range(0, whole, self._frame):
                self._step(level_dbfs(block[start : start + self._frame]))
            self._rest = block[whole:].copy()

    def feed_level(self, seconds: float, dbfs: float) -> None:
        """Instead of samples: ``seconds`` of audio at level ``dbfs`` (whole frames of it)."""
        with self._lock:
            for _ in range(max(1, int(round(seconds / FRAME_S)))):
                self._step(dbfs)

    def hear(
        self, text: str, heard_to_s: float | None = None, last_word: Word | None = None
    ) -> None:
        """The live transcript so far, decoded from the audio up to ``heard_to_s`` (seconds
        of the recording; None: up to everything fed so far); its last word, if known."""
        with self._lock:
            self._text = text
            self._heard_to = self._now() if heard_to_s is None else heard_to_s
            self._last_word = last_word

    def expect_words(self) -> None:
        """A transcriber is listening: the end waits until its words have caught up."""
        with self._lock:
            self._words_expected = True

    def mute(self) -> None:
        """The app speaks: what the microphone hears now is neither speech nor silence."""
        with self._lock:
            self._muted = True

    def unmute(self) -> None:
        """Listening again: the silence is counted from now."""
        with self._lock:
            self._muted = False
            self._quiet_from = self._now()
            self._recent.clear()

    # -- output ---------------------------------------------------------------------------
    @property
    def ended(self) -> bool:
        return self.status().ended

    @property
    def silence_s(self) -> float:
        return self.status().silence_s

    @property
    def muted(self) -> bool:
        return self._muted

    @property
    def heard_speech(self) -> bool:
        return self._heard

    @property
    def last_speech_s(self) -> float:
        """Where the last speech ended, in seconds of the recording (0 before the first word)."""
        with self._lock:
            return self._speech_end

    @property
    def elapsed_s(self) -> float:
        """Seconds of recording fed so far."""
        with self._lock:
            return self._now()

    def status(self) -> TurnStatus:
        with self._lock:
            now = self._now()
            silence = max(0.0, now - self._quiet_from)
            if not self._heard:
                return TurnStatus(self._muted, False, silence, None, False, False, False)
            open_sentence = (
                is_open(self._text)
                or self._unsure_ending()
                or len(_WORD.findall(self._text.lower())) < self.settings.short_answer_words
            )
            needed = self.settings.end_silence_s * (
                self.settings.open_factor if open_sentence else 1.0
            )
            long_enough = not self._muted and silence >= needed
            caught_up = not self._words_expected or (
                bool(_WORD.search(self._text.lower())) and self._heard_to >= self._speech_end
            )
            if long_enough and caught_up:
                self._ended = True
            return TurnStatus(
                self._muted,
                True,
                silence,
                needed,
                open_sentence,
                long_enough and not caught_up,
                self._ended,
            )

    # -- inside (lock held) ---------------------------------------------------------------
    def _unsure_ending(self) -> bool:
        """The transcript's last word may not be what was said last: Whisper was unsure of
        it (a trailing "um" heard as "dump."), or it ends well before the speech did (a
        trailing "and" or "uh" dropped, the sentence closed with a full stop)."""
        word = self._last_word
        if word is None or self._heard_to < self._speech_end:
            return False
        s = self.settings
        return word.probability < s.unsure_probability or (
            self._speech_end - word.end > s.unheard_tail_s
        )

    def _now(self) -> float:
        return self._samples / self.samplerate

    def _step(self, dbfs: float) -> None:
        """One frame at ``dbfs``."""
        start = self._now()
        self._samples += self._frame
        if self._muted or self._ended:
            return
        s = self.settings
        self._levels.append(dbfs)
        floor = sorted(self._levels)[len(self._levels) // 10]
        bar = floor + s.floor_margin_db
        if self._heard:
            bar = max(min(bar, self._peak - s.speech_headroom_db), self._peak - s.peak_margin_db)
        if dbfs <= max(s.gate_dbfs, bar):
            return
        end = self._now()
        if self._heard:
            self._peak = max(self._peak, dbfs)
            self._speech_end, self._quiet_from = end, end
            return
        self._recent = [t for t in self._recent if t > start - 0.5 + 1e-9] + [start]
        if len(self._recent) * FRAME_S >= s.onset_s - 1e-9:
            self._heard = True
            self._peak = max(self._peak, dbfs)
            self._speech_end, self._quiet_from = end, end
