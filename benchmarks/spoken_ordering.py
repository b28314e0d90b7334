"""Spoken answers, scored as `mock-interview score --audio` scores them: are they still ordered?

    .venv/bin/python benchmarks/spoken_ordering.py [--voices flite-awb flite-rms ...]

The independent answer sets of `tests/unit/data/` (a strong, a partial and an off-topic answer
to each of 30 questions, written without seeing the key points; set B never tuned on) are
spoken by voices that are not espeak-ng (flite's awb, rms, slt, kal16: the Debian package
``flite``), transcribed by the bundled model with the question's terms as hotwords
(`simulator.speech.transcribe_answer`, the function behind ``score --audio``) and scored.

Reported per voice: pairs ordered strong > partial > off-topic, of all and of set B alone,
beside the same answers scored from their written text; the mean strong - off-topic gap; word
error rate of the transcripts against the written answers (jiwer, corpus-level, normalised as
in `benchmarks/transcription.py`). Audio is made once into benchmarks/.cache (not committed).
"""

from __future__ import annotations

import argparse
import json
import shutil
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

import jiwer  # noqa: E402

from benchmarks.transcription import CACHE, VOICES, normalise, peak_mib, speak  # noqa: E402
from content.bank import load_bank  # noqa: E402
from simulator.scoring import coverage  # noqa: E402
from simulator.speech import transcribe_answer  # noqa: E402
from tests.ordering import KINDS, Ordering  # noqa: E402

DATA = ROOT / "tests" / "unit" / "data"
SETS = {"A": "coverage_answers.json", "B": "coverage_answers_holdout.json"}
DEFAULT_VOICES = ["flite-awb", "flite-rms", "flite-slt", "flite-kal16"]


def run(voices: list[str]) -> None:
    bank = load_bank()
    answer_sets = {name: json.loads((DATA / file).read_text()) for name, file in SETS.items()}
    text_tallies = {name: Ordering() for name in SETS}
    for name, items in answer_sets.items():
        for item in items:
            question = bank.question(item["question"])
            text_tallies[name].add(
                question.number, {k: coverage(question, item[k]).coverage for k in KINDS}
            )
    text_all = text_tallies["A"].merged(text_tallies["B"])
    print(
        f"written text: {text_all.cell()} pairs, set B {text_tallies['B'].cell()}, "
        f"mean gap {text_all.mean_gap:.2f}\n"
    )
    print(
        "| voice | ordered, all | ordered, set B | mean strong - off gap | WER % | audio |"
        "\n| --- | --- | --- | --- | --- | --- |"
    )
    wrong: dict[str, list[str]] = {}
    for voice in voices:
        tallies = {name: Ordering() for name in SETS}
        refs, hyps, seconds = [], [], 0.0
        for name, items in answer_sets.items():
            for item in items:
                question = bank.question(item["question"])
                scores = {}
                for kind in KINDS:
                    wav = CACHE / "answers" / voice / f"{name}-q{question.number:02d}-{kind}.wav"
                    speak(voice, item[kind], wav)
                    transcript = transcribe_answer(wav, question)
                    scores[kind] = coverage(question, transcript.text).coverage
                    refs.append(normalise(item[kind]))
                    hyps.append(normalise(transcript.text) or "<empty>")
                    seconds += transcript.duration_s
                tallies[name].add(question.number, scores)
        both = tallies["A"].merged(tallies["B"])
        wer = jiwer.wer(refs, hyps) * 100
        print(
            f"| {voice} | {both.cell()} | {tallies['B'].cell()} | "
            f"{both.mean_gap:.2f} | {wer:.1f} | {seconds:.0f} s |",
            flush=True,
        )
        wrong[voice] = both.misordered
    print()
    for voice, pairs in wrong.items():
        print(f"misordered ({voice}): {', '.join(pairs) or 'none'}")
    print(f"written text misordered: {', '.join(text_all.misordered) or 'none'}")
    print(f"peak RSS {peak_mib():.0f} MiB")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--voices", nargs="+", default=DEFAULT_VOICES, choices=sorted(VOICES))
    args = parser.parse_args()
    if shutil.which("flite") is None:
        raise SystemExit("flite is not installed: apt-get install flite")
    run(args.voices)


if __name__ == "__main__":
    main()
