"""Coverage on answers in the candidate's own words: the paraphrase sets of the built-in bank.

``tests/unit/data/paraphrase/`` (README there): for each of the 30 questions a complete answer
that avoids the bank's phrasings, a partial one and an off-topic one, each key point labelled
1 / 0.5 / 0 by a writer who never saw the scorer. Thresholds were chosen on ``tune`` (odd
questions) only; ``holdout`` (even questions) is reported as it falls, and ``unseen`` (all 30
questions, a later writer; never tuned on, run once per design) and ``fresh`` (all 30, a fourth
writer, session 9; the same discipline) beside them. ``hard_tune`` (odd questions, a fifth
writer, session 11) is the hard cases, to tune on: two off-topic answers per question that tell
the model answer's own mechanism in another setting, and a complete answer told in analogies;
its ordering needs the complete answer above the partial one above both off-topic ones.
``short`` (all 30 questions, a sixth writer, session 14) is short answers: a right one of one
idea in 8-25 words, a right one of about two ideas padded with filler in 20-50, and a short
off-topic one; reported per half (odd questions tuned on, even ones held out): right answers
at 10% or more, off-topic ones under 10%, and questions whose right answers are both above
their off-topic one.

Reported per set: the coverage of each kind (min / median / max), how many questions keep
complete > partial > off-topic, how many complete answers reach 80% and off-topic ones stay
under 10%, and key-point precision and recall (a point counts as credited at credit >= 0.5,
as labelled at >= 0.5), with phrasings alone and with meaning, and the precision of the points
credited by their terms and of those credited by meaning ("by words 47/51": right / credited).

With ``--extracted`` the same answers are also scored as if the bank had no key points (each
question's extracted from its model answer, as for a user's own bank): the figures then say how
well extraction plus agreement grade answers in other words (ordering and calibration only; the
labels name the bank's own key points).

Run: .venv/bin/python benchmarks/paraphrase.py [--show] [--extracted] [--tuned-only]
"""

from __future__ import annotations

import argparse
import json
import statistics
import tempfile
from dataclasses import replace
from pathlib import Path

from content.bank import Bank, load_bank
from content.extract import extract_key_points
from simulator.meaning.index import MeaningIndex, load_index
from simulator.scoring import coverage

DATA = Path(__file__).resolve().parents[1] / "tests" / "unit" / "data" / "paraphrase"
KINDS = ("complete", "partial", "off_topic")
SETS = tuple(
    name
    for name in ("tune", "holdout", "unseen", "fresh", "hard_tune")
    if (DATA / f"{name}.json").exists()
)


def extracted_bank() -> Bank:
    """The built-in bank as a bank without key points: each question's extracted from its answer."""
    bank = load_bank()
    questions = tuple(
        replace(
            q,
            key_points=tuple(extract_key_points(q.text, q.model_answer)),
            key_points_extracted=True,
        )
        for q in bank.questions
    )
    return replace(bank, questions=questions)


def report(name: str, index: MeaningIndex | None, show: bool, extracted: bool = False) -> None:
    bank = extracted_bank() if extracted else load_bank()
    figures: dict[tuple[int, str], list[float]] = {}
    hits = credited = labelled = 0
    by_evidence = {"words": [0, 0], "meaning": [0, 0]}  # right, credited
    for answer in json.loads((DATA / f"{name}.json").read_text()):
        result = coverage(bank.question(answer["question"]), answer["text"], index)
        figures.setdefault((answer["question"], answer["kind"]), []).append(result.coverage)
        for point in [] if extracted else result.key_points:
            gold = answer["key_points"][point.label] >= 0.5
            said = point.credit >= 0.5
            hits += gold and said
            credited += said
            labelled += gold
            if said and point.evidence in by_evidence:
                by_evidence[point.evidence][0] += gold
                by_evidence[point.evidence][1] += 1
        if show:
            marks = " ".join(
                ("+" if k.covered else "~" if k.partly else "-")
                + ("" if extracted else str(answer["key_points"][k.label]))
                for k in result.key_points
            )
            print(f"  Q{answer['question']:<2} {answer['kind']:9} {result.coverage:5.0%}  {marks}")
    questions = sorted({q for q, _ in figures})
    ordered = sum(
        min(figures[(q, "complete")])
        > max(figures[(q, "partial")])
        > max(figures[(q, "off_topic")])
        for q in questions
    )
    every = {kind: [f for q in questions for f in figures[(q, kind)]] for kind in KINDS}
    complete = sum(f >= 0.8 for f in every["complete"])
    off = sum(f < 0.1 for f in every["off_topic"])
    how = ("meaning" if index else "phrasings only") + (
        ", key points extracted" if extracted else ""
    )
    points = (
        ""
        if extracted
        else f"; key points precision {hits / max(credited, 1):.2f} recall "
        f"{hits / max(labelled, 1):.2f}"
        + "".join(
            f"; by {how} {right}/{count}" for how, (right, count) in by_evidence.items() if count
        )
    )
    print(
        f"{name} ({how}): ordered {ordered}/{len(questions)}, complete >= 80% {complete}/"
        f"{len(every['complete'])}, off-topic < 10% {off}/{len(every['off_topic'])}{points}"
    )
    for kind in KINDS:
        values = every[kind]
        print(
            f"  {kind:9} min {min(values):4.0%}  median {statistics.median(values):4.0%}  "
            f"max {max(values):4.0%}"
        )


