"""Subcommands of ``mock-interview``; each module has ``register(subparsers)``."""

from simulator.commands import audio, bank, drill, interview, score, sessions

COMMAND_MODULES = (bank, score, drill, audio, sessions)

__all__ = ["COMMAND_MODULES", "interview"]
