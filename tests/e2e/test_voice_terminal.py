"""Voice mode in a real terminal on the test sound server, with the real bundled model.

`mock-interview --question 2`: the question is heard on the sink's monitor; Space, an answer
played into the sink, Space, and the feedback shows. Then the fault users fear most: the app
killed with SIGKILL 8 s into a spoken answer, and `sessions recover` brings the answer back with
its audio, duration and transcript.
"""

from __future__ import annotations

import json
import os
import re
import signal
import subprocess
import time
from pathlib import Path

import pytest
import soundfile as sf

from tests.audio.sound import Sink, espeak_render
from tests.e2e.terminal import Terminal, cli

pytestmark = [pytest.mark.audio, pytest.mark.model]

ANSWER = (
    "The main signal is a big gap between training and validation accuracy. If training "
    "accuracy is ninety nine percent but validation is seventy five, the model memorizes. "
    "I also watch the learning curves, and I use k fold cross validation."
)
LONG_ANSWER = " ".join([ANSWER] * 2)


def start_voice_app(terminal: Terminal, sink: Sink) -> None:
    terminal.start("--question", "2", env={"PULSE_SINK": sink.name, "PULSE_SOURCE": sink.monitor})
    terminal.wait_for(r"How do you detect overfitting\?")
    terminal.wait_for(r"Press Space to start answering", seconds=60)


def record_monitor(sink: Sink, path: Path) -> subprocess.Popen[bytes]:
    return subprocess.Popen(
        ["parecord", f"--device={sink.monitor}", "--rate=16000", "--channels=1",
         "--file-format=wav", str(path)],
    )  # fmt: skip


def play(sink: Sink, path: Path) -> None:
    subprocess.run(["paplay", f"--device={sink.name}", str(path)], check=True, timeout=120)


def test_question_is_heard_and_a_spoken_answer_gets_feedback(
    terminal: Terminal, sink: Sink, tmp_path: Path
) -> None:
    espeak_render(ANSWER, tmp_path / "answer.wav", rate=165)
    heard = tmp_path / "heard.wav"
    recorder = record_monitor(sink, heard)
    start_voice_app(terminal, sink)
    time.sleep(4)  # the question takes about 2 s to say; let it finish on the monitor
    recorder.send_signal(signal.SIGINT)
    recorder.wait(timeout=10)

    from audio.transcriber import Transcriber

    said = Transcriber().transcribe(heard).text.lower()
    assert "overfitting" in said or "over fitting" in said, said

    terminal.keys("Space")
    terminal.wait_for(r"Recording")
    play(sink, tmp_path / "answer.wav")
    time.sleep(0.5)
    stopped = time.monotonic()
    terminal.keys("Space")
    screen = terminal.wait_for(r"Coverage \d{1,3}%", seconds=30)
    blink = time.monotonic() - stopped
    print(f"stop to feedback on screen: {blink:.2f} s")
    screen = terminal.wait_settled(r"Coverage \d{1,3}%")  # the rest of the screen drawn too
    coverage = int(re.search(r"Coverage (\d{1,3})%", screen).group(1))
    assert coverage >= 40, screen
    assert re.search(r"(?i)validation", screen), screen
    assert re.search(r"\d+ wpm", screen), screen


def test_sigkill_mid_answer_then_recover_keeps_audio_duration_and_transcript(
    terminal: Terminal, sink: Sink, tmp_path: Path
) -> None:
    espeak_render(LONG_ANSWER, tmp_path / "answer.wav", rate=165)
    start_voice_app(terminal, sink)
    terminal.keys("Space")
    terminal.wait_for(r"Recording")
    started = time.monotonic()
    player = subprocess.Popen(["paplay", f"--device={sink.name}", str(tmp_path / "answer.wav")])
    time.sleep(max(0.0, 8.0 - (time.monotonic() - started)))
    os.kill(terminal.pid(), signal.SIGKILL)
    player.terminate()
    player.wait(timeout=10)
    assert terminal.wait_gone(), "the app survived SIGKILL"

    recovered = cli(terminal.home, "sessions", "recover")
    assert recovered.returncode == 0, recovered.stderr
    listing = json.loads(cli(terminal.home, "sessions", "list", "--json").stdout)
    assert len(listing) == 1
    shown = cli(terminal.home, "sessions", "show", str(listing[0]["id"]), "--json")
    answer = json.loads(shown.stdout)["answers"][0]
    assert answer["status"] == "recovered", answer
    audio = Path(answer["audio"])
    audio = audio if audio.is_absolute() else terminal.home / audio
    assert audio.is_file(), answer
    assert 6.5 <= sf.info(str(audio)).duration <= 9.5
    assert 6.5 <= answer["duration_s"] <= 9.5, answer
    assert "validation" in answer["transcript"].lower(), answer
