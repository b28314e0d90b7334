"""Measure the audio I/O layer on the test sound server (results go to BENCHMARKS.md).

* voice stop latency: time from Voice.stop() to silence on the sink's monitor;
* voice onset: time from Voice.speak() to the first sound;
* voice completeness: voiced seconds heard vs espeak-ng's own rendering of a long answer;
* recording kill -9 loss: seconds a recorder process had been capturing when killed, minus
  the seconds its WAV file holds;
* pyttsx3 2.99 rate check: rates 300/100 alternating over 20 renders, with pyttsx3 alone and
  through audio.espeak.synthesize (pyttsx3 that waits for the rate to take), each in a fresh
  process, against espeak-ng's command line as the reference rendering.

Usage: .venv/bin/python benchmarks/audio_io.py [--trials N]
"""

from __future__ import annotations

import argparse
import os
import platform
import signal
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))

from tests.audio.sound import (  # noqa: E402
    MONITOR_RATE,
    MonitorRecording,
    Sink,
    ensure_sound_server,
    espeak_render,
    frame_dbfs,
    play_file,
    tone,
    voiced_seconds,
    write_wav,
)

LONG_ANSWER = (
    "Gradient descent updates the parameters in the direction of the negative gradient. "
    "The learning rate controls the step size, and too large a rate makes training diverge. "
    "Too small a rate makes it slow. Momentum and adaptive methods such as Adam help in "
    "practice. Regularisation such as weight decay keeps the weights small and reduces "
    "overfitting, while early stopping ends training when the validation loss stops "
    "improving. Finally, batch size trades gradient noise against the cost of each step."
)
FRAME_S = 0.005
SILENT_DBFS = -60.0

RECORDER = """
import sys
from audio.microphone import Recorder
Recorder(sys.argv[1]).start()
print("recording", flush=True)
import time
time.sleep(120)
"""


def _loud_frames(samples, threshold: float = SILENT_DBFS):
    return (frame_dbfs(samples, MONITOR_RATE, FRAME_S) > threshold).nonzero()[0]


def voice_latency(sink: Sink, trials: int, folder: Path) -> tuple[list[float], list[float]]:
    from audio.espeak import EspeakSynthesizer
    from audio.voice import Voice

    stops, onsets = [], []
    with Voice(EspeakSynthesizer(rate=175)) as voice:
        for trial in range(trials):
            with MonitorRecording(sink, folder / "voice.raw") as rec:
                spoken = time.monotonic()
                voice.speak(LONG_ANSWER)
                time.sleep(0.8 + 0.17 * trial)
                stopped = time.monotonic()
                voice.stop()
                voice.wait(5)
                time.sleep(0.5)
            loud = _loud_frames(rec.samples())
            onsets.append(loud[0] * FRAME_S - rec.at(spoken))
            stops.append(max(0.0, (loud[-1] + 1) * FRAME_S - rec.at(stopped)))
    return stops, onsets


def voice_completeness(sink: Sink, folder: Path) -> tuple[float, float]:
    from audio.espeak import EspeakSynthesizer
    from audio.voice import Voice

    reference, rate = espeak_render(LONG_ANSWER, folder / "reference.wav", rate=175)
    with (
        Voice(EspeakSynthesizer(rate=175)) as voice,
        MonitorRecording(sink, folder / "long.raw") as rec,
    ):
        voice.speak(LONG_ANSWER)
        voice.wait(120)
    return voiced_seconds(rec.samples(), MONITOR_RATE), voiced_seconds(reference, rate)


def kill_loss(sink: Sink, trials: int, folder: Path) -> list[float]:
    import soundfile as sf

    source = write_wav(folder / "tone.wav", tone(60.0, freq=330.0))
    player = play_file(source, sink.name)
    losses = []
    try:
        for trial in range(trials):
            out = folder / f"killed-{trial}.wav"
            child = subprocess.Popen(
                [sys.executable, "-c", RECORDER, str(out)],
                cwd=REPO,
                env={**os.environ, "PYTHONPATH": str(REPO)},
                stdout=subprocess.PIPE,
                text=True,
            )
            assert child.stdout is not None
            child.stdout.readline()
            began = time.monotonic()
            time.sleep(3.0 + 0.23 * trial)
            child.send_signal(signal.SIGKILL)
            lived = time.monotonic() - began
            child.wait()
            losses.append(lived - sf.info(out).duration)
    finally:
        player.terminate()
    return losses


