"""Whether the sentence the feedback highlights for a key point is the one that says it.

The feedback screen, review and export highlight, for each credited key point, the part of the
transcript that earned it (a phrasing's words, or the sentence judged by meaning). A credit
earned by the wrong sentence is a verdict that is right by luck, and it tells the candidate the
wrong thing ("your sentence about the missing-value flag said mean imputation").

``tests/unit/data/paraphrase/evidence_<set>.json`` (README there): for every complete and
partial answer of the ``tune`` and ``holdout`` sets, and every key point the grader credited,
the excerpt a human grader underlines as saying it, written by a writer who never saw the
scorer. ``tune`` may be tuned on, ``holdout`` is not.

Reported per set and per kind of evidence (words, meaning): of the points both the grader and
the scorer credit, how many have a highlight that overlaps the grader's excerpt by at least
half of the shorter of the two ("right"), and how many a highlight elsewhere ("elsewhere").

Run: .venv/bin/python benchmarks/evidence.py [--show]
"""

from __future__ import annotations

import argparse
import json
import statistics
import tempfile
from pathlib import Path

from content.bank import load_bank
from simulator.meaning.index import MeaningIndex, load_index
from simulator.scoring import Span, coverage

DATA = Path(__file__).resolve().parents[1] / "tests" / "unit" / "data" / "paraphrase"
SETS = ("tune", "holdout")


def overlaps(span: Span, start: int, end: int) -> bool:
    """At least half of the shorter of the two spans is shared."""
    shared = min(span.end, end) - max(span.start, start)
    return shared > 0 and shared >= 0.5 * min(span.end - span.start, end - start)


def grader_spans(text: str, entry: dict[str, str]) -> list[tuple[int, int]]:
    out = []
    for key in ("quote", "also"):
        quote = entry.get(key)
        if quote:
            at = text.index(quote)
            out.append((at, at + len(quote)))
    return out


def report(name: str, index: MeaningIndex, show: bool) -> None:
    bank = load_bank()
    answers = {
        (a["question"], a["kind"]): a for a in json.loads((DATA / f"{name}.json").read_text())
    }
    entries = json.loads((DATA / f"evidence_{name}.json").read_text())
    by_answer: dict[tuple[int, str], list[dict[str, str]]] = {}
    for entry in entries:
        by_answer.setdefault((entry["question"], entry["kind"]), []).append(entry)
    counts = {"words": [0, 0], "meaning": [0, 0]}  # right, elsewhere
    lengths: dict[str, list[int]] = {"words": [], "meaning": []}
    for key, labelled in sorted(by_answer.items()):
        text = answers[key]["text"]
        result = coverage(bank.question(key[0]), text, index)
        points = {p.label: p for p in result.key_points}
        for entry in labelled:
            point = points[entry["key_point"]]
            if point.credit < 0.5 or point.transcript_span is None:
                continue
            kind = "meaning" if point.evidence == "meaning" else "words"
            right = any(overlaps(point.transcript_span, a, b) for a, b in grader_spans(text, entry))
            counts[kind][0 if right else 1] += 1
            lengths[kind].append(
                len(text[point.transcript_span.start : point.transcript_span.end].split())
            )
            if show and not right:
                span = point.transcript_span
                print(f"  Q{key[0]} {key[1]:8} {point.label[:36]:36} ({kind})")
                print(f"      highlighted: {text[span.start : span.end][:100]!r}")
                print(f"      grader:      {entry['quote'][:100]!r}")
    cells = []
    for kind, (right, elsewhere) in counts.items():
        total = right + elsewhere
        share = f"{right / total:.0%}" if total else "-"
        words = statistics.median(lengths[kind]) if lengths[kind] else 0
        cells.append(f"by {kind} {right}/{total} right ({share}), highlights of {words:g} words")
    print(f"{name}: " + "; ".join(cells))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--show", action="store_true", help="every highlight that is elsewhere")
    parser.add_argument("--tuned-only", action="store_true", help="only the tune set")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as cache:
        index = load_index(Path(cache))
        for name in SETS[:1] if args.tuned_only else SETS:
            if (DATA / f"evidence_{name}.json").exists():
                report(name, index, args.show)


if __name__ == "__main__":
    main()
