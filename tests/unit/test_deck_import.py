"""Importing decks: Anki packages (genanki-written and built as Anki lays them out), Anki text
exports and CSV/TSV edge cases, down to the Markdown bank they become."""

from __future__ import annotations

import sqlite3
import zipfile
from pathlib import Path

import genanki
import pytest

from content.bank import load_bank
from content.importers import DeckError, import_deck, read_deck
from content.importers.html_text import cloze_question, html_to_text
from simulator.cli import main
from tests.unit.anki_layout import CLOZE, Note, build_package

# -- HTML fields ------------------------------------------------------------------------------


def test_html_fields_become_plain_text_with_lines_and_lists() -> None:
    field = html_to_text(
        "Bias &amp; variance&nbsp;&lt;trade&gt;<br>second line<div>third</div>"
        "<ul><li>one</li><li><b>two</b></li></ul><ol><li>first</li><li>second</li></ol>end"
    )
    assert field.text == (
        "Bias & variance <trade>\nsecond line\nthird\n\n- one\n- two\n\n1. first\n2. second\n\nend"
    )


def test_scripts_and_styles_are_dropped_and_media_noted() -> None:
    field = html_to_text(
        '<style>.x{color:red}</style>See <img src="graph.png" onerror="alert(1)"> this'
        "<script>document.write('pwned')</script> [sound:say.mp3]"
    )
    assert field.text == "See this"
    assert field.media == ("say.mp3", "graph.png")


def test_cloze_deletions_blank_the_question_and_fill_the_answer() -> None:
    text = "The {{c1::ReLU}} activation is {{c2::max(0, x)::a formula}}"
    assert cloze_question(text) == "The [...] activation is [a formula]"
    assert html_to_text("a{{c1::b}}c").text == "a{{c1::b}}c"  # untouched until asked


# -- Anki packages ------------------------------------------------------------------------------


def _genanki_package(path: Path) -> Path:
    """A real .apkg written by genanki with its stock Basic note type, two nested decks."""
    stats = genanki.Deck(2_059_400_110, "Interview::Statistics")
    deep = genanki.Deck(2_059_400_111, "Interview::Deep learning")
    stats.add_note(
        genanki.Note(
            model=genanki.BASIC_MODEL,
            fields=["What is a p-value?", "The probability of data at least this extreme<br>"
                    "<i>if</i> the null hypothesis holds &amp; nothing else."],
            tags=["stats_basics"],
        )
    )  # fmt: skip
    deep.add_note(
        genanki.Note(
            model=genanki.BASIC_MODEL,
            fields=[
                'Why use dropout? <img src="dropout.png">',
                "<ul><li>It randomly zeroes activations during training</li>"
                "<li>It prevents co-adaptation of neurons</li></ul>[sound:dropout.mp3]",
            ],
            tags=["neural_nets", "regularization"],
        )
    )
    deep.add_note(genanki.Note(model=genanki.BASIC_MODEL, fields=["Empty back?", " <br> "]))
    genanki.Package([stats, deep]).write_to_file(str(path))
    return path


def test_a_genanki_package_imports_with_deck_topics_html_and_media(tmp_path: Path) -> None:
    read = read_deck(_genanki_package(tmp_path / "interview.apkg"))
    assert read.format == "Anki package with collection.anki2"
    assert read.title == "Interview"
    assert [(c.topic, c.question) for c in read.cards] == [
        ("Statistics", "What is a p-value?"),
        ("Deep learning", "Why use dropout?"),
    ]
    assert read.cards[0].answer == (
        "The probability of data at least this extreme\n"
        "if the null hypothesis holds & nothing else."
    )
    assert read.cards[1].answer == (
        "- It randomly zeroes activations during training\n- It prevents co-adaptation of neurons"
    )
    assert sorted(read.media) == ["dropout.mp3", "dropout.png"]
    assert [str(p) for p in read.problems] == [
        f"{tmp_path / 'interview.apkg'}:3: note 3 (id {_third_note_id(read)}): "
        "the answer side is empty; skipped"
    ]


def _third_note_id(read) -> int:
    with zipfile.ZipFile(read.path) as archive:
        data = archive.read("collection.anki2")
    copy = read.path.with_suffix(".sqlite3")
    copy.write_bytes(data)
    db = sqlite3.connect(copy)
    try:
        return db.execute("SELECT id FROM notes ORDER BY id").fetchall()[2][0]
    finally:
        db.close()


def test_topics_from_tags(tmp_path: Path) -> None:
    read = read_deck(_genanki_package(tmp_path / "interview.apkg"), "tag")
    assert [c.topic for c in read.cards] == ["stats basics", "neural nets"]


