"""Hands-free end of answer: false cut-offs and the delay from the last word to the end.

    .venv/bin/python benchmarks/end_of_answer.py [--voices awb slt] [--pace hybrid|real]
        [--silence 2.5] [--limit N]

Twelve spoken answers to bank questions, each said by two flite voices (Debian package
``flite``; voices the app was never tuned to), with the pauses candidates make: a thinking pause
of 5-20 s before the first word, 2 s pauses after finished sentences, and 3-5 s pauses in the
middle of a sentence (after "and", "so", "because", "but", "or", "like", "um", "uh", "when",
"the", a comma). Each piece is rendered on its own, its leading and trailing silence cut (so a
pause is exactly as long as written), and the pieces joined with room noise at -60 dBFS under
everything; the answer ends with 12 s of that noise.

Through the real pipeline: the app's own :class:`~simulator.answering.VoiceAnswer` with an
:class:`~simulator.turns.EndOfAnswer` (the default settings, as the app makes them), fed in the
recorder's 0.1 s blocks, transcribed live by the bundled model with the question's terms as
hotwords; the end is when the detector says so, in recording time.

Pace: ``real`` feeds one block every 0.1 s. ``hybrid`` (the default) is a faithful simulation
of it: while the live decoder is busy, blocks are fed at real time (so a decode sees exactly
the audio it would see, and its words reach the detector exactly as late, in recording time);
while it is idle (nothing to decode), the next block is fed at once, because in real time
nothing would happen meanwhile. A run then takes the decoding time, not the audio time.

Reported: per recording, the end's delay after the last word, or the cut-off (the end before
the last word), and the closest call (the mid-answer pause whose silence came nearest to what
would have ended it); then totals per voice. Audio is made once into benchmarks/.cache.
"""

from __future__ import annotations

import argparse
import hashlib
import os
import shutil
import subprocess
import sys
import time
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

import numpy as np  # noqa: E402

from audio.samples import SAMPLE_RATE, load_audio  # noqa: E402
from audio.transcriber import Transcriber  # noqa: E402
from content.bank import load_bank  # noqa: E402
from simulator.answering import VoiceAnswer  # noqa: E402
from simulator.speech import question_terms  # noqa: E402
from simulator.turns import EndOfAnswer, TurnSettings, level_dbfs  # noqa: E402

CACHE = ROOT / "benchmarks" / ".cache" / "end-of-answer"
BLOCK = SAMPLE_RATE // 10
NOISE_DBFS = -60.0
TAIL_S = 12.0

# (question, thinking pause before the first word, [(piece, pause after it), ...]); the last
# piece's pause is the tail.
SCRIPTS: list[tuple[int, float, list[tuple[str, float]]]] = [
    (2, 8, [
        ("The main sign of overfitting is a big gap between training and validation accuracy.", 2),
        ("If training accuracy is ninety nine percent and", 4),
        ("validation is only seventy five percent, the model memorizes the training data.", 2),
        ("I also watch the learning curves.", 0),
    ]),
    (1, 12, [
        ("Bias is the error from wrong assumptions, so", 3.5),
        ("a simple model underfits.", 2),
        ("Variance is the error from sensitivity to the training data, and", 4.5),
        ("a complex model overfits. Reducing one usually increases the other.", 0),
    ]),
    (4, 5, [
        ("L1 regularization adds the absolute value of the weights to the loss, um,", 3),
        ("and it drives some weights to exactly zero.", 2),
        ("L2 adds the squared weights, so", 4),
        ("it shrinks them without making them zero.", 0),
    ]),
    (9, 15, [
        ("Cross validation splits the data into k folds.", 2),
        ("You train on k minus one folds and test on the remaining one, because", 5),
        ("every example is then used for validation once.", 2),
        ("It gives a more reliable estimate than a single split.", 0),
    ]),
    (10, 20, [
        ("For imbalanced data I would first pick the right metric, like", 3),
        ("precision, recall or the F1 score, not accuracy.", 2),
        ("Then I would try resampling, uh,", 4),
        ("oversampling the minority class or undersampling the majority class.", 0),
    ]),
    (17, 6, [
        ("The vanishing gradient problem happens in deep networks when", 3.5),
        ("gradients get smaller and smaller as they flow back through the layers.", 2),
        ("Sigmoid activations make it worse, but", 4.5),
        ("ReLU, residual connections and batch normalization help.", 0),
    ]),
    (22, 10, [
        ("To choose a learning rate I usually run a learning rate range test.", 2),
        ("I start very small and increase it until the loss diverges, and", 3),
        ("then I pick a value a bit below that point.", 2),
        ("A schedule with warm up and decay also helps.", 0),
    ]),
    (27, 18, [
        ("Missing data can be handled by deletion or imputation, but", 4),
        ("first I would ask why the data is missing.", 2),
        ("For numbers I might impute the median, and for categories the most frequent "
         "value, or", 3.5),
        ("add an indicator that the value was missing.", 0),
    ]),
    (13, 7, [
        ("The curse of dimensionality means that as the number of features grows, the", 3),
        ("data becomes very sparse.", 2),
        ("Distances between points become almost the same, so", 5),
        ("nearest neighbour methods stop working well.", 0),
    ]),
    (16, 14, [
        ("We need activation functions because", 4),
        ("without them a deep network is just one linear function.", 2),
        ("The non linearity, um,", 3.5),
        ("lets the network learn complex patterns.", 0),
    ]),
    (29, 9, [
        ("Correlation means two variables move together,", 4),
        ("but causation means one actually changes the other.", 2),
        ("Ice cream sales and drownings are correlated because", 3),
        ("both go up in summer.", 0),
    ]),
    (30, 16, [
        ("Data drift is when the input distribution changes after deployment.", 2),
        ("I would monitor the feature distributions with a statistical test, and", 4.5),
        ("compare them to the training data.", 2),
        ("When the drift is large, I retrain the model.", 0),
    ]),
]  # fmt: skip


