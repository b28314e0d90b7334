"""Hand microphone blocks to the live transcriber, keeping them until it is ready.

Recording starts the moment the user presses the key, even while the Whisper model is still
loading; the blocks heard meanwhile wait here and are fed, in order, once the live
transcription exists. (The file on disk never waits: the recorder writes it regardless.)
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from typing import Any


class BlockRelay:
    """A recorder's ``on_block``: forwards to ``connect``-ed feed, buffering until then."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._backlog: list[Any] = []
        self._feed: Callable[[Any], None] | None = None

    def __call__(self, block: Any) -> None:
        with self._lock:
            if self._feed is None:
                self._backlog.append(block)
                return
            self._feed(block)

    def connect(self, feed: Callable[[Any], None]) -> None:
        """Feed the backlog, then every new block, to ``feed`` (which must return at once)."""
        with self._lock:
            for block in self._backlog:
                feed(block)
            self._backlog.clear()
            self._feed = feed

    @property
    def waiting(self) -> int:
        """Blocks held back so far."""
        with self._lock:
            return len(self._backlog)
