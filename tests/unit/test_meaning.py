"""Key points matched by meaning: the real bundled embedding model on the paraphrase sets.

``tests/unit/data/paraphrase/`` was written by someone who never saw the scorer (README there);
the scorer's thresholds were chosen on ``tune.json`` only. The bars below are what the scorer
reaches on them today (BENCHMARKS.md, ``benchmarks/paraphrase.py``): regression guards.
"""

from __future__ import annotations

import json
import math
import os
import shutil
from dataclasses import replace
from pathlib import Path

import numpy as np
import pytest

from content import subjects
from content.bank import load_bank
from content.extract import extract_key_points
from content.subjects import OTHER_SUBJECT, background_texts
from simulator.commands.score import render_table
from simulator.highlight import IN_OTHER_WORDS, in_other_words, scoring_note
from simulator.meaning.encoder import MAX_TOKENS, WORD_EMBEDDINGS, SentenceEncoder, _gelu
from simulator.meaning.index import CHUNK_PIECES, MeaningIndex, load_index
from simulator.meaning.model import (
    RowsOnDisk,
    bundled_zip,
    load_safetensors,
    resolve_embedding_model,
)
from simulator.neighbours import BACKGROUND_FROM_WORDS, nearest_other, prime_background
from simulator.scoring import SAYS_NONE_AT, SHORT_ANSWER_WORDS, Coverage, coverage

DATA = Path(__file__).parent / "data" / "paraphrase"
QUESTIONS = {"tune": 15, "holdout": 15, "fresh": 30, "hard_tune": 15}
ORDERED_AT_LEAST = {"tune": 15, "holdout": 13, "fresh": 26, "hard_tune": 7}
"""Questions whose complete > partial > off-topic answers keep that order (holdout 11 and fresh
24 before long answers were read to their end, ``MeaningIndex.text_vectors``: one ordering
each lost, two complete answers gained; holdout 12, fresh 25 and hard_tune 8 before answers
were compared with background subjects too, ``content.subjects``: hard_tune's complete answer
to Q25 told as a detective story reads as about probability calibration)."""
COMPLETE_AT_LEAST = {"tune": 13, "holdout": 12, "fresh": 27, "hard_tune": 8}
"""Complete answers in the candidate's own words that reach 80% (holdout 13 and fresh 28 before
a key point needed the answer to say enough of its words, ``POINT_SAYS_NONE_AT``, which raised
key-point precision by six points)."""
OFF_TOPIC_UNDER_10_AT_LEAST = {"tune": 15, "holdout": 11, "fresh": 23, "hard_tune": 22}
"""Off-topic answers (a neighbouring subject) that stay under 10%; tune was 11 and fresh 15
before an answer that says little of the model answer was scaled down (``SAYS_NONE_AT``), and
holdout 9 and fresh 16 before one nearer another question was (``NEARER_NONE_AT``), tune 14,
holdout 10, fresh 19 and hard_tune 12 before one nearer a subject the bank does not ask was
(``content.subjects``).
``hard_tune`` (the hard cases: two off-topic answers per question that tell the model answer's
own mechanism in another setting, and complete answers told in analogies) is where the scorer
is weakest: 22 of its 30 off-topic answers stay under 10%, and the bars say what is reached."""


