"""Real file-system faults for store tests: a tiny tmpfs (disk full) and a read-only one.

Mounting needs root and a kernel that lets this container mount tmpfs; when it cannot, the
callers skip (and the read-only case is also covered without a mount: a "folder" under a file).
"""

from __future__ import annotations

import subprocess
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest


def _run(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(args, capture_output=True, text=True, check=False)


@contextmanager
def tmpfs(where: Path, size: str = "256k", read_only: bool = False) -> Iterator[Path]:
    """A real tmpfs of ``size`` mounted at ``where``; read-only after an optional fill."""
    where.mkdir(parents=True, exist_ok=True)
    done = _run("mount", "-t", "tmpfs", "-o", f"size={size}", "tmpfs", str(where))
    if done.returncode != 0:
        pytest.fail(f"cannot mount a tmpfs (the fault tests run as root): {done.stderr.strip()}")
    try:
        if read_only:
            remount = _run("mount", "-o", "remount,ro", str(where))
            if remount.returncode != 0:
                pytest.fail(f"cannot remount read-only: {remount.stderr.strip()}")
        yield where
    finally:
        _run("umount", "-l", str(where))


def remount_read_only(where: Path) -> None:
    done = _run("mount", "-o", "remount,ro", str(where))
    if done.returncode != 0:
        pytest.fail(f"cannot remount read-only: {done.stderr.strip()}")
