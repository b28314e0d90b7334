"""Build ``rich.text.Text`` for user text and model answers: literal text, styled by offsets.

Nothing here parses markup: the text is shown exactly as written, and highlights come from
character spans (``Text.stylize``), so ``[bold]`` typed by a user stays ``[bold]``.
"""

from __future__ import annotations

from collections.abc import Iterable

from rich.text import Text

from simulator.highlight import Mark

PALETTE_VARIABLES = ("success", "accent", "primary", "secondary", "warning")
"""Theme colours cycled through for covered key points."""


def point_styles(theme_colours: dict[str, str], count: int) -> list[str]:
    """One style per key point: theme colours, cycled, as reverse-video highlights."""
    colours = [theme_colours.get(name) for name in PALETTE_VARIABLES]
    colours = [c for c in colours if c] or ["green", "cyan", "blue", "magenta", "yellow"]
    return [f"bold {colours[i % len(colours)]} reverse" for i in range(count)]


def literal(text: str) -> Text:
    """``text`` exactly as written (no markup, no emoji codes)."""
    return Text(text, end="")


def highlighted(text: str, spans: Iterable[tuple[Mark, str]]) -> Text:
    """``text`` with each ``(mark, style)`` applied (``simulator.highlight`` marks, in order)."""
    result = literal(text)
    size = len(text)
    for span, style in spans:
        start, end = max(0, span.start), min(size, span.end)
        if end > start:
            result.stylize(style, start, end)
    return result
