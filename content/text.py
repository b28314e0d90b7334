"""How words are compared: tokens with character offsets, folded, numbers as digits, stemmed.

Both a bank's phrasings and a candidate's transcript go through :func:`tokenize`, so "L1" and
"l one", "regularize" and "regularization", "99%" and "ninety nine percent" meet on equal terms.
Text written without spaces between words (Chinese, Japanese, Thai) becomes its overlapping
pairs of characters, which is how two such texts are found to share a word without a dictionary.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from functools import lru_cache

import snowballstemmer

_NO_SPACES = (
    "\u0e00-\u0eff\u1000-\u109f\u1780-\u17ff\u3040-\u30ff\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff"
)
"""Scripts written without spaces between words: Thai, Lao, Myanmar, Khmer, Japanese kana,
Chinese characters."""
_WORD = re.compile(rf"[^\W_{_NO_SPACES}]+|(?P<run>[{_NO_SPACES}]+)", re.UNICODE)
_NO_SPACE_RUN = re.compile(f"[{_NO_SPACES}]+")
_STEMMER = snowballstemmer.stemmer("english")

_UNITS = {
    "zero": 0, "one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7,
    "eight": 8, "nine": 9, "ten": 10, "eleven": 11, "twelve": 12, "thirteen": 13,
    "fourteen": 14, "fifteen": 15, "sixteen": 16, "seventeen": 17, "eighteen": 18,
    "nineteen": 19,
}  # fmt: skip
_TENS = {
    "twenty": 20, "thirty": 30, "forty": 40, "fifty": 50, "sixty": 60, "seventy": 70,
    "eighty": 80, "ninety": 90,
}  # fmt: skip
_SCALES = {"hundred": 100, "thousand": 1000}

OTHER_LANGUAGE_STOPWORDS = frozenset(
    """le la les des du une sont dans sur avec cette qui pas ou leur il elle nous vous etre
    tres el los las es por para una lo como mas pero su sus muy tambien esta der das und ist
    nicht ein eine dem zu von auf sich auch wird werden sind di che della delle nel nella alla
    gli sono anche uma nao dos het een niet dat zijn voor ook wordt""".split()
)
"""The same kind of words in French, Spanish, German, Italian, Portuguese and Dutch, folded as
tokens are ("très" is "tres"), none of them a word of English text on machine learning or of
the SemEval answers ("aux", "op", "del", "ce", "os", "et al.", "pour", "fur" are left out): in
a bank in one of those languages they carry no idea either (``content.language`` reads a
text's language from them)."""
STOPWORDS = OTHER_LANGUAGE_STOPWORDS | frozenset(
    """a about above after again against all also am an and any are as at be because been
    before being below between both but by can could did do does doing down during each else
    even ever every few for from further get gets getting got had has have having he her here
    hers him his how i if in into is it its itself just let lets me more most much must my no
    nor not now of off on once only or other others our ours out own per quite rather
    really said same say says she should since so some such than that the their theirs them
    then there these they this those though through thus to too until up upon us very
    was we were what when where whether which while who whom whose why will with within
    without would yet you your yours yourself um uh er erm ah oh okay ok like well basically
    actually right yeah sort kind thing things stuff know""".split()
)
"""Words that carry no idea on their own; they never decide whether a key point is covered.

Negations ("not", "no") are here too: coverage is about which ideas are named, and a matcher
that tried to read negation would misfire on speech-recognition errors more often than help.
"""


@dataclass(frozen=True)
class Token:
    """One word of a text: its folded form, its stem, and where it stands in the original."""

    norm: str
    stem: str
    start: int
    end: int

    @property
    def is_stopword(self) -> bool:
        return self.norm in STOPWORDS or (self.norm[:1] >= "\u0e00" and _is_grammar(self.norm))


def fold(word: str) -> str:
    """Lowercase, accents and superscripts folded to ASCII where they have an equivalent."""
    decomposed = unicodedata.normalize("NFKD", word.casefold())
    return "".join(c for c in decomposed if not unicodedata.combining(c))


_IRREGULAR = {
    "held": "hold", "chose": "choose", "chosen": "choose", "ran": "run", "grew": "grow",
    "grown": "grow", "made": "make", "saw": "see", "seen": "see", "took": "take",
    "taken": "take", "gave": "give", "given": "give", "drove": "drive", "driven": "drive",
    "went": "go", "gone": "go", "thought": "think", "found": "find", "kept": "keep",
    "lost": "lose", "fell": "fall", "fallen": "fall", "split": "split", "led": "lead",
    "learnt": "learn", "fed": "feed", "bigger": "big", "smaller": "small", "larger": "large",
    "worse": "bad", "worst": "bad", "better": "good", "best": "good", "data": "data",
}  # fmt: skip
"""Word forms the stemmer cannot bring together."""

_SAME_IDEA = {
    "test": "validation", "holdout": "validation", "heldout": "validation", "dev": "validation",
    "unseen": "validation", "generalise": "generalize", "optimisation": "optimization",
    "regularisation": "regularization", "normalisation": "normalization",
    "probabilities": "probability", "odds": "probability",
    "penalty": "penalize", "penalise": "penalize", "penalises": "penalize",
}  # fmt: skip
"""Words a candidate says for the same idea as the bank's word (spoken test set = validation)."""


@lru_cache(maxsize=65536)
def stem(word: str) -> str:
    if word.isdigit() or any(c.isdigit() for c in word):
        return word
    word = _SAME_IDEA.get(word, word)
    return _STEMMER.stemWord(_IRREGULAR.get(word, word))


CONTRASTS: tuple[frozenset[str], ...] = tuple(
    frozenset(stem(w) for w in group.split())
    for group in (
        "l1 l2",
        "precision recall",
        "overfitting underfitting",
        "bias variance",
        "positive negative",
        "parametric nonparametric",
        "generative discriminative",
        "supervised unsupervised",
        "vanishing exploding",
        "mcar mar mnar",
        "sigmoid relu",
        "lasso ridge",
    )
)
"""Groups of terms that are easily swapped and change the meaning when they are.

A key point whose label names one of them is not covered by a passage that names another
of its group and not it ("L2 adds the absolute weights" does not cover "L1 adds absolute weights").
"""


def swaps_contrast(own: set[str] | frozenset[str], said: set[str] | frozenset[str]) -> bool:
    """``said`` (stems) names a term of a contrast group that ``own`` names, and none of
    ``own``'s terms of that group: L2 where L1 was meant. Naming both sides is no swap."""
    for group in CONTRASTS:
        mine = own & group
        if mine and not (said & mine) and (said & (group - mine)):
            return True
    return False


def other_side_says(own: set[str] | frozenset[str], tokens: list[Token]) -> bool:
    """A passage that names both sides of a contrast ``own`` names one side of says the key
    point's other words (``own`` outside the group, e.g. "drive weight zero" of "L1 drives
    weights to zero") of the other side no less than of its own: in "L2 drives weights to zero,
    while L1 only shrinks them" the claim is L2's.

    Each mention of a term of the group opens a segment that runs to the next mention; a
    segment's words are its side's. With no such words on either side, the passage cannot say
    which side the claim is about, and that counts as the other side's too.
    """
    for group in CONTRASTS:
        mine = own & group
        if not mine:
            continue
        claim = {s for s in own if s not in group and s not in STOPWORDS}
        sides: dict[bool, int] = {True: 0, False: 0}
        named: dict[bool, bool] = {True: False, False: False}
        side: bool | None = None
        for token in tokens:
            if token.stem in group:
                side = token.stem in mine
                named[side] = True
            elif side is not None and token.stem in claim:
                sides[side] += 1
        if named[True] and named[False] and sides[True] <= sides[False]:
            return True
    return False


TOKENIZED_TEXTS = 512
"""Texts whose tokens are remembered: one scoring reads the answer, its sentences, the model
answer's and the key points' texts several times over (a third of a warm scoring's time was
tokenizing the same texts again)."""


def _raw_tokens(text: str) -> list[tuple[str, int, int]]:
    raw: list[tuple[str, int, int]] = []
    for match in _WORD.finditer(text):
        if match.group("run") is None:
            raw.append((fold(match.group()), match.start(), match.end()))
        else:
            raw.extend(_character_pairs(match.group(), match.start()))
    return raw


GRAMMAR_CHARACTERS = frozenset("的了是在和有也就都而及与或把被让给对从这那个们么之其于很着吗呢吧啊")
"""Chinese characters that mostly do grammar's work: a pair holding one carries no idea of its
own, as English stop words do not. (In Japanese the kana of grammar, hiragana, do the same.)"""


@lru_cache(maxsize=65536)
def _is_grammar(word: str) -> bool:
    """A pair of characters (or one) with a character of grammar in it."""
    return written_without_spaces(word) and any(
        c in GRAMMAR_CHARACTERS or "\u3040" <= c <= "\u309f" for c in word
    )


def written_without_spaces(word: str) -> bool:
    """``word`` is of a script written without spaces (a pair of Chinese characters, say)."""
    return bool(word) and _NO_SPACE_RUN.fullmatch(word[0]) is not None


def _character_pairs(run: str, start: int) -> list[tuple[str, int, int]]:
    """A run of a script without spaces as its overlapping pairs of characters ("训练数据" ->
    "训练", "练数", "数据"): with no dictionary to find its words, the pairs that two texts
    share are the words they share, as search engines index such text."""
    if len(run) == 1:
        return [(run, start, start + 1)]
    return [(run[i : i + 2], start + i, start + i + 2) for i in range(len(run) - 1)]


def _numbers_as_digits(raw: list[tuple[str, int, int]]) -> list[tuple[str, int, int]]:
    """Merge spelled-out numbers into digits: "ninety nine" -> "99", "one hundred" -> "100"."""
    out: list[tuple[str, int, int]] = []
    i = 0
    while i < len(raw):
        word, start, end = raw[i]
        if word not in _UNITS and word not in _TENS:
            out.append(raw[i])
            i += 1
            continue
        value = _UNITS.get(word, _TENS.get(word, 0))
        j = i + 1
        if word in _TENS and j < len(raw) and raw[j][0] in _UNITS and 0 < _UNITS[raw[j][0]] < 10:
            value += _UNITS[raw[j][0]]
            end = raw[j][2]
            j += 1
        if j < len(raw) and raw[j][0] in _SCALES and value:
            value *= _SCALES[raw[j][0]]
            end = raw[j][2]
            j += 1
        out.append((str(value), start, end))
        i = j
    return out


def _split_letter_digit_runs(raw: list[tuple[str, int, int]]) -> list[tuple[str, int, int]]:
    """Join a lone letter and a following digit ("l 1" -> "l1"), the spoken form of L1, K2."""
    out: list[tuple[str, int, int]] = []
    for word, start, end in raw:
        if out and word.isdigit() and len(word) <= 2:
            prev, pstart, _ = out[-1]
            if len(prev) == 1 and prev.isalpha() and prev not in ("a", "i"):
                out[-1] = (prev + word, pstart, end)
                continue
        out.append((word, start, end))
    return out


def tokenize(text: str) -> list[Token]:
    """The words of ``text`` with offsets into ``text``; numbers as digits, stems attached."""
    return list(_tokens(text))


@lru_cache(maxsize=TOKENIZED_TEXTS)
def _tokens(text: str) -> tuple[Token, ...]:
    raw = _split_letter_digit_runs(_numbers_as_digits(_raw_tokens(text)))
    return tuple(Token(norm=w, stem=stem(w), start=s, end=e) for w, s, e in raw)


def content_tokens(text: str) -> list[Token]:
    """The tokens of ``text`` that are not stopwords (all of them if every one is)."""
    tokens = tokenize(text)
    kept = [t for t in tokens if not t.is_stopword]
    return kept or tokens


def spans_between(
    text: str, start: int, end: int, breaks: re.Pattern[str], junk: str | None = None
) -> list[tuple[int, int]]:
    """The (start, end) spans of ``text[start:end]`` between the matches of ``breaks``, without
    the spans that hold nothing but whitespace and the characters in ``junk``."""
    out: list[tuple[int, int]] = []
    cursor = start
    for match in breaks.finditer(text, start, end):
        if match.start() > cursor:
            out.append((cursor, match.start()))
        cursor = match.end()
    if cursor < end:
        out.append((cursor, end))
    strip = None if junk is None else " \t\n" + junk
    return [(a, b) for a, b in out if text[a:b].strip(strip)]