SHORT_KINDS = ("short_one", "short_two", "short_off")


TUNED_SETS = ("tune", "hard_tune")
"""The sets a design may be chosen on (with the odd half of ``short``); ``--tuned-only``."""


def report_short(index: MeaningIndex | None, tuned_only: bool = False) -> None:
    """The short answers of ``short.json``, per half: odd questions (tuned on), even (held out)."""
    bank = load_bank()
    answers = json.loads((DATA / "short.json").read_text())
    how = "meaning" if index else "phrasings only"
    halves = (("odd", 1),) if tuned_only else (("odd", 1), ("even", 0))
    for half, parity in halves:
        figures: dict[tuple[int, str], float] = {}
        hits = credited = labelled = 0
        for answer in [a for a in answers if a["question"] % 2 == parity]:
            result = coverage(bank.question(answer["question"]), answer["text"], index)
            figures[(answer["question"], answer["kind"])] = result.coverage
            for point in result.key_points:
                gold = answer["key_points"][point.label] >= 0.5
                said = point.credit >= 0.5
                hits += gold and said
                credited += said
                labelled += gold
        questions = sorted({q for q, _ in figures})
        right = {k: [figures[(q, k)] for q in questions] for k in SHORT_KINDS}
        apart = sum(
            min(figures[(q, "short_one")], figures[(q, "short_two")]) > figures[(q, "short_off")]
            for q in questions
        )
        print(
            f"short, {half} questions ({how}): one idea >= 10% "
            f"{sum(f >= 0.1 for f in right['short_one'])}/{len(questions)}, two ideas >= 10% "
            f"{sum(f >= 0.1 for f in right['short_two'])}/{len(questions)}, off-topic < 10% "
            f"{sum(f < 0.1 for f in right['short_off'])}/{len(questions)}, right above off-topic "
            f"{apart}/{len(questions)}; key points precision {hits / max(credited, 1):.2f} "
            f"recall {hits / max(labelled, 1):.2f}"
        )
        for kind in SHORT_KINDS:
            values = right[kind]
            print(
                f"  {kind:9} min {min(values):4.0%}  median {statistics.median(values):4.0%}  "
                f"max {max(values):4.0%}"
            )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--show", action="store_true", help="every answer, key point by key point")
    parser.add_argument(
        "--extracted",
        action="store_true",
        help="also as a bank without key points: each question's extracted from its model answer",
    )
    parser.add_argument(
        "--tuned-only",
        action="store_true",
        help="only the sets a design may be tuned on (tune, hard_tune, short's odd half)",
    )
    args = parser.parse_args()
    sets = [s for s in SETS if s in TUNED_SETS] if args.tuned_only else list(SETS)
    with tempfile.TemporaryDirectory() as cache:
        index = load_index(Path(cache))
        for name in sets:
            report(name, None, False)
            report(name, index, args.show)
        if (DATA / "short.json").exists():
            report_short(None, args.tuned_only)
            report_short(index, args.tuned_only)
        if args.extracted:
            for name in sets:
                report(name, None, False, extracted=True)
                report(name, index, args.show, extracted=True)


if __name__ == "__main__":
    main()
