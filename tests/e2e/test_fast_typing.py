"""Keys in one burst in a real terminal: tmux sends a long answer and Ctrl+S in one go.

This is how a paste without bracketed paste, tmux or a dictation tool delivers text. The
stored answer must hold every character and the Ctrl+S must never be ignored; a bracketed
paste followed at once by Ctrl+S likewise.
"""

from __future__ import annotations

import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest

from simulator.store import Store
from tests.e2e.terminal import Terminal

QUESTION = r"precision"
ANSWER = (
    "Use precision when false positives are expensive, such as spam filtering where a real "
    "email lost in the junk folder hurts, and recall when false negatives are expensive, such "
    "as screening for a disease where a missed case is far worse than a false alarm; F1 "
    "balances both, and moving the threshold trades one for the other along the curve. "
) * 2
SHORT = "Precision counts false alarms."


@pytest.fixture
def terminal(tmp_path: Path) -> Iterator[Terminal]:
    if shutil.which("tmux") is None:
        pytest.fail("tmux is not installed; run `make install-test`", pytrace=False)
    term = Terminal(100, 30, tmp_path)
    yield term
    term.close()


def stored_answers(home: Path) -> list[str]:
    store = Store.open(home / "history.sqlite3")
    try:
        return [
            answer.transcript
            for summary in sorted(store.list_sessions(), key=lambda s: s.id)
            for answer in store.get_session(summary.id).answers  # type: ignore[union-attr]
        ]
    finally:
        store.close()


def answer_once(terminal: Terminal, deliver: list[str], expected: str) -> None:
    terminal.start("--typed", "--no-voice", "--question", "7")
    terminal.wait_for(r"Ctrl\+S submits")
    # one tmux command: the text and the Ctrl+S reach the app's terminal in the same burst
    terminal.tmux(*deliver, ";", "send-keys", "-t", "e2e", "C-s")
    terminal.wait_for(r"Coverage \d{1,3}%")
    terminal.keys("C-q")
    assert terminal.wait_gone(), "ctrl+q did not quit"
    assert stored_answers(terminal.home)[-1] == expected


def test_raw_keys_then_ctrl_s_keep_every_character(terminal: Terminal) -> None:
    for text in (ANSWER, SHORT, ANSWER):
        answer_once(terminal, ["send-keys", "-t", "e2e", "-l", text], text)
    assert stored_answers(terminal.home) == [ANSWER, SHORT, ANSWER]


def test_bracketed_paste_then_ctrl_s_submits_it(terminal: Terminal) -> None:
    for _ in range(3):
        paste = ["set-buffer", "-b", "answer", ANSWER, ";"]
        paste += ["paste-buffer", "-p", "-b", "answer", "-t", "e2e"]
        answer_once(terminal, paste, ANSWER)
    assert stored_answers(terminal.home) == [ANSWER] * 3
