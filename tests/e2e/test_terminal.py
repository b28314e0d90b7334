"""The real command in a real terminal (tmux): launch, answer with markup, see the feedback."""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[2]
COMMAND = str(Path(sys.executable).parent / "mock-interview")
ANSWER = "[bold]x[/bold] L1 lasso adds absolute weights, sparse [/] L2 ridge squared"


class Terminal:
    """A tmux server of our own (its own socket), one window running one command."""

    def __init__(self, width: int, height: int, home: Path) -> None:
        self.socket = f"mi-e2e-{os.getpid()}-{width}x{height}"
        self.width, self.height, self.home = width, height, home

    def tmux(self, *args: str) -> str:
        result = subprocess.run(
            ["tmux", "-L", self.socket, *args], capture_output=True, text=True, timeout=20
        )
        return result.stdout

    def start(self, *argv: str) -> None:
        env = f"MOCK_INTERVIEW_HOME={self.home}"
        command = " ".join([f"env {env} TERM=xterm-256color", COMMAND, *argv])
        self.tmux(
            "new-session", "-d", "-s", "e2e", "-x", str(self.width), "-y", str(self.height), command
        )

    def screen(self) -> str:
        return self.tmux("capture-pane", "-p", "-t", "e2e")

    def wait_for(self, pattern: str, seconds: float = 30.0) -> str:
        """The screen once ``pattern`` (a regex) shows; a generous bound, not a timing test."""
        deadline = time.monotonic() + seconds
        while time.monotonic() < deadline:
            text = self.screen()
            if re.search(pattern, text):
                return text
            time.sleep(0.05)
        raise AssertionError(f"{pattern!r} never showed; the screen was:\n{self.screen()}")

    def keys(self, *keys: str, literal: bool = False) -> None:
        self.tmux("send-keys", "-t", "e2e", *(["-l"] if literal else []), *keys)

    def alive(self) -> bool:
        return "e2e" in self.tmux("list-sessions", "-F", "#{session_name}")

    def close(self) -> None:
        self.tmux("kill-server")


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
    screen = terminal.wait_for(r"Coverage \d{1,3}%")
    assert "[bold]x[/bold] L1 lasso" in screen, screen
    assert "Model answer" in screen
    terminal.keys("C-q")
    deadline = time.monotonic() + 20
    while terminal.alive() and time.monotonic() < deadline:
        time.sleep(0.05)
    assert not terminal.alive(), "ctrl+q did not quit"
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
