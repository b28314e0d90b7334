"""Where mock-interview keeps its files: one place that answers, so nothing else guesses.

Data (database, recorded audio) lives in the platform's user data dir, overridable with
``--data-dir`` or the ``MOCK_INTERVIEW_HOME`` environment variable; config and cache follow
the same override so a test or a portable install keeps everything in one folder.
"""

from __future__ import annotations

import os
from pathlib import Path

from platformdirs import user_cache_path, user_config_path, user_data_path

APP_NAME = "mock-interview"
HOME_ENV = "MOCK_INTERVIEW_HOME"

_override: Path | None = None


def set_home(path: str | os.PathLike[str] | None) -> None:
    """Use ``path`` for data, config and cache (what ``--data-dir`` does)."""
    global _override
    _override = Path(path).expanduser().resolve() if path else None


def _home() -> Path | None:
    if _override is not None:
        return _override
    env = os.environ.get(HOME_ENV)
    return Path(env).expanduser().resolve() if env else None


def data_dir() -> Path:
    """The folder for the database and recorded audio."""
    home = _home()
    return home if home else user_data_path(APP_NAME)


def config_dir() -> Path:
    """The folder for ``config.toml``."""
    home = _home()
    return home if home else user_config_path(APP_NAME)


def cache_dir() -> Path:
    """The folder for assembled models and other rebuildable files."""
    home = _home()
    return home / "cache" if home else user_cache_path(APP_NAME)


def database_path() -> Path:
    return data_dir() / "history.sqlite3"


def audio_dir() -> Path:
    return data_dir() / "audio"


def config_path() -> Path:
    return config_dir() / "config.toml"