PYTTSX3_ALONE = """
import tempfile, threading, os
import pyttsx3, pyttsx3.drivers.espeak as driver
import soundfile as sf
driver.print = lambda *a, **k: None
engine = pyttsx3.init("espeak")
done = threading.Event()
engine.connect("finished-utterance", lambda name=None, completed=True: done.set())
folder = tempfile.mkdtemp()
for i, rate in enumerate((300, 100) * 10):
    path = os.path.join(folder, f"{i}.wav")
    done.clear()
    engine.setProperty("rate", rate)
    engine.save_to_file(TEXT, path)
    engine.runAndWait()
    done.wait(10)
    print(rate, sf.info(path).duration if os.path.exists(path) else -1)
"""
THROUGH_VOICE = """
import time
from audio.espeak import synthesize
for rate in (300, 100) * 10:
    began = time.perf_counter()
    seconds = synthesize(TEXT, rate=rate).duration_s
    print(rate, seconds, time.perf_counter() - began)
"""
RATE_TEXT = "Hello world, how are you today."


def pyttsx3_rates(code: str, reference: dict[int, float]) -> tuple[str, list[float]]:
    """Render RATE_TEXT alternately at rates 300 and 100 in a fresh process (as a long-lived
    engine would when the user changes the rate); count renders at the wrong speed."""
    result = subprocess.run(
        [sys.executable, "-c", f"TEXT = {RATE_TEXT!r}\n{code}"],
        cwd=REPO,
        env={**os.environ, "PYTHONPATH": str(REPO)},
        capture_output=True,
        text=True,
        timeout=120,
    )
    if result.returncode != 0:
        lines = result.stderr.strip().splitlines()
        return (lines[-1] if lines else "failed"), []
    rows = [line.split() for line in result.stdout.splitlines()]
    renders = [(int(row[0]), float(row[1])) for row in rows]
    times = [float(row[2]) for row in rows if len(row) > 2]
    wrong = sum(abs(seconds - reference[rate]) > 0.1 for rate, seconds in renders)
    missing = sum(seconds < 0 for _, seconds in renders)
    return f"{wrong} of {len(renders)} renders at the wrong rate ({missing} missing)", times


def espeak_rates(folder: Path) -> dict[int, float]:
    """espeak-ng's command line, the reference rendering: seconds at rates 300 and 100."""
    durations = {}
    for rate in (300, 100):
        samples, samplerate = espeak_render(RATE_TEXT, folder / f"rate{rate}.wav", rate=rate)
        durations[rate] = len(samples) / samplerate
    return durations


def _summary(values: list[float]) -> str:
    return f"median {statistics.median(values):.3f} s, max {max(values):.3f} s (n={len(values)})"


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--trials", type=int, default=10)
    args = parser.parse_args()
    ensure_sound_server()
    sink = Sink.create(f"mi_bench_{os.getpid()}")
    sink.route_here()  # before sounddevice is imported: PortAudio reads it then
    try:
        with tempfile.TemporaryDirectory() as name:
            folder = Path(name)
            print(
                f"machine: {platform.node()}, {os.cpu_count()} cores, {platform.python_version()}"
            )
            stops, onsets = voice_latency(sink, args.trials, folder)
            print(f"voice stop -> silence on the monitor: {_summary(stops)}")
            print(f"voice speak -> first sound:         {_summary(onsets)}")
            heard, expected = voice_completeness(sink, folder)
            print(f"voice long answer: {heard:.2f} s voiced heard vs {expected:.2f} s espeak-ng -w")
            losses = kill_loss(sink, max(3, args.trials // 2), folder)
            print(f"recording kill -9 loss:             {_summary(losses)}")
            reference = espeak_rates(folder)
            shown = {rate: round(seconds, 2) for rate, seconds in reference.items()}
            print(f"espeak-ng -w (reference), rate -> seconds: {shown}")
            for run in range(3):
                verdict, _ = pyttsx3_rates(PYTTSX3_ALONE, reference)
                print(f"pyttsx3 2.99 alone, rate 300/100 alternating, run {run + 1}: {verdict}")
            for run in range(3):
                verdict, times = pyttsx3_rates(THROUGH_VOICE, reference)
                print(
                    f"audio.espeak.synthesize, rate 300/100 alternating, run {run + 1}: {verdict}; "
                    f"render {_summary(times[1:])}"
                )
    finally:
        sink.remove()
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
