"""The paraphrase sets stay true to the bank: every label one of its question's key points, every
credit 0, 0.5 or 1, each question with its answers of each kind (``validate.py`` there)."""

from __future__ import annotations

import importlib.util
from pathlib import Path

import pytest

VALIDATE = Path(__file__).parent / "data" / "paraphrase" / "validate.py"


def test_every_paraphrase_set_matches_the_bank(capsys: pytest.CaptureFixture[str]) -> None:
    spec = importlib.util.spec_from_file_location("paraphrase_validate", VALIDATE)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    assert module.main() == 0, capsys.readouterr().out
    out = capsys.readouterr().out
    assert "hard_tune.json 15 questions x 4" in out and "short.json 30 questions x 3" in out
