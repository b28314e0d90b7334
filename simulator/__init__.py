"""The interview simulator: scoring, delivery, session flow, storage and the CLI."""

__version__ = "0.1.0"
