"""The Markdown bank format: parsing, and every problem reported as FILE:LINE: message."""

from __future__ import annotations

from pathlib import Path

import pytest

from content.bank import BankError, load_bank, validate_bank

GOOD = """# Tiny bank

A bank for tests.

## Regularization

### Q4. What is the difference between L1 and L2 regularization?

#### Model answer

L1 (Lasso) adds the sum of absolute weights. L2 (Ridge) adds the sum of squared weights.

- L1 drives weights to exactly zero.
- L2 shrinks weights toward zero.

#### Key points

- **L1 adds absolute weights** (weight 2): sum of absolute weights; lasso
- **L2 adds squared weights**: sum of squared weights; ridge

## Evaluation

### Q7: When would you use precision vs. recall?

#### Model answer

Use precision when false positives are expensive. Use recall when false negatives are expensive.
"""


def write(tmp_path: Path, text: str | bytes, name: str = "bank.md") -> Path:
    path = tmp_path / name
    path.write_bytes(text if isinstance(text, bytes) else text.encode())
    return path


def test_parses_questions_topics_answers_and_key_points(tmp_path: Path) -> None:
    bank = load_bank(write(tmp_path, GOOD))
    assert bank.title == "Tiny bank"
    assert bank.description == "A bank for tests."
    assert bank.topics == ["Regularization", "Evaluation"]
    q4 = bank.question(4)
    assert q4.text == "What is the difference between L1 and L2 regularization?"
    assert "- L1 drives weights to exactly zero.\n- L2 shrinks" in q4.model_answer
    assert [k.label for k in q4.key_points] == [
        "L1 adds absolute weights",
        "L2 adds squared weights",
    ]
    assert q4.key_points[0].weight == 2
    assert q4.key_points[0].phrasings == ("sum of absolute weights", "lasso")
    assert not q4.key_points_extracted


def test_question_without_key_points_gets_them_extracted(tmp_path: Path) -> None:
    q7 = load_bank(write(tmp_path, GOOD)).question(7)
    assert q7.key_points_extracted
    assert len(q7.key_points) >= 2
    words = " ".join(p for k in q7.key_points for p in k.phrasings).lower()
    assert "positives" in words and "negatives" in words


@pytest.mark.parametrize(
    ("broken", "line", "message"),
    [
        (GOOD.replace("### Q7:", "### Q4:"), 23, "duplicate question number Q4 (first at line 7)"),
        (
            GOOD.replace("#### Model answer\n\nUse precision", "Use precision"),
            23,
            "has no model answer",
        ),
        (GOOD.replace("(weight 2): sum of absolute weights; lasso", ":  "), 18, "has no phrasing"),
        (GOOD.replace("#### Key points", "#### Notes"), 16, "unknown section 'Notes'"),
        (
            GOOD.replace("- **L2 adds squared weights**", "- L2 adds squared weights"),
            19,
            "a key point reads",
        ),
        (GOOD.replace("(weight 2)", "(weight -1)"), 18, "weight must be a positive number"),
        (GOOD.replace("### Q4. What", "### Question four: What"), 7, "question heading reads"),
        (GOOD.replace("## Regularization\n", ""), 6, "question before any topic"),
        ("", 1, "empty file"),
        ("Just some text\n", 1, "a bank starts with a title line"),
        (GOOD.encode().replace(b"Lasso", b"Lasso\xff"), 11, "not UTF-8"),
    ],
    ids=[
        "duplicate-number",
        "no-model-answer",
        "key-point-without-phrasing",
        "unknown-section",
        "malformed-key-point",
        "bad-weight",
        "malformed-question-heading",
        "question-before-topic",
        "empty-file",
        "no-title",
        "not-utf8",
    ],
)
def test_each_problem_is_reported_with_its_line(
    tmp_path: Path, broken: str | bytes, line: int, message: str
) -> None:
    path = write(tmp_path, broken)
    problems = validate_bank(path)
    assert problems, "expected a problem"
    assert any(p.line == line and message in p.message for p in problems), problems
    assert str(problems[0]).startswith(f"{path}:")
    with pytest.raises(BankError):
        load_bank(path)


def test_every_problem_is_reported_not_just_the_first(tmp_path: Path) -> None:
    broken = GOOD.replace("### Q7:", "### Q4:").replace("#### Key points", "#### Notes")
    messages = [p.message for p in validate_bank(write(tmp_path, broken))]
    assert len(messages) >= 2


def test_missing_file_is_a_problem_not_a_traceback(tmp_path: Path) -> None:
    problems = validate_bank(tmp_path / "absent.md")
    assert problems[0].message == "no such file"
