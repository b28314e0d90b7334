"""Questions from the tools candidates already use: Anki packages, Anki text exports, CSV/TSV.

:func:`read_deck` picks the reader by the file (a zip is an Anki package, anything else a
table) and returns a :class:`~content.importers.cards.DeckRead`; :func:`import_deck` also
writes the Markdown bank (:mod:`content.importers.markdown`) and validates it.
"""

from __future__ import annotations

from pathlib import Path

from content.importers.cards import TOPIC_SOURCES, DeckCard, DeckError, DeckRead
from content.importers.markdown import ImportReport, import_deck, render_bank

__all__ = [
    "TOPIC_SOURCES",
    "DeckCard",
    "DeckError",
    "DeckRead",
    "ImportReport",
    "import_deck",
    "read_deck",
    "render_bank",
]

ANKI_SUFFIXES = (".apkg", ".colpkg")


def read_deck(path: Path, topic_from: str | None = None) -> DeckRead:
    """The cards of ``path``; ``topic_from`` deck | tag | column (None: the file's natural one).

    Raises :class:`DeckError` (one line) when the file cannot be read as a deck at all.
    """
    from content.importers.anki import read_anki
    from content.importers.tabular import read_table

    if topic_from is not None and topic_from not in TOPIC_SOURCES:
        raise DeckError(f"--topic-from must be one of {', '.join(TOPIC_SOURCES)}")
    if path.is_dir():
        raise DeckError(f"{path}: a folder, not a deck file")
    if not path.exists():
        raise DeckError(f"{path}: no such file")
    try:
        with path.open("rb") as handle:
            magic = handle.read(4)
    except OSError as error:
        raise DeckError(f"{path}: cannot read: {error.strerror or error}") from None
    if path.suffix.casefold() in ANKI_SUFFIXES or magic == b"PK\x03\x04":
        return read_anki(path, topic_from or "deck")
    return read_table(path, topic_from)
