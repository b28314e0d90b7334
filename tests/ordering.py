"""Strong > partial > off-topic: the pair count every ordering check uses (tests, benchmarks)."""

from __future__ import annotations

from dataclasses import dataclass, field

KINDS = ("strong", "partial", "off_topic")


@dataclass
class Ordering:
    """Pairs ordered right, over the questions of an answer set, and the strong - off gaps."""

    ordered: int = 0
    pairs: int = 0
    gaps: list[float] = field(default_factory=list)
    misordered: list[str] = field(default_factory=list)

    def add(self, number: int, scores: dict[str, float]) -> None:
        """One question's coverage of its strong, partial and off-topic answers."""
        s, p, o = (scores[k] for k in KINDS)
        for better, worse, what in ((s, p, "s>p"), (s, o, "s>o"), (p, o, "p>o")):
            self.pairs += 1
            self.ordered += better > worse
            if better <= worse:
                self.misordered.append(f"Q{number} {what} {better:.2f}<={worse:.2f}")
        self.gaps.append(s - o)

    def merged(self, other: Ordering) -> Ordering:
        return Ordering(
            self.ordered + other.ordered,
            self.pairs + other.pairs,
            self.gaps + other.gaps,
            self.misordered + other.misordered,
        )

    @property
    def mean_gap(self) -> float:
        return sum(self.gaps) / len(self.gaps)

    def cell(self) -> str:
        return f"{self.ordered}/{self.pairs}"
