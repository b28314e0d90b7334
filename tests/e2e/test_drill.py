"""``mock-interview drill``, the plain-terminal front end: by voice on the test sound server, typed.

The real command in a subprocess: the question is printed and read aloud into the test sink,
an answer is played into the sink while the drill records its monitor, Enter stops it, the
coverage and the missed points are printed, and ``sessions list`` / ``sessions show`` find the
stored answer with its audio and transcript. Typed answers come through stdin.
"""

from __future__ import annotations

import json
import os
import queue
import re
import subprocess
import threading
import time
from pathlib import Path

import pytest
import soundfile as sf

from tests.audio.sound import Sink, espeak_render
from tests.e2e.terminal import COMMAND, cli

ANSWER = (
    "The main signal is a big gap between training and validation accuracy. If training "
    "accuracy is ninety nine percent but validation is seventy five, the model memorizes. "
    "I also watch the learning curves, and I use k fold cross validation."
)
TYPED = "A large gap between training accuracy and validation accuracy.\nI plot learning curves.\n"


class Drill:
    """The drill command running with pipes; its output read line by line as it comes."""

    def __init__(self, home: Path, *args: str, env: dict[str, str] | None = None) -> None:
        self.lines: queue.Queue[str] = queue.Queue()
        self.seen: list[str] = []
        self.process = subprocess.Popen(
            [COMMAND, "drill", *args],
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            stderr=subprocess.STDOUT,
            text=True,
            env={**os.environ, "MOCK_INTERVIEW_HOME": str(home), **(env or {})},
        )
        threading.Thread(target=self._read, daemon=True).start()

    def _read(self) -> None:
        assert self.process.stdout is not None
        for line in self.process.stdout:
            self.lines.put(line)

    def wait_for(self, pattern: str, seconds: float = 60.0) -> str:
        deadline = time.monotonic() + seconds
        while time.monotonic() < deadline:
            try:
                line = self.lines.get(timeout=0.1)
            except queue.Empty:
                continue
            self.seen.append(line)
            if re.search(pattern, line):
                return line
        raise AssertionError(f"{pattern!r} never printed; the output was:\n{''.join(self.seen)}")

    def send(self, text: str) -> None:
        assert self.process.stdin is not None
        self.process.stdin.write(text)
        self.process.stdin.flush()

    def finish(self, seconds: float = 120.0) -> str:
        code = self.process.wait(timeout=seconds)
        while not self.lines.empty():
            self.seen.append(self.lines.get())
        output = "".join(self.seen)
        assert code == 0, output
        return output


def stored(home: Path) -> dict:
    listing = json.loads(cli(home, "sessions", "list", "--json").stdout)
    assert len(listing) == 1, listing
    assert listing[0]["answers"] == 1, listing
    shown = cli(home, "sessions", "show", str(listing[0]["id"]), "--json")
    assert shown.returncode == 0, shown.stderr
    return json.loads(shown.stdout)


@pytest.mark.audio
@pytest.mark.model
def test_drill_by_voice_records_until_enter_scores_and_stores(sink: Sink, tmp_path: Path) -> None:
    espeak_render(ANSWER, tmp_path / "answer.wav", rate=165)
    home = tmp_path / "home"
    drill = Drill(
        home, "--question", "2", env={"PULSE_SINK": sink.name, "PULSE_SOURCE": sink.monitor}
    )
    drill.wait_for(r"How do you detect overfitting\?")
    drill.wait_for(r"Recording… press Enter to stop", seconds=90)
    subprocess.run(
        ["paplay", f"--device={sink.name}", str(tmp_path / "answer.wav")], check=True, timeout=120
    )
    time.sleep(0.5)
    drill.send("\n")
    output = drill.finish()
    coverage = int(re.search(r"Coverage (\d{1,3})%", output).group(1))
    assert coverage >= 40, output
    # what was said, as heard (tiny.en often hears espeak's "validation" as "malination" in
    # the live decodes, which the answer's text now comes from; the stable words are checked)
    assert re.search(r"(?i)you said: .*learning curve", output), output
    assert re.search(r"^Missed: ", output, re.MULTILINE), output
    assert re.search(r"\d+ wpm", output), output
    assert "not read" not in output, output  # the question was read aloud

    answer = stored(home)["answers"][0]
    assert answer["status"] == "done" and answer["mode"] == "voice", answer
    assert "learning curve" in answer["transcript"].lower(), answer
    assert answer["coverage"] == pytest.approx(coverage / 100, abs=0.006)
    audio = Path(answer["audio"])
    assert audio.is_file() and sf.info(str(audio)).duration > 5, answer


