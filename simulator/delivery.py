"""How an answer was delivered: pace, filler words, long pauses, length, from word timings.

Pure functions over an ``audio.transcript.Transcript``; no audio is needed. Pace counts only
speaking time: pauses longer than :data:`LONG_PAUSE_S` are left out of it.
"""

from __future__ import annotations

import re
from dataclasses import asdict, dataclass, field
from typing import Any

from audio.transcript import Transcript, Word
from simulator.format import mmss

LONG_PAUSE_S = 2.0
COMFORTABLE_WPM = (130, 160)
SINGLE_FILLERS = {"um", "umm", "uh", "uhh", "er", "erm", "ah", "hmm", "basically", "actually"}
PHRASE_FILLERS = (("you", "know"), ("sort", "of"), ("kind", "of"), ("i", "mean"))
_CLAUSE_END = re.compile(r"[,.;:!?]$")


@dataclass(frozen=True)
class Pause:
    start_s: float
    length_s: float


@dataclass(frozen=True)
class Delivery:
    duration_s: float
    speaking_s: float
    word_count: int
    words_per_minute: float
    fillers: dict[str, int] = field(default_factory=dict)
    filler_count: int = 0
    long_pauses: list[Pause] = field(default_factory=list)
    readings: list[str] = field(default_factory=list)

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)


def _token(word: Word) -> str:
    return re.sub(r"[^a-z']", "", word.text.lower())


def count_fillers(words: list[Word] | tuple[Word, ...]) -> dict[str, int]:
    """Filler words and phrases; "like" counts only where it is set off as a filler."""
    tokens = [_token(w) for w in words]
    counts: dict[str, int] = {}
    i = 0
    while i < len(tokens):
        pair = tuple(tokens[i : i + 2])
        if pair in PHRASE_FILLERS and _is_set_off(words, i, i + 1):
            name = " ".join(pair)
            counts[name] = counts.get(name, 0) + 1
            i += 2
            continue
        token = tokens[i]
        if token in SINGLE_FILLERS or (token == "like" and _like_is_filler(words, i)):
            counts[token] = counts.get(token, 0) + 1
        i += 1
    return counts


_DETERMINERS = {"a", "an", "the", "this", "that", "what", "some", "any", "one", "every", "which"}


def _is_set_off(words, first: int, last: int) -> bool:
    """ "kind of" unless it names a kind ("a kind of model"); "you know", "I mean" set off."""
    if _token(words[first]) in ("kind", "sort"):
        return first == 0 or _token(words[first - 1]) not in _DETERMINERS
    before = first == 0 or bool(_CLAUSE_END.search(words[first - 1].text.strip()))
    after = last == len(words) - 1 or bool(_CLAUSE_END.search(words[last].text.strip()))
    return before or after


def _like_is_filler(words, i: int) -> bool:
    """ "like" followed or preceded by a comma, or opening a clause; not "models like trees"."""
    text = words[i].text.strip()
    if _CLAUSE_END.search(text):
        return True
    return i == 0 or bool(_CLAUSE_END.search(words[i - 1].text.strip()))


def long_pauses(words: list[Word] | tuple[Word, ...], minimum: float = LONG_PAUSE_S) -> list[Pause]:
    return [
        Pause(round(a.end, 2), round(b.start - a.end, 2))
        for a, b in zip(words, words[1:], strict=False)
        if b.start - a.end > minimum
    ]


def analyse(transcript: Transcript) -> Delivery:
    """Pace, fillers, long pauses and length of a transcribed answer, with one-line readings."""
    words = [w for w in transcript.words if _token(w)]
    pauses = long_pauses(words)
    span = words[-1].end - words[0].start if words else 0.0
    speaking_s = max(span - sum(p.length_s for p in pauses), 0.0)
    wpm = len(words) / speaking_s * 60 if speaking_s > 0 else 0.0
    fillers = count_fillers(words)
    filler_count = sum(fillers.values())
    delivery = Delivery(
        duration_s=round(transcript.duration_s, 2),
        speaking_s=round(speaking_s, 2),
        word_count=len(words),
        words_per_minute=round(wpm, 1),
        fillers=fillers,
        filler_count=filler_count,
        long_pauses=pauses,
    )
    delivery.readings.extend(readings(delivery))
    return delivery


def readings(d: Delivery) -> list[str]:
    """One line each on pace, fillers, pauses and length."""
    if d.word_count == 0:
        return ["No speech was heard: check the microphone and speak up."]
    low, high = COMFORTABLE_WPM
    wpm = round(d.words_per_minute)
    if wpm < low:
        pace = f"{wpm} wpm, slower than the {low}-{high} comfortable range"
    elif wpm > high:
        pace = f"{wpm} wpm, faster than the {low}-{high} comfortable range: slow down a little"
    else:
        pace = f"{wpm} wpm, within the {low}-{high} comfortable range"
    per_minute = d.filler_count / d.speaking_s * 60 if d.speaking_s else 0.0
    if d.filler_count == 0:
        filler = "No filler words."
    else:
        top = ", ".join(f'"{k}" x{v}' for k, v in sorted(d.fillers.items(), key=lambda kv: -kv[1]))
        filler = f"{d.filler_count} filler words ({per_minute:.1f} a minute): {top}"
    if d.long_pauses:
        at = ", ".join(f"{p.length_s:.1f} s at {mmss(p.start_s)}" for p in d.long_pauses[:5])
        pause = f"{len(d.long_pauses)} pauses longer than {LONG_PAUSE_S:.0f} s: {at}"
    else:
        pause = f"No pauses longer than {LONG_PAUSE_S:.0f} s."
    length = f"{d.word_count} words in {mmss(d.duration_s)}"
    return [pace, filler, pause, length]
