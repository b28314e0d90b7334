"""Measure the transcriber: speed, accuracy on the bank's answers, live-mode latency, memory.

    .venv/bin/python benchmarks/transcription.py            # all four below
    .venv/bin/python benchmarks/transcription.py accuracy [--models tiny.en base] [--voices ...]
    .venv/bin/python benchmarks/transcription.py live [--lengths 30 60 120 300]
    .venv/bin/python benchmarks/transcription.py fillers
    .venv/bin/python benchmarks/transcription.py live-accuracy [--pairs 1 3 ...]

accuracy: the 30 model answers of the built-in bank, spoken by espeak-ng (en-us, en-gb) and by
flite (Debian package ``flite``), transcribed whole-file with each decoding setup; word error
rate (jiwer, over the whole corpus, text lowercased and punctuation dropped), key-term recall
(of the question's ``key_terms`` that occur in the model answer, the share heard right), and
seconds of compute per second of audio.

live: an answer of N seconds (bank answers joined) fed to a LiveTranscription. Feeding all
N seconds in real time would take too long, so the clock is simulated where it does not
matter: the first N-30 s are fed at once and the decoder is left to catch up (so its state is
what real-time feeding leaves: only the uncommitted tail in the window); the last 30 s are then
fed at real-time pace (0.1 s blocks, sleeping between them) so the decoder runs exactly as it
would live, and stop is pressed when the last block is fed. Reported: the time from stop to
the final transcript, beside a whole-file pass started at stop, and both WERs.

live-accuracy: for each pair of questions (1+2, 3+4, ... 29+30), both model answers spoken by
espeak-ng en-us as one answer, transcribed whole-file and live. Live, the audio is fed in
0.1 s blocks and after every full second the decoder is let catch up, as on a machine that
keeps up in real time: the windows then depend on the audio alone, so the WERs are repeatable.

Audio is made once into benchmarks/.cache (not committed).
"""

from __future__ import annotations

import argparse
import os
import re
import resource
import shutil
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

import jiwer  # noqa: E402
import numpy as np  # noqa: E402

from audio.live import LiveTranscription  # noqa: E402
from audio.samples import SAMPLE_RATE, load_audio  # noqa: E402
from audio.transcriber import Transcriber  # noqa: E402
from audio.transcript import DecodeOptions  # noqa: E402
from content.bank import Question, load_bank  # noqa: E402
from simulator.scoring import key_terms  # noqa: E402
from simulator.speech import question_terms  # noqa: E402

CACHE = ROOT / "benchmarks" / ".cache"
VOICES = {
    "espeak-en-us": ["espeak-ng", "-v", "en-us"],
    "espeak-en-gb": ["espeak-ng", "-v", "en-gb"],
    "flite-slt": ["flite", "-voice", "slt"],
    "flite-awb": ["flite", "-voice", "awb"],
    "flite-rms": ["flite", "-voice", "rms"],
    "flite-kal16": ["flite", "-voice", "kal16"],
}
SETUPS = {
    "plain": (DecodeOptions(filler_prompt=False), False),
    "filler-prompt": (DecodeOptions(filler_prompt=True), False),
    "terms-prompt": (DecodeOptions(hotwords_as_prompt=True), True),
    "terms-hotwords": (DecodeOptions(hotwords_as_prompt=False), True),
    "filler+terms-prompt": (DecodeOptions(filler_prompt=True, hotwords_as_prompt=True), True),
}


def normalise(text: str) -> str:
    text = text.lower().replace("-", " ").replace("²", " squared")
    return " ".join(re.sub(r"[^a-z0-9%' ]+", " ", text).split())


def speak(voice: str, text: str, path: Path) -> Path:
    if path.exists():
        return path
    path.parent.mkdir(parents=True, exist_ok=True)
    (CACHE / ".gitignore").write_text("*\n")  # made audio and models stay out of git
    command = VOICES[voice]
    if command[0] == "flite":
        subprocess.run([*command, "-t", text, "-o", str(path)], check=True)
    else:
        subprocess.run([*command, "-w", str(path)], input=text.encode(), check=True)
    if not path.exists():
        raise SystemExit(f"{command[0]} wrote no {path}")
    return path


def plain_answer(question: Question) -> str:
    """The model answer as it would be spoken: Markdown marks dropped."""
    return re.sub(r"[*_`#>]", "", question.model_answer).replace("\n", " ")


def term_recall(question: Question, reference: str, hypothesis: str) -> tuple[int, int]:
    ref_words = set(normalise(reference).split())
    hyp_words = set(normalise(hypothesis).split())
    terms = [t for t in (normalise(t) for t in key_terms(question)) if t in ref_words]
    return sum(t in hyp_words for t in terms), len(terms)


