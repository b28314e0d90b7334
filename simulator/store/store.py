"""The store: every read and write of the SQLite history.

One file (``locations.database_path()``) in WAL mode with foreign keys on; the schema and its
migrations live in :mod:`simulator.store.schema`, the returned rows in
:mod:`simulator.store.records`, process liveness in :mod:`simulator.store.process` and the
wording of failures in :mod:`simulator.store.errors`. Every attempt at a question is a row of
``answers``: it is inserted as ``in_progress`` when recording (or typing) starts, its draft is
autosaved, and :meth:`Store.finish_answer` fills in the transcript, the timed words, the
coverage and the delivery; the question's FSRS card (:mod:`simulator.store.cards`) follows in
the same transaction. A session remembers the process that wrote it (pid and that
process's start time) so :mod:`simulator.recovery` can tell an interview still running from one
whose process was killed.

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
from datetime import UTC, datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any

from simulator import locations
from simulator.recall import DEFAULT_RETENTION, Memory
from simulator.store import cards
from simulator.store.damage import MovedAside, StoreDamaged, inspect, move_aside
from simulator.store.errors import StoreError, explain
from simulator.store.process import owner_alive, process_start_marker
from simulator.store.records import (
    STATUSES,
    AnswerRecord,
    ProgressPoint,
    QuestionStats,
    ScoredAttempt,
    SessionRecord,
    SessionSummary,
)
from simulator.store.schema import prepare

if TYPE_CHECKING:
    from simulator.scoring import Coverage


def utc_now() -> datetime:
    return datetime.now(UTC)


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
        self.retention = DEFAULT_RETENTION
        """The desired retention the FSRS cards are scheduled for (see :meth:`set_retention`)."""
        self._lock = threading.RLock()

    # -- opening ------------------------------------------------------------------------
    @classmethod
    def open(cls, path: Path | None = None, clock: Callable[[], datetime] = utc_now) -> Store:
        """Open (creating or migrating) the database at ``path`` (default: the data folder)."""
        path = Path(path) if path is not None else locations.database_path()
        try:
            path.parent.mkdir(parents=True, exist_ok=True)
        except OSError as error:
            raise StoreError(explain(error, path)) from None
        problem = inspect(path)  # before anything writes to it (WAL mode writes the header)
        if problem is not None:
            raise StoreDamaged(path, problem)
        try:
            db = sqlite3.connect(path, check_same_thread=False, timeout=5.0, isolation_level=None)
        except sqlite3.Error as error:
            raise StoreError(explain(error, path)) from None
        store = cls(db, path, path.parent, clock)
        try:
            store._prepare()
        except (sqlite3.Error, OSError) as error:
            db.close()
            raise StoreError(explain(error, path)) from None
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
        moved: MovedAside | None = None
        try:
            try:
                return cls.open(path), None
            except StoreDamaged as damaged:
                moved = move_aside(damaged.path, damaged.problem)
                return cls.open(path), moved.message
        except StoreError as error:
            if moved is not None:
                error = StoreError(f"{moved.message}, but it could not be opened: {error}")
            store = cls.memory()
            return store, (
                f"{error} History is kept in memory for now and lost on quit; "
                f"recordings go to {store.data_dir}."
            )

    def _prepare(self) -> None:
        prepare(self._db, self.path)

    def close(self) -> None:
        with self._lock:
            self._db.close()
        if self.path is None:
            _remove_empty_folders(self.data_dir)

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
                raise StoreError(explain(error, self.path)) from None

    def _read(self, sql: str, params: tuple[Any, ...] | dict[str, Any] = ()) -> list[sqlite3.Row]:
        with self._lock:
            try:
                return self._db.execute(sql, params).fetchall()
            except sqlite3.Error as error:
                raise StoreError(explain(error, self.path)) from None

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
            raise StoreError(explain(error, folder)) from None
        return folder

    def start_answer(
        self,
        session_id: int,
        question_number: int,
        topic: str,
        mode: str,
        audio_path: Path | None = None,
        *,
        parent_id: int | None = None,
        prompt: str = "",
        probed: str = "",
    ) -> int:
        """An attempt that has begun (status ``in_progress``); returns its id.

        With ``parent_id`` it answers the follow-up ``prompt`` (probing the key point
        ``probed``) asked after that answer.
        """
        now = self._now()
        kind = "answer" if parent_id is None else "follow_up"
        with self._write() as db:
            cursor = db.execute(
                """INSERT INTO answers (session_id, question, topic, mode, audio_path,
                       created_at, updated_at, kind, parent_id, prompt, probed)
                   VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)""",
                (
                    session_id,
                    question_number,
                    topic,
                    mode,
                    self._relative(audio_path),
                    now,
                    now,
                    kind,
                    parent_id,
                    prompt,
                    probed,
                ),
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
        coverage: Coverage | None,
        delivery: dict[str, Any] | None,
        duration_s: float,
        status: str = "done",
        assisted: bool = False,
    ) -> None:
        """The answer as heard and scored; ``coverage`` None stores it unscored.

        ``assisted``: the answer needed a hint or follow-up questions (its FSRS rating is lower).
        """
        if status not in STATUSES:
            raise ValueError(f"unknown status {status!r}; one of {', '.join(STATUSES)}")
        with self._write() as db:
            db.execute(
                """UPDATE answers SET transcript = ?, words = ?, coverage = ?,
                       coverage_detail = ?, delivery = ?, duration_s = ?, status = ?,
                       assisted = ?, updated_at = ? WHERE id = ?""",
                (
                    transcript,
                    json.dumps(words, default=_jsonable),
                    None if coverage is None else float(coverage.coverage),
                    None if coverage is None else json.dumps(coverage.to_dict()),
                    None if delivery is None else json.dumps(delivery, default=_jsonable),
                    float(duration_s),
                    status,
                    int(assisted),
                    self._now(),
                    answer_id,
                ),
            )
            cards.after_answer(db, answer_id, self.retention)

    def rescore_answer(
        self, answer_id: int, coverage: Coverage, *, assisted: bool | None = None
    ) -> None:
        """Replace an answer's coverage (scored again against the current bank, or completed
        by its follow-up); ``assisted`` None keeps the flag as it is."""
        with self._write() as db:
            db.execute(
                """UPDATE answers SET coverage = ?, coverage_detail = ?, updated_at = ?,
                       status = CASE WHEN status = 'unscored' THEN 'done' ELSE status END,
                       assisted = coalesce(?, assisted)
                   WHERE id = ?""",
                (
                    float(coverage.coverage),
                    json.dumps(coverage.to_dict()),
                    self._now(),
                    None if assisted is None else int(assisted),
                    answer_id,
                ),
            )
            cards.rebuild(db, cards.keys_of(db, "a.id = ?", (answer_id,)), self.retention)

    def set_status(self, answer_id: int, status: str) -> None:
        if status not in STATUSES:
            raise ValueError(f"unknown status {status!r}; one of {', '.join(STATUSES)}")
        with self._write() as db:
            db.execute(
                "UPDATE answers SET status = ?, updated_at = ? WHERE id = ?",
                (status, self._now(), answer_id),
            )
            cards.rebuild(db, cards.keys_of(db, "a.id = ?", (answer_id,)), self.retention)

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
            touched = cards.keys_of(db, "a.session_id = ?", (session_id,))
            deleted = db.execute("DELETE FROM sessions WHERE id = ?", (session_id,)).rowcount
            cards.rebuild(db, touched, self.retention)
        if not deleted:
            return False
        for path in audio:
            if path is not None:
                path.unlink(missing_ok=True)
        shutil.rmtree(self.data_dir / "audio" / str(session_id), ignore_errors=True)
        return True

    def set_retention(self, retention: float) -> int:
        """Schedule the FSRS cards for this desired retention from now on.

        Cards scheduled for another one are rebuilt by replaying their answers (once, after
        the setting changed); returns how many were rebuilt. ValueError outside 0.5-0.99.
        """
        from simulator.recall import scheduler

        scheduler(retention)  # validates
        self.retention = retention
        with self._write() as db:
            if cards.stale(db, retention):
                return cards.rebuild(db, None, retention)
        return 0

    # -- reading ------------------------------------------------------------------------
    def memories(self, bank_name: str | None = None) -> list[Memory]:
        """The FSRS card of every answered question (of one bank, or all), soonest due first."""
        with self._lock:
            try:
                return cards.memories(self._db, bank_name)
            except sqlite3.Error as error:
                raise StoreError(explain(error, self.path)) from None

    def list_sessions(self, limit: int | None = None) -> list[SessionSummary]:
        """Sessions, newest first, with their answer counts and mean coverage."""
        rows = self._read(
            """SELECT s.id, s.started_at, s.ended_at, s.bank_name, s.mode, s.pid,
                      s.process_started, s.host,
                      count(CASE WHEN a.kind = 'answer' THEN a.id END) AS answers,
                      count(DISTINCT a.question) AS questions,
                      avg(CASE WHEN a.status IN ('done', 'recovered') AND a.kind = 'answer'
                          THEN a.coverage END) AS mean_coverage,
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
        where = "question = ? AND status != 'discarded' AND kind = 'answer'"
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
                scored=_coverage(row["coverage_detail"]),
                delivery=_loads(row["delivery"]),
                audio_path=row["audio_path"],
                audio=self.resolve_audio(row["audio_path"]),
                duration_s=row["duration_s"],
                draft=row["draft"],
                created_at=row["created_at"],
                updated_at=row["updated_at"],
                kind=row["kind"],
                parent_id=row["parent_id"],
                prompt=row["prompt"],
                probed=row["probed"],
                assisted=bool(row["assisted"]),
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
                               AND a.coverage IS NOT NULL AND a.kind = 'answer'
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
                WHERE a.status IN ('done', 'recovered') AND a.coverage IS NOT NULL
                      AND a.kind = 'answer' {where}
                GROUP BY day, a.topic ORDER BY day, a.topic""",
            (bank_name,) if bank_name is not None else (),
        )
        return [ProgressPoint(r["day"], r["topic"], r["mean"], r["attempts"]) for r in rows]

    def attempts(self, bank_name: str | None = None) -> list[ScoredAttempt]:
        """Every scored attempt, oldest first (what schedules are computed from)."""
        where = "AND s.bank_name = ?" if bank_name is not None else ""
        rows = self._read(
            f"""SELECT a.question, a.topic, a.coverage, a.created_at
                FROM answers a JOIN sessions s ON s.id = a.session_id
                WHERE a.status IN ('done', 'recovered') AND a.coverage IS NOT NULL
                      AND a.kind = 'answer' {where}
                ORDER BY a.created_at, a.id""",
            (bank_name,) if bank_name is not None else (),
        )
        return [ScoredAttempt(r[0], r[1], r[2], r[3]) for r in rows]


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


def _coverage(text: str | None) -> Coverage | None:
    data = _loads(text)
    if not isinstance(data, dict):
        return None
    from simulator.scoring import Coverage  # numpy and rapidfuzz: only once an answer is read

    return Coverage.from_dict(data)


def _remove_empty_folders(root: Path) -> None:
    """An in-memory store's temporary folder goes on close unless it holds a recording."""
    for folder, _, _ in sorted(os.walk(root), key=lambda entry: -len(entry[0])):
        with suppress(OSError):
            os.rmdir(folder)
