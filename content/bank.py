"""Question banks as Markdown: parse, validate and look up questions.

A bank is one human-editable Markdown file::

    # ML Theory Deep Dive                      <- title (first heading, required)

    Optional description.

    ## Bias-Variance & Overfitting             <- a topic
    ### Q1. Explain the bias-variance tradeoff. <- a question: number and text
    #### Model answer                          <- paragraphs and bullet lists, kept as written
    Bias is the error from ...
    #### Also accepted                         <- optional; other right answers, after the model
    - Underfitting error versus overfitting      answer: one '- ' bullet each, plain text
      error, traded off against each other
    #### Key points                            <- optional; extracted from the answer if absent
    - **Bias: wrong assumptions** (weight 2): wrong assumptions; too simple; underfits
    - **Variance: sensitivity to the data**: sensitive to the training data; fluctuations
    #### Follow-ups                            <- optional; asked when a key point was missed
    - **Variance: sensitivity to the data**: What happens to this model if you retrain it on
      a different sample?

A key point is a bold label, an optional ``(weight N)``, a colon, then the phrasings that count
as covering it, separated by semicolons. A follow-up is the bold label of one of the question's
key points, a colon, then the question asked when that point was missed (one per key point; it
may run on over indented lines). It must not say the point itself: a follow-up that contains
the point's label or one of its phrasings is refused. An accepted answer is another complete
right answer to the question, in plain words (one bullet, which may run on over indented lines);
it must come after the model answer, say something other than the model answer and the other
accepted answers, and not be a key point (``- **label**: ...``) or a nested list; see
:mod:`content.accepted`. Every problem is reported as ``FILE:LINE: message``; parsing never
raises anything but :class:`BankError`.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field, replace
from importlib import resources
from pathlib import Path

from content.accepted import same_answer
from content.questions import Bank, KeyPoint, Question

BUILTIN_BANK = "ml-theory"

_TITLE = re.compile(r"^#\s+(?P<title>\S.*?)\s*$")
_TOPIC = re.compile(r"^##\s+(?P<topic>\S.*?)\s*$")
_QUESTION = re.compile(r"^###\s+Q(?P<number>\d+)\s*[.:)]\s*(?P<text>\S.*?)\s*$", re.IGNORECASE)
_SECTION = re.compile(r"^####\s+(?P<name>.*?)\s*$")
_DEEP_HEADING = re.compile(r"^#{5,}\s")
_KEY_POINT = re.compile(
    r"^[-*+]\s+\*\*(?P<label>[^*]+?)\*\*\s*"
    r"(?:\(\s*weight\s*[:=]?\s*(?P<weight>[^)]*?)\s*\)\s*)?"
    r":\s*(?P<phrasings>.*?)\s*$",
    re.IGNORECASE,
)
_FOLLOW_UP = re.compile(r"^[-*+]\s+\*\*(?P<label>[^*]+?)\*\*\s*:\s*(?P<text>.*?)\s*$")
_BULLET = re.compile(r"^[-*+](?:\s+(?P<text>.*?))?\s*$")
_NUMBERED = re.compile(r"^\d+[.)]\s")
_SECTIONS = {
    "model answer": "answer",
    "also accepted": "accepted",
    "also accepted answers": "accepted",
    "accepted answers": "accepted",
    "key points": "key_points",
    "follow-ups": "follow_ups",
    "follow ups": "follow_ups",
    "followups": "follow_ups",
}


@dataclass(frozen=True)
class Problem:
    path: Path
    line: int
    message: str

    def __str__(self) -> str:
        return f"{self.path}:{self.line}: {self.message}"


class BankError(Exception):
    """A bank that cannot be used; ``problems`` lists every reason as FILE:LINE: message."""

    def __init__(self, problems: list[Problem]) -> None:
        self.problems = problems
        super().__init__("\n".join(str(p) for p in problems))


@dataclass
class _Draft:
    number: int
    topic: str
    text: str
    line: int
    answer_lines: list[str] = field(default_factory=list)
    answer_line: int = 0
    key_points: list[KeyPoint] = field(default_factory=list)
    follow_ups: list[_FollowUpLine] = field(default_factory=list)
    """As written, with their lines; matched to the key points once the question is read."""
    accepted: list[_AcceptedLine] = field(default_factory=list)
    """The ``#### Also accepted`` bullets as written, with their lines; checked at the end."""
    accepted_line: int = 0
    """The line of the ``#### Also accepted`` heading (0: none)."""