def accuracy(models: list[str], voices: list[str], setups: list[str]) -> None:
    bank = load_bank()
    print("| model | voice | setup | WER % | key terms heard % | s compute / s audio |")
    print("| --- | --- | --- | --- | --- | --- |")
    for model in models:
        for setup in setups:
            options, with_terms = SETUPS[setup]
            transcriber = Transcriber(model, cache_dir=CACHE, options=options)
            transcriber.load()
            for voice in voices:
                refs, hyps, found, total, compute, audio = [], [], 0, 0, 0.0, 0.0
                for question in bank.questions:
                    text = plain_answer(question)
                    wav = speak(voice, text, CACHE / voice / f"q{question.number:02d}.wav")
                    samples = load_audio(wav)
                    hot = question_terms(question) if with_terms else None
                    result = transcriber.transcribe(samples, hotwords=hot)
                    refs.append(normalise(text))
                    hyps.append(normalise(result.text))
                    f, t = term_recall(question, text, result.text)
                    found, total = found + f, total + t
                    compute += result.timings["decode_s"]
                    audio += result.duration_s
                wer = jiwer.wer(refs, hyps) * 100
                print(
                    f"| {model} | {voice} | {setup} | {wer:.1f} | {100 * found / total:.1f} "
                    f"| {compute / audio:.3f} |",
                    flush=True,
                )
    print(f"\naudio per voice: {audio:.0f} s; peak RSS {peak_mib():.0f} MiB")


