"""While the app owns the terminal, what C libraries write to stderr goes to a log file.

PortAudio, ALSA and espeak-ng print their complaints straight to file descriptor 2 ("Expression
'alsa_snd_pcm_poll_descriptors_revents( ...' failed" when the sound server dies), bypassing
Python, and Textual draws the screen on that same descriptor, so their lines landed over the
screen at the cursor. :func:`kept_off_the_screen` gives the terminal a descriptor of its own
(``sys.__stderr__`` and ``sys.stderr`` write there, so Textual and any traceback still reach
the terminal) and points descriptor 2 at ``<folder>/native-stderr.log``, one run's worth,
replaced at the next start. Everything is put back on the way out.
"""

from __future__ import annotations

import contextlib
import os
import sys
from collections.abc import Iterator
from pathlib import Path

LOG_NAME = "native-stderr.log"


@contextlib.contextmanager
def kept_off_the_screen(folder: Path) -> Iterator[Path | None]:
    """Inside: the terminal on its own descriptor, descriptor 2 on the log (its path, or None
    when it could not be made: then that output is dropped rather than drawn)."""
    original = sys.__stderr__
    if original is None:
        yield None
        return
    log: Path | None = folder / LOG_NAME
    try:
        folder.mkdir(parents=True, exist_ok=True)
        target = os.open(str(log), os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    except OSError:
        log, target = None, os.open(os.devnull, os.O_WRONLY)
    original.flush()
    terminal = os.fdopen(
        os.dup(2), "w", encoding=original.encoding, errors=original.errors, buffering=1
    )
    previous = sys.stderr
    os.dup2(target, 2)
    os.close(target)
    vars(sys)["__stderr__"] = sys.stderr = terminal  # read by Textual's driver
    try:
        yield log
    finally:
        with contextlib.suppress(OSError, ValueError):
            terminal.flush()
        os.dup2(terminal.fileno(), 2)
        vars(sys)["__stderr__"], sys.stderr = original, previous
        terminal.close()