NOTES = [
    Note(("What is overfitting?", "The model learns noise in the training data<br>and "
          "generalizes poorly to new data."), "ML::Basics", ("core",)),
    Note(("Define precision.", "Of the predicted positives, the share that are truly "
          "positive: TP / (TP + FP)."), "ML::Metrics"),
    Note(("{{c1::Adam}} combines momentum with {{c2::RMSProp}}.", "Kingma &amp; Ba, 2014"),
         "ML::Basics", notetype=CLOZE),
    Note(("", "An answer without a question"), "ML::Metrics"),
]  # fmt: skip


@pytest.mark.parametrize("member", ["collection.anki2", "collection.anki21", "collection.anki21b"])
def test_collections_laid_out_as_anki_does_import(tmp_path: Path, member: str) -> None:
    package = build_package(tmp_path / "ml.apkg", NOTES, member)
    read = read_deck(package)
    assert read.format == f"Anki package with {member}"  # anki21b wins over its placeholder
    assert read.title == "ML"
    assert [(c.topic, c.question) for c in read.cards] == [
        ("Basics", "What is overfitting?"),
        ("Metrics", "Define precision."),
        ("Basics", "[...] combines momentum with [...]."),
    ]
    assert read.cards[0].answer == (
        "The model learns noise in the training data\nand generalizes poorly to new data."
    )
    assert read.cards[2].answer == "Adam combines momentum with RMSProp.\n\nKingma & Ba, 2014"
    assert len(read.problems) == 1
    assert str(read.problems[0]).endswith(":4: note 4 (id 1700000000004): the question side is "
                                          "empty; skipped")  # fmt: skip


def test_a_colpkg_reads_like_an_apkg(tmp_path: Path) -> None:
    package = build_package(tmp_path / "backup.colpkg", NOTES[:2], "collection.anki21b")
    assert [c.topic for c in read_deck(package).cards] == ["Basics", "Metrics"]


def test_unsupported_packages_say_what_they_are(tmp_path: Path) -> None:
    empty_zip = tmp_path / "empty.apkg"
    with zipfile.ZipFile(empty_zip, "w") as archive:
        archive.writestr("media", "{}")
    with pytest.raises(DeckError, match="without an Anki collection.*not a supported"):
        read_deck(empty_zip)
    bare = tmp_path / "old.anki"
    sqlite3.connect(bare).execute("CREATE TABLE x (y)").connection.commit()
    with pytest.raises(DeckError, match="bare SQLite file.*not supported"):
        read_deck(bare.rename(tmp_path / "old.apkg"))
    garbage = tmp_path / "garbage.apkg"
    garbage.write_bytes(b"\x00\x01 not a zip")
    with pytest.raises(DeckError, match="not a zip file"):
        read_deck(garbage)
    broken = tmp_path / "broken.apkg"
    with zipfile.ZipFile(broken, "w") as archive:
        archive.writestr("collection.anki21b", b"not zstandard at all")
    with pytest.raises(DeckError, match="not valid Zstandard"):
        read_deck(broken)
    not_sqlite = tmp_path / "not-sqlite.apkg"
    with zipfile.ZipFile(not_sqlite, "w") as archive:
        archive.writestr("collection.anki2", b"x" * 2048)
    with pytest.raises(DeckError, match="not an Anki collection.*not supported"):
        read_deck(not_sqlite)


# -- tables ---------------------------------------------------------------------------------


EDGE_CSV = (
    "\ufeffQuestion,Answer,Topic\r\n"
    '"What is ""bias""?","Error from wrong assumptions,\r\nsuch as a line fit to a curve.",'
    "Basics\r\n"
    "What is variance?,Sensitivity to the training data.,Basics\r\n"
    "No answer here,,Basics\r\n"
    "\r\n"
    '"Explain dropout","Randomly <b>zeroes</b> units &amp; prevents co-adaptation",Deep\r\n'
    ',"An answer, no question",Deep\r\n'
)


def test_csv_with_bom_crlf_quotes_and_newlines(tmp_path: Path) -> None:
    path = tmp_path / "deck.csv"
    path.write_bytes(EDGE_CSV.encode("utf-8"))
    read = read_deck(path)
    assert [(c.line, c.topic, c.question) for c in read.cards] == [
        (2, "Basics", 'What is "bias"?'),
        (4, "Basics", "What is variance?"),
        (7, "Deep", "Explain dropout"),
    ]
    assert read.cards[0].answer == "Error from wrong assumptions,\nsuch as a line fit to a curve."
    assert read.cards[2].answer == "Randomly zeroes units & prevents co-adaptation"
    assert [str(p) for p in read.problems] == [
        f"{path}:5: no answer for 'No answer here' (the row has 3 columns); skipped",
        f"{path}:8: the question is empty; skipped",
    ]


