"""Issue 11's limits: a 5,000-question bank, the damage check on a big history, a long recording.

1. A bank of 5,000 questions (the built-in 30, renumbered over and over, written as one Markdown
   file) is opened with ``load_bank``: the median of 3 runs. Target < 1 s.
2. ``--history PATH`` (e.g. one kept by ``benchmarks/store.py --keep PATH``): the time the
   damage check at open (``PRAGMA quick_check``, read-only) adds to ``Store.open``.
3. ``--record-seconds N`` (needs the sound server; ``make sound-server``): a real
   :class:`audio.microphone.Recorder` records N seconds from the default input while the
   process's resident memory is sampled every second; prints the start, peak and end RSS and
   the growth per minute. Flat memory means the growth per minute is ~0 (the recorder writes
   each block to disk and keeps nothing); a 20-minute answer is ``--record-seconds 1200``.

    .venv/bin/python benchmarks/limits.py [--questions 5000] [--history PATH]
                                          [--record-seconds 1200]
"""

from __future__ import annotations

import argparse
import re
import statistics
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from content.bank import builtin_bank_path, load_bank  # noqa: E402


def rss_mb() -> float:
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
    return 0.0


def big_bank(questions: int, folder: Path) -> Path:
    """The built-in bank's questions repeated until there are ``questions`` of them."""
    text = builtin_bank_path().read_text(encoding="utf-8")
    head, _, _ = text.partition("\n## ")
    blocks = re.split(r"(?m)^(?=### Q\d+\.)", text)
    bodies = [b for b in blocks if b.startswith("### Q")]
    lines = [head.rstrip(), "", "## Everything", ""]
    for number in range(1, questions + 1):
        body = bodies[(number - 1) % len(bodies)]
        body = re.sub(r"^### Q\d+\.", f"### Q{number}.", body, count=1)
        lines.append(body.split("\n## ")[0].rstrip() + "\n")
    path = folder / "big.md"
    path.write_text("\n".join(lines), encoding="utf-8")
    return path


def time_bank(questions: int) -> None:
    with tempfile.TemporaryDirectory() as folder:
        path = big_bank(questions, Path(folder))
        times = []
        for _ in range(3):
            started = time.perf_counter()
            bank = load_bank(str(path))
            times.append(time.perf_counter() - started)
        size = path.stat().st_size / 1e6
        print(
            f"bank of {len(bank.questions)} questions ({size:.1f} MB): load_bank median "
            f"{statistics.median(times):.3f} s (runs {', '.join(f'{t:.3f}' for t in times)})"
        )


def time_check(history: Path) -> None:
    from simulator.store import Store
    from simulator.store.damage import inspect

    times = []
    for _ in range(3):
        started = time.perf_counter()
        problem = inspect(history)
        times.append(time.perf_counter() - started)
    opens = []
    for _ in range(3):
        started = time.perf_counter()
        Store.open(history).close()
        opens.append(time.perf_counter() - started)
    size = history.stat().st_size / 1e6
    print(
        f"damage check of {history} ({size:.1f} MB): median {statistics.median(times):.3f} s "
        f"({problem or 'sound'}); Store.open with it: median {statistics.median(opens):.3f} s"
    )


def record(seconds: float) -> None:
    from audio.microphone import Recorder, warm_up

    warm_up()
    samples: list[float] = []
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "long.wav"
        recorder = Recorder(path)
        recorder.start()
        started = time.monotonic()
        samples.append(rss_mb())
        while time.monotonic() - started < seconds:
            time.sleep(1.0)
            samples.append(rss_mb())
        recording = recorder.stop()
        size = path.stat().st_size / 1e6
    minutes = max(seconds / 60, 1e-9)
    settled = samples[min(5, len(samples) - 1)]  # after the stream's first seconds
    print(
        f"recorded {recording.duration_s:.1f} s ({size:.1f} MB on disk): RSS start "
        f"{samples[0]:.1f} MB, peak {max(samples):.1f} MB, end {samples[-1]:.1f} MB; growth "
        f"after the first 5 s {(samples[-1] - settled) / minutes:+.2f} MB per minute"
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--questions", type=int, default=5000)
    parser.add_argument("--history", type=Path, default=None)
    parser.add_argument("--record-seconds", type=float, default=0.0)
    args = parser.parse_args()
    time_bank(args.questions)
    if args.history is not None:
        time_check(args.history)
    if args.record_seconds > 0:
        record(args.record_seconds)


if __name__ == "__main__":
    main()
