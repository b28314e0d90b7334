"""The default command: open the interview app, with the setup screen's choices as flags.

Commands sit below the TUI: this module checks the flags and returns an :class:`AppPlan`
(what to open, with which settings); ``simulator.cli`` hands the plan to
``simulator.tui.launch``, which builds and runs the app.
"""

from __future__ import annotations

import argparse
from dataclasses import dataclass, replace
from typing import TYPE_CHECKING

from simulator.commands.common import (
    CliError,
    add_bank_argument,
    add_exam_arguments,
    open_bank,
    use_data_dir,
)
from simulator.schedule import ORDERS
from simulator.session import SessionSettings

if TYPE_CHECKING:
    from content.bank import Bank
    from simulator.config import Config


@dataclass(frozen=True)
class AppPlan:
    """The interview app to open: the bank, the session's settings, the config, the screen."""

    bank: Bank
    settings: SessionSettings
    config: Config
    start_screen: str = "setup"
    model: str | None = None


def add_arguments(parser: argparse.ArgumentParser) -> None:
    """Flags of the interview app (on the top-level parser)."""
    add_bank_argument(parser)
    parser.add_argument(
        "--topic",
        action="append",
        default=None,
        metavar="TOPIC",
        help="only questions whose topic contains TOPIC (repeatable)",
    )
    parser.add_argument("--count", type=int, default=None, help="how many questions to ask")
    parser.add_argument("--order", choices=ORDERS, default=None, help="question order")
    parser.add_argument(
        "--time-limit", type=int, default=None, metavar="SECONDS", help="seconds per answer"
    )
    parser.add_argument("--typed", action="store_true", help="type the answers (no microphone)")
    parser.add_argument("--no-voice", action="store_true", help="do not read the questions aloud")
    parser.add_argument(
        "--hands-free",
        action=argparse.BooleanOptionalAction,
        default=None,
        help="voice answers start after a tone and end when you fall silent "
        "(default: the interview.hands_free setting)",
    )
    parser.add_argument(
        "--model-answer-first",
        action="store_true",
        help="study: show the model answer before each answer (it counts as assisted)",
    )
    parser.add_argument(
        "--question",
        action="append",
        type=int,
        default=None,
        metavar="N",
        help="start straight at question N (repeatable; skips the setup screen)",
    )
    add_exam_arguments(
        parser, "exam mode: the questions back to back with follow-ups, feedback only at the end"
    )
    parser.add_argument(
        "--data-dir",
        default=None,
        metavar="PATH",
        help="keep history, audio, config and cache here (or set MOCK_INTERVIEW_HOME)",
    )
    parser.add_argument(
        "--model", default=None, help="Whisper model: tiny.en (bundled), base, or a folder"
    )


def plan(args: argparse.Namespace, start_screen: str = "setup") -> AppPlan:
    """The app these flags ask for (nothing built yet); every bad input is a CliError."""
    from simulator import locations
    from simulator.config import ConfigError, follow_ups_on, load_config

    use_data_dir(args)
    try:
        config = load_config()
    except ConfigError as error:
        raise CliError(str(error)) from None
    bank = open_bank(getattr(args, "bank", None) or config.interview.bank)
    if getattr(args, "model_answer_first", False):
        config.interview = replace(config.interview, model_answer_first=True)
    defaults = config.interview
    questions = tuple(getattr(args, "question", None) or ())
    for number in questions:
        try:
            bank.question(number)
        except KeyError as error:
            raise CliError(str(error).strip("'\"")) from None
    topics = tuple(getattr(args, "topic", None) or ())
    if topics and not bank.in_topics(list(topics)):
        raise CliError(f"no topic matches {', '.join(topics)}; topics: {'; '.join(bank.topics)}")
    count = args.count if getattr(args, "count", None) is not None else defaults.count
    if count < 1:
        raise CliError("--count must be at least 1")
    limit = args.time_limit if getattr(args, "time_limit", None) is not None else None
    limit = limit if limit is not None else defaults.time_limit_s
    if limit < 1:
        raise CliError("--time-limit must be at least 1 second")
    order = getattr(args, "order", None) or defaults.order
    if getattr(args, "typed", False) and getattr(args, "hands_free", None):
        raise CliError("--hands-free is for spoken answers; drop --typed or --hands-free")
    exam = defaults.exam if getattr(args, "exam", None) is None else args.exam
    follow_ups = getattr(args, "follow_ups", None)
    if follow_ups is None:
        follow_ups = follow_ups_on(defaults.follow_ups, exam)
    settings = SessionSettings(
        bank=bank.name,
        topics=topics,
        count=count,
        order=order,
        mode="typed" if getattr(args, "typed", False) else defaults.mode,
        time_limit_s=limit,
        read_aloud=defaults.read_aloud and not getattr(args, "no_voice", False),
        allow_overtime=defaults.allow_overtime,
        questions=questions,
        hands_free=_flag(args, "hands_free", defaults.hands_free),
        exam=exam,
        follow_ups=follow_ups,
    )
    model = getattr(args, "model", None)
    if model and model not in ("tiny.en", "base"):  # a folder: check it now (the names load later)
        from audio.models import ModelUnavailable, resolve_model

        try:
            resolve_model(model, locations.cache_dir())
        except ModelUnavailable as error:
            raise CliError(str(error)) from None
    if (questions or exam) and start_screen == "setup":
        start_screen = "interview"  # an exam starts at once, as an interview does
    return AppPlan(bank, settings, config, start_screen=start_screen, model=model)


def _flag(args: argparse.Namespace, name: str, default: bool) -> bool:
    """A ``--x/--no-x`` flag, or the setting when neither was given."""
    value = getattr(args, name, None)
    return default if value is None else bool(value)


def run(args: argparse.Namespace, start_screen: str = "setup") -> AppPlan:
    """The handler: bad flags, config or bank fail here with one line; the CLI opens the app."""
    return plan(args, start_screen)
