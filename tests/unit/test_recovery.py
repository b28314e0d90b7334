"""Recovery after kill -9: a real child process records to disk, dies, and nothing is lost."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import textwrap
import wave
from pathlib import Path

import pytest
import soundfile

from content.bank import builtin_bank_path, load_bank
from simulator.recovery import (
    audio_duration,
    discard_session,
    find_interrupted,
    recover_all,
    recover_session,
)
from simulator.store import Store

BANK = load_bank()
ROOT = Path(__file__).resolve().parents[2]
SPOKEN = (
    "Bias is the error from wrong assumptions, the model is too simple and underfits. "
    "Variance is sensitivity to the training data, the model overfits."
)

CHILD = textwrap.dedent(
    """
    import sys, time
    from pathlib import Path
    import soundfile
    from simulator.store import Store

    db, mode, source = Path(sys.argv[1]), sys.argv[2], sys.argv[3]
    store = Store.open(db)
    session = store.start_session("ml-theory", sys.argv[4], mode, {"count": 2})
    done = store.start_answer(session, 2, "Bias-Variance & Overfitting", "typed")
    store.finish_answer(done, transcript="", words=[], coverage=None, delivery=None,
                        duration_s=1.0, status="unscored")
    if mode == "voice":
        wav = store.session_audio_dir(session) / "q01-1.wav"
        answer = store.start_answer(session, 1, "Bias-Variance & Overfitting", "voice", wav)
        data, rate = soundfile.read(source, dtype="float32")
        with soundfile.SoundFile(wav, "w", samplerate=rate, channels=1, subtype="PCM_16") as out:
            for start in range(0, len(data), rate // 10):
                out.write(data[start : start + rate // 10])
                out.flush()
            print(session, flush=True)
            time.sleep(600)
    else:
        answer = store.start_answer(session, 1, "Bias-Variance & Overfitting", "typed")
        store.save_draft(answer, source)
        print(session, flush=True)
        time.sleep(600)
    """
)


def killed_interview(db: Path, mode: str, source: str) -> int:
    """Run an interview in a child process until it has written its answer, then kill -9 it."""
    child = subprocess.Popen(
        [sys.executable, "-c", CHILD, str(db), mode, source, str(builtin_bank_path())],
        cwd=ROOT,
        stdout=subprocess.PIPE,
        text=True,
    )
    try:
        line = child.stdout.readline()
    finally:
        os.kill(child.pid, signal.SIGKILL)
        child.wait()
    assert line.strip(), "the child interview did not start"
    return int(line)


@pytest.fixture(scope="module")
def speech(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The answer spoken by espeak-ng, as a WAV file."""
    path = tmp_path_factory.mktemp("speech") / "answer.wav"
    subprocess.run(["espeak-ng", "-s", "150", "-w", str(path), SPOKEN], check=True)
    return path


def test_a_live_session_of_this_process_is_not_interrupted(tmp_path: Path) -> None:
    store = Store.open(tmp_path / "h.sqlite3")
    session = store.start_session("ml-theory", "", "typed", {})
    store.start_answer(session, 1, "t", "typed")
    assert find_interrupted(store) == []
    assert store.list_sessions()[0].interrupted is False


def test_a_killed_typed_answer_is_recovered_from_its_draft(tmp_path: Path) -> None:
    db = tmp_path / "h.sqlite3"
    session = killed_interview(db, "typed", SPOKEN)
    store = Store.open(db)
    (found,) = find_interrupted(store)
    assert (found.session_id, found.open_answers, found.finished_answers) == (session, 1, 1)
    assert found.questions_answered == (2,)
    assert store.list_sessions()[0].interrupted is True
    recovery = recover_session(store, session)
    (result,) = recovery.answers
    assert result.status == "recovered" and result.transcript == SPOKEN
    assert result.coverage is not None and result.coverage > 0.5
    saved = store.get_session(session)
    assert saved.ended_at is not None
    assert saved.answers[1].status == "recovered"
    assert saved.answers[1].scored is not None and saved.answers[1].scored.key_points
    assert find_interrupted(store) == []
    assert store.list_sessions()[0].interrupted is False


@pytest.mark.model
def test_a_killed_voice_answer_keeps_its_audio_and_is_transcribed(
    tmp_path: Path, speech: Path
) -> None:
    db = tmp_path / "h.sqlite3"
    session = killed_interview(db, "voice", str(speech))
    wav = tmp_path / "audio" / str(session) / "q01-1.wav"
    with pytest.raises(wave.Error), wave.open(str(wav)):  # flush() alone: a header of 0 bytes
        pass
    store = Store.open(db)
    (recovery,) = recover_all(store)
    (result,) = recovery.answers
    assert result.audio == wav and wav.exists()
    info = soundfile.info(str(wav))
    with wave.open(str(wav)) as repaired:  # recovery repaired it: any tool reads it now
        assert repaired.getnframes() == info.frames > 0
    assert result.duration_s == pytest.approx(info.frames / info.samplerate)
    source = soundfile.info(str(speech))
    assert result.duration_s == pytest.approx(source.frames / source.samplerate, abs=0.01)
    assert "variance" in result.transcript.lower()
    assert result.coverage is not None and result.coverage > 0.3
    saved = store.get_answer(result.answer_id)
    assert saved.status == "recovered" and saved.words
    assert saved.words[0]["start"] < saved.words[-1]["end"] <= result.duration_s + 0.5
    assert "Q1: recovered" in result.describe()


def test_an_answer_with_nothing_in_it_is_discarded_and_a_bad_file_kept(tmp_path: Path) -> None:
    store = Store.open(tmp_path / "h.sqlite3")
    session = store.start_session("ml-theory", str(builtin_bank_path()), "voice", {})
    empty = store.start_answer(session, 1, "t", "typed")
    folder = store.session_audio_dir(session)
    broken = folder / "q02-1.wav"
    broken.write_bytes(b"RIFF\0\0\0\0WAVEjunk")
    kept = store.start_answer(session, 2, "t", "voice", broken)
    store._db.execute("UPDATE sessions SET pid = 0")  # as if its process were gone
    results = {r.answer_id: r for r in recover_session(store, session).answers}
    assert results[empty].status == "discarded"
    assert results[kept].status == "recovered" and results[kept].coverage is None
    assert "no sound" in results[kept].note
    assert broken.exists()
    assert audio_duration(broken) == 0.0


def test_discard_keeps_files_and_rows(tmp_path: Path) -> None:
    store = Store.open(tmp_path / "h.sqlite3")
    session = store.start_session("ml-theory", "", "voice", {})
    wav = store.session_audio_dir(session) / "q01-1.wav"
    wav.write_bytes(b"RIFF")
    store.start_answer(session, 1, "t", "voice", wav)
    store._db.execute("UPDATE sessions SET pid = 0")
    assert [f.session_id for f in find_interrupted(store)] == [session]
    assert discard_session(store, session) == 1
    assert find_interrupted(store) == []
    assert wav.exists()
    assert store.get_session(session).answers[0].status == "discarded"
    with pytest.raises(KeyError):
        discard_session(store, 999)


def test_a_killed_process_not_yet_reaped_counts_as_dead() -> None:
    """SIGKILL leaves a zombie until its parent waits; recovery must not wait for that."""
    import signal
    import subprocess
    import sys
    import time

    from simulator.store import owner_alive, process_start_marker

    child = subprocess.Popen([sys.executable, "-c", "import time; time.sleep(60)"])
    try:
        marker = process_start_marker(child.pid)
        assert owner_alive(child.pid, marker, None)
        child.send_signal(signal.SIGKILL)
        deadline = time.monotonic() + 10
        while time.monotonic() < deadline:  # wait until it is a zombie, without reaping it
            stat = Path(f"/proc/{child.pid}/stat").read_text()
            if stat[stat.rfind(")") + 2] == "Z":
                break
            time.sleep(0.01)
        assert not owner_alive(child.pid, marker, None)
    finally:
        child.kill()
        child.wait()
