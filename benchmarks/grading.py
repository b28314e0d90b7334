"""How well coverage agrees with human graders on a bank with no hand-written key points.

SemEval-2013 Task 7 (SciEntsBank and Beetle: real student answers, graded correct or not by
people; ``../shared/data/asag-semeval2013/``, README there). Every question becomes a bank
question with the dataset's reference answer as its model answer and key points extracted
from it, exactly as for a user's own bank; each student answer is scored by
``simulator.scoring.coverage`` with the bundled embedding model. Reported: ROC AUC of the
coverage figure against the human grade, per dataset and split, beside two lexical baselines
computed in the same run (rapidfuzz ``token_set_ratio`` of the whole answer with the reference,
and the stemmed recall of the reference's content words). Thresholds were tuned on ``train``
only; ``test_unseen_questions`` and ``test_unseen_domains`` hold questions never seen.

With ``--all-references`` every question keeps the dataset's other reference answers
(``all_reference_answers``, Beetle has up to 14; the first is ``reference_answer``) as its
accepted answers (``Question.accepted_answers``, as a bank's ``#### Also accepted`` would give
them), and both lexical baselines take the best-matching reference, so the comparison stays
fair. Key points are still extracted from the first reference; whatever the coverage figure
does with accepted answers is the scorer's. Without it, only the first reference is used.

Embeddings are cached in ``benchmarks/.cache/`` (the first run embeds ~40,000 texts: minutes).

Run: .venv/bin/python benchmarks/grading.py [--splits train test_unseen_questions ...]
     [--all-references] [--lexical-only]
"""

from __future__ import annotations

import argparse
import csv
import json
import platform
import time
from dataclasses import dataclass
from pathlib import Path

import numpy as np
from rapidfuzz import fuzz

import simulator.meaning.index as meaning_index
from content.accepted import tidy
from content.bank import Question
from content.extract import extract_key_points
from content.text import content_tokens
from simulator.agreement import references
from simulator.meaning.encoder import TOKEN_LAYERS, TokenVectors
from simulator.meaning.index import MeaningIndex, load_index
from simulator.scoring import coverage

DATA = Path(__file__).resolve().parents[1] / ".." / "shared" / "data" / "asag-semeval2013"
CACHE = Path(__file__).resolve().parent / ".cache"
SPLITS = ("train", "test_unseen_answers", "test_unseen_questions", "test_unseen_domains")


@dataclass(frozen=True)
class Row:
    dataset: str
    split: str
    question: Question
    answer: str
    grade: int


def load_rows(splits: tuple[str, ...], all_references: bool = False) -> list[Row]:
    questions: dict[tuple[str, str], Question] = {}
    rows = []
    with open(DATA / "asag_dev.csv", encoding="utf-8") as handle:
        for record in csv.DictReader(handle):
            if record["split"] not in splits:
                continue
            key = (record["dataset"], record["question_id"])
            if key not in questions:
                text, reference = record["question"], record["reference_answer"]
                points = tuple(extract_key_points(text, reference))
                others = json.loads(record["all_reference_answers"])[1:] if all_references else []
                questions[key] = Question(
                    len(questions) + 1,
                    record["dataset"],
                    text,
                    reference,
                    points,
                    True,
                    accepted_answers=tidy(others, reference),
                )
            rows.append(
                Row(
                    record["dataset"],
                    record["split"],
                    questions[key],
                    record["student_answer"],
                    int(float(record["grade"])),
                )
            )
    return rows


def roc_auc(scores: np.ndarray, labels: np.ndarray) -> float:
    """Probability that a correct answer outscores an incorrect one (ties count half)."""
    order = np.argsort(scores, kind="mergesort")
    ranks = np.empty(len(scores))
    sorted_scores = scores[order]
    i = 0
    while i < len(scores):
        j = i
        while j + 1 < len(scores) and sorted_scores[j + 1] == sorted_scores[i]:
            j += 1
        ranks[order[i : j + 1]] = (i + j + 2) / 2
        i = j + 1
    positive = labels == 1
    n_pos, n_neg = positive.sum(), (~positive).sum()
    return float((ranks[positive].sum() - n_pos * (n_pos + 1) / 2) / (n_pos * n_neg))


def stemmed_recall(answer: str, reference: str) -> float:
    wanted = {t.stem for t in content_tokens(reference)}
    said = {t.stem for t in content_tokens(answer)}
    return len(wanted & said) / len(wanted) if wanted else 0.0


