"""The SQLite store on real files: writes land at once, migrations, faults, queries."""

from __future__ import annotations

import shutil
import sqlite3
import threading
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from content.bank import load_bank
from simulator import locations
from simulator.scoring import coverage
from simulator.store import SCHEMA_VERSION, Store, StoreError
from tests.unit.mounts import tmpfs

DATA = Path(__file__).parent / "data"
BANK = load_bank()
Q1 = BANK.question(1)


class Clock:
    def __init__(self, start: datetime) -> None:
        self.now = start

    def __call__(self) -> datetime:
        return self.now


@pytest.fixture
def store(tmp_path: Path) -> Store:
    opened = Store.open(tmp_path / "history.sqlite3")
    yield opened
    opened.close()


def answer(store: Store, session: int, question=Q1, text: str = "", status: str = "done") -> int:
    answer_id = store.start_answer(session, question.number, question.topic, "typed")
    store.finish_answer(
        answer_id,
        transcript=text,
        words=[],
        coverage=coverage(question, text),
        delivery=None,
        duration_s=10.0,
        status=status,
    )
    return answer_id


def test_a_new_database_is_at_the_latest_schema_in_wal_mode(store: Store) -> None:
    assert store.schema_version == SCHEMA_VERSION == 4
    raw = sqlite3.connect(store.path)
    assert raw.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
    assert store._db.execute("PRAGMA foreign_keys").fetchone()[0] == 1


def test_default_location_follows_the_data_dir_override(tmp_path: Path, monkeypatch) -> None:
    monkeypatch.setenv(locations.HOME_ENV, str(tmp_path / "home"))
    locations.set_home(None)
    opened = Store.open()
    assert opened.path == tmp_path / "home" / "history.sqlite3"
    assert opened.path.exists()
    assert opened.session_audio_dir(7) == tmp_path / "home" / "audio" / "7"
    opened.close()


def test_each_step_is_committed_the_moment_it_happens(store: Store) -> None:
    """Another connection (as after a crash) sees the answer and its draft at once."""
    session = store.start_session("ml-theory", str(BANK.path), "voice", {"count": 3})
    wav = store.session_audio_dir(session) / "q01-1.wav"
    answer_id = store.start_answer(session, 1, Q1.topic, "voice", audio_path=wav)
    other = sqlite3.connect(store.path)
    row = other.execute("SELECT status, audio_path FROM answers WHERE id = ?", (answer_id,))
    assert row.fetchone() == ("in_progress", f"audio/{session}/q01-1.wav")
    store.save_draft(answer_id, "bias is the error from wrong assumptions")
    draft = other.execute("SELECT draft FROM answers WHERE id = ?", (answer_id,)).fetchone()[0]
    assert draft == "bias is the error from wrong assumptions"


def test_a_finished_answer_keeps_words_coverage_and_delivery(store: Store) -> None:
    session = store.start_session("ml-theory", str(BANK.path), "voice", {})
    wav = store.session_audio_dir(session) / "q01-1.wav"
    answer_id = store.start_answer(session, 1, Q1.topic, "voice", audio_path=wav)
    text = "Bias comes from wrong assumptions, variance from sensitivity to the training data."
    scored = coverage(Q1, text)
    words = [{"start": 0.0, "end": 0.4, "text": "Bias", "probability": 0.9}]
    store.finish_answer(
        answer_id,
        transcript=text,
        words=words,
        coverage=scored,
        delivery={"words_per_minute": 130.0},
        duration_s=4.5,
    )
    store.end_session(session)
    record = store.get_session(session)
    assert record is not None and record.ended_at is not None
    (saved,) = record.answers
    assert saved.status == "done"
    assert saved.words == words
    assert saved.coverage == pytest.approx(scored.coverage)
    assert saved.scored is not None and saved.scored.to_dict() == scored.to_dict()
    assert [k.transcript_span for k in saved.scored.covered] == [
        k.transcript_span for k in scored.covered
    ]
    assert saved.delivery == {"words_per_minute": 130.0}
    assert saved.audio == wav
    assert record.settings == {}


