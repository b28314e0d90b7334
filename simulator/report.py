"""A session as a report: Markdown, HTML or JSON, with every piece of user text kept literal.

An answer to a follow-up question is a section of its own after its parent answer, titled with
the follow-up asked; the parent's key points that came in the follow-up say so.

What the user said is data, never markup. HTML escapes every string with ``html.escape``
(covered key points are wrapped in ``<mark>`` from the stored character spans, the text between
them escaped piece by piece). Markdown puts transcripts and drafts in fenced code blocks whose
fence is longer than any run of backticks in the text, so ``<script>`` or a stray fence stays
literal; short strings (labels, bank titles) have Markdown's special characters backslash-escaped.
"""

from __future__ import annotations

import html
import json
import re
from dataclasses import dataclass
from typing import TYPE_CHECKING

from content.bank import Bank, BankError, load_bank
from simulator.format import percent
from simulator.highlight import (
    IN_OTHER_WORDS,
    assists,
    in_other_words,
    point_sign,
    point_state,
    scoring_note,
    segments,
    transcript_marks,
)
from simulator.store import AnswerRecord, SessionRecord

if TYPE_CHECKING:
    from simulator.scoring import Coverage, KeyPointResult

FORMATS = ("md", "html", "json")
UNSCORED = "not scored"
_MD_SPECIAL = re.compile(r"([\\`*_\[\]<>#|~&])")
"""Characters that mean something inside a line; the lines we write never start with user text."""


@dataclass(frozen=True)
class Section:
    """One answer, with its question from the bank when the bank is still there."""

    answer: AnswerRecord
    question_text: str | None
    model_answer: str | None


def sections(record: SessionRecord, bank: Bank | None) -> list[Section]:
    result = []
    for answer in record.answers:
        question = None
        if bank is not None:
            try:
                question = bank.question(answer.question)
            except KeyError:
                question = None
        result.append(
            Section(
                answer,
                question.text if question else None,
                question.model_answer if question else None,
            )
        )
    return result


def session_bank(record: SessionRecord) -> Bank | None:
    """The session's bank (by its path, then its name), or None if it is gone or broken."""
    for source in (record.bank_path, record.bank_name):
        if source:
            try:
                return load_bank(source)
            except BankError:
                continue
    return None


def render(record: SessionRecord, fmt: str, bank: Bank | None = None) -> str:
    """The report of a session in ``fmt`` (md, html or json)."""
    if fmt not in FORMATS:
        raise ValueError(f"unknown format '{fmt}'; choose one of {', '.join(FORMATS)}")
    if bank is None:
        bank = session_bank(record)
    parts = sections(record, bank)
    if fmt == "json":
        return to_json(record, parts)
    if fmt == "md":
        return to_markdown(record, parts)
    return to_html(record, parts)


def to_json(record: SessionRecord, parts: list[Section]) -> str:
    data = record.to_dict()
    for entry, part in zip(data["answers"], parts, strict=True):
        entry["question_text"] = part.question_text
        entry["model_answer"] = part.model_answer
    return json.dumps(data, indent=2, ensure_ascii=False) + "\n"


def md_escape(text: str) -> str:
    """Inline text with Markdown's special characters escaped (one line)."""
    return _MD_SPECIAL.sub(r"\\\1", " ".join(text.split()))


def md_fenced(text: str) -> str:
    """A fenced block that shows ``text`` exactly, whatever backticks it holds."""
    longest = max((len(run) for run in re.findall(r"`+", text)), default=0)
    fence = "`" * max(3, longest + 1)
    return f"{fence}text\n{text}\n{fence}"


def _key_points(answer: AnswerRecord) -> list[KeyPointResult]:
    return list(answer.scored.key_points) if answer.scored else []


