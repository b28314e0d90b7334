"""The default command: open the interview app (being written)."""

from __future__ import annotations

import argparse

from simulator.commands.common import CliError


def add_arguments(parser: argparse.ArgumentParser) -> None:
    """Flags of the interview app."""


def run(args: argparse.Namespace) -> int:
    raise CliError("the interview app is not built yet; try 'mock-interview bank list'")