@dataclass
class Recording:
    name: str
    question: int
    samples: np.ndarray
    last_word_s: float
    pauses: list[tuple[float, float, str]]
    """(start, end, the piece before it) of each mid-answer pause, in seconds."""


@dataclass
class Outcome:
    recording: Recording
    ended_s: float | None
    closest: tuple[float, float, str] = (0.0, 0.0, "")
    """(silence reached, silence that would have ended it, text) at the closest pause."""
    final_text: str = ""
    texts_at_pauses: list[str] = field(default_factory=list)

    @property
    def cut_off(self) -> bool:
        return self.ended_s is not None and self.ended_s < self.recording.last_word_s

    @property
    def delay_s(self) -> float | None:
        if self.ended_s is None or self.cut_off:
            return None
        return self.ended_s - self.recording.last_word_s


def render(voice: str, text: str) -> np.ndarray:
    """flite's rendering of ``text`` at 16 kHz, its leading and trailing silence cut."""
    CACHE.mkdir(parents=True, exist_ok=True)
    (CACHE.parent / ".gitignore").write_text("*\n")
    digest = hashlib.sha1(text.encode()).hexdigest()[:12]
    path = CACHE / f"{voice}-{digest}.wav"
    if not path.exists():
        subprocess.run(["flite", "-voice", voice, "-t", text, "-o", str(path)], check=True)
    samples = load_audio(path)
    frame = SAMPLE_RATE // 50
    levels = [level_dbfs(samples[i : i + frame]) for i in range(0, samples.size, frame)]
    loud = [i for i, level in enumerate(levels) if level > -45.0]
    start = max(0, loud[0] * frame - frame)
    end = min(samples.size, (loud[-1] + 2) * frame)
    return samples[start:end]


def make(voice: str, question: int, lead_s: float, pieces: list[tuple[str, float]]) -> Recording:
    rng = np.random.default_rng(question)
    parts = [np.zeros(int(lead_s * SAMPLE_RATE), np.float32)]
    pauses: list[tuple[float, float, str]] = []
    at = lead_s
    last_word = 0.0
    for n, (text, pause) in enumerate(pieces):
        speech = render(voice, text)
        parts.append(speech)
        at += speech.size / SAMPLE_RATE
        last_word = at
        gap = TAIL_S if n == len(pieces) - 1 else pause
        if n < len(pieces) - 1:
            pauses.append((at, at + gap, text))
        parts.append(np.zeros(int(gap * SAMPLE_RATE), np.float32))
        at += gap
    audio = np.concatenate(parts)
    audio += (rng.standard_normal(audio.size) * 10 ** (NOISE_DBFS / 20)).astype(np.float32)
    return Recording(f"{voice} q{question}", question, audio, last_word, pauses)


