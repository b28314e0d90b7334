"""Key points for a question whose bank gives none, extracted from its model answer.

How: the answer is cut into ideas (each bullet, each sentence, and sentences with a list of
"(1) ... (2) ..." items cut at the numbers). An idea keeps its content words that are not in
the question (the question's own words prove nothing). Each idea with at least two such words
becomes a key point: its label is the idea's opening words, its phrasings are its three most
distinctive words (longest, rarest in the answer) and, as a looser alternative, its two most
distinctive. At most ``MAX_POINTS`` ideas are kept, the richest first, in answer order.

Extracted key points are a fallback: hand-written ones with the phrasings a candidate would
say are better, and ``mock-interview bank show N`` shows what was extracted so it can be copied
into the bank and edited.
"""

from __future__ import annotations

import re
from collections import Counter

from content.questions import KeyPoint
from content.text import Token, content_tokens, tokenize

MAX_POINTS = 8
_IDEA_BREAK = re.compile(
    r"(?<=[.!?])\s+(?=[A-Z(\"'])"  # sentence ends
    r"|\n\s*[-*+]\s+|^\s*[-*+]\s+|\n{2,}"  # bullets, paragraphs
    r"|\s\(\d+\)\s|\s[—–]\s"  # "(1) ... (2) ..." items, dashes
)
_GENERIC = frozenset(
    """practice typically usually important critical difference example approach adds makes
    uses using used performing perform effectively essentially generally often called""".split()
)
_LABEL_WORDS = 6


def extract_key_points(question_text: str, model_answer: str) -> list[KeyPoint]:
    question_stems = {t.stem for t in content_tokens(question_text)}
    ideas = [idea.strip(" -*+\"'\n") for idea in _IDEA_BREAK.split(model_answer)]
    all_words = Counter(t.stem for t in tokenize(model_answer))
    scored: list[tuple[float, int, KeyPoint]] = []
    for order, idea in enumerate(ideas):
        words = _distinct_words(idea, question_stems)
        if len(words) < 2:
            continue
        ranked = sorted(words, key=lambda t: (-_distinctiveness(t, all_words), t.start))
        top3 = sorted(ranked[:3], key=lambda t: t.start)
        top2 = sorted(ranked[:2], key=lambda t: t.start)
        phrasings = tuple(dict.fromkeys([_join(idea, top3), _join(idea, top2)]))
        opening = idea.split()
        label = " ".join(opening[:_LABEL_WORDS]).rstrip(",;:.")
        label += "…" if len(opening) > _LABEL_WORDS else ""
        richness = sum(len(t.norm) for t in ranked[:3])
        scored.append((richness, order, KeyPoint(label=label, phrasings=phrasings)))
    kept = sorted(scored, key=lambda item: -item[0])[:MAX_POINTS]
    return [point for _, _, point in sorted(kept, key=lambda item: item[1])]


def _distinctiveness(token: Token, counts: Counter[str]) -> float:
    """Longer and rarer words say more; adverbs and stock words say little."""
    generic = token.norm in _GENERIC or token.norm.endswith("ly")
    return len(token.norm) / counts[token.stem] * (0.2 if generic else 1.0)


def _distinct_words(idea: str, question_stems: set[str]) -> list[Token]:
    seen: set[str] = set()
    words = []
    for token in tokenize(idea):
        if token.is_stopword or token.stem in question_stems or len(token.norm) < 3:
            continue
        if token.stem not in seen:
            seen.add(token.stem)
            words.append(token)
    return words


def _join(idea: str, tokens: list[Token]) -> str:
    return " ".join(idea[t.start : t.end] for t in tokens)
