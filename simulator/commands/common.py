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


def add_bank_argument(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--bank",
        metavar="NAME|PATH",
        default=None,
        help="a built-in bank name or a Markdown bank file (default: ml-theory)",
    )


def open_bank(name_or_path: str | None) -> Bank:
    """Load a bank; a broken one prints its FILE:LINE problems and exits 1."""
    try:
        return load_bank(name_or_path)
    except BankError as error:
        if len(error.problems) == 1 and error.problems[0].message == "no such file":
            raise CliError(f"no bank named or at '{name_or_path}'") from None
        for problem in error.problems:
            sys.stderr.write(f"{problem}\n")
        raise CliError(f"the bank has {len(error.problems)} problem(s)", exit_code=1) from None


def print_json(value: Any) -> None:
    json.dump(value, sys.stdout, indent=2, ensure_ascii=False)
    sys.stdout.write("\n")
