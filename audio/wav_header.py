"""Make a WAV file's header tell the truth about how much audio follows it.

A recording cut by a crash can keep the header written when the file was opened, which says
0 bytes of data: libsndfile (and so the app's player) reads such a file by its length, but
Python's ``wave``, ``soxi`` and most editors believe the header. :func:`repair` rewrites the
RIFF size and the ``data`` chunk's size from the file's real length; the samples are never
touched. The recorder also asks libsndfile to keep the header up to date after every write,
so new recordings never need this (see :mod:`audio.microphone`).
"""

from __future__ import annotations

import struct
from pathlib import Path

SFC_SET_UPDATE_HEADER_AUTO = 0x1061
"""libsndfile's command to rewrite the header after every write (sndfile.h)."""


def data_size(path: Path) -> tuple[int, int] | None:
    """(where the ``data`` chunk's size field is, the real number of bytes after it), or None."""
    with path.open("rb") as file:
        head = file.read(12)
        if len(head) < 12 or head[:4] != b"RIFF" or head[8:12] != b"WAVE":
            return None
        length = path.stat().st_size
        offset = 12
        while offset + 8 <= length:
            file.seek(offset)
            chunk = file.read(8)
            name, size = chunk[:4], struct.unpack("<I", chunk[4:8])[0]
            if name == b"data":
                return offset + 4, length - (offset + 8)
            offset += 8 + size + (size & 1)
    return None


def repair(path: Path) -> bool:
    """Fix the header of the WAV at ``path`` if it understates its data; True if it changed."""
    found = data_size(Path(path))
    if found is None:
        return False
    field, real = found
    real -= real % 2  # whole 16-bit samples
    with Path(path).open("r+b") as file:
        file.seek(field)
        stated = struct.unpack("<I", file.read(4))[0]
        file.seek(4)
        riff = struct.unpack("<I", file.read(4))[0]
        total = Path(path).stat().st_size - 8
        if stated == real and riff == total:
            return False
        file.seek(field)
        file.write(struct.pack("<I", real))
        file.seek(4)
        file.write(struct.pack("<I", total))
    return True
