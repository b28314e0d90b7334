"""Study aids through the real command: the app in a real terminal (tmux), and ``drill`` typed.

The model answer shown first (``--model-answer-first``), a hint by Ctrl+G in the middle of a
typed answer, the feedback marking the hinted point, and the answer stored as assisted; the
plain-terminal drill gives the same hint for a line of just ``?``.
"""

from __future__ import annotations

import re
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.e2e.terminal import Terminal
from tests.e2e.test_drill import Drill, stored

REPO = Path(__file__).resolve().parents[2]
SAID = "L1 lasso adds the sum of absolute weights, L2 ridge adds the squared weights"
HINTED = "L1 drives weights to zero"  # question 4's first key point that SAID does not cover


@pytest.fixture
def terminal(tmp_path: Path) -> Iterator[Terminal]:
    term = Terminal(100, 30, tmp_path / "home")
    yield term
    term.close()


def test_model_answer_first_and_a_hint_in_a_real_terminal(terminal: Terminal) -> None:
    terminal.start("--typed", "--no-voice", "--model-answer-first", "--question", "4")
    screen = terminal.wait_for(r"What is the difference between L1 and L2 regularization\?")
    screen = terminal.wait_for(r"Key points")
    assert "Model answer" in screen and HINTED in screen, screen
    terminal.keys(SAID, literal=True)
    screen = terminal.wait_for(re.escape("ridge adds the squared"))
    assert "Key points" not in screen, "the model answer hides once the answer begins"
    terminal.keys("C-g")
    terminal.wait_for(re.escape(f"Hint: {HINTED}"))
    terminal.keys("C-s")
    screen = terminal.wait_settled(r"Coverage \d{1,3}%")
    assert f"{HINTED} (missed, hinted)" in screen, screen
    assert "Assisted: 1 hint, model answer shown first" in screen, screen
    terminal.keys("C-q")
    assert terminal.wait_gone(), "ctrl+q did not quit"
    sys.path.insert(0, str(REPO))
    from simulator.store import Store

    store = Store.open(terminal.home / "history.sqlite3")
    try:
        record = store.get_session(store.list_sessions()[0].id)
        assert record is not None
        (answer,) = record.answers
        assert answer.assisted and answer.transcript == SAID
        assert answer.scored is not None and answer.scored.hinted == {HINTED}
        assert answer.scored.model_answer_first
    finally:
        store.close()


def test_drill_typed_gives_a_hint_for_a_question_mark_line(tmp_path: Path) -> None:
    home = tmp_path / "home"
    drill = Drill(home, "--question", "4", "--typed", "--no-voice")
    drill.wait_for(r"Type your answer")
    drill.send(SAID + "\n?\n")
    drill.wait_for(re.escape(f"Hint: {HINTED}"))
    drill.send("\n")
    output = drill.finish()
    assert re.search(rf"✗ {re.escape(HINTED)} .*\(hinted\)", output), output
    answer = stored(home)["answers"][0]
    assert answer["assisted"] is True and answer["transcript"] == SAID, answer
    assert answer["hinted"] == [HINTED], answer
