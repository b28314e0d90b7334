"""Read questions from a table: CSV, TSV, or Anki's plain-text export (``Notes in Plain Text``).

Columns are question, answer and optionally topic. A header row is optional: a first row whose
cells name a question column (``question``, ``front``, ``prompt``, ``q``) and an answer column
(``answer``, ``back``, ``model answer``, ``a``) is a header, and then the columns may come in any
order, with a topic column named ``topic``, ``deck``, ``category``, ``section``, ``subject`` or
``tags``, and other right answers in columns named ``also accepted`` (or ``accepted answers``,
``alternative answers``): several such columns, and in one cell several answers separated by
``||`` or on lines of their own. Fields follow the CSV rules (RFC 4180): double quotes around a
field that holds the separator, a quote (doubled) or line breaks. A UTF-8 byte-order mark and
Windows line endings are fine. The separator is a tab for ``.tsv`` and ``.txt``, otherwise
guessed from the first line among comma, semicolon and tab.

Anki's text export starts with ``#key:value`` lines (Anki 2.1.55+): ``#separator:tab``,
``#html:true``, ``#deck column:3``, ``#tags column:5``, ``#notetype column:2``,
``#guid column:1``, ``#columns:Front<TAB>Back``, ``#tags:a b``; they are honoured, the
deck/tags/notetype/guid columns are taken out, a field that ``#columns`` names ``Also accepted``
(or another name above) holds other right answers, and the first two remaining fields are the
question and the answer. A cell holding HTML (``#html:true``, or a known tag or entity in it)
is converted to plain text; media references are noted and skipped.

A row without a question or an answer is reported as ``FILE:LINE: message`` (the line the row
starts on) and skipped; so is a row the CSV rules cannot read (an unclosed quote).
"""

from __future__ import annotations

import csv
import io
import re
from dataclasses import dataclass, field
from pathlib import Path

from content.accepted import ACCEPTED_NAMES, split_cell
from content.importers.cards import DEFAULT_TOPIC, DeckCard, DeckError, DeckRead
from content.importers.html_text import html_to_text, looks_like_html

_QUESTION_NAMES = ("question", "front", "prompt", "q", "text")
_ANSWER_NAMES = ("answer", "back", "model answer", "a", "response")
_TOPIC_NAMES = ("topic", "category", "section", "subject")
_SEPARATORS = {
    "comma": ",", "semicolon": ";", "tab": "\t", "space": " ", "pipe": "|", "colon": ":",
}  # fmt: skip
_ANKI_HEADER = re.compile(
    r"^#(?P<key>separator|html|tags|columns|notetype|deck|guid|notetype column|deck column"
    r"|tags column|guid column|if matches)\s*:(?P<value>.*)$",
    re.IGNORECASE,
)


@dataclass
class _Layout:
    separator: str | None = None
    html: bool | None = None
    question: int = 0
    answer: int = 1
    topic: int | None = None
    deck: int | None = None
    tags: int | None = None
    accepted: list[int] = field(default_factory=list)
    """Columns of other right answers (every ``also accepted`` header)."""
    skip: set[int] = field(default_factory=set)
    """Columns that are not fields (guid, note type)."""
    all_tags: str = ""
    anki: bool = False
    names: list[str] = field(default_factory=list)
    """Column names from an Anki export's ``#columns`` line (none without one)."""
    source: str = "column"
    """Where topics come from: column (``topic``), deck or tag."""


def read_table(path: Path, topic_from: str | None = None) -> DeckRead:
    """Every row of the table at ``path`` as a card (see the module docstring)."""
    try:
        raw = path.read_bytes()
    except OSError as error:
        raise DeckError(f"{path}: cannot read: {error.strerror or error}") from None
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        line = raw[: error.start].count(b"\n") + 1
        raise DeckError(f"{path}:{line}: not UTF-8 text; save the file as UTF-8") from None
    if "\x00" in text:
        raise DeckError(f"{path}: a binary file, not a CSV/TSV or text table")
    layout, body, offset = _anki_headers(text)
    read = DeckRead(
        path=path,
        format="Anki text export" if layout.anki else "CSV" if _is_csv(path) else "TSV/text table",
        title=path.stem.replace("_", " ").replace("-", " ").strip() or path.stem,
    )
    separator = layout.separator or _guess_separator(path, body)
    reader = csv.reader(io.StringIO(body, newline=""), delimiter=separator, strict=True)
    rows: list[tuple[int, list[str]]] = []
    while True:
        start = offset + reader.line_num + 1
        try:
            row = next(reader)
        except StopIteration:
            break
        except csv.Error as error:
            read.skip(start, f"not a readable row ({error}); skipped")
            continue
        rows.append((start, row))
    if rows and not layout.anki and _is_header(rows[0][1]):
        _apply_header(layout, rows.pop(0)[1])
    _choose_topic(path, layout, topic_from)
    for line, row in rows:
        _add_row(read, layout, line, row)
    return read


def _is_csv(path: Path) -> bool:
    return path.suffix.casefold() == ".csv"


