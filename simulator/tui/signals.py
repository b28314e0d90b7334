"""Signals from outside end the app as Ctrl+Q does: what exists is saved, the terminal restored.

SIGTERM (``kill``, a shutdown), SIGHUP (the terminal was closed) and SIGINT (``kill -INT``; in
the app Ctrl+C is a key, not a signal) would otherwise end the process at once, with the
terminal left in the alternate screen, mouse tracking on and the cursor hidden. Here each one
is handled on the event loop: the recording in progress is stopped (its file stays), the typed
draft or the words heard so far are saved, the answer is left ``in_progress`` so
``mock-interview sessions recover`` finishes it, the history's writes land, and the app exits
through Textual, which restores the terminal. After SIGHUP there is no terminal to restore:
once everything is saved the process leaves at once. The exit code is 128 + the signal's
number, as a shell reports a process ended by that signal.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import os
import signal
import sys
from collections.abc import Callable

HANDLED = (signal.SIGTERM, signal.SIGHUP, signal.SIGINT)


def install(on_signal: Callable[[int], None]) -> None:
    """Call ``on_signal(signum)`` on the running event loop for each signal in :data:`HANDLED`."""
    loop = asyncio.get_running_loop()
    for signum in HANDLED:
        with contextlib.suppress(ValueError, RuntimeError, NotImplementedError):
            loop.add_signal_handler(signum, on_signal, signum)


def uninstall() -> None:
    """Give the signals back to their defaults (the app has closed)."""
    with contextlib.suppress(RuntimeError):
        loop = asyncio.get_running_loop()
        for signum in HANDLED:
            with contextlib.suppress(ValueError, RuntimeError, NotImplementedError):
                loop.remove_signal_handler(signum)


def exit_code(signum: int) -> int:
    return 128 + signum


def leave_now(code: int) -> None:
    """End the process at once, without the interpreter's teardown (nothing is left to save)."""
    with contextlib.suppress(Exception):
        logging.shutdown()
    for stream in (sys.stdout, sys.stderr):
        with contextlib.suppress(Exception):
            stream.flush()
    os._exit(code)