@dataclass
class _FollowUpLine:
    label: str
    text: str
    line: int


@dataclass
class _AcceptedLine:
    text: str
    line: int


def builtin_bank_path(name: str = BUILTIN_BANK) -> Path:
    return Path(str(resources.files("content") / "banks" / f"{name}.md"))


def builtin_bank_names() -> list[str]:
    folder = Path(str(resources.files("content") / "banks"))
    return sorted(p.stem for p in folder.glob("*.md"))


def resolve_bank_path(name_or_path: str | None) -> Path:
    """A built-in bank name (``ml-theory``) or a path to a Markdown file."""
    if not name_or_path:
        return builtin_bank_path()
    looks_like_path = "/" in name_or_path or name_or_path.endswith(".md")
    if not looks_like_path and name_or_path in builtin_bank_names():
        return builtin_bank_path(name_or_path)
    return Path(name_or_path).expanduser()


def load_bank(name_or_path: str | Path | None = None) -> Bank:
    """Parse and validate a bank; raise :class:`BankError` listing every problem."""
    path = resolve_bank_path(str(name_or_path) if name_or_path is not None else None)
    bank, problems = _parse(path)
    if problems or bank is None:
        raise BankError(problems)
    return bank


def validate_bank(path: str | Path) -> list[Problem]:
    """Every problem of the bank at ``path``; an empty list means it is valid."""
    return _parse(Path(path))[1]


def _read(path: Path) -> tuple[list[str] | None, list[Problem]]:
    try:
        raw = path.read_bytes()
    except FileNotFoundError:
        return None, [Problem(path, 0, "no such file")]
    except IsADirectoryError:
        return None, [Problem(path, 0, "is a folder, not a bank file")]
    except OSError as error:
        return None, [Problem(path, 0, f"cannot read: {error.strerror or error}")]
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        line = raw[: error.start].count(b"\n") + 1
        return None, [Problem(path, line, "not UTF-8 text; save the file as UTF-8")]
    if not text.strip():
        return None, [Problem(path, 1, "empty file; a bank starts with '# Title'")]
    return text.splitlines(), []


