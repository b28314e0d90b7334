"""`mock-interview devices|say|record`: bad input and missing devices are one-line errors."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from simulator.cli import main

REPO = Path(__file__).resolve().parents[2]
NO_SERVER = {"PULSE_SERVER": "unix:/nonexistent"}  # PortAudio then has no device at all


def _cli(*args: str, env: dict[str, str] | None = None) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "simulator", *args],
        cwd=REPO,
        env={**os.environ, "PYTHONPATH": str(REPO), **(env or {})},
        capture_output=True,
        text=True,
        timeout=60,
    )


def _one_line_error(result: subprocess.CompletedProcess[str]) -> str:
    assert result.returncode == 2, result.stderr
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1, result.stderr
    assert "Traceback" not in result.stderr
    return lines[0]


def test_record_without_any_device_is_a_one_line_error(tmp_path):
    line = _one_line_error(_cli("record", str(tmp_path / "a.wav"), "--seconds", "1", env=NO_SERVER))
    assert line.startswith("mock-interview: error: no microphone found")
    assert not (tmp_path / "a.wav").exists()


def test_say_without_sound_output_is_a_one_line_error():
    line = _one_line_error(_cli("say", "Hello.", env=NO_SERVER))
    assert line.startswith("mock-interview: error: no sound output device")


def test_say_without_espeak_ng_says_how_to_install_it(tmp_path):
    # An unloadable libespeak-ng.so.1 found first: pyttsx3's espeak driver cannot load.
    (tmp_path / "libespeak-ng.so.1").write_text("not a library\n")
    env = {"LD_LIBRARY_PATH": str(tmp_path)}
    line = _one_line_error(
        subprocess.run(
            [sys.executable, "-m", "simulator", "say", "Hello."],
            cwd=REPO,
            env={**os.environ, "PYTHONPATH": str(REPO), **env},
            capture_output=True,
            text=True,
            timeout=60,
        )
    )
    assert "sudo apt-get install espeak-ng" in line


def test_devices_without_any_device_says_none_found():
    result = _cli("devices", env=NO_SERVER)
    assert result.returncode == 0, result.stderr
    assert result.stdout.count("none found") == 2


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["record", "out.wav"], "--seconds"),
        (["record", "out.wav", "--seconds", "0"], "must be more than 0"),
        (["record", "out.wav", "--seconds", "abc"], "is not a number of seconds"),
        (["say", "hi", "--rate", "5"], "between 20 and 1000"),
    ],
)
def test_bad_arguments_are_one_line_usage_errors(args, message, capsys):
    with pytest.raises(SystemExit) as exit_info:
        main(args)
    assert exit_info.value.code == 2
    err = capsys.readouterr().err.strip().splitlines()
    assert len(err) == 1 and message in err[0]


def test_record_refuses_to_overwrite_and_wants_wav(tmp_path, capsys):
    existing = tmp_path / "kept.wav"
    existing.write_bytes(b"precious")
    assert main(["record", str(existing), "--seconds", "1"]) == 2
    assert "already exists" in capsys.readouterr().err
    assert existing.read_bytes() == b"precious"
    assert main(["record", str(tmp_path / "a.mp3"), "--seconds", "1"]) == 2
    assert "must be a .wav file" in capsys.readouterr().err


def test_say_refuses_empty_text(capsys):
    assert main(["say", "   "]) == 2
    assert "TEXT is empty" in capsys.readouterr().err
