"""Two apps started in the same instant on a new data folder: both work, no session is lost.

Two real terminals (tmux) running the real command on one new folder, started back to back;
each answers a typed question. The history then holds both sessions with their answers.
Several rounds, since the race showed in 2-3 of every 6-8 tries before it was fixed.
"""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from simulator.store import Store
from tests.e2e.terminal import Terminal

ROUNDS = 3


def test_two_instances_at_once_keep_both_sessions(tmp_path: Path) -> None:
    if shutil.which("tmux") is None:
        pytest.fail("tmux is not installed; run `make install-test`", pytrace=False)
    for round_ in range(ROUNDS):
        home = tmp_path / f"round-{round_}"
        home.mkdir()
        terminals = [Terminal(100, 30, home), Terminal(100, 30, home)]
        try:
            for number, terminal in zip((4, 5), terminals, strict=True):
                terminal.start("--typed", "--no-voice", "--question", str(number))
            for number, terminal in zip((4, 5), terminals, strict=True):
                terminal.wait_for(r"Ctrl\+S submits")
                terminal.keys(f"answer to question {number}", literal=True)
                terminal.wait_for(f"answer to question {number}")
                terminal.keys("C-s")
            for terminal in terminals:
                screen = terminal.wait_settled(r"Coverage \d{1,3}%")
                assert "in memory" not in screen and "failed" not in screen, screen
                terminal.keys("C-q")
                assert terminal.wait_gone(), "ctrl+q did not quit"
        finally:
            for terminal in terminals:
                terminal.close()
        store = Store.open(home / "history.sqlite3")
        try:
            records = [store.get_session(s.id) for s in store.list_sessions()]
        finally:
            store.close()
        answers = sorted(
            (a.question, a.transcript) for r in records if r is not None for a in r.answers
        )
        assert answers == [(4, "answer to question 4"), (5, "answer to question 5")]
