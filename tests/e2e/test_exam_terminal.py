"""Exam mode in a real terminal on the test sound server: `mock-interview --exam --count 3`.

Three questions back to back with no feedback in between, a follow-up where key points were
missed (read aloud: recorded from the sink's monitor and transcribed with the bundled model),
then the summary, which opens the first answer's feedback with the points its follow-up brought.
Answers are typed (tmux keys); the voice is the app's real one.
"""

from __future__ import annotations

import re
import signal
import sys
import time
from pathlib import Path

import pytest

from content.bank import load_bank
from content.text import content_tokens
from tests.audio.sound import Sink
from tests.e2e.terminal import Terminal
from tests.e2e.test_voice_terminal import record_monitor

pytestmark = [pytest.mark.audio, pytest.mark.model]

REPO = Path(__file__).resolve().parents[2]
BANK = load_bank()
PARTIAL = "Bias is the error from wrong assumptions, a model too simple to capture the data."
RECOVERS = "A flexible model is sensitive to small fluctuations in the training data."
COVERAGE = re.compile(r"Coverage \d{1,3}%")


def words(text: str) -> set[str]:
    return {t.norm for t in content_tokens(text)}


def submit(terminal: Terminal, text: str) -> None:
    terminal.keys(text, literal=True)
    terminal.wait_for(re.escape(text.split()[-1]))  # typed in full (it may wrap)
    terminal.keys("C-s")


def no_feedback(screen: str) -> str:
    assert not COVERAGE.search(screen) and "Model answer" not in screen, screen
    return screen


def test_an_exam_of_three_with_a_spoken_follow_up_then_the_summary(
    terminal: Terminal, sink: Sink, tmp_path: Path
) -> None:
    terminal.start(
        "--exam", "--count", "3", "--typed",
        env={"PULSE_SINK": sink.name, "PULSE_SOURCE": sink.monitor},
    )  # fmt: skip
    q1, q2, q3 = (BANK.question(n) for n in (1, 2, 3))
    no_feedback(terminal.wait_for(re.escape(q1.text)))
    time.sleep(3)  # let the question be said before answering over it

    heard = tmp_path / "heard.wav"
    recorder = record_monitor(sink, heard)
    try:
        submit(terminal, PARTIAL)
        screen = no_feedback(terminal.wait_for(r"follow-up", seconds=60))
        asked = next(k.follow_up for k in q1.key_points if k.follow_up[:40] in screen)
        time.sleep(2 + len(asked) / 12)  # espeak-ng says about 15 characters a second
    finally:
        recorder.send_signal(signal.SIGINT)
        recorder.wait(timeout=10)
    from audio.transcriber import Transcriber

    said = words(Transcriber().transcribe(heard).text)
    distinctive = words(asked) - words(q1.text) - words(PARTIAL)
    print(f"follow-up heard: {sorted(said & distinctive)} of {sorted(distinctive)}")
    assert len(said & distinctive) >= 2, (sorted(said), sorted(distinctive))

    submit(terminal, RECOVERS)
    no_feedback(terminal.wait_for(re.escape(q2.text), seconds=60))
    submit(terminal, q2.model_answer.replace("\n", " "))  # complete: no follow-up
    screen = no_feedback(terminal.wait_for(re.escape(q3.text), seconds=60))
    assert "follow-up" not in screen
    submit(terminal, "I am not sure, maybe regularization.")
    no_feedback(terminal.wait_for(r"follow-up", seconds=60))
    submit(terminal, "I would have to look it up.")

    summary = terminal.wait_for(r"Exam over · 3 answered", seconds=60)
    assert "Enter opens the feedback" in summary, summary
    assert re.search(r"Explain the bias-variance tradeoff\.\s+\d+%\s+\+\d points?", summary), (
        summary
    )
    terminal.keys("Enter")
    feedback = terminal.wait_for(COVERAGE.pattern, seconds=30)
    assert "(in the follow-up)" in feedback and "Follow-up:" in feedback, feedback
    terminal.keys("Escape")
    terminal.wait_for(r"Exam over")
    terminal.keys("C-q")
    assert terminal.wait_gone(), "ctrl+q did not quit"

    sys.path.insert(0, str(REPO))
    from simulator.store import Store

    store = Store.open(terminal.home / "history.sqlite3")
    try:
        record = store.get_session(store.list_sessions()[0].id)
        kinds = [(a.question, a.kind) for a in record.answers]
        assert kinds == [(1, "answer"), (1, "follow_up"), (2, "answer"), (3, "answer"),
                         (3, "follow_up")]  # fmt: skip
        assert record.answers[1].prompt == asked and record.answers[0].assisted
    finally:
        store.close()
