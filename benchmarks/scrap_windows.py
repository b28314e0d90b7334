"""What the scrap window after the last word costs, and what Whisper writes in it.

    .venv/bin/python benchmarks/scrap_windows.py [--pairs 1 3 5]

With word timestamps on, faster-whisper seeks to the end of the last word it wrote and decodes
the rest of the audio as one more 30 s window, however little is left. Two measurements, each
with scrap windows decoded (``min_scrap_s=0``, faster-whisper as it is) and skipped (the
default, 1 s):

1. decode time of one live-sized window (3, 10 and 20 s of the answers to questions 3+4,
   espeak-ng en-us, key terms as hotwords; median of 3 starting points), and the windows the
   encoder ran per decode;
2. the live decoder fed those two-answer recordings (the decoder let catch up every second, as
   in ``transcription.py live-accuracy``): every window after the first that holds under 1 s of
   audio, and the text Whisper wrote for it.

Audio comes from benchmarks/.cache (made by transcription.py).
"""

from __future__ import annotations

import argparse
import statistics
import sys
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "benchmarks"))

from faster_whisper.transcribe import WhisperModel  # noqa: E402
from transcription import CACHE, feed_keeping_up, pair_recording  # noqa: E402

from audio.samples import SAMPLE_RATE  # noqa: E402
from audio.transcriber import Transcriber  # noqa: E402
from audio.transcript import DecodeOptions  # noqa: E402
from content.bank import load_bank  # noqa: E402
from simulator.speech import question_terms  # noqa: E402


def decode_cost() -> None:
    audio, _ = pair_recording(3)
    terms = question_terms(load_bank().question(3))
    print("| window | scraps | decode, median of 3 | windows encoded per decode |")
    print("| --- | --- | --- | --- |")
    for seconds in (3, 10, 20):
        for label, scrap in (("decoded", 0.0), ("skipped", 1.0)):
            model = Transcriber(cache_dir=CACHE, options=DecodeOptions(min_scrap_s=scrap))
            model.load()
            model.decode(audio[: 3 * SAMPLE_RATE], terms)  # warm up
            times, before = [], model._model.windows_encoded
            for start in (5, 6, 7):
                piece = audio[start * SAMPLE_RATE : (start + seconds) * SAMPLE_RATE]
                times.append(model.decode(piece, terms, "Some text said before.")[1])
            windows = (model._model.windows_encoded - before) / len(times)
            print(f"| {seconds} s | {label} | {statistics.median(times):.2f} s | {windows:.1f} |")


def scraps_in_live(pairs: list[int]) -> None:
    """Feed each recording live with scraps decoded; list what the scrap windows wrote."""
    written: list[str] = []
    original = WhisperModel.generate_segments

    def watching(self, features, *args, **kwargs):
        for segment in original(self, features, *args, **kwargs):
            if segment.seek > 0:
                left = features.shape[-1] - 1 - segment.seek
                if left < 100:
                    written.append(segment.text.strip())
            yield segment

    WhisperModel.generate_segments = watching
    model = Transcriber(cache_dir=CACHE, options=DecodeOptions(min_scrap_s=0.0))
    model.load()
    decodes = 0
    bank = load_bank()
    for first in pairs:
        audio, _ = pair_recording(first)
        live = model.live(hotwords=question_terms(bank.question(first)))
        feed_keeping_up(live, audio)
        decodes += int(live.finish().timings["live_decodes"]) + 1
    WhisperModel.generate_segments = original
    kinds = Counter("'. . .' (up to 223 tokens)" if set(t) <= set(". ") else t for t in written)
    print(f"\n{decodes} decodes; scrap windows (< 1 s) that wrote something: {len(written)}")
    for text, count in kinds.most_common():
        print(f"- {count} x {text[:60]!r}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--pairs", type=int, nargs="+", default=[1, 3, 5])
    args = parser.parse_args()
    decode_cost()
    scraps_in_live(args.pairs)


if __name__ == "__main__":
    main()
