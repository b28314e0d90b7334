"""The answer clock, the session clock and the microphone level meter."""

from __future__ import annotations

from rich.text import Text
from textual.reactive import reactive
from textual.widgets import Static

from simulator.format import mmss


class AnswerClock(Static):
    """Seconds left for the answer; a warning near the end, overtime marked past zero."""

    remaining: reactive[float] = reactive(120.0)
    warning_s: int = 15

    def watch_remaining(self, remaining: float) -> None:
        self.set_class(0 < remaining <= self.warning_s, "-warning")
        self.set_class(remaining <= 0, "-over")
        if remaining < 0:
            self.update(Text(f"overtime +{mmss(remaining)}"))
        else:
            self.update(Text(f"answer {mmss(remaining)}"))


class SessionClock(Static):
    """Time since the session started."""

    elapsed: reactive[float] = reactive(0.0)

    def watch_elapsed(self, elapsed: float) -> None:
        self.update(Text(f"session {mmss(elapsed)}"))


class LevelMeter(Static):
    """The microphone level as a bar from -60 dBFS (silence) to 0 dBFS."""

    dbfs: reactive[float] = reactive(-100.0)
    FLOOR = -60.0

    peak: float = -100.0
    """The loudest level shown since the meter was made."""

    def watch_dbfs(self, dbfs: float) -> None:
        self.peak = max(self.peak, dbfs)
        width = max(10, self.size.width - 12)
        fraction = min(1.0, max(0.0, (dbfs - self.FLOOR) / -self.FLOOR))
        filled = int(round(fraction * width))
        label = "  --- dB" if dbfs <= self.FLOOR else f"{dbfs:5.0f} dB"
        bar = Text("█" * filled, style="bold green" if fraction < 0.9 else "bold red")
        bar.append("░" * (width - filled), style="dim")
        bar.append(f" {label}")
        self.update(bar)

    def on_resize(self) -> None:
        self.watch_dbfs(self.dbfs)
