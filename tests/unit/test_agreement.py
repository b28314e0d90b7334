"""Soft recall and the agreement of a whole answer, for banks with extracted key points.

The real bundled embedding model; the banks are built here as a user's own bank would be
(questions and model answers only), one with other accepted answers.
"""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

import numpy as np
import pytest

from content.bank import Question
from content.extract import extract_key_points
from simulator.agreement import Agreement
from simulator.meaning.alignment import (
    NEGATED,
    NEGATION_WEIGHT,
    QUESTION_WORD_WEIGHT,
    STOPWORD_WEIGHT,
    answer_words,
    piece_weights,
    reference,
    soft_recall,
)
from simulator.meaning.index import MeaningIndex, load_index
from simulator.meaning.units import PASSAGE_WORDS, split_passages
from simulator.scoring import coverage


@pytest.fixture(scope="module")
def index(tmp_path_factory: pytest.TempPathFactory) -> MeaningIndex:
    return load_index(tmp_path_factory.mktemp("agreement-cache"))


def flashcard(text: str, answer: str, *accepted: str) -> Question:
    """A question of a bank without key points: they are extracted, as on import."""
    return Question(
        1,
        "Deck",
        text,
        answer,
        tuple(extract_key_points(text, answer)),
        True,
        accepted_answers=accepted,
    )


def test_one_forward_pass_gives_the_sentence_vector_and_its_word_pieces(
    index: MeaningIndex,
) -> None:
    text = "A battery stores charge between two plates."
    vectors, pieces = index.encoder.encode_with_tokens([text, ""])
    assert np.allclose(vectors[0], index.encoder.encode([text])[0], atol=1e-6)
    assert not vectors[1].any() and len(pieces[1].vectors) == 0
    words = [text[a:b] for a, b in pieces[0].offsets]
    assert words[:2] == ["A", "battery"] and words[-1] == "."
    norms = np.linalg.norm(pieces[0].vectors.astype(np.float32), axis=1)
    assert np.allclose(norms, 1.0, atol=1e-2)


def test_pieces_weigh_as_their_word(index: MeaningIndex) -> None:
    text = "The bulb is in a closed path, not an open one."
    pieces = index.tokens([text])[0]
    weights = dict(
        zip(
            [text[a:b] for a, b in pieces.offsets],
            piece_weights(text, pieces, frozenset({"bulb"})),
            strict=True,
        )
    )
    assert weights["The"] == STOPWORD_WEIGHT
    assert weights["bulb"] == QUESTION_WORD_WEIGHT
    assert weights["closed"] == 1.0
    assert weights["not"] == NEGATION_WEIGHT > STOPWORD_WEIGHT
    assert weights["."] == 0.0


def test_passages_hold_every_word_once() -> None:
    long = " ".join(f"w{i}" for i in range(PASSAGE_WORDS + 7)) + ". Short one."
    passages = split_passages(long)
    assert [len(p.text.split()) for p in passages] == [PASSAGE_WORDS, 7, 2]
    assert " ".join(p.text for p in passages).split() == long.split()
    assert all(long[p.start : p.end] == p.text for p in passages)


def test_soft_recall_credits_other_words_and_not_another_subject(index: MeaningIndex) -> None:
    model = "The bulb lights because it is still in a closed path with the battery."
    passages = [p.text for p in split_passages(model)]
    ref = reference(passages, index.tokens(passages), frozenset({"bulb", "light"}))

    def recall(text: str) -> float:
        return soft_recall(ref, index.tokens([text]), answer_words(text))

    same = recall(model)
    other_words = recall("There is still a complete loop from the battery through it.")
    unrelated = recall("Photosynthesis turns sunlight into sugar in the leaves.")
    assert same > 0.99
    assert same > other_words > unrelated
    assert soft_recall(ref, [], frozenset()) == 0.0


@pytest.mark.parametrize(
    ("model", "swapped"),
    [
        (
            "L1 drives weights to exactly zero, so it selects features.",
            "L2 drives weights to exactly zero, so it selects features.",
        ),
        (
            "High precision means few false positives among the predicted positives.",
            "High recall means few false positives among the predicted positives.",
        ),
        (
            "Overfitting shows as a low training error and a high validation error.",
            "Underfitting shows as a low training error and a high validation error.",
        ),
        (
            "Bagging lowers the variance of the ensemble.",
            "Bagging lowers the bias of the ensemble.",
        ),
    ],
)
def test_a_swapped_contrast_term_is_not_said_by_a_close_vector(
    index: MeaningIndex, model: str, swapped: str
) -> None:
    card = flashcard("What does it mean?", model)
    right = coverage(card, model, index)
    wrong = coverage(card, swapped, index)
    assert right.agreement is not None and wrong.agreement is not None
    assert wrong.agreement.soft_recall <= right.agreement.soft_recall - 0.1
    assert wrong.coverage < right.coverage - 0.1


def test_the_side_of_a_contrast_is_judged_against_the_model_answer_not_the_question(
    index: MeaningIndex,
) -> None:
    card = flashcard(
        "Why are the other terminals in a different state from the negative terminal?",
        "They are not connected to the negative terminal; they are connected to the positive "
        "battery terminal.",
    )
    right = coverage(card, "Because they are connected to the positive battery terminal.", index)
    assert right.agreement is not None and right.coverage >= 0.6
    asked = flashcard(
        "What is underfitting?",
        "Underfitting is when a model is too simple to capture the pattern, so it does badly "
        "on the training data and on new data alike.",
    )
    other_side = "Overfitting is when a model is too complex and memorises the training data "
    other_side += "noise, so it does well on training data and badly on new data."
    wrong = coverage(asked, other_side, index)
    assert wrong.agreement is not None and wrong.coverage < 0.3


