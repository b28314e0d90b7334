"""Read an Anki package (``.apkg``, ``.colpkg``): the notes of its SQLite collection as cards.

A package is a zip. Inside, the collection is one of (the first found wins):

- ``collection.anki21b``: Anki 2.1.50 and later, schema 18, the SQLite file compressed with
  Zstandard (decompressed with the ``zstandard`` package). Decks and note types live in their
  own tables (``decks``, ``notetypes``, ``fields``); deck names separate levels with ``\\x1f``.
  Such packages also hold a placeholder ``collection.anki2`` that only says "please update
  Anki", which is why this one is read first.
- ``collection.anki21``: Anki 2.1 before 2.1.50, schema 11, plain SQLite.
- ``collection.anki2``: Anki 2.0, and what genanki writes: schema 11, plain SQLite. Decks and
  note types are JSON in the one ``col`` row (``col.decks``, ``col.models``); deck names
  separate levels with ``::``.

Anything else (an ``.anki`` file of Anki 1, a zip without a collection, a collection that is
not SQLite) is a :class:`DeckError` saying which format it is and that it is not supported.

Each note is one card: its ``Question``/``Front`` field (else its first) is the question, its
``Answer``/``Back`` field (else its second) the model answer; a cloze note asks its text with
the deletions blanked and answers it filled in (plus ``Back Extra``). HTML becomes plain text
(:mod:`content.importers.html_text`); media are noted and skipped. A note exported by
mock-interview (note type ``mock-interview question``) also carries its number and key points.
A field named ``Also accepted`` (or ``Accepted answers``, ``Alternative answers``), in any note
type, holds other right answers: one per list item or line, or separated by ``||``.
The topic is the note's deck (below the decks' common parent), its first tag, or its ``Topic``
field (``column``).
"""

from __future__ import annotations

import html
import json
import re
import sqlite3
import tempfile
import zipfile
from dataclasses import dataclass
from pathlib import Path

from content.accepted import ACCEPTED_NAMES, split_cell
from content.bank import KeyPoint
from content.importers.cards import DEFAULT_TOPIC, DeckCard, DeckError, DeckRead
from content.importers.html_text import cloze_answer, cloze_question, html_to_text

COLLECTIONS = ("collection.anki21b", "collection.anki21", "collection.anki2")
NOTETYPE = "mock-interview question"
"""The note type :mod:`content.deck_export` writes; its fields are :data:`FIELDS`."""
FIELDS = ("Number", "Question", "Answer", "Key points", "Topic", "Also accepted")
_QUESTION_FIELDS = ("question", "front", "prompt", "text")
_ANSWER_FIELDS = ("answer", "back", "model answer")
_CLOZE = re.compile(r"\{\{c\d+::")
_KEY_POINT_HTML = re.compile(
    r"<li>\s*<b>(?P<label>.*?)</b>\s*(?:\(weight (?P<weight>[\d.]+)\))?\s*:\s*(?P<phrasings>.*?)"
    r"(?:\s*<br>\s*<i>Follow-up:\s*(?P<follow_up>.*?)</i>)?\s*</li>",
    re.DOTALL,
)


@dataclass(frozen=True)
class _NoteType:
    name: str
    fields: tuple[str, ...]
    """Field names in field order."""


def read_anki(path: Path, topic_from: str = "deck") -> DeckRead:
    """Every note of the package at ``path`` as a card (see the module docstring)."""
    try:
        archive = zipfile.ZipFile(path)
    except zipfile.BadZipFile:
        raise DeckError(_not_a_package(path)) from None
    except OSError as error:
        raise DeckError(f"{path}: cannot read: {error.strerror or error}") from None
    with archive, tempfile.TemporaryDirectory(prefix="mock-interview-anki-") as folder:
        names = set(archive.namelist())
        member = next((name for name in COLLECTIONS if name in names), None)
        if member is None:
            raise DeckError(
                f"{path}: a zip without an Anki collection (no {', '.join(COLLECTIONS)} inside); "
                "not a supported Anki package"
            )
        database = Path(folder) / "collection.sqlite3"
        try:
            data = archive.read(member)
        except (zipfile.BadZipFile, OSError, RuntimeError) as error:
            raise DeckError(f"{path}: {member} cannot be unpacked ({error})") from None
        if member.endswith("anki21b"):
            data = _unzstd(path, data)
        database.write_bytes(data)
        read = DeckRead(path=path, format=f"Anki package with {member}", title=path.stem)
        try:
            _read_collection(database, read, topic_from)
        except sqlite3.DatabaseError as error:
            raise DeckError(
                f"{path}: {member} is not an Anki collection Anki writes today ({error}); "
                "not supported"
            ) from None
        return read


