"""The live-against-whole-file check catches what a broken live decoder does: a sentence lost at
a window's cut, a window committed twice. (Text only: the audio tests use it on real decodes of
the same answers, questions 1 and 2.)"""

from __future__ import annotations

import pytest

from content.bank import load_bank
from tests.audio.transcript_checks import assert_live_as_good_as_whole, sentence_shares_heard

REFERENCE = " ".join(load_bank().question(n).model_answer for n in (1, 2))
MISHEARD = REFERENCE.replace("assumptions", "assumption").replace("k-fold", "a fold")


def test_a_transcript_with_a_few_misheard_words_passes() -> None:
    assert_live_as_good_as_whole(REFERENCE, MISHEARD, REFERENCE)
    shares = sentence_shares_heard(REFERENCE, MISHEARD)
    assert min(shares) < 1.0 and sum(share == 1.0 for share in shares) == len(shares) - 2


def test_a_lost_sentence_fails_though_the_error_rate_is_within_the_margin() -> None:
    sentences = REFERENCE.split(". ")
    shortest = min(sentences, key=len)
    lost = REFERENCE.replace(shortest + ". ", "")  # 10 of 169 words: within the margin
    assert 0 in sentence_shares_heard(REFERENCE, lost)
    with pytest.raises(AssertionError, match=r"^\(\["):  # the sentence check, not the rate's
        assert_live_as_good_as_whole(REFERENCE, lost, REFERENCE)


def test_a_window_committed_twice_fails() -> None:
    half = len(MISHEARD) // 3
    twice = MISHEARD[:half] + " " + MISHEARD[:half] + " " + MISHEARD[half:]
    with pytest.raises(AssertionError):
        assert_live_as_good_as_whole(REFERENCE, twice, REFERENCE)
