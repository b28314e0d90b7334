"""Study aids: a hinted key point earns less, hints come in the bank's order, help is recorded."""

from __future__ import annotations

import sqlite3
import threading
from pathlib import Path

import pytest

from content.bank import Bank, load_bank
from simulator.assess import assess_text
from simulator.hints import next_hint
from simulator.journal import Journal
from simulator.scoring import HINTED_CREDIT, Coverage, coverage
from simulator.session import Session, SessionSettings
from simulator.store import Store

# Question 4 of the built-in bank (L1 vs L2): key points in order are
# "L1 adds absolute weights", "L2 adds squared weights", "L1 drives weights to zero",
# "L1 does feature selection", "L2 shrinks without zeroing", "Elastic Net combines both".
FIRST_TWO = "L1, the lasso, adds the sum of absolute weights; L2, ridge, adds the squared weights."
ALL_SIX = (
    FIRST_TWO + " L1 drives weights to exactly zero, so it does automatic feature selection. "
    "L2 shrinks the weights toward zero but never exactly zero. "
    "Elastic net combines L1 and L2."
)


@pytest.fixture(scope="module")
def bank() -> Bank:
    return load_bank()


def labels(bank: Bank, number: int = 4) -> list[str]:
    return [k.label for k in bank.question(number).key_points]


def test_a_hinted_point_is_capped_at_partly_and_the_rest_unchanged(bank: Bank) -> None:
    question = bank.question(4)
    plain = coverage(question, ALL_SIX)
    assert all(k.covered for k in plain.key_points), [k.label for k in plain.missed]
    third = labels(bank)[2]
    hinted = coverage(question, ALL_SIX, hinted=frozenset({third}))
    point = next(k for k in hinted.key_points if k.label == third)
    assert point.hinted and point.credit == HINTED_CREDIT == 0.5
    assert point.partly and not point.covered and point.evidence == "words"
    others = [(k.label, k.credit) for k in hinted.key_points if k.label != third]
    assert others == [(k.label, k.credit) for k in plain.key_points if k.label != third]
    assert hinted.coverage < plain.coverage
    assert hinted.hinted == frozenset({third}) and hinted.assisted
    assert not plain.assisted and plain.hinted == frozenset()


def test_a_hinted_point_never_said_stays_missed(bank: Bank) -> None:
    last = labels(bank)[-1]
    scored = coverage(bank.question(4), FIRST_TWO, hinted=frozenset({last}))
    point = next(k for k in scored.key_points if k.label == last)
    assert point.hinted and point.credit == 0.0 and point in scored.missed


def test_hinted_labels_and_model_answer_first_round_trip(bank: Bank) -> None:
    third = labels(bank)[2]
    scored = coverage(bank.question(4), ALL_SIX, hinted=frozenset({third}), model_answer_first=True)
    stored = scored.to_dict()
    assert stored["model_answer_first"] is True
    assert [k["hinted"] for k in stored["key_points"]] == [k == third for k in labels(bank)]
    again = Coverage.from_dict(stored)
    assert again.to_dict() == stored
    assert again.hinted == frozenset({third}) and again.model_answer_first and again.assisted


def test_rows_from_before_hints_read_as_unassisted() -> None:
    old = {"coverage": 0.5, "key_points": [{"label": "a", "covered": True}, {"label": "b"}]}
    read = Coverage.from_dict(old)
    assert [k.hinted for k in read.key_points] == [False, False]
    assert not read.model_answer_first and not read.assisted


def test_assess_text_passes_the_help_through(bank: Bank) -> None:
    first = labels(bank)[0]
    feedback = assess_text(
        bank.question(4), FIRST_TWO, hinted=frozenset({first}), model_answer_first=True
    )
    scored = feedback.coverage
    assert scored.model_answer_first and scored.hinted == frozenset({first})
    assert scored.key_points[0].credit == HINTED_CREDIT
    assert scored.key_points[1].covered


