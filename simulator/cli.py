"""The ``mock-interview`` command: the interview app by default, and subcommands.

Each subcommand lives in its own module under ``simulator/commands/`` with a
``register(subparsers)`` function, so commands grow without touching this file.
A handler returns the exit code; :class:`CliError` is a one-line error with exit 2; a
``StoreError`` (the history cannot be read or written) is a one-line error with exit 1.
"""

from __future__ import annotations

import argparse
import os
import sys
from collections.abc import Sequence
from typing import NoReturn

from simulator import __version__
from simulator.commands import COMMAND_MODULES, interview
from simulator.commands.common import CliError


class _Parser(argparse.ArgumentParser):
    """argparse, but a usage error is one line on stderr and exit 2."""

    def error(self, message: str) -> NoReturn:
        sys.stderr.write(f"{self.prog}: error: {message} (see --help)\n")
        raise SystemExit(2)


def build_parser() -> argparse.ArgumentParser:
    parser = _Parser(
        prog="mock-interview",
        description="Rehearse technical interviews out loud, offline. "
        "With no command, opens the interview app.",
    )
    parser.add_argument("--version", action="version", version=f"%(prog)s {__version__}")
    interview.add_arguments(parser)
    parser.set_defaults(handler=interview.run)
    subparsers = parser.add_subparsers(title="commands", metavar="COMMAND", parser_class=_Parser)
    for module in COMMAND_MODULES:
        module.register(subparsers)
    _mark_accepted(parser)
    return parser


def _mark_accepted(parser: argparse.ArgumentParser, command: str = "") -> None:
    """Each command parser records its name and the options it takes, for :func:`_refuse`."""
    for action in parser._actions:
        if isinstance(action, argparse._SubParsersAction):
            for name, sub in action.choices.items():
                full = f"{command} {name}".strip()
                sub.set_defaults(_command=full, _accepts=frozenset(a.dest for a in sub._actions))
                _mark_accepted(sub, full)


def _refuse_ignored_options(parser: argparse.ArgumentParser, args: argparse.Namespace) -> None:
    """A top-level option (given before the command) that the command does not take is an
    error, not silently ignored: ``--bank X bank list`` uses X; ``--typed bank list`` is refused.
    """
    accepts = getattr(args, "_accepts", None)
    if accepts is None:  # no command: the interview app takes them all
        return
    for action in parser._actions:
        if not action.option_strings or action.dest in ("help", "version"):
            continue
        if action.dest in accepts:
            continue
        if getattr(args, action.dest, action.default) != action.default:
            raise CliError(
                f"{action.option_strings[0]} does not apply to '{args._command}'; "
                f"see 'mock-interview {args._command} --help'"
            )


def main(argv: Sequence[str] | None = None) -> int:
    # One BLAS thread for the embedding model (read when numpy loads, which is later): with
    # one per core it spins against Whisper's threads and other work on the machine, and
    # scoring at Space took 2-15 s instead of 0.3-0.5 s at load 5 (BENCHMARKS.md).
    os.environ.setdefault("OPENBLAS_NUM_THREADS", "1")
    parser = build_parser()
    args = parser.parse_args(argv)
    try:
        _refuse_ignored_options(parser, args)
        result = args.handler(args)
        if isinstance(result, interview.AppPlan):
            from simulator.tui.launch import run_app

            return run_app(result)
        return int(result or 0)
    except CliError as error:
        sys.stderr.write(f"mock-interview: error: {error}\n")
        return error.exit_code
    except KeyboardInterrupt:
        sys.stderr.write("mock-interview: interrupted\n")
        return 130
    except BrokenPipeError:
        return 0
    except Exception as error:
        # The history failing under a command (a page damaged past what the check at open
        # found, a full disk): one line and exit 1. The store module is only looked up if it
        # was imported, so a command that never opens the history never pays for it.
        store_errors = sys.modules.get("simulator.store.errors")
        if store_errors is not None and isinstance(error, store_errors.StoreError):
            sys.stderr.write(f"mock-interview: error: {error}\n")
            return 1
        raise


if __name__ == "__main__":
    raise SystemExit(main())
