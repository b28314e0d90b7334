"""Every message the app's workers post, as small dataclasses in one place.

Workers run in threads and never touch widgets: they post one of these and the screen (on the
event loop) updates itself. Floods (the live words) replace their predecessor in
the queue, so a slow frame never builds a backlog.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from textual.message import Message

if TYPE_CHECKING:  # annotations only: importing the messages stays cheap at start-up
    from audio.microphone import Recording
    from simulator.assess import Feedback
    from simulator.hints import Hint
    from simulator.session import Attempt
    from simulator.store import Store


@dataclass
class ModelReady(Message):
    """The Whisper model is loaded."""

    name: str
    seconds: float


@dataclass
class ModelFailed(Message):
    """The Whisper model cannot be loaded; voice answers fall back to typed."""

    reason: str


@dataclass
class StoreOpened(Message):
    """The history database is open (or an in-memory stand-in, with a warning)."""

    store: Store | None
    warning: str | None
    interrupted: int = 0
    """Earlier sessions whose process died before they ended."""


@dataclass
class VoiceReady(Message):
    """The speech engine is up; questions can be read aloud."""


@dataclass
class VoiceFailed(Message):
    """Questions cannot be read aloud; the message says why."""

    reason: str


@dataclass
class MicrophoneFailed(Message):
    """Recording cannot start or broke off; the app carries on typed."""

    reason: str


@dataclass
class PartialTranscript(Message):
    """The words heard so far in the answer being spoken."""

    text: str

    def can_replace(self, message: Message) -> bool:
        return isinstance(message, PartialTranscript)


@dataclass
class RecordingStopped(Message):
    """The recorder stopped (by the user, or by itself: maximum length, device error)."""

    recording: Recording


@dataclass
class AnswerScored(Message):
    """An answer's feedback: its final text, coverage and (voice) delivery and words."""

    feedback: Feedback


@dataclass
class ScoringFailed(Message):
    """Scoring or transcription failed; the text is kept and the reason shown."""

    transcript: str
    reason: str


@dataclass
class QuestionSpoken(Message):
    """The voice finished (or was stopped) reading the question; ``token`` says which reading."""

    token: int


@dataclass
class ToneHeard(Message):
    """The "your turn" tone has been played (hands-free); ``error`` if it could not be."""

    token: int
    error: str = ""


@dataclass
class HintFound(Message):
    """The hint for the answer in progress (study mode), worked out from what it says so far."""

    attempt: Attempt
    hint: Hint | None
    """None when it could not be worked out (``error`` says why)."""
    error: str = ""
