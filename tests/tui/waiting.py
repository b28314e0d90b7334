"""Waiting in Pilot tests: until a condition holds, or until a screen is on top *and mounted*.

``app.screen`` names a pushed screen before its ``compose`` has run, so a test that queries a
widget right after seeing the screen's type races the app (this failed in CI once). Bounds are
generous counts of event-loop turns, never tight deadlines.
"""

from __future__ import annotations

from collections.abc import Callable

from textual.pilot import Pilot
from textual.screen import Screen


async def until(
    pilot: Pilot, condition: Callable[[], object], what: str = "", tries: int = 1200
) -> None:
    """Let the app run (0.05 s a turn, at most ``tries`` turns: a minute) until ``condition()``."""
    for _ in range(tries):
        if condition():
            return
        await pilot.pause(0.05)
    raise AssertionError(f"never happened: {what or condition}; on {pilot.app.screen!r}")


def is_shown(pilot: Pilot, screen_type: type[Screen]) -> bool:
    """The top screen is a ``screen_type`` and its widgets exist."""
    screen = pilot.app.screen
    return isinstance(screen, screen_type) and screen.is_mounted


async def until_screen(pilot: Pilot, screen_type: type[Screen], tries: int = 1200) -> Screen:
    """Wait until a ``screen_type`` is on top and mounted; return it."""
    await until(pilot, lambda: is_shown(pilot, screen_type), f"{screen_type.__name__} shown", tries)
    await pilot.pause()  # and its first messages (on_mount) handled
    return pilot.app.screen
