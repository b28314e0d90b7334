"""Stop-to-feedback in the running app: a spoken answer of 30 s or 2 min, then Space.

The real `mock-interview --question 2` runs in tmux, routed to a private PulseAudio null sink;
the answer (model answers spoken by espeak-ng) is played into the sink in real time while the
app records its monitor and transcribes live; Space is sent either 0.5 s after the last word
(the usual case: finish the sentence, then press the key) or right at the last word. The time
is from sending Space to `Coverage NN%` on the screen (tmux polled every 20 ms).
Run: .venv/bin/python benchmarks/app_stop_latency.py [--lengths 30 120] [--pauses 0.5 0]
"""

from __future__ import annotations

import argparse
import os
import re
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import soundfile as sf

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from content.bank import load_bank  # noqa: E402
from tests.audio.sound import Sink, ensure_sound_server, espeak_render  # noqa: E402
from tests.e2e.terminal import Terminal  # noqa: E402


def answer_audio(seconds: float, folder: Path) -> Path:
    """Model answers spoken one after another, cut at a sentence end near ``seconds``."""
    texts = [q.model_answer for q in load_bank().questions]
    words: list[str] = []
    path = folder / f"answer-{int(seconds)}.wav"
    for text in texts:
        words += text.split()
        espeak_render(" ".join(words), path, rate=165)
        if sf.info(str(path)).duration >= seconds:
            break
    return path


def one_run(audio: Path, pause_s: float, home: Path) -> float:
    sink = Sink.create(f"mi_bench_{os.getpid()}_{int(time.time() * 1000) % 100000}")
    terminal = Terminal(100, 30, home)
    try:
        terminal.start(
            "--question", "2", env={"PULSE_SINK": sink.name, "PULSE_SOURCE": sink.monitor}
        )
        terminal.wait_for(r"Press Space", seconds=60)
        time.sleep(4)  # the question is read; the model loads
        terminal.keys("Space")
        terminal.wait_for(r"Recording")
        subprocess.run(["paplay", f"--device={sink.name}", str(audio)], check=True)
        time.sleep(pause_s)
        start = time.monotonic()
        terminal.keys("Space")
        deadline = start + 120
        while time.monotonic() < deadline:
            if re.search(r"Coverage \d{1,3}%", terminal.screen()):
                return time.monotonic() - start
            time.sleep(0.02)
        raise RuntimeError("no feedback within 120 s")
    finally:
        terminal.close()
        sink.remove()


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--lengths", type=float, nargs="+", default=[30, 120])
    parser.add_argument(
        "--pauses",
        type=float,
        nargs="+",
        default=[0.5, 0.0],
        help="seconds from last word to Space",
    )
    args = parser.parse_args()
    ensure_sound_server()
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        print("| answer | stop | Space -> feedback on screen | load average |")
        print("| --- | --- | --- | --- |")
        for seconds in args.lengths:
            audio = answer_audio(seconds, folder)
            length = sf.info(str(audio)).duration
            for pause_s in args.pauses:
                label = f"{pause_s:g} s after the last word" if pause_s else "at the last word"
                home = folder / f"home-{int(seconds)}-{pause_s}"
                took = one_run(audio, pause_s, home)
                load = os.getloadavg()[0]
                print(f"| {length:.0f} s | {label} | {took:.2f} s | {load:.1f} |", flush=True)


if __name__ == "__main__":
    main()