def _not_a_package(path: Path) -> str:
    try:
        head = path.read_bytes()[:16]
    except OSError as error:
        return f"{path}: cannot read: {error.strerror or error}"
    if head.startswith(b"SQLite format 3"):
        return (
            f"{path}: a bare SQLite file (an Anki 1 .anki deck or an unpacked collection); "
            "not supported: export it from Anki as a .apkg package"
        )
    return f"{path}: not a zip file, so not an Anki .apkg/.colpkg package"


def _unzstd(path: Path, data: bytes) -> bytes:
    try:
        import zstandard
    except ImportError:
        raise DeckError(
            f"{path}: holds collection.anki21b (Zstandard-compressed, Anki 2.1.50+); reading it "
            "needs the 'zstandard' package: .venv/bin/pip install zstandard"
        ) from None
    try:
        with zstandard.ZstdDecompressor().stream_reader(data) as reader:
            return reader.read()
    except zstandard.ZstdError as error:
        raise DeckError(
            f"{path}: collection.anki21b is not valid Zstandard data ({error})"
        ) from None


def _read_collection(database: Path, read: DeckRead, topic_from: str) -> None:
    db = sqlite3.connect(f"file:{database}?mode=ro", uri=True)
    try:
        db.create_collation("unicase", _unicase)  # schema 18 declares it on names
        decks = _decks(db)
        types = _note_types(db)
        first_deck = {
            nid: did
            for nid, did in db.execute(
                "SELECT nid, did FROM cards ORDER BY nid, ord DESC, id DESC"
            )  # the last row written for a note is its lowest ord: that card's deck wins
        }
        notes = db.execute("SELECT id, mid, tags, flds FROM notes ORDER BY id").fetchall()
    finally:
        db.close()
    deck_paths = {nid: decks.get(did, ("Default",)) for nid, did in first_deck.items()}
    title, topic_of_deck = _deck_topics(set(deck_paths.values()), read.title)
    read.title = title
    for position, (nid, mid, tags, flds) in enumerate(notes, start=1):
        where = f"note {position} (id {nid})"
        kind = types.get(mid)
        fields = flds.split("\x1f")
        names = kind.fields if kind else tuple(f"field {n}" for n in range(len(fields)))
        values = dict(zip((n.casefold() for n in names), fields, strict=False))
        deck_topic = topic_of_deck.get(deck_paths.get(nid, ("Default",)), DEFAULT_TOPIC)
        if topic_from == "tag":
            tag = next((t for t in tags.split() if t), "")
            topic = tag.replace("::", " / ").replace("_", " ") if tag else DEFAULT_TOPIC
        elif topic_from == "column":
            topic = _plain(values.get("topic", ""), read) or deck_topic
        else:
            topic = deck_topic
        front = _pick(values, _QUESTION_FIELDS, fields, 0)
        back = _pick(values, _ANSWER_FIELDS, fields, 1)
        if _CLOZE.search(front):
            extra = _plain(back, read)
            question = _one_line(_plain(cloze_question(front), read))
            answer = _plain(cloze_answer(front), read) + (f"\n\n{extra}" if extra else "")
        else:
            question = _one_line(_plain(front, read))
            answer = _plain(back, read)
        if not question:
            read.skip(position, f"{where}: the question side is empty; skipped")
            continue
        if not answer:
            read.skip(position, f"{where}: the answer side is empty; skipped")
            continue
        ours = kind is not None and kind.name == NOTETYPE
        accepted = next((values[n] for n in ACCEPTED_NAMES if n in values), "")
        read.cards.append(
            DeckCard(
                question=question,
                answer=answer,
                topic=topic,
                line=position,
                key_points=_key_points(values.get("key points", "")) if ours else (),
                number=_number(values.get("number", "")) if ours else None,
                accepted_answers=tuple(split_cell(_plain(accepted, read))),
            )
        )