def test_tsv_without_header_and_an_unclosed_quote(tmp_path: Path) -> None:
    path = tmp_path / "deck.tsv"
    path.write_text(
        "What is L1?\tSum of absolute weights\tRegularization\n"
        "What is L2?\tSum of squared weights\n"
        'Broken\t"never closed\n',
        encoding="utf-8",
    )
    read = read_deck(path)
    assert [(c.question, c.topic) for c in read.cards] == [
        ("What is L1?", "Regularization"),
        ("What is L2?", "General"),
    ]
    assert len(read.problems) == 1
    assert str(read.problems[0]).startswith(f"{path}:3: not a readable row")


def test_semicolons_are_guessed(tmp_path: Path) -> None:
    path = tmp_path / "excel.csv"
    path.write_text("Front;Back\nWhat is AUC?;Area under the ROC curve, 0.5 is chance\n")
    read = read_deck(path)
    assert [(c.question, c.answer) for c in read.cards] == [
        ("What is AUC?", "Area under the ROC curve, 0.5 is chance")
    ]


def test_anki_text_export_headers_are_honoured(tmp_path: Path) -> None:
    path = tmp_path / "export.txt"
    path.write_text(
        "#separator:tab\n#html:true\n#guid column:1\n#deck column:2\n#tags column:5\n"
        "abc\tML::Basics\tWhat is a <b>gradient</b>?\tThe vector of partial derivatives"
        "<br>pointing uphill\tcalculus\n"
        'def\tML::Metrics\tWhat is recall?\t"TP / (TP + FN)\nthe share found"\tmetrics\n',
        encoding="utf-8",
    )
    read = read_deck(path)
    assert read.format == "Anki text export"
    assert [(c.line, c.topic, c.question, c.answer) for c in read.cards] == [
        (6, "ML / Basics", "What is a gradient?",
         "The vector of partial derivatives\npointing uphill"),
        (7, "ML / Metrics", "What is recall?", "TP / (TP + FN)\nthe share found"),
    ]  # fmt: skip
    assert [c.topic for c in read_deck(path, "tag").cards] == ["calculus", "metrics"]


def test_an_anki_text_export_column_named_also_accepted_holds_other_answers(
    tmp_path: Path,
) -> None:
    path = tmp_path / "export.txt"
    path.write_text(
        "#separator:tab\n#html:true\n#columns:Front\tAlso accepted\tBack\n"
        "Name one way to reduce overfitting.\tAdd dropout || Stop early<br>Use L2"
        "\tCollect more training data\n",
        encoding="utf-8",
    )
    (card,) = read_deck(path).cards
    assert (card.question, card.answer) == (
        "Name one way to reduce overfitting.",
        "Collect more training data",
    )
    assert card.accepted_answers == ("Add dropout", "Stop early", "Use L2")


def test_tables_that_cannot_be_read(tmp_path: Path) -> None:
    latin = tmp_path / "latin.csv"
    latin.write_bytes("question,answer\nq,caf\xe9\n".encode("latin-1"))
    with pytest.raises(DeckError, match=r"latin.csv:2: not UTF-8"):
        read_deck(latin)
    plain = tmp_path / "plain.csv"
    plain.write_text("question,answer\nq,a\n")
    with pytest.raises(DeckError, match="no deck column"):
        read_deck(plain, "deck")
    with pytest.raises(DeckError, match="no such file"):
        read_deck(tmp_path / "missing.csv")


# -- to a bank, and the command -------------------------------------------------------------


def test_an_imported_deck_is_a_valid_bank_with_key_points(tmp_path: Path) -> None:
    read = read_deck(build_package(tmp_path / "ml.apkg", NOTES, "collection.anki21b"))
    report = import_deck(read, tmp_path / "ml.md")
    assert report.problems == []
    bank = load_bank(tmp_path / "ml.md")
    assert bank.title == "ML"
    assert bank.topics == ["Basics", "Metrics"]
    assert [q.number for q in bank.questions] == [1, 2, 3]
    assert all(q.key_points and not q.key_points_extracted for q in bank.questions)
    assert report.extracted == 3


def test_bank_import_command_reports_skipped_rows_and_never_a_traceback(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    (tmp_path / "deck.csv").write_bytes(EDGE_CSV.encode("utf-8"))
    assert main(["bank", "import", "deck.csv"]) == 0
    out, err = capsys.readouterr()
    assert out.startswith("deck.md: 3 questions in 2 topics from deck.csv (CSV), 2 skipped")
    assert err.splitlines() == [
        "deck.csv:5: no answer for 'No answer here' (the row has 3 columns); skipped",
        "deck.csv:8: the question is empty; skipped",
    ]
    assert len(load_bank(tmp_path / "deck.md").questions) == 3
    assert main(["bank", "import", "deck.csv"]) == 2
    assert "exists" in capsys.readouterr().err
    (tmp_path / "junk.apkg").write_bytes(b"junk")
    assert main(["bank", "import", "junk.apkg", "-o", "junk.md"]) == 2
    err = capsys.readouterr().err
    assert err == (
        "mock-interview: error: junk.apkg: not a zip file, so not an Anki .apkg/.colpkg package\n"
    )
