"""Build ``history-v2.sqlite3``: a database as schema version 2 (before FSRS cards) wrote it.

Run from the repository root: ``.venv/bin/python tests/unit/data/make_history_v2.py``.
The schema is copied here, frozen, so later changes to ``simulator/store/schema.py`` cannot
change what a version-2 file looks like. ``tests/unit/test_recall.py`` migrates a copy to
version 3, which replays these answers into FSRS cards.

Two banks; Q1 of ml-theory answered on four days (one of them twice, one discarded), Q2 once
poorly, Q3 left unscored, and Q1 of another bank that must get a card of its own.
"""

from __future__ import annotations

import sqlite3
from pathlib import Path

HERE = Path(__file__).parent
TARGET = HERE / "history-v2.sqlite3"

SCHEMA_V2 = """
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
    updated_at TEXT NOT NULL
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
PRAGMA user_version = 2;
"""

BV = "Bias-Variance & Overfitting"
SESSIONS = [  # id, bank, started
    (1, "ml-theory", "2024-06-03T09:00:00.000+00:00"),
    (2, "ml-theory", "2024-06-04T09:00:00.000+00:00"),
    (3, "ml-theory", "2024-06-10T09:00:00.000+00:00"),
    (4, "my-deck", "2024-06-10T10:00:00.000+00:00"),
    (5, "ml-theory", "2024-06-12T09:00:00.000+00:00"),
]
ANSWERS = [  # id, session, question, topic, status, coverage, created_at
    (1, 1, 1, BV, "done", 0.35, "2024-06-03T09:01:00.000+00:00"),
    (2, 1, 1, BV, "done", 0.70, "2024-06-03T09:04:00.000+00:00"),
    (3, 1, 2, BV, "done", 0.20, "2024-06-03T09:08:00.000+00:00"),
    (4, 2, 1, BV, "recovered", 0.95, "2024-06-04T09:02:00.000+00:00"),
    (5, 2, 3, BV, "unscored", None, "2024-06-04T09:05:00.000+00:00"),
    (6, 3, 1, BV, "discarded", 0.10, "2024-06-10T09:02:00.000+00:00"),
    (7, 4, 1, "Stats", "done", 0.50, "2024-06-10T10:01:00.000+00:00"),
    (8, 5, 1, BV, "done", 0.80, "2024-06-12T09:02:00.000+00:00"),
]


def main() -> None:
    TARGET.unlink(missing_ok=True)
    db = sqlite3.connect(TARGET)
    db.executescript(SCHEMA_V2)
    db.executemany(
        """INSERT INTO sessions (id, bank_name, mode, started_at, ended_at)
           VALUES (?, ?, 'typed', ?, ?)""",
        [(i, bank, started, started) for i, bank, started in SESSIONS],
    )
    db.executemany(
        """INSERT INTO answers (id, session_id, question, topic, mode, status, transcript,
               coverage, created_at, updated_at) VALUES (?, ?, ?, ?, 'typed', ?, 'x', ?, ?, ?)""",
        [(*row[:6], row[6], row[6]) for row in ANSWERS],
    )
    db.commit()
    db.execute("VACUUM")
    db.close()
    print(f"wrote {TARGET}")


if __name__ == "__main__":
    main()
