"""Follow-ups in the Markdown bank format: parsed onto their key points, every problem at its
FILE:LINE, and the built-in bank's follow-ups valid and never giving their point away."""

from __future__ import annotations

from pathlib import Path

import pytest

from content.bank import BankError, builtin_bank_path, gives_away, load_bank, validate_bank
from simulator.scoring import COVERED_AT, coverage

BANK = """# Tiny bank

## Regularization

### Q4. What is the difference between L1 and L2 regularization?

#### Model answer

L1 (Lasso) adds the sum of absolute weights. L2 (Ridge) adds the sum of squared weights.
L1 drives weights to exactly zero.

#### Key points

- **L1 adds absolute weights** (weight 2): sum of absolute weights; lasso
- **L2 adds squared weights**: sum of squared weights; ridge
- **L1 gives sparsity**: drives weights to zero; sparse models

#### Follow-ups

- **L1 gives sparsity**: What happens to many of the coefficients
  once the L1 penalty is strong?
- **l2 adds squared weights**: And the other penalty, what does it add to the loss?
"""


def write(tmp_path: Path, text: str) -> Path:
    path = tmp_path / "bank.md"
    path.write_text(text)
    return path


def test_follow_ups_attach_to_their_key_points(tmp_path: Path) -> None:
    q4 = load_bank(write(tmp_path, BANK)).question(4)
    follow_ups = {k.label: k.follow_up for k in q4.key_points}
    assert follow_ups == {
        "L1 adds absolute weights": "",
        "L2 adds squared weights": "And the other penalty, what does it add to the loss?",
        "L1 gives sparsity": "What happens to many of the coefficients once the L1 penalty "
        "is strong?",  # the indented line runs on
    }


@pytest.mark.parametrize(
    ("line", "message"),
    [
        ("- **L3 term**: What else?", "follow-up for 'L3 term', which is not a key point of Q4"),
        (
            "- **L1 adds absolute weights**:",
            "the follow-up for 'L1 adds absolute weights' has no question",
        ),
        ("- L1 adds absolute weights: what?", "a follow-up reads '- **key point label**: "),
        (
            "- **L1 adds absolute weights**: Is that what the Lasso does?",
            "the follow-up for 'L1 adds absolute weights' says the point itself ('lasso')",
        ),
        (
            "- **L1 adds absolute weights**: So L1 adds absolute weights?",
            "says the point itself ('L1 adds absolute weights')",
        ),
        (
            "- **L2 adds squared weights**: Once more?",
            "a second follow-up for 'L2 adds squared weights' (the first is at line 22)",
        ),
    ],
)
def test_each_follow_up_problem_is_reported_at_its_line(
    tmp_path: Path, line: str, message: str
) -> None:
    path = write(tmp_path, BANK.rstrip("\n") + "\n" + line + "\n")
    problems = validate_bank(path)
    assert [p.line for p in problems] == [23], problems
    assert message in str(problems[0])
    assert str(problems[0]).startswith(f"{path}:23: ")
    with pytest.raises(BankError):
        load_bank(path)


def test_follow_ups_without_key_points_are_refused(tmp_path: Path) -> None:
    text = BANK.replace("#### Key points", "").replace("- **L1 adds", "L1 adds")
    text = text.split("- **L2 adds squared weights**: sum")[0] + (
        "\n#### Follow-ups\n\n- **Anything**: What else?\n"
    )
    problems = validate_bank(write(tmp_path, text))
    assert any("follow-ups name key points" in p.message for p in problems), problems


def test_gives_away_matches_whole_words_only() -> None:
    q4 = load_bank(builtin_bank_path()).question(4)
    sparsity = next(k for k in q4.key_points if k.label == "L1 drives weights to zero")
    assert gives_away("Which models turn out sparse?", sparsity) == "sparse"
    assert gives_away("What does sparseness buy you?", sparsity) == ""


BUILTIN = load_bank()


def test_the_builtin_bank_validates_with_a_follow_up_for_every_key_point() -> None:
    assert validate_bank(builtin_bank_path()) == []
    assert len(BUILTIN.questions) == 30
    without = [
        f"Q{q.number}: {k.label}"
        for q in BUILTIN.questions
        for k in q.key_points
        if not k.follow_up
    ]
    assert without == []


@pytest.mark.parametrize("question", BUILTIN.questions, ids=lambda q: f"Q{q.number}")
def test_no_builtin_follow_up_gives_its_point_away(question) -> None:
    """Lexically: the follow-up holds neither the label nor a phrasing, and read back as an
    answer it earns its point nothing by the bank's phrasings."""
    for point in question.key_points:
        assert gives_away(point.follow_up, point) == "", (point.label, point.follow_up)
        echoed = coverage(question, point.follow_up)  # phrasings only (no meaning model)
        result = next(r for r in echoed.key_points if r.label == point.label)
        assert result.score < COVERED_AT and result.credit == 0, (point.label, point.follow_up)