def test_drill_typed_reads_stdin_scores_and_stores(tmp_path: Path) -> None:
    home = tmp_path / "home"
    drill = Drill(home, "--question", "2", "--typed", "--no-voice")
    drill.wait_for(r"Type your answer")
    drill.send(TYPED + "\n")
    output = drill.finish()
    assert re.search(r"Coverage \d{1,3}%", output), output
    assert "✗ K-fold cross-validation" in output and "Missed: " in output, output
    assert "✓ Gap between training and validation" in output, output

    answer = stored(home)["answers"][0]
    assert answer["status"] == "done" and answer["mode"] == "typed", answer
    assert answer["transcript"] == TYPED.rstrip("\n"), answer
    assert answer["audio"] is None


def test_drill_names_the_accepted_answer_an_answer_was_scored_against(tmp_path: Path) -> None:
    bank = Path(__file__).parents[1] / "tui" / "data" / "accepted-no-key-points.md"
    drill = Drill(
        tmp_path / "home", "--bank", str(bank), "--question", "1", "--typed", "--no-voice"
    )
    drill.wait_for(r"Type your answer")
    drill.send("Use dropout: it turns off random units while training so they cannot co-adapt.\n\n")
    output = drill.finish()
    assert "Closest accepted answer (the figure is read from it): Add dropout" in output, output


def test_drill_with_an_unknown_question_says_so_in_one_line(tmp_path: Path) -> None:
    result = cli(tmp_path / "home", "drill", "--question", "99", "--typed")
    assert result.returncode == 2
    assert result.stderr.count("\n") == 1 and "no question 99" in result.stderr, result.stderr


def test_drill_exam_asks_follow_ups_and_gives_the_feedback_at_the_end(tmp_path: Path) -> None:
    home = tmp_path / "home"
    drill = Drill(home, "--question", "2", "--question", "4", "--typed", "--no-voice", "--exam")
    drill.wait_for(r"How do you detect overfitting\?")
    drill.send(TYPED + "\n")
    asked = drill.wait_for(r"^Follow-up: ")
    drill.send("It is memorizing them rather than learning.\n\n")
    drill.wait_for(r"What is the difference between L1 and L2")
    drill.send("Lasso.\n\n")
    drill.wait_for(r"^Follow-up: ")
    drill.send("\n")  # declined
    output = drill.finish()
    before, after = output.split("(no answer; skipped)")
    assert "Coverage" not in before, output  # no feedback until the exam is over
    assert after.count("Coverage") == 2, output
    assert "In the follow-up: Memorizing rather than learning" in after, output
    assert asked.strip() in after, output  # each answer's feedback shows its follow-up

    listing = json.loads(cli(home, "sessions", "list", "--json").stdout)
    assert listing[0]["answers"] == 2, listing  # follow-ups are not answers of their own
    shown = json.loads(cli(home, "sessions", "show", str(listing[0]["id"]), "--json").stdout)
    kinds = [(a["question"], a["kind"]) for a in shown["answers"]]
    assert kinds == [(2, "answer"), (2, "follow_up"), (4, "answer")], kinds
    assert shown["answers"][0]["assisted"] and shown["answers"][1]["prompt"] in asked