def test_hints_come_in_the_bank_order_skipping_what_is_said_and_hinted(bank: Bank) -> None:
    names = labels(bank)
    question = bank.question(4)
    first = next_hint(question, "")
    assert first.label == names[0] and first.remaining == len(names) - 1
    after_two = next_hint(question, FIRST_TWO)
    assert after_two.label == names[2], after_two.coverage.to_dict()
    again = next_hint(question, FIRST_TWO, [names[2]])
    assert again.label == names[3]
    assert again.message.startswith(f"Hint: {names[3]}")


def test_no_hint_when_nothing_is_missing(bank: Bank) -> None:
    question = bank.question(4)
    done = next_hint(question, ALL_SIX)
    assert done.label is None and done.remaining == 0
    assert "Nothing is missing" in done.message
    all_hinted = next_hint(question, "", labels(bank))
    assert all_hinted.label is None


def test_an_assisted_answer_is_stored_as_assisted(bank: Bank, tmp_path: Path) -> None:
    path = tmp_path / "history.db"
    journal = Journal(Store.open(path))
    writer = threading.Thread(target=journal.run)
    writer.start()
    question = bank.question(4)
    session = Session([question, bank.question(1)], SessionSettings(mode="typed"))
    journal.start_session(session, bank)
    for hints in ([labels(bank)[2]], []):
        attempt = session.start_answer("typed")
        attempt.hints = hints
        journal.answer_started(session, attempt)
        scored = assess_text(session.question, ALL_SIX, hinted=frozenset(hints))
        session.submit(scored.transcript, scored.coverage)
        journal.answer_finished(attempt)
        session.next()
    journal.stop()
    writer.join(10)
    with sqlite3.connect(path) as db:
        rows = db.execute("SELECT question, assisted FROM answers ORDER BY id").fetchall()
    assert rows == [(4, 1), (1, 0)]
    store = Store.open(path)
    try:
        record = store.get_session(session.session_id or 0)
        assert record is not None
        first, second = record.answers
        assert first.assisted and first.to_dict()["assisted"] is True
        assert first.scored is not None and first.scored.hinted == {labels(bank)[2]}
        assert not second.assisted
    finally:
        store.close()


def test_reports_mark_the_hinted_point_and_the_help(bank: Bank, tmp_path: Path) -> None:
    from simulator import report

    path = tmp_path / "history.db"
    store = Store.open(path)
    try:
        session_id = store.start_session(bank.name, str(bank.path), "typed", {})
        answer_id = store.start_answer(session_id, 4, bank.question(4).topic, "typed")
        third = labels(bank)[2]
        scored = coverage(
            bank.question(4), FIRST_TWO, hinted=frozenset({third}), model_answer_first=True
        )
        store.finish_answer(
            answer_id,
            transcript=FIRST_TWO,
            words=[],
            coverage=scored,
            delivery=None,
            duration_s=3.0,
            assisted=scored.assisted,
        )
        record = store.get_session(session_id)
    finally:
        store.close()
    assert record is not None
    markdown = report.render(record, "md", bank=bank)
    assert f"- [ ] {third} (hinted)" in markdown, markdown
    assert "- Assisted: 1 hint, model answer shown first" in markdown, markdown
    page = report.render(record, "html", bank=bank)
    assert f"{third} (hinted)</li>" in page and "Assisted: 1 hint" in page
    data = report.render(record, "json", bank=bank)
    assert '"assisted": true' in data and '"hinted": true' in data


def test_the_flag_and_the_setting_turn_the_model_answer_first_on(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from simulator import locations
    from simulator.cli import build_parser
    from simulator.commands.interview import plan
    from simulator.config import load_config

    monkeypatch.setattr(locations, "_override", locations._override)  # --data-dir sets it
    home = tmp_path / "home"
    parser = build_parser()
    plain = plan(parser.parse_args(["--data-dir", str(home), "--typed"]))
    assert not plain.config.interview.model_answer_first
    flagged = plan(parser.parse_args(["--data-dir", str(home), "--model-answer-first"]))
    assert flagged.config.interview.model_answer_first
    config = tmp_path / "config.toml"
    config.write_text("[interview]\nmodel_answer_first = true\n")
    assert load_config(config).interview.model_answer_first
