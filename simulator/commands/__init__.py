"""Subcommands of ``mock-interview``; each module has ``register(subparsers)``."""

from simulator.commands import audio, bank, interview, score, sessions

COMMAND_MODULES = (bank, score, audio, sessions)

__all__ = ["COMMAND_MODULES", "interview"]
