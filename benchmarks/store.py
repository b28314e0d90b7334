"""How fast the history is at scale: 10,000 answers, then the review and progress queries.

Fills a fresh database through the real :class:`simulator.store.Store` API (one transaction
per call, as the app writes), with realistic rows (a 150-word transcript, timed words, the
coverage of every key point as JSON), spread over 500 sessions and 300 days, then times the
queries the review and progress screens run, each on a freshly opened store (cold) and as the
median of further runs (warm). Targets: review list < 300 ms, progress queries < 500 ms, the
FSRS due order < 100 ms. It also times rebuilding every FSRS card by replaying all the answers
(what the schema-3 migration and a change of desired retention do, once).

    .venv/bin/python benchmarks/store.py [--answers 10000] [--keep PATH] [--mount]

``--mount`` also times the review screen's mount through Textual's Pilot.
"""

from __future__ import annotations

import argparse
import asyncio
import random
import statistics
import sys
import tempfile
import time
from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from content.bank import load_bank  # noqa: E402
from simulator.schedule import due_tomorrow, order_questions, standing  # noqa: E402
from simulator.store import Store  # noqa: E402

WORDS = "bias variance model data training error overfit the a of and to regularization".split()


class FakeCoverage:
    """Stands in for a scoring result: the benchmark measures storage, not scoring."""

    def __init__(self, value: float, labels: list[str]) -> None:
        self.coverage = value
        self._labels = labels

    def to_dict(self) -> dict:
        return {
            "coverage": self.coverage,
            "key_points": [
                {"label": label, "covered": i % 2 == 0, "score": 0.8, "transcript_span": [0, 9]}
                for i, label in enumerate(self._labels)
            ],
        }


class Clock:
    def __init__(self, now: datetime) -> None:
        self.now = now

    def __call__(self) -> datetime:
        return self.now


def fill(path: Path, answers: int, seed: int = 1) -> tuple[Store, float]:
    """A database with ``answers`` answers; returns it and the median write time in ms."""
    rng = random.Random(seed)
    bank = load_bank()
    start = datetime(2024, 1, 1, 9, tzinfo=UTC)
    clock = Clock(start)
    store = Store.open(path, clock=clock)
    per_session = 20
    writes: list[float] = []
    for s in range(answers // per_session):
        clock.now = start + timedelta(days=s * 300 / (answers // per_session))
        session = store.start_session(bank.name, str(bank.path), "voice", {"count": per_session})
        folder = f"audio/{session}"
        for n in range(per_session):
            question = rng.choice(bank.questions)
            words = [
                {"start": i * 0.4, "end": i * 0.4 + 0.3, "text": rng.choice(WORDS), "p": 0.9}
                for i in range(150)
            ]
            began = time.perf_counter()
            answer = store.start_answer(
                session, question.number, question.topic, "voice",
                path.parent / folder / f"q{question.number:02d}-{n}.wav",
            )  # fmt: skip
            store.finish_answer(
                answer,
                transcript=" ".join(w["text"] for w in words),
                words=words,
                coverage=FakeCoverage(rng.random(), [k.label for k in question.key_points]),
                delivery={"words_per_minute": 140.0, "fillers": {"um": 2}},
                duration_s=60.0,
            )
            writes.append((time.perf_counter() - began) * 1000)
        store.end_session(session)
    return store, statistics.median(writes)


def timed(path: Path, query: Callable[[Store], object], runs: int = 5) -> tuple[float, float]:
    """(cold ms on a fresh connection, warm median ms)."""
    store = Store.open(path)
    began = time.perf_counter()
    query(store)
    cold = (time.perf_counter() - began) * 1000
    warm = []
    for _ in range(runs):
        began = time.perf_counter()
        query(store)
        warm.append((time.perf_counter() - began) * 1000)
    store.close()
    return cold, statistics.median(warm)


async def mount_ms(path: Path) -> float:
    from textual.app import App

    from simulator.tui.screens.review import ReviewScreen

    store = Store.open(path)

    class Bench(App):
        def on_mount(self) -> None:
            self.push_screen(ReviewScreen(store))

    app = Bench()
    began = time.perf_counter()
    async with app.run_test(size=(120, 40)) as pilot:
        screen = app.screen
        while not getattr(screen, "loaded", False):
            await pilot.pause(0.01)
        elapsed = (time.perf_counter() - began) * 1000
    store.close()
    return elapsed


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--answers", type=int, default=10_000)
    parser.add_argument("--keep", type=Path, default=None, help="build the database here")
    parser.add_argument("--mount", action="store_true", help="also time the review screen")
    args = parser.parse_args()
    folder = args.keep or Path(tempfile.mkdtemp(prefix="store-bench-"))
    path = folder / "history.sqlite3"
    path.unlink(missing_ok=True)
    began = time.perf_counter()
    store, write_ms = fill(path, args.answers)
    fill_s = time.perf_counter() - began
    store.close()
    bank = load_bank()
    size_mb = path.stat().st_size / 1e6
    print(f"filled {args.answers} answers in {fill_s:.1f} s ({size_mb:.1f} MB); "
          f"start+finish an answer: median {write_ms:.2f} ms")  # fmt: skip
    queries: dict[str, Callable[[Store], object]] = {
        "review list (list_sessions)": lambda s: s.list_sessions(),
        "open a session (get_session)": lambda s: s.get_session(250),
        "attempts at one question": lambda s: s.answers_for_question(1, bank.question(1).topic),
        "progress per topic per day": lambda s: s.progress(bank.name),
        "per-question best/last/mean": lambda s: s.question_stats(bank.name),
        "order 'due' (FSRS cards)": lambda s: order_questions(
            bank.questions, s, "due", bank=bank.name
        ),
        "due tomorrow": lambda s: due_tomorrow(s, bank),
        "recall now + next due (progress)": lambda s: standing(s, bank.name),
    }
    print("| query | cold ms | warm median ms |\n| --- | --- | --- |")
    for name, query in queries.items():
        cold, warm = timed(path, query)
        print(f"| {name} | {cold:.1f} | {warm:.1f} |")
    rebuild = Store.open(path)
    began = time.perf_counter()
    rebuilt = rebuild.set_retention(0.85)  # every card was scheduled for 0.9: replay all
    replay_ms = (time.perf_counter() - began) * 1000
    rebuild.close()
    print(f"| replay all {args.answers} answers into {rebuilt} FSRS cards | {replay_ms:.0f} | |")
    if args.mount:
        ms = asyncio.run(mount_ms(path))
        print(f"| app start to review list filled (Pilot) | {ms:.0f} | |")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
