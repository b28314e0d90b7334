"""Build Anki collections with sqlite3 exactly as Anki lays them out, for the import tests.

Two layouts, with Anki's own table definitions (rslib/src/storage/schema11.sql and the
upgrades to schema 18):

- schema 11 (``collection.anki2`` / ``collection.anki21``, Anki 2.0-2.1.49): decks and note
  types are JSON in the single ``col`` row, deck levels joined by ``::``;
- schema 18 (``collection.anki21b``, Anki 2.1.50+): ``decks``, ``notetypes`` and ``fields``
  tables with ``COLLATE unicase`` names, deck levels joined by ``\\x1f``, the file compressed
  with Zstandard, and beside it the placeholder ``collection.anki2`` Anki adds for old versions.

Notes are given as ``Note(fields, deck, tags, notetype)``; each gets one card in its deck.
"""

from __future__ import annotations

import json
import sqlite3
import zipfile
from dataclasses import dataclass
from pathlib import Path

SCHEMA_11 = """
CREATE TABLE col (
    id integer primary key, crt integer not null, mod integer not null, scm integer not null,
    ver integer not null, dty integer not null, usn integer not null, ls integer not null,
    conf text not null, models text not null, decks text not null, dconf text not null,
    tags text not null
);
CREATE TABLE notes (
    id integer primary key, guid text not null, mid integer not null, mod integer not null,
    usn integer not null, tags text not null, flds text not null, sfld integer not null,
    csum integer not null, flags integer not null, data text not null
);
CREATE TABLE cards (
    id integer primary key, nid integer not null, did integer not null, ord integer not null,
    mod integer not null, usn integer not null, type integer not null, queue integer not null,
    due integer not null, ivl integer not null, factor integer not null, reps integer not null,
    lapses integer not null, left integer not null, odue integer not null,
    odid integer not null, flags integer not null, data text not null
);
CREATE TABLE revlog (
    id integer primary key, cid integer not null, usn integer not null, ease integer not null,
    ivl integer not null, lastIvl integer not null, factor integer not null,
    time integer not null, type integer not null
);
CREATE TABLE graves (usn integer not null, oid integer not null, type integer not null);
CREATE INDEX ix_notes_usn on notes (usn);
CREATE INDEX ix_cards_usn on cards (usn);
CREATE INDEX ix_revlog_usn on revlog (usn);
CREATE INDEX ix_cards_nid on cards (nid);
CREATE INDEX ix_cards_sched on cards (did, queue, due);
CREATE INDEX ix_revlog_cid on revlog (cid);
CREATE INDEX ix_notes_csum on notes (csum);
"""

SCHEMA_18_EXTRA = """
CREATE TABLE deck_config (
    id integer PRIMARY KEY NOT NULL, name text NOT NULL COLLATE unicase,
    mtime_secs integer NOT NULL, usn integer NOT NULL, config blob NOT NULL
);
CREATE TABLE config (
    KEY text NOT NULL PRIMARY KEY, usn integer NOT NULL, mtime_secs integer NOT NULL,
    val blob NOT NULL
) without rowid;
CREATE TABLE fields (
    ntid integer NOT NULL, ord integer NOT NULL, name text NOT NULL COLLATE unicase,
    config blob NOT NULL, PRIMARY KEY (ntid, ord)
) without rowid;
CREATE UNIQUE INDEX idx_fields_name_ntid ON fields (name, ntid);
CREATE TABLE templates (
    ntid integer NOT NULL, ord integer NOT NULL, name text NOT NULL COLLATE unicase,
    mtime_secs integer NOT NULL, usn integer NOT NULL, config blob NOT NULL,
    PRIMARY KEY (ntid, ord)
) without rowid;
CREATE TABLE notetypes (
    id integer NOT NULL PRIMARY KEY, name text NOT NULL COLLATE unicase,
    mtime_secs integer NOT NULL, usn integer NOT NULL, config blob NOT NULL
);
CREATE UNIQUE INDEX idx_notetypes_name ON notetypes (name);
CREATE TABLE decks (
    id integer PRIMARY KEY NOT NULL, name text NOT NULL COLLATE unicase,
    mtime_secs integer NOT NULL, usn integer NOT NULL, common blob NOT NULL,
    kind blob NOT NULL
);
CREATE UNIQUE INDEX idx_decks_name ON decks (name);
CREATE TABLE tags (
    tag text NOT NULL PRIMARY KEY COLLATE unicase, usn integer NOT NULL,
    flags integer NOT NULL DEFAULT 0, collapsed integer NOT NULL DEFAULT 0
) without rowid;
"""

