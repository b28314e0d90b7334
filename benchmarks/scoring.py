"""Time to score a 300-word answer against each of the 30 questions of the built-in bank.

Each answer is the question's model answer followed by other questions' answers, cut to
exactly 300 words, so it holds real matches and real noise. Measured three ways:

- phrasings only (no embedding model): "first" includes preparing the question (tokenizing its
  phrasings and model answer, cached afterwards); "repeat" is the median of further scorings;
- with meaning, warm: scored once after its finished sentences and whole-answer chunks were
  embedded, as the app does while the answer is given (the live transcript's committed
  sentences, the typed draft's): what Space costs;
- with meaning, cold: nothing of the answer embedded yet (``score --text``, a pasted answer).

Also: loading the embedding model, and the resident memory it adds (peak RSS). With
``--extracted`` the bank's key points are removed and extracted from each model answer, as for
a user's own bank (clause-level ideas, agreement with the model answer).
Run: .venv/bin/python benchmarks/scoring.py [--extracted]
"""

from __future__ import annotations

import argparse
import platform
import resource
import statistics
import tempfile
import time
from pathlib import Path

from paraphrase import extracted_bank

from content.bank import load_bank
from simulator.answering import finished_sentences, warm_finished
from simulator.meaning.index import load_index
from simulator.scoring import _prepare, coverage

WORDS = 300
REPEATS = 20


def rss_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--extracted", action="store_true", help="key points extracted")
    bank = extracted_bank() if parser.parse_args().extracted else load_bank()
    pool = " ".join(q.model_answer for q in bank.questions).split()
    answers = {q.number: " ".join((q.model_answer.split() + pool)[:WORDS]) for q in bank.questions}
    first_ms, repeat_ms = [], []
    for question in bank.questions:
        _prepare.cache_clear()
        start = time.perf_counter()
        coverage(question, answers[question.number])
        first_ms.append((time.perf_counter() - start) * 1000)
        times = []
        for _ in range(REPEATS):
            start = time.perf_counter()
            coverage(question, answers[question.number])
            times.append((time.perf_counter() - start) * 1000)
        repeat_ms.append(statistics.median(times))
    before = rss_mb()
    with tempfile.TemporaryDirectory() as cache:
        start = time.perf_counter()
        index = load_index(Path(cache))
        index.encoder.encode(["warm up"])
        load_s = time.perf_counter() - start
        cold_ms, warm_ms = [], []
        for question in bank.questions:
            coverage(question, "warm the key points", index)  # the bank's key points, once
            text = answers[question.number]
            start = time.perf_counter()
            coverage(question, text, index)
            cold_ms.append((time.perf_counter() - start) * 1000)
            # Warmed as the app does while the answer is given (its finished sentences), then
            # scored once as Space does: what is left is the last sentence and the last chunk.
            said = text + " And that is my answer."
            warm_finished(index, finished_sentences(said))
            start = time.perf_counter()
            coverage(question, said, index)
            warm_ms.append((time.perf_counter() - start) * 1000)
    after = rss_mb()
    print(
        f"machine: {platform.processor() or platform.machine()}, python {platform.python_version()}"
    )
    print(
        f"phrasings only, 300 words x 30 questions: first median {statistics.median(first_ms):.1f}"
        f" ms (max {max(first_ms):.1f}), repeat median {statistics.median(repeat_ms):.2f} ms"
    )
    print(
        f"embedding model load {load_s:.2f} s; peak RSS {before:.0f} -> {after:.0f} MB "
        f"(+{after - before:.0f} MB)"
    )
    print(
        f"with meaning, warm: median {statistics.median(warm_ms):.1f} ms, max {max(warm_ms):.1f}"
        f" ms; cold: median {statistics.median(cold_ms):.0f} ms, max {max(cold_ms):.0f} ms"
    )


if __name__ == "__main__":
    main()