def _anki_headers(text: str) -> tuple[_Layout, str, int]:
    """The ``#key:value`` lines of an Anki export; the rest of the text; how many lines."""
    layout = _Layout()
    lines = text.splitlines(keepends=True)
    count = 0
    for line in lines:
        match = _ANKI_HEADER.match(line.rstrip("\r\n"))
        if not match:
            break
        count += 1
        layout.anki = True
        key, value = match["key"].casefold(), match["value"].strip()
        if key == "separator":
            layout.separator = _SEPARATORS.get(value.casefold(), value[:1] or None)
        elif key == "html":
            layout.html = value.casefold() == "true"
        elif key == "tags":
            layout.all_tags = value
        elif key == "columns":
            layout.names = value.split(layout.separator or ("\t" if "\t" in value else ","))
        elif key.endswith(" column") and value.isdigit():
            index = int(value) - 1
            name = key.split()[0]
            if name == "deck":
                layout.deck = index
            elif name == "tags":
                layout.tags = index
            layout.skip.add(index)
    layout.accepted = [i for i, name in enumerate(layout.names) if _norm(name) in ACCEPTED_NAMES]
    return layout, "".join(lines[count:]), count


def _guess_separator(path: Path, body: str) -> str:
    if path.suffix.casefold() in (".tsv", ".tab", ".txt"):
        return "\t"
    first = next((line for line in body.splitlines() if line.strip()), "")
    counts = {sep: first.count(sep) for sep in (",", ";", "\t")}
    best = max(counts, key=lambda sep: counts[sep])
    return best if counts[best] else ","


def _norm(cell: str) -> str:
    return " ".join(cell.strip().casefold().split())


def _is_header(row: list[str]) -> bool:
    names = [_norm(c) for c in row]
    return any(n in _QUESTION_NAMES for n in names) and any(n in _ANSWER_NAMES for n in names)


def _apply_header(layout: _Layout, row: list[str]) -> None:
    names = [_norm(c) for c in row]

    def first(wanted: tuple[str, ...]) -> int | None:
        return next((i for i, name in enumerate(names) if name in wanted), None)

    layout.question = first(_QUESTION_NAMES) or 0
    layout.answer = first(_ANSWER_NAMES) or 1
    layout.topic = first(_TOPIC_NAMES)
    layout.deck = first(("deck",))
    layout.tags = first(("tags", "tag"))
    layout.accepted = [i for i, name in enumerate(names) if name in ACCEPTED_NAMES]


def _choose_topic(path: Path, layout: _Layout, topic_from: str | None) -> None:
    """Settle where topics come from: ``layout.source`` and the column it reads."""
    has_tags = layout.tags is not None or bool(layout.all_tags)
    if topic_from == "deck" and layout.deck is None:
        raise DeckError(
            f"{path}: no deck column (a 'deck' header, or '#deck column:N' in an Anki export); "
            "use --topic-from column or tag"
        )
    if topic_from == "tag" and not has_tags:
        raise DeckError(
            f"{path}: no tags column (a 'tags' header, or '#tags column:N' in an Anki export); "
            "use --topic-from column or deck"
        )
    if layout.anki:
        fields = [i for i in range(256) if i not in layout.skip and i not in layout.accepted]
        layout.question, layout.answer = fields[0], fields[1]
    elif layout.topic is None and topic_from in (None, "column"):
        taken = {layout.question, layout.answer, layout.deck, layout.tags, *layout.accepted}
        layout.topic = next(i for i in range(256) if i not in taken)  # question, answer, topic
    if topic_from is None:
        topic_from = (
            "column" if layout.topic is not None
            else "deck" if layout.deck is not None
            else "tag" if has_tags
            else "column"
        )  # fmt: skip
    layout.source = topic_from


def _add_row(read: DeckRead, layout: _Layout, line: int, row: list[str]) -> None:
    if not any(cell.strip() for cell in row):
        return  # a blank line

    def cell(index: int | None) -> str:
        if index is None or index >= len(row):
            return ""
        value = row[index].replace("\r\n", "\n").replace("\r", "\n")
        if layout.html or (layout.html is None and looks_like_html(value)):
            converted = html_to_text(value)
            read.note_media(converted.media)
            return converted.text
        return "\n".join(part.strip() for part in value.strip().split("\n"))

    question = " ".join(cell(layout.question).split())
    answer = cell(layout.answer)
    if not question and not answer:
        read.skip(line, "no question and no answer in this row; skipped")
        return
    if not question:
        read.skip(line, "the question is empty; skipped")
        return
    if not answer:
        columns = len(row)
        found = f" (the row has {columns} column{'s' if columns != 1 else ''})"
        read.skip(line, f"no answer for '{_short(question)}'{found}; skipped")
        return
    if layout.source == "tag":
        tags = (cell(layout.tags) or layout.all_tags).split()
        topic = tags[0].replace("::", " / ").replace("_", " ") if tags else DEFAULT_TOPIC
    elif layout.source == "deck":
        topic = " ".join(cell(layout.deck).split()).replace("::", " / ")
    else:
        topic = " ".join(cell(layout.topic).split())
    accepted = tuple(a for index in layout.accepted for a in split_cell(cell(index)))
    read.cards.append(
        DeckCard(question, answer, topic or DEFAULT_TOPIC, line, accepted_answers=accepted)
    )


def _short(text: str, width: int = 40) -> str:
    return text if len(text) <= width else text[: width - 1] + "…"
