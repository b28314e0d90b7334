"""Open the interview app an :class:`~simulator.commands.interview.AppPlan` describes."""

from __future__ import annotations

import os

from simulator import locations
from simulator.commands.common import CliError
from simulator.commands.interview import AppPlan
from simulator.tui import native_stderr
from simulator.tui.app import InterviewApp
from simulator.tui.signals import leave_now


def build_app(plan: AppPlan) -> InterviewApp:
    """The app for a plan, not running yet."""
    return InterviewApp(
        plan.bank, plan.settings, plan.config, start_screen=plan.start_screen, model=plan.model
    )


def run_app(plan: AppPlan) -> int:
    """Build the app and run it in this terminal; its exit code."""
    if not (os.isatty(0) and os.isatty(1)):
        raise CliError("the interview app needs a terminal; try 'mock-interview bank list'")
    # PortAudio's and ALSA's complaints go to a log, not over the screen
    with native_stderr.kept_off_the_screen(locations.cache_dir()):
        app = build_app(plan)
        result = app.run()
    code = int(result or 0)
    if code > 128:
        # Ended by a signal: everything is saved and the terminal restored, but threads of
        # the recorder and the speech model may still be winding down, and tearing the
        # interpreter down under them aborted the process (exit 134 instead of 128 + signal).
        leave_now(code)
    return code
