"""Which key names a user keymap may use (the names Textual gives keys), without importing Textual.

A key is a base name with optional modifiers joined by ``+``: ``ctrl+s``, ``shift+f5``,
``question_mark``, ``x``. The base is a letter or digit, a named key (``space``, ``enter``,
``f1``...) or the Unicode name of a printable ASCII character as Textual spells it
(``question_mark``, ``full_stop``). Anything else (``ctrl+banana``) is refused by the config.
"""

from __future__ import annotations

import string
import unicodedata

MODIFIERS = frozenset({"ctrl", "shift", "alt", "meta", "super", "hyper"})
_NAMED = {
    "escape", "enter", "return", "tab", "space", "backspace", "delete", "insert", "home",
    "end", "pageup", "pagedown", "up", "down", "left", "right", "backtab",
}  # fmt: skip


def _character_names() -> set[str]:
    names = set(string.ascii_letters + string.digits)
    for character in string.punctuation:
        names.add(character)
        names.add(unicodedata.name(character).lower().replace("-", "_").replace(" ", "_"))
    return names


BASES = frozenset(_NAMED | {f"f{n}" for n in range(1, 25)} | _character_names())


def unknown_keys(keys: str) -> list[str]:
    """The comma-separated keys in ``keys`` that are not keys (empty if all are)."""
    bad = []
    for key in (part.strip() for part in keys.split(",")):
        *modifiers, base = key.split("+") if key else [""]
        if not base or base not in BASES or not set(modifiers) <= MODIFIERS:
            bad.append(key)
    return bad
