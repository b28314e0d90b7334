"""The CLI contract other tools rely on: `bank list|show|validate` and `score`, run for real."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from simulator.locations import HOME_ENV

ROOT = Path(__file__).resolve().parents[2]


def run(*args: str, home: Path | None = None) -> subprocess.CompletedProcess[str]:
    env = None if home is None else {**os.environ, HOME_ENV: str(home)}
    return subprocess.run(
        [sys.executable, "-m", "simulator", *args],
        capture_output=True,
        text=True,
        cwd=ROOT,
        timeout=60,
        env=env,
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


def test_a_broken_bank_is_one_line_and_exit_2(tmp_path: Path) -> None:
    broken = tmp_path / "broken.md"
    broken.write_text("# B\n\n## T\n\n### Q1. A?\n\n#### Model answer\n\nx\n\n### Q1. B?\n")
    for args in (("bank", "list", "--bank", str(broken)), ("--bank", str(broken), "bank", "list")):
        result = run(*args)
        assert result.returncode == 2, result.stderr
        assert result.stderr.count("\n") == 1 and "Traceback" not in result.stderr
        assert f"{broken}:11: duplicate question number Q1" in result.stderr
        assert "bank validate" in result.stderr


def test_top_level_options_are_honoured_or_refused(tmp_path: Path) -> None:
    missing = str(tmp_path / "nonexistent.md")
    for args in (
        ("--bank", missing, "bank", "list"),
        ("--bank", missing, "score", "-q", "2", "--text", "overfitting"),
    ):
        result = run(*args)
        assert result.returncode == 2, (args, result.stdout)
        assert f"no bank named or at '{missing}'" in result.stderr
    own = tmp_path / "own.md"
    own.write_text(
        "# Own\n\n## Topic\n\n### Q2. What is a fold?\n\n#### Model answer\n\n"
        "A fold is one part of the data held out in cross validation.\n"
    )
    listed = run("--bank", str(own), "bank", "list", "--json")
    assert listed.returncode == 0, listed.stderr
    assert [q["question"] for q in json.loads(listed.stdout)] == ["What is a fold?"]
    scored = run("--bank", str(own), "score", "-q", "2", "--text", "held out", "--json")
    assert json.loads(scored.stdout)["key_points"][0]["label"].startswith("A fold is")
    for args in (("--typed", "bank", "list"), ("--count", "3", "sessions", "list")):
        refused = run(*args)
        assert refused.returncode == 2 and refused.stderr.count("\n") == 1, refused.stderr
        assert "does not apply to" in refused.stderr


def test_messages_name_what_is_actually_wrong(tmp_path: Path) -> None:
    a_file = tmp_path / "a-file"
    a_file.write_text("x")
    cases = [
        (("--data-dir", str(a_file), "sessions", "list"), "is a file, not a folder"),
        (("sessions", "list", "--data-dir", str(a_file / "sub")), "is a file, not a folder"),
        (("--data-dir", str(a_file), "--typed"), "is a file, not a folder"),
        (("score", "-q", "2", "--audio", str(tmp_path)), "is a folder; --audio takes one"),
        (("score", "-q", "2", "--text-file", str(tmp_path)), "is a folder; --text-file takes"),
    ]
    for args, message in cases:
        result = run(*args)
        assert result.returncode == 2, (args, result.stderr)
        assert message in result.stderr and result.stderr.count("\n") == 1, result.stderr


def test_bank_show_and_score_say_a_bank_not_in_english_is_judged_by_words() -> None:
    bank = "tests/unit/data/other-languages/zh.md"
    shown = run("bank", "show", "1", "--bank", bank)
    assert shown.returncode == 0, shown.stderr
    assert "judged by their words only" in shown.stdout
    assert "模型记住了训练数据中的噪声" in shown.stdout  # a key point of its own: one sentence
    scored = run("score", "--bank", bank, "-q", "1", "--text", "我喜欢吃苹果和香蕉。", "--json")
    assert scored.returncode == 0, scored.stderr
    result = json.loads(scored.stdout)
    assert result["not_english"] is True and result["coverage"] < 0.1
    assert "judged by their words only" not in run("bank", "show", "4").stdout


def test_scoring_a_question_not_in_english_never_loads_the_meaning_model(tmp_path: Path) -> None:
    """Judged by words alone, its score does not wait for the model: nothing is unpacked."""
    home = tmp_path / "home"
    bank = "tests/unit/data/other-languages/fr.md"
    scored = run(
        "score", "--bank", bank, "-q", "1", "--text", "Le modèle apprend le bruit.", home=home
    )
    assert scored.returncode == 0, scored.stderr
    assert not (home / "cache" / "models").exists()
    english = run("score", "-q", "1", "--text", "Bias is error from wrong assumptions.", home=home)
    assert english.returncode == 0, english.stderr
    assert (home / "cache" / "models").is_dir()  # the check above could fail
