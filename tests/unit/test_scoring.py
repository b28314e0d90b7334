"""Key-point coverage: tolerant of speech-recognition slips, strict about meaning."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from content.bank import Bank, KeyPoint, Question, load_bank
from simulator.scoring import coverage, key_terms
from tests.ordering import KINDS, Ordering

DATA = Path(__file__).parent / "data"


@pytest.fixture(scope="module")
def bank() -> Bank:
    return load_bank()


def l1_l2() -> Question:
    return Question(
        number=4,
        topic="Regularization",
        text="What is the difference between L1 and L2 regularization?",
        model_answer=(
            "L1 (Lasso) adds the sum of absolute weights to the loss. L2 (Ridge) adds the sum "
            "of squared weights. L1 drives weights to exactly zero, producing sparse models."
        ),
        key_points=(
            KeyPoint("L1 adds absolute weights", ("sum of absolute weights", "lasso"), 2.0),
            KeyPoint("L2 adds squared weights", ("sum of squared weights", "ridge"), 2.0),
            KeyPoint("L1 gives sparsity", ("drives weights to zero", "sparse models")),
        ),
    )


def test_covered_points_have_spans_in_transcript_and_model_answer() -> None:
    question = l1_l2()
    answer = "Well, lasso uses the absolute weights summed up, and that gives sparse models."
    result = coverage(question, answer)
    by_label = {k.label: k for k in result.key_points}
    sparse = by_label["L1 gives sparsity"]
    assert sparse.covered
    assert answer[sparse.transcript_span.start : sparse.transcript_span.end] == "sparse models"
    assert any(
        question.model_answer[s.start : s.end] == "sparse models" for s in sparse.answer_spans
    )
    assert not by_label["L2 adds squared weights"].covered
    assert by_label["L2 adds squared weights"].transcript_span is None
    assert [k.label for k in result.missed] == ["L2 adds squared weights"]
    assert 0.55 < result.coverage < 0.65  # 3 of 5 weight units, all on topic


def test_l2_never_credits_l1() -> None:
    question = l1_l2()
    right = coverage(question, "L1 adds the sum of absolute weights to the loss.")
    swapped = coverage(question, "L2 adds the sum of absolute weights to the loss.")
    assert right.key_points[0].covered
    assert not swapped.key_points[0].covered


def test_precision_is_not_recall(bank: Bank) -> None:
    question = bank.question(7)
    right = coverage(question, "Use precision when false positives are expensive, like spam.")
    swapped = coverage(question, "Use recall when false positives are expensive, like spam.")
    assert right.coverage > swapped.coverage


@pytest.mark.parametrize(
    ("number", "written", "heard"),
    [
        (2, "I use k-fold cross-validation.", "I use k fold cross validation."),
        (4, "It is also called lasso.", "It is also called LSO."),
        (9, "k is usually 5 or 10", "k is usually five or ten"),
        (
            3,
            "Regularization penalizes large weights.",
            "you regularize so big weights get penalized",
        ),
    ],
    ids=["split-compounds", "lasso-as-LSO", "numbers-as-words", "inflections"],
)
def test_speech_recognition_slips_score_like_the_written_answer(
    bank: Bank, number: int, written: str, heard: str
) -> None:
    question = bank.question(number)
    expected = coverage(question, written)
    assert expected.covered, "the written form should cover something"
    got = coverage(question, heard)
    assert {k.label for k in got.covered} == {k.label for k in expected.covered}


def test_three_letter_acronym_heard_with_an_extra_letter() -> None:
    question = Question(
        number=1,
        topic="Evaluation",
        text="How do you compare classifiers?",
        model_answer="Plot the ROC curve.",
        key_points=(KeyPoint("ROC curve", ("roc curve",)),),
    )
    assert coverage(question, "I would plot the rock curve").key_points[0].covered
    assert not coverage(question, "I would plot the rocket curve").key_points[0].covered


def test_repeating_the_question_earns_almost_nothing(bank: Bank) -> None:
    for question in bank.questions:
        echoed = coverage(question, f"{question.text} {question.text}")
        assert echoed.coverage <= 0.1, (question.number, [k.label for k in echoed.covered])


def test_empty_and_silent_answers_score_zero(bank: Bank) -> None:
    for text in ("", "   ", "um uh", "[inaudible]"):
        assert coverage(bank.question(1), text).coverage == 0.0


def test_model_answer_covers_itself(bank: Bank) -> None:
    for question in bank.questions:
        result = coverage(question, question.model_answer)
        assert result.coverage >= 0.8, (question.number, [k.label for k in result.missed])
        assert all(k.answer_spans for k in question_results(result)), question.number


def question_results(result):
    return result.key_points


def test_key_terms_are_distinctive_words(bank: Bank) -> None:
    terms = key_terms(bank.question(4))
    lowered = [t.lower() for t in terms]
    assert "lasso" in lowered and "ridge" in lowered and "l1" in lowered
    assert "the" not in lowered and len(terms) <= 30


def test_to_dict_is_the_json_contract() -> None:
    data = coverage(l1_l2(), "lasso gives sparse models").to_dict()
    assert set(data) >= {"question", "coverage", "transcript", "key_points"}
    point = data["key_points"][0]
    assert set(point) >= {"label", "covered", "score", "transcript_span"}
    json.dumps(data)


@pytest.mark.parametrize("name", ["coverage_answers.json", "coverage_answers_holdout.json"])
def test_independent_answers_are_ordered_strong_partial_off_topic(bank: Bank, name: str) -> None:
    """Answers written without seeing the key points: strong > partial > off-topic."""
    path = DATA / name
    if not path.exists():
        pytest.fail(f"{path} is missing")
    items = json.loads(path.read_text())
    tally = Ordering()
    for item in items:
        question = bank.question(item["question"])
        scores = {k: coverage(question, item[k]).coverage for k in KINDS}
        tally.add(question.number, scores)
        assert scores["strong"] > scores["off_topic"] + 0.3, (question.number, scores)
    assert tally.ordered / tally.pairs >= 0.93, tally.misordered
    assert tally.mean_gap >= 0.5
