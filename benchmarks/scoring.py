"""Median time to score a 300-word answer against each of the 30 questions of the built-in bank.

Each answer is the question's model answer followed by other questions' answers, cut to
exactly 300 words, so it holds real matches and real noise. "first" includes preparing the
question (tokenizing its phrasings and model answer, cached afterwards); "repeat" is the median
of 50 further scorings of the same answer. Run: .venv/bin/python benchmarks/scoring.py
"""

from __future__ import annotations

import platform
import statistics
import time

from content.bank import load_bank
from simulator.scoring import _prepare, coverage

WORDS = 300
REPEATS = 50


def main() -> None:
    bank = load_bank()
    pool = " ".join(q.model_answer for q in bank.questions).split()
    first_ms, repeat_ms = [], []
    for question in bank.questions:
        words = (question.model_answer.split() + pool)[:WORDS]
        answer = " ".join(words)
        _prepare.cache_clear()
        start = time.perf_counter()
        coverage(question, answer)
        first_ms.append((time.perf_counter() - start) * 1000)
        times = []
        for _ in range(REPEATS):
            start = time.perf_counter()
            coverage(question, answer)
            times.append((time.perf_counter() - start) * 1000)
        repeat_ms.append(statistics.median(times))
    print(
        f"machine: {platform.processor() or platform.machine()}, python {platform.python_version()}"
    )
    print(
        f"300 words x 30 questions: first (cold) median {statistics.median(first_ms):.1f} ms, "
        f"max {max(first_ms):.1f} ms"
    )
    print(f"repeat median {statistics.median(repeat_ms):.2f} ms, max {max(repeat_ms):.2f} ms")


if __name__ == "__main__":
    main()
