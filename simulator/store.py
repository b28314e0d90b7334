"""The history on disk: SQLite sessions and answers, written the moment they exist.

One file (``locations.database_path()``) in WAL mode with foreign keys on; the schema version
is ``PRAGMA user_version`` and :data:`MIGRATIONS` brings any older file up to date in one
transaction. Every attempt at a question is a row of ``answers``: it is inserted as
``in_progress`` when recording (or typing) starts, its draft is autosaved, and
:meth:`Store.finish_answer` fills in the transcript, the timed words, the coverage and the
delivery. A session remembers the process that wrote it (pid and that process's start time) so
:mod:`simulator.recovery` can tell an interview still running from one whose process was killed.

Thread safety: one connection shared by every thread (``check_same_thread=False``) behind a
re-entrant lock, so the TUI may call any method from any worker; other processes (the CLI
while the app runs) read concurrently thanks to WAL.

Audio paths are stored relative to the data folder, so the folder can move as a whole.
Disk full, a read-only folder or a damaged file raise :class:`StoreError` with a message that
says what to do; :meth:`Store.open_or_memory` falls back to an in-memory database instead.
"""

from __future__ import annotations

import json
import os
import shutil
import socket
import sqlite3
import tempfile
import threading
from collections.abc import Callable, Iterator
from contextlib import contextmanager, suppress
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any, Protocol

from simulator import locations

SCHEMA_VERSION = 2
STATUSES = ("in_progress", "done", "unscored", "recovered", "discarded")
"""``unscored``: finished but not scored (no coverage); the others as their names say."""
SCORED = ("done", "recovered")
"""Statuses whose coverage counts in statistics and schedules."""


class StoreError(Exception):
    """The history cannot be read or written; the message says why and what to do."""


class HasCoverage(Protocol):
    coverage: float

    def to_dict(self) -> dict[str, Any]: ...


# -- schema -------------------------------------------------------------------------------

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


MIGRATIONS: dict[int, Callable[[sqlite3.Connection], None]] = {1: _migrate_1_to_2}
"""``MIGRATIONS[n]`` turns a version-n database into version n+1."""


# -- results ------------------------------------------------------------------------------


@dataclass(frozen=True)
class SessionSummary:
    """One row of the review list."""

    id: int
    started_at: str
    ended_at: str | None
    bank_name: str
    mode: str
    answers: int
    questions: int
    mean_coverage: float | None
    duration_s: float
    interrupted: bool

    def to_dict(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "started_at": self.started_at,
            "ended_at": self.ended_at,
            "bank": self.bank_name,
            "mode": self.mode,
            "answers": self.answers,
            "questions": self.questions,
            "mean_coverage": _round(self.mean_coverage),
            "duration_s": round(self.duration_s, 2),
            "interrupted": self.interrupted,
        }


@dataclass(frozen=True)
class AnswerRecord:
    """One attempt at one question, as stored."""

    id: int
    session_id: int
    question: int
    topic: str
    mode: str
    status: str
    transcript: str
    words: list[dict[str, Any]]
    coverage: float | None
    coverage_detail: dict[str, Any] | None
    delivery: dict[str, Any] | None
    audio_path: str | None
    """Relative to the data folder (or absolute when the file lives elsewhere)."""
    audio: Path | None
    """The absolute path of the recording, if there is one."""
    duration_s: float
    draft: str
    created_at: str
    updated_at: str

    def to_dict(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "question": self.question,
            "topic": self.topic,
            "mode": self.mode,
            "status": self.status,
            "transcript": self.transcript,
            "coverage": _round(self.coverage),
            "key_points": (self.coverage_detail or {}).get("key_points", []),
            "delivery": self.delivery,
            "audio": str(self.audio) if self.audio else None,
            "duration_s": round(self.duration_s, 2),
            "draft": self.draft,
            "created_at": self.created_at,
        }


@dataclass(frozen=True)
class SessionRecord:
    """A session with all its answers, oldest first."""

    id: int
    bank_name: str
    bank_path: str
    mode: str
    settings: dict[str, Any]
    started_at: str
    ended_at: str | None
    pid: int | None
    process_started: str | None
    host: str | None
    answers: list[AnswerRecord] = field(default_factory=list)

    @property
    def mean_coverage(self) -> float | None:
        scored = [a.coverage for a in self.answers if a.status in SCORED and a.coverage is not None]
        return sum(scored) / len(scored) if scored else None

    def to_dict(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "started_at": self.started_at,
            "ended_at": self.ended_at,
            "bank": self.bank_name,
            "bank_path": self.bank_path,
            "mode": self.mode,
            "settings": self.settings,
            "mean_coverage": _round(self.mean_coverage),
            "answers": [a.to_dict() for a in self.answers],
        }


