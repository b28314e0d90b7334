"""Precision of the meaning judge on the built-in bank: what was tried against off-topic credit.

An off-topic answer about a neighbouring subject earns key points "by meaning" because the
bundled model puts any two sentences about machine learning at a cosine of 0.4-0.5, inside the
judge's thresholds (``simulator.scoring.MEANING_FULL_AT`` / ``MEANING_PARTLY_AT``). Two things
are measured on the paraphrase sets (``tests/unit/data/paraphrase/``, labelled key point by key
point), by default on ``tune`` only (odd questions; ``holdout`` and ``unseen`` are not to be
tuned on: pass them with ``--sets`` only to report a finished design):

1. How well each kind of evidence tells a labelled key point (1) from one an off-topic answer
   does not say (0), as ROC AUC over the key points the phrasings leave uncovered: the best
   unit's cosine (what the judge reads), and that cosine made relative to a background of
   neighbouring subjects, the passages of the bank's other model answers
   (``simulator.meaning.units.split_passages``): the key point's own background level (the
   second-highest cosine of its texts with those passages), and the unit's (its highest cosine
   with them, or how much closer it is to them than to the question's own model answer).
2. The scorer with the judge's knobs moved: the sharing window (``judge.SHARED_WITHIN``: a unit
   speaks for every key point this close to its best one) and the partial-credit bar.

Run: OPENBLAS_NUM_THREADS=1 .venv/bin/python benchmarks/meaning_precision.py [--sets tune ...]
"""

from __future__ import annotations

import argparse
import contextlib
import io
import json
import sys
import tempfile
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from benchmarks.paraphrase import DATA, report  # noqa: E402
from content.bank import load_bank  # noqa: E402
from simulator import scoring  # noqa: E402
from simulator.meaning import judge  # noqa: E402
from simulator.meaning.index import MeaningIndex, load_index  # noqa: E402
from simulator.meaning.units import split_passages, split_units  # noqa: E402

WEIGHT = 0.5
"""How much of a background level is taken off the cosine (the best of 0.25-1.0 on tune)."""
VARIANTS = {
    "main (window 0.05, partly at 0.35)": {},
    "window 0.02": {"SHARED_WITHIN": 0.02},
    "partly at 0.40": {"MEANING_PARTLY_AT": 0.4},
    "window 0.02, partly at 0.40": {"SHARED_WITHIN": 0.02, "MEANING_PARTLY_AT": 0.4},
}


def auc(positive: list[float], negative: list[float]) -> float:
    pos, neg = np.array(positive)[:, None], np.array(negative)[None, :]
    return float((pos > neg).mean() + 0.5 * (pos == neg).mean())


def evidence(index: MeaningIndex, name: str) -> list[tuple[float, str, dict[str, float]]]:
    """Per key point the phrasings leave uncovered: its label, the answer's kind, the features."""
    bank = load_bank()
    passages = [(q.number, p.text) for q in bank.questions for p in split_passages(q.model_answer)]
    owner = np.array([n for n, _ in passages])
    vectors = index.vectors([t for _, t in passages])
    rows = []
    for answer in json.loads((DATA / f"{name}.json").read_text()):
        question = bank.question(answer["question"])
        result = scoring.coverage(question, answer["text"], index)
        units = index.vectors([u.text for u in split_units(answer["text"])])
        near_units = units @ vectors.T
        other, own = (
            near_units[:, owner != question.number],
            near_units[:, owner == question.number],
        )
        unit_level = other.max(axis=1)
        nearer_elsewhere = np.maximum(0.0, unit_level - own.max(axis=1))
        texts = scoring._prepare(question).meaning_texts
        for point, point_texts in zip(result.key_points, texts, strict=True):
            if point.score >= scoring.COVERED_AT:
                continue
            mine = index.vectors(list(point_texts))
            fit = (units @ mine.T).max(axis=1)
            level = np.sort((vectors[owner != question.number] @ mine.T).max(axis=1))[::-1][1]
            features = {
                "cosine (main)": float(fit.max()),
                "cosine - point background": float(fit.max() - WEIGHT * level),
                "cosine - unit background": float((fit - WEIGHT * unit_level).max()),
                "cosine - nearer to another answer": float((fit - nearer_elsewhere).max()),
            }
            rows.append((answer["key_points"][point.label], answer["kind"], features))
    return rows


def separation(index: MeaningIndex, name: str) -> None:
    rows = evidence(index, name)
    said = [f for label, _, f in rows if label >= 1]
    off = [f for label, kind, f in rows if label == 0 and kind == "off_topic"]
    unsaid = [f for label, _, f in rows if label == 0]
    print(
        f"{name}: {len(said)} key points said, {len(off)} not said by off-topic answers, "
        f"{len(unsaid)} not said at all"
    )
    for feature in said[0]:
        good = [f[feature] for f in said]
        versus_off = auc(good, [f[feature] for f in off])
        versus_unsaid = auc(good, [f[feature] for f in unsaid])
        print(
            f"  {feature:36} AUC vs off-topic {versus_off:.3f}, vs every unsaid {versus_unsaid:.3f}"
        )


def _owner(knob: str) -> object:
    return judge if knob == "SHARED_WITHIN" else scoring


def variants(index: MeaningIndex, name: str) -> None:
    knobs = {knob for setting in VARIANTS.values() for knob in setting}
    saved = {knob: getattr(_owner(knob), knob) for knob in knobs}
    try:
        for title, setting in VARIANTS.items():
            for knob, value in {**saved, **setting}.items():
                setattr(_owner(knob), knob, value)
            out = io.StringIO()
            with contextlib.redirect_stdout(out):
                report(name, index, False)
            print(f"  {title:34} {out.getvalue().splitlines()[0].split(': ', 1)[1]}")
    finally:
        for knob, value in saved.items():
            setattr(_owner(knob), knob, value)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        "--sets", nargs="+", default=["tune"], choices=["tune", "holdout", "unseen"]
    )
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as cache:
        index = load_index(Path(cache))
        for name in args.sets:
            separation(index, name)
        for name in args.sets:
            print(f"{name}, scorer variants:")
            variants(index, name)


if __name__ == "__main__":
    main()