def to_markdown(record: SessionRecord, parts: list[Section]) -> str:
    lines = [
        f"# Interview session {record.id}",
        "",
        f"- Bank: {md_escape(record.bank_name)}",
        f"- Started: {md_escape(record.started_at)}",
        f"- Mode: {md_escape(record.mode)}",
        f"- Mean coverage: {percent(record.mean_coverage, 'not scored')}",
        "",
    ]
    for part in parts:
        answer = part.answer
        title = md_escape(part.question_text) if part.question_text else "(not in the bank)"
        if answer.is_follow_up:
            title = f"follow-up: {md_escape(answer.prompt)}"
        lines += [
            f"## Q{answer.question}{' ' if answer.is_follow_up else '. '}{title}",
            "",
            f"- Topic: {md_escape(answer.topic)}",
            f"- Status: {answer.status}, {answer.mode}, {answer.duration_s:.1f} s",
            f"- Coverage: {percent(answer.coverage, UNSCORED)}",
        ]
        if answer.scored is not None and answer.scored.assisted:
            lines.append(f"- Assisted: {assists(answer.scored)}")
        note = scoring_note(answer.scored) if answer.scored is not None else None
        if note:
            lines.append(f"- {md_escape(note)}")
        if answer.audio:
            lines.append(f"- Audio: {md_escape(str(answer.audio))}")
        lines += ["", "### Transcript", "", md_fenced(answer.transcript or answer.draft), ""]
        points = _key_points(answer)
        if points:
            lines += ["### Key points", ""]
            for point in points:
                mark = "x" if point.covered else " "
                notes = ["partly"] * point.partly + _notes(point)
                note = f" ({', '.join(notes)})" if notes else ""
                lines.append(f"- [{mark}] {md_escape(point.label)}{note}")
            lines.append("")
        if part.model_answer:
            lines += ["### Model answer", "", md_fenced(part.model_answer), ""]
    return "\n".join(lines).rstrip() + "\n"


def _notes(point: KeyPointResult) -> list[str]:
    """What the exports say beside a key point: how it was credited, and with what help."""
    return (
        ["hinted"] * point.hinted
        + ["in the follow-up"] * point.follow_up
        + [IN_OTHER_WORDS] * in_other_words(point)
    )


def html_highlighted(text: str, coverage: Coverage | None) -> str:
    """``text`` escaped, with each covered key point's span wrapped in ``<mark>``."""
    out: list[str] = []
    for run, mark in segments(text, transcript_marks(coverage, text)):
        if mark is None:
            out.append(html.escape(run))
        else:
            out.append(f'<mark title="{html.escape(mark.label)}">{html.escape(run)}</mark>')
    return "".join(out)


_CSS = (
    "body{font-family:sans-serif;max-width:50em;margin:2em auto;line-height:1.5}"
    "pre{white-space:pre-wrap;background:#f6f6f6;padding:.8em}"
    "mark{background:#c8f7c5}.missed{color:#a00}.covered{color:#060}.partly{color:#a60}"
)


def to_html(record: SessionRecord, parts: list[Section]) -> str:
    e = html.escape
    body = [
        f"<h1>Interview session {record.id}</h1>",
        "<ul>",
        f"<li>Bank: {e(record.bank_name)}</li>",
        f"<li>Started: {e(record.started_at)}</li>",
        f"<li>Mode: {e(record.mode)}</li>",
        f"<li>Mean coverage: {percent(record.mean_coverage, 'not scored')}</li>",
        "</ul>",
    ]
    for part in parts:
        answer = part.answer
        title = e(part.question_text) if part.question_text else "(not in the bank)"
        if answer.is_follow_up:
            title = f"follow-up: {e(answer.prompt)}"
        points = _key_points(answer)
        text = answer.transcript or answer.draft
        body += [
            "<section>",
            f"<h2>Q{answer.question}{' ' if answer.is_follow_up else '. '}{title}</h2>",
            f"<p>{e(answer.topic)} &middot; {e(answer.status)}, {e(answer.mode)}, "
            f"{answer.duration_s:.1f} s &middot; coverage {percent(answer.coverage, UNSCORED)}</p>",
        ]
        if answer.scored is not None and answer.scored.assisted:
            body.append(f"<p>Assisted: {e(assists(answer.scored))}</p>")
        note = scoring_note(answer.scored) if answer.scored is not None else None
        if note:
            body.append(f"<p>{e(note)}</p>")
        if answer.audio:
            body.append(f"<p>Audio: <code>{e(str(answer.audio))}</code></p>")
        body.append(f"<h3>Transcript</h3><pre>{html_highlighted(text, answer.scored)}</pre>")
        if points:
            body.append("<h3>Key points</h3><ul>")
            for point in points:
                css = point_state(point)
                notes = _notes(point)
                note = f" ({', '.join(notes)})" if notes else ""
                body.append(
                    f'<li class="{css}">{e(point_sign(point))} {e(point.label)}{e(note)}</li>'
                )
            body.append("</ul>")
        if part.model_answer:
            body.append(f"<h3>Model answer</h3><pre>{e(part.model_answer)}</pre>")
        body.append("</section>")
    return (
        '<!DOCTYPE html>\n<html lang="en"><head><meta charset="utf-8">'
        f"<title>Interview session {record.id}</title><style>{_CSS}</style></head>\n<body>\n"
        + "\n".join(body)
        + "\n</body></html>\n"
    )
