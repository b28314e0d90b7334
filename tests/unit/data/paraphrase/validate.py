"""Check the paraphrase evaluation set against the built-in bank's key point labels.

Stdlib only. Run from anywhere: ``python3 tests/unit/data/paraphrase/validate.py``.
Prints one line per problem and exits 1 if there is any, else prints a summary and exits 0.
"""

from __future__ import annotations

import json
import re
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent
BANK = HERE.parents[3] / "content" / "banks" / "ml-theory.md"
KINDS = ("complete", "partial", "off_topic")
SHORT_KINDS = ("short_one", "short_two", "short_off")
WORDS = {
    "complete": (60, 160),
    "partial": (30, 90),
    "off_topic": (40, 120),
    "short_one": (8, 25),
    "short_two": (20, 50),
    "short_off": (12, 45),
}
CREDITS = (0, 0.5, 1)


def bank_labels(path: Path) -> dict[int, list[str]]:
    """Key point labels per question number, in bank order."""
    labels: dict[int, list[str]] = {}
    question = None
    for line in path.read_text(encoding="utf-8").splitlines():
        heading = re.match(r"### Q(\d+)\.", line)
        if heading:
            question = int(heading.group(1))
            labels[question] = []
            continue
        point = re.match(r"- \*\*(.+?)\*\*", line)
        if point and question is not None:
            labels[question].append(point.group(1))
    return labels


def check_answers(
    name: str,
    questions: list[int],
    labels: dict[int, list[str]],
    per_question: dict[str, int] | None = None,
    kinds: tuple[str, ...] = KINDS,
) -> list[str]:
    """Problems in one answer file (tune.json, holdout.json, unseen.json, fresh.json, or
    hard_tune.json with ``per_question`` {"off_topic": 2}: how many answers of a kind each
    question has, one where not given; short.json with ``kinds`` ``SHORT_KINDS``)."""
    wanted = {kind: 1 for kind in kinds} | (per_question or {})
    problems: list[str] = []
    entries = json.loads((HERE / name).read_text(encoding="utf-8"))
    seen: dict[tuple[int, str], int] = {}
    for i, entry in enumerate(entries):
        where = f"{name}[{i}] Q{entry.get('question')} {entry.get('kind')}"
        if set(entry) != {"question", "kind", "text", "key_points"}:
            problems.append(f"{where}: keys are {sorted(entry)}")
            continue
        q, kind, points = entry["question"], entry["kind"], entry["key_points"]
        seen[(q, kind)] = seen.get((q, kind), 0) + 1
        if q not in questions or kind not in kinds:
            problems.append(f"{where}: question or kind does not belong in {name}")
            continue
        if set(points) != set(labels[q]):
            problems.append(f"{where}: labels differ from the bank: {sorted(set(points))}")
        if any(v not in CREDITS for v in points.values()):
            problems.append(f"{where}: credits must be 0, 0.5 or 1")
        low, high = WORDS[kind]
        n = len(entry["text"].split())
        if not low <= n <= high:
            problems.append(f"{where}: {n} words, expected {low}-{high}")
        values = list(points.values())
        if kind == "complete" and (values.count(0) or values.count(0.5) > 1):
            problems.append(f"{where}: a complete answer needs all 1s or at most one 0.5")
        if kind in ("off_topic", "short_off") and any(values):
            problems.append(f"{where}: an off-topic answer must cover no key point")
        if kind == "partial" and (all(v == 1 for v in values) or not any(values)):
            problems.append(f"{where}: a partial answer must cover some but not all key points")
        if kind in ("short_one", "short_two") and not any(values):
            problems.append(f"{where}: a short right answer must cover some key point")
    for q in questions:
        for kind in kinds:
            if seen.get((q, kind), 0) != wanted[kind]:
                problems.append(f"{name}: Q{q} {kind} present {seen.get((q, kind), 0)} times")
    return problems


