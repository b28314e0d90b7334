"""The background subjects (``content.subjects``): a broad, well-formed set, none of them a
question the built-in bank asks."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from content import subjects
from content.bank import load_bank
from content.subjects import SUBJECTS_FILE, background_subjects, background_texts


def test_the_background_is_broad_and_well_formed() -> None:
    found = background_subjects()
    assert len(found) >= 150
    assert len({s.topic.casefold() for s in found}) == len(found)
    for subject in found:
        words = len(subject.answer.split())
        assert 40 <= words <= 160, (subject.topic, words)
        assert len(subject.question.split()) >= 3, subject.topic
    assert background_texts()[:2] == [found[0].question, found[0].answer]
    assert len(background_texts()) == 2 * len(found)


def test_no_background_subject_is_a_question_of_the_built_in_bank() -> None:
    asked = {q.text.casefold() for q in load_bank().questions}
    assert not [s.question for s in background_subjects() if s.question.casefold() in asked]


@pytest.mark.parametrize("text", ["", "not json", json.dumps({"topic": "x"})])
def test_an_unreadable_background_is_none(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, text: str
) -> None:
    broken = tmp_path / "subjects.json"
    broken.write_text(text)
    monkeypatch.setattr(subjects, "SUBJECTS_FILE", broken)
    subjects.background_subjects.cache_clear()
    try:
        assert subjects.background_subjects() == ()
    finally:
        monkeypatch.undo()
        subjects.background_subjects.cache_clear()
    assert subjects.SUBJECTS_FILE == SUBJECTS_FILE and background_subjects()
