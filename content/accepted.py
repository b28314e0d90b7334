"""Accepted answers: the other right answers a question may have besides its model answer.

A bank lists them under ``#### Also accepted`` (:mod:`content.bank` parses and checks them);
decks carry them in a table column or an Anki field (:mod:`content.importers`). This module
holds what both sides share: when two answers are the same answer, how one table cell or field
holds several, and how answers from a deck are made fit to be written into a bank.
"""

from __future__ import annotations

import re
from collections.abc import Iterable

ACCEPTED_NAMES = (
    "also accepted", "also accepted answers", "accepted answers", "accepted answer",
    "alternative answers", "alternative answer", "alternatives",
)  # fmt: skip
"""Names of a table column or Anki field of accepted answers (compared case aside)."""
SEPARATOR = " || "
"""Between several accepted answers in one table cell (spaces around it optional)."""
_SPLIT = re.compile(r"\s*\|\|\s*")
_WORDS = re.compile(r"\w+")
_BULLET = re.compile(r"^\s*[-*+]\s+")
_KEY_POINT_LIKE = re.compile(r"^\*\*[^*]+?\*\*\s*(?:\([^)]*\)\s*)?:")


def answer_key(text: str) -> str:
    """What makes two answers the same: their words, case aside (punctuation and spacing not)."""
    words = _WORDS.findall(text.casefold())
    return " ".join(words) if words else " ".join(text.split())


def same_answer(one: str, other: str) -> bool:
    return answer_key(one) == answer_key(other)


def split_cell(text: str) -> list[str]:
    """The answers of one table cell or Anki field: one per line, and on a line one per ``||``;
    in a list (every line a ``- `` item, as an Anki field's ``<ul>`` reads) one per item."""
    lines = [line for line in text.splitlines() if line.strip()]
    if lines and all(_BULLET.match(line) for line in lines):
        return [_BULLET.sub("", line).strip() for line in lines if _BULLET.sub("", line).strip()]
    return [part for line in lines for part in _SPLIT.split(line.strip()) if part]


def tidy(answers: Iterable[str], model_answer: str) -> tuple[str, ...]:
    """``answers`` as a bank can hold them: one line each, plain text, none empty, none the
    model answer again, none twice (the first kept)."""
    kept: list[str] = []
    for answer in answers:
        line = " ".join(_BULLET.sub("", answer).split())
        if _KEY_POINT_LIKE.match(line):
            line = line.replace("**", "")  # else it would read as a key point
        if not line or same_answer(line, model_answer):
            continue
        if any(same_answer(line, other) for other in kept):
            continue
        kept.append(line)
    return tuple(kept)
