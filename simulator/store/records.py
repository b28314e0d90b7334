"""What the store returns: plain frozen dataclasses, one per kind of row.

An answer's scoring comes back as a typed :class:`simulator.scoring.Coverage`
(``AnswerRecord.scored``), rebuilt from the stored JSON by ``Coverage.from_dict``.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:  # scoring (numpy, rapidfuzz) loads only when an answer is read
    from simulator.scoring import Coverage

STATUSES = ("in_progress", "done", "unscored", "recovered", "discarded")
"""``unscored``: finished but not scored (no coverage); the others as their names say."""
SCORED = ("done", "recovered")
"""Statuses whose coverage counts in statistics and schedules."""
KINDS = ("answer", "follow_up")
"""An answer to the question, or to a follow-up asked after its parent answer."""


@dataclass(frozen=True)
class SessionSummary:
    """One row of the review list."""

    id: int
    started_at: str
    ended_at: str | None
    bank_name: str
    mode: str
    answers: int
    questions: int
    mean_coverage: float | None
    duration_s: float
    interrupted: bool

    def to_dict(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "started_at": self.started_at,
            "ended_at": self.ended_at,
            "bank": self.bank_name,
            "mode": self.mode,
            "answers": self.answers,
            "questions": self.questions,
            "mean_coverage": _round(self.mean_coverage),
            "duration_s": round(self.duration_s, 2),
            "interrupted": self.interrupted,
        }


@dataclass(frozen=True)
class AnswerRecord:
    """One attempt at one question, as stored."""

    id: int
    session_id: int
    question: int
    topic: str
    mode: str
    status: str
    transcript: str
    words: list[dict[str, Any]]
    coverage: float | None
    scored: Coverage | None
    """The key points as scored (None when unscored)."""
    delivery: dict[str, Any] | None
    audio_path: str | None
    """Relative to the data folder (or absolute when the file lives elsewhere)."""
    audio: Path | None
    """The absolute path of the recording, if there is one."""
    duration_s: float
    draft: str
    created_at: str
    updated_at: str
    kind: str = "answer"
    """``answer``, or ``follow_up``: the answer to the follow-up asked after ``parent_id``."""
    parent_id: int | None = None
    prompt: str = ""
    """For a follow-up: the question the interviewer asked."""
    probed: str = ""
    """For a follow-up: the label of the key point it probed."""
    assisted: bool = False
    """The answer needed help (a follow-up added a key point, or a hint)."""

    @property
    def is_follow_up(self) -> bool:
        return self.kind == "follow_up"

    @property
    def from_follow_up(self) -> list[str]:
        """Labels of the key points that came in this answer's follow-up."""
        if self.scored is None:
            return []
        return [k.label for k in self.scored.key_points if getattr(k, "follow_up", False)]

    def to_dict(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "kind": self.kind,
            "parent_id": self.parent_id,
            "prompt": self.prompt,
            "probed": self.probed,
            "assisted": self.assisted,
            "question": self.question,
            "topic": self.topic,
            "mode": self.mode,
            "status": self.status,
            "transcript": self.transcript,
            "coverage": _round(self.coverage),
            "key_points": self.scored.to_dict()["key_points"] if self.scored else [],
            "delivery": self.delivery,
            "audio": str(self.audio) if self.audio else None,
            "duration_s": round(self.duration_s, 2),
            "draft": self.draft,
            "created_at": self.created_at,
        }


@dataclass(frozen=True)
class SessionRecord:
    """A session with all its answers, oldest first."""

    id: int
    bank_name: str
    bank_path: str
    mode: str
    settings: dict[str, Any]
    started_at: str
    ended_at: str | None
    pid: int | None
    process_started: str | None
    host: str | None
    answers: list[AnswerRecord] = field(default_factory=list)

    @property
    def mean_coverage(self) -> float | None:
        scored = [
            a.coverage
            for a in self.answers
            if a.status in SCORED and a.coverage is not None and not a.is_follow_up
        ]
        return sum(scored) / len(scored) if scored else None

    def follow_up_of(self, answer: AnswerRecord) -> AnswerRecord | None:
        """The answer to the follow-up asked after ``answer``, if there is one."""
        for other in self.answers:
            if other.parent_id == answer.id and other.is_follow_up:
                return other
        return None

    def to_dict(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "started_at": self.started_at,
            "ended_at": self.ended_at,
            "bank": self.bank_name,
            "bank_path": self.bank_path,
            "mode": self.mode,
            "settings": self.settings,
            "mean_coverage": _round(self.mean_coverage),
            "answers": [a.to_dict() for a in self.answers],
        }


@dataclass(frozen=True)
class QuestionStats:
    bank_name: str
    question: int
    topic: str
    attempts: int
    best: float
    last: float
    mean: float
    last_at: str


@dataclass(frozen=True)
class ProgressPoint:
    """Mean coverage of one topic on one day."""

    day: str
    topic: str
    mean: float
    attempts: int


@dataclass(frozen=True)
class ScoredAttempt:
    """A scored attempt, as schedules and comparisons need it."""

    question: int
    topic: str
    coverage: float
    created_at: str


def _round(value: float | None) -> float | None:
    return None if value is None else round(value, 4)
