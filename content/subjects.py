"""Other subjects of machine-learning interviews, beside a bank's own questions.

An answer about a subject none of a bank's questions is about (feature scaling asked about batch
normalization) is nearer no other model answer of the bank, so the bank alone cannot tell it is
about something else. ``content/subjects/ml-interviews.json`` holds short model answers to about
160 common interview subjects that the built-in bank does not ask (written for this project),
which :mod:`simulator.neighbours` compares an answer with as it does the bank's other questions.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

OTHER_SUBJECT = "another subject: "
"""How an answer read as about a background subject names it ("another subject: Feature
scaling"), where one read as another question of the bank names that question."""
SUBJECTS_FILE = Path(__file__).resolve().parent / "subjects" / "ml-interviews.json"


@dataclass(frozen=True)
class Subject:
    """One subject of the background: its title, a question on it and a model answer."""

    topic: str
    question: str
    answer: str


@lru_cache(maxsize=1)
def background_subjects() -> tuple[Subject, ...]:
    """The bundled background subjects; none when the file is missing or unreadable (a broken
    install then judges answers against the bank's own questions alone)."""
    try:
        rows = json.loads(SUBJECTS_FILE.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return ()
    return tuple(
        Subject(str(row["topic"]), str(row["question"]), str(row["answer"]))
        for row in rows
        if isinstance(row, dict) and row.get("topic") and row.get("answer")
    )


def background_texts() -> list[str]:
    """What is embedded of the background, in this order: each subject's question, then its
    answer (the vectors shipped with the app are of exactly this list)."""
    return [text for s in background_subjects() for text in (s.question, s.answer)]
