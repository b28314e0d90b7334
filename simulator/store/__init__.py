"""The history on disk: SQLite sessions and answers, written the moment they exist.

One job per module:

- :mod:`simulator.store.schema`: the latest schema, the migrations, opening a file at the
  current version;
- :mod:`simulator.store.records`: the frozen dataclasses the store returns;
- :mod:`simulator.store.store`: :class:`Store`, every read and write;
- :mod:`simulator.store.process`: which process wrote a session and whether it still runs;
- :mod:`simulator.store.errors`: :class:`StoreError` and the one-line wording of failures;
- :mod:`simulator.store.damage`: a damaged or foreign file found at open and moved aside.

``from simulator.store import Store, StoreError, AnswerRecord, ...`` is the way in.
"""

from simulator.store.damage import MovedAside, StoreDamaged
from simulator.store.errors import StoreError
from simulator.store.process import owner_alive, process_start_marker
from simulator.store.records import (
    SCORED,
    STATUSES,
    AnswerRecord,
    ProgressPoint,
    QuestionStats,
    ScoredAttempt,
    SessionRecord,
    SessionSummary,
)
from simulator.store.schema import MIGRATIONS, SCHEMA_VERSION
from simulator.store.store import Store, utc_now

__all__ = [
    "MIGRATIONS",
    "SCHEMA_VERSION",
    "SCORED",
    "STATUSES",
    "AnswerRecord",
    "MovedAside",
    "ProgressPoint",
    "QuestionStats",
    "ScoredAttempt",
    "SessionRecord",
    "SessionSummary",
    "Store",
    "StoreDamaged",
    "StoreError",
    "owner_alive",
    "process_start_marker",
    "utc_now",
]
