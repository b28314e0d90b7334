"""``mock-interview score``: how much of a question's key points an answer covers."""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path
from typing import TYPE_CHECKING, Any, TextIO

from simulator.commands.common import CliError, add_bank_argument, open_bank, print_json

if TYPE_CHECKING:  # scoring pulls in numpy: keep it off the start-up path of the app
    from content.bank import Bank, Question
    from simulator.assess import Feedback
    from simulator.scoring import Coverage


def register(subparsers: argparse._SubParsersAction) -> None:
    score = subparsers.add_parser(
        "score", help="score an answer (text or audio) against a question's key points"
    )
    score.add_argument("--question", "-q", type=int, metavar="N")
    add_bank_argument(score)
    source = score.add_mutually_exclusive_group(required=True)
    source.add_argument("--text", metavar="T", help="the answer as text")
    source.add_argument("--text-file", metavar="F", help="a file holding the answer")
    source.add_argument("--audio", metavar="FILE", help="a recording of the answer")
    source.add_argument(
        "--jsonl",
        metavar="FILE",
        help='many answers, one JSON object a line: {"question": N, "text": "..."} ("-" = stdin)',
    )
    score.add_argument(
        "--model", metavar="NAME|PATH", default=argparse.SUPPRESS, help="Whisper model for --audio"
    )
    score.add_argument("--json", action="store_true", help="print JSON")
    score.set_defaults(handler=score_answer)


def score_answer(args: argparse.Namespace) -> int:
    from simulator.assess import assess_text

    bank = open_bank(getattr(args, "bank", None))
    if args.jsonl:
        return score_lines(bank, args.jsonl)
    if args.question is None:
        raise CliError("score: --question N is required (or --jsonl FILE for many answers)")
    try:
        question = bank.question(args.question)
    except KeyError as error:
        raise CliError(error.args[0]) from None
    extra: dict = {}
    if args.audio:
        feedback = _transcribe(Path(args.audio), question, getattr(args, "model", None))
        delivery = feedback.delivery.to_dict() if feedback.delivery is not None else {}
        extra = {"delivery": delivery, "timings": feedback.timings}
    elif args.text_file:
        feedback = assess_text(question, _read_text(Path(args.text_file)))
    else:
        feedback = assess_text(question, args.text)
    result = feedback.coverage
    if args.json:
        print_json({**result.to_dict(), **extra})
    else:
        print(render_table(result, question.text))
        for reading in extra.get("delivery", {}).get("readings", []):
            print(f"  {reading}")
    return 0


def score_lines(bank: Bank, source: str) -> int:
    """Score each JSON line of ``source``; each output line is ``score --json``'s object, or
    ``{"line": N, "error": "..."}`` for a line that cannot be scored (the rest go on)."""
    from simulator.assess import assess_text

    handle = sys.stdin if source == "-" else _open_lines(Path(source))
    with handle:
        for number, line in enumerate(handle, start=1):
            if not line.strip():
                continue
            try:
                request = json.loads(line)
                if not isinstance(request, dict):
                    raise ValueError("expected an object")
                missing = [key for key in ("question", "text") if key not in request]
                if missing:
                    raise ValueError(f'no "{missing[0]}"')
                text = request["text"]
                if not isinstance(text, str):
                    raise ValueError('"text" must be a string')
                question = bank.question(int(request["question"]))
                result: dict[str, Any] = assess_text(question, text).coverage.to_dict()
            except KeyError as error:
                result = {"line": number, "error": str(error.args[0])}
            except (ValueError, TypeError) as error:
                result = {"line": number, "error": f"not a scoring request: {error}"}
            sys.stdout.write(json.dumps(result, ensure_ascii=False) + "\n")
            sys.stdout.flush()
    return 0


def _open_lines(path: Path) -> TextIO:
    try:
        return open(path, encoding="utf-8")
    except FileNotFoundError:
        raise CliError(f"no such file: {path}") from None
    except OSError as error:
        raise CliError(f"cannot read {path}: {error.strerror}") from None


def _read_text(path: Path) -> str:
    try:
        return path.read_text(encoding="utf-8")
    except FileNotFoundError:
        raise CliError(f"no such file: {path}") from None
    except IsADirectoryError:
        raise CliError(f"{path} is a folder; --text-file takes one text file") from None
    except UnicodeDecodeError:
        raise CliError(f"{path} is not UTF-8 text") from None
    except OSError as error:
        raise CliError(f"cannot read {path}: {error.strerror}") from None


def _transcribe(path: Path, question: Question, model: str | None) -> Feedback:
    """A recorded answer transcribed with the question's terms, and assessed."""
    from audio.models import ModelUnavailable
    from audio.samples import AudioUnreadable
    from simulator.assess import assess_spoken
    from simulator.speech import transcribe_answer

    if path.is_dir():
        raise CliError(f"{path} is a folder; --audio takes one recording (a WAV, FLAC or MP3)")
    if not path.is_file():
        raise CliError(f"no such file: {path}")
    try:
        transcript = transcribe_answer(path, question, model=model)
    except (ModelUnavailable, AudioUnreadable) as error:
        raise CliError(str(error)) from None
    return assess_spoken(question, transcript)


def render_table(result: Coverage, question_text: str) -> str:
    from simulator.highlight import IN_OTHER_WORDS, in_other_words, point_sign, scoring_note

    covered = len(result.covered)
    lines = [
        f"Q{result.question}: {question_text}",
        f"Coverage {round(result.coverage * 100)}%  ({covered} of {len(result.key_points)} "
        "key points)",
        "",
    ]
    width = max((len(k.label) for k in result.key_points), default=10)
    for point in result.key_points:
        mark = point_sign(point)
        where = ""
        if point.credit > 0 and point.transcript_span:
            said = result.transcript[point.transcript_span.start : point.transcript_span.end]
            where = f'  "{" ".join(said.split())}"'
        hinted = "  (hinted)" if point.hinted else ""
        how = f"  ({IN_OTHER_WORDS})" if in_other_words(point) else ""
        lines.append(
            f"  {mark} {point.label:<{width}}  {round(point.score * 100):>3}%{where}{hinted}{how}"
        )
    missed = [k.label for k in result.missed]
    lines.append("")
    if result.partly:
        lines.append("Partly: " + "; ".join(k.label for k in result.partly))
    lines.append("Missed: " + ("; ".join(missed) if missed else "nothing"))
    note = scoring_note(result)
    if note:
        lines.append(note)
    return "\n".join(lines)
