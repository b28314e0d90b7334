"""How fast a big Anki deck becomes a bank: 2,000 notes through ``bank import``'s code path.

Builds a real ``.apkg`` with genanki (its stock Basic note type): 2,000 notes in 20 decks under
one parent, each answer an HTML field of 60-120 words with ``<br>``, a bullet list and
entities, made from the built-in bank's answers (sentences rotated, so no two are the same).
Then times, as ``mock-interview bank import`` runs them: reading the package (unzip, SQLite,
HTML to text), writing the Markdown bank with key points extracted for every question, and
validating it; then loading the bank as the app does. Target: import under 5 s. The same for a
2,000-row CSV.

    .venv/bin/python benchmarks/deck_import.py [--notes 2000] [--keep FOLDER]
"""

from __future__ import annotations

import argparse
import csv
import re
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from content.bank import load_bank  # noqa: E402
from content.importers import import_deck, read_deck  # noqa: E402


def big_notes(count: int) -> list[tuple[str, str, str]]:
    """(deck, question, HTML answer) for ``count`` distinct notes."""
    bank = load_bank()
    notes = []
    for n in range(count):
        question = bank.questions[n % len(bank.questions)]
        sentences = re.split(r"(?<=[.!?])\s+", question.model_answer.replace("\n", " "))
        turn = n // len(bank.questions) % max(1, len(sentences))
        rotated = sentences[turn:] + sentences[:turn]
        first, rest = rotated[0], rotated[1:4]
        answer = (
            f"{first}<br>"
            + "<ul>"
            + "".join(f"<li>{s.replace('&', '&amp;')}</li>" for s in rest)
            + "</ul>"
            + f"<div>Variant {n}&nbsp;&mdash; see also question {question.number}.</div>"
        )
        deck = f"Interview prep::Part {n % 20 + 1:02d}"
        notes.append((deck, f"{question.text} (variant {n})", answer))
    return notes


def write_apkg(path: Path, count: int) -> Path:
    import genanki

    decks: dict[str, genanki.Deck] = {}
    for n, (name, front, back) in enumerate(big_notes(count)):
        if name not in decks:
            decks[name] = genanki.Deck(1_900_000_000 + len(decks), name)
        decks[name].add_note(
            genanki.Note(model=genanki.BASIC_MODEL, fields=[front, back], guid=genanki.guid_for(n))
        )
    genanki.Package(list(decks.values())).write_to_file(str(path))
    return path


def write_csv(path: Path, count: int) -> Path:
    with path.open("w", newline="", encoding="utf-8") as handle:
        writer = csv.writer(handle)
        writer.writerow(["question", "answer", "topic"])
        for deck, front, back in big_notes(count):
            writer.writerow([front, back, deck.split("::")[-1]])
    return path


def timed_import(source: Path, target: Path) -> tuple[float, float, float, int]:
    """(read s, write + validate s, load s, questions)."""
    began = time.perf_counter()
    read = read_deck(source)
    read_s = time.perf_counter() - began
    began = time.perf_counter()
    report = import_deck(read, target)
    write_s = time.perf_counter() - began
    assert not report.problems, report.problems
    began = time.perf_counter()
    bank = load_bank(target)
    load_s = time.perf_counter() - began
    return read_s, write_s, load_s, len(bank.questions)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--notes", type=int, default=2000)
    parser.add_argument("--keep", type=Path, default=None, help="build the files here")
    args = parser.parse_args()
    folder = args.keep or Path(tempfile.mkdtemp(prefix="deck-bench-"))
    folder.mkdir(parents=True, exist_ok=True)
    sources = [
        write_apkg(folder / "big.apkg", args.notes),
        write_csv(folder / "big.csv", args.notes),
    ]
    print("| file | read s | write bank + validate s | import total s | load bank s | questions |")
    print("| --- | --- | --- | --- | --- | --- |")
    for source in sources:
        read_s, write_s, load_s, questions = timed_import(source, source.with_suffix(".md"))
        print(
            f"| {source.name} ({args.notes} notes) | {read_s:.2f} | {write_s:.2f} | "
            f"{read_s + write_s:.2f} | {load_s:.2f} | {questions} |"
        )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
