"""Config files: defaults, values, and clear errors for every kind of bad file."""

from __future__ import annotations

from pathlib import Path

import pytest

from simulator import locations
from simulator.config import Config, ConfigError, load_config


def write(tmp_path: Path, text: str) -> Path:
    path = tmp_path / "config.toml"
    path.write_text(text, encoding="utf-8")
    return path


def test_missing_file_gives_defaults(tmp_path: Path) -> None:
    assert load_config(tmp_path / "absent.toml") == Config()


def test_values_are_read(tmp_path: Path) -> None:
    path = write(
        tmp_path,
        '[interview]\ntime_limit_s = 90\nallow_overtime = true\nmode = "typed"\n'
        '[audio]\nmodel = "base"\n[keymap]\nsubmit = "ctrl+enter"\n',
    )
    config = load_config(path)
    assert config.interview.time_limit_s == 90
    assert config.interview.allow_overtime is True
    assert config.interview.mode == "typed"
    assert config.audio.model == "base"
    assert config.keymap == {"submit": "ctrl+enter"}


def test_default_path_follows_the_home(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv(locations.HOME_ENV, str(tmp_path))
    write(tmp_path, "[interview]\ncount = 3\n")
    assert load_config().interview.count == 3


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("[interview\n", "not valid TOML"),
        ("[interview]\ncount = 'five'\n", "interview.count must be int"),
        ("[interview]\ncount = true\n", "interview.count must be int"),
        ("[interview]\ncolour = 1\n", "unknown setting interview.colour"),
        ("[sound]\nx = 1\n", "unknown section 'sound'"),
        ("[interview]\norder = 'sideways'\n", "must be one of"),
        ("[interview]\ntime_limit_s = -5\n", "must not be negative"),
        ("interview = 3\n", "must be a table"),
        ("[keymap]\nsubmit = 3\n", "maps binding ids to keys"),
        ('[keymap]\nsubmit = "ctrl+banana"\n', "keymap.submit = 'ctrl\\+banana': .* is not a key"),
        ('[keymap]\nkeys = "f1,blorp"\n', "'blorp' is not a key"),
        ("[interview]\ntime_limit_s = 0\n", "interview.time_limit_s must be at least 1 second"),
    ],
)
def test_bad_files_are_clear_errors(tmp_path: Path, text: str, message: str) -> None:
    path = write(tmp_path, text)
    with pytest.raises(ConfigError, match=message) as error:
        load_config(path)
    assert str(path) in str(error.value)


def test_not_utf8_is_a_clear_error(tmp_path: Path) -> None:
    path = tmp_path / "config.toml"
    path.write_bytes(b"\xff\xfe[interview]")
    with pytest.raises(ConfigError, match="UTF-8"):
        load_config(path)
