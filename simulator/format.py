"""Figures for people: a share as a whole percentage, a duration as m:ss. One way, everywhere."""

from __future__ import annotations


def percent(value: float | None, missing: str = "-") -> str:
    """A 0..1 share as a whole percentage ("84%"); ``missing`` when there is none."""
    return missing if value is None else f"{round(100 * float(value)):d}%"


def mmss(seconds: float) -> str:
    """A duration (its size; the sign is the caller's to show) as minutes:seconds, "1:05"."""
    whole = int(round(abs(seconds)))
    return f"{whole // 60:d}:{whole % 60:02d}"
