"""Coverage round-trips through its stored form, and one helper marks it for display."""

from __future__ import annotations

from content.bank import load_bank
from simulator.highlight import answer_marks, segments, transcript_marks
from simulator.scoring import Coverage, Span, coverage

BANK = load_bank()
SAID = (
    "Bias is error from wrong assumptions, so the model underfits; variance is sensitivity "
    "to the training data, so it overfits."
)


def test_coverage_round_trips_through_its_dict() -> None:
    scored = coverage(BANK.question(1), SAID)
    again = Coverage.from_dict(scored.to_dict())
    assert again.to_dict() == scored.to_dict()
    assert [k.label for k in again.covered] == [k.label for k in scored.covered]
    assert all(isinstance(k.transcript_span, Span) for k in again.covered)


def test_from_dict_tolerates_missing_and_unknown_keys() -> None:
    stored = {
        "coverage": 0.5,
        "key_points": [
            {"label": "a", "covered": True, "transcript_span": [0, 3], "from_the_future": 1},
            {"label": "b"},
        ],
        "unknown": "ignored",
    }
    read = Coverage.from_dict(stored)
    first, second = read.key_points
    assert first.covered and first.transcript_span == Span(0, 3) and first.answer_spans == ()
    assert not second.covered and second.transcript_span is None and second.phrasing is None
    assert read.question == 0 and read.transcript == ""
    assert getattr(first, "credit", 1.0) == 1.0 and getattr(second, "credit", 0.0) == 0.0


def test_marks_are_clipped_and_segments_cover_the_text() -> None:
    read = Coverage.from_dict(
        {
            "key_points": [
                {
                    "label": "a",
                    "covered": True,
                    "transcript_span": [2, 99],
                    "answer_spans": [[0, 2]],
                },
                {
                    "label": "b",
                    "covered": False,
                    "transcript_span": [0, 1],
                    "answer_spans": [[3, 4]],
                },
            ]
        }
    )
    (said,) = transcript_marks(read, "hello")
    assert (said.start, said.end, said.point, said.label) == (2, 5, 0, "a")
    assert [(m.start, m.end, m.covered) for m in answer_marks(read, "abcdef")] == [
        (0, 2, True),
        (3, 4, False),
    ]
    assert answer_marks(read, "abcdef", missed=False)[0].label == "a"
    runs = segments("hello", [said])
    assert "".join(run for run, _ in runs) == "hello"
    assert [mark is not None for _, mark in runs] == [False, True]