def long_answer(seconds: float, voice: str) -> tuple[np.ndarray, str, str]:
    """Whole bank answers (0.5 s apart) until about ``seconds`` long; terms; reference text."""
    bank = load_bank()
    pieces, terms, texts, total = [], [], [], 0
    gap = np.zeros(SAMPLE_RATE // 2, dtype=np.float32)
    questions = list(bank.questions) * 4
    for question in questions:
        text = plain_answer(question)
        samples = load_audio(speak(voice, text, CACHE / voice / f"q{question.number:02d}.wav"))
        if total and total + samples.size > (seconds + 10) * SAMPLE_RATE:
            continue  # too long to end near ``seconds``: try a shorter answer
        pieces += [samples, gap]
        texts.append(text)
        terms.append(", ".join(key_terms(question, limit=6)))
        total += samples.size + gap.size
        if total >= (seconds - 3) * SAMPLE_RATE:
            break
    return np.concatenate(pieces[:-1]), ", ".join(terms[:5]), " ".join(texts)


def run_live(transcriber: Transcriber, audio: np.ndarray, terms: str, pause_s: float):
    """Feed as the recorder would; stop ``pause_s`` after the audio ends; the live result."""
    block = SAMPLE_RATE // 10
    audio = np.concatenate([audio, np.zeros(int(pause_s * SAMPLE_RATE), dtype=np.float32)])
    session = transcriber.live(hotwords=terms)
    head = max(0, audio.size - 30 * SAMPLE_RATE)
    for i in range(0, head, block):
        session.feed(audio[i : min(i + block, head)])
    session.wait_caught_up()  # let the decoder catch up, as it would have in real time
    session.max_decode_s = 0.0  # count only the decodes of the real-time part
    started = time.perf_counter()
    for n, i in enumerate(range(head, audio.size, block)):
        session.feed(audio[i : i + block])
        delay = started + (n + 1) * 0.1 - time.perf_counter()
        if delay > 0:
            time.sleep(delay)
    return session.finish()


def live(lengths: list[int], model: str, voice: str) -> None:
    transcriber = Transcriber(model, cache_dir=CACHE)
    transcriber.load()
    print(
        "| answer | stop | stop -> final, live | tail decoded at stop | whole-file pass after "
        "stop | WER % live / whole-file | max live decode | load average |"
    )
    print("| --- | --- | --- | --- | --- | --- | --- | --- |")
    for seconds in lengths:
        audio, terms, reference = long_answer(seconds, voice)
        reference = normalise(reference)
        whole = transcriber.transcribe(audio, hotwords=terms)
        for pause, label in ((0.0, "at the last word"), (1.0, "1 s after it")):
            result = run_live(transcriber, audio, terms, pause)
            wer_live = jiwer.wer(reference, normalise(result.text)) * 100
            wer_whole = jiwer.wer(reference, normalise(whole.text)) * 100
            print(
                f"| {audio.size / SAMPLE_RATE:.0f} s | {label} "
                f"| {result.timings['finish_s']:.2f} s "
                f"| {result.timings['tail_s']:.1f} s | {whole.timings['decode_s']:.2f} s "
                f"| {wer_live:.1f} / {wer_whole:.1f} | {result.timings['max_live_decode_s']:.2f} s "
                f"| {os.getloadavg()[0]:.1f} |",
                flush=True,
            )
    print(f"\npeak RSS {peak_mib():.0f} MiB")


def fillers(model: str) -> None:
    """Does the filler prompt make Whisper write the um/uh that espeak-ng says?"""
    text = (
        "Um, so, bias is, uh, the error from wrong assumptions. Uh, I mean, a linear model, um, "
        "you know, underfits. And, uh, variance is, um, sensitivity to the data."
    )
    wav = speak("espeak-en-us", text, CACHE / "fillers.wav")
    for setup in ("plain", "filler-prompt"):
        options, _ = SETUPS[setup]
        result = Transcriber(model, cache_dir=CACHE, options=options).transcribe(wav)
        words = normalise(result.text).split()
        print(f"{setup}: um/uh heard {sum(w in ('um', 'uh') for w in words)} of 7: {result.text}")


def pair_recording(first: int) -> tuple[np.ndarray, str]:
    """The model answers to questions ``first`` and ``first + 1`` spoken by espeak-ng en-us as
    one answer, and their text."""
    bank = load_bank()
    text = " ".join(plain_answer(bank.question(n)) for n in (first, first + 1))
    return load_audio(speak("espeak-en-us", text, CACHE / f"pair-{first}.wav")), text


def feed_keeping_up(session: LiveTranscription, audio: np.ndarray) -> None:
    """Feed in 0.1 s blocks, letting the decoder catch up after every full second, as on a
    machine that keeps up in real time: the windows then depend on the audio alone."""
    block = SAMPLE_RATE // 10
    for i in range(0, len(audio), block):
        session.feed(audio[i : i + block])
        if (i + block) % SAMPLE_RATE == 0:
            session.wait_caught_up()


def live_accuracy(firsts: list[int], model: str) -> None:
    bank = load_bank()
    transcriber = Transcriber(model, cache_dir=CACHE)
    transcriber.load()
    print("| questions | audio | WER % live | WER % whole-file | tail decoded at stop |")
    print("| --- | --- | --- | --- | --- |")
    totals = [0.0, 0.0]
    for first in firsts:
        audio, text = pair_recording(first)
        terms = question_terms(bank.question(first))
        whole = transcriber.transcribe(audio, hotwords=terms)
        session = transcriber.live(hotwords=terms)
        feed_keeping_up(session, audio)
        result = session.finish()
        reference = normalise(text)
        wer_live = jiwer.wer(reference, normalise(result.text)) * 100
        wer_whole = jiwer.wer(reference, normalise(whole.text)) * 100
        totals[0] += wer_live
        totals[1] += wer_whole
        print(
            f"| {first}+{first + 1} | {len(audio) / SAMPLE_RATE:.0f} s | {wer_live:.1f} "
            f"| {wer_whole:.1f} | {result.timings['tail_s']:.1f} s |",
            flush=True,
        )
    n = len(firsts)
    print(f"| mean | | {totals[0] / n:.1f} | {totals[1] / n:.1f} | |")


def peak_mib() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    sub = parser.add_subparsers(dest="what")
    acc = sub.add_parser("accuracy")
    acc.add_argument("--models", nargs="+", default=["tiny.en", "base"])
    acc.add_argument("--voices", nargs="+", default=list(VOICES))
    acc.add_argument("--setups", nargs="+", default=list(SETUPS))
    liv = sub.add_parser("live")
    liv.add_argument("--lengths", nargs="+", type=int, default=[30, 60, 120, 300])
    liv.add_argument("--model", default="tiny.en")
    liv.add_argument("--voice", default="espeak-en-us")
    fil = sub.add_parser("fillers")
    fil.add_argument("--model", default="tiny.en")
    lac = sub.add_parser("live-accuracy")
    lac.add_argument("--pairs", nargs="+", type=int, default=list(range(1, 30, 2)))
    lac.add_argument("--model", default="tiny.en")
    args = parser.parse_args()
    if args.what is None:  # `make bench`: every measurement with its defaults
        for what in ("accuracy", "live", "live-accuracy", "fillers"):
            print(f"== transcription.py {what}", flush=True)
            subprocess.run([sys.executable, __file__, what], check=True)
        return
    if shutil.which("flite") is None and args.what == "accuracy":
        args.voices = [v for v in args.voices if not v.startswith("flite")]
    if args.what == "accuracy":
        accuracy(args.models, args.voices, args.setups)
    elif args.what == "live":
        live(args.lengths, args.model, args.voice)
    elif args.what == "live-accuracy":
        live_accuracy(args.pairs, args.model)
    else:
        fillers(args.model)


if __name__ == "__main__":
    main()
