"""How well each question is remembered: one FSRS card per question per bank (py-fsrs).

FSRS (the Free Spaced Repetition Scheduler, Anki's scheduler since 23.10) models each card's
memory with a stability (days until recall drops to 90%) and a difficulty, updated by every
review and its rating. On the open benchmark of 10,000 Anki collections it predicts recall far
better than SM-2 (log loss 0.339 against 0.547 with default parameters). We use the ``fsrs``
package (py-fsrs, pinned to major version 6) with its default parameters, and never write the
algorithm ourselves.

**Each scored answer is one review**, at the time the answer began, rated from its coverage by
:func:`rating`:

=================  ==========  ==================================================
coverage           rating      why
=================  ==========  ==================================================
below 40%          Again       most key points missing: the answer was not recalled
40% to below 60%   Hard        the gist with real gaps: recalled, with difficulty
60% to below 90%   Good        most key points said (SM-2's old passing line, 60%)
90% and above      Easy        essentially the whole model answer
=================  ==========  ==================================================

FSRS counts Again as a lapse and every other rating as a successful recall, so its recall
probability means "would cover at least 40% of the key points". An answer that needed help
(``assisted``: a hint, or completed through follow-up questions) rates one step lower: it shows
less independent recall than its coverage says.

The scheduler runs without learning steps (no "again in 1 minute / 10 minutes"): a rehearsal's
unit is the day, and an immediate retry is the feedback screen's "try again". Every card is
therefore in FSRS's Review state with whole-day intervals (at least one day), and several
answers on one day are same-day reviews, which FSRS weighs through its short-term stability.
Fuzzing is off so a replayed history always gives the same schedule. The desired retention (the
recall probability at which a card falls due) is a setting, 0.9 by default.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, replace
from datetime import UTC, date, datetime
from functools import lru_cache
from typing import TYPE_CHECKING

if TYPE_CHECKING:  # fsrs is imported when a card is first touched, not at start-up
    from fsrs import Card, Rating, Scheduler

DEFAULT_RETENTION = 0.9
RATINGS = ((0.9, 4), (0.6, 3), (0.4, 2))
"""(lowest coverage, rating: 4 Easy, 3 Good, 2 Hard); below the last, 1 Again."""
ASSISTED_STEPS = 1
"""How many steps lower an assisted (hinted or follow-up-completed) answer rates."""

Key = tuple[str, int, str]
"""(bank name, question number, topic): one card per question per bank."""


@dataclass(frozen=True)
class Review:
    """One scored answer, as the scheduler sees it."""

    key: Key
    coverage: float
    at: datetime
    """When the answer began (timezone-aware)."""
    assisted: bool = False


@dataclass(frozen=True)
class Memory:
    """The FSRS state of one question after all its reviews."""

    bank_name: str
    question: int
    topic: str
    stability: float
    """Days until the predicted recall falls to 90%."""
    difficulty: float
    """1 (easy) to 10 (hard)."""
    state: int
    step: int | None
    last_review: datetime
    due: datetime
    """When recall is predicted to fall to the desired retention."""
    reviews: int
    lapses: int
    """Reviews rated Again."""
    retention: float
    """The desired retention ``due`` was computed for."""

    @property
    def key(self) -> Key:
        return (self.bank_name, self.question, self.topic)

    @property
    def due_day(self) -> date:
        """The local calendar day the question falls due."""
        return self.due.astimezone().date()

    def recall(self, now: datetime | None = None) -> float:
        """The predicted probability of recalling the answer at ``now`` (0..1)."""
        now = (now or datetime.now(UTC)).astimezone(UTC)
        return float(scheduler(self.retention).get_card_retrievability(_card(self), now))


def rating(coverage: float, *, assisted: bool = False) -> Rating:
    """The FSRS rating of an answer with this coverage (see the module docstring)."""
    from fsrs import Rating

    value = int(Rating.Again)
    for lowest, rated in RATINGS:
        if coverage >= lowest:
            value = rated
            break
    if assisted:
        value = max(int(Rating.Again), value - ASSISTED_STEPS)
    return Rating(value)


@lru_cache(maxsize=8)
def scheduler(retention: float = DEFAULT_RETENTION) -> Scheduler:
    """The FSRS scheduler for a desired retention (default parameters, days, no fuzz)."""
    from fsrs import Scheduler

    if not 0.5 <= retention < 1.0:
        raise ValueError(f"desired retention must be from 0.5 to below 1, not {retention}")
    return Scheduler(
        desired_retention=retention,
        learning_steps=(),
        relearning_steps=(),
        enable_fuzzing=False,
    )


def review(memory: Memory | None, answer: Review, retention: float) -> Memory:
    """``memory`` (None: a question never answered) after one more answer."""
    from fsrs import Card, Rating

    card = _card(memory) if memory is not None else Card(card_id=1, due=_utc(answer.at))
    reviewed, _log = scheduler(retention).review_card(
        card, rating(answer.coverage, assisted=answer.assisted), _utc(answer.at)
    )
    lapse = rating(answer.coverage, assisted=answer.assisted) == Rating.Again
    bank_name, question, topic = answer.key
    previous = memory or Memory(bank_name, question, topic, 0, 0, 0, None, answer.at,
                                answer.at, 0, 0, retention)  # fmt: skip
    return replace(
        previous,
        stability=float(reviewed.stability or 0.0),
        difficulty=float(reviewed.difficulty or 0.0),
        state=int(reviewed.state),
        step=reviewed.step,
        last_review=_utc(answer.at),
        due=reviewed.due,
        reviews=previous.reviews + 1,
        lapses=previous.lapses + int(lapse),
        retention=retention,
    )


def replay(answers: Iterable[Review], retention: float = DEFAULT_RETENTION) -> dict[Key, Memory]:
    """Every question's memory after its answers, taken in time order."""
    memories: dict[Key, Memory] = {}
    for answer in sorted(answers, key=lambda a: _utc(a.at)):
        memories[answer.key] = review(memories.get(answer.key), answer, retention)
    return memories


def _card(memory: Memory) -> Card:
    from fsrs import Card, State

    return Card(
        card_id=1,
        state=State(memory.state),
        step=memory.step,
        stability=memory.stability,
        difficulty=memory.difficulty,
        due=_utc(memory.due),
        last_review=_utc(memory.last_review),
    )


def _utc(moment: datetime) -> datetime:
    """FSRS wants UTC datetimes (and refuses any other zone, even +00:00 written otherwise)."""
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=UTC)
    return moment.astimezone(UTC)
