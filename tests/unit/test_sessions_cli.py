"""The sessions, export and review commands, run as the user runs them (a real process)."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from content.bank import builtin_bank_path, load_bank
from simulator.scoring import coverage
from simulator.store import Store

ROOT = Path(__file__).resolve().parents[2]
BANK = load_bank()
TEXT = "<script>alert(1)</script> bias: wrong assumptions, the model is too simple"


def cli(home: Path, *args: str) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "MOCK_INTERVIEW_HOME": str(home)}
    return subprocess.run(
        [sys.executable, "-m", "simulator", *args],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )


@pytest.fixture
def home(tmp_path: Path) -> Path:
    store = Store.open(tmp_path / "history.sqlite3")
    session = store.start_session("ml-theory", str(builtin_bank_path()), "voice", {})
    wav = store.session_audio_dir(session) / "q01-1.wav"
    wav.write_bytes(b"RIFF")
    question = BANK.question(1)
    answer = store.start_answer(session, 1, question.topic, "voice", wav)
    store.finish_answer(
        answer,
        transcript=TEXT,
        words=[],
        coverage=coverage(question, TEXT),
        delivery=None,
        duration_s=7.25,
    )
    store.end_session(session)
    killed = store.start_session("ml-theory", str(builtin_bank_path()), "typed", {})
    draft = store.start_answer(killed, 2, question.topic, "typed")
    store.save_draft(draft, "variance is sensitivity to the training data")
    store._db.execute("UPDATE sessions SET pid = 0 WHERE id = ?", (killed,))
    store.close()
    return tmp_path


def test_list_json(home: Path) -> None:
    done = cli(home, "sessions", "list", "--json")
    assert done.returncode == 0, done.stderr
    rows = json.loads(done.stdout)
    assert [r["id"] for r in rows] == [2, 1]
    first = rows[1]
    assert set(first) >= {"id", "started_at", "bank", "answers", "mean_coverage", "interrupted"}
    assert first["answers"] == 1 and first["mean_coverage"] > 0
    assert rows[0]["interrupted"] is True and first["interrupted"] is False


def test_show_json(home: Path) -> None:
    done = cli(home, "sessions", "show", "1", "--json")
    data = json.loads(done.stdout)
    (answer,) = data["answers"]
    assert answer["transcript"] == TEXT
    assert answer["audio"] == str(home / "audio" / "1" / "q01-1.wav")
    assert (answer["question"], answer["mode"], answer["status"]) == (1, "voice", "done")
    assert answer["duration_s"] == 7.25 and answer["coverage"] > 0


def test_unknown_id_is_one_line_and_exit_2(home: Path) -> None:
    for args in (("sessions", "show", "42"), ("sessions", "delete", "42"), ("export", "42")):
        done = cli(home, *args)
        assert done.returncode == 2
        assert done.stderr.count("\n") == 1 and "no session 42" in done.stderr
        assert "Traceback" not in done.stderr
    bad = cli(home, "sessions", "show", "abc")
    assert bad.returncode == 2 and "Traceback" not in bad.stderr


def test_a_damaged_history_is_one_line(tmp_path: Path) -> None:
    (tmp_path / "history.sqlite3").write_bytes(b"garbage" * 200)
    done = cli(tmp_path, "sessions", "list")
    assert done.returncode == 1 and done.stderr.count("\n") == 1
    assert "damaged" in done.stderr


def test_recover_prints_what_it_recovered(home: Path) -> None:
    done = cli(home, "sessions", "recover")
    assert done.returncode == 0, done.stderr
    assert "session 2" in done.stdout and "Q2: recovered" in done.stdout
    again = cli(home, "sessions", "recover")
    assert "nothing to recover" in again.stdout
    shown = json.loads(cli(home, "sessions", "show", "2", "--json").stdout)
    assert shown["answers"][0]["status"] == "recovered"
    assert shown["answers"][0]["transcript"].startswith("variance is sensitivity")


def test_delete_removes_the_session_and_its_audio(home: Path) -> None:
    done = cli(home, "sessions", "delete", "1")
    assert done.returncode == 0 and "deleted session 1" in done.stdout
    assert not (home / "audio" / "1").exists()
    assert [r["id"] for r in json.loads(cli(home, "sessions", "list", "--json").stdout)] == [2]


@pytest.mark.parametrize("fmt", ["md", "html", "json"])
def test_export_to_a_file(home: Path, fmt: str) -> None:
    out = home / f"report.{fmt}"
    done = cli(home, "export", "1", "--format", fmt, "-o", str(out))
    assert done.returncode == 0, done.stderr
    text = out.read_text()
    if fmt == "html":
        assert "&lt;script&gt;" in text and "<script>" not in text
    elif fmt == "md":
        assert "<script>alert(1)</script>" in text
    else:
        assert json.loads(text)["answers"][0]["transcript"] == TEXT


def test_export_to_an_unwritable_place_is_one_line(home: Path) -> None:
    done = cli(home, "export", "1", "-o", str(home / "no" / "such" / "dir" / "r.md"))
    assert done.returncode == 2 and done.stderr.count("\n") == 1


def test_data_dir_flag_after_the_command(home: Path, tmp_path_factory) -> None:
    other = tmp_path_factory.mktemp("empty")
    done = cli(other, "sessions", "list", "--data-dir", str(home), "--json")
    assert len(json.loads(done.stdout)) == 2
    before = cli(other, "--data-dir", str(home), "sessions", "list", "--json")
    assert len(json.loads(before.stdout)) == 2