def test_unknown_status_is_refused(store: Store) -> None:
    session = store.start_session("ml-theory", "", "typed", {})
    answer_id = store.start_answer(session, 1, Q1.topic, "typed")
    with pytest.raises(ValueError, match="unknown status"):
        store.finish_answer(
            answer_id, transcript="", words=[], coverage=None, delivery=None, duration_s=0,
            status="great",
        )  # fmt: skip


def test_migrates_a_version_1_database(tmp_path: Path) -> None:
    path = tmp_path / "history.sqlite3"
    shutil.copy(DATA / "history-v1.sqlite3", path)
    assert sqlite3.connect(path).execute("PRAGMA user_version").fetchone()[0] == 1
    migrated = Store.open(path)
    assert migrated.schema_version == SCHEMA_VERSION
    sessions = {s.id: s for s in migrated.list_sessions()}
    assert set(sessions) == {1, 2}
    assert sessions[1].bank_name == "ml-theory" and sessions[1].answers == 3
    assert sessions[2].ended_at == "2024-03-05T18:31:00.000+00:00"  # its last answer
    assert not sessions[2].interrupted
    first = migrated.get_session(1)
    assert first is not None
    assert [a.status for a in first.answers] == ["done", "done", "unscored"]
    assert first.answers[0].transcript == "bias is error from wrong assumptions <b>"
    assert first.answers[0].audio == tmp_path / "audio/1/q01-1.wav"
    assert first.answers[0].mode == "voice"
    (stats,) = [s for s in migrated.question_stats() if s.question == 1]
    assert (stats.attempts, stats.best, stats.last) == (2, 0.75, 0.75)
    # ... and through v3, the FSRS cards replayed from the scored answers (Q1 twice, Q5 once).
    memories = {(m.question, m.reviews, m.lapses) for m in migrated.memories("ml-theory")}
    assert memories == {(1, 2, 0), (5, 1, 1)}
    # The new schema's rules hold on the migrated file: statuses checked, deletes cascade.
    with pytest.raises(sqlite3.IntegrityError):
        migrated._db.execute("UPDATE answers SET status = 'bogus' WHERE id = 1")
    assert migrated.delete_session(1)
    assert migrated._db.execute("SELECT count(*) FROM answers").fetchone()[0] == 1
    migrated.close()
    # Opening again does not migrate twice.
    assert Store.open(path).schema_version == SCHEMA_VERSION


def test_a_newer_schema_is_refused_with_a_clear_message(tmp_path: Path) -> None:
    path = tmp_path / "history.sqlite3"
    sqlite3.connect(path).execute("PRAGMA user_version = 99")
    with pytest.raises(StoreError, match="newer mock-interview"):
        Store.open(path)


def test_a_file_that_is_not_a_database_is_a_store_error(tmp_path: Path) -> None:
    path = tmp_path / "history.sqlite3"
    path.write_bytes(b"this is not sqlite" * 100)
    with pytest.raises(StoreError, match="damaged or not a mock-interview history"):
        Store.open(path)


def test_a_data_dir_under_a_file_falls_back_to_memory(tmp_path: Path) -> None:
    """Root ignores chmod; a folder that cannot exist (its parent is a file) always fails."""
    blocker = tmp_path / "file"
    blocker.write_text("x")
    with pytest.raises(StoreError, match="--data-dir"):
        Store.open(blocker / "history.sqlite3")
    fallback, warning = Store.open_or_memory(blocker / "history.sqlite3")
    assert fallback.path is None and warning is not None
    assert "memory" in warning and "\n" not in warning
    session = fallback.start_session("ml-theory", "", "typed", {})
    assert fallback.session_audio_dir(session).is_dir()  # a writable temporary folder
    answer(fallback, session, text="wrong assumptions")
    assert fallback.list_sessions()[0].answers == 1


def test_a_read_only_mount_is_a_store_error(tmp_path: Path) -> None:
    with tmpfs(tmp_path / "ro", read_only=True) as folder:
        with pytest.raises(StoreError, match="read-only"):
            Store.open(folder / "history.sqlite3")
        store, warning = Store.open_or_memory(folder / "history.sqlite3")
        assert warning is not None and "read-only" in warning
        assert store.path is None


