"""Delivery readings from word timings: pace, fillers, long pauses, length. No audio."""

from __future__ import annotations

from audio.transcript import Segment, Transcript, Word
from simulator.delivery import analyse, count_fillers, long_pauses


def words_at(
    text: str, start: float = 0.0, step: float = 0.4, gaps: dict[int, float] | None = None
):
    """Words of ``text`` every ``step`` seconds; ``gaps`` adds silence before word i."""
    result, t = [], start
    for i, token in enumerate(text.split()):
        t += (gaps or {}).get(i, 0.0)
        result.append(Word(t, t + step * 0.8, " " + token, 0.9))
        t += step
    return result


def transcript(words: list[Word], duration: float | None = None) -> Transcript:
    segment = Segment(words[0].start, words[-1].end, "".join(w.text for w in words), tuple(words))
    return Transcript.from_segments([segment], duration or words[-1].end + 0.5, {})


def test_pace_in_range() -> None:
    words = words_at(" ".join(["word"] * 100), step=0.4)  # 150 words a minute
    d = analyse(transcript(words))
    assert 145 <= d.words_per_minute <= 155
    assert d.readings[0].endswith("wpm, within the 130-160 comfortable range")


def test_long_pauses_are_listed_and_left_out_of_pace() -> None:
    words = words_at(" ".join(["word"] * 100), step=0.4, gaps={50: 5.0, 80: 3.0})
    d = analyse(transcript(words))
    assert [round(p.length_s, 1) for p in d.long_pauses] == [5.1, 3.1]
    assert 19.9 < d.long_pauses[0].start_s < 20.0
    assert 145 <= d.words_per_minute <= 155  # the 8 s of silence do not slow the pace
    assert d.readings[2].startswith("2 pauses longer than 2 s: 5.1 s at 0:20")


def test_short_gaps_are_not_pauses() -> None:
    assert long_pauses(words_at("a b c d", gaps={2: 1.5})) == []


def test_fast_and_slow() -> None:
    fast = analyse(transcript(words_at(" ".join(["w"] * 60), step=0.25)))
    slow = analyse(transcript(words_at(" ".join(["w"] * 60), step=0.6)))
    assert "faster than the 130-160" in fast.readings[0]
    assert "slower than the 130-160" in slow.readings[0]


def test_fillers() -> None:
    text = (
        "Um, so bias is, uh, the error. You know, it is kind of like, basically wrong. "
        "Models like trees are a kind of model. I mean, actually it underfits."
    )
    counts = count_fillers(words_at(text))
    assert counts == {
        "um": 1,
        "uh": 1,
        "you know": 1,
        "kind of": 1,
        "like": 1,
        "basically": 1,
        "i mean": 1,
        "actually": 1,
    }


def test_like_as_a_verb_or_preposition_is_not_a_filler() -> None:
    assert count_fillers(words_at("I like models like random forests")) == {}


def test_readings_are_one_line_each() -> None:
    d = analyse(transcript(words_at("Um, the answer is, uh, regularization.")))
    assert d.filler_count == 2 and len(d.readings) == 4
    assert all("\n" not in r for r in d.readings)
    assert d.readings[1].startswith("2 filler words")
    assert d.readings[3] == "6 words in 0:03"
    assert d.to_dict()["fillers"] == {"um": 1, "uh": 1}


def test_empty_transcript() -> None:
    d = analyse(Transcript.from_segments([], 30.0, {}))
    assert d.word_count == 0 and d.words_per_minute == 0
    assert d.readings == ["No speech was heard: check the microphone and speak up."]
