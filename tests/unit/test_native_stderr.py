"""C libraries' stderr goes to a log while the app runs; Python's stderr still reaches the
terminal, and everything is put back afterwards. Run in a child process so the descriptors
are its own, as in the app."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

CHILD = """
import os, sys
from pathlib import Path
from simulator.tui.native_stderr import kept_off_the_screen
with kept_off_the_screen(Path(sys.argv[1])) as log:
    os.write(2, b"Expression 'alsa_snd_pcm' failed\\n")   # what PortAudio does
    sys.stderr.write("python text\\n")                      # what Textual and tracebacks do
    sys.__stderr__.write("driver text\\n")
    sys.stderr.flush(); sys.__stderr__.flush()
    print(log)
os.write(2, b"after\\n")
"""


def test_native_output_goes_to_the_log_and_python_output_to_the_terminal(tmp_path: Path) -> None:
    result = subprocess.run(
        [sys.executable, "-c", CHILD, str(tmp_path / "cache")],
        capture_output=True,
        text=True,
        timeout=60,
        cwd=Path(__file__).resolve().parents[2],
    )
    assert result.returncode == 0, result.stderr
    log = Path(result.stdout.strip())
    assert log == tmp_path / "cache" / "native-stderr.log"
    assert log.read_text() == "Expression 'alsa_snd_pcm' failed\n"
    assert result.stderr == "python text\ndriver text\nafter\n"


def test_a_folder_that_cannot_be_made_drops_native_output_instead(tmp_path: Path) -> None:
    blocker = tmp_path / "file"
    blocker.write_text("")
    result = subprocess.run(
        [sys.executable, "-c", CHILD, str(blocker / "cache")],
        capture_output=True,
        text=True,
        timeout=60,
        cwd=Path(__file__).resolve().parents[2],
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "None"
    assert "alsa_snd_pcm" not in result.stderr
    assert result.stderr == "python text\ndriver text\nafter\n"
