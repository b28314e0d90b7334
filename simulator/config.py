"""User settings: typed dataclasses read from ``config.toml`` (see ``simulator.locations``).

Every field has a default, so a missing file is fine. A broken file (bad TOML, an unknown key,
a wrong type) raises :class:`ConfigError` whose message names the file and the key, never a
traceback. Example::

    [interview]
    time_limit_s = 90
    allow_overtime = true

    [keymap]
    submit = "ctrl+enter"
"""

from __future__ import annotations

import tomllib
from dataclasses import dataclass, field, fields
from pathlib import Path
from typing import Any, get_type_hints

from audio.engines import ENGINES
from simulator import locations
from simulator.keynames import unknown_keys
from simulator.schedule import ORDERS
from simulator.session import MODES


class ConfigError(Exception):
    """The config file cannot be used; the message says where and why."""


@dataclass
class InterviewConfig:
    bank: str = "ml-theory"
    """A built-in bank name or the path of a Markdown bank."""
    count: int = 5
    """How many questions a session asks."""
    order: str = "in-order"
    """in-order, shuffled, weakest or due."""
    mode: str = "voice"
    """voice (speak the answer) or typed."""
    time_limit_s: int = 120
    """Seconds per answer."""
    warning_s: int = 15
    """The clock turns to a warning this many seconds before the end."""
    allow_overtime: bool = False
    """True: the clock runs past zero and marks the overtime; False: recording stops at zero."""
    read_aloud: bool = True
    """Read each question aloud."""
    hands_free: bool = False
    """Voice answers start after a tone and end when you fall silent (no key presses)."""
    end_silence_s: float = 2.5
    """Hands-free: seconds of silence after a finished sentence that end the answer (twice as
    long after a sentence left open; a pause before the first word never ends it)."""
    model_answer_first: bool = False
    """Study: show the model answer and key points before each answer (counts as assisted)."""
    exam: bool = False
    """Exam mode: the questions back to back, no feedback until the summary."""
    follow_ups: str = "exam"
    """Ask a follow-up after an answer that missed key points: exam (in exam mode only), on
    (study mode too) or off; true and false mean on and off."""


@dataclass
class AudioConfig:
    model: str = "tiny.en"
    """Whisper model: tiny.en (bundled), base, or a CTranslate2 folder."""
    input_device: str = ""
    """Microphone name or index; empty for the system default."""
    voice_rate: int = 0
    """Words per minute of the speaking voice; 0 for the engine default."""
    voice_engine: str = "espeak-ng"
    """The speech engine that reads questions aloud (espeak-ng is the one there is)."""


@dataclass
class AppearanceConfig:
    theme: str = "textual-dark"
    """A Textual theme name (the command palette lists them)."""


@dataclass
class ScheduleConfig:
    desired_retention: float = 0.9
    """FSRS: the recall probability at which a question falls due (0.5-0.99; higher = sooner)."""


@dataclass
class Config:
    interview: InterviewConfig = field(default_factory=InterviewConfig)
    """How a session runs."""
    audio: AudioConfig = field(default_factory=AudioConfig)
    """Speech in and out."""
    appearance: AppearanceConfig = field(default_factory=AppearanceConfig)
    """Colours."""
    schedule: ScheduleConfig = field(default_factory=ScheduleConfig)
    """Spaced repetition (the ``due`` order)."""
    keymap: dict[str, str] = field(default_factory=dict)
    """Binding id -> keys, e.g. ``submit = "ctrl+enter"`` (comma-separate several keys)."""


_SECTIONS = {
    "interview": InterviewConfig,
    "audio": AudioConfig,
    "appearance": AppearanceConfig,
    "schedule": ScheduleConfig,
}
FOLLOW_UPS = ("exam", "on", "off")
_CHOICES = {
    ("interview", "follow_ups"): FOLLOW_UPS,
    ("interview", "order"): ORDERS,
    ("interview", "mode"): MODES,
    ("audio", "voice_engine"): ENGINES,
}
_RANGES = {
    ("schedule", "desired_retention"): (0.5, 0.99),
    ("interview", "end_silence_s"): (0.5, 30.0),
}


