"""The store's one exception and the one-line wording of every way the history can fail."""

from __future__ import annotations

import shutil
import sqlite3
from pathlib import Path

from simulator import locations


class StoreError(Exception):
    """The history cannot be read or written; the message says why and what to do."""


def explain(error: BaseException, path: Path | None) -> str:
    """A one-line message that says what went wrong with the history and what to do."""
    text = str(error)
    where = str(path) if path is not None else "the in-memory history"
    folder = str(path.parent if path is not None and path.suffix else path)
    if isinstance(error, sqlite3.Error):
        lowered = text.lower()
        if "disk is full" in lowered or ("disk i/o" in lowered and _disk_full(path)):
            return f"the disk holding {where} is full; free some space and try again"
        if "readonly" in lowered or "read-only" in lowered or "unable to open" in lowered:
            return (
                f"cannot write the history at {where} (read-only or missing folder); "
                f"choose a writable folder with --data-dir or {locations.HOME_ENV}"
            )
        if "not a database" in lowered or "malformed" in lowered:
            return f"{where} is damaged or not a mock-interview history ({text}); move it away"
        if "locked" in lowered or "busy" in lowered:
            return f"{where} is busy in another program; close it and try again"
        return f"the history at {where} failed: {text}"
    if isinstance(error, OSError):
        reason = error.strerror or text
        if error.errno == 28:
            return f"the disk holding {folder} is full; free some space and try again"
        return (
            f"cannot use the folder {folder} ({reason}); "
            f"choose a writable folder with --data-dir or {locations.HOME_ENV}"
        )
    return f"the history at {where} failed: {text}"


def _disk_full(path: Path | None) -> bool:
    if path is None:
        return False
    try:
        return shutil.disk_usage(path.parent).free < 64 * 1024
    except OSError:
        return False
