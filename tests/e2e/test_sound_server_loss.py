"""The sound server dying mid-answer, for real: a PulseAudio server of this test's own is killed
with SIGKILL while the app records from it.

The app runs in a real terminal with its microphone and voice on a private PulseAudio server
(its own socket, null sink and runtime folder), so killing it touches no other test. What the
user must see: the words said before the server died scored as the answer, a message that names
what happened and says the next questions are typed, a screen not garbled by the audio
library's own complaints, and the answer with its audio in the history.
"""

from __future__ import annotations

import json
import os
import subprocess
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest
import soundfile as sf

from tests.audio.sound import espeak_render
from tests.e2e.terminal import Terminal, cli

pytestmark = [pytest.mark.audio, pytest.mark.model]

ANSWER = (
    "The main signal is a big gap between training and validation accuracy. If training "
    "accuracy is ninety nine percent but validation is seventy five, the model memorizes. "
    "I also watch the learning curves."
)


@dataclass
class PrivateServer:
    """A PulseAudio daemon with one null sink, reachable only through its own socket."""

    process: subprocess.Popen[bytes]
    socket: Path
    sink: str = "psink"

    @property
    def address(self) -> str:
        return f"unix:{self.socket}"

    def env(self) -> dict[str, str]:
        return {
            "PULSE_SERVER": self.address,
            "PULSE_SINK": self.sink,
            "PULSE_SOURCE": f"{self.sink}.monitor",
        }

    def run(self, *argv: str) -> subprocess.CompletedProcess[bytes]:
        return subprocess.run(
            [*argv, f"--server={self.address}"], capture_output=True, timeout=60, check=False
        )

    def kill(self) -> None:
        if self.process.poll() is None:
            self.process.kill()
        self.process.wait(timeout=10)


@pytest.fixture
def server(tmp_path: Path) -> Iterator[PrivateServer]:
    runtime = tmp_path / "pulse"
    runtime.mkdir()
    socket = runtime / "native"
    env = {
        **os.environ,
        "HOME": str(runtime),
        "PULSE_RUNTIME_PATH": str(runtime),
        "PULSE_STATE_PATH": str(runtime),
    }
    process = subprocess.Popen(
        ["pulseaudio", "-n", "--daemonize=no", "--exit-idle-time=-1", "--use-pid-file=no",
         "--disallow-exit", "--log-target=stderr",
         "-L", f"module-native-protocol-unix socket={socket} auth-anonymous=1",
         "-L", "module-null-sink sink_name=psink"],
        env=env, stdout=subprocess.DEVNULL, stderr=(runtime / "log").open("wb"),
    )  # fmt: skip
    own = PrivateServer(process, socket)
    deadline = time.monotonic() + 20
    while own.run("pactl", "info").returncode != 0:
        if process.poll() is not None or time.monotonic() > deadline:
            log = (runtime / "log").read_text(errors="replace")
            own.kill()
            pytest.fail(f"the private PulseAudio server did not start:\n{log}", pytrace=False)
        time.sleep(0.1)
    yield own
    own.kill()


def test_the_sound_server_killed_mid_answer_keeps_and_scores_what_was_said(
    terminal: Terminal, server: PrivateServer, tmp_path: Path
) -> None:
    espeak_render(ANSWER, tmp_path / "answer.wav", rate=165)
    terminal.start("--question", "2", "--question", "3", env=server.env())
    terminal.wait_for(r"How do you detect overfitting\?")
    terminal.wait_for(r"Press Space to start answering", seconds=60)
    time.sleep(3)  # the question is read aloud on the same server; let the voice finish
    terminal.keys("Space")
    terminal.wait_for(r"Recording")
    played = server.run("paplay", f"--device={server.sink}", str(tmp_path / "answer.wav"))
    assert played.returncode == 0, played.stderr
    time.sleep(1.0)
    server.kill()

    screen = terminal.wait_settled(r"Coverage \d{1,3}%", seconds=60)
    assert "memoriz" in screen.lower(), screen  # the words said before the server died
    screen = terminal.wait_for(r"(?i)recording stopped\s+early", seconds=10)
    assert "pa_linux_alsa" not in screen and "Expression '" not in screen, screen

    terminal.keys("n")  # on to the next question: the microphone is gone, so it is typed
    terminal.wait_for(r"Type your answer", seconds=30)
    terminal.keys("C-q")
    assert terminal.wait_gone(), terminal.screen()

    listing = json.loads(cli(terminal.home, "sessions", "list", "--json").stdout)
    assert len(listing) == 1, listing
    shown = cli(terminal.home, "sessions", "show", str(listing[0]["id"]), "--json")
    answer = json.loads(shown.stdout)["answers"][0]
    assert answer["status"] == "done", answer
    assert "memoriz" in answer["transcript"].lower(), answer
    audio = Path(answer["audio"])
    audio = audio if audio.is_absolute() else terminal.home / audio
    assert sf.info(str(audio)).duration >= 5.0, answer
    assert server.process.returncode is not None
