"""The ``cards`` table: each question's FSRS memory (:mod:`simulator.recall`), beside its answers.

The answers stay the one source of truth; a card is what replaying its question's scored answers
in time order gives, stored so the due order needs no replay (replaying 10,000 answers takes
about 0.2 s; reading 30 cards well under a millisecond). The store keeps them in step inside
the same transaction as the change:

- a newly scored answer later than the card's last review is one more review (the common case);
- anything else (an answer re-scored, discarded, recovered out of order, a session deleted, a
  different desired retention) rebuilds the cards concerned by replaying their answers.

Every function takes the open connection, inside the caller's transaction.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Iterable
from datetime import datetime

from simulator.recall import Key, Memory, Review, replay, review

TABLE = """
CREATE TABLE cards (
    bank_name TEXT NOT NULL,
    question INTEGER NOT NULL,
    topic TEXT NOT NULL,
    state INTEGER NOT NULL,
    step INTEGER,
    stability REAL NOT NULL,
    difficulty REAL NOT NULL,
    last_review TEXT NOT NULL,
    due TEXT NOT NULL,
    reviews INTEGER NOT NULL,
    lapses INTEGER NOT NULL,
    retention REAL NOT NULL,
    last_answer_id INTEGER NOT NULL,
    PRIMARY KEY (bank_name, question, topic)
) WITHOUT ROWID
"""

_SCORED_ANSWERS = """
SELECT a.id, s.bank_name, a.question, a.topic, a.coverage, a.created_at, a.assisted
FROM answers a JOIN sessions s ON s.id = a.session_id
WHERE a.status IN ('done', 'recovered') AND a.coverage IS NOT NULL AND a.kind = 'answer'
"""


def _review(row: sqlite3.Row | tuple) -> Review:
    return Review(
        key=(row[1], row[2], row[3]),
        coverage=float(row[4]),
        at=datetime.fromisoformat(row[5]),
        assisted=bool(row[6]),
    )


def rebuild(db: sqlite3.Connection, keys: Iterable[Key] | None, retention: float) -> int:
    """Replay the answers of ``keys`` (None: every question) into their cards; how many."""
    if keys is None:
        db.execute("DELETE FROM cards")
        rows = db.execute(_SCORED_ANSWERS + " ORDER BY a.created_at, a.id").fetchall()
    else:
        rows = []
        for bank_name, question, topic in set(keys):
            db.execute(
                "DELETE FROM cards WHERE bank_name = ? AND question = ? AND topic = ?",
                (bank_name, question, topic),
            )
            rows += db.execute(
                _SCORED_ANSWERS + " AND s.bank_name = ? AND a.question = ? AND a.topic = ?"
                " ORDER BY a.created_at, a.id",
                (bank_name, question, topic),
            ).fetchall()
    last_ids: dict[Key, int] = {}
    for row in rows:
        key = (row[1], row[2], row[3])
        last_ids[key] = max(last_ids.get(key, 0), int(row[0]))
    memories = replay((_review(row) for row in rows), retention)
    for key, memory in memories.items():
        _save(db, memory, last_ids[key])
    return len(memories)


def after_answer(db: sqlite3.Connection, answer_id: int, retention: float) -> None:
    """Bring the card of ``answer_id``'s question up to date after it was finished."""
    row = db.execute(_SCORED_ANSWERS + " AND a.id = ?", (answer_id,)).fetchone()
    if row is None:  # unscored: it may have counted before (finished twice); replay
        for key in keys_of(db, "a.id = ?", (answer_id,)):
            rebuild(db, [key], retention)
        return
    answer = _review(row)
    memory, last_id = _load(db, answer.key)
    later = memory is not None and answer.at > memory.last_review and answer_id > last_id
    if memory is not None and not later:
        rebuild(db, [answer.key], retention)
        return
    _save(db, review(memory, answer, retention), answer_id)


def keys_of(db: sqlite3.Connection, where: str, params: tuple) -> list[Key]:
    """The (bank, question, topic) of the answers matching ``where`` (on ``answers a``)."""
    rows = db.execute(
        f"""SELECT DISTINCT s.bank_name, a.question, a.topic
            FROM answers a JOIN sessions s ON s.id = a.session_id WHERE {where}""",
        params,
    ).fetchall()
    return [(r[0], r[1], r[2]) for r in rows]


def stale(db: sqlite3.Connection, retention: float) -> bool:
    """True when some card was scheduled for another desired retention."""
    row = db.execute(
        "SELECT 1 FROM cards WHERE abs(retention - ?) > 1e-9 LIMIT 1", (retention,)
    ).fetchone()
    return row is not None


def memories(db: sqlite3.Connection, bank_name: str | None = None) -> list[Memory]:
    """Every card (of one bank, or all), soonest due first."""
    where = "WHERE bank_name = ?" if bank_name is not None else ""
    rows = db.execute(
        f"SELECT * FROM cards {where} ORDER BY due, bank_name, question, topic",
        (bank_name,) if bank_name is not None else (),
    ).fetchall()
    return [_memory(row) for row in rows]


def _memory(row: sqlite3.Row | tuple) -> Memory:
    return Memory(
        bank_name=row[0],
        question=row[1],
        topic=row[2],
        state=row[3],
        step=row[4],
        stability=row[5],
        difficulty=row[6],
        last_review=datetime.fromisoformat(row[7]),
        due=datetime.fromisoformat(row[8]),
        reviews=row[9],
        lapses=row[10],
        retention=row[11],
    )


def _load(db: sqlite3.Connection, key: Key) -> tuple[Memory | None, int]:
    row = db.execute(
        "SELECT * FROM cards WHERE bank_name = ? AND question = ? AND topic = ?", key
    ).fetchone()
    return (None, 0) if row is None else (_memory(row), int(row[12]))


def _save(db: sqlite3.Connection, memory: Memory, last_answer_id: int) -> None:
    db.execute(
        "INSERT OR REPLACE INTO cards VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
        (
            memory.bank_name,
            memory.question,
            memory.topic,
            memory.state,
            memory.step,
            memory.stability,
            memory.difficulty,
            memory.last_review.isoformat(timespec="milliseconds"),
            memory.due.isoformat(timespec="milliseconds"),
            memory.reviews,
            memory.lapses,
            memory.retention,
            last_answer_id,
        ),
    )
