"""Exam mode and follow-ups as settings and flags: the config, --exam, --follow-ups and the
default (follow-ups on in exam mode, off in study mode unless told)."""

from __future__ import annotations

from pathlib import Path

import pytest

from simulator import locations
from simulator.cli import build_parser
from simulator.commands.common import CliError
from simulator.commands.interview import plan
from simulator.config import ConfigError, load_config


@pytest.fixture(autouse=True)
def home(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.setenv(locations.HOME_ENV, str(tmp_path))
    locations.set_home(None)
    return tmp_path


def planned(*argv: str):
    return plan(build_parser().parse_args(list(argv)))


@pytest.mark.parametrize(
    ("config", "argv", "exam", "follow_ups"),
    [
        ("", (), False, False),
        ("", ("--exam",), True, True),
        ("", ("--exam", "--no-follow-ups"), True, False),
        ("", ("--follow-ups",), False, True),
        ("exam = true\n", (), True, True),
        ("exam = true\n", ("--no-exam",), False, False),
        ('follow_ups = "on"\n', (), False, True),
        ("follow_ups = true\n", (), False, True),
        ("follow_ups = false\nexam = true\n", (), True, False),
        ('follow_ups = "off"\n', ("--follow-ups",), False, True),
    ],
)
def test_exam_and_follow_ups_from_config_and_flags(
    home: Path, config: str, argv: tuple[str, ...], exam: bool, follow_ups: bool
) -> None:
    (home / "config.toml").write_text("[interview]\n" + config)
    chosen = planned("--typed", *argv)
    assert (chosen.settings.exam, chosen.settings.follow_ups) == (exam, follow_ups)
    assert chosen.settings.to_dict()["exam"] is exam
    assert chosen.start_screen == ("interview" if exam else "setup")  # an exam starts at once


def test_a_bad_follow_ups_setting_is_one_clear_message(home: Path) -> None:
    (home / "config.toml").write_text('[interview]\nfollow_ups = "sometimes"\n')
    with pytest.raises(ConfigError, match="interview.follow_ups must be one of exam, on, off"):
        load_config()
    with pytest.raises(CliError, match="follow_ups"):
        planned()
