"""Build ``history-v1.sqlite3``: a database as the first schema (version 1) wrote it.

Run from the repository root: ``.venv/bin/python tests/unit/data/make_history_v1.py``.
The schema is copied here, frozen, so later changes to ``simulator/store.py`` cannot change
what a version-1 file looks like. ``tests/unit/test_store.py`` migrates a copy to version 2.
"""

from __future__ import annotations

import sqlite3
from pathlib import Path

HERE = Path(__file__).parent
TARGET = HERE / "history-v1.sqlite3"

SCHEMA_V1 = """
CREATE TABLE sessions (
    id INTEGER PRIMARY KEY,
    bank TEXT NOT NULL,
    mode TEXT NOT NULL,
    started_at TEXT NOT NULL,
    ended_at TEXT
);
CREATE TABLE answers (
    id INTEGER PRIMARY KEY,
    session_id INTEGER NOT NULL REFERENCES sessions(id),
    question INTEGER NOT NULL,
    topic TEXT NOT NULL,
    transcript TEXT NOT NULL DEFAULT '',
    coverage REAL,
    audio TEXT,
    duration_s REAL NOT NULL DEFAULT 0,
    created_at TEXT NOT NULL
);
PRAGMA user_version = 1;
"""

SESSIONS = [
    (1, "ml-theory", "voice", "2024-03-01T09:00:00.000+00:00", "2024-03-01T09:20:00.000+00:00"),
    (2, "ml-theory", "typed", "2024-03-05T18:30:00.000+00:00", None),
]
ANSWERS = [
    (
        1,
        1,
        1,
        "Bias-Variance & Overfitting",
        "bias is error from wrong assumptions <b>",
        0.5,
        "audio/1/q01-1.wav",
        41.5,
        "2024-03-01T09:02:00.000+00:00",
    ),
    (
        2,
        1,
        1,
        "Bias-Variance & Overfitting",
        "bias underfits, variance overfits",
        0.75,
        "audio/1/q01-2.wav",
        38.0,
        "2024-03-01T09:05:00.000+00:00",
    ),
    (
        3,
        1,
        2,
        "Bias-Variance & Overfitting",
        "",
        None,
        "audio/1/q02-1.wav",
        0.0,
        "2024-03-01T09:10:00.000+00:00",
    ),
    (
        4,
        2,
        5,
        "Regularization",
        "L1 gives sparse weights",
        0.25,
        None,
        12.0,
        "2024-03-05T18:31:00.000+00:00",
    ),
]


def main() -> None:
    TARGET.unlink(missing_ok=True)
    db = sqlite3.connect(TARGET)
    db.executescript(SCHEMA_V1)
    db.executemany("INSERT INTO sessions VALUES (?, ?, ?, ?, ?)", SESSIONS)
    db.executemany("INSERT INTO answers VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)", ANSWERS)
    db.commit()
    db.execute("VACUUM")
    db.close()
    print(f"wrote {TARGET}")


if __name__ == "__main__":
    main()