def run_one(
    recording: Recording, transcriber: Transcriber, pace: str, silence_s: float, verbose: bool
) -> Outcome:
    bank = load_bank()
    question = bank.question(recording.question)
    turn = EndOfAnswer(TurnSettings(end_silence_s=silence_s))
    answer = VoiceAnswer(question, turn=turn)
    answer.hotwords = question_terms(question) or None  # as start_recording sets it
    answer.listen(transcriber)
    live = answer.live
    assert live is not None
    outcome = Outcome(recording, None)
    closest = (0.0, 1.0, "")
    audio = recording.samples
    started = time.perf_counter()
    synced: tuple[float, int] | None = None
    for n, start in enumerate(range(0, audio.size, BLOCK)):
        answer.take_block(audio[start : start + BLOCK])
        if pace == "real":
            delay = started + (n + 1) * 0.1 - time.perf_counter()
        elif live.wait_caught_up(0):
            synced, delay = None, 0.0
        else:
            if synced is None:
                synced = (time.perf_counter(), n)
            delay = synced[0] + (n - synced[1]) * 0.1 - time.perf_counter()
        if delay > 0:
            time.sleep(delay)
        status = turn.status()
        now = (n + 1) * BLOCK / SAMPLE_RATE
        in_pause = any(a <= now <= b for a, b, _ in recording.pauses)
        if (
            in_pause
            and status.needed_s
            and status.silence_s / status.needed_s > (closest[0] / closest[1])
        ):
            closest = (status.silence_s, status.needed_s, live.partial_text[-40:])
        marks = [b - 0.05 for _, b, _ in recording.pauses] + [recording.last_word_s + 2.4]
        if verbose and any(abs(now - m) < 0.05 for m in marks):
            word = live.last_word
            kind = "END  " if now > recording.last_word_s else "PAUSE"
            said = ""
            for _start, b, piece in recording.pauses:
                if abs(now - b + 0.05) < 0.06:
                    said = piece.split()[-1]
            print(
                f"    {kind} said {said!r:12} text ...{live.partial_text[-30:]!r:34} "
                f"last {word.text if word else None!r:14} "
                f"p={word.probability if word else 0:.2f} "
                f"gap={turn.last_speech_s - (word.end if word else 0):+.2f} "
                f"heard_to-speech={live.heard_to_s - turn.last_speech_s:+.2f}"
            )
        if status.ended:
            outcome.ended_s = now
            break
    outcome.closest = closest
    outcome.final_text = live.finish().text
    return outcome


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--voices", nargs="+", default=["awb", "slt"])
    parser.add_argument("--pace", choices=("hybrid", "real"), default="hybrid")
    parser.add_argument("--silence", type=float, default=TurnSettings().end_silence_s)
    parser.add_argument("--limit", type=int, default=None, help="only the first N answers")
    parser.add_argument("--verbose", action="store_true", help="the detector 3 s after the end")
    args = parser.parse_args()
    if shutil.which("flite") is None:
        raise SystemExit("flite is not installed; run `make install-test`")
    transcriber = Transcriber()
    transcriber.load()
    scripts = SCRIPTS[: args.limit] if args.limit else SCRIPTS
    pauses = sum(len(pieces) - 1 for _, _, pieces in scripts)
    print(
        f"pace {args.pace}, end_silence_s {args.silence}, {len(scripts)} answers x "
        f"{len(args.voices)} voices, {pauses} mid-answer pauses each voice; "
        f"load average {os.getloadavg()[0]:.1f} at start\n"
    )
    print("| recording | thinking pause | last word at | end at | delay | closest pause call |")
    print("| --- | --- | --- | --- | --- | --- |")
    outcomes: list[Outcome] = []
    wall = time.perf_counter()
    for voice in args.voices:
        for number, lead, pieces in scripts:
            recording = make(voice, number, lead, pieces)
            outcome = run_one(recording, transcriber, args.pace, args.silence, args.verbose)
            outcomes.append(outcome)
            reached, needed, text = outcome.closest
            if outcome.cut_off:
                verdict = "**CUT OFF**"
            elif outcome.delay_s is None:
                verdict = "never ended"
            else:
                verdict = f"{outcome.delay_s:.1f} s"
            ended = "-" if outcome.ended_s is None else f"{outcome.ended_s:.1f} s"
            print(
                f"| {recording.name} | {lead:.0f} s | {recording.last_word_s:.1f} s | {ended} "
                f"| {verdict} | {reached:.1f} of {needed:.1f} s after '...{text.strip()}' |",
                flush=True,
            )
    print()
    for voice in args.voices:
        mine = [o for o in outcomes if o.recording.name.startswith(voice)]
        delays = sorted(d for o in mine if (d := o.delay_s) is not None)
        cut = sum(o.cut_off for o in mine)
        missed = sum(o.ended_s is None for o in mine)
        line = f"{voice}: {len(mine)} answers, {cut} cut off, {missed} never ended"
        if delays:
            line += (
                f"; delay median {np.median(delays):.2f} s, max {max(delays):.2f} s, "
                f"{sum(d <= 3.0 for d in delays)}/{len(mine)} within 3 s"
            )
        print(line)
    print(
        f"\nwall time {time.perf_counter() - wall:.0f} s; load average {os.getloadavg()[0]:.1f} "
        "at the end"
    )


if __name__ == "__main__":
    main()