def load_config(path: Path | None = None) -> Config:
    """The settings in ``path`` (default: ``locations.config_path()``); defaults if absent."""
    path = path or locations.config_path()
    try:
        raw = path.read_bytes()
    except FileNotFoundError:
        return Config()
    except OSError as error:
        raise ConfigError(f"{path}: cannot read: {error.strerror or error}") from None
    try:
        data = tomllib.loads(raw.decode("utf-8"))
    except UnicodeDecodeError:
        raise ConfigError(f"{path}: not UTF-8 text") from None
    except tomllib.TOMLDecodeError as error:
        raise ConfigError(f"{path}: not valid TOML: {error}") from None
    return _build(path, data)


def _build(path: Path, data: dict[str, Any]) -> Config:
    config = Config()
    for key, value in data.items():
        if key == "keymap":
            config.keymap = _keymap(path, value)
        elif key in _SECTIONS:
            if not isinstance(value, dict):
                raise ConfigError(f"{path}: [{key}] must be a table")
            setattr(config, key, _section(path, key, _SECTIONS[key], value))
        else:
            known = ", ".join(["keymap", *_SECTIONS])
            raise ConfigError(f"{path}: unknown section '{key}'; known: {known}")
    return config


def _section(path: Path, name: str, cls: type, values: dict[str, Any]) -> Any:
    hints = get_type_hints(cls)
    names = [f.name for f in fields(cls)]
    kwargs: dict[str, Any] = {}
    for key, value in values.items():
        if key not in hints:
            raise ConfigError(f"{path}: unknown setting {name}.{key}; known: {', '.join(names)}")
        wanted = hints[key]
        if wanted is float and isinstance(value, int) and not isinstance(value, bool):
            value = float(value)  # `end_silence_s = 3` means 3.0
        if (name, key) == ("interview", "follow_ups") and isinstance(value, bool):
            value = "on" if value else "off"
        ok = isinstance(value, wanted) and not (wanted is int and isinstance(value, bool))
        if not ok:
            raise ConfigError(f"{path}: {name}.{key} must be {wanted.__name__}, not {value!r}")
        choices = _CHOICES.get((name, key))
        if choices and value not in choices:
            raise ConfigError(f"{path}: {name}.{key} must be one of {', '.join(choices)}")
        if wanted is int and value < 0:
            raise ConfigError(f"{path}: {name}.{key} must not be negative")
        low, high = _RANGES.get((name, key), (value, value))
        if not low <= value <= high:
            raise ConfigError(f"{path}: {name}.{key} must be from {low} to {high}, not {value}")
        if (name, key) == ("interview", "time_limit_s") and value < 1:
            raise ConfigError(f"{path}: {name}.{key} must be at least 1 second")
        kwargs[key] = value
    return cls(**kwargs)


def follow_ups_on(setting: str, exam: bool) -> bool:
    """Whether a session asks follow-ups, from ``interview.follow_ups`` and the mode."""
    return setting == "on" or (setting == "exam" and exam)


def _keymap(path: Path, value: Any) -> dict[str, str]:
    if not isinstance(value, dict) or not all(
        isinstance(k, str) and isinstance(v, str) and v.strip() for k, v in value.items()
    ):
        raise ConfigError(f'{path}: [keymap] maps binding ids to keys, e.g. submit = "ctrl+s"')
    for binding, keys in value.items():
        bad = unknown_keys(keys)
        if bad:
            raise ConfigError(
                f"{path}: keymap.{binding} = {keys!r}: {', '.join(repr(k) for k in bad)} is not "
                'a key; use names like "ctrl+s", "f5", "space", "question_mark"'
            )
    return dict(value)
