"""A real terminal for end-to-end tests: a private tmux server running the real command."""

from __future__ import annotations

import itertools
import os
import re
import shlex
import subprocess
import sys
import time
from pathlib import Path

COMMAND = str(Path(sys.executable).parent / "mock-interview")


_terminals = itertools.count()


class Terminal:
    """A tmux server of our own (its own socket), one window running one command."""

    def __init__(self, width: int, height: int, home: Path) -> None:
        # a socket per terminal: no test can reach a server another test left behind
        self.socket = f"mi-e2e-{os.getpid()}-{next(_terminals)}-{width}x{height}"
        self.width, self.height, self.home = width, height, home

    def tmux(self, *args: str) -> str:
        result = subprocess.run(
            ["tmux", "-L", self.socket, *args], capture_output=True, text=True, timeout=20
        )
        return result.stdout

    def start(self, *argv: str, env: dict[str, str] | None = None) -> None:
        variables = {"MOCK_INTERVIEW_HOME": str(self.home), "TERM": "xterm-256color", **(env or {})}
        assignments = " ".join(f"{k}={shlex.quote(v)}" for k, v in variables.items())
        command = " ".join(["env", assignments, COMMAND, *argv])
        self.tmux(
            "new-session", "-d", "-s", "e2e", "-x", str(self.width), "-y", str(self.height), command
        )
        assert self.alive(), f"tmux did not start {command}"

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

    def wait_settled(self, pattern: str, seconds: float = 30.0, still_s: float = 0.3) -> str:
        """The screen once ``pattern`` shows and the screen has stopped changing for ``still_s``.

        A new screen reaches tmux in pieces: the first line of the feedback (its coverage) can be
        there while the rest of the terminal still shows the screen before it.
        """
        deadline = time.monotonic() + seconds
        text = self.wait_for(pattern, seconds)
        while time.monotonic() < deadline:
            time.sleep(still_s)
            again = self.screen()
            if again == text and re.search(pattern, again):
                return again
            text = again
        return text

    def keys(self, *keys: str, literal: bool = False) -> None:
        self.tmux("send-keys", "-t", "e2e", *(["-l"] if literal else []), *keys)

    def alive(self) -> bool:
        return "e2e" in self.tmux("list-sessions", "-F", "#{session_name}")

    def pid(self) -> int:
        """The process running in the window (env execs the command, so it is the app)."""
        return int(self.tmux("display-message", "-p", "-t", "e2e", "#{pane_pid}").strip())

    def wait_gone(self, seconds: float = 20.0) -> bool:
        deadline = time.monotonic() + seconds
        while self.alive() and time.monotonic() < deadline:
            time.sleep(0.05)
        return not self.alive()

    def close(self) -> None:
        self.tmux("kill-server")


def cli(home: Path, *args: str) -> subprocess.CompletedProcess[str]:
    """Run a `mock-interview` subcommand on the data folder ``home`` (e.g. `sessions show`)."""
    return subprocess.run(
        [COMMAND, *args],
        capture_output=True,
        text=True,
        timeout=300,
        env={**os.environ, "MOCK_INTERVIEW_HOME": str(home)},
    )
