"""Key points extracted from a model answer: clause-level ideas, and how they are scored.

Extraction runs on real text; scoring by meaning uses the real bundled embedding model.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from content.bank import Question
from content.extract import extract_ideas, extract_key_points
from simulator.meaning.index import MeaningIndex, load_index
from simulator.scoring import coverage

SAND_Q = "Explain why the sand and flour separate when mixed with water."
SAND_A = (
    "The sand particles are larger and settle first. "
    "The flour particles are smaller and therefore settle more slowly."
)


def question(text: str, answer: str) -> Question:
    return Question(1, "t", text, answer, tuple(extract_key_points(text, answer)), True)


@pytest.fixture(scope="module")
def index(tmp_path_factory: pytest.TempPathFactory) -> MeaningIndex:
    return load_index(tmp_path_factory.mktemp("extract-cache"))


def test_a_sentence_is_cut_into_its_ideas_at_clause_boundaries() -> None:
    ideas = extract_ideas(SAND_Q, SAND_A)
    assert [i.text for i in ideas] == [
        "The sand particles are larger",
        "settle first",
        "The flour particles are smaller",
        "settle more slowly",
    ]
    for idea in ideas:
        assert SAND_A[idea.start : idea.end] == idea.text  # spans point into the answer
        assert idea.key_point.label == idea.text


def test_phrasings_are_the_ideas_own_words_not_the_questions() -> None:
    points = extract_key_points(SAND_Q, SAND_A)
    words = {w.lower() for p in points for phrasing in p.phrasings for w in phrasing.split()}
    assert {"larger", "smaller", "slowly"} <= words
    assert not words & {"sand", "flour", "settles", "therefore", "the"}


@pytest.mark.parametrize(
    ("answer", "clauses"),
    [
        (
            "L1 adds absolute weights to the loss, which drives many weights to zero; "
            "L2 adds squared weights because it is smooth and differentiable everywhere.",
            [
                "L1 adds absolute weights to the loss",
                "drives many weights to zero",
                "L2 adds squared weights",
                "it is smooth and differentiable everywhere",
            ],
        ),
        (
            "It has two parts: (1) an encoder that reads the input sequence "
            "(2) a decoder that writes the output tokens.",
            ["It has two parts", "an encoder that reads the input sequence",
             "a decoder that writes the output tokens"],
        ),
    ],
)  # fmt: skip
def test_semicolons_conjunctions_and_numbered_items_split(answer: str, clauses: list[str]) -> None:
    texts = [i.text for i in extract_ideas("What is it?", answer)]
    assert texts == clauses


def test_and_between_two_words_of_one_idea_does_not_split() -> None:
    ideas = extract_ideas(
        "What is the trade-off?", "Bias and variance move in opposite directions."
    )
    assert [i.text for i in ideas] == ["Bias and variance move in opposite directions"]


def test_an_answer_without_an_idea_of_two_words_becomes_one_key_point() -> None:
    points = extract_key_points("What happens to earth materials during deposition?",
                                "Earth materials settle out during deposition.")  # fmt: skip
    assert len(points) == 1
    assert points[0].phrasings == ("settle",)
    only_question = extract_key_points("What is a neuron?", "A neuron.")
    assert len(only_question) == 1 and only_question[0].phrasings == ("neuron",)


def test_coverage_is_graded_over_the_ideas_of_one_answer() -> None:
    q = question(SAND_Q, SAND_A)
    full = coverage(q, SAND_A)
    half = coverage(q, "The sand particles are larger and settle first.")
    none = coverage(q, "Photosynthesis turns light into sugar in the leaves.")
    assert full.coverage == pytest.approx(1.0)
    assert [k.credit for k in half.key_points][:2] == [1.0, 1.0]
    assert none.coverage < 0.05 < half.coverage < full.coverage


def test_an_idea_in_other_words_is_credited_by_meaning_against_its_clause(
    index: MeaningIndex,
) -> None:
    q = question(
        "Why does the bulb go out when the switch is opened?",
        "Opening the switch breaks the circuit, so no current can flow through the bulb.",
    )
    text = "There is now a gap in the loop and electricity stops moving through the lamp."
    without, with_meaning = coverage(q, text), coverage(q, text, index)
    assert with_meaning.coverage > without.coverage
    earned = [k for k in with_meaning.key_points if k.credit > 0 and k.evidence == "meaning"]
    assert earned
    for point in earned:
        assert point.transcript_span is not None
        # the model answer highlights the clause the key point came from
        start, end = point.answer_spans[0].start, point.answer_spans[0].end
        assert q.model_answer[start:end] in {i.text for i in extract_ideas(q.text, q.model_answer)}
    off = coverage(q, "Mitochondria produce most of the cell's energy as ATP.", index)
    assert off.coverage < 0.1 < with_meaning.coverage


def test_a_swapped_contrast_term_never_earns_an_extracted_idea(index: MeaningIndex) -> None:
    q = question(
        "What does L1 regularization do to the weights?",
        "L1 drives many weights to exactly zero, which gives a sparse model.",
    )
    swapped = coverage(
        q, "L2 drives many weights to exactly zero, which gives a sparse model.", index
    )
    right = coverage(
        q, "L1 drives many weights to exactly zero, which gives a sparse model.", index
    )
    assert right.coverage > swapped.coverage
    first = swapped.key_points[0]
    assert first.label.startswith("L1") and first.credit == 0.0


def test_edited_key_points_are_scored_as_the_banks_own(tmp_path: Path) -> None:
    """A question marked extracted whose points no longer match the extraction (edited in
    memory) falls back to the bank path instead of pairing them with the wrong clauses."""
    points = extract_key_points(SAND_Q, SAND_A)[:2]
    q = Question(1, "t", SAND_Q, SAND_A, tuple(points), True)
    result = coverage(q, SAND_A)
    assert [k.label for k in result.key_points] == [p.label for p in points]
    assert all(k.covered for k in result.key_points)
