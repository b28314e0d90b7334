"""Accepted answers (``#### Also accepted``): parsed from a real bank file, every problem at its
FILE:LINE, carried through CSV import, Anki export and import, and shown by ``bank show``."""

from __future__ import annotations

import json
import sqlite3
import zipfile
from dataclasses import replace
from pathlib import Path

import pytest

from content.bank import BankError, load_bank, validate_bank
from content.deck_export import export_apkg
from content.importers import import_deck, read_deck
from simulator.cli import main
from tests.unit.anki_layout import Note, build_package

DATA = Path(__file__).parent / "data"
BANK = DATA / "also-accepted.md"
TABLE = DATA / "also-accepted.csv"
Q1_ACCEPTED = (
    "Regularize the model: an L1 or L2 penalty on the weights.",
    "Use dropout, which randomly zeroes units during training so they cannot co-adapt.",
    "Stop training early, when the validation loss starts to rise.",
)


def lines_of(text: str) -> list[str]:
    return text.split("\n")


def write(tmp_path: Path, lines: list[str]) -> Path:
    path = tmp_path / "bank.md"
    path.write_text("\n".join(lines), encoding="utf-8")
    return path


def test_accepted_answers_are_parsed_one_per_bullet() -> None:
    bank = load_bank(BANK)
    q1, q2 = bank.question(1), bank.question(2)
    assert q1.accepted_answers == Q1_ACCEPTED  # the wrapped bullet runs on; '*' is a bullet too
    assert q1.model_answer == (
        "Get more training data, so the model cannot memorise the noise of a small sample."
    )
    assert [k.label for k in q1.key_points] == ["More data"]
    assert not q1.key_points_extracted
    assert q2.accepted_answers == ()


def test_a_bank_without_the_section_is_read_as_before(tmp_path: Path) -> None:
    text = BANK.read_text(encoding="utf-8")
    start = text.index("#### Also accepted")
    without = text[:start] + text[text.index("#### Key points") :]
    plain = load_bank(write(tmp_path, lines_of(without)))
    with_section = load_bank(BANK)
    shift = len(lines_of(text)) - len(lines_of(without))
    assert [replace(q, accepted_answers=(), line=q.line - (shift if q.number == 2 else 0))
            for q in with_section.questions] == list(plain.questions)  # fmt: skip
    assert all(q.accepted_answers == () for q in plain.questions)
    assert all(q.accepted_answers == () for q in load_bank().questions)  # the built-in bank


# Each case edits the fixture bank: (where, how many lines to replace, new lines, the problem's
# line in the edited file, the message). Line 15 is the first accepted answer.
PROBLEMS = [
    (15, 1, ["-"], 15,
     "an empty accepted answer; write the answer after the '- ' or delete the line"),
    (15, 1, ["- get more training data, so the model cannot memorise the noise of a small sample"],
     15, "this accepted answer is the model answer of Q1 again; list only other right answers, "
     "or delete the line"),
    (18, 1, ["- USE DROPOUT, which randomly zeroes units during training so they",
             "  cannot co-adapt"],
     18, "the same accepted answer as line 16; delete one of them"),
    (23, 0, ["#### Also accepted", "", "- Collect more examples.", ""], 23,
     "a second '#### Also accepted' in Q1 (the first is at line 13); list every accepted "
     "answer under the first"),
    (26, 0, ["#### Also accepted", "", "- Error against the training set size.", ""], 26,
     "'#### Also accepted' before the model answer of Q2; move it below '#### Model answer'"),
    (15, 1, ["- **Regularize**: an L1 or L2 penalty"], 15,
     "this looks like a key point ('- **label**: ...'); an accepted answer is plain text: move "
     "key points under '#### Key points', or drop the '**'"),
    (16, 0, ["  - zeroes units at random"], 16,
     "a nested list in an accepted answer; each accepted answer is one '- ' bullet of plain "
     "text (start it at the line's beginning to make it an answer of its own)"),
    (15, 1, ["1. Regularize the model."], 15,
     "a numbered line under '#### Also accepted'; each accepted answer reads '- the answer in "
     "plain words'"),
    (15, 1, ["Regularize the model."], 15,
     "text that is not a bullet under '#### Also accepted'; each accepted answer reads '- the "
     "answer in plain words'"),
]  # fmt: skip


@pytest.mark.parametrize(("where", "count", "new", "line", "message"), PROBLEMS)
def test_each_problem_is_reported_at_its_line(
    tmp_path: Path, where: int, count: int, new: list[str], line: int, message: str
) -> None:
    lines = lines_of(BANK.read_text(encoding="utf-8"))
    assert lines[12] == "#### Also accepted" and lines[14].startswith("- Regularize")
    assert lines[25] == "#### Model answer"  # Q2's, where a misplaced section goes before
    lines[where - 1 : where - 1 + count] = new
    path = write(tmp_path, lines)
    assert [str(p) for p in validate_bank(path)] == [f"{path}:{line}: {message}"]
    with pytest.raises(BankError):
        load_bank(path)


def test_the_fixture_bank_is_valid() -> None:
    assert validate_bank(BANK) == []


