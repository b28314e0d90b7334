"""Banks not in English: the figure by words only (what the app does) beside the figure the
meaning model would give them (``content.language.question_is_english`` switched off here).

``tests/unit/data/other-languages/`` (README there): a French and a Chinese bank, and for their
first question the model answer typed back, the same ideas in other words, one idea of it, an
answer to the other question and one about fruit.

Run: .venv/bin/python benchmarks/other_languages.py
"""

from __future__ import annotations

import json
import tempfile
from pathlib import Path

import simulator.scoring as scoring
from content.bank import load_bank
from simulator.meaning.index import load_index

DATA = Path(__file__).resolve().parents[1] / "tests" / "unit" / "data" / "other-languages"


def main() -> None:
    answers = json.loads((DATA / "answers.json").read_text(encoding="utf-8"))
    with tempfile.TemporaryDirectory() as cache:
        index = load_index(Path(cache))
        words_only = [_figure(a, index) for a in answers]
        scoring.question_is_english = lambda question: True  # what meaning would give
        scoring._prepare.cache_clear()
        by_meaning = [_figure(a, index) for a in answers]
    print(f"{'bank':4} {'answer':15} {'words only':>10} {'by meaning':>10}")
    for answer, words, meaning in zip(answers, words_only, by_meaning, strict=True):
        print(f"{answer['bank']:4} {answer['kind']:15} {words:>10.0%} {meaning:>10.0%}")


def _figure(answer: dict, index) -> float:
    question = load_bank(DATA / f"{answer['bank']}.md").question(answer["question"])
    return scoring.coverage(question, answer["text"], index).coverage


if __name__ == "__main__":
    main()
