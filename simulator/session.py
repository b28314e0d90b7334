"""The interview flow as a plain state machine: no UI, no audio, no disk.

States run ``asking -> answering -> transcribing -> feedback -> (retry | next) -> summary``.
A typed answer passes through ``transcribing`` while it is scored. The session holds the
questions, every attempt and its timings; the clock is injected so tests (and snapshots) can
freeze or step time. Illegal moves raise :class:`FlowError` so a UI bug is loud instead of
silently corrupting a session.

**Follow-ups** (``settings.follow_ups``): when a scored answer missed key points, the session
goes back to ``asking`` with :attr:`Session.follow_up` set (:mod:`simulator.followup` chose
it); the next attempt is of kind ``follow_up``, linked to its parent answer, scored against
:attr:`Session.scoring_question` (the points still missing), and on submit folded into the
parent's coverage. Then feedback shows both. Skipping a follow-up keeps the parent as it was.

**Exam mode** (``settings.exam``): no feedback in between. After an answer (or its follow-up)
the session moves straight on to the next question, and after the last one to the summary.
"""

from __future__ import annotations

import random
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from enum import Enum
from pathlib import Path
from typing import Any

from content.bank import Question
from simulator import followup
from simulator.followup import FollowUp
from simulator.schedule import ORDERS, order_questions

MODES = ("voice", "typed")
KINDS = ("answer", "follow_up")
"""An attempt answers the question itself, or the follow-up asked after it."""


class State(Enum):
    ASKING = "asking"
    ANSWERING = "answering"
    TRANSCRIBING = "transcribing"
    FEEDBACK = "feedback"
    SUMMARY = "summary"


class FlowError(Exception):
    """A move the flow does not allow from its current state."""


@dataclass(frozen=True)
class SessionSettings:
    """What the user chose on the setup screen (or with flags)."""

    bank: str = "ml-theory"
    topics: tuple[str, ...] = ()
    count: int = 5
    order: str = "in-order"
    mode: str = "voice"
    time_limit_s: int = 120
    read_aloud: bool = True
    allow_overtime: bool = False
    questions: tuple[int, ...] = ()
    hands_free: bool = False
    """Voice answers start after the question and a tone, and end when the candidate falls
    silent (``simulator.turns``)."""
    exam: bool = False
    """Exam mode: questions back to back, no feedback until the summary."""
    follow_ups: bool = False
    """Ask a follow-up after an answer that missed key points."""

    def to_dict(self) -> dict[str, Any]:
        return {
            "bank": self.bank,
            "topics": list(self.topics),
            "count": self.count,
            "order": self.order,
            "mode": self.mode,
            "time_limit_s": self.time_limit_s,
            "read_aloud": self.read_aloud,
            "allow_overtime": self.allow_overtime,
            "questions": list(self.questions),
            "hands_free": self.hands_free,
            "exam": self.exam,
            "follow_ups": self.follow_ups,
        }


@dataclass
class Attempt:
    """One answer to one question: its text, score and timings."""

    question: Question
    mode: str
    started_at: float
    ended_at: float | None = None
    transcript: str = ""
    coverage: Any = None
    """A ``simulator.scoring.Coverage`` once scored."""
    delivery: Any = None
    """A ``simulator.delivery.Delivery`` in voice mode, when available."""
    audio_path: Path | None = None
    answer_id: int | None = None
    """The row in the store, once started there."""
    hints: list[str] = field(default_factory=list)
    """Labels of the key points shown as hints during this answer (study mode), in order."""
    model_answer_first: bool = False
    """The model answer was shown before this answer began (study mode)."""
    kind: str = "answer"
    """``answer`` (to the question) or ``follow_up`` (to the follow-up asked after ``parent``)."""
    parent: Attempt | None = None
    """For a follow-up: the answer it follows."""
    follow_up: FollowUp | None = None
    """For a follow-up: what was asked. For an answer: the follow-up asked after it, if any."""
    follow_up_attempt: Attempt | None = None
    """For an answer: the attempt that answered its follow-up, once there is one."""

    @property
    def assisted(self) -> bool:
        """The answer had help: a hint, the model answer first, or a follow-up that added a key
        point. It rates a step lower in FSRS."""
        return (
            bool(self.hints) or self.model_answer_first or bool(followup.recovered(self.coverage))
        )

    @property
    def duration_s(self) -> float:
        return 0.0 if self.ended_at is None else max(0.0, self.ended_at - self.started_at)

    @property
    def score(self) -> float:
        return float(getattr(self.coverage, "coverage", 0.0) or 0.0)


