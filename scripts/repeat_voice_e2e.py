"""Run the voice end-to-end tests many times in a row and report passes and failures.

A flake seen once in a full run under load is only explained by running the same tests again
and again: this runs ``pytest`` on the voice e2e tests ``--runs`` times (default 20), each run
under the shared suite lock (``/tmp/mi-suite.lock``, taken per run so other work can
interleave), keeps the output of every failed run in ``--logs``, and prints one line per run
and a summary. Exit status 1 if any run failed.

    .venv/bin/python scripts/repeat_voice_e2e.py [--runs 20] [--logs /tmp/voice-e2e-runs]
        [tests/e2e/test_voice_terminal.py ...]
"""

from __future__ import annotations

import argparse
import fcntl
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
DEFAULT_TESTS = ["tests/e2e/test_voice_terminal.py"]
LOCK = Path("/tmp/mi-suite.lock")


def run_once(tests: list[str]) -> tuple[bool, float, str]:
    with LOCK.open("a") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        started = time.monotonic()
        done = subprocess.run(
            [sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider", *tests],
            cwd=ROOT,
            capture_output=True,
            text=True,
        )
        elapsed = time.monotonic() - started
    return done.returncode == 0, elapsed, done.stdout + done.stderr


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=20)
    parser.add_argument("--logs", type=Path, default=Path("/tmp/voice-e2e-runs"))
    parser.add_argument("tests", nargs="*", default=DEFAULT_TESTS)
    args = parser.parse_args()
    args.logs.mkdir(parents=True, exist_ok=True)
    failed: list[int] = []
    for run in range(1, args.runs + 1):
        ok, elapsed, output = run_once(args.tests)
        summary = output.strip().splitlines()[-1] if output.strip() else "(no output)"
        print(
            f"run {run:2d}/{args.runs}: {'pass' if ok else 'FAIL'} in {elapsed:5.1f} s: {summary}"
        )
        sys.stdout.flush()
        if not ok:
            failed.append(run)
            (args.logs / f"run-{run:02d}.log").write_text(output)
    passed = args.runs - len(failed)
    print(
        f"{passed} of {args.runs} runs passed"
        + (f"; failed: {failed} (logs in {args.logs})" if failed else "")
    )
    return 1 if failed else 0


if __name__ == "__main__":
    raise SystemExit(main())
