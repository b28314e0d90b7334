"""Space-to-feedback in the running app, for spoken answers of 20 s to 5 minutes.

The real `mock-interview --question 2` runs in tmux, routed to a private PulseAudio null sink;
the answer (sentences of the bank's model answers spoken by espeak-ng, joined until the answer
is about the asked length, cut to end at its last sound) is played into the sink in real time
while the app records its monitor and transcribes live; Space is sent a set time after the last
word: 0 (right at it: the key pressed as the last word ends) or 2.5 s (what hands-free mode's
end of answer detection waits). The time is from sending Space to `Coverage NN%` on the screen
(tmux polled every 20 ms). Each case runs ``--repeat`` times (a fresh app each time); the
median is reported, with every run's figure and where the app's own time went (from the
timings log the app writes when ``MOCK_INTERVIEW_TIMINGS_LOG`` is set: stopping the recorder,
the live transcription's finish and what it decoded, scoring).

The app runs with the environment of this script (``OPENBLAS_NUM_THREADS`` as the app gets it:
unset unless set here). Run under the shared lock:
flock /tmp/mi-suite.lock .venv/bin/python benchmarks/app_stop_latency.py \
    [--lengths 20 60 120 300] [--pauses 0 2.5] [--repeat 3]
"""

from __future__ import annotations

import argparse
import json
import os
import re
import statistics
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import soundfile as sf

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from content.bank import load_bank  # noqa: E402
from simulator.answering import TIMINGS_LOG  # noqa: E402
from tests.audio.sound import Sink, ensure_sound_server  # noqa: E402
from tests.e2e.terminal import Terminal  # noqa: E402

RATE = 165  # espeak-ng words per minute


@dataclass
class Run:
    seconds: float  # Space -> Coverage on screen
    timings: dict[str, float]
    load: float


def sentences() -> list[str]:
    texts = [q.model_answer for q in load_bank().questions]
    return [s for text in texts for s in re.split(r"(?<=[.!?])\s+", text) if s.strip()]


def render(text: str, path: Path) -> float:
    subprocess.run(  # the text on stdin: a sentence may start with "-"
        ["espeak-ng", "-s", str(RATE), "-w", str(path)],
        input=text.encode(),
        check=True,
        timeout=120,
    )
    return float(sf.info(str(path)).duration)


def answer_audio(seconds: float, folder: Path) -> Path:
    """Sentences of the model answers, in bank order, until about ``seconds`` of speech, ending
    at the last sound (so that playback ends at the last word)."""
    chosen: list[str] = []
    total = 0.0
    for n, sentence in enumerate(sentences()):
        total += render(sentence, folder / f"sentence-{n}.wav")
        chosen.append(sentence)
        if total >= seconds:
            break
    path = folder / f"answer-{int(seconds)}.wav"
    render(" ".join(chosen), path)
    samples, rate = sf.read(str(path), dtype="float32")
    loud = np.flatnonzero(np.abs(samples) > 0.02)
    sf.write(str(path), samples[: loud[-1] + 1], rate)
    return path


def one_run(audio: Path, pause_s: float, home: Path, cache: Path) -> Run:
    home.mkdir(parents=True)
    (home / "cache").symlink_to(cache)  # the embedding model unpacked once for every run
    (home / "config.toml").write_text("[interview]\ntime_limit_s = 900\n")
    log = home / "timings.jsonl"
    sink = Sink.create(f"mi_bench_{os.getpid()}_{int(time.time() * 1000) % 100000}")
    terminal = Terminal(100, 30, home)
    try:
        env = {"PULSE_SINK": sink.name, "PULSE_SOURCE": sink.monitor, TIMINGS_LOG: str(log)}
        terminal.start("--question", "2", env=env)
        terminal.wait_for(r"Press Space", seconds=60)
        time.sleep(4)  # the question is read; the models load
        terminal.keys("Space")
        terminal.wait_for(r"Recording")
        subprocess.run(["paplay", f"--device={sink.name}", str(audio)], check=True)
        time.sleep(pause_s)
        start = time.monotonic()
        terminal.keys("Space")
        deadline = start + 120
        while time.monotonic() < deadline:
            if re.search(r"Coverage \d{1,3}%", terminal.screen()):
                took = time.monotonic() - start
                break
            time.sleep(0.02)
        else:
            raise RuntimeError("no feedback within 120 s")
        lines = log.read_text().splitlines() if log.exists() else []
        timings = json.loads(lines[-1]) if lines else {}
        return Run(took, timings, os.getloadavg()[0])
    finally:
        terminal.close()
        sink.remove()


def breakdown(runs: list[Run]) -> str:
    """Medians of where the app's time went."""

    def med(key: str) -> float:
        values = [r.timings[key] for r in runs if key in r.timings]
        return statistics.median(values) if values else float("nan")

    return (
        f"recorder stop {med('stop_s'):.2f}, finish {med('finish_s'):.2f} "
        f"(waited {med('finish_wait_s'):.2f}; decoded {med('tail_s'):.1f} s, "
        f"reused {med('reused_s'):.1f} s), scoring {med('score_s'):.2f}"
    )


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--lengths", type=float, nargs="+", default=[20, 60, 120, 300])
    parser.add_argument(
        "--pauses",
        type=float,
        nargs="+",
        default=[0.0, 2.5],
        help="seconds from last word to Space",
    )
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()
    ensure_sound_server()
    print(
        f"OPENBLAS_NUM_THREADS={os.environ.get('OPENBLAS_NUM_THREADS', '(unset)')}, "
        f"{os.cpu_count()} cores, load average at start {os.getloadavg()[0]:.1f}"
    )
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        cache = folder / "cache"
        cache.mkdir()
        print(
            "| answer | Space | Space -> feedback, median | runs | in the app (medians, s) "
            "| load average |"
        )
        print("| --- | --- | --- | --- | --- | --- |")
        for seconds in args.lengths:
            audio = answer_audio(seconds, folder)
            length = sf.info(str(audio)).duration
            for pause_s in args.pauses:
                label = f"{pause_s:g} s after the last word" if pause_s else "at the last word"
                runs = [
                    one_run(audio, pause_s, folder / f"home-{int(seconds)}-{pause_s}-{k}", cache)
                    for k in range(args.repeat)
                ]
                took = statistics.median(r.seconds for r in runs)
                each = ", ".join(f"{r.seconds:.2f}" for r in runs)
                loads = ", ".join(f"{r.load:.1f}" for r in runs)
                print(
                    f"| {length:.0f} s | {label} | **{took:.2f} s** | {each} | {breakdown(runs)} "
                    f"| {loads} |",
                    flush=True,
                )


if __name__ == "__main__":
    main()
