"""Exporting a bank to Anki (genanki) and importing it back gives the same bank."""

from __future__ import annotations

import json
import sqlite3
import zipfile
from pathlib import Path

import pytest

from content.bank import load_bank
from content.deck_export import answer_html, export_apkg
from content.importers import import_deck, read_deck
from content.importers.html_text import html_to_text
from simulator.cli import main


def _collection(package: Path, tmp_path: Path) -> sqlite3.Connection:
    with zipfile.ZipFile(package) as archive:
        assert archive.namelist()[0] == "collection.anki2"
        (tmp_path / "c.sqlite3").write_bytes(archive.read("collection.anki2"))
    return sqlite3.connect(tmp_path / "c.sqlite3")


def test_the_built_in_bank_round_trips_through_anki(tmp_path: Path) -> None:
    original = load_bank()
    export_apkg(original, tmp_path / "ml.apkg")
    report = import_deck(read_deck(tmp_path / "ml.apkg"), tmp_path / "back.md")
    assert report.problems == [] and report.read.problems == []
    back = load_bank(tmp_path / "back.md")
    assert back.title == original.title
    assert back.topics == original.topics

    def view(bank):
        return [(q.number, q.topic, q.text, q.model_answer, q.key_points) for q in bank.questions]

    assert view(back) == view(original)
    assert report.extracted == 0  # the key points travelled on the back of the cards


def test_the_package_has_a_deck_per_topic_and_key_points_on_the_back(tmp_path: Path) -> None:
    bank = load_bank()
    exported = export_apkg(bank, tmp_path / "ml.apkg")
    assert exported.decks == [f"{bank.title}::{topic}" for topic in bank.topics]
    db = _collection(tmp_path / "ml.apkg", tmp_path)
    decks = json.loads(db.execute("SELECT decks FROM col").fetchone()[0])
    assert {d["name"] for d in decks.values()} >= set(exported.decks)
    (model,) = json.loads(db.execute("SELECT models FROM col").fetchone()[0]).values()
    assert "{{Key points}}" in model["tmpls"][0]["afmt"]
    assert [f["name"] for f in model["flds"]] == ["Number", "Question", "Answer", "Key points",
                                                  "Topic", "Also accepted"]  # fmt: skip
    rows = db.execute("SELECT flds FROM notes").fetchall()
    assert len(rows) == len(bank.questions)
    q4 = next(r[0].split("\x1f") for r in rows if r[0].startswith("4\x1f"))
    assert "<li><b>L1 adds absolute weights</b>" in q4[3]
    db.close()


def test_answer_html_reads_back_as_the_markdown() -> None:
    markdown = "First line\nsecond line\n\n- one & two\n- <three>\n\n1. a\n2. b\n\nEnd."
    assert html_to_text(answer_html(markdown)).text == markdown


def test_bank_export_command(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    target = tmp_path / "ml.apkg"
    assert main(["bank", "export", "ml-theory", "--format", "apkg", "-o", str(target)]) == 0
    assert capsys.readouterr().out == f"{target}: 30 notes in 4 decks (Anki package)\n"
    assert len(read_deck(target).cards) == 30
    assert main(["bank", "export", "no-such-bank", "-o", str(target)]) == 2
    assert "no bank named" in capsys.readouterr().err


def test_exported_topics_also_come_back_from_tags_and_the_topic_field(tmp_path: Path) -> None:
    bank = load_bank()
    export_apkg(bank, tmp_path / "ml.apkg")
    original = [q.topic for q in bank.questions]
    for source in ("tag", "column"):
        assert [c.topic for c in read_deck(tmp_path / "ml.apkg", source).cards] == original