def check_contrasts(labels: dict[int, list[str]]) -> list[str]:
    """Problems in contrasts.json."""
    problems: list[str] = []
    entries = json.loads((HERE / "contrasts.json").read_text(encoding="utf-8"))
    for i, entry in enumerate(entries):
        where = f"contrasts.json[{i}] Q{entry.get('question')}"
        if set(entry) != {"question", "pair", "text", "must_not_credit", "credits"}:
            problems.append(f"{where}: keys are {sorted(entry)}")
            continue
        known = set(labels.get(entry["question"], []))
        if not entry["must_not_credit"]:
            problems.append(f"{where}: must_not_credit is empty")
        for label in [*entry["must_not_credit"], *entry["credits"]]:
            if label not in known:
                problems.append(f"{where}: unknown label {label!r}")
        if set(entry["must_not_credit"]) & set(entry["credits"]):
            problems.append(f"{where}: a label is both credited and not")
        if any(v not in CREDITS[1:] for v in entry["credits"].values()):
            problems.append(f"{where}: credits must be 0.5 or 1")
    pairs = {entry.get("pair") for entry in entries}
    if len(pairs) < 6:
        problems.append(f"contrasts.json: only {len(pairs)} pairs")
    return problems


def check_evidence(name: str) -> list[str]:
    """Problems in evidence_<name>.json: one entry per key point the grader credited in a
    complete or partial answer of <name>.json, its excerpts exact substrings of the answer."""
    problems: list[str] = []
    answers = json.loads((HERE / f"{name}.json").read_text(encoding="utf-8"))
    wanted = {
        (a["question"], a["kind"], label)
        for a in answers
        if a["kind"] in ("complete", "partial")
        for label, credit in a["key_points"].items()
        if credit > 0
    }
    texts = {(a["question"], a["kind"]): a["text"] for a in answers}
    entries = json.loads((HERE / f"evidence_{name}.json").read_text(encoding="utf-8"))
    seen: set[tuple[int, str, str]] = set()
    for i, entry in enumerate(entries):
        where = f"evidence_{name}.json[{i}]"
        if not {"question", "kind", "key_point", "quote"} <= set(entry) <= {
            "question", "kind", "key_point", "quote", "also"
        }:  # fmt: skip
            problems.append(f"{where}: keys are {sorted(entry)}")
            continue
        key = (entry["question"], entry["kind"], entry["key_point"])
        if key not in wanted:
            problems.append(f"{where}: {key} is not a credited key point of {name}.json")
        elif key in seen:
            problems.append(f"{where}: {key} given twice")
        seen.add(key)
        text = texts.get((entry["question"], entry["kind"]), "")
        for field in ("quote", "also"):
            if field in entry and entry[field] not in text:
                problems.append(f"{where}: its {field} is not in the answer's text")
    problems += [f"evidence_{name}.json: no entry for {key}" for key in sorted(wanted - seen)]
    return problems


def main() -> int:
    labels = bank_labels(BANK)
    if sorted(labels) != list(range(1, 31)) or not all(labels.values()):
        print(f"{BANK}: expected Q1-Q30, each with key points")
        return 1
    problems = check_answers("tune.json", list(range(1, 31, 2)), labels)
    problems += check_answers("holdout.json", list(range(2, 31, 2)), labels)
    problems += check_answers("unseen.json", list(range(1, 31)), labels)
    fresh = (HERE / "fresh.json").exists()
    if fresh:
        problems += check_answers("fresh.json", list(range(1, 31)), labels)
    hard = (HERE / "hard_tune.json").exists()
    if hard:
        problems += check_answers("hard_tune.json", list(range(1, 31, 2)), labels, {"off_topic": 2})
    short = (HERE / "short.json").exists()
    if short:
        problems += check_answers("short.json", list(range(1, 31)), labels, kinds=SHORT_KINDS)
    problems += check_contrasts(labels)
    evidence = [n for n in ("tune", "holdout") if (HERE / f"evidence_{n}.json").exists()]
    for name in evidence:
        problems += check_evidence(name)
    for problem in problems:
        print(problem)
    if problems:
        return 1
    print(
        "ok: tune.json 15 questions x 3, holdout.json 15 questions x 3,"
        " unseen.json 30 questions x 3,"
        + (" fresh.json 30 questions x 3," if fresh else "")
        + (" hard_tune.json 15 questions x 4," if hard else "")
        + (" short.json 30 questions x 3," if short else "")
        + " contrasts.json valid"
        + "".join(f", evidence_{name}.json valid" for name in evidence)
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
