"""HTML card fields (Anki's, or a spreadsheet cell's) to plain text, safely.

Anki stores every field as an HTML fragment: ``<br>`` and ``<div>`` for lines, ``<ul>``/``<ol>``
for lists, entities for ``&``, ``<`` and non-breaking spaces, ``<img src>`` and ``[sound:...]``
for media. :func:`html_to_text` keeps the words and the line structure a bank needs:

- ``<br>`` ends a line; ``<div>``, ``<p>``, headings and table rows are lines of their own;
  ``<p>`` (and a blank line) separates paragraphs;
- list items become ``- item`` lines (``1. item`` in an ordered list);
- entities are decoded (``&amp;`` -> ``&``, ``&nbsp;`` -> a space);
- ``<script>``, ``<style>``, ``<head>`` and ``<template>`` are dropped with their content, and
  nothing is ever evaluated: the text is parsed by :class:`html.parser.HTMLParser`, no browser;
- ``<img src="x.png">``, ``[sound:x.mp3]``, ``<audio>``/``<video>`` sources are removed from
  the text and returned in :attr:`FieldText.media`, so the importer can say they were skipped;
- cloze deletions ``{{c1::answer::hint}}`` read as their answer (:func:`cloze_question` blanks
  them for the question side).

Spaces inside a line collapse as a browser would; lines are stripped; three or more line breaks
become one blank line.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from html.parser import HTMLParser

_DROPPED = frozenset({"script", "style", "head", "template", "noscript", "title"})
_BLOCKS = frozenset(
    "div p h1 h2 h3 h4 h5 h6 tr table blockquote pre section article header footer hr".split()
)
_PARAGRAPHS = frozenset("p h1 h2 h3 h4 h5 h6 table blockquote pre".split())
_SOUND = re.compile(r"\[sound:([^\]]+)\]")
_CLOZE = re.compile(r"\{\{c\d+::(.*?)(?:::(.*?))?\}\}", re.DOTALL)
_LOOKS_HTML = re.compile(
    r"<\s*/?\s*(br|div|p|ul|ol|li|b|i|u|em|strong|span|font|img|a|code|pre|sub|sup|table|tr|td"
    r"|th|h[1-6]|script|style|hr|blockquote)\b[^>]*>|&(#\d+|#x[0-9a-f]+|[a-z]+);",
    re.IGNORECASE,
)


@dataclass(frozen=True)
class FieldText:
    """A field as plain text, and the media files it referred to (not imported)."""

    text: str
    media: tuple[str, ...] = ()


def looks_like_html(text: str) -> bool:
    """True when ``text`` holds a known HTML tag or an entity (so a CSV cell gets converted)."""
    return bool(_LOOKS_HTML.search(text))


def cloze_question(text: str) -> str:
    """A cloze field's question side: each deletion shown as ``[...]`` (or ``[hint]``)."""
    return _CLOZE.sub(lambda m: f"[{m.group(2) or '...'}]", text)


def cloze_answer(text: str) -> str:
    """A cloze field's answer side: each deletion replaced by its answer."""
    return _CLOZE.sub(lambda m: m.group(1), text)


def html_to_text(fragment: str) -> FieldText:
    """Plain text of an HTML fragment, with its media references listed apart."""
    media: list[str] = []

    def sound(match: re.Match[str]) -> str:
        media.append(match.group(1).strip())
        return ""

    fragment = _SOUND.sub(sound, fragment)
    parser = _TextParser()
    parser.feed(fragment)
    parser.close()
    media.extend(parser.media)
    return FieldText(_tidy(parser.text()), tuple(dict.fromkeys(m for m in media if m)))


class _TextParser(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.parts: list[str] = []
        self.media: list[str] = []
        self.dropping = 0
        self.lists: list[list[int]] = []
        """One entry per open list: [next number] for <ol>, [] for <ul>."""

    def text(self) -> str:
        return "".join(self.parts)

    def _newline(self, count: int = 1) -> None:
        """End the line; ``count`` 2 leaves a blank line. Breaks never add up: two block
        ends in a row are one break, as in a browser (``<br>`` always adds one)."""
        tail = "".join(self.parts[-4:])
        have = len(tail) - len(tail.rstrip("\n"))
        if not self.parts or have < count:
            self.parts.append("\n" * (count - have if self.parts else count))

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in _DROPPED:
            self.dropping += 1
            return
        if self.dropping:
            return
        values = dict(attrs)
        if tag in ("img", "source", "audio", "video", "embed") and values.get("src"):
            self.media.append(str(values["src"]))
        if tag == "br":
            self.parts.append("\n")
        elif tag in ("ul", "ol"):
            self._newline(1 if self.lists else 2)
            self.lists.append([1] if tag == "ol" else [])
        elif tag == "li":
            self._newline()
            marker = "- "
            if self.lists and self.lists[-1]:
                marker = f"{self.lists[-1][0]}. "
                self.lists[-1][0] += 1
            indent = "  " * max(0, len(self.lists) - 1)
            self.parts.append(f"\x00{indent}{marker}")  # \x00: keep this indent in _tidy
        elif tag in ("td", "th"):
            self.parts.append(" ")
        elif tag in _BLOCKS:
            self._newline(2 if tag in _PARAGRAPHS else 1)

    def handle_startendtag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in _DROPPED:
            return
        self.handle_starttag(tag, attrs)

    def handle_endtag(self, tag: str) -> None:
        if tag in _DROPPED:
            self.dropping = max(0, self.dropping - 1)
            return
        if self.dropping:
            return
        if tag in ("ul", "ol"):
            if self.lists:
                self.lists.pop()
            self._newline(1 if self.lists else 2)
        elif tag in _BLOCKS:
            self._newline(2 if tag in _PARAGRAPHS else 1)

    def handle_data(self, data: str) -> None:
        if not self.dropping:
            self.parts.append(data)


def _tidy(text: str) -> str:
    lines = []
    for line in text.replace("\r\n", "\n").replace("\r", "\n").split("\n"):
        line = line.replace("\xa0", " ").replace("\u200b", "")
        keep = ""
        if line.startswith("\x00"):
            stripped = line[1:]
            keep = stripped[: len(stripped) - len(stripped.lstrip(" "))]
            line = stripped
        line = re.sub(r"[ \t\f\v]+", " ", line.replace("\x00", "")).strip()
        lines.append(keep + line if line else "")
    joined = "\n".join(lines)
    return re.sub(r"\n{3,}", "\n\n", joined).strip()
