"""The real command in a real terminal (tmux): launch, answer with markup, see the feedback."""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.e2e.terminal import COMMAND, Terminal

REPO = Path(__file__).resolve().parents[2]
ANSWER = "[bold]x[/bold] L1 lasso adds absolute weights, sparse [/] L2 ridge squared"


@pytest.fixture(params=[(100, 30), (80, 24)], ids=["100x30", "80x24"])
def terminal(request, tmp_path: Path) -> Iterator[Terminal]:
    if shutil.which("tmux") is None:
        pytest.fail("tmux is not installed; run `make install-test`", pytrace=False)
    width, height = request.param
    term = Terminal(width, height, tmp_path)
    yield term
    term.close()


def test_typed_answer_in_a_real_terminal(terminal: Terminal) -> None:
    terminal.start("--typed", "--no-voice", "--question", "4")
    terminal.wait_for(r"What is the difference between L1 and L2 regularization\?")
    terminal.keys(ANSWER, literal=True)
    terminal.wait_for(re.escape("[bold]x[/bold] L1"))
    terminal.keys("C-s")
    screen = terminal.wait_settled(r"Coverage \d{1,3}%")
    assert "[bold]x[/bold] L1 lasso" in screen, screen
    assert "Model answer" in screen
    terminal.keys("C-q")
    assert terminal.wait_gone(), "ctrl+q did not quit"
    # the answer was committed, markup and all
    sys.path.insert(0, str(REPO))
    from simulator.store import Store

    store = Store.open(terminal.home / "history.sqlite3")
    try:
        record = store.get_session(store.list_sessions()[0].id)
        assert record.answers[0].transcript == ANSWER
        assert record.answers[0].status == "done"
    finally:
        store.close()


def test_bad_flag_is_one_clear_line(tmp_path: Path) -> None:
    result = subprocess.run(
        [COMMAND, "--question", "999", "--typed"],
        capture_output=True,
        text=True,
        env={**os.environ, "MOCK_INTERVIEW_HOME": str(tmp_path)},
        timeout=30,
    )
    assert result.returncode == 2
    assert "has no question 999" in result.stderr
    assert "Traceback" not in result.stderr


def test_bad_config_is_one_clear_line(tmp_path: Path) -> None:
    (tmp_path / "config.toml").write_text("[interview]\ncount = 'many'\n")
    result = subprocess.run(
        [COMMAND, "--typed"],
        capture_output=True,
        text=True,
        env={**os.environ, "MOCK_INTERVIEW_HOME": str(tmp_path)},
        timeout=30,
    )
    assert result.returncode == 2
    assert "interview.count must be int" in result.stderr
    assert "Traceback" not in result.stderr


def test_bad_model_is_one_clear_line(tmp_path: Path) -> None:
    result = subprocess.run(
        [COMMAND, "--model", str(tmp_path / "no-such-model"), "--question", "4"],
        capture_output=True,
        text=True,
        env={**os.environ, "MOCK_INTERVIEW_HOME": str(tmp_path)},
        timeout=30,
    )
    assert result.returncode == 2
    assert "does not exist" in result.stderr and "Traceback" not in result.stderr
