"""Keep alsa-lib's diagnostics ("underrun occurred") off stderr, where they would scribble
over the terminal UI. PortAudio reaches PulseAudio through alsa-lib on Linux."""

from __future__ import annotations

import ctypes
import ctypes.util
import threading

_ERROR_HANDLER = ctypes.CFUNCTYPE(
    None, ctypes.c_char_p, ctypes.c_int, ctypes.c_char_p, ctypes.c_int, ctypes.c_char_p
)
_lock = threading.Lock()
_handler: object | None = None


def _ignore(_file: bytes, _line: int, _function: bytes, _err: int, _fmt: bytes) -> None:
    return None


def quiet_alsa() -> bool:
    """Install a silent alsa-lib error handler once; False if alsa-lib is not there."""
    global _handler
    with _lock:
        if _handler is not None:
            return True
        name = ctypes.util.find_library("asound")
        if name is None:
            return False
        try:
            library = ctypes.CDLL(name)
            handler = _ERROR_HANDLER(_ignore)
            library.snd_lib_error_set_handler(handler)
        except (OSError, AttributeError):
            return False
        _handler = handler
        return True
