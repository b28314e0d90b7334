"""What every deck reader returns: cards as plain text, the problems met, the media skipped."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from content.bank import KeyPoint, Problem

TOPIC_SOURCES = ("deck", "tag", "column")
"""Where a card's topic comes from: its Anki deck, its first tag, or a CSV/text column."""
DEFAULT_TOPIC = "General"


class DeckError(Exception):
    """A file that cannot be read as a deck at all (the message says why, in one line)."""


@dataclass(frozen=True)
class DeckCard:
    """One question read from a deck or a table, already plain text."""

    question: str
    answer: str
    topic: str
    line: int
    """The line (CSV, text) or the note's position (Anki) it came from, for messages."""
    key_points: tuple[KeyPoint, ...] = ()
    """Key points carried by the deck (a bank exported by mock-interview); else extracted."""
    number: int | None = None
    """The question number carried by the deck (a bank exported by mock-interview)."""
    accepted_answers: tuple[str, ...] = ()
    """Other right answers, from an ``also accepted`` column or field, as read (the bank
    writer tidies them: :func:`content.accepted.tidy`)."""


@dataclass
class DeckRead:
    """The result of reading one file."""

    path: Path
    format: str
    """A human name of what was read, e.g. "Anki package (collection.anki21b)"."""
    title: str
    cards: list[DeckCard] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)
    """Rows or notes skipped, each as FILE:LINE: message."""
    media: list[str] = field(default_factory=list)
    """Media files the fields referred to (images, sounds); noted, not imported."""

    def skip(self, line: int, message: str) -> None:
        self.problems.append(Problem(self.path, line, message))

    def note_media(self, names: tuple[str, ...] | list[str]) -> None:
        for name in names:
            if name not in self.media:
                self.media.append(name)
