"""Build ``history-v3.sqlite3``: a database as schema version 3 (before follow-ups) wrote it.

Run from the repository root: ``.venv/bin/python tests/unit/data/make_history_v3.py``.
The schema is copied here, frozen, so later changes to ``simulator/store/schema.py`` cannot
change what a version-3 file looks like. ``tests/unit/test_store_follow_ups.py`` migrates a
copy to version 4 (answers get a kind and a parent; follow-ups are not counted as answers).

Two sessions on ml-theory: Q1 answered twice (the second assisted), Q2 once, Q3 unscored; the
FSRS cards as version 3 stored them, written from a replay of these answers.
"""

from __future__ import annotations

import json
import sqlite3
import sys
from datetime import datetime
from pathlib import Path

HERE = Path(__file__).parent
TARGET = HERE / "history-v3.sqlite3"

SCHEMA_V3 = """
CREATE TABLE sessions (
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
);
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
    updated_at TEXT NOT NULL,
    assisted INTEGER NOT NULL DEFAULT 0
);
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
) WITHOUT ROWID;
CREATE INDEX cards_due ON cards(bank_name, due);
PRAGMA user_version = 3;
"""

BV = "Bias-Variance & Overfitting"
SESSIONS = [  # id, bank, started
    (1, "ml-theory", "2025-03-03T09:00:00.000+00:00"),
    (2, "ml-theory", "2025-03-05T09:00:00.000+00:00"),
]
ANSWERS = [  # id, session, question, topic, status, coverage, assisted, created_at
    (1, 1, 1, BV, "done", 0.45, 0, "2025-03-03T09:01:00.000+00:00"),
    (2, 1, 2, BV, "done", 0.80, 0, "2025-03-03T09:05:00.000+00:00"),
    (3, 1, 3, BV, "unscored", None, 0, "2025-03-03T09:09:00.000+00:00"),
    (4, 2, 1, BV, "done", 0.75, 1, "2025-03-05T09:01:00.000+00:00"),
]


def _cards() -> list[tuple]:
    """The cards version 3 kept: a replay of the scored answers (FSRS, default parameters)."""
    sys.path.insert(0, str(HERE.parents[2]))
    from simulator.recall import Review, replay

    bank = {session: name for session, name, _ in SESSIONS}
    scored = [row for row in ANSWERS if row[5] is not None]
    reviews = [
        Review((bank[s], q, t), c, datetime.fromisoformat(at), bool(h))
        for _, s, q, t, _, c, h, at in scored
    ]
    last = {}
    for answer_id, s, q, t, *_ in scored:
        last[(bank[s], q, t)] = answer_id
    rows = []
    for key, m in replay(reviews).items():
        rows.append(
            (*key, m.state, m.step, m.stability, m.difficulty,
             m.last_review.isoformat(timespec="milliseconds"),
             m.due.isoformat(timespec="milliseconds"), m.reviews, m.lapses, m.retention,
             last[key])
        )  # fmt: skip
    return rows


def main() -> None:
    TARGET.unlink(missing_ok=True)
    db = sqlite3.connect(TARGET)
    db.executescript(SCHEMA_V3)
    db.executemany(
        """INSERT INTO sessions (id, bank_name, mode, started_at, ended_at)
           VALUES (?, ?, 'typed', ?, ?)""",
        [(i, bank, started, started) for i, bank, started in SESSIONS],
    )
    db.executemany(
        """INSERT INTO answers (id, session_id, question, topic, mode, status, transcript,
               coverage, coverage_detail, assisted, created_at, updated_at)
           VALUES (?, ?, ?, ?, 'typed', ?, 'x', ?, ?, ?, ?, ?)""",
        [
            (i, s, q, t, status, c, None if c is None else json.dumps({"coverage": c}), h, at, at)
            for i, s, q, t, status, c, h, at in ANSWERS
        ],
    )
    db.executemany("INSERT INTO cards VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)", _cards())
    db.commit()
    db.execute("VACUUM")
    db.close()
    print(f"wrote {TARGET}")


if __name__ == "__main__":
    main()