@dataclass(frozen=True)
class QuestionStats:
    bank_name: str
    question: int
    topic: str
    attempts: int
    best: float
    last: float
    mean: float
    last_at: str


@dataclass(frozen=True)
class ProgressPoint:
    """Mean coverage of one topic on one day."""

    day: str
    topic: str
    mean: float
    attempts: int


@dataclass(frozen=True)
class Attempt:
    """A scored attempt, as schedules and comparisons need it."""

    question: int
    topic: str
    coverage: float
    created_at: str


def _round(value: float | None) -> float | None:
    return None if value is None else round(value, 4)


def utc_now() -> datetime:
    return datetime.now(UTC)


def process_start_marker(pid: int | None = None) -> str | None:
    """Something that differs between two processes that had the same pid (Linux: /proc)."""
    pid = os.getpid() if pid is None else pid
    try:
        stat = Path(f"/proc/{pid}/stat").read_text()
    except OSError:
        return None
    # Field 22 (starttime) comes after the parenthesised command name, which may hold spaces.
    fields = stat[stat.rfind(")") + 2 :].split()
    return fields[19] if len(fields) > 19 else None


def _is_zombie(pid: int) -> bool:
    """A killed process its parent has not reaped yet: dead, though kill(pid, 0) succeeds."""
    try:
        stat = Path(f"/proc/{pid}/stat").read_text()
    except OSError:
        return False
    state = stat[stat.rfind(")") + 2 :].split()[:1]
    return state == ["Z"]


# -- the store ----------------------------------------------------------------------------


