"""Hands-free as a setting and a flag: `interview.hands_free`, `interview.end_silence_s`,
`--hands-free/--no-hands-free`; bad values are the config's one-line errors."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from simulator import locations
from simulator.cli import build_parser
from simulator.commands.interview import plan
from simulator.config import ConfigError, load_config

ROOT = Path(__file__).resolve().parents[2]


def write(folder: Path, text: str) -> Path:
    path = folder / "config.toml"
    path.write_text(text, encoding="utf-8")
    return path


def test_defaults_are_off_and_two_and_a_half_seconds(tmp_path: Path) -> None:
    config = load_config(tmp_path / "absent.toml")
    assert config.interview.hands_free is False
    assert config.interview.end_silence_s == 2.5


def test_values_are_read_and_a_whole_number_of_seconds_is_fine(tmp_path: Path) -> None:
    config = load_config(write(tmp_path, "[interview]\nhands_free = true\nend_silence_s = 3\n"))
    assert config.interview.hands_free is True
    assert config.interview.end_silence_s == 3.0
    assert isinstance(config.interview.end_silence_s, float)


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("end_silence_s = 0.1", "interview.end_silence_s must be from 0.5 to 30.0, not 0.1"),
        ("end_silence_s = 90", "interview.end_silence_s must be from 0.5 to 30.0, not 90.0"),
        ("end_silence_s = 'long'", "interview.end_silence_s must be float, not 'long'"),
        ("end_silence_s = true", "interview.end_silence_s must be float, not True"),
        ("hands_free = 'yes'", "interview.hands_free must be bool, not 'yes'"),
    ],
)
def test_bad_values_name_the_file_and_the_setting(tmp_path: Path, text: str, message: str) -> None:
    path = write(tmp_path, f"[interview]\n{text}\n")
    with pytest.raises(ConfigError) as error:
        load_config(path)
    assert str(error.value) == f"{path}: {message}"


def plan_for(home: Path, monkeypatch: pytest.MonkeyPatch, *argv: str):
    monkeypatch.setenv(locations.HOME_ENV, str(home))
    locations.set_home(None)
    return plan(build_parser().parse_args(list(argv)))


def test_the_flag_overrides_the_setting_both_ways(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    assert plan_for(tmp_path, monkeypatch).settings.hands_free is False
    assert plan_for(tmp_path, monkeypatch, "--hands-free").settings.hands_free is True
    write(tmp_path, "[interview]\nhands_free = true\n")
    on = plan_for(tmp_path, monkeypatch, "--question", "1")
    assert on.settings.hands_free is True and on.start_screen == "interview"
    assert on.settings.to_dict()["hands_free"] is True
    assert plan_for(tmp_path, monkeypatch, "--no-hands-free").settings.hands_free is False


def test_hands_free_typed_answers_are_a_one_line_error(tmp_path: Path) -> None:
    result = subprocess.run(
        [sys.executable, "-m", "simulator", "--typed", "--hands-free", "--question", "1"],
        capture_output=True,
        text=True,
        cwd=ROOT,
        timeout=60,
        env={"MOCK_INTERVIEW_HOME": str(tmp_path), "PATH": "/usr/bin:/bin"},
    )
    assert result.returncode == 2, result.stderr
    assert result.stderr.strip().splitlines() == [
        "mock-interview: error: --hands-free is for spoken answers; drop --typed or --hands-free"
    ]
