"""SIGTERM, SIGHUP and SIGINT in the middle of a spoken answer, in a real terminal.

The real command in tmux on the test sound server, with the real model: Space, an answer
played into the sink, then the signal a few seconds in. The app must exit by itself with
128 + the signal, leave the terminal as it found it (no alternate screen, no mouse tracking,
the cursor shown), keep the recording, and leave the answer for `sessions recover`, which
finishes it with its audio and words. SIGHUP is sent the way a closed terminal sends it: tmux
kills the window, so the pty is gone too.
"""

from __future__ import annotations

import json
import os
import shlex
import signal
import subprocess
import time
from pathlib import Path

import pytest
import soundfile as sf

from tests.audio.sound import Sink, espeak_render
from tests.e2e.terminal import COMMAND, Terminal, cli

pytestmark = [pytest.mark.audio, pytest.mark.model]

ANSWER = (
    "The main signal is a big gap between training and validation accuracy. If training "
    "accuracy is ninety nine percent but validation is seventy five, the model memorizes. "
    "I also watch the learning curves, and I use k fold cross validation."
)


def pid_gone(pid: int, seconds: float = 20.0) -> bool:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        try:
            os.kill(pid, 0)
        except ProcessLookupError:
            return True
        time.sleep(0.05)
    return False


def answer_then(
    terminal: Terminal, sink: Sink, wav: Path, tmp_path: Path
) -> tuple[int, subprocess.Popen]:
    """Start the voice app, press Space and play the answer; the app's pid and the player.

    The app runs under a shell that writes its exit status to ``exit-status``, and tmux copies
    every byte the app writes to ``terminal.out``, so the restoring sequences can be read.
    """
    env = {"MOCK_INTERVIEW_HOME": str(terminal.home), "TERM": "xterm-256color"}
    env |= {"PULSE_SINK": sink.name, "PULSE_SOURCE": sink.monitor}
    assignments = " ".join(f"{k}={shlex.quote(v)}" for k, v in env.items())
    status = tmp_path / "exit-status"
    app = f"env {assignments} {COMMAND} --question 2"
    shell = f"{app}; echo $? > {shlex.quote(str(status))}; sleep 30"
    terminal.tmux("new-session", "-d", "-s", "e2e", "-x", "100", "-y", "30", "sh", "-c", shell)
    out = tmp_path / "terminal.out"
    terminal.tmux("pipe-pane", "-t", "e2e", "-o", f"cat > {shlex.quote(str(out))}")
    terminal.wait_for(r"Press Space to start answering", seconds=60)
    terminal.keys("Space")
    terminal.wait_for(r"Recording")
    player = subprocess.Popen(["paplay", f"--device={sink.name}", str(wav)])
    time.sleep(6.0)
    shell_pid = terminal.pid()
    children = subprocess.run(
        ["pgrep", "-P", str(shell_pid)], capture_output=True, text=True
    ).stdout.split()
    assert len(children) == 1, children
    return int(children[0]), player


def check_recovered(home: Path) -> None:
    recovered = cli(home, "sessions", "recover")
    assert recovered.returncode == 0, recovered.stderr
    listing = json.loads(cli(home, "sessions", "list", "--json").stdout)
    assert len(listing) == 1, listing
    shown = json.loads(cli(home, "sessions", "show", str(listing[0]["id"]), "--json").stdout)
    answer = shown["answers"][0]
    assert answer["status"] == "recovered", answer
    audio = Path(answer["audio"])
    audio = audio if audio.is_absolute() else home / audio
    assert 4.5 <= sf.info(str(audio)).duration <= 9.0, answer
    assert "training" in answer["transcript"].lower(), answer


@pytest.mark.parametrize("signum", [signal.SIGTERM, signal.SIGINT], ids=["SIGTERM", "SIGINT"])
def test_a_signal_mid_answer_keeps_it_and_restores_the_terminal(
    terminal: Terminal, sink: Sink, tmp_path: Path, signum: int
) -> None:
    espeak_render(ANSWER, tmp_path / "answer.wav", rate=165)
    pid, player = answer_then(terminal, sink, tmp_path / "answer.wav", tmp_path)
    os.kill(pid, signum)
    try:
        assert pid_gone(pid), f"the app did not exit on {signal.Signals(signum).name}"
    finally:
        player.terminate()
        player.wait(timeout=10)
    status = tmp_path / "exit-status"
    for _ in range(100):
        if status.exists() and status.read_text().strip():
            break
        time.sleep(0.05)
    assert status.read_text().strip() == str(128 + signum), "exit status: 128 + the signal"
    written = (tmp_path / "terminal.out").read_bytes()
    tail = written[written.rindex(b"\x1b[?1049l") :]  # the last leave of the alternate screen
    assert b"\x1b[?1049h" not in tail, "the alternate screen was entered again"
    assert b"\x1b[?25h" in tail, "the cursor is shown again"
    assert b"\x1b[?1000l" in tail and b"\x1b[?1003l" in tail, "mouse tracking is off"
    check_recovered(terminal.home)


def test_the_terminal_closing_mid_answer_keeps_it(
    terminal: Terminal, sink: Sink, tmp_path: Path
) -> None:
    espeak_render(ANSWER, tmp_path / "answer.wav", rate=165)
    pid, player = answer_then(terminal, sink, tmp_path / "answer.wav", tmp_path)
    terminal.tmux("kill-session", "-t", "e2e")  # SIGHUP, and the pty is gone
    try:
        assert pid_gone(pid), "the app did not exit when its terminal closed"
    finally:
        player.terminate()
        player.wait(timeout=10)
    check_recovered(terminal.home)
