"""What "the live transcript is as good as the whole-file pass" means in a test, on one recording.

tiny.en's output moves with the last bits of its arithmetic: on the questions 1+2 recording the
whole-file pass alone ranged 5.9-10.7% word error rate on one machine with the CPU kernels
(``CT2_FORCE_CPU_ISA``) and the thread counts (CTranslate2's and numpy's, which computes the
features), and live minus whole-file -3.0 to +1.8 points there, +3.5 and +4.1 on the CI machine
(``benchmarks/transcription.py live-accuracy``: -2.9 to +4.5 points per recording, +0.0 on the
mean of seven). So a 2-point bound on one recording failed on a machine whose arithmetic
differs, not on a worse decoder. What a broken live decoder does (a window's words lost at a
cut, a sentence dropped) is checked directly instead, and the error rate bound is the
per-recording spread measured, not the noise of one machine (a window committed twice adds its
35-55 words, far past it).
"""

from __future__ import annotations

import difflib
import re

import jiwer

from tests.audio.sound import normalise

LIVE_WER_MARGIN = 0.06
"""Live may be this much worse than whole-file on one recording (10 words of the 169 of
questions 1+2; a dropped sentence of either answer is 10-30 words: the sentence check's)."""
SENTENCE_HEARD = 0.6
"""Every sentence of the reference keeps at least this share of its words in the transcript."""


def sentence_shares_heard(reference: str, transcript: str) -> list[float]:
    """Per sentence of ``reference``, the share of its words found, in order, in ``transcript``
    (one alignment of the two texts' words)."""
    sentences = [normalise(s).split() for s in re.split(r"(?<=[.?!])\s+", reference)]
    sentences = [s for s in sentences if s]
    said = [w for s in sentences for w in s]
    matcher = difflib.SequenceMatcher(None, said, normalise(transcript).split(), autojunk=False)
    heard = [False] * len(said)
    for block in matcher.get_matching_blocks():
        for i in range(block.a, block.a + block.size):
            heard[i] = True
    shares, at = [], 0
    for sentence in sentences:
        shares.append(sum(heard[at : at + len(sentence)]) / len(sentence))
        at += len(sentence)
    return shares


def assert_live_as_good_as_whole(reference: str, live: str, whole: str) -> None:
    """The live transcript lost no sentence and is within the spread measured of the whole-file
    pass's error rate."""
    norm_reference = normalise(reference)
    wer_live = jiwer.wer(norm_reference, normalise(live))
    wer_whole = jiwer.wer(norm_reference, normalise(whole))
    assert wer_live <= wer_whole + LIVE_WER_MARGIN, (wer_live, wer_whole, live)
    shares = sentence_shares_heard(reference, live)
    assert min(shares) >= SENTENCE_HEARD, (shares, live)