def _unicase(a: str, b: str) -> int:
    x, y = a.casefold(), b.casefold()
    return (x > y) - (x < y)


def _tables(db: sqlite3.Connection) -> set[str]:
    return {row[0] for row in db.execute("SELECT name FROM sqlite_master WHERE type = 'table'")}


def _decks(db: sqlite3.Connection) -> dict[int, tuple[str, ...]]:
    """Deck id -> the deck's path (parent decks first)."""
    if "decks" in _tables(db):  # schema 18
        rows = db.execute("SELECT id, name FROM decks").fetchall()
        if rows:
            return {int(did): tuple(str(name).split("\x1f")) for did, name in rows}
    row = db.execute("SELECT decks FROM col").fetchone()
    try:
        decks = json.loads(row[0]) if row and row[0] else {}
    except ValueError:
        decks = {}
    return {int(did): tuple(str(d.get("name", "Default")).split("::")) for did, d in decks.items()}


def _note_types(db: sqlite3.Connection) -> dict[int, _NoteType]:
    if "notetypes" in _tables(db):  # schema 18
        names = {int(i): str(n) for i, n in db.execute("SELECT id, name FROM notetypes")}
        if names:
            fields: dict[int, list[str]] = {}
            for ntid, name in db.execute("SELECT ntid, name FROM fields ORDER BY ntid, ord"):
                fields.setdefault(int(ntid), []).append(str(name))
            return {i: _NoteType(n, tuple(fields.get(i, []))) for i, n in names.items()}
    row = db.execute("SELECT models FROM col").fetchone()
    try:
        models = json.loads(row[0]) if row and row[0] else {}
    except ValueError:
        models = {}
    types = {}
    for mid, model in models.items():
        flds = sorted(model.get("flds", []), key=lambda f: f.get("ord", 0))
        types[int(mid)] = _NoteType(str(model.get("name", "")), tuple(f["name"] for f in flds))
    return types


def _deck_topics(
    paths: set[tuple[str, ...]], fallback_title: str
) -> tuple[str, dict[tuple[str, ...], str]]:
    """The bank's title (the decks' common parent) and each deck's topic (the rest)."""
    if not paths:
        return fallback_title, {}
    common = list(next(iter(paths)))
    for path in paths:
        while common and tuple(common) != path[: len(common)]:
            common.pop()
    if len(paths) == 1:
        (path,) = paths
        return " / ".join(path[:-1]) or fallback_title, {path: path[-1]}
    topics = {path: " / ".join(path[len(common) :]) or path[-1] for path in paths}
    return " / ".join(common) or fallback_title, topics


def _pick(values: dict[str, str], names: tuple[str, ...], fields: list[str], index: int) -> str:
    for name in names:
        if name in values:
            return values[name]
    return fields[index] if len(fields) > index else ""


def _plain(fragment: str, read: DeckRead) -> str:
    converted = html_to_text(fragment)
    read.note_media(converted.media)
    return converted.text


def _one_line(text: str) -> str:
    return " ".join(text.split())


def _number(field: str) -> int | None:
    text = html_to_text(field).text
    return int(text) if text.isdigit() else None


def _key_points(field: str) -> tuple[KeyPoint, ...]:
    """Key points as :mod:`content.deck_export` writes them: ``<li><b>label</b>: a; b</li>``."""
    points = []
    for match in _KEY_POINT_HTML.finditer(field):
        label = html_to_text(match["label"]).text
        phrasings = tuple(
            p.strip() for p in html.unescape(match["phrasings"]).split(";") if p.strip()
        )
        try:
            weight = float(match["weight"]) if match["weight"] else 1.0
        except ValueError:
            weight = 1.0
        follow_up = html_to_text(match["follow_up"]).text if match["follow_up"] else ""
        if label and phrasings and weight > 0:
            points.append(
                KeyPoint(label=label, phrasings=phrasings, weight=weight, follow_up=follow_up)
            )
    return tuple(points)
