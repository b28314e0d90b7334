"""Review plays a recorded answer on the test sound server, the words following along.

A real spoken answer (espeak-ng) is stored with its real transcript and word times (the bundled
model); `mock-interview review` runs in tmux routed to a private sink; Space plays it. The
sink's monitor must hear it, the on-screen position must advance, and the underlined (spoken)
word must move forward through the transcript; Space again pauses.
"""

from __future__ import annotations

import os
import re
import signal
import subprocess
import time
from pathlib import Path

import pytest

from tests.audio.sound import (
    Sink,
    SoundServerMissing,
    ensure_sound_server,
    espeak_render,
    voiced_seconds,
)
from tests.e2e.terminal import Terminal

pytestmark = [pytest.mark.audio, pytest.mark.model]

ANSWER = (
    "Overfitting shows as a large gap between training and validation accuracy. "
    "I plot learning curves and use k fold cross validation."
)
_SGR = re.compile(r"\x1b\[([0-9;]*)m|([^\x1b]+)")


def underlined_words(screen: str) -> list[str]:
    """The runs of underlined text in a `capture-pane -e` screen, read from its SGR codes."""
    runs: list[str] = []
    underline = False
    for params, text in _SGR.findall(screen):
        if text:
            if underline and text.strip():
                runs.append(text.strip())
            continue
        codes = [int(c) if c else 0 for c in params.split(";")]
        i = 0
        while i < len(codes):
            code = codes[i]
            if code in (38, 48, 58):  # extended colour: skip its own parameters
                i += 3 if i + 1 < len(codes) and codes[i + 1] == 5 else 5
                continue
            if code == 0 or code == 24:
                underline = False
            elif code == 4:
                underline = True
            i += 1
    return runs


def store_spoken_answer(home: Path) -> str:
    """Store one recorded answer with its real transcript; return the transcript."""
    from audio.transcriber import Transcriber
    from content.bank import builtin_bank_path, load_bank
    from simulator.scoring import coverage
    from simulator.store import Store

    question = load_bank().question(2)
    store = Store.open(home / "history.sqlite3")
    try:
        session = store.start_session("ml-theory", str(builtin_bank_path()), "voice", {})
        wav = store.session_audio_dir(session) / "q02-1.wav"
        espeak_render(ANSWER, wav, rate=140)
        transcript = Transcriber().transcribe(wav)
        words = [{"start": w.start, "end": w.end, "text": w.text} for w in transcript.words]
        answer = store.start_answer(session, 2, question.topic, "voice", wav)
        store.finish_answer(
            answer,
            transcript=transcript.text,
            words=words,
            coverage=coverage(question, transcript.text),
            delivery=None,
            duration_s=transcript.duration_s,
        )
        store.end_session(session)
    finally:
        store.close()
    return transcript.text


def test_review_plays_the_answer_with_the_words_following_along(tmp_path: Path) -> None:
    try:
        ensure_sound_server()
    except SoundServerMissing as error:
        pytest.fail(str(error), pytrace=False)
    home = tmp_path / "home"
    home.mkdir()
    transcript = store_spoken_answer(home)
    sink = Sink.create(f"mi_review_{os.getpid()}")
    terminal = Terminal(100, 30, home)
    heard = tmp_path / "heard.wav"
    recorder = None
    try:
        terminal.start("review", env={"PULSE_SINK": sink.name, "PULSE_SOURCE": sink.monitor})
        terminal.wait_for(r"ml-theory\s+1\s+1\s+\d+%")  # the session in the review list
        terminal.keys("Enter")
        terminal.wait_for(r"Space plays q02-1\.wav")
        recorder = subprocess.Popen(
            ["parecord", f"--device={sink.monitor}", "--rate=16000", "--channels=1",
             "--file-format=wav", str(heard)],
        )  # fmt: skip
        time.sleep(0.3)
        terminal.keys("Space")
        terminal.wait_for(r"playing \d:\d\d / \d:\d\d")
        spoken: list[str] = []
        positions: list[str] = []
        deadline = time.monotonic() + 6
        while time.monotonic() < deadline:
            screen = terminal.tmux("capture-pane", "-p", "-e", "-t", "e2e")
            for word in underlined_words(screen):
                if word.strip() and (not spoken or spoken[-1] != word.strip()):
                    spoken.append(word.strip())
            positions += re.findall(r"playing (\d:\d\d) /", terminal.screen())
            time.sleep(0.05)
        terminal.keys("Space")
        paused = terminal.wait_for(r"paused (\d:\d\d) /")
        frozen = re.search(r"paused (\d:\d\d) /", paused).group(1)
        time.sleep(1.5)
        assert re.search(r"paused (\d:\d\d) /", terminal.screen()).group(1) == frozen
    finally:
        if recorder is not None:
            recorder.send_signal(signal.SIGINT)
            recorder.wait(timeout=10)
        terminal.close()
        sink.remove()

    assert len(set(positions)) >= 3, positions  # the clock moved while playing
    assert len(spoken) >= 4, spoken  # the highlight moved from word to word
    cursor = 0  # ... forward through the transcript, never back
    for word in spoken:
        at = transcript.find(word, cursor)
        assert at >= 0, (word, spoken, transcript)
        cursor = at
    import soundfile as sf

    samples, rate = sf.read(heard, dtype="float32")
    assert voiced_seconds(samples, rate) >= 2.0  # the monitor heard the playback