class Store:
    """The SQLite history. Open it with :meth:`open` or :meth:`open_or_memory`."""

    def __init__(
        self,
        connection: sqlite3.Connection,
        path: Path | None,
        data_dir: Path,
        clock: Callable[[], datetime] = utc_now,
    ) -> None:
        self._db = connection
        self.path = path
        """The database file, or None for an in-memory store."""
        self.data_dir = data_dir
        self.clock = clock
        self._lock = threading.RLock()

    # -- opening ------------------------------------------------------------------------
    @classmethod
    def open(cls, path: Path | None = None, clock: Callable[[], datetime] = utc_now) -> Store:
        """Open (creating or migrating) the database at ``path`` (default: the data folder)."""
        path = Path(path) if path is not None else locations.database_path()
        try:
            path.parent.mkdir(parents=True, exist_ok=True)
        except OSError as error:
            raise StoreError(_explain(error, path)) from None
        try:
            db = sqlite3.connect(path, check_same_thread=False, timeout=5.0, isolation_level=None)
        except sqlite3.Error as error:
            raise StoreError(_explain(error, path)) from None
        store = cls(db, path, path.parent, clock)
        try:
            store._prepare()
        except (sqlite3.Error, OSError) as error:
            db.close()
            raise StoreError(_explain(error, path)) from None
        return store

    @classmethod
    def memory(cls, clock: Callable[[], datetime] = utc_now) -> Store:
        """An in-memory store; its audio goes to a fresh temporary folder."""
        db = sqlite3.connect(":memory:", check_same_thread=False, isolation_level=None)
        store = cls(db, None, Path(tempfile.mkdtemp(prefix="mock-interview-")), clock)
        store._prepare()
        return store

    @classmethod
    def open_or_memory(cls, path: Path | None = None) -> tuple[Store, str | None]:
        """The store at ``path``, or an in-memory one and a warning saying why."""
        try:
            return cls.open(path), None
        except StoreError as error:
            store = cls.memory()
            return store, (
                f"{error} History is kept in memory for now and lost on quit; "
                f"recordings go to {store.data_dir}."
            )

    def _prepare(self) -> None:
        db = self._db
        db.row_factory = sqlite3.Row
        db.execute("PRAGMA foreign_keys = ON")
        db.execute("PRAGMA busy_timeout = 5000")
        if self.path is not None:
            db.execute("PRAGMA journal_mode = WAL")
            db.execute("PRAGMA synchronous = NORMAL")
        version = db.execute("PRAGMA user_version").fetchone()[0]
        if version > SCHEMA_VERSION:
            raise StoreError(
                f"{self.path} was written by a newer mock-interview (schema {version}, this "
                f"version knows {SCHEMA_VERSION}); upgrade mock-interview or use --data-dir"
            )
        if version == SCHEMA_VERSION:
            return
        db.execute("PRAGMA foreign_keys = OFF")  # table swaps inside a migration
        try:
            db.execute("BEGIN IMMEDIATE")
            if version == 0 and not _has_tables(db):
                _create_latest(db)
            else:
                for step in range(max(version, 1), SCHEMA_VERSION):
                    MIGRATIONS[step](db)
            problems = db.execute("PRAGMA foreign_key_check").fetchall()
            if problems:
                raise StoreError(f"{self.path}: migration left {len(problems)} broken references")
            db.execute(f"PRAGMA user_version = {SCHEMA_VERSION}")
            db.execute("COMMIT")
        except BaseException:
            if db.in_transaction:
                db.execute("ROLLBACK")
            raise
        finally:
            db.execute("PRAGMA foreign_keys = ON")

    def close(self) -> None:
        with self._lock:
            self._db.close()

    @property
    def schema_version(self) -> int:
        with self._lock:
            return int(self._db.execute("PRAGMA user_version").fetchone()[0])

    # -- plumbing -----------------------------------------------------------------------
    @contextmanager
    def _write(self) -> Iterator[sqlite3.Connection]:
        """A committed transaction; any failure becomes a StoreError and is rolled back."""
        with self._lock:
            db = self._db
            try:
                db.execute("BEGIN IMMEDIATE")
                try:
                    yield db
                except BaseException:
                    if db.in_transaction:
                        db.execute("ROLLBACK")
                    raise
                db.execute("COMMIT")
            except sqlite3.Error as error:
                if db.in_transaction:
                    with suppress(sqlite3.Error):
                        db.execute("ROLLBACK")
                raise StoreError(_explain(error, self.path)) from None

    def _read(self, sql: str, params: tuple[Any, ...] | dict[str, Any] = ()) -> list[sqlite3.Row]:
        with self._lock:
            try:
                return self._db.execute(sql, params).fetchall()
            except sqlite3.Error as error:
                raise StoreError(_explain(error, self.path)) from None

    def _now(self) -> str:
        return self.clock().astimezone(UTC).isoformat(timespec="milliseconds")

    def _relative(self, path: Path | str | None) -> str | None:
        if path is None:
            return None
        path = Path(path).absolute()
        try:
            return path.relative_to(self.data_dir.absolute()).as_posix()
        except ValueError:
            return str(path)

    def resolve_audio(self, stored: str | None) -> Path | None:
        """The absolute path of a stored audio path."""
        if not stored:
            return None
        path = Path(stored)
        return path if path.is_absolute() else self.data_dir / path

    # -- writing ------------------------------------------------------------------------
    def start_session(
        self, bank_name: str, bank_path: str, mode: str, settings: dict[str, Any]
    ) -> int:
        """A new session owned by this process; returns its id."""
        with self._write() as db:
            cursor = db.execute(
                """INSERT INTO sessions (bank_name, bank_path, mode, settings, started_at, pid,
                       process_started, host) VALUES (?, ?, ?, ?, ?, ?, ?, ?)""",
                (
                    bank_name,
                    str(bank_path),
                    mode,
                    json.dumps(settings, default=str),
                    self._now(),
                    os.getpid(),
                    process_start_marker(),
                    socket.gethostname(),
                ),
            )
            return int(cursor.lastrowid or 0)

    def session_audio_dir(self, session_id: int) -> Path:
        """``<data>/audio/<session_id>/``, created."""
        folder = self.data_dir / "audio" / str(session_id)
        try:
            folder.mkdir(parents=True, exist_ok=True)
        except OSError as error:
            raise StoreError(_explain(error, folder)) from None
        return folder

    def start_answer(
        self,
        session_id: int,
        question_number: int,
        topic: str,
        mode: str,
        audio_path: Path | None = None,
    ) -> int:
        """An attempt that has begun (status ``in_progress``); returns its id."""
        now = self._now()
        with self._write() as db:
            cursor = db.execute(
                """INSERT INTO answers (session_id, question, topic, mode, audio_path,
                       created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?)""",
                (session_id, question_number, topic, mode, self._relative(audio_path), now, now),
            )
            return int(cursor.lastrowid or 0)

    def save_draft(self, answer_id: int, text: str) -> None:
        """Autosave what has been typed (or heard) so far."""
        with self._write() as db:
            db.execute(
                "UPDATE answers SET draft = ?, updated_at = ? WHERE id = ?",
                (text, self._now(), answer_id),
            )

    def finish_answer(
        self,
        answer_id: int,
        *,
        transcript: str,
        words: list[dict[str, Any]],
        coverage: HasCoverage | None,
        delivery: dict[str, Any] | None,
        duration_s: float,
        status: str = "done",
    ) -> None:
        """The answer as heard and scored; ``coverage`` None stores it unscored."""
        if status not in STATUSES:
            raise ValueError(f"unknown status {status!r}; one of {', '.join(STATUSES)}")
        with self._write() as db:
            db.execute(
                """UPDATE answers SET transcript = ?, words = ?, coverage = ?,
                       coverage_detail = ?, delivery = ?, duration_s = ?, status = ?,
                       updated_at = ? WHERE id = ?""",
                (
                    transcript,
                    json.dumps(words, default=_jsonable),
                    None if coverage is None else float(coverage.coverage),
                    None if coverage is None else json.dumps(coverage.to_dict()),
                    None if delivery is None else json.dumps(delivery, default=_jsonable),
                    float(duration_s),
                    status,
                    self._now(),
                    answer_id,
                ),
            )

    def rescore_answer(self, answer_id: int, coverage: HasCoverage) -> None:
        """Replace an answer's coverage (scored again against the current bank)."""
        with self._write() as db:
            db.execute(
                """UPDATE answers SET coverage = ?, coverage_detail = ?, updated_at = ?,
                       status = CASE WHEN status = 'unscored' THEN 'done' ELSE status END
                   WHERE id = ?""",
                (float(coverage.coverage), json.dumps(coverage.to_dict()), self._now(), answer_id),
            )

    def set_status(self, answer_id: int, status: str) -> None:
        if status not in STATUSES:
            raise ValueError(f"unknown status {status!r}; one of {', '.join(STATUSES)}")
        with self._write() as db:
            db.execute(
                "UPDATE answers SET status = ?, updated_at = ? WHERE id = ?",
                (status, self._now(), answer_id),
            )

    def end_session(self, session_id: int) -> None:
        with self._write() as db:
            db.execute(
                "UPDATE sessions SET ended_at = ? WHERE id = ? AND ended_at IS NULL",
                (self._now(), session_id),
            )

    def delete_session(self, session_id: int) -> bool:
        """Delete a session, its answers and its audio folder; False if there was none."""
        with self._write() as db:
            audio = [
                self.resolve_audio(row[0])
                for row in db.execute(
                    "SELECT audio_path FROM answers WHERE session_id = ?", (session_id,)
                )
            ]
            deleted = db.execute("DELETE FROM sessions WHERE id = ?", (session_id,)).rowcount
        if not deleted:
            return False
        for path in audio:
            if path is not None:
                path.unlink(missing_ok=True)
        shutil.rmtree(self.data_dir / "audio" / str(session_id), ignore_errors=True)
        return True

    # -- reading ------------------------------------------------------------------------
    def list_sessions(self, limit: int | None = None) -> list[SessionSummary]:
        """Sessions, newest first, with their answer counts and mean coverage."""
        rows = self._read(
            """SELECT s.id, s.started_at, s.ended_at, s.bank_name, s.mode, s.pid,
                      s.process_started, s.host,
                      count(a.id) AS answers, count(DISTINCT a.question) AS questions,
                      avg(CASE WHEN a.status IN ('done', 'recovered') THEN a.coverage END)
                          AS mean_coverage,
                      coalesce(sum(a.duration_s), 0) AS duration_s,
                      coalesce(sum(a.status = 'in_progress'), 0) AS open_answers
               FROM sessions s LEFT JOIN answers a ON a.session_id = s.id
               GROUP BY s.id ORDER BY s.started_at DESC, s.id DESC"""
            + (" LIMIT ?" if limit else ""),
            (limit,) if limit else (),
        )
        return [
            SessionSummary(
                id=row["id"],
                started_at=row["started_at"],
                ended_at=row["ended_at"],
                bank_name=row["bank_name"],
                mode=row["mode"],
                answers=row["answers"],
                questions=row["questions"],
                mean_coverage=row["mean_coverage"],
                duration_s=row["duration_s"],
                interrupted=(row["ended_at"] is None or row["open_answers"] > 0)
                and not owner_alive(row["pid"], row["process_started"], row["host"]),
            )
            for row in rows
        ]

    def get_session(self, session_id: int) -> SessionRecord | None:
        rows = self._read("SELECT * FROM sessions WHERE id = ?", (session_id,))
        if not rows:
            return None
        row = rows[0]
        return SessionRecord(
            id=row["id"],
            bank_name=row["bank_name"],
            bank_path=row["bank_path"],
            mode=row["mode"],
            settings=_loads(row["settings"]) or {},
            started_at=row["started_at"],
            ended_at=row["ended_at"],
            pid=row["pid"],
            process_started=row["process_started"],
            host=row["host"],
            answers=self._answers("session_id = ? ORDER BY id", (session_id,)),
        )

    def get_answer(self, answer_id: int) -> AnswerRecord | None:
        found = self._answers("id = ?", (answer_id,))
        return found[0] if found else None

    def answers_for_question(
        self, question: int, topic: str | None = None, bank_name: str | None = None
    ) -> list[AnswerRecord]:
        """Every attempt at a question (not discarded), oldest first."""
        where = "question = ? AND status != 'discarded'"
        params: list[Any] = [question]
        if topic is not None:
            where += " AND topic = ?"
            params.append(topic)
        if bank_name is not None:
            where += " AND session_id IN (SELECT id FROM sessions WHERE bank_name = ?)"
            params.append(bank_name)
        return self._answers(where + " ORDER BY created_at, id", tuple(params))

    def in_progress_answers(self, session_id: int) -> list[AnswerRecord]:
        return self._answers("session_id = ? AND status = 'in_progress' ORDER BY id", (session_id,))

    def open_sessions(self) -> list[SessionRecord]:
        """Sessions not ended, or holding an answer still in progress (any process)."""
        rows = self._read(
            """SELECT id FROM sessions WHERE ended_at IS NULL
               UNION SELECT session_id FROM answers WHERE status = 'in_progress'
               ORDER BY 1"""
        )
        sessions = [self.get_session(row[0]) for row in rows]
        return [s for s in sessions if s is not None]

    def _answers(self, where: str, params: tuple[Any, ...]) -> list[AnswerRecord]:
        rows = self._read(f"SELECT * FROM answers WHERE {where}", params)
        return [
            AnswerRecord(
                id=row["id"],
                session_id=row["session_id"],
                question=row["question"],
                topic=row["topic"],
                mode=row["mode"],
                status=row["status"],
                transcript=row["transcript"],
                words=_loads(row["words"]) or [],
                coverage=row["coverage"],
                coverage_detail=_loads(row["coverage_detail"]),
                delivery=_loads(row["delivery"]),
                audio_path=row["audio_path"],
                audio=self.resolve_audio(row["audio_path"]),
                duration_s=row["duration_s"],
                draft=row["draft"],
                created_at=row["created_at"],
                updated_at=row["updated_at"],
            )
            for row in rows
        ]

    def question_stats(self, bank_name: str | None = None) -> list[QuestionStats]:
        """Attempts, best, last and mean coverage per question, weakest mean first."""
        where = "WHERE q.bank_name = ?" if bank_name is not None else ""
        rows = self._read(
            f"""SELECT q.*, (SELECT a.coverage FROM answers a JOIN sessions s
                                ON s.id = a.session_id
                             WHERE a.question = q.question AND a.topic = q.topic
                               AND s.bank_name = q.bank_name
                               AND a.status IN ('done', 'recovered')
                               AND a.coverage IS NOT NULL
                             ORDER BY a.created_at DESC, a.id DESC LIMIT 1) AS last
                FROM question_stats q {where}
                ORDER BY q.mean, q.question""",
            (bank_name,) if bank_name is not None else (),
        )
        return [
            QuestionStats(
                bank_name=row["bank_name"],
                question=row["question"],
                topic=row["topic"],
                attempts=row["attempts"],
                best=row["best"],
                last=row["last"],
                mean=row["mean"],
                last_at=row["last_at"],
            )
            for row in rows
        ]

    def progress(self, bank_name: str | None = None) -> list[ProgressPoint]:
        """Mean coverage per topic per day (UTC), oldest first."""
        where = "AND s.bank_name = ?" if bank_name is not None else ""
        rows = self._read(
            f"""SELECT substr(a.created_at, 1, 10) AS day, a.topic AS topic,
                       avg(a.coverage) AS mean, count(*) AS attempts
                FROM answers a JOIN sessions s ON s.id = a.session_id
                WHERE a.status IN ('done', 'recovered') AND a.coverage IS NOT NULL {where}
                GROUP BY day, a.topic ORDER BY day, a.topic""",
            (bank_name,) if bank_name is not None else (),
        )
        return [ProgressPoint(r["day"], r["topic"], r["mean"], r["attempts"]) for r in rows]

    def attempts(self, bank_name: str | None = None) -> list[Attempt]:
        """Every scored attempt, oldest first (what schedules are computed from)."""
        where = "AND s.bank_name = ?" if bank_name is not None else ""
        rows = self._read(
            f"""SELECT a.question, a.topic, a.coverage, a.created_at
                FROM answers a JOIN sessions s ON s.id = a.session_id
                WHERE a.status IN ('done', 'recovered') AND a.coverage IS NOT NULL {where}
                ORDER BY a.created_at, a.id""",
            (bank_name,) if bank_name is not None else (),
        )
        return [Attempt(r[0], r[1], r[2], r[3]) for r in rows]


