"""Banks not in English: judged by their words only, honestly, and Chinese read as words at all.

The bundled meaning model reads English; on a French or Chinese bank it gave an answer about
fruit 60-88%. These banks are parsed from Markdown as a user's would be, and scored with the real
model loaded, as the app scores them.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from content.bank import Bank, load_bank
from content.extract import extract_key_points
from content.language import is_english, question_is_english
from content.questions import Question
from content.text import content_tokens, tokenize
from simulator.commands.score import render_table
from simulator.highlight import NOT_ENGLISH_NOTE, scoring_note
from simulator.meaning.index import MeaningIndex, load_index
from simulator.scoring import Coverage, coverage

DATA = Path(__file__).parent / "data" / "other-languages"
ANSWERS = json.loads((DATA / "answers.json").read_text(encoding="utf-8"))


def answer(bank: str, kind: str) -> str:
    return next(a["text"] for a in ANSWERS if a["bank"] == bank and a["kind"] == kind)


@pytest.fixture(scope="module")
def index(tmp_path_factory: pytest.TempPathFactory) -> MeaningIndex:
    return load_index(tmp_path_factory.mktemp("languages-cache"))


def _bank(name: str) -> Bank:
    return load_bank(DATA / f"{name}.md")


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("L1 drives some weights to exactly zero, which selects features.", True),
        ("Le modèle mémorise le bruit des données d'entraînement.", False),
        ("El modelo memoriza el ruido de los datos de entrenamiento.", False),
        ("Das Modell lernt das Rauschen der Trainingsdaten und ist nicht robust.", False),
        ("Il modello memorizza il rumore dei dati di addestramento e non generalizza.", False),
        ("O modelo não generaliza para dados novos.", False),
        ("Het model onthoudt de ruis van de trainingsdata en is niet robuust.", False),
        ("模型记住了训练数据中的噪声。", False),
        ("モデルは訓練データのノイズを覚えてしまう。", False),
        ("Модель запоминает шум обучающих данных.", False),
        ("Backpropagation", None),
        ("", None),
    ],
)
def test_a_text_says_whether_it_is_english(text: str, expected: bool | None) -> None:
    assert is_english([text]) is expected


def test_the_builtin_bank_is_english_and_a_terse_question_takes_its_banks_language() -> None:
    assert all(question_is_english(q) for q in load_bank().questions)
    french = _bank("fr")
    assert is_english([french.question(3).text, french.question(3).model_answer]) is None
    assert not question_is_english(french.question(3))  # its bank is French
    lone = Question(1, "t", "Dropout?", "Dropout.", (), True)
    assert question_is_english(lone)  # nothing tells: meaning is used, as before


def test_a_french_bank_is_judged_by_its_words_and_says_so(index) -> None:
    question = _bank("fr").question(1)
    complete = coverage(question, question.model_answer, index)
    own_words = coverage(question, answer("fr", "own_words"), index)
    partial = coverage(question, answer("fr", "partial"), index)
    other_question = coverage(question, answer("fr", "other_question"), index)
    fruit = coverage(question, answer("fr", "off_topic"), index)
    assert complete.coverage >= 0.9
    assert own_words.coverage > partial.coverage > other_question.coverage
    assert other_question.coverage < 0.1 and fruit.coverage < 0.1  # by meaning: 26% and 60%
    assert complete.not_english and complete.agreement is None  # the model was not asked
    assert scoring_note(fruit) == NOT_ENGLISH_NOTE
    assert NOT_ENGLISH_NOTE in render_table(fruit, question.text)
    assert Coverage.from_dict(fruit.to_dict()).not_english  # kept in the history and exports


def test_french_little_words_carry_no_idea() -> None:
    words = [t.norm for t in content_tokens("le modèle et les données sont dans la mémoire")]
    assert words == ["modele", "et", "donnees", "memoire"]  # "et" stays: "et al." is English


def test_an_english_answer_is_still_judged_by_meaning(index) -> None:
    question = load_bank().question(4)
    result = coverage(question, "Lasso pushes many coefficients all the way to nothing.", index)
    assert not result.not_english and result.agreement is not None
    assert scoring_note(result) != NOT_ENGLISH_NOTE


def test_chinese_is_read_as_pairs_of_characters() -> None:
    assert [t.norm for t in tokenize("用GPU训练数据。L1 正则化")] == [
        "用", "gpu", "训练", "练数", "数据", "l1", "正则", "则化",
    ]  # fmt: skip
    assert [t.norm for t in content_tokens("模型记住了噪声")] == ["模型", "型记", "记住", "噪声"]


def test_a_chinese_answer_gets_key_points_by_sentence_and_an_honest_figure(index) -> None:
    """Before: one key point for the whole answer, phrasings that were the answer's sentences
    whole, and by meaning 88% for a sentence about fruit; a model answer typed back was 5%."""
    question = _bank("zh").question(1)
    points = extract_key_points(question.text, question.model_answer)
    assert len(points) == 3  # one per sentence (。)
    assert all(len(p.label) <= 21 for p in points)
    assert all(p.phrasings and all(len(w) >= 2 for w in p.phrasings) for p in points)
    typed_back = coverage(question, question.model_answer, index)
    first_sentence = coverage(question, answer("zh", "partial"), index)
    own_words = coverage(question, answer("zh", "own_words"), index)
    other_question = coverage(question, answer("zh", "other_question"), index)
    fruit = coverage(question, answer("zh", "off_topic"), index)
    assert typed_back.coverage >= 0.95 and len(typed_back.covered) == 3
    assert typed_back.coverage > first_sentence.coverage > fruit.coverage
    assert own_words.coverage > 0.4  # the words it shares with the model answer
    assert other_question.coverage < 0.1 and fruit.coverage < 0.1
    assert typed_back.not_english
