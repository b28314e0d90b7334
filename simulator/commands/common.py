"""What every subcommand shares: the one-line error, bank loading and JSON output."""

from __future__ import annotations

import argparse
import json
import sys
from typing import Any

from content.bank import Bank, BankError, load_bank


class CliError(Exception):
    """A one-line error for the user; the command exits with ``exit_code``."""

    def __init__(self, message: str, exit_code: int = 2) -> None:
        super().__init__(message)
        self.exit_code = exit_code


def use_data_dir(args: argparse.Namespace) -> None:
    """Point the data folder at ``--data-dir`` if given; a path that is a file is refused."""
    from pathlib import Path

    from simulator import locations

    folder = getattr(args, "data_dir", None)
    if not folder:
        return
    path = Path(folder).expanduser()
    if path.exists() and not path.is_dir():
        raise CliError(f"--data-dir {path} is a file, not a folder; give a folder (or a new name)")
    for parent in path.parents:
        if parent.exists() and not parent.is_dir():
            raise CliError(f"--data-dir {path}: {parent} is a file, not a folder")
    locations.set_home(folder)


def add_bank_argument(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--bank",
        metavar="NAME|PATH",
        default=argparse.SUPPRESS,  # a top-level --bank (before the command) is kept
        help="a built-in bank name or a Markdown bank file (default: ml-theory)",
    )


def add_exam_arguments(parser: argparse.ArgumentParser, exam_help: str) -> None:
    """``--exam`` / ``--follow-ups`` (each with its ``--no-`` form; unset means the config's)."""
    parser.add_argument(
        "--exam", action=argparse.BooleanOptionalAction, default=None, help=exam_help
    )
    parser.add_argument(
        "--follow-ups",
        action=argparse.BooleanOptionalAction,
        default=None,
        help="ask a follow-up when an answer misses key points (default: in exam mode only)",
    )


def open_bank(name_or_path: str | None) -> Bank:
    """Load a bank; a broken one is one line (its first FILE:LINE problem) and exit 2."""
    try:
        return load_bank(name_or_path)
    except BankError as error:
        if len(error.problems) == 1 and error.problems[0].message == "no such file":
            raise CliError(f"no bank named or at '{name_or_path}'") from None
        first, more = error.problems[0], len(error.problems) - 1
        others = f" (and {more} more)" if more else ""
        raise CliError(
            f"the bank has a problem: {first}{others}; "
            f"see them all with: mock-interview bank validate {name_or_path}"
        ) from None


def print_json(value: Any) -> None:
    json.dump(value, sys.stdout, indent=2, ensure_ascii=False)
    sys.stdout.write("\n")
