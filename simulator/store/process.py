"""Which process wrote a session, and whether it still runs (Linux: /proc).

A session stores its writer's pid, that process's start time and the host name, so
:mod:`simulator.recovery` can tell an interview still running from one whose process was killed
(a recycled pid has another start time; a zombie is dead though ``kill(pid, 0)`` succeeds).
"""

from __future__ import annotations

import os
import socket
from pathlib import Path


def process_start_marker(pid: int | None = None) -> str | None:
    """Something that differs between two processes that had the same pid (Linux: /proc)."""
    pid = os.getpid() if pid is None else pid
    try:
        stat = Path(f"/proc/{pid}/stat").read_text()
    except OSError:
        return None
    # Field 22 (starttime) comes after the parenthesised command name, which may hold spaces.
    fields = stat[stat.rfind(")") + 2 :].split()
    return fields[19] if len(fields) > 19 else None


def _is_zombie(pid: int) -> bool:
    """A killed process its parent has not reaped yet: dead, though kill(pid, 0) succeeds."""
    try:
        stat = Path(f"/proc/{pid}/stat").read_text()
    except OSError:
        return False
    state = stat[stat.rfind(")") + 2 :].split()[:1]
    return state == ["Z"]


def owner_alive(pid: int | None, process_started: str | None, host: str | None) -> bool:
    """True when the process that wrote a session still runs (on this machine)."""
    if pid is None or pid <= 0:
        return False
    if host is not None and host != socket.gethostname():
        return True  # another machine's process: we cannot tell, so never touch it
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        pass
    except OSError:
        return False
    if _is_zombie(pid):
        return False
    if process_started is None:
        return True
    return process_start_marker(pid) == process_started
