"""Study-mode hints: the label of the next key point an answer in progress has not covered yet.

The answer so far (typed text, or the live transcript of a spoken answer) is scored like any
answer (:func:`simulator.assess.assess_text`); the hint is the first key point, in the bank's
order, that is not fully covered and was not hinted already. A hinted key point earns at most
``simulator.scoring.HINTED_CREDIT`` in the final score, and the answer counts as assisted.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from content.questions import Question
from simulator.assess import assess_text
from simulator.scoring import Coverage


@dataclass(frozen=True)
class Hint:
    """What a hint key press reveals."""

    label: str | None
    """The next key point not covered yet; None when nothing is missing (or all were hinted)."""
    coverage: Coverage
    """The answer so far, as scored for the hint."""
    remaining: int
    """Key points still not covered and not hinted after this one."""

    @property
    def message(self) -> str:
        """One line for the screen."""
        if self.label is None:
            return "Nothing is missing so far: every key point is covered or already hinted."
        more = f" ({self.remaining} more not covered)" if self.remaining else ""
        return f"Hint: {self.label}{more}"


def next_hint(question: Question, said: str, hinted: Iterable[str] = ()) -> Hint:
    """The hint for ``question`` after ``said`` (the answer so far), skipping ``hinted`` labels."""
    already = frozenset(hinted)
    scored = assess_text(question, said, hinted=already).coverage
    missing = [k.label for k in scored.key_points if k.credit < 1.0 and k.label not in already]
    label = missing[0] if missing else None
    return Hint(label, scored, max(0, len(missing) - 1))