def _parse(path: Path) -> tuple[Bank | None, list[Problem]]:
    lines, problems = _read(path)
    if lines is None:
        return None, problems

    def problem(line: int, message: str) -> None:
        problems.append(Problem(path, line, message))

    title = ""
    description: list[str] = []
    topic: str | None = None
    drafts: list[_Draft] = []
    current: _Draft | None = None
    section: str | None = None

    for number, line in enumerate(lines, start=1):
        stripped = line.strip()
        if not title:
            if not stripped:
                continue
            match = _TITLE.match(stripped)
            if not match:
                problem(number, "a bank starts with a title line '# Title'")
                return None, problems
            title = match["title"]
            continue
        if match := _TOPIC.match(stripped):
            topic, current, section = match["topic"], None, None
            continue
        if stripped.startswith("###") and not stripped.startswith("####"):
            match = _QUESTION.match(stripped)
            if not match:
                problem(number, "a question heading reads '### Q<number>. <question text>'")
                current, section = None, None
                continue
            if topic is None:
                problem(number, "question before any topic; add a '## Topic' heading above it")
            current = _Draft(int(match["number"]), topic or "", match["text"], number)
            drafts.append(current)
            section = None
            continue
        if match := _SECTION.match(stripped):
            name = match["name"].casefold().rstrip(":")
            if current is None:
                problem(number, f"section '{match['name']}' outside a question")
            elif name not in _SECTIONS:
                problem(
                    number,
                    f"unknown section '{match['name']}'; "
                    "a question has '#### Model answer', '#### Also accepted', "
                    "'#### Key points' and '#### Follow-ups'",
                )
                section = None
            else:
                section = _SECTIONS[name]
                if section == "answer":
                    current.answer_line = number
                elif section == "accepted":
                    _open_accepted(current, number, problem)
            continue
        if _DEEP_HEADING.match(stripped) or stripped.startswith("# "):
            problem(number, "unexpected heading; use ## topic, ### Q<n>. question, #### section")
            continue
        if current is None:
            if topic is None:
                description.append(line)
            elif stripped:
                problem(number, "text outside a question; put it under '#### Model answer'")
            continue
        if section == "answer":
            current.answer_lines.append(line)
        elif section == "key_points":
            if stripped:
                _parse_key_point(stripped, number, current, problem)
        elif section == "follow_ups":
            if stripped:
                _parse_follow_up(line, stripped, number, current, problem)
        elif section == "accepted":
            if stripped:
                _parse_accepted(line, stripped, number, current, problem)
        elif stripped:
            problem(number, "text before '#### Model answer'; start the answer with that heading")

    if not title:
        problem(1, "a bank starts with a title line '# Title'")
    if not drafts and title:
        problem(len(lines), "no questions; add '### Q1. <question>' under a '## Topic'")

    seen: dict[int, int] = {}
    questions: list[Question] = []
    for draft in drafts:
        if draft.number in seen:
            first = seen[draft.number]
            problem(
                draft.line, f"duplicate question number Q{draft.number} (first at line {first})"
            )
            continue
        seen[draft.number] = draft.line
        answer = "\n".join(draft.answer_lines).strip()
        if not answer:
            problem(draft.line, f"Q{draft.number} has no model answer; add '#### Model answer'")
            continue
        key_points = _with_follow_ups(draft, problem)
        accepted = _accepted_answers(draft, answer, problem)
        extracted = not key_points
        if extracted:
            from content.extract import extract_key_points  # its stemmer loads only when needed

            key_points = tuple(extract_key_points(draft.text, answer))
        questions.append(
            Question(
                number=draft.number,
                topic=draft.topic,
                text=draft.text,
                model_answer=answer,
                key_points=key_points,
                key_points_extracted=extracted,
                line=draft.line,
                accepted_answers=accepted,
            )
        )
    if problems:
        return None, problems
    bank = Bank(
        name=path.stem,
        title=title,
        path=path,
        description="\n".join(description).strip(),
        questions=tuple(questions),
    )
    return bank, problems


def _parse_key_point(text: str, line: int, draft: _Draft, problem) -> None:
    match = _KEY_POINT.match(text)
    if not match:
        problem(line, "a key point reads '- **label**: phrasing; another phrasing'")
        return
    label = match["label"].strip()
    weight = 1.0
    if match["weight"] is not None:
        try:
            weight = float(match["weight"])
        except ValueError:
            weight = -1.0
        if weight <= 0:
            problem(line, f"key point '{label}': weight must be a positive number")
            return
    phrasings = tuple(p.strip() for p in match["phrasings"].split(";") if p.strip())
    if not phrasings:
        problem(line, f"key point '{label}' has no phrasing; list them after the colon")
        return
    draft.key_points.append(KeyPoint(label=label, phrasings=phrasings, weight=weight))


def _parse_follow_up(line: str, text: str, number: int, draft: _Draft, problem) -> None:
    match = _FOLLOW_UP.match(text)
    if match:
        draft.follow_ups.append(_FollowUpLine(match["label"].strip(), match["text"], number))
        return
    if draft.follow_ups and line[:1].isspace():  # the follow-up above runs on
        last = draft.follow_ups[-1]
        last.text = f"{last.text} {text}".strip()
        return
    problem(number, "a follow-up reads '- **key point label**: the question to ask'")


def _open_accepted(draft: _Draft, line: int, problem) -> None:
    """Check where an ``#### Also accepted`` heading stands; its bullets are read either way."""
    if draft.accepted_line:
        problem(
            line,
            f"a second '#### Also accepted' in Q{draft.number} (the first is at line "
            f"{draft.accepted_line}); list every accepted answer under the first",
        )
        return
    draft.accepted_line = line
    if not draft.answer_line:
        problem(
            line,
            f"'#### Also accepted' before the model answer of Q{draft.number}; "
            "move it below '#### Model answer'",
        )


