"""A short tone that says "your turn": a sine with a fade in and out, played on an output device
(the one the :class:`~audio.voice.Voice` uses), returning only once it has been heard.

Hands-free answers start recording after it, so the microphone never takes in the app's own
sound: :func:`play_tone` plays the tone and a little silence after it, and waits for the device
to drain (``stream.stop()`` returns once every buffer has been played).
"""

from __future__ import annotations

import contextlib
import math
from typing import Any

import numpy as np

from audio.devices import load_sounddevice
from audio.errors import describe

TONE_RATE = 24000
TONE_HZ = 880.0
TONE_S = 0.18
FADE_S = 0.02
TAIL_S = 0.08
"""Silence played after the tone, so that no buffer still holds it when recording starts."""


class ToneFailed(Exception):
    """The tone could not be played (no output device, no PortAudio); the message says why."""


def tone(
    freq: float = TONE_HZ,
    seconds: float = TONE_S,
    samplerate: int = TONE_RATE,
    amplitude: float = 0.3,
    fade_s: float = FADE_S,
) -> np.ndarray:
    """A float32 sine of ``seconds`` with raised-cosine fades (no click at either end)."""
    count = max(1, int(round(seconds * samplerate)))
    t = np.arange(count, dtype=np.float64) / samplerate
    wave = amplitude * np.sin(2 * math.pi * freq * t)
    fade = min(count // 2, int(round(fade_s * samplerate)))
    if fade > 0:
        ramp = 0.5 - 0.5 * np.cos(np.linspace(0.0, math.pi, fade))
        wave[:fade] *= ramp
        wave[-fade:] *= ramp[::-1]
    return wave.astype(np.float32)


def play_tone(
    device: int | str | None = None,
    samples: np.ndarray | None = None,
    samplerate: int = TONE_RATE,
) -> float:
    """Play ``samples`` (default: :func:`tone`) on ``device`` and wait until it is heard.

    Returns the seconds played (tone and tail). Raises :class:`ToneFailed`.
    """
    sd: Any = load_sounddevice(ToneFailed, "play the tone")
    sound = tone(samplerate=samplerate) if samples is None else np.asarray(samples, np.float32)
    sound = np.concatenate([sound, np.zeros(int(TAIL_S * samplerate), dtype=np.float32)])
    try:
        stream = sd.OutputStream(
            samplerate=samplerate, channels=1, dtype="float32", device=device, latency="low"
        )
    except Exception as error:
        raise ToneFailed(f"cannot open the sound output ({describe(error)})") from None
    try:
        stream.start()
        stream.write(sound.reshape(-1, 1))
        stream.stop()  # returns once the buffers have been played
    except Exception as error:
        raise ToneFailed(f"cannot play the tone ({describe(error)})") from None
    finally:
        with contextlib.suppress(Exception):  # closing a broken stream: nothing more to say
            stream.close()
    return sound.size / samplerate
