"""Reports keep user text literal: HTML escaped, Markdown fenced, JSON exact."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from content.bank import builtin_bank_path, load_bank
from simulator.report import html_highlighted, md_escape, md_fenced, render
from simulator.scoring import Coverage, coverage
from simulator.store import SessionRecord, Store

BANK = load_bank()
HOSTILE = "<script>alert(1)</script> wrong assumptions & `code` ``` fence **bold**"


@pytest.fixture
def record(tmp_path: Path) -> SessionRecord:
    store = Store.open(tmp_path / "h.sqlite3")
    session = store.start_session("ml-theory", str(builtin_bank_path()), "typed", {})
    question = BANK.question(1)
    answer = store.start_answer(session, 1, question.topic, "typed")
    store.finish_answer(
        answer,
        transcript=HOSTILE,
        words=[],
        coverage=coverage(question, HOSTILE),
        delivery=None,
        duration_s=5.0,
    )
    store.end_session(session)
    return store.get_session(session)


def test_html_escapes_user_text_and_marks_covered_points(record: SessionRecord) -> None:
    page = render(record, "html")
    assert "<script>" not in page
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in page
    assert "<mark" in page and "wrong assumptions</mark>" in page
    assert BANK.question(1).text in page


def test_html_highlight_escapes_inside_and_outside_marks() -> None:
    points = [{"label": "x<y", "covered": True, "transcript_span": [3, 6]}]
    marked = Coverage.from_dict({"key_points": points})
    assert html_highlighted("<a><b>", marked) == '&lt;a&gt;<mark title="x&lt;y">&lt;b&gt;</mark>'
    missed = Coverage.from_dict({"key_points": [{"covered": False, "transcript_span": [0, 1]}]})
    assert html_highlighted("abc", missed) == "abc"


def test_markdown_keeps_the_transcript_literal_in_a_fence_it_cannot_close(
    record: SessionRecord,
) -> None:
    text = render(record, "md")
    assert "<script>alert(1)</script>" in text
    block = text.split("### Transcript\n\n", 1)[1]
    fence = block.split("text\n", 1)[0]
    assert fence == "````"  # longer than the transcript's own ```
    assert block.startswith(f"{fence}text\n{HOSTILE}\n{fence}\n")
    assert "- [x] Bias from wrong assumptions" in text
    assert "- [ ] Variance" in text


def test_markdown_helpers() -> None:
    assert md_escape("a <b> *c* [d]\n#e") == r"a \<b\> \*c\* \[d\] \#e"
    assert md_fenced("plain") == "```text\nplain\n```"


def test_json_round_trips_the_text(record: SessionRecord) -> None:
    data = json.loads(render(record, "json"))
    (answer,) = data["answers"]
    assert answer["transcript"] == HOSTILE
    assert answer["question_text"] == BANK.question(1).text
    assert answer["key_points"][0]["covered"] is True
    with pytest.raises(ValueError, match="unknown format"):
        render(record, "pdf")
