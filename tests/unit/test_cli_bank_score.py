"""The CLI contract other tools rely on: `bank list|show|validate` and `score`, run for real."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]


def run(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "simulator", *args],
        capture_output=True,
        text=True,
        cwd=ROOT,
        timeout=60,
    )


def test_bank_list_json_lists_30_questions_in_4_topics() -> None:
    result = run("bank", "list", "--json")
    assert result.returncode == 0, result.stderr
    questions = json.loads(result.stdout)
    assert [q["number"] for q in questions] == list(range(1, 31))
    assert set(questions[0]) == {"number", "topic", "question"}
    assert len({q["topic"] for q in questions}) == 4


def test_bank_show_json_has_answer_and_key_points() -> None:
    result = run("bank", "show", "4", "--json")
    assert result.returncode == 0, result.stderr
    question = json.loads(result.stdout)
    assert {"number", "topic", "question", "model_answer", "key_points"} <= set(question)
    assert question["number"] == 4
    point = question["key_points"][0]
    assert set(point) >= {"label", "phrasings", "weight"} and point["phrasings"]


def test_bank_validate_good_and_broken(tmp_path: Path) -> None:
    good = run("bank", "validate", "content/banks/ml-theory.md")
    assert good.returncode == 0 and "30 questions" in good.stdout
    broken = tmp_path / "broken.md"
    broken.write_text("# B\n\n## T\n\n### Q1. A?\n\n#### Model answer\n\nx\n\n### Q1. B?\n")
    result = run("bank", "validate", str(broken))
    assert result.returncode == 1
    assert f"{broken}:11: duplicate question number Q1" in result.stdout
    assert f"{broken}:11: Q1 has no model answer" not in result.stdout


def test_score_json_contract() -> None:
    text = "L1, or lasso, adds the absolute value of the weights and gives sparse models."
    result = run("score", "--question", "4", "--text", text, "--json")
    assert result.returncode == 0, result.stderr
    data = json.loads(result.stdout)
    assert {"question", "coverage", "transcript", "key_points"} <= set(data)
    assert data["question"] == 4 and data["transcript"] == text
    assert 0 < data["coverage"] < 1
    covered = [k for k in data["key_points"] if k["covered"]]
    start, end = covered[0]["transcript_span"]
    assert text[start:end]
    assert {"label", "covered", "score", "transcript_span"} <= set(covered[0])


def test_score_table_names_the_missed_points(tmp_path: Path) -> None:
    answer = tmp_path / "answer.txt"
    answer.write_text("Lasso gives sparse models.", encoding="utf-8")
    result = run("score", "-q", "4", "--text-file", str(answer))
    assert result.returncode == 0, result.stderr
    assert "Coverage" in result.stdout and "Missed: " in result.stdout
    assert "Elastic" in result.stdout.split("Missed: ")[1]


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (("score", "-q", "99", "--text", "x"), "no question 99"),
        (("score", "-q", "4", "--text-file", "/nonexistent/answer.txt"), "no such file"),
        (("bank", "list", "--bank", "/nonexistent/bank.md"), "no bank named or at"),
        (("bank", "show", "four"), "invalid int value"),
        (("score", "--text", "x"), "required"),
    ],
)
def test_bad_arguments_are_one_line_errors_with_exit_2(args: tuple[str, ...], message: str) -> None:
    result = run(*args)
    assert result.returncode == 2
    assert message in result.stderr
    assert "Traceback" not in result.stderr
    assert len(result.stderr.strip().splitlines()) <= 2