def test_a_table_column_of_accepted_answers_becomes_the_section(tmp_path: Path) -> None:
    read = read_deck(TABLE)
    assert [c.accepted_answers for c in read.cards] == [
        ("Regularize the model", "Use dropout", "Stop training early"),  # '||' and a 2nd column
        ("The share of the positives found", "the true positive rate"),  # lines of one cell
        (
            "the probability of data at least this extreme if the null hypothesis holds",
            "**Not the null**: the probability of the data",
        ),
        ("To tune hyperparameters", "to tune hyperparameters."),
    ]
    assert [c.topic for c in read.cards] == ["Overfitting", "Metrics", "Statistics", "Basics"]
    report = import_deck(read, tmp_path / "deck.md")
    assert report.problems == []
    text = (tmp_path / "deck.md").read_text(encoding="utf-8")
    assert (
        "#### Also accepted\n\n- Regularize the model\n- Use dropout\n- Stop training early\n"
        in (text)
    )
    bank = load_bank(tmp_path / "deck.md")
    assert [q.accepted_answers for q in bank.questions] == [
        ("Regularize the model", "Use dropout", "Stop training early"),
        ("The share of the positives found", "the true positive rate"),
        ("Not the null: the probability of the data",),  # the model answer again left out,
        ("To tune hyperparameters",),  # the repeat too; '**label**:' made plain
    ]


def test_a_table_without_the_column_or_a_header_has_none(tmp_path: Path) -> None:
    plain = tmp_path / "plain.csv"
    plain.write_text("Question,Answer,Also accepted\nWhat is L1?,Sum of absolute weights,\n")
    (card,) = read_deck(plain).cards
    assert (card.topic, card.accepted_answers) == ("General", ())  # not a topic column
    headless = tmp_path / "headless.tsv"
    headless.write_text("What is L1?\tSum of absolute weights\tRegularization\tLasso penalty\n")
    (card,) = read_deck(headless).cards
    assert (card.topic, card.accepted_answers) == ("Regularization", ())


def test_accepted_answers_travel_on_the_back_of_anki_cards(tmp_path: Path) -> None:
    original = load_bank(BANK)
    export_apkg(original, tmp_path / "several.apkg")
    with zipfile.ZipFile(tmp_path / "several.apkg") as archive:
        (tmp_path / "c.sqlite3").write_bytes(archive.read("collection.anki2"))
    db = sqlite3.connect(tmp_path / "c.sqlite3")
    (model,) = json.loads(db.execute("SELECT models FROM col").fetchone()[0]).values()
    back = model["tmpls"][0]["afmt"]
    assert back.index("{{Answer}}") < back.index("{{Also accepted}}") < back.index("{{Key points}")
    assert "{{#Also accepted}}" in back  # no heading on a card without any
    fields = {row[0].split("\x1f")[0]: row[0].split("\x1f") for row in db.execute(
        "SELECT flds FROM notes")}  # fmt: skip
    db.close()
    assert fields["1"][5] == "<ul>" + "".join(f"<li>{a}</li>" for a in Q1_ACCEPTED) + "</ul>"
    assert fields["2"][5] == ""
    report = import_deck(read_deck(tmp_path / "several.apkg"), tmp_path / "back.md")
    assert report.problems == [] and report.extracted == 0
    again = load_bank(tmp_path / "back.md")

    def view(bank):
        return [(q.number, q.topic, q.text, q.model_answer, q.key_points, q.accepted_answers)
                for q in bank.questions]  # fmt: skip

    assert view(again) == view(original)


def test_an_anki_field_of_alternative_answers_is_read(tmp_path: Path) -> None:
    several = ("Basic (several answers)", ("Front", "Back", "Alternative answers"))
    older = ("mock-interview question", ("Number", "Question", "Answer", "Key points", "Topic"))
    package = build_package(
        tmp_path / "deck.apkg",
        [
            Note(("Name a regularizer", "L2 penalty", "<ul><li>L1 penalty</li><li>dropout</li>"
                  "</ul>"), "ML", notetype=several),
            Note(("Name a metric", "AUC", "recall || precision<br>F1"), "ML", notetype=several),
            Note(("7", "What is L1?", "<p>Sum of absolute weights</p>", "", "ML"), "ML",
                 notetype=older),  # a package exported before accepted answers existed
        ],
    )  # fmt: skip
    assert [c.accepted_answers for c in read_deck(package).cards] == [
        ("L1 penalty", "dropout"),
        ("recall", "precision", "F1"),
        (),
    ]


def test_bank_show_lists_them_after_the_model_answer(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["bank", "show", "1", "--bank", str(BANK)]) == 0
    out = capsys.readouterr().out
    assert out.startswith(
        "Q1 [Overfitting] Name a way to reduce overfitting.\n\n"
        "Get more training data, so the model cannot memorise the noise of a small sample.\n\n"
        "Also accepted:\n"
        "  - Regularize the model: an L1 or L2 penalty on the weights.\n"
        "  - Use dropout, which randomly zeroes units during training so they cannot co-adapt.\n"
        "  - Stop training early, when the validation loss starts to rise.\n\n"
        "Key points (from the bank):\n"
    )
    assert main(["bank", "show", "2", "--bank", str(BANK)]) == 0
    assert "Also accepted" not in capsys.readouterr().out
    assert main(["bank", "show", "1", "--bank", str(BANK), "--json"]) == 0
    assert json.loads(capsys.readouterr().out)["accepted_answers"] == list(Q1_ACCEPTED)
    assert main(["bank", "validate", str(BANK)]) == 0
    assert capsys.readouterr().out.endswith(", 0 follow-ups, 3 accepted answers\n")


def test_the_readme_example_bank_parses_with_its_accepted_answer(tmp_path: Path) -> None:
    readme = (Path(__file__).parents[2] / "README.md").read_text(encoding="utf-8")
    block = readme.split("## Question banks", 1)[1].split("```markdown\n", 1)[1].split("```")[0]
    text = "\n".join(line.split("  <- ")[0].rstrip() for line in block.splitlines())
    q4 = load_bank(write(tmp_path, lines_of(text))).question(4)
    assert q4.accepted_answers == (
        "Lasso penalizes the absolute values and zeroes some weights out; Ridge penalizes the "
        "squares and only shrinks them.",
    )
