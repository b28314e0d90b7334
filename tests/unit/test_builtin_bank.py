"""The built-in bank ``content/banks/ml-theory.md`` against its source, the seed file.

The seed (``tests/data/ml-theory-questions.txt``, a copy carried by the repository) is plain text::

    ML Theory Deep Dive
    <intro sentence>
    Bias-Variance & Overfitting (Questions 1–6)
    Q1: Explain the bias-variance tradeoff.
    Model answer: "Bias is the error from ..."
    ...
    Lilly Tech Systems                 <- a footer, not part of Q30's answer

The bank must carry every question and model answer word for word. Two things may differ:
the outer double quotes of an answer are dropped, and the seed's damaged line in Q10
("Class weights (\\nclass_weight='balanced'), ... learning - Evaluation level: ...") is
repaired into two bullets. Both comparisons below (word runs, and all characters except
whitespace and bullet dashes) pass those repairs and fail on any changed word or symbol.

The key points are hand-written; the checks on them encode the authoring rules the fuzzy,
stemmed matcher relies on (tokens as ``content.text`` makes them), and the real scorer must find
every key point in its own model answer and none in the bare question.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

import pytest

from content.bank import Bank, builtin_bank_path, load_bank, validate_bank
from content.text import content_tokens, stem
from simulator.scoring import coverage

SEED = Path(__file__).resolve().parents[1] / "data" / "ml-theory-questions.txt"
SEED_FOOTER = "Lilly Tech Systems"

TOPICS = [
    ("Bias-Variance & Overfitting", 1, 6),
    ("Model Selection & Evaluation", 7, 14),
    ("Deep Learning", 15, 22),
    ("Probabilistic & Statistical ML", 23, 30),
]

_SEED_TOPIC = re.compile(r"^(?P<topic>.+?) \(Questions (?P<first>\d+)[–-](?P<last>\d+)\)$")
_SEED_QUESTION = re.compile(r"^Q(?P<number>\d+): (?P<text>\S.*)$")
_SEED_ANSWER = re.compile(r"^Model answer:\s*(?P<rest>.*)$")


@dataclass
class SeedQuestion:
    number: int
    topic: str
    text: str
    answer_lines: list[str]


@dataclass
class Seed:
    title: str
    description: str
    topics: list[tuple[str, int, int]]
    questions: list[SeedQuestion]


def parse_seed(path: Path = SEED) -> Seed:
    """The seed file as title, description, topics (name, first, last) and questions."""
    lines = [line.rstrip() for line in path.read_text(encoding="utf-8").splitlines()]
    while lines and not lines[-1].strip():
        lines.pop()
    assert lines[-1] == SEED_FOOTER, f"the seed's last line changed: {lines[-1]!r}"
    lines.pop()
    title, rest = lines[0], lines[1:]
    description: list[str] = []
    topics: list[tuple[str, int, int]] = []
    questions: list[SeedQuestion] = []
    current: SeedQuestion | None = None
    in_answer = False
    for line in rest:
        if match := _SEED_TOPIC.match(line):
            topics.append((match["topic"], int(match["first"]), int(match["last"])))
            current, in_answer = None, False
        elif match := _SEED_QUESTION.match(line):
            current = SeedQuestion(int(match["number"]), topics[-1][0], match["text"], [])
            questions.append(current)
            in_answer = False
        elif match := _SEED_ANSWER.match(line):
            assert current is not None, f"answer outside a question: {line!r}"
            in_answer = True
            if match["rest"]:
                current.answer_lines.append(match["rest"])
        elif current is None:
            assert not topics, f"text between a topic and its first question: {line!r}"
            description.append(line)
        else:
            assert in_answer, f"Q{current.number}: text before 'Model answer:': {line!r}"
            current.answer_lines.append(line)
    return Seed(title, " ".join(description).strip(), topics, questions)


def _tokens(text: str) -> list[str]:
    """Whitespace tokens, without the outer quotes of a quoted line and without bullet dashes."""
    tokens: list[str] = []
    for line in text.splitlines():
        line = line.strip()
        if len(line) >= 2 and line.startswith('"') and line.endswith('"'):
            line = line[1:-1]
        tokens.extend(token for token in line.split() if token != "-")
    return tokens


def words(text: str) -> list[str]:
    """The sequence of word runs: catches a changed, added, dropped, split or merged word."""
    return re.findall(r"\w+", " ".join(_tokens(text)))


def characters(text: str) -> str:
    """Every character but whitespace and bullet dashes: catches changed punctuation."""
    return "".join(_tokens(text))


@pytest.fixture(scope="module")
def bank() -> Bank:
    return load_bank()


@pytest.fixture(scope="module")
def seed() -> Seed:
    if not SEED.is_file():
        pytest.fail(f"seed file not found at {SEED} (tests/data/ carries it)")
    return parse_seed()


# ---- structure ---------------------------------------------------------------------------


def test_builtin_bank_is_valid() -> None:
    assert validate_bank(builtin_bank_path()) == []


def test_thirty_questions_numbered_in_order(bank: Bank) -> None:
    assert [q.number for q in bank.questions] == list(range(1, 31))


def test_four_topics_in_order_with_their_questions(bank: Bank) -> None:
    assert bank.topics == [name for name, _, _ in TOPICS]
    for name, first, last in TOPICS:
        assert [q.number for q in bank.questions if q.topic == name] == list(
            range(first, last + 1)
        ), name


def test_title(bank: Bank) -> None:
    assert bank.name == "ml-theory"
    assert bank.title == "ML Theory Deep Dive"


# ---- word for word against the seed ------------------------------------------------------


def test_seed_parses_as_expected(seed: Seed) -> None:
    assert [q.number for q in seed.questions] == list(range(1, 31))
    assert seed.topics == TOPICS
    assert all(q.answer_lines for q in seed.questions)


def test_title_and_description_match_seed(bank: Bank, seed: Seed) -> None:
    assert bank.title == seed.title
    assert bank.description == seed.description


@pytest.mark.parametrize("number", range(1, 31))
def test_question_text_matches_seed(bank: Bank, seed: Seed, number: int) -> None:
    expected = seed.questions[number - 1]
    assert expected.number == number
    question = bank.question(number)
    assert question.text == expected.text
    assert question.topic == expected.topic


@pytest.mark.parametrize("number", range(1, 31))
def test_model_answer_matches_seed_word_for_word(bank: Bank, seed: Seed, number: int) -> None:
    expected = "\n".join(seed.questions[number - 1].answer_lines)
    answer = bank.question(number).model_answer
    assert words(answer) == words(expected)
    assert characters(answer) == characters(expected)


def test_q10_line_break_damage_is_repaired_into_bullets(bank: Bank) -> None:
    lines = bank.question(10).model_answer.splitlines()
    assert (
        "- Algorithm level: Class weights (class_weight='balanced'), focal loss, "
        "cost-sensitive learning"
    ) in lines
    assert any(line.startswith("- Evaluation level: Use PR-AUC") for line in lines)
    assert sum(line.startswith("- ") for line in lines) == 4


def test_answers_keep_their_special_characters(bank: Bank) -> None:
    assert "MSE = Bias² + Variance + Irreducible Error" in bank.question(6).model_answer
    assert "softmax(QK^T / sqrt(d_k)) * V" in bank.question(20).model_answer
    assert "P(H|E) = P(E|H) * P(H) / P(E)" in bank.question(23).model_answer
    assert "More data — The most effective solution." in bank.question(3).model_answer


def test_the_comparison_catches_a_changed_word() -> None:
    seed_answer = 'Model says "L1 (Lasso) adds the sum of absolute weights."'
    assert words(seed_answer) != words(seed_answer.replace("absolute", "squared"))
    assert characters(seed_answer) != characters(seed_answer.replace("(Lasso)", "Lasso"))
    assert words("a (\nb_c='d'), e - F: g") == words("- a (b_c='d'), e\n- F: g")
    assert characters("a (\nb_c='d'), e - F: g") == characters("- a (b_c='d'), e\n- F: g")


# ---- key points --------------------------------------------------------------------------

# Words so common in these answers that, alone, they say nothing about any one idea.
_COMMON_ALONE = {
    stem(w)
    for w in "model data error training learning feature value loss weight prediction layer "
    "parameter user result method".split()
}


def _stems(phrase: str) -> list[str]:
    """Content-word stems, as the scorer sees them (``content.text``: stopwords out, stemmed)."""
    return [t.stem for t in content_tokens(phrase)]


def _spoken(text: str) -> str:
    """Symbols as a candidate says them: "Bias² + Variance" -> "Bias squared plus Variance"."""
    for symbol, said in (("²", " squared"), ("+", " plus "), ("=", " equals ")):
        text = text.replace(symbol, said)
    return text


def test_key_points_are_hand_written(bank: Bank) -> None:
    assert not [q.number for q in bank.questions if q.key_points_extracted]


@pytest.mark.parametrize("number", range(1, 31))
def test_key_points_follow_the_authoring_rules(bank: Bank, number: int) -> None:
    question = bank.question(number)
    points = question.key_points
    assert 4 <= len(points) <= 8
    heavy = [p.label for p in points if p.weight == 2]
    assert 1 <= len(heavy) <= 2, f"one or two core ideas weigh 2, not {heavy}"
    assert {p.weight for p in points} <= {1.0, 2.0}
    assert len({p.label for p in points}) == len(points), "labels repeat"
    question_stems = set(_stems(question.text))
    answer_stems = set(_stems(_spoken(question.model_answer)))
    owner: dict[frozenset[str], str] = {}
    for point in points:
        assert 2 <= len(point.label.split()) <= 6, point.label
        assert 3 <= len(point.phrasings) <= 8, point.label
        grounded = False
        for phrasing in point.phrasings:
            stems = _stems(phrasing)
            where = f"{point.label!r}: {phrasing!r}"
            assert 1 <= len(phrasing.split()) <= 5, f"{where} is not 1-5 words"
            assert stems, f"{where} is only stopwords"
            assert not set(stems) <= question_stems, f"{where} only repeats the question"
            new = [s for s in stems if s not in question_stems]
            assert len(set(new)) != 1 or new[0] not in _COMMON_ALONE, f"{where} too common"
            key = frozenset(stems)
            assert owner.setdefault(key, point.label) == point.label, (
                f"{where} is also a phrasing of {owner[key]!r}"
            )
            grounded = grounded or set(stems) <= answer_stems
        assert grounded, f"{point.label!r}: no phrasing uses the model answer's own words"


@pytest.mark.parametrize("number", range(1, 31))
def test_model_answer_covers_every_key_point_and_the_question_none(bank: Bank, number: int) -> None:
    """The key points as the real scorer reads them: the answer says them, the question doesn't."""
    question = bank.question(number)
    answer = coverage(question, question.model_answer)
    assert [k.label for k in answer.missed] == []
    echo = coverage(question, question.text)
    assert [k.label for k in echo.covered] == []
