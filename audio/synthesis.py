"""Text to speech behind one interface: a :class:`Synthesizer` renders a sentence as samples.

:class:`audio.voice.Voice` plays what a synthesizer renders and knows nothing of the engine;
``espeak-ng`` (through pyttsx3, :mod:`audio.espeak`) is the one engine today. A second engine
is a class with ``name``, ``synthesize`` and ``voices`` and a line in
:func:`audio.engines.make_synthesizer`; the config's ``audio.voice_engine`` names the engine.
Sentence splitting (what a synthesizer is given) lives here too.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import TYPE_CHECKING, Protocol

if TYPE_CHECKING:  # numpy loads with the engine, not with the config that names it
    import numpy as np

_MAX_CHUNK_CHARS = 300


class VoiceUnavailable(Exception):
    """No speech engine or no way to play it; the message says why and how to fix it."""


@dataclass(frozen=True)
class VoiceInfo:
    """One voice an engine offers, as the engine names it."""

    id: str
    name: str
    languages: tuple[str, ...] = ()


@dataclass(frozen=True)
class Speech:
    """Synthesised audio of one piece of text."""

    samples: np.ndarray  # float32 mono
    samplerate: int

    @property
    def duration_s(self) -> float:
        return len(self.samples) / self.samplerate


class Synthesizer(Protocol):
    """Renders text as speech: blocking, one sentence at a time, from any thread."""

    name: str

    def synthesize(self, text: str) -> Speech:
        """``text`` (a sentence) as samples; raises :class:`VoiceUnavailable`."""
        ...

    def voices(self) -> list[VoiceInfo]:
        """The voices the engine offers."""
        ...


_ABBREVIATIONS = ("e.g.", "i.e.", "etc.", "vs.", "Dr.", "Mr.", "Mrs.", "Fig.", "approx.")


def split_sentences(text: str) -> list[str]:
    """Split a text into sentences; a very long sentence is cut at clause punctuation."""
    text = " ".join(text.split())
    if not text:
        return []
    pieces: list[str] = []
    current = ""
    for token in re.split(r"(?<=[.!?])\s+", text):
        current = f"{current} {token}".strip()
        if current.endswith(_ABBREVIATIONS):
            continue
        pieces.append(current)
        current = ""
    if current:
        pieces.append(current)
    chunks: list[str] = []
    for sentence in pieces:
        chunks.extend(_cut_long(sentence))
    return chunks


def _cut_long(sentence: str) -> list[str]:
    if len(sentence) <= _MAX_CHUNK_CHARS:
        return [sentence]
    parts = re.split(r"(?<=[,;:])\s+", sentence)
    chunks: list[str] = []
    current = ""
    for part in parts:
        if current and len(current) + len(part) + 1 > _MAX_CHUNK_CHARS:
            chunks.append(current)
            current = part
        else:
            current = f"{current} {part}".strip()
    if current:
        chunks.append(current)
    return chunks