@dataclass(frozen=True)
class QuestionResult:
    """A summary row: the last attempt at a question, and the time spent on all of them."""

    question: Question
    coverage: float
    attempts: int
    time_s: float
    missed: tuple[str, ...]
    answer: Attempt | None = None
    """The answer the row shows (its follow-up, if any, is ``answer.follow_up_attempt``)."""
    from_follow_up: tuple[str, ...] = ()
    """Key points that came in the follow-up."""


@dataclass(frozen=True)
class Summary:
    rows: tuple[QuestionResult, ...]
    topic_means: dict[str, float]
    total_s: float
    practise_next: tuple[QuestionResult, ...]
    """Answered questions, lowest coverage first (at most three)."""

    @property
    def mean(self) -> float:
        return sum(r.coverage for r in self.rows) / len(self.rows) if self.rows else 0.0


@dataclass
class Session:
    """Where an interview is: the current question, its state and every attempt so far."""

    questions: Sequence[Question]
    settings: SessionSettings = field(default_factory=SessionSettings)
    clock: Callable[[], float] = time.monotonic
    state: State = State.ASKING
    index: int = 0
    attempts: list[Attempt] = field(default_factory=list)
    session_id: int | None = None
    started_at: float = 0.0
    ended_at: float | None = None
    follow_up: FollowUp | None = None
    """The follow-up being asked now (state ``asking`` or answering it), if any."""

    def __post_init__(self) -> None:
        if not self.questions:
            raise FlowError("no questions to ask; choose other topics or another bank")
        self.questions = list(self.questions)
        self.started_at = self.clock()

    # -- where we are ---------------------------------------------------------------------
    @property
    def question(self) -> Question:
        return self.questions[self.index]

    @property
    def attempt(self) -> Attempt | None:
        """The latest attempt at the current question, if any."""
        for attempt in reversed(self.attempts):
            if attempt.question.number == self.question.number:
                return attempt
        return None

    @property
    def answer(self) -> Attempt | None:
        """The latest answer to the current question itself (not a follow-up's)."""
        for attempt in reversed(self.attempts):
            if attempt.question.number == self.question.number and attempt.kind == "answer":
                return attempt
        return None

    @property
    def asked(self) -> str:
        """What the interviewer asks now: the question, or the follow-up."""
        return self.follow_up.text if self.follow_up is not None else self.question.text

    @property
    def scoring_question(self) -> Question:
        """What the answer being taken is scored against: for a follow-up, the missing points."""
        if self.follow_up is None:
            return self.question
        return followup.scoring_question(self.question, self.follow_up)

    @property
    def is_last(self) -> bool:
        return self.index >= len(self.questions) - 1

    @property
    def position(self) -> str:
        return f"{self.index + 1}/{len(self.questions)}"

    def elapsed_s(self) -> float:
        """Time since the session started (frozen once it ends)."""
        end = self.ended_at if self.ended_at is not None else self.clock()
        return max(0.0, end - self.started_at)

    def answer_elapsed_s(self) -> float:
        attempt = self.attempt
        if attempt is None or self.state is State.ASKING:
            return 0.0
        end = attempt.ended_at if attempt.ended_at is not None else self.clock()
        return max(0.0, end - attempt.started_at)

    def remaining_s(self) -> float:
        """Seconds left for the current answer; negative in overtime."""
        return self.settings.time_limit_s - self.answer_elapsed_s()

    def overtime_s(self) -> float:
        return max(0.0, -self.remaining_s())

    # -- moves ----------------------------------------------------------------------------
    def _expect(self, *states: State) -> None:
        if self.state not in states:
            wanted = " or ".join(s.value for s in states)
            raise FlowError(f"cannot do that while {self.state.value}; only while {wanted}")

    def start_answer(self, mode: str | None = None, audio_path: Path | None = None) -> Attempt:
        self._expect(State.ASKING)
        attempt = Attempt(
            self.question, mode or self.settings.mode, self.clock(), audio_path=audio_path
        )
        if self.follow_up is not None:
            attempt.kind, attempt.follow_up, attempt.parent = (
                "follow_up",
                self.follow_up,
                self.answer,
            )
        self.attempts.append(attempt)
        self.state = State.ANSWERING
        return attempt

    def stop_answer(self) -> Attempt:
        """Stop the clock on a spoken answer; it now waits for its transcript."""
        self._expect(State.ANSWERING)
        attempt = self._current_attempt()
        attempt.ended_at = self.clock()
        self.state = State.TRANSCRIBING
        return attempt

    def submit(self, transcript: str, coverage: Any = None, delivery: Any = None) -> Attempt:
        """The answer's final text and score: on to its follow-up, feedback, or (in an exam)
        the next question. A follow-up's coverage is folded into its parent answer's."""
        self._expect(State.ANSWERING, State.TRANSCRIBING)
        attempt = self._current_attempt()
        if attempt.ended_at is None:
            attempt.ended_at = self.clock()
        attempt.transcript = transcript
        attempt.coverage = coverage
        attempt.delivery = delivery
        if attempt.kind == "follow_up":
            self.follow_up = None
            parent = attempt.parent
            if parent is not None:
                parent.follow_up_attempt = attempt
                if coverage is not None and parent.coverage is not None:
                    parent.coverage = followup.combine(parent.coverage, coverage)
        elif self.settings.follow_ups:
            self.follow_up = followup.choose(self.question, coverage)
            attempt.follow_up = self.follow_up
        if self.follow_up is not None:
            self.state = State.ASKING
        else:
            self._answered()
        return attempt

    def _answered(self) -> None:
        """The question is done: feedback, or in an exam the next question (or the summary)."""
        if not self.settings.exam:
            self.state = State.FEEDBACK
        elif self.is_last:
            self.finish()
        else:
            self.index += 1
            self.state = State.ASKING

    def cancel_answer(self) -> None:
        """Drop the answer in progress (the microphone failed): back to asking."""
        self._expect(State.ANSWERING, State.TRANSCRIBING)
        self.attempts.remove(self._current_attempt())
        self.state = State.ASKING

    def retry(self) -> None:
        self._expect(State.FEEDBACK)
        self.follow_up = None
        self.state = State.ASKING

    def next(self) -> None:
        """The next question, or the summary after the last one."""
        self._expect(State.FEEDBACK)
        if self.is_last:
            self.finish()
        else:
            self.index += 1
            self.state = State.ASKING

    def skip(self) -> None:
        """Leave the current question unanswered and go on (or decline its follow-up)."""
        self._expect(State.ASKING)
        if self.follow_up is not None:
            self.follow_up = None
            self._answered()
            return
        if self.is_last:
            self.finish()
        else:
            self.index += 1

    def finish(self) -> Summary:
        """End the session now (from any state); an answer in progress keeps what it has."""
        if self.state is not State.SUMMARY:
            if self.state in (State.ANSWERING, State.TRANSCRIBING):
                attempt = self._current_attempt()
                if attempt.ended_at is None:
                    attempt.ended_at = self.clock()
            self.ended_at = self.clock()
            self.follow_up = None
            self.state = State.SUMMARY
        return self.summary()

    def _current_attempt(self) -> Attempt:
        attempt = self.attempt
        if attempt is None:  # pragma: no cover - guarded by the state checks
            raise FlowError("no answer in progress")
        return attempt

    # -- the end --------------------------------------------------------------------------
    def summary(self) -> Summary:
        rows: list[QuestionResult] = []
        for question in self.questions:
            every = [a for a in self.attempts if a.question.number == question.number]
            mine = [a for a in every if a.kind == "answer"]
            scored = [a for a in mine if a.coverage is not None]
            if not mine:
                continue
            last = scored[-1] if scored else mine[-1]
            missed = tuple(k.label for k in getattr(last.coverage, "missed", []) or [])
            rows.append(
                QuestionResult(
                    question=question,
                    coverage=last.score,
                    attempts=len(mine),
                    time_s=sum(a.duration_s for a in every),
                    missed=missed,
                    answer=last,
                    from_follow_up=tuple(followup.recovered(last.coverage)),
                )
            )
        by_topic: dict[str, list[float]] = {}
        for row in rows:
            by_topic.setdefault(row.question.topic, []).append(row.coverage)
        means = {topic: sum(v) / len(v) for topic, v in by_topic.items()}
        weakest = sorted((r for r in rows if r.coverage < 1.0), key=lambda r: r.coverage)[:3]
        return Summary(tuple(rows), means, self.elapsed_s(), tuple(weakest))


def pick_questions(
    questions: Sequence[Question],
    *,
    count: int | None,
    order: str = "in-order",
    seed: int | None = None,
    store: Any = None,
    today: Any = None,
    bank: str | None = None,
) -> list[Question]:
    """The questions to ask, in the chosen order, at most ``count`` of them."""
    chosen = list(questions)
    if order == "shuffled":
        random.Random(seed).shuffle(chosen)
    elif order in ("weakest", "due"):
        chosen = list(order_questions(chosen, store, order, today, bank=bank))
    elif order != "in-order":
        raise FlowError(f"unknown order '{order}'; choose one of {', '.join(ORDERS)}")
    return chosen[:count] if count else chosen
