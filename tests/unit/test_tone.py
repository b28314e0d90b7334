"""The hands-free "your turn" tone: the right pitch and length, no click at either end."""

from __future__ import annotations

import numpy as np

from audio.tone import TONE_HZ, TONE_RATE, TONE_S, tone


def test_the_tone_is_a_sine_at_its_pitch_that_fades_in_and_out() -> None:
    wave = tone()
    assert wave.dtype == np.float32 and wave.size == int(TONE_S * TONE_RATE)
    spectrum = np.abs(np.fft.rfft(wave))
    peak_hz = np.argmax(spectrum) * TONE_RATE / wave.size
    assert abs(peak_hz - TONE_HZ) < 1.5 / TONE_S
    assert 0.29 < float(np.abs(wave).max()) <= 0.3 + 1e-6
    assert abs(wave[0]) < 1e-6 and abs(wave[-1]) < 0.01  # faded: no click
    edge = int(0.005 * TONE_RATE)
    assert np.abs(wave[:edge]).max() < 0.1 and np.abs(wave[-edge:]).max() < 0.1


def test_a_very_short_tone_still_fades() -> None:
    wave = tone(seconds=0.01, fade_s=0.02)
    assert wave.size == int(0.01 * TONE_RATE) and abs(wave[0]) < 1e-6