@pytest.fixture(scope="module")
def cache(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return tmp_path_factory.mktemp("meaning-cache")


@pytest.fixture(scope="module")
def index(cache: Path) -> MeaningIndex:
    return load_index(cache)


@pytest.fixture(scope="module")
def bank():
    return load_bank()


def test_the_bundled_model_embeds_meaning_not_words(index: MeaningIndex) -> None:
    v = index.encoder.encode(
        [
            "large gap between training and validation performance",
            "training accuracy is far above validation accuracy",
            "the cat sat on the mat",
            "L1 drives weights to exactly zero",
            "L2 drives weights to exactly zero",
            "",
        ]
    )
    assert v.shape == (6, 384)
    assert np.allclose(np.linalg.norm(v[:5], axis=1), 1.0, atol=1e-4)
    assert v[0] @ v[1] > 0.6  # same idea, other words
    assert v[0] @ v[2] < 0.2
    assert v[3] @ v[4] > 0.85  # why a contrast guard must veto: embeddings barely see L1/L2
    assert not v[5].any()


def test_an_idea_in_other_words_is_credited_and_its_sentence_highlighted(
    index: MeaningIndex, bank
) -> None:
    text = (
        "The first thing I look at is whether training accuracy is far above validation "
        "accuracy. I also plot both losses per epoch and watch whether the validation curve "
        "turns upward while the training one keeps falling."
    )
    q2 = bank.question(2)
    without = coverage(q2, text)
    with_meaning = coverage(q2, text, index)
    gap = next(
        k for k in with_meaning.key_points if k.label == "Gap between training and validation"
    )
    assert not next(k for k in without.key_points if k.label == gap.label).covered
    assert gap.covered and gap.evidence == "meaning"
    said = text[gap.transcript_span.start : gap.transcript_span.end]
    assert "training accuracy is far above validation accuracy" in said
    assert with_meaning.coverage > without.coverage


TERM_SWAPS = [
    (4, "L2 drives the weights to exactly zero, which gives you sparse models.",
     "L1 drives weights to zero"),
    (4, "L2 adds the sum of the absolute values of the weights to the loss.",
     "L1 adds absolute weights"),
    (7, "Use recall when false positives are costly, like flagging good mail as spam.",
     "Precision when false positives are costly"),
    (1, "Variance comes from wrong assumptions, like fitting a straight line to curved data.",
     "Bias from wrong assumptions"),
    (1, "Bias is the error from sensitivity to small fluctuations in the training set.",
     "Variance from sensitivity to data"),
    (12, "Discriminative models learn the joint distribution of x and y.",
     "Generative learns the joint distribution"),
]  # fmt: skip


@pytest.mark.parametrize(("question", "text", "label"), TERM_SWAPS, ids=lambda v: str(v)[:30])
def test_a_swapped_contrast_term_is_never_credited(
    index: MeaningIndex, bank, question: int, text: str, label: str
) -> None:
    for result in (
        coverage(bank.question(question), text),
        coverage(bank.question(question), text, index),
    ):
        point = next(k for k in result.key_points if k.label == label)
        assert point.credit == 0.0, point


CONTRAST_ENTRIES_CREDITED_AT_MOST = 22
"""Of the 36 adversarial statements of contrasts.json (attributes swapped, not only terms),
how many still earn a point they must not: 14 by phrasings alone, 26 with meaning, 22 since a
unit naming both sides credits only the side its words go with (measured,
``benchmarks/paraphrase.py``). Embeddings read "L1 adds the squared weights" as "L1 adds the
absolute weights"; this bar keeps it from getting worse."""


def test_adversarial_contrasts_do_not_get_worse(index: MeaningIndex, bank) -> None:
    wrong = 0
    for entry in json.loads((DATA / "contrasts.json").read_text()):
        result = coverage(bank.question(entry["question"]), entry["text"], index)
        wrong += any(k.credit > 0 for k in result.key_points if k.label in entry["must_not_credit"])
    assert wrong <= CONTRAST_ENTRIES_CREDITED_AT_MOST


HIGHLIGHTS_RIGHT_AT_LEAST = {"tune": 64, "holdout": 59}
"""Of the key points credited by meaning (tune 83, holdout 76) that the grader credited too, how
many highlight a part of the answer overlapping the grader's excerpt (``evidence_<set>.json``) by
half the shorter of the two: 58 and 57 when the most similar sentence was shown, 65 and 60 since
the one among the near ones that says most of the point's words is (``judge.HIGHLIGHT_WITHIN``;
``benchmarks/evidence.py``)."""


def _answers(name: str) -> list[dict]:
    return json.loads((DATA / f"{name}.json").read_text())


def _shares_half(start: int, end: int, other_start: int, other_end: int) -> bool:
    shared = min(end, other_end) - max(start, other_start)
    return shared > 0 and shared >= 0.5 * min(end - start, other_end - other_start)


@pytest.mark.parametrize("name", ["tune", "holdout"])
def test_a_point_credited_by_meaning_highlights_the_sentence_that_says_it(
    index: MeaningIndex, bank, name: str
) -> None:
    answers = {(a["question"], a["kind"]): a["text"] for a in _answers(name)}
    right = credited = 0
    results: dict[tuple[int, str], Coverage] = {}
    for entry in json.loads((DATA / f"evidence_{name}.json").read_text()):
        key = (entry["question"], entry["kind"])
        text = answers[key]
        if key not in results:
            results[key] = coverage(bank.question(key[0]), text, index)
        point = next(p for p in results[key].key_points if p.label == entry["key_point"])
        if point.evidence != "meaning" or point.credit < 0.5 or point.transcript_span is None:
            continue
        credited += 1
        span = point.transcript_span
        quotes = [entry["quote"], *([entry["also"]] if "also" in entry else [])]
        right += any(
            _shares_half(span.start, span.end, text.index(q), text.index(q) + len(q))
            for q in quotes
        )
    assert right >= HIGHLIGHTS_RIGHT_AT_LEAST[name], f"{right} of {credited}"


def test_the_highlight_is_the_sentence_with_the_points_words_not_the_closest_on_the_subject(
    index: MeaningIndex, bank
) -> None:
    """Tune's complete answer to Q27: its sentence about a missing-value flag sits closer to
    *Mean or median imputation* than the one that says it in other words."""
    text = next(
        a["text"] for a in _answers("tune") if (a["question"], a["kind"]) == (27, "complete")
    )
    result = coverage(bank.question(27), text, index)
    point = next(p for p in result.key_points if p.label == "Mean or median imputation")
    assert point.evidence == "meaning" and point.transcript_span is not None
    shown = text[point.transcript_span.start : point.transcript_span.end]
    assert "average or middle value" in shown, shown


EXTRACTED_ORDERED_AT_LEAST = {"tune": 14, "holdout": 14}
"""The same answers scored with the bank's key points removed (extracted from each model
answer, as for a user's own bank): questions that keep complete > partial > off-topic (of 15).
Holdout was 12 with the figure read from the clause points' agreement; reading it from soft
recall (simulator.agreement) ranks real graded answers far better (SemEval, BENCHMARKS.md) and
kept 11 here; 14 since an answer nearer a background subject is scaled down
(``simulator.scoring._another_subject``): the bar says what is reached, not what was."""
EXTRACTED_OFF_TOPIC_UNDER_10_AT_LEAST = {"tune": 14, "holdout": 13}
"""... and off-topic answers under 10% (of 15): 8 and 6 before the background subjects."""


@pytest.mark.parametrize("name", ["tune", "holdout"])
def test_paraphrased_answers_keep_their_order_with_extracted_key_points(
    index: MeaningIndex, bank, name: str
) -> None:
    stripped = replace(
        bank,
        questions=tuple(
            replace(
                q,
                key_points=tuple(extract_key_points(q.text, q.model_answer)),
                key_points_extracted=True,
            )
            for q in bank.questions
        ),
    )
    ordered, complete, off, total = _ordering(index, stripped, name)
    assert total == 15
    assert ordered >= EXTRACTED_ORDERED_AT_LEAST[name], (ordered, complete, off)
    assert off >= EXTRACTED_OFF_TOPIC_UNDER_10_AT_LEAST[name], (ordered, complete, off)


def _ordering(index: MeaningIndex, bank, name: str) -> tuple[int, int, int, int]:
    """Questions in order (every complete answer above every partial one above every off-topic
    one), complete answers at 80% or more, off-topic ones under 10%, and the questions."""
    figures: dict[tuple[int, str], list[float]] = {}
    for answer in json.loads((DATA / f"{name}.json").read_text()):
        result = coverage(bank.question(answer["question"]), answer["text"], index)
        figures.setdefault((answer["question"], answer["kind"]), []).append(result.coverage)
    questions = sorted({q for q, _ in figures})
    ordered = sum(
        min(figures[(q, "complete")])
        > max(figures[(q, "partial")])
        > max(figures[(q, "off_topic")])
        for q in questions
    )
    complete = sum(f >= 0.8 for q in questions for f in figures[(q, "complete")])
    off = sum(f < 0.1 for q in questions for f in figures[(q, "off_topic")])
    return ordered, complete, off, len(questions)


@pytest.mark.parametrize("name", ["tune", "holdout", "fresh", "hard_tune"])
def test_paraphrased_answers_keep_their_order(index: MeaningIndex, bank, name: str) -> None:
    ordered, complete, off, total = _ordering(index, bank, name)
    assert total == QUESTIONS[name]
    assert ordered >= ORDERED_AT_LEAST[name], (ordered, complete, off)
    assert complete >= COMPLETE_AT_LEAST[name], (ordered, complete, off)
    assert off >= OFF_TOPIC_UNDER_10_AT_LEAST[name], (ordered, complete, off)


SHORT_AT_LEAST = {"odd": (14, 13, 14, 12), "even": (14, 13, 11, 12)}
"""``short.json`` per half (odd questions tuned on, even held out): right answers of one idea at
10% or more, of two ideas at 10% or more, short off-topic answers under 10%, questions whose two
right answers are both above their off-topic one. The odd half's one-idea count was 8 before a
short answer was read as short (``SHORT_ANSWER_WORDS``); the even half's counts did not move."""


@pytest.mark.parametrize("half", ["odd", "even"])
def test_short_answers_are_graded_as_right_or_off_topic(
    index: MeaningIndex, bank, half: str
) -> None:
    figures: dict[tuple[int, str], float] = {}
    for answer in json.loads((DATA / "short.json").read_text()):
        if answer["question"] % 2 == (1 if half == "odd" else 0):
            result = coverage(bank.question(answer["question"]), answer["text"], index)
            figures[(answer["question"], answer["kind"])] = result.coverage
    questions = sorted({q for q, _ in figures})
    assert len(questions) == 15
    counts = (
        sum(figures[(q, "short_one")] >= 0.1 for q in questions),
        sum(figures[(q, "short_two")] >= 0.1 for q in questions),
        sum(figures[(q, "short_off")] < 0.1 for q in questions),
        sum(
            min(figures[(q, "short_one")], figures[(q, "short_two")]) > figures[(q, "short_off")]
            for q in questions
        ),
    )
    assert all(c >= least for c, least in zip(counts, SHORT_AT_LEAST[half], strict=True)), counts


def test_a_short_answer_that_says_a_key_point_in_the_banks_words_stays_on_its_subject(
    index: MeaningIndex, bank
) -> None:
    """13 words, "weight decay" one of the bank's phrasings: its soft recall of the long model
    answer (0.26) and its whole cosine with it (0.21) are an off-topic answer's, and it scored 0
    as "about something else"; short, it is read by the sentence it is nearest and its words."""
    text = "Honestly the best fix is getting more labelled examples. After that, weight decay."
    assert len(text.split()) < SHORT_ANSWER_WORDS
    result = coverage(bank.question(3), text, index)
    assert result.says_enough == 1.0 and scoring_note(result) is None
    credited = {k.label: k.evidence for k in result.key_points if k.credit >= 0.5}
    assert credited.get("Regularization L1 or L2") == "words"
    assert result.coverage >= 0.1
    longer = text + " " + " ".join(["And that is really all I would say about it here."] * 2)
    assert len(longer.split()) >= SHORT_ANSWER_WORDS
    assert (
        coverage(bank.question(3), longer, index).says_enough < 1.0
    )  # not short: the gate reads it


ONE_LINE_RIGHT_ANSWERS = (
    (3, "More data, dropout, weight decay and early stopping."),
    (5, "The model is too simple; make it bigger or train longer."),
    (8, "It's the chance a random positive is ranked above a random negative."),
    (9, "Split the data into k folds, train on k minus one and test on the rest, rotating."),
    (10, "Resample, or weight the rare class more in the loss."),
    (13, "In many dimensions points are far apart and distances stop meaning much."),
    (15, "Chain rule applied backwards from the loss through each layer."),
    (16, "Without them the whole network is just one linear map."),
    (17, "Gradients shrink as they pass back through many sigmoid layers."),
    (20, "Each token takes a weighted average of the others' values, weighted by query-key dots."),
    (22, "Try a learning rate range test and pick where loss falls fastest."),
    (23, "Posterior is likelihood times prior over evidence, like a medical test."),
    (25, "Pick the parameters that make the observed data most likely."),
    (26, "Alternate guessing the hidden variables and re-fitting the parameters."),
    (29, "Two things moving together doesn't mean one causes the other."),
    (30, "Compare live feature distributions to training ones and retrain when they shift."),
    (12, "Discriminative models learn p of y given x; generative ones learn the joint."),
    (11, "Random forest for something robust with little tuning; boosting for top accuracy."),
    (24, "Parametric has a fixed number of parameters, non-parametric grows with data."),
    (28, "Split users randomly between old and new model; compare a metric with a t-test."),
)
"""Right answers of one line, written for the gate's check (so tuned on, not untuned data): a
short answer says little of a long model answer, but nothing else either."""


def test_a_short_right_answer_is_not_read_as_about_something_else(
    index: MeaningIndex, bank
) -> None:
    for number, text in ONE_LINE_RIGHT_ANSWERS:
        result = coverage(bank.question(number), text, index)
        assert result.says_enough == 1.0, (number, text, result.agreement)
        assert scoring_note(result) is None


def test_an_answer_that_says_little_of_the_model_answer_earns_nothing_by_meaning(
    index: MeaningIndex, bank
) -> None:
    """Accuracy explained for "precision vs recall?": one of its sentences sits close enough to
    a key point to be credited (18% before the gate), but the answer says under a third of the
    model answer, word by word: nothing is credited by meaning and the figure is 0."""
    question = bank.question(7)
    text = (
        "Accuracy is the share of predictions that are right. It is easy to explain to a "
        "manager, but on a dataset where ninety-nine percent of the rows are one class, "
        "predicting that class every time already scores ninety-nine percent. That is why I "
        "also look at a confusion matrix and at a baseline before trusting it."
    )
    result = coverage(question, text, index)
    assert result.agreement is not None and result.agreement.soft_recall < SAYS_NONE_AT
    assert not [k for k in result.key_points if k.evidence == "meaning"]
    assert result.coverage == 0.0
    assert "about something else" in (scoring_note(result) or "")
    assert "about something else" in render_table(result, question.text)
    assert Coverage.from_dict(result.to_dict()).says_enough == 0.0
    complete = next(
        a
        for a in json.loads((DATA / "tune.json").read_text())
        if a["question"] == 7 and a["kind"] == "complete"
    )
    assert coverage(question, complete["text"], index).coverage >= 0.8


def test_the_model_runs_in_float32_and_reads_only_the_word_rows_it_needs(
    index: MeaningIndex,
) -> None:
    encoder = index.encoder
    weights = load_safetensors(encoder.files.weights)
    table = weights[WORD_EMBEDDINGS]
    rows = RowsOnDisk(encoder.files.weights, WORD_EMBEDDINGS)
    ids = np.array([[101, 7592, 102], [102, 0, 30521]])
    assert rows.shape == table.shape
    assert np.array_equal(rows.take(ids), table[ids])
    with pytest.raises(IndexError):
        rows.take(np.array([table.shape[0]]))
    # NumPy 2 turns float32 into float64 when a numpy float64 scalar joins in: guard each step.
    states, mask, kept = encoder._states([[101, 7592, 2088, 102], [101, 102]])
    assert states.dtype == mask.dtype == np.float32
    assert all(layer.dtype == np.float32 for layer in kept)
    x = np.linspace(-6, 6, 13, dtype=np.float32)
    assert _gelu(x).dtype == np.float32
    exact = 0.5 * x * (1 + np.array([math.erf(v / math.sqrt(2)) for v in x.tolist()]))
    assert np.allclose(_gelu(x), exact, atol=1e-6)


def test_an_answer_to_another_question_of_the_bank_is_read_as_that_one(
    index: MeaningIndex, bank
) -> None:
    """The curse of dimensionality explained, asked about L1 and L2 (the issue's case: "sparse"
    earned it 18%): it is nearer question 13's model answer than question 4's, so it earns
    nothing, and the feedback names the question it reads as."""
    text = (
        "With many input columns the space swells so fast that any fixed number of examples "
        "ends up spread thin, far from one another. Nearest and farthest neighbours end up about "
        "equally distant, so methods built on closeness stop working, and the data you would "
        "need grows with every column you add. I would compress the columns first, with PCA."
    )
    asked = coverage(bank.question(4), text, index)
    assert asked.coverage == 0.0 and asked.says_enough == 0.0
    assert asked.reads_as == "13. What is the curse of dimensionality?"
    assert "another question (13. What is the curse" in (scoring_note(asked) or "")
    assert Coverage.from_dict(asked.to_dict()).reads_as == asked.reads_as
    # Under SHORT_ANSWER_WORDS the whole cosine is noisier: only far nearer, as this one is.
    short = " ".join(text.split()[: SHORT_ANSWER_WORDS - 1])
    assert coverage(bank.question(4), short, index).reads_as.startswith("13.")
    right = coverage(bank.question(13), text, index)
    assert right.reads_as == "" and right.says_enough == 1.0 and right.coverage >= 0.6
    # A question on its own has no other question to be read as, only background subjects.
    alone = replace(bank, questions=(bank.question(4),)).question(4)
    assert [s.number for s in alone.siblings] == [4]
    nearest = nearest_other(alone, text, index)
    assert nearest is not None and nearest.reads_as.startswith(OTHER_SUBJECT)


FEATURE_SCALING = (
    "Before training I always put the input columns on a comparable scale. If one feature is "
    "income in dollars and another is age in years, distance-based methods like k-nearest "
    "neighbours or an RBF kernel SVM are dominated by the big one, and gradient descent zigzags "
    "because the loss surface is stretched. Standardisation subtracts each column's mean and "
    "divides by its standard deviation; min-max scaling maps it to zero to one; with heavy "
    "outliers a robust scaler with the median and interquartile range is safer. Fit the scaler "
    "on the training split only and reuse it on validation and test, or you leak information."
)
"""About feature scaling: a subject the built-in bank does not ask, next to batch norm's."""


def test_an_answer_about_a_subject_the_bank_does_not_ask_is_read_as_that_subject(
    index: MeaningIndex, bank
) -> None:
    """Input scaling asked about batch norm: zero mean and unit variance are said, in another
    setting, and no other question of the bank is about it; the background subjects
    (``content.subjects``) are, so it earns nothing and the feedback names the subject."""
    asked = coverage(bank.question(18), FEATURE_SCALING, index)
    assert asked.reads_as == f"{OTHER_SUBJECT}Feature scaling"
    assert asked.coverage < 0.1 and asked.says_enough < 0.5
    assert "a subject this bank does not ask (Feature scaling)" in (scoring_note(asked) or "")


def test_a_bank_that_asks_a_background_subject_is_not_read_as_about_it(
    index: MeaningIndex, bank
) -> None:
    """A bank of the user's may ask what the background holds: its own subject is left out
    (``SAME_QUESTION_AT``), so a right answer is not read as about something else."""
    own = replace(
        bank.question(18),
        text="How should input features be normalised before training?",
        model_answer=(
            "Standardise each feature to zero mean and unit variance, or min-max scale it, so "
            "distance-based models and gradient descent are not dominated by large-valued "
            "features; fit the scaler on the training data only."
        ),
    )
    nearest = nearest_other(own, FEATURE_SCALING, index)
    assert nearest is not None and "Feature scaling" not in nearest.reads_as
    assert nearest.margin > 0, nearest


def test_a_bank_without_key_points_reads_an_answer_on_a_background_subject_as_that(
    index: MeaningIndex, bank
) -> None:
    """With key points extracted (a user's bank) the figure is soft recall, and input scaling
    says much of batch norm's words; being nearer a background subject scales it down. A
    one-sentence model answer (a flashcard) is never compared with the background: a right
    answer is nearer a full background answer on a neighbouring subject than such a line."""
    question = bank.question(18)
    extracted = replace(
        question,
        key_points=tuple(extract_key_points(question.text, question.model_answer)),
        key_points_extracted=True,
    )
    result = coverage(extracted, FEATURE_SCALING, index)
    assert result.reads_as == f"{OTHER_SUBJECT}Feature scaling"
    assert result.coverage < 0.1 and result.says_enough < 0.5
    assert "a subject this bank does not ask (Feature scaling)" in (scoring_note(result) or "")
    line = question.model_answer.split(". ")[0] + "."
    assert len(line.split()) < BACKGROUND_FROM_WORDS
    card = replace(
        extracted,
        model_answer=line,
        key_points=tuple(extract_key_points(question.text, line)),
    )
    assert nearest_other(card, FEATURE_SCALING, index, siblings=False) is None
    assert coverage(card, FEATURE_SCALING, index).reads_as == ""


def test_without_the_background_a_question_alone_has_nothing_to_be_read_as(
    index: MeaningIndex, bank, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A broken install without the background file judges against the bank alone."""
    monkeypatch.setattr(subjects, "SUBJECTS_FILE", Path("/nonexistent/subjects.json"))
    subjects.background_subjects.cache_clear()
    try:
        alone = replace(bank, questions=(bank.question(4),)).question(4)
        assert subjects.background_subjects() == ()
        assert nearest_other(alone, FEATURE_SCALING, index) is None
        assert coverage(alone, FEATURE_SCALING, index).reads_as == ""
    finally:
        monkeypatch.undo()
        subjects.background_subjects.cache_clear()
    assert len(subjects.background_subjects()) >= 150


def test_a_long_answer_is_read_to_its_end(index: MeaningIndex, bank) -> None:
    """The model reads 128 word pieces; a longer answer is the mean of chunks of whole
    sentences, so what it says after its first hundred words counts too."""
    short = "Dropout randomly switches off units during training."
    assert np.allclose(index.text_vectors([short])[0], index.vectors([short])[0])
    opening = "Let me start with a story about my first job, which was at a bakery in town. " * 4
    long = opening + bank.question(3).model_answer
    assert index.encoder.count_pieces([long])[0] > MAX_TOKENS
    chunks = index._chunks(long)
    assert len(chunks) > 1 and all(n <= CHUNK_PIECES for _, n in chunks)
    assert " ".join(c for c, _ in chunks).split() == long.split()  # every word, once
    model = index.text_vectors([bank.question(3).model_answer])[0]
    whole, truncated = index.text_vectors([long])[0], index.vectors([long])[0]
    assert whole @ model > truncated @ model + 0.1  # the truncated one is mostly the bakery


def test_key_point_embeddings_are_cached_on_disk_by_content(tmp_path: Path, bank) -> None:
    cache = tmp_path
    files = resolve_embedding_model(cache)

    class CountingEncoder(SentenceEncoder):
        calls = 0

        def encode_with_tokens(self, texts):  # type: ignore[override]
            CountingEncoder.calls += len(texts)  # every pass goes through here
            return super().encode_with_tokens(texts)

    first = MeaningIndex(CountingEncoder(files), cache)
    coverage(bank.question(5), "Underfitting means the model is too simple.", first)
    embedded_first = CountingEncoder.calls
    CountingEncoder.calls = 0
    second = MeaningIndex(CountingEncoder(files), cache)
    coverage(bank.question(5), "Underfitting means the model is too simple.", second)
    assert embedded_first > CountingEncoder.calls > 0  # only the answer, not the key points
    assert list((cache / "embeddings").glob("*.npy"))


@pytest.mark.parametrize("damage", ["truncated", "empty", "foreign"])
def test_a_damaged_embedding_cache_is_computed_again(tmp_path: Path, bank, damage: str) -> None:
    """A cache file cut short by a full disk or a killed process, or one that is not ours, costs
    time, never the score: the vectors are computed again and the file rewritten."""
    answer = "Underfitting means the model is too simple to fit even the training data."
    expected = coverage(bank.question(5), answer, load_index(tmp_path)).coverage
    files = sorted((tmp_path / "embeddings").glob("*.np[yz]"))
    assert {f.suffix for f in files} == {".npy", ".npz"}
    for f in files:
        whole = f.read_bytes()
        f.write_bytes(
            {"truncated": whole[: len(whole) // 2], "empty": b"", "foreign": b"PK"}[damage]
        )
    fresh = MeaningIndex(SentenceEncoder(resolve_embedding_model(tmp_path)), tmp_path)
    assert coverage(bank.question(5), answer, fresh).coverage == expected
    assert all(f.stat().st_size > 100 for f in files)  # rewritten whole


def test_a_huge_paste_is_scored_quickly_and_kept_whole(index: MeaningIndex, bank) -> None:
    text = "Dropout randomly switches off units during training. " * 20_000  # 1 MB
    result = coverage(bank.question(3), text, index)
    assert result.transcript == text
    assert any(k.covered for k in result.key_points)


def test_a_point_credited_in_other_words_says_so(index: MeaningIndex, bank) -> None:
    """Credit by meaning is the less sure kind (BENCHMARKS.md, "Hard cases"): the score table,
    like the feedback screen, review and exports, marks it, and only it."""
    answer = next(
        a
        for a in json.loads((DATA / "tune.json").read_text())
        if a["question"] == 1 and a["kind"] == "complete"
    )
    question = bank.question(1)
    result = coverage(question, answer["text"], index)
    by_meaning = {p.label for p in result.key_points if in_other_words(p)}
    by_words = {p.label for p in result.key_points if p.credit > 0 and p.evidence == "words"}
    assert by_meaning and by_words, [(p.label, p.evidence) for p in result.key_points]
    rows = {
        label: line
        for line in render_table(result, question.text).splitlines()
        for label in by_meaning | by_words
        if f" {label} " in line
    }
    assert all(f"({IN_OTHER_WORDS})" in rows[label] for label in by_meaning), rows
    assert not any(IN_OTHER_WORDS in rows[label] for label in by_words), rows


def test_the_background_subjects_ship_embedded(tmp_path: Path, index: MeaningIndex) -> None:
    """A first run reads the background's vectors from the app (``simulator.meaning.seed``)
    instead of embedding 320 texts (about 9 s): none is computed into an empty cache, and the
    shipped ones are what the model computes today."""
    fresh = MeaningIndex(index.encoder, tmp_path)
    vectors = prime_background(fresh)
    computed = sorted((tmp_path / "embeddings").glob("*.npy"))
    assert not computed, "shipped vectors are stale: run python -m simulator.meaning.seed"
    # Keyed by what the model zip holds, not where it is installed or when: a copy elsewhere,
    # newer, is the same model.
    copy = tmp_path / "elsewhere" / "model.zip"
    copy.parent.mkdir()
    shutil.copyfile(bundled_zip(), copy)
    os.utime(copy, (1_000_000_000, 1_000_000_000))
    assert resolve_embedding_model(tmp_path / "c", copy).version == index.encoder.version
    rows = [0, 1, len(vectors) - 1]
    texts = [background_texts()[i] for i in rows]
    again = MeaningIndex(index.encoder, None, seed_folder=None).text_vectors(texts)
    assert np.allclose(vectors[rows], again, atol=1e-4)


BOTH_SIDES = [
    # one sentence names both sides: the claim goes with the side its words follow
    (4, "L2 drives weights to exactly zero and gives sparse models, while L1 only shrinks "
        "them smoothly.", ("L1 drives weights to zero", "L2 shrinks without zeroing")),
    (7, "Recall matters when false positives are costly and precision when misses are.",
     ("Precision when false positives are costly",)),
]  # fmt: skip


@pytest.mark.parametrize(("question", "text", "labels"), BOTH_SIDES, ids=lambda v: str(v)[:30])
def test_a_sentence_naming_both_sides_credits_only_the_side_its_claim_is_about(
    index: MeaningIndex, bank, question: int, text: str, labels: tuple[str, ...]
) -> None:
    result = coverage(bank.question(question), text, index)
    for label in labels:
        point = next(k for k in result.key_points if k.label == label)
        assert point.credit == 0.0, point


def test_the_right_side_of_a_both_sides_sentence_is_still_credited(
    index: MeaningIndex, bank
) -> None:
    text = (
        "Unlike L2, L1 drives the weights to exactly zero. "
        "L2 just shrinks them towards zero but never reaches it."
    )
    result = coverage(bank.question(4), text, index)
    credited = {k.label for k in result.key_points if k.credit >= 1.0}
    assert {"L1 drives weights to zero", "L2 shrinks without zeroing"} <= credited


def test_a_short_answer_far_nearer_another_question_earns_nothing(
    index: MeaningIndex, bank
) -> None:
    """28 words on the curse of dimensionality, asked about L1 and L2: it says "sparse", one of
    the bank's phrasings for L1, and earned 25% before."""
    text = (
        "The curse of dimensionality: in high dimensions data becomes sparse, distances lose "
        "meaning and you need exponentially more samples to cover the space, so nearest "
        "neighbour methods degrade."
    )
    assert len(text.split()) < SHORT_ANSWER_WORDS
    result = coverage(bank.question(4), text, index)
    assert result.coverage < 0.10
    assert result.reads_as.startswith("13.")


def test_a_short_right_answer_near_another_question_keeps_its_credit(
    index: MeaningIndex, bank
) -> None:
    text = "L1 pushes many weights to exactly zero, so it picks features; L2 only shrinks them."
    result = coverage(bank.question(4), text, index)
    assert result.coverage >= 0.30
    assert result.reads_as == ""
