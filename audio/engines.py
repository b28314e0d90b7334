"""The speech engines there are, by the name the config's ``audio.voice_engine`` gives."""

from __future__ import annotations

from audio.synthesis import Synthesizer, VoiceUnavailable

ENGINES = ("espeak-ng",)
"""Speech engines :func:`make_synthesizer` knows."""


def make_synthesizer(
    engine: str = "espeak-ng", rate: int | None = None, voice: str | None = None
) -> Synthesizer:
    """The synthesizer named ``engine`` at ``rate`` words per minute in ``voice``.

    Raises :class:`~audio.synthesis.VoiceUnavailable` when the engine cannot start (the message
    says why).
    """
    if engine == "espeak-ng":
        from audio.espeak import EspeakSynthesizer  # starts no engine until called

        return EspeakSynthesizer(rate=rate, voice=voice)
    raise VoiceUnavailable(f"no speech engine '{engine}'; known: {', '.join(ENGINES)}")
