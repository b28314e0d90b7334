"""The database's shape: the latest schema and the migrations that bring older files up to it.

The schema version is ``PRAGMA user_version``. :data:`MIGRATIONS` maps version n to the step that
turns a version-n file into version n+1; :func:`prepare` runs the steps a file needs in one
transaction (or creates the latest schema in an empty file). That transaction takes the write
lock first and reads the version again under it, so two processes opening one new or old file
at the same instant create or migrate it once (the second waits, then finds it done).
"""

from __future__ import annotations

import sqlite3
import time
from collections.abc import Callable
from pathlib import Path

from simulator.recall import DEFAULT_RETENTION
from simulator.store import cards
from simulator.store.errors import StoreError

SCHEMA_VERSION = 4

# Version 1 (built by tests/unit/data/make_history_v1.py): sessions(id, bank, mode, started_at,
# ended_at) and answers(id, session_id, question, topic, transcript, coverage, audio, duration_s,
# created_at).

_V2_ANSWERS = """
CREATE TABLE answers (
    id INTEGER PRIMARY KEY,
    session_id INTEGER NOT NULL REFERENCES sessions(id) ON DELETE CASCADE,
    question INTEGER NOT NULL,
    topic TEXT NOT NULL,
    mode TEXT NOT NULL DEFAULT 'voice',
    status TEXT NOT NULL DEFAULT 'in_progress'
        CHECK (status IN ('in_progress', 'done', 'unscored', 'recovered', 'discarded')),
    transcript TEXT NOT NULL DEFAULT '',
    words TEXT NOT NULL DEFAULT '[]',
    coverage REAL,
    coverage_detail TEXT,
    delivery TEXT,
    audio_path TEXT,
    duration_s REAL NOT NULL DEFAULT 0,
    draft TEXT NOT NULL DEFAULT '',
    created_at TEXT NOT NULL,
    updated_at TEXT NOT NULL
);
"""

_V2_REST = """
CREATE INDEX answers_session ON answers(session_id, status, coverage, duration_s, question);
CREATE INDEX answers_question ON answers(question, topic, created_at);
CREATE INDEX answers_status ON answers(status) WHERE status = 'in_progress';
CREATE INDEX sessions_started ON sessions(started_at);
CREATE VIEW question_stats AS
SELECT s.bank_name AS bank_name, a.question AS question, a.topic AS topic,
       count(*) AS attempts, max(a.coverage) AS best, avg(a.coverage) AS mean,
       max(a.created_at) AS last_at
FROM answers a JOIN sessions s ON s.id = a.session_id
WHERE a.status IN ('done', 'recovered') AND a.coverage IS NOT NULL
GROUP BY s.bank_name, a.question, a.topic;
"""


def _migrate_1_to_2(db: sqlite3.Connection) -> None:
    """v2: bank path and settings, the owning process, full answers with status and drafts."""
    db.execute("ALTER TABLE sessions RENAME COLUMN bank TO bank_name")
    for column in (
        "bank_path TEXT NOT NULL DEFAULT ''",
        "settings TEXT NOT NULL DEFAULT '{}'",
        "pid INTEGER",
        "process_started TEXT",
        "host TEXT",
    ):
        db.execute(f"ALTER TABLE sessions ADD COLUMN {column}")
    # A CHECK constraint and a cascade need a new table: build it, copy, swap.
    db.execute("ALTER TABLE answers RENAME TO answers_v1")
    _script(db, _V2_ANSWERS)
    db.execute(
        """INSERT INTO answers (id, session_id, question, topic, mode, status, transcript,
               coverage, audio_path, duration_s, created_at, updated_at)
           SELECT a.id, a.session_id, a.question, a.topic, s.mode,
                  CASE WHEN a.coverage IS NULL THEN 'unscored' ELSE 'done' END,
                  a.transcript, a.coverage, a.audio, a.duration_s, a.created_at, a.created_at
           FROM answers_v1 a JOIN sessions s ON s.id = a.session_id"""
    )
    db.execute("DROP TABLE answers_v1")
    # v1 had no end marker for a killed process; old unfinished sessions end at their last answer.
    db.execute(
        """UPDATE sessions SET ended_at = coalesce(
               (SELECT max(created_at) FROM answers WHERE session_id = sessions.id), started_at)
           WHERE ended_at IS NULL"""
    )
    _script(db, _V2_REST)


def _migrate_2_to_3(db: sqlite3.Connection) -> None:
    """v3: FSRS cards (:mod:`simulator.store.cards`); answers get ``assisted`` (a hinted or
    follow-up-completed answer rates lower). The cards are filled by replaying every scored
    answer in time order once the file is at the latest version (:func:`prepare`), since the
    replay reads the latest columns."""
    db.execute("ALTER TABLE answers ADD COLUMN assisted INTEGER NOT NULL DEFAULT 0")
    db.execute(cards.TABLE)
    db.execute("CREATE INDEX cards_due ON cards(bank_name, due)")