def test_disk_full_mid_session_is_a_store_error_and_the_store_survives(tmp_path: Path) -> None:
    with tmpfs(tmp_path / "small", size="512k") as folder:
        full = Store.open(folder / "history.sqlite3")
        session = full.start_session("ml-theory", "", "typed", {})
        kept = answer(full, session, text="wrong assumptions")
        filler = folder / "filler"
        with pytest.raises(OSError), filler.open("wb") as out:  # fill the disk for real
            while True:
                out.write(b"\0" * 65536)
                out.flush()
        with pytest.raises(StoreError, match="full") as raised:
            for n in range(200):
                full.save_draft(kept, "x" * 100_000 + str(n))
        assert "\n" not in str(raised.value)
        record = full.get_answer(kept)  # reads still work, the committed answer is intact
        assert record is not None and record.transcript == "wrong assumptions"
        filler.unlink()
        full.save_draft(kept, "space again")  # and writing works once there is room
        assert full.get_answer(kept).draft == "space again"
        full.close()


def test_many_threads_write_through_one_store(store: Store) -> None:
    session = store.start_session("ml-theory", "", "typed", {})
    errors: list[BaseException] = []

    def work(n: int) -> None:
        try:
            for _ in range(20):
                answer_id = store.start_answer(session, n, "t", "typed")
                store.save_draft(answer_id, f"draft {n}")
        except BaseException as error:  # pragma: no cover - reported below
            errors.append(error)

    threads = [threading.Thread(target=work, args=(n,)) for n in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == []
    assert len(store.get_session(session).answers) == 80


def test_delete_session_removes_rows_and_audio(store: Store) -> None:
    session = store.start_session("ml-theory", "", "voice", {})
    folder = store.session_audio_dir(session)
    wav = folder / "q01-1.wav"
    wav.write_bytes(b"RIFF")
    store.start_answer(session, 1, Q1.topic, "voice", audio_path=wav)
    other = store.start_session("ml-theory", "", "voice", {})
    assert store.delete_session(session) is True
    assert not folder.exists()
    assert store.get_session(session) is None
    assert [s.id for s in store.list_sessions()] == [other]
    assert store.delete_session(session) is False


def test_stats_progress_and_attempts(tmp_path: Path) -> None:
    clock = Clock(datetime(2024, 5, 1, 9, tzinfo=UTC))
    store = Store.open(tmp_path / "h.sqlite3", clock=clock)
    q2 = BANK.question(2)
    first = store.start_session("ml-theory", "", "typed", {})
    answer(store, first, Q1, "")  # nothing said: coverage about 0
    answer(store, first, q2, "irrelevant words only")
    clock.now += timedelta(days=1)
    second = store.start_session("ml-theory", "", "typed", {})
    good = "Bias: wrong assumptions, too simple, underfits. Variance: sensitive to training data."
    answer(store, second, Q1, good)
    answer(store, second, Q1, "", status="discarded")  # never counts
    open_answer = store.start_answer(second, 3, q2.topic, "typed")  # in progress: never counts
    assert open_answer
    stats = {s.question: s for s in store.question_stats("ml-theory")}
    assert set(stats) == {1, 2}
    assert stats[1].attempts == 2
    assert stats[1].last == stats[1].best > stats[1].mean
    assert store.question_stats("other-bank") == []
    days = [(p.day, p.topic, p.attempts) for p in store.progress()]
    assert days == [("2024-05-01", Q1.topic, 2), ("2024-05-02", Q1.topic, 1)]
    assert [a.question for a in store.attempts()] == [1, 2, 1]
    assert [a.status for a in store.answers_for_question(1)] == ["done", "done"]
    listed = store.list_sessions()
    assert [s.id for s in listed] == [second, first]
    assert listed[0].answers == 3 and listed[0].questions == 2
    assert listed[0].mean_coverage == pytest.approx(stats[1].last)
    assert listed[0].interrupted is False  # this process is alive
