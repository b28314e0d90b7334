"""Follow-up questions: which missed key point to probe, how to ask, and what the answer adds.

After an answer that missed key points, the interviewer asks one follow-up. :func:`choose`
picks the point to probe from the answer's coverage: the heaviest key point that earned nothing
(a bank's order breaks ties, and a point with a written follow-up wins over one without). The
question asked is the bank's follow-up for that point (``#### Follow-ups``), or, for a bank that
has none, a neutral probe built from the question's topic ("What else matters here?" and its
variants), which never names the point.

The follow-up answer is scored against the points still missing (every key point the first
answer did not fully cover), with the follow-up's own text as the question, so echoing the
follow-up earns as little as repeating a question does (:func:`scoring_question`).
:func:`combine` then folds what it recovered into the first answer's coverage: each recovered
point keeps the credit it earned and is marked ``follow_up``, and it is worth
:data:`FOLLOW_UP_SHARE` of its weight in the answer's figure, since the interviewer had to ask
for it. An answer a follow-up added to is *assisted* (its FSRS rating is a step lower).
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from typing import TYPE_CHECKING, Any

from content.questions import KeyPoint, Question

if TYPE_CHECKING:  # scoring (numpy, rapidfuzz) loads only once an answer is scored
    from simulator.scoring import Coverage

FOLLOW_UP_SHARE = 0.5
"""What a key point recovered in the follow-up adds to the answer's figure, as a share of what
it would have added in the first answer."""

_PROBES = (
    "What else matters here?",
    "What else would you add about {topic}?",
    "Is there anything important you have not mentioned yet?",
    "What else should someone know about {topic}?",
)
"""Neutral probes for banks without written follow-ups; ``{topic}`` is the question's topic."""


@dataclass(frozen=True)
class FollowUp:
    """The follow-up asked after an answer: the text, the point it probes, what is missing."""

    text: str
    point: str
    """The label of the key point it probes (never said to the candidate)."""
    missing: tuple[str, ...]
    """Labels of every key point the first answer did not fully cover: what the follow-up's
    answer is scored against."""
    written: bool
    """True: the bank's own follow-up; False: a neutral probe."""


def choose(question: Question, coverage: Coverage | None) -> FollowUp | None:
    """The follow-up to ask after an answer with this coverage; None if nothing was missed."""
    if coverage is None:
        return None
    results = {r.label: r for r in coverage.key_points}
    points = [p for p in question.key_points if p.label in results]
    missed = [p for p in points if results[p.label].credit <= 0.0]
    if not missed:
        return None
    order = {p.label: number for number, p in enumerate(question.key_points)}
    probed = min(missed, key=lambda p: (-p.weight, not p.follow_up, order[p.label]))
    missing = tuple(p.label for p in points if results[p.label].credit < 1.0)
    if probed.follow_up:
        return FollowUp(probed.follow_up, probed.label, missing, written=True)
    return FollowUp(neutral_probe(question, probed), probed.label, missing, written=False)


def neutral_probe(question: Question, point: KeyPoint) -> str:
    """A probe that names no key point: the topic is said only if it shares no word with it."""
    template = _PROBES[question.number % len(_PROBES)]
    topic = question.topic.strip()
    if "{topic}" in template:
        told = _words(" ".join((point.label, *point.phrasings)))
        if not topic or _words(topic) & told:
            template = _PROBES[0]
    return template.format(topic=_topic_phrase(topic))


def scoring_question(question: Question, follow_up: FollowUp) -> Question:
    """The question a follow-up answer is scored as: the follow-up, with the missing points."""
    wanted = set(follow_up.missing)
    return replace(
        question,
        text=follow_up.text,
        key_points=tuple(p for p in question.key_points if p.label in wanted),
    )


def combine(first: Coverage, follow_up: Coverage) -> Coverage:
    """The first answer's coverage with what the follow-up's answer recovered.

    A key point the follow-up covered better than the first answer takes the follow-up's
    credit and is marked ``follow_up`` (its span is in the follow-up's transcript, so it has
    none in the first answer's); the figure rises by :data:`FOLLOW_UP_SHARE` of the extra
    weighted credit, scaled as key points are in the first answer's figure.
    """
    from simulator.scoring import ON_TOPIC_SHARE

    later = {r.label: r for r in follow_up.key_points}
    total = sum(r.weight for r in first.key_points) or 1.0
    gained = 0.0
    results = []
    for result in first.key_points:
        found = later.get(result.label)
        if found is None or found.credit <= result.credit:
            results.append(result)
            continue
        gained += result.weight * (found.credit - result.credit)
        results.append(
            replace(
                result,
                covered=found.covered,
                credit=found.credit,
                evidence=found.evidence,
                score=max(result.score, found.score),
                phrasing=found.phrasing,
                transcript_span=None,
                follow_up=True,
            )
        )
    figure = first.coverage + (1 - ON_TOPIC_SHARE) * FOLLOW_UP_SHARE * gained / total
    return replace(first, coverage=min(1.0, figure), key_points=tuple(results))


def rescore(
    question: Question,
    text: str,
    later: tuple[str, str, tuple[str, ...]] | None,
    meaning: Any = None,
    *,
    hinted: frozenset[str] = frozenset(),
    model_answer_first: bool = False,
) -> tuple[Coverage, Coverage | None]:
    """An answer scored again, with its follow-up if it had one: ``later`` is (what was asked,
    what was said, the labels it was scored against); ``hinted`` and ``model_answer_first`` are
    the help the answer had, kept on the record. Returns (the answer as completed, the
    follow-up's own coverage)."""
    from simulator.scoring import coverage

    first = coverage(question, text, meaning, hinted=hinted, model_answer_first=model_answer_first)
    if later is None:
        return first, None
    prompt, said, missing = later
    asked = scoring_question(question, FollowUp(prompt, "", missing, written=True))
    own = coverage(asked, said, meaning)
    return combine(first, own), own


def recovered(coverage: Coverage | None) -> list[str]:
    """Labels of the key points that came in the follow-up."""
    points = getattr(coverage, "key_points", None) or ()
    return [r.label for r in points if getattr(r, "follow_up", False)]


def _words(text: str) -> set[str]:
    from content.text import content_tokens, stem

    return {stem(t.norm) for t in content_tokens(text)}


def _topic_phrase(topic: str) -> str:
    """A topic heading as words in a sentence ("Bias-Variance & Overfitting" stays readable)."""
    return topic.replace("&", "and")