def cached_index() -> tuple[MeaningIndex, Path]:
    meaning_index.UNIT_CACHE_SIZE = 10**7  # keep every text for the cache file
    meaning_index.TOKEN_CACHE_SIZE = 10**7
    index = load_index(CACHE)
    path = CACHE / "grading-vectors.npz"
    if path.exists():
        saved = np.load(path, allow_pickle=True)
        if str(saved["version"]) == index.encoder.version:
            index.preload(list(saved["texts"]), saved["vectors"])
    tokens = CACHE / "grading-tokens.npz"
    if tokens.exists():
        saved = np.load(tokens, allow_pickle=True)
        if str(saved["version"]) == _tokens_version(index):
            cuts = np.cumsum(saved["lengths"])[:-1]
            pieces = [
                TokenVectors(c, s, o)
                for c, s, o in zip(
                    np.split(saved["codes"], cuts),
                    np.split(saved["scales"], cuts),
                    np.split(saved["offsets"], cuts),
                    strict=True,
                )
            ]
            index.preload_tokens(list(saved["texts"]), pieces)
    return index, path


def _tokens_version(index: MeaningIndex) -> str:
    """Word-piece vectors depend on the weights, on which layers make them and on their codes."""
    return f"{index.encoder.version}:layers{'-'.join(map(str, TOKEN_LAYERS))}:int8"


def save_cache(index: MeaningIndex, vectors_path: Path) -> None:
    """Keep every vector computed, so the next run embeds nothing it has seen."""
    CACHE.mkdir(exist_ok=True)
    texts, vectors = index.snapshot()
    np.savez(
        vectors_path,
        version=index.encoder.version,
        texts=np.array(texts, dtype=object),
        vectors=vectors,
    )
    texts, pieces = index.snapshot_tokens()
    np.savez(
        CACHE / "grading-tokens.npz",
        version=_tokens_version(index),
        texts=np.array(texts, dtype=object),
        lengths=np.array([len(p) for p in pieces], dtype=np.int64),
        codes=np.concatenate([p.codes for p in pieces])
        if pieces
        else np.zeros((0, 384 * len(TOKEN_LAYERS)), dtype=np.int8),
        scales=np.concatenate([p.scales for p in pieces]) if pieces else np.zeros(0),
        offsets=np.concatenate([p.offsets for p in pieces]) if pieces else np.zeros((0, 2)),
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--splits", nargs="+", default=list(SPLITS), choices=SPLITS)
    parser.add_argument(
        "--all-references",
        action="store_true",
        help="every reference answer: the others as accepted answers, baselines take the best",
    )
    parser.add_argument(
        "--lexical-only",
        action="store_true",
        help="only the two lexical baselines: no embedding model, seconds instead of minutes",
    )
    args = parser.parse_args()
    rows = load_rows(tuple(args.splits), args.all_references)
    index, vectors_path = (None, CACHE) if args.lexical_only else cached_index()
    started = time.perf_counter()
    ours, token_set, recall = [], [], []
    for row in rows:
        if index is not None:
            ours.append(coverage(row.question, row.answer, index).coverage)
        refs = references(row.question)
        token_set.append(max(fuzz.token_set_ratio(row.answer, ref) for ref in refs) / 100)
        recall.append(max(stemmed_recall(row.answer, ref) for ref in refs))
    elapsed = time.perf_counter() - started
    if index is not None:
        save_cache(index, vectors_path)
    grades = np.array([r.grade for r in rows])
    print(
        f"machine: {platform.machine()}, python {platform.python_version()}; "
        f"{len(rows)} answers scored in {elapsed:.0f} s"
    )
    accepted = sum(
        len(q.accepted_answers) for q in {id(r.question): r.question for r in rows}.values()
    )
    print(
        "mode: all references (the others as accepted answers; baselines: the best reference), "
        f"{accepted} accepted answers"
        if args.all_references
        else "mode: first reference only (the default)"
    )
    if args.lexical_only:
        print("lexical baselines only (--lexical-only): no coverage column")
    print(f"{'dataset':12} {'split':22} {'n':>5} {'coverage':>9} {'token_set':>10} {'recall':>7}")
    for dataset in ("SciEntsBank", "Beetle"):
        for split in args.splits:
            mask = np.array([r.dataset == dataset and r.split == split for r in rows])
            if not mask.any():
                continue
            cells = [
                f"{roc_auc(np.array(scores)[mask], grades[mask]):>{width}.3f}" if scores else
                f"{'-':>{width}}"
                for scores, width in ((ours, 9), (token_set, 10), (recall, 7))
            ]  # fmt: skip
            print(f"{dataset:12} {split:22} {mask.sum():5d} " + " ".join(cells))


if __name__ == "__main__":
    main()
