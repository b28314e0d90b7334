"""The process's one meaning index: loaded once (in a worker, after the first paint), then shared.

Scoring asks :func:`current`; until the model has loaded, or when it cannot be (the package is
missing, the cache folder unwritable), it gets None and scores by phrasings alone, and
:func:`unavailable_reason` says why, for the one message the app shows.
"""

from __future__ import annotations

import threading
from pathlib import Path

from simulator.meaning.index import MeaningIndex, load_index
from simulator.meaning.model import EmbeddingModelUnavailable

_lock = threading.Lock()
_index: MeaningIndex | None = None
_reason: str | None = None


def load(cache_dir: Path) -> MeaningIndex | None:
    """Load the bundled model once; later calls return the same index (or None again)."""
    global _index, _reason
    with _lock:
        if _index is None and _reason is None:
            try:
                _index = load_index(cache_dir)
                _index.encoder.encode(["warm up"])
            except EmbeddingModelUnavailable as error:
                _reason = str(error)
        return _index


def current() -> MeaningIndex | None:
    """The loaded index, or None while it is loading or when it cannot be loaded."""
    return _index


def unavailable_reason() -> str | None:
    return _reason
