"""Cards to a Markdown bank in the project's format, key points included, validated.

Questions are grouped by topic (topics in the order they first appear) and numbered 1..N, or
keep their own numbers when the deck carries them (a bank exported by mock-interview). Key
points the deck carries are kept; the others are extracted from the model answer with
:func:`content.extract.extract_key_points` and written out, so they can be edited by hand.
An answer too short for the extractor gets one key point: the answer itself. Accepted answers
the deck carries are written under ``#### Also accepted`` (one line each; repeats of the model
answer or of each other left out). The written file is read back with
:func:`content.bank.validate_bank`; any problem is returned.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path

from content.accepted import tidy
from content.bank import KeyPoint, Problem, validate_bank
from content.extract import extract_key_points
from content.importers.cards import DeckCard, DeckRead
from content.text import content_tokens

_HEADING_LIKE = re.compile(r"^(\s*)(#+\s)")


@dataclass
class ImportReport:
    """What an import wrote and what it left out."""

    target: Path
    read: DeckRead
    questions: int
    topics: list[str]
    extracted: int
    """Questions whose key points were extracted (not carried by the deck)."""
    problems: list[Problem] = field(default_factory=list)
    """Problems of the written bank (none when the import worked)."""


def import_deck(read: DeckRead, target: Path) -> ImportReport:
    """Write ``read`` as a bank at ``target`` and validate it."""
    text, extracted = render_bank(read)
    target.write_text(text, encoding="utf-8")
    topics = list(dict.fromkeys(card.topic for card in read.cards))
    problems = validate_bank(target) if read.cards else []
    return ImportReport(target, read, len(read.cards), topics, extracted, problems)


def render_bank(read: DeckRead) -> tuple[str, int]:
    """The bank's Markdown text and how many questions got extracted key points."""
    by_topic: dict[str, list[DeckCard]] = {}
    for card in read.cards:
        by_topic.setdefault(card.topic, []).append(card)
    ordered = [card for cards in by_topic.values() for card in cards]
    numbers = [card.number for card in ordered]
    if None in numbers or len(set(numbers)) != len(numbers):
        numbers = list(range(1, len(ordered) + 1))
    lines = [f"# {_one_line(read.title) or read.path.stem}", ""]
    lines += [f"Imported from {read.path.name}, {_article(read.format)}, on {date.today()}.", ""]
    extracted = 0
    position = 0
    for topic, cards in by_topic.items():
        lines += [f"## {_one_line(topic)}", ""]
        for card in cards:
            number = numbers[position]
            position += 1
            points = card.key_points
            if not points:
                points = tuple(extract_key_points(card.question, card.answer)) or _whole(card)
                extracted += 1
            lines += [f"### Q{number}. {_one_line(card.question)}", "", "#### Model answer", ""]
            lines += [_HEADING_LIKE.sub(r"\1\\\2", line) for line in card.answer.split("\n")]
            accepted = tidy(card.accepted_answers, card.answer)
            if accepted:
                lines += ["", "#### Also accepted", "", *(f"- {a}" for a in accepted)]
            lines += ["", "#### Key points", ""]
            lines += [_key_point(point) for point in points if _key_point(point)]
            asked = [_follow_up(point) for point in points if _key_point(point) and point.follow_up]
            if asked:
                lines += ["", "#### Follow-ups", "", *asked]
            lines.append("")
    return "\n".join(lines), extracted


def _whole(card: DeckCard) -> tuple[KeyPoint, ...]:
    """One key point for an answer too short to cut into ideas ("Paris", "O(n log n)")."""
    words = content_tokens(card.answer)
    phrasing = " ".join(card.answer[t.start : t.end] for t in words[:4]) or card.answer
    label = " ".join(card.answer.split()[:6])
    return (KeyPoint(label=label, phrasings=(_one_line(phrasing),)),)


def _key_point(point: KeyPoint) -> str:
    label = _one_line(point.label.replace("*", ""))
    phrasings = [_one_line(p.replace(";", ",")) for p in point.phrasings]
    phrasings = [p for p in phrasings if p]
    if not label or not phrasings:
        return ""
    weight = f" (weight {point.weight:g})" if point.weight != 1 else ""
    return f"- **{label}**{weight}: {'; '.join(phrasings)}"


def _follow_up(point: KeyPoint) -> str:
    return f"- **{_one_line(point.label.replace('*', ''))}**: {_one_line(point.follow_up)}"


def _one_line(text: str) -> str:
    return " ".join(text.split())


def _article(name: str) -> str:
    return ("an " if name[:1].casefold() in "aeiou" else "a ") + name