def test_a_negation_is_said_only_by_a_negation(index: MeaningIndex) -> None:
    card = flashcard(
        "Why do the other terminals read a different voltage?",
        "Terminals 4, 5 and 6 are not connected to the negative battery terminal.",
    )

    def recall(text: str) -> float:
        agreed = coverage(card, text, index).agreement
        assert agreed is not None
        return agreed.soft_recall

    right = recall("Terminals 4, 5 and 6 are not connected to the negative battery terminal.")
    assert recall("Terminals 4, 5 and 6 are connected to the negative battery terminal.") < (
        right - 0.05
    )
    for negated in ("aren't", "are never"):
        said = f"Terminals 4, 5 and 6 {negated} connected to the negative battery terminal."
        assert recall(said) >= right - 0.02, negated
    assert NEGATED in answer_words("It isn\u2019t sparse.") and NEGATED in answer_words("no")
    assert NEGATED not in answer_words("At time t the gradient is small.")


def test_an_answer_matching_another_accepted_answer_is_credited(index: MeaningIndex) -> None:
    text = "Name one way to reduce overfitting."
    answer = "Add more training data so the model cannot memorise the noise."
    other = "Regularise: L2 weight decay or dropout keep the weights small."
    said = "I would use dropout or weight decay so the weights stay small."
    alone = coverage(flashcard(text, answer), said, index)
    both = coverage(flashcard(text, answer, other), said, index)
    assert isinstance(both.agreement, Agreement) and isinstance(alone.agreement, Agreement)
    assert both.agreement.soft_recall > alone.agreement.soft_recall
    assert both.agreement.closest == 1 and alone.agreement.closest == 0
    assert both.coverage > alone.coverage + 0.2
    assert both.coverage >= 0.6


def test_an_extracted_bank_ranks_right_above_partial_vague_and_off_topic(
    index: MeaningIndex,
) -> None:
    card = flashcard(
        "Why does a bulb in a parallel branch stay lit when another branch opens?",
        "Each branch has its own closed path to the battery, so opening one branch does not "
        "break the path through the other.",
    )
    right = "Because each branch is still its own closed loop to the battery, so opening the "
    right += "other branch does not break it."
    partial = "Each branch is connected to the battery."  # right, but not why
    vague = "It has something to do with the battery and the circuit."
    off = "A transformer changes the voltage with two coils around an iron core."
    figures = [coverage(card, t, index).coverage for t in (right, partial, vague, off)]
    assert figures[0] >= 0.8 and figures[0] > figures[1] > max(figures[2:])
    assert 0.2 < figures[1] < 0.8
    assert max(figures[2:]) < 0.1


def test_without_the_model_an_extracted_bank_falls_back_to_words() -> None:
    card = flashcard("What does a capacitor store?", "A capacitor stores electric charge.")
    result = coverage(card, "It stores electric charge.", None)
    assert result.agreement is None
    assert result.coverage > coverage(card, "It stores heat.", None).coverage


def test_a_bank_with_its_own_key_points_is_not_read_through_agreement(
    index: MeaningIndex,
) -> None:
    """Its figure is its key points' share; soft recall is recorded and only gates it."""
    card = flashcard("What does a capacitor store?", "A capacitor stores electric charge.")
    own = replace(card, key_points_extracted=False)
    result = coverage(own, "It keeps charge.", index)
    assert result.agreement is not None and result.agreement.soft_recall < 0.7
    assert result.coverage == 1.0  # its one key point covered, though soft recall is lower
    assert coverage(card, "It keeps charge.", index).coverage < 0.9  # read through agreement


def test_cache_paths_are_not_needed_for_tokens(tmp_path: Path) -> None:
    index = load_index(tmp_path)
    assert len(index.tokens(["hello world"])[0].vectors) == 2


def test_a_typed_draft_is_embedded_as_it_is_saved(tmp_path: Path) -> None:
    from simulator.answering import warm_typed_draft
    from simulator.meaning import shared

    index = shared.load(tmp_path)
    assert index is not None
    warm_typed_draft("Dropout drops units at random while training. And then it")
    texts = set(index.snapshot()[0])
    assert "Dropout drops units at random while training." in texts
    assert not any("And then it" in t for t in texts)
    tokens_cached = set(index.snapshot_tokens()[0])
    assert "Dropout drops units at random while training." in tokens_cached


def test_the_agreement_is_stored_with_the_answer_and_read_back(index: MeaningIndex) -> None:
    from simulator.scoring import Coverage

    card = flashcard(
        "Name one way to reduce overfitting.",
        "Collect more training data.",
        "Add dropout so units cannot co-adapt.",
    )
    scored = coverage(card, "Dropout, so that the units cannot co-adapt.", index)
    stored = scored.to_dict()
    assert stored["agreement"]["closest"] == 1
    again = Coverage.from_dict(stored)
    assert again.agreement is not None and again.agreement.closest == 1
    assert abs(again.agreement.soft_recall - scored.agreement.soft_recall) < 1e-3  # type: ignore[union-attr]
    assert Coverage.from_dict({**stored, "agreement": {"closest": "x"}}).agreement is None
