"""Start-up time: from launching ``mock-interview`` in a real terminal to the question on screen.

Runs ``mock-interview --typed --no-voice --question 4`` in a tmux server of its own, polls
``capture-pane`` every 5 ms until the question text appears, and reports the median of 5 runs
(after one warm-up run, so the figure is a warm start: files in the page cache). Writes the
``## Start-up`` section of BENCHMARKS.md (only that section).

    .venv/bin/python benchmarks/startup.py [--runs 5] [--no-write]
"""

from __future__ import annotations

import argparse
import os
import re
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
COMMAND = Path(sys.executable).parent / "mock-interview"
QUESTION = "What is the difference between L1 and L2 regularization?"
TARGET_S = 0.5


def tmux(socket: str, *args: str) -> str:
    return subprocess.run(
        ["tmux", "-L", socket, *args], capture_output=True, text=True, timeout=20
    ).stdout


APP_ALONE = (
    "from content.bank import load_bank; from simulator.session import SessionSettings; "
    "from simulator.tui.app import InterviewApp; "
    "InterviewApp(load_bank(), SessionSettings(mode='typed', read_aloud=False, questions=(4,)), "
    "start_screen='interview').run()"
)
"""The same screen without the CLI: what the app itself costs, apart from the subcommands the
CLI imports before it (``simulator.commands`` loads every subcommand module eagerly)."""


def one_run(home: Path, run: int, argv: str, width: int = 100, height: int = 30) -> float:
    socket = f"mi-startup-{os.getpid()}-{run}"  # a fresh server each run: no reuse while dying
    command = f"env MOCK_INTERVIEW_HOME={home} TERM=xterm-256color {argv}"
    started = time.perf_counter()
    tmux(socket, "new-session", "-d", "-s", "s", "-x", str(width), "-y", str(height), command)
    try:
        deadline = started + 30
        while time.perf_counter() < deadline:
            if QUESTION in tmux(socket, "capture-pane", "-p", "-t", "s"):
                return time.perf_counter() - started
            time.sleep(0.005)
        screen = tmux(socket, "capture-pane", "-p", "-t", "s")
        raise SystemExit(f"the question never appeared:\n{screen}")
    finally:
        tmux(socket, "kill-server")
        folder = Path(os.environ.get("TMUX_TMPDIR", "/tmp")) / f"tmux-{os.getuid()}"
        (folder / socket).unlink(missing_ok=True)


def measure(home: Path, argv: str, runs: int, first: int) -> list[float]:
    one_run(home, first, argv)  # warm-up
    return [one_run(home, first + run, argv) for run in range(1, runs + 1)]


def write_section(text: str) -> None:
    path = REPO / "BENCHMARKS.md"
    current = path.read_text(encoding="utf-8") if path.exists() else "# Benchmarks\n"
    pattern = re.compile(r"^## Start-up\n.*?(?=^## |\Z)", re.MULTILINE | re.DOTALL)
    section = text.rstrip("\n") + "\n\n"
    if pattern.search(current):
        updated = pattern.sub(lambda _: section, current)
    else:
        updated = current.rstrip("\n") + "\n\n" + section
    path.write_text(updated.rstrip("\n") + "\n", encoding="utf-8")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--no-write", action="store_true", help="print, do not edit BENCHMARKS.md")
    args = parser.parse_args()
    command = f"{COMMAND} --typed --no-voice --question 4"
    alone = f'{sys.executable} -c "{APP_ALONE}"'
    with tempfile.TemporaryDirectory() as tmp:
        times = measure(Path(tmp), command, args.runs, 0)
        app_times = measure(Path(tmp), alone, args.runs, 100)
    median, app_median = statistics.median(times), statistics.median(app_times)
    load = os.getloadavg()[0]
    runs = ", ".join(f"{t * 1000:.0f}" for t in times)
    app_runs = ", ".join(f"{t * 1000:.0f}" for t in app_times)
    print(f"launch to question on screen: median {median * 1000:.0f} ms ({runs} ms)")
    print(f"the app alone, without the CLI: median {app_median * 1000:.0f} ms ({app_runs} ms)")
    verdict = "within" if median <= TARGET_S else "over"
    section = (
        "## Start-up\n\n"
        "`.venv/bin/python benchmarks/startup.py`: time from launching "
        "`mock-interview --typed --no-voice --question 4` in a tmux terminal (100x30) until "
        "the question text shows in `capture-pane` (polled every 5 ms), median of "
        f"{len(times)} runs after one warm-up run. Target: {TARGET_S * 1000:.0f} ms. "
        "The Whisper model, sounddevice, the speech engine and the store are loaded only in "
        "workers started after the first paint. The second row starts the same screen "
        "without the CLI, which imports every subcommand module first (about 140 ms on an "
        "idle machine in `python -X importtime -c 'import simulator.commands'`, 80 ms of it "
        "`simulator.commands.score` importing `simulator.scoring` and numpy); importing those "
        "inside the subcommand handlers would take it off the start-up.\n\n"
        "| measure | median | runs |\n| --- | --- | --- |\n"
        f"| `mock-interview` launch to question on screen | {median * 1000:.0f} ms "
        f"({verdict} target) | {runs} ms |\n"
        f"| the app alone (`InterviewApp(...).run()`) | {app_median * 1000:.0f} ms | "
        f"{app_runs} ms |\n"
        f"| tmux + interpreter floor (`python -c print`) | about 45 ms | |\n\n"
        f"Load average when measured: {load:.1f} on {os.cpu_count()} cores. Other work on the "
        "machine slows every figure: at a load of 3-4 the command measured 0.7-1.1 s.\n"
    )
    if not args.no_write:
        write_section(section)


if __name__ == "__main__":
    main()