def owner_alive(pid: int | None, process_started: str | None, host: str | None) -> bool:
    """True when the process that wrote a session still runs (on this machine)."""
    if pid is None or pid <= 0:
        return False
    if host is not None and host != socket.gethostname():
        return True  # another machine's process: we cannot tell, so never touch it
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        pass
    except OSError:
        return False
    if _is_zombie(pid):
        return False
    if process_started is None:
        return True
    return process_start_marker(pid) == process_started


def _has_tables(db: sqlite3.Connection) -> bool:
    return db.execute("SELECT count(*) FROM sqlite_master WHERE type = 'table'").fetchone()[0] > 0


def _loads(text: str | None) -> Any:
    if not text:
        return None
    try:
        return json.loads(text)
    except ValueError:
        return None


def _jsonable(value: Any) -> Any:
    if hasattr(value, "to_dict"):
        return value.to_dict()
    if hasattr(value, "__dataclass_fields__"):
        from dataclasses import asdict

        return asdict(value)
    return str(value)


def _explain(error: BaseException, path: Path | None) -> str:
    """A one-line message that says what went wrong with the history and what to do."""
    text = str(error)
    where = str(path) if path is not None else "the in-memory history"
    folder = str(path.parent if path is not None and path.suffix else path)
    if isinstance(error, sqlite3.Error):
        lowered = text.lower()
        if "disk is full" in lowered or ("disk i/o" in lowered and _disk_full(path)):
            return f"the disk holding {where} is full; free some space and try again"
        if "readonly" in lowered or "read-only" in lowered or "unable to open" in lowered:
            return (
                f"cannot write the history at {where} (read-only or missing folder); "
                f"choose a writable folder with --data-dir or {locations.HOME_ENV}"
            )
        if "not a database" in lowered or "malformed" in lowered:
            return f"{where} is damaged or not a mock-interview history ({text}); move it away"
        if "locked" in lowered or "busy" in lowered:
            return f"{where} is busy in another program; close it and try again"
        return f"the history at {where} failed: {text}"
    if isinstance(error, OSError):
        reason = error.strerror or text
        if error.errno == 28:
            return f"the disk holding {folder} is full; free some space and try again"
        return (
            f"cannot use the folder {folder} ({reason}); "
            f"choose a writable folder with --data-dir or {locations.HOME_ENV}"
        )
    return f"the history at {where} failed: {text}"


def _disk_full(path: Path | None) -> bool:
    if path is None:
        return False
    try:
        return shutil.disk_usage(path.parent).free < 64 * 1024
    except OSError:
        return False
