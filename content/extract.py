"""Key points for a question whose bank gives none, extracted from its model answer.

How: the answer is cut into sentences (and bullets, paragraphs, "(1) ... (2) ..." items), and
each sentence into its clauses: at ";" and ":", before a comma followed by a word that opens a
new idea ("and", "but", "so", "which", "because", ...), before "because", "which", "whereas",
"so that", "therefore" and the like, and at a bare "and" / "but" / "so" between two
clauses that each name at least two ideas of their own. A clause is an idea when it has at
least two content words that are not in the question (the question's own words prove
nothing); a shorter one joins its neighbour. So "The sand particles are larger and settle first"
makes two key points, *sand particles are larger* and *settle first*, and an answer of one
sentence is graded on its ideas instead of all or nothing. An answer with no such idea at all
becomes one key point: the whole answer.

Each key point's label is its clause (up to ``LABEL_WORDS`` words), its phrasings its content
words (all of them when it has at most three, else its three most distinctive: longest and
rarest in the answer), and the two most distinctive as a looser alternative. Scoring compares
the clause itself (``Idea.text``) with what the candidate said by meaning, so a paraphrase
that shares none of the words can still cover it. At most ``MAX_POINTS`` ideas are kept, the
richest first, in answer order.

Extracted key points are a fallback: hand-written ones with the phrasings a candidate would
say are better, and ``mock-interview bank show N`` shows what was extracted so it can be copied
into the bank and edited.
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass
from functools import lru_cache

from content.questions import KeyPoint
from content.text import Token, content_tokens, spans_between, tokenize, written_without_spaces

_JUNK = "-*+\"',;:.。，；"
"""Characters that alone do not make a sentence or clause (bullets, quotes, punctuation)."""

MAX_POINTS = 8
LABEL_WORDS = 12
LABEL_CHARACTERS = 20
"""The same for a label written without spaces (Chinese, Japanese): its length in characters."""
MIN_WORDS = 2
"""Content words (not in the question) that make a clause an idea of its own."""

_SENTENCE_BREAK = re.compile(
    r"(?<=[.!?])\s+(?=[A-Z0-9(\"'])|(?<=[。！？])\s*"  # sentence ends (and CJK full stops)
    r"|\n\s*[-*+]\s+|^\s*[-*+]\s+|\n\s*\d+[.)]\s+|\n{2,}|\n(?=[A-Z])"  # bullets, paragraphs
)
_CLAUSE_BREAK = re.compile(
    r"\s*[;；]\s*|:\s+|\s+[—–]\s+|\s*\(\d+\)\s*|\s*\([a-z]\)\s+"  # ";", ":", dashes, "(1)", "(a)"
    r"|,\s+(?=(?:and|but|so|because|which|while|whereas|whilst|although|though|since|then|"
    r"thus|hence|therefore|meaning|otherwise|whereby|where|when|unless|or)\b)"
    r"|\s+(?=(?:because|whereas|therefore|hence|thus|so that|which means|which|since|"
    r"otherwise|unless)\b)",
    re.IGNORECASE,
)
_BARE_AND = re.compile(r"\s+(?=(?:and|but|so|or|then|while)\s)", re.IGNORECASE)
_LEADING = re.compile(
    r"(?:(?:and|but|so|or|because|which|while|whereas|whilst|although|though|since|then|thus|"
    r"hence|therefore|meaning|otherwise|whereby|where|when|unless|that|so that|which means)\b"
    r"[\s,]*)+",
    re.IGNORECASE,
)
_TRAILING = re.compile(r"(?:[\s,]+(?:and|but|so|or|then|while))+\Z", re.IGNORECASE)
_CONNECTIVES = frozenset(
    """therefore thus hence also each both either neither don doesn didn isn aren wasn weren
    won wouldn shouldn couldn cannot can many several lot lots""".split()
)
"""Words that link or negate ideas rather than name one: never a phrasing word."""
_GENERIC = frozenset(
    """practice typically usually important critical difference example approach adds makes
    uses using used performing perform effectively essentially generally often called""".split()
)


@dataclass(frozen=True)
class Idea:
    """One clause of the model answer that became a key point, and where it stands there."""

    key_point: KeyPoint
    text: str
    """The clause as the model answer says it: what its meaning is judged against."""
    start: int
    end: int


def extract_key_points(question_text: str, model_answer: str) -> list[KeyPoint]:
    """The key points of a model answer, one per idea (see the module's docstring)."""
    return [idea.key_point for idea in extract_ideas(question_text, model_answer)]


@lru_cache(maxsize=1024)
def extract_ideas(question_text: str, model_answer: str) -> tuple[Idea, ...]:
    """The ideas of ``model_answer`` with their clauses and spans, in answer order."""
    question_stems = {t.stem for t in content_tokens(question_text)}
    all_words = Counter(t.stem for t in tokenize(model_answer))
    clauses = _clauses(model_answer, question_stems)
    if not clauses:
        clauses = _whole(model_answer, question_stems)
    scored: list[tuple[float, int, Idea]] = []
    for order, (start, end, words) in enumerate(clauses):
        text = model_answer[start:end]
        ranked = sorted(words, key=lambda t: (-_distinctiveness(t, all_words), t.start))
        top3 = sorted(ranked[:3], key=lambda t: t.start)
        top2 = sorted(ranked[:2], key=lambda t: t.start)
        phrasings = [_join(model_answer, top3)]
        if len(words) > 2:
            phrasings.append(_join(model_answer, top2))
        if sum(written_without_spaces(t.norm) for t in words) * 2 > len(words):
            phrasings = _runs_as_phrasings(model_answer, words)
        label = _label(text)
        point = KeyPoint(label=label, phrasings=tuple(dict.fromkeys(phrasings)))
        richness = sum(len(t.norm) for t in ranked[:3])
        scored.append((richness, order, Idea(point, text.rstrip(",;:. "), start, end)))
    kept = sorted(scored, key=lambda item: -item[0])[:MAX_POINTS]
    return tuple(idea for _, _, idea in sorted(kept, key=lambda item: item[1]))


def _clauses(answer: str, question_stems: set[str]) -> list[tuple[int, int, list[Token]]]:
    """(start, end, its own content words) of each idea-sized clause, in order."""
    out: list[tuple[int, int, list[Token]]] = []
    for s_start, s_end in spans_between(answer, 0, len(answer), _SENTENCE_BREAK, _JUNK):
        pieces = []
        for c_start, c_end in spans_between(answer, s_start, s_end, _CLAUSE_BREAK, _JUNK):
            pieces += _split_bare_and(answer, c_start, c_end, question_stems)
        merged: list[tuple[int, int]] = []
        pending: tuple[int, int] | None = None
        for start, end in pieces:
            if pending is not None:
                start, pending = pending[0], None
            if len(_distinct_words(answer[start:end], question_stems)) >= MIN_WORDS:
                merged.append((start, end))
            elif merged:
                merged[-1] = (merged[-1][0], end)
            else:
                pending = (start, end)
        if pending is not None:
            if merged:
                merged[0] = (pending[0], merged[0][1])
            elif _distinct_words(answer[pending[0] : pending[1]], question_stems):
                merged.append(pending)  # a short sentence of its own: one idea still
        for start, end in merged:
            start, end = _trim(answer, start, end)
            words = _distinct_words(answer[start:end], question_stems)
            out.append((start, end, [_shift(t, start) for t in words]))
    return out


def _whole(answer: str, question_stems: set[str]) -> list[tuple[int, int, list[Token]]]:
    """The whole answer as one idea: its own words, else all its content words."""
    start, end = _trim(answer, 0, len(answer))
    text = answer[start:end]
    words = _distinct_words(text, question_stems) or _distinct_words(text, set())
    if not words:
        words = [t for t in content_tokens(text) if t.norm]
    return [(start, end, [_shift(t, start) for t in words])] if words else []


def _split_bare_and(
    text: str, start: int, end: int, question_stems: set[str]
) -> list[tuple[int, int]]:
    """Cut at a bare "and" / "but" / "so" when both sides name two ideas of their own."""
    cuts = [m.start() for m in _BARE_AND.finditer(text, start, end)]
    pieces: list[tuple[int, int]] = []
    cursor = start
    for cut in cuts:
        left = _distinct_words(text[cursor:cut], question_stems)
        right = _distinct_words(text[cut:end], question_stems)
        if len(left) >= MIN_WORDS and len(right) >= MIN_WORDS:
            pieces.append((cursor, cut))
            cursor = cut
    pieces.append((cursor, end))
    return pieces


def _runs_as_phrasings(text: str, words: list[Token]) -> list[str]:
    """For text written without spaces, whose words are overlapping pairs of characters: its
    two longest runs of pairs, together and the longest alone ("训练数据 噪声", "训练数据"),
    since pairs picked apart would be fragments of different words."""
    runs: list[list[Token]] = []
    for token in sorted(words, key=lambda t: t.start):
        if runs and token.start == runs[-1][-1].start + 1:
            runs[-1].append(token)
        else:
            runs.append([token])
    longest = sorted(runs, key=lambda run: (-len(run), run[0].start))[:2]
    said = [text[run[0].start : run[-1].end] for run in longest]
    together = " ".join(said if longest[0][0].start < longest[-1][0].start else said[::-1])
    return list(dict.fromkeys([together, said[0]]))


def _label(clause: str) -> str:
    """The clause's first ``LABEL_WORDS`` words (or, written without spaces, characters)."""
    words = clause.split()
    if len(words) == 1 and len(clause) > LABEL_CHARACTERS:
        return clause[:LABEL_CHARACTERS].rstrip("，,;:.。") + "…"
    label = " ".join(words[:LABEL_WORDS]).rstrip(",;:.。")
    return label + ("…" if len(words) > LABEL_WORDS else "")


def _trim(text: str, start: int, end: int) -> tuple[int, int]:
    """Without surrounding spaces, bullets, quotes, trailing punctuation or an opening "and"."""
    while start < end and text[start] in " \t\n-*+\"'(,;:":
        start += 1
    while end > start and text[end - 1] in " \t\n\"',;:.!?":
        end -= 1
    lead = _LEADING.match(text, start, end)
    if lead and lead.end() < end:
        start = lead.end()
    tail = _TRAILING.search(text, start, end)
    if tail and tail.start() > start:
        end = tail.start()
    if end > start and text[end - 1] == ")" and "(" not in text[start:end]:
        end -= 1
    return start, end


def _shift(token: Token, offset: int) -> Token:
    return Token(token.norm, token.stem, token.start + offset, token.end + offset)


def _distinctiveness(token: Token, counts: Counter[str]) -> float:
    """Longer and rarer words say more; adverbs and stock words say little."""
    generic = token.norm in _GENERIC or token.norm.endswith("ly")
    return len(token.norm) / counts[token.stem] * (0.2 if generic else 1.0)


def _distinct_words(idea: str, question_stems: set[str]) -> list[Token]:
    seen: set[str] = set()
    words = []
    for token in tokenize(idea):
        if token.is_stopword or token.norm in _CONNECTIVES or token.stem in question_stems:
            continue
        short = len(token.norm) < 3 and not written_without_spaces(token.norm)
        if short and not any(c.isdigit() for c in token.norm):
            continue
        if token.stem not in seen:
            seen.add(token.stem)
            words.append(token)
    return words


def _join(text: str, tokens: list[Token]) -> str:
    return " ".join(text[t.start : t.end] for t in tokens)
