"""Telling a damaged or foreign history apart from a good one, and moving it aside untouched.

:func:`inspect` opens the file read-only (so nothing is written to it, not even the WAL
checkpoint a normal close would do) and runs ``PRAGMA quick_check``, which reads every page
once (milliseconds for a history of hundreds of sessions, see BENCHMARKS.md) and finds broken
pages and a broken header; a database whose tables are not a mock-interview history is
"foreign". :func:`move_aside` renames the file and its ``-wal``/``-shm`` to a dated name in the
same folder, never deleting or writing them, so a repair tool still has every byte.
"""

from __future__ import annotations

import sqlite3
import time
from dataclasses import dataclass
from pathlib import Path

from simulator.store.errors import StoreError

_OURS = {"sessions", "answers"}
_SIDE_FILES = ("-wal", "-shm", "-journal")


class StoreDamaged(StoreError):
    """The history file is damaged or not ours; ``path`` is the file, ``problem`` says how."""

    def __init__(self, path: Path, problem: str) -> None:
        self.path = path
        self.problem = problem
        super().__init__(
            f"{path} is damaged or not a mock-interview history ({problem}); "
            f"start mock-interview to move it aside, or repair it with: "
            f"sqlite3 {path} .recover | sqlite3 {path.with_name('repaired.sqlite3')}"
        )


@dataclass(frozen=True)
class MovedAside:
    """Where a damaged history went, and the one-line message that tells the user."""

    original: Path
    moved_to: Path
    problem: str

    @property
    def message(self) -> str:
        repaired = self.moved_to.with_name("repaired.sqlite3")
        return (
            f"the history {self.original} was damaged ({self.problem}); it is kept as "
            f"{self.moved_to} and a fresh history was started; to try a repair: "
            f"sqlite3 {self.moved_to} .recover | sqlite3 {repaired}"
        )


def inspect(path: Path) -> str | None:
    """None if ``path`` is missing, empty or a sound history; else what is wrong with it."""
    try:
        if not path.is_file() or path.stat().st_size == 0:
            return None
    except OSError:
        return None  # the open that follows reports what is wrong with the folder
    try:
        db = sqlite3.connect(f"{path.absolute().as_uri()}?mode=ro", uri=True, timeout=5.0)
    except sqlite3.Error:
        return None  # cannot even read it: let the normal open say why
    try:
        db.execute("PRAGMA busy_timeout = 5000")
        rows = db.execute("PRAGMA quick_check").fetchall()
        verdict = "; ".join(str(row[0]) for row in rows[:3])
        if verdict != "ok":
            return verdict
        tables = {
            row[0] for row in db.execute("SELECT name FROM sqlite_master WHERE type = 'table'")
        }
        if tables and not tables >= _OURS:
            return f"its tables are {', '.join(sorted(tables)[:5])}, not sessions and answers"
        return None
    except sqlite3.DatabaseError as error:
        lowered = str(error).lower()
        if "locked" in lowered or "busy" in lowered:
            return None  # another instance is writing it: it is in use, not damaged
        if "unable to open" in lowered or "readonly" in lowered:
            return None
        return str(error)
    finally:
        db.close()


def move_aside(path: Path, problem: str, now: float | None = None) -> MovedAside:
    """Rename ``path`` (and its -wal/-shm) to ``<stem>.damaged-<date>-<time><suffix>``."""
    stamp = time.strftime("%Y%m%d-%H%M%S", time.localtime(now))
    target = path.with_name(f"{path.stem}.damaged-{stamp}{path.suffix}")
    extra = 1
    while target.exists():
        extra += 1
        target = path.with_name(f"{path.stem}.damaged-{stamp}-{extra}{path.suffix}")
    try:
        # the side files first: a main file without its WAL would look older, not damaged
        for side in _SIDE_FILES:
            source = path.with_name(path.name + side)
            if source.exists():
                source.rename(target.with_name(target.name + side))
        path.rename(target)
    except OSError as error:
        raise StoreError(
            f"{path} is damaged ({problem}) and cannot be moved aside ({error.strerror}); "
            f"move it away by hand"
        ) from None
    return MovedAside(path, target, problem)
