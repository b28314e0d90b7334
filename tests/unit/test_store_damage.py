"""A damaged or foreign history is found at open, moved aside untouched and reported in one line.

Real files, real damage: bytes written over the header, 4 KB of random bytes over a middle
page, a SQLite file of some other program. The commands are run as the user runs them.
"""

from __future__ import annotations

import hashlib
import os
import random
import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest

from content.bank import load_bank
from simulator.scoring import coverage
from simulator.store import Store, StoreDamaged, StoreError

ROOT = Path(__file__).resolve().parents[2]
Q1 = load_bank().question(1)
PAGE = 4096


def history_with_answers(path: Path, answers: int = 40) -> None:
    """A real history holding one session with many answers (several pages), checkpointed."""
    store = Store.open(path)
    session = store.start_session("ml-theory", "", "typed", {})
    for n in range(answers):
        text = f"answer {n}: bias is error from wrong assumptions, variance from noise " * 4
        answer_id = store.start_answer(session, Q1.number, Q1.topic, "typed")
        store.finish_answer(
            answer_id,
            transcript=text,
            words=[],
            coverage=coverage(Q1, text),
            delivery=None,
            duration_s=1.0,
        )
    store.close()  # the last close checkpoints the WAL into the file
    assert path.stat().st_size > 6 * PAGE


def damage_header(path: Path) -> None:
    with path.open("r+b") as file:
        file.write(b"\x00garbage header" * 6)


def damage_middle_page(path: Path) -> None:
    with path.open("r+b") as file:
        file.seek(2 * PAGE)  # page 3
        file.write(random.Random(11).randbytes(PAGE))


def digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def cli(home: Path, *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "simulator", *args],
        cwd=ROOT,
        env={**os.environ, "MOCK_INTERVIEW_HOME": str(home)},
        capture_output=True,
        text=True,
        timeout=120,
    )


@pytest.mark.parametrize("damage", [damage_header, damage_middle_page], ids=["header", "page3"])
def test_damage_is_found_at_open_and_moved_aside_untouched(tmp_path: Path, damage) -> None:
    path = tmp_path / "history.sqlite3"
    history_with_answers(path)
    damage(path)
    (tmp_path / "history.sqlite3-wal").write_bytes(b"wal bytes a repair may need")
    before = digest(path)
    with pytest.raises(StoreDamaged):
        Store.open(path)
    assert digest(path) == before, "the check at open wrote to the damaged file"

    store, warning = Store.open_or_memory(path)
    try:
        assert store.path == path, "a fresh history on disk, not one in memory"
        assert store.list_sessions() == []
        store.start_session("ml-theory", "", "typed", {})
    finally:
        store.close()
    moved = sorted(tmp_path.glob("history.damaged-*.sqlite3"))
    assert len(moved) == 1
    assert digest(moved[0]) == before, "the damaged file was changed while moved"
    wal = moved[0].with_name(moved[0].name + "-wal")
    assert wal.read_bytes() == b"wal bytes a repair may need"
    assert warning is not None and "\n" not in warning
    assert str(moved[0]) in warning and ".recover" in warning
    assert Store.open(path).list_sessions()[0].id == 1


def test_a_foreign_database_is_not_taken_for_a_history(tmp_path: Path) -> None:
    path = tmp_path / "history.sqlite3"
    other = sqlite3.connect(path)
    other.execute("CREATE TABLE invoices (id INTEGER PRIMARY KEY, total REAL)")
    other.execute("INSERT INTO invoices (total) VALUES (12.5)")
    other.commit()
    other.close()
    with pytest.raises(StoreDamaged, match="invoices"):
        Store.open(path)
    store, warning = Store.open_or_memory(path)
    store.close()
    assert warning is not None and "damaged" in warning
    (moved,) = tmp_path.glob("history.damaged-*.sqlite3")
    assert sqlite3.connect(moved).execute("SELECT total FROM invoices").fetchone() == (12.5,)


def test_a_sound_history_passes_the_check(tmp_path: Path) -> None:
    path = tmp_path / "history.sqlite3"
    history_with_answers(path, answers=3)
    store, warning = Store.open_or_memory(path)
    store.close()
    assert warning is None
    assert list(tmp_path.glob("*.damaged-*")) == []


@pytest.mark.parametrize("damage", [damage_header, damage_middle_page], ids=["header", "page3"])
def test_every_command_on_a_damaged_history_is_one_line_and_exit_1(tmp_path: Path, damage) -> None:
    path = tmp_path / "history.sqlite3"
    history_with_answers(path, answers=12)
    damage(path)
    before = digest(path)
    for args in (
        ("sessions", "list"),
        ("sessions", "list", "--json"),
        ("sessions", "show", "1"),
        ("sessions", "show", "1", "--json"),
        ("sessions", "recover"),
        ("sessions", "delete", "1"),
        ("export", "1"),
    ):
        done = cli(tmp_path, *args)
        assert done.returncode == 1, (args, done.stderr)
        assert done.stderr.count("\n") == 1, (args, done.stderr)
        assert "Traceback" not in done.stderr
        assert "damaged" in done.stderr and ".recover" in done.stderr
    assert digest(path) == before, "a command wrote to the damaged file"
    assert list(tmp_path.glob("*.damaged-*")) == [], "commands report; only the app moves it"


def test_a_memory_store_leaves_no_temporary_folder(tmp_path: Path) -> None:
    store = Store.memory()
    folder = store.data_dir
    (folder / "audio" / "1").mkdir(parents=True)
    store.close()
    assert not folder.exists()
    kept = Store.memory()
    (kept.data_dir / "q01-1.wav").write_bytes(b"RIFF")
    kept.close()
    assert (kept.data_dir / "q01-1.wav").exists(), "a recording is never removed"


def test_a_store_error_is_not_hidden(tmp_path: Path) -> None:
    """A damaged file is a StoreError too: callers that catch StoreError keep working."""
    path = tmp_path / "history.sqlite3"
    path.write_bytes(b"not a database at all" * 300)
    with pytest.raises(StoreError, match="damaged or not a mock-interview history"):
        Store.open(path)
