"""A bank as an Anki package (``.apkg``, written by genanki), to study it in Anki too.

One deck per topic, named ``<bank title>::<topic>`` so Anki shows them under one parent; one
note per question, of the note type ``mock-interview question`` with the fields ``Number``,
``Question``, ``Answer``, ``Key points`` and ``Topic``. The card's front is the question, its
back the model answer and then the key points (each label in bold, its weight, its phrasings).
The topic is also the note's tag (spaces as underscores). Ids are derived from the bank's title
and the question numbers, so exporting again updates the same notes in Anki instead of adding
copies.

The Markdown answer becomes HTML the way :mod:`content.importers.html_text` reads it back:
paragraphs (blank-line separated) as ``<p>``, lines as ``<br>``, a paragraph of ``- `` lines as
a ``<ul>``; so ``bank import`` of the package gives the same questions, answers, topics, numbers
key points and accepted answers.
"""

from __future__ import annotations

import hashlib
import html
import re
from dataclasses import dataclass
from pathlib import Path

from content.bank import Bank, KeyPoint, Question
from content.importers.anki import FIELDS, NOTETYPE

MODEL_ID = 1_733_040_012
"""Fixed, so every export uses the same note type in Anki."""
_BULLET = re.compile(r"^[-*+]\s+")
_NUMBERED = re.compile(r"^\d+[.)]\s+")
CSS = """.card { font-family: sans-serif; font-size: 18px; text-align: left; max-width: 46em; }
.accepted { margin-top: 1em; }
.keypoints { margin-top: 1em; font-size: 15px; color: #555; }"""
FRONT = "<div class=question>{{Question}}</div>"
BACK = (
    "{{FrontSide}}<hr id=answer><div class=answer>{{Answer}}</div>"
    "{{#Also accepted}}<div class=accepted><b>Also accepted</b>{{Also accepted}}</div>"
    "{{/Also accepted}}"
    "<div class=keypoints><b>Key points</b>{{Key points}}</div>"
)


@dataclass(frozen=True)
class Exported:
    """What :func:`export_apkg` wrote."""

    path: Path
    notes: int
    decks: list[str]


def export_apkg(bank: Bank, target: Path) -> Exported:
    """Write ``bank`` to ``target`` as an Anki package."""
    import genanki

    model = genanki.Model(
        MODEL_ID,
        NOTETYPE,
        fields=[{"name": name} for name in FIELDS],
        templates=[{"name": "Question", "qfmt": FRONT, "afmt": BACK}],
        css=CSS,
        sort_field_index=1,
    )
    decks: dict[str, genanki.Deck] = {}
    for question in bank.questions:
        name = f"{_deck_part(bank.title)}::{_deck_part(question.topic)}"
        if name not in decks:
            decks[name] = genanki.Deck(_stable_id(name), name)
        decks[name].add_note(
            genanki.Note(
                model=model,
                fields=note_fields(question),
                tags=[question.topic.replace(" ", "_")],
                guid=genanki.guid_for(bank.title, question.number),
            )
        )
    genanki.Package(list(decks.values())).write_to_file(str(target), timestamp=0)
    return Exported(target, len(bank.questions), list(decks))


def note_fields(question: Question) -> list[str]:
    """The note's fields, in the order of :data:`content.importers.anki.FIELDS`."""
    return [
        str(question.number),
        html.escape(question.text),
        answer_html(question.model_answer),
        key_points_html(question.key_points),
        html.escape(question.topic),
        accepted_html(question.accepted_answers),
    ]


def answer_html(markdown: str) -> str:
    """A model answer (paragraphs, bullet lists) as the HTML Anki shows."""
    blocks = [b for b in re.split(r"\n\s*\n", markdown.strip()) if b.strip()]
    parts = []
    for block in blocks:
        lines = [line.strip() for line in block.splitlines() if line.strip()]
        if all(_BULLET.match(line) for line in lines):
            items = "".join(f"<li>{html.escape(_BULLET.sub('', ln))}</li>" for ln in lines)
            parts.append(f"<ul>{items}</ul>")
        elif all(_NUMBERED.match(line) for line in lines):
            items = "".join(f"<li>{html.escape(_NUMBERED.sub('', ln))}</li>" for ln in lines)
            parts.append(f"<ol>{items}</ol>")
        else:
            parts.append("<p>" + "<br>".join(html.escape(line) for line in lines) + "</p>")
    return "".join(parts)


def accepted_html(answers: tuple[str, ...]) -> str:
    """Accepted answers as a list; empty (and so not shown on the card) when there are none."""
    if not answers:
        return ""
    return "<ul>" + "".join(f"<li>{html.escape(a)}</li>" for a in answers) + "</ul>"


def key_points_html(points: tuple[KeyPoint, ...]) -> str:
    items = []
    for point in points:
        weight = f" (weight {point.weight:g})" if point.weight != 1 else ""
        phrasings = html.escape("; ".join(point.phrasings))
        follow_up = ""
        if point.follow_up:  # read back by content.importers.anki
            follow_up = f"<br><i>Follow-up: {html.escape(point.follow_up)}</i>"
        items.append(f"<li><b>{html.escape(point.label)}</b>{weight}: {phrasings}{follow_up}</li>")
    return f"<ul>{''.join(items)}</ul>"


def _deck_part(name: str) -> str:
    return " ".join(name.replace("::", ":").split()) or "Questions"


def _stable_id(name: str) -> int:
    digest = hashlib.sha256(name.encode("utf-8")).digest()
    return (1 << 30) + int.from_bytes(digest[:4], "big") % (1 << 30)