_V4_STATS = """
CREATE VIEW question_stats AS
SELECT s.bank_name AS bank_name, a.question AS question, a.topic AS topic,
       count(*) AS attempts, max(a.coverage) AS best, avg(a.coverage) AS mean,
       max(a.created_at) AS last_at
FROM answers a JOIN sessions s ON s.id = a.session_id
WHERE a.status IN ('done', 'recovered') AND a.coverage IS NOT NULL AND a.kind = 'answer'
GROUP BY s.bank_name, a.question, a.topic
"""


def _migrate_3_to_4(db: sqlite3.Connection) -> None:
    """v4: follow-up questions. An answer has a ``kind`` (``answer``, or ``follow_up``: the
    answer to a follow-up asked after the answer ``parent_id``), and a follow-up row keeps what
    was asked (``prompt``) and the key point it probed (``probed``). Statistics and cards count
    answers only: a follow-up's result is folded into its parent's coverage."""
    for column in (
        "kind TEXT NOT NULL DEFAULT 'answer' CHECK (kind IN ('answer', 'follow_up'))",
        "parent_id INTEGER REFERENCES answers(id) ON DELETE CASCADE",
        "prompt TEXT NOT NULL DEFAULT ''",
        "probed TEXT NOT NULL DEFAULT ''",
    ):
        db.execute(f"ALTER TABLE answers ADD COLUMN {column}")
    db.execute("CREATE INDEX answers_parent ON answers(parent_id) WHERE parent_id IS NOT NULL")
    db.execute("DROP VIEW question_stats")
    db.execute(_V4_STATS)


def _script(db: sqlite3.Connection, script: str) -> None:
    """Run ``;``-separated statements inside the current transaction (executescript commits)."""
    for statement in script.split(";"):
        if statement.strip():
            db.execute(statement)


def _create_latest(db: sqlite3.Connection) -> None:
    _script(
        db,
        """CREATE TABLE sessions (
               id INTEGER PRIMARY KEY,
               bank_name TEXT NOT NULL,
               bank_path TEXT NOT NULL DEFAULT '',
               mode TEXT NOT NULL,
               settings TEXT NOT NULL DEFAULT '{}',
               started_at TEXT NOT NULL,
               ended_at TEXT,
               pid INTEGER,
               process_started TEXT,
               host TEXT
           );"""
        + _V2_ANSWERS
        + _V2_REST,
    )
    _migrate_2_to_3(db)  # on empty tables: the columns and the cards table
    _migrate_3_to_4(db)


MIGRATIONS: dict[int, Callable[[sqlite3.Connection], None]] = {
    1: _migrate_1_to_2,
    2: _migrate_2_to_3,
    3: _migrate_3_to_4,
}
"""``MIGRATIONS[n]`` turns a version-n database into version n+1."""


def _has_tables(db: sqlite3.Connection) -> bool:
    return db.execute("SELECT count(*) FROM sqlite_master WHERE type = 'table'").fetchone()[0] > 0


def _set_wal(db: sqlite3.Connection, patience_s: float = 10.0) -> None:
    """WAL mode, waiting for other openers: SQLite reports this switch busy without waiting."""
    deadline = time.monotonic() + patience_s
    while True:
        try:
            db.execute("PRAGMA journal_mode = WAL")
            return
        except sqlite3.OperationalError as error:
            if "locked" not in str(error) or time.monotonic() > deadline:
                raise
            time.sleep(0.02)


def prepare(db: sqlite3.Connection, path: Path | None) -> None:
    """Set the connection's pragmas and bring the file to :data:`SCHEMA_VERSION`."""
    db.row_factory = sqlite3.Row
    db.execute("PRAGMA foreign_keys = ON")
    db.execute("PRAGMA busy_timeout = 5000")
    if path is not None:
        _set_wal(db)
        db.execute("PRAGMA synchronous = NORMAL")
    version = db.execute("PRAGMA user_version").fetchone()[0]
    if version > SCHEMA_VERSION:
        raise StoreError(
            f"{path} was written by a newer mock-interview (schema {version}, this "
            f"version knows {SCHEMA_VERSION}); upgrade mock-interview or use --data-dir"
        )
    if version == SCHEMA_VERSION:
        return
    db.execute("PRAGMA foreign_keys = OFF")  # table swaps inside a migration
    try:
        db.execute("BEGIN IMMEDIATE")
        # Another process may have created or migrated the file between the read above and
        # this write lock (two instances started at once on a new folder): read it again.
        version = db.execute("PRAGMA user_version").fetchone()[0]
        if version == SCHEMA_VERSION:
            db.execute("COMMIT")
            return
        if version == 0 and not _has_tables(db):
            _create_latest(db)
        else:
            for step in range(max(version, 1), SCHEMA_VERSION):
                MIGRATIONS[step](db)
            if version < 3:  # the cards table is new: replay the answers into it
                cards.rebuild(db, None, DEFAULT_RETENTION)
        problems = db.execute("PRAGMA foreign_key_check").fetchall()
        if problems:
            raise StoreError(f"{path}: migration left {len(problems)} broken references")
        db.execute(f"PRAGMA user_version = {SCHEMA_VERSION}")
        db.execute("COMMIT")
    except BaseException:
        if db.in_transaction:
            db.execute("ROLLBACK")
        raise
    finally:
        db.execute("PRAGMA foreign_keys = ON")