BASIC = ("Basic", ("Front", "Back"))
CLOZE = ("Cloze", ("Text", "Back Extra"))


@dataclass(frozen=True)
class Note:
    fields: tuple[str, ...]
    deck: str = "Default"
    """Levels joined by ``::`` (written as ``\\x1f`` in schema 18)."""
    tags: tuple[str, ...] = ()
    notetype: tuple[str, tuple[str, ...]] = BASIC


def _unicase(a: str, b: str) -> int:
    x, y = a.casefold(), b.casefold()
    return (x > y) - (x < y)


def build_collection(path: Path, notes: list[Note], schema: int = 11) -> None:
    """An Anki collection file at ``path`` holding ``notes``."""
    db = sqlite3.connect(path)
    db.create_collation("unicase", _unicase)
    db.executescript(SCHEMA_11 + (SCHEMA_18_EXTRA if schema == 18 else ""))
    deck_names = list(dict.fromkeys(["Default", *(n.deck for n in notes)]))
    deck_ids = {name: 1 if name == "Default" else 1_600_000_000_000 + i for i, name in
                enumerate(deck_names)}  # fmt: skip
    types = list(dict.fromkeys(n.notetype for n in notes))
    type_ids = {t: 1_500_000_000_000 + i for i, t in enumerate(types)}
    models = {
        str(type_ids[t]): {
            "id": type_ids[t], "name": t[0], "type": 1 if t == CLOZE else 0,
            "flds": [{"name": f, "ord": i} for i, f in enumerate(t[1])],
            "tmpls": [{"name": "Card 1", "ord": 0, "qfmt": "{{Front}}", "afmt": "{{Back}}"}],
        }
        for t in types
    }  # fmt: skip
    decks = {str(i): {"id": i, "name": name} for name, i in deck_ids.items()}
    if schema == 18:
        for name, did in deck_ids.items():
            db.execute(
                "INSERT INTO decks VALUES (?, ?, 0, 0, x'', x'')",
                (did, name.replace("::", "\x1f")),
            )
        for t, ntid in type_ids.items():
            db.execute("INSERT INTO notetypes VALUES (?, ?, 0, 0, x'')", (ntid, t[0]))
            for order, field in enumerate(t[1]):
                db.execute("INSERT INTO fields VALUES (?, ?, ?, x'')", (ntid, order, field))
        models_json, decks_json = "", ""
    else:
        models_json, decks_json = json.dumps(models), json.dumps(decks)
    db.execute(
        "INSERT INTO col VALUES (1, 0, 0, 0, ?, 0, 0, 0, '{}', ?, ?, '{}', '{}')",
        (schema, models_json, decks_json),
    )
    for n, note in enumerate(notes, start=1):
        nid = 1_700_000_000_000 + n
        tags = f" {' '.join(note.tags)} " if note.tags else ""
        db.execute(
            "INSERT INTO notes VALUES (?, ?, ?, 0, 0, ?, ?, ?, 0, 0, '')",
            (nid, f"guid{n}", type_ids[note.notetype], tags, "\x1f".join(note.fields),
             note.fields[0]),
        )  # fmt: skip
        db.execute(
            "INSERT INTO cards VALUES (?, ?, ?, 0, 0, 0, 0, 0, ?, 0, 0, 0, 0, 0, 0, 0, 0, '')",
            (nid + 10_000, nid, deck_ids[note.deck], n),
        )
    db.commit()
    db.close()


def build_package(path: Path, notes: list[Note], member: str = "collection.anki2") -> Path:
    """An ``.apkg`` zip at ``path`` whose collection is ``member`` (anki2, anki21, anki21b)."""
    work = path.with_suffix(".collection")
    schema = 18 if member == "collection.anki21b" else 11
    build_collection(work, notes, schema)
    with zipfile.ZipFile(path, "w") as archive:
        if schema == 18:
            import zstandard

            archive.writestr(member, zstandard.ZstdCompressor().compress(work.read_bytes()))
            placeholder = path.with_suffix(".placeholder")
            build_collection(
                placeholder, [Note(("Please update to the latest Anki version", "x"))], 11
            )
            archive.write(placeholder, "collection.anki2")
            placeholder.unlink()
        else:
            archive.write(work, member)
        archive.writestr("media", json.dumps({"0": "diagram.png"}))
    work.unlink()
    return path