def _parse_accepted(line: str, text: str, number: int, draft: _Draft, problem) -> None:
    indented = line[:1].isspace()
    bullet = _BULLET.match(text)
    if indented and draft.accepted and not bullet:  # the accepted answer above runs on
        last = draft.accepted[-1]
        last.text = f"{last.text} {text}".strip()
        return
    if indented and bullet and draft.accepted:
        problem(
            number,
            "a nested list in an accepted answer; each accepted answer is one '- ' bullet of "
            "plain text (start it at the line's beginning to make it an answer of its own)",
        )
        return
    if not bullet:
        form = "a numbered line" if _NUMBERED.match(text) else "text that is not a bullet"
        problem(
            number,
            f"{form} under '#### Also accepted'; each accepted answer reads "
            "'- the answer in plain words'",
        )
        return
    if _KEY_POINT.match(text) or _FOLLOW_UP.match(text):
        problem(
            number,
            "this looks like a key point ('- **label**: ...'); an accepted answer is plain text: "
            "move key points under '#### Key points', or drop the '**'",
        )
        return
    draft.accepted.append(_AcceptedLine(bullet["text"] or "", number))


def _accepted_answers(draft: _Draft, answer: str, problem) -> tuple[str, ...]:
    """The draft's accepted answers, each checked: not empty, not a repeat."""
    kept: list[_AcceptedLine] = []
    for accepted in draft.accepted:
        if not accepted.text:
            problem(
                accepted.line,
                "an empty accepted answer; write the answer after the '- ' or delete the line",
            )
            continue
        if same_answer(accepted.text, answer):
            problem(
                accepted.line,
                f"this accepted answer is the model answer of Q{draft.number} again; "
                "list only other right answers, or delete the line",
            )
            continue
        first = next((k for k in kept if same_answer(k.text, accepted.text)), None)
        if first is not None:
            problem(
                accepted.line,
                f"the same accepted answer as line {first.line}; delete one of them",
            )
            continue
        kept.append(accepted)
    return tuple(k.text for k in kept)


def _with_follow_ups(draft: _Draft, problem) -> tuple[KeyPoint, ...]:
    """The draft's key points, each with its follow-up; every follow-up problem reported."""
    points = list(draft.key_points)
    index: dict[str, int] = {}
    for number, point in enumerate(points):
        index.setdefault(point.label.casefold(), number)
    asked: dict[int, int] = {}
    for follow_up in draft.follow_ups:
        number = index.get(follow_up.label.casefold(), -1)
        if number < 0:
            if not points:
                problem(follow_up.line, "follow-ups name key points; add '#### Key points' first")
            else:
                labels = "; ".join(p.label for p in points)
                problem(
                    follow_up.line,
                    f"follow-up for '{follow_up.label}', which is not a key point of "
                    f"Q{draft.number} (its key points: {labels})",
                )
            continue
        point = points[number]
        if number in asked:
            problem(
                follow_up.line,
                f"a second follow-up for '{point.label}' (the first is at line {asked[number]})",
            )
            continue
        asked[number] = follow_up.line
        if not follow_up.text:
            problem(follow_up.line, f"the follow-up for '{point.label}' has no question")
            continue
        given_away = gives_away(follow_up.text, point)
        if given_away:
            problem(
                follow_up.line,
                f"the follow-up for '{point.label}' says the point itself ('{given_away}'); "
                "ask about it without naming it",
            )
            continue
        points[number] = replace(point, follow_up=follow_up.text)
    return tuple(points)


def gives_away(text: str, point: KeyPoint) -> str:
    """The label or phrasing of ``point`` that ``text`` contains word for word, or ''."""
    words = _words(text)
    for said in (point.label, *point.phrasings):
        wanted = _words(said)
        if wanted and _contains(words, wanted):
            return said
    return ""


def _words(text: str) -> list[str]:
    return re.findall(r"[a-z0-9]+", text.casefold())


def _contains(words: list[str], wanted: list[str]) -> bool:
    size = len(wanted)
    return any(words[i : i + size] == wanted for i in range(len(words) - size + 1))
