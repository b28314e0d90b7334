"""Whether a bank's text is English, the one language the bundled meaning model reads.

all-MiniLM-L6-v2 was trained on English. On other languages its vectors say little: measured on
a French and a Chinese bank (BENCHMARKS.md, "Banks not in English"), an answer about fruit
earned 57% and 88% by meaning, while words alone give it 0%. So a question that
is not in English is judged by its words only, and the feedback says so.

The test is cheap and needs no model: a text is not English when most of its letters are of
another script than Latin (Chinese, Japanese, Cyrillic, Greek, Arabic...), or when, in Latin
script, it uses more of the common little words of French, Spanish, German, Italian, Portuguese
or Dutch than of English. A text with neither (a two-word flashcard answer) is undecided.
"""

from __future__ import annotations

import unicodedata
from collections.abc import Iterable

from content.questions import Question
from content.text import OTHER_LANGUAGE_STOPWORDS, tokenize

BANK_SAMPLE = 50
"""Questions of its bank read when a question is too short to tell its language."""
NOT_LATIN_SHARE = 0.3
"""Share of a text's letters outside the Latin script from which it is not English."""

ENGLISH_WORDS = frozenset(
    """the of and to is in that it for on with as are by this be or an from at not which when
    you can than its was were has have been these those they their there what how why into
    each such also because between while""".split()
)
"""Little words that English text uses in every few words (and the six others hardly ever)."""


def is_english(texts: Iterable[str]) -> bool | None:
    """True or False when ``texts`` (read as one) tell; None when they are too short to."""
    text = " ".join(texts)
    letters = [c for c in text if c.isalpha()]
    if not letters:
        return None
    not_latin = sum(1 for c in letters if not _is_latin(c))
    if not_latin / len(letters) >= NOT_LATIN_SHARE:
        return False
    words = [t.norm for t in tokenize(text)]
    english = sum(1 for w in words if w in ENGLISH_WORDS)
    other = sum(1 for w in words if w in OTHER_LANGUAGE_STOPWORDS)
    if english == other == 0:
        return None
    return english >= other


def question_is_english(question: Question) -> bool:
    """The question and its model answer in English, or, when they are too short to tell, the
    first questions of its bank; English when nothing tells (the meaning model is used)."""
    own = is_english([question.text, question.model_answer])
    if own is not None:
        return own
    bank = [t for s in question.siblings[:BANK_SAMPLE] for t in (s.text, s.model_answer)]
    return is_english(bank) is not False


def _is_latin(letter: str) -> bool:
    return ord(letter) < 0x250 or unicodedata.name(letter, "").startswith("LATIN")
