"""What a question bank holds: banks, questions and key points, as plain frozen data.

:mod:`content.bank` parses Markdown into these; :mod:`content.extract` builds key points when a
bank gives none; scoring, sessions and every front end read them.
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from pathlib import Path


@dataclass(frozen=True)
class KeyPoint:
    """One idea of a model answer, and the phrasings that count as saying it."""

    label: str
    phrasings: tuple[str, ...]
    weight: float = 1.0
    follow_up: str = ""
    """A question the interviewer asks when this point was missed, probing it without naming
    it (the bank's ``#### Follow-ups`` section); empty: a neutral probe is asked instead."""


@dataclass(frozen=True)
class Sibling:
    """A question of the same bank, as scoring sees it: an answer nearer another question's model
    answer than its own reads as an answer to that one."""

    number: int
    text: str
    model_answer: str


@dataclass(frozen=True)
class Question:
    number: int
    topic: str
    text: str
    model_answer: str
    key_points: tuple[KeyPoint, ...]
    key_points_extracted: bool = False
    """True when the bank gave no key points and they were extracted from the model answer."""
    line: int = 0
    accepted_answers: tuple[str, ...] = ()
    """Other right answers besides the model answer, each plain text on one line (the bank's
    ``#### Also accepted`` section); empty when the question has only its model answer."""
    siblings: tuple[Sibling, ...] = field(default=(), compare=False, repr=False)
    """Every question of its bank, itself included (one tuple shared by all of them; set by
    :class:`Bank`); empty for a question on its own."""


@dataclass(frozen=True)
class Bank:
    name: str
    title: str
    path: Path
    description: str
    questions: tuple[Question, ...]

    def __post_init__(self) -> None:
        siblings = tuple(Sibling(q.number, q.text, q.model_answer) for q in self.questions)
        questions = tuple(replace(q, siblings=siblings) for q in self.questions)
        object.__setattr__(self, "questions", questions)

    @property
    def topics(self) -> list[str]:
        """Topics in the order they first appear."""
        return list(dict.fromkeys(q.topic for q in self.questions))

    def question(self, number: int) -> Question:
        for question in self.questions:
            if question.number == number:
                return question
        raise KeyError(f"{self.name} has no question {number} (it has {self.number_range()})")

    def number_range(self) -> str:
        numbers = [q.number for q in self.questions]
        return f"questions {min(numbers)}-{max(numbers)}" if numbers else "no questions"

    def in_topics(self, topics: list[str] | None) -> list[Question]:
        """Questions whose topic matches any of ``topics`` (case-insensitive substring)."""
        if not topics:
            return list(self.questions)
        wanted = [t.casefold() for t in topics]
        return [q for q in self.questions if any(w in q.topic.casefold() for w in wanted)]
