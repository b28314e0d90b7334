"""Progress: coverage over time per topic (a plotext chart), and how each question stands.

Best, last and mean coverage per question come from the store's ``question_stats`` view, the
chart from its ``progress`` series (mean coverage per topic per day); both load in a worker.
"""

from __future__ import annotations

from datetime import date

from rich.text import Text
from textual import work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import VerticalScroll
from textual.screen import Screen
from textual.widgets import DataTable, Footer, Header, Static
from textual_plotext import PlotextPlot

from simulator.format import percent
from simulator.store import ProgressPoint, QuestionStats, Store, StoreError

WEAKEST = 5


def series(points: list[ProgressPoint]) -> tuple[list[str], dict[str, list[tuple[int, float]]]]:
    """The days in order, and per topic its (day index, mean coverage %) points."""
    days = sorted({p.day for p in points})
    index = {day: n for n, day in enumerate(days)}
    lines: dict[str, list[tuple[int, float]]] = {}
    for p in points:
        lines.setdefault(p.topic, []).append((index[p.day], round(p.mean * 100, 1)))
    return days, lines


class ProgressScreen(Screen[None]):
    """Coverage over time per topic, per-question best/last/mean, the weakest questions."""

    BINDINGS = [Binding("escape", "back", "Back", show=True)]
    DEFAULT_CSS = """
    ProgressScreen #chart { height: 18; }
    ProgressScreen #weakest { height: auto; padding: 0 1; margin: 1 0; }
    ProgressScreen #stats { height: auto; }
    """

    def __init__(self, store: Store, bank_name: str | None = None) -> None:
        super().__init__()
        self.store = store
        self.bank_name = bank_name
        self.loaded = False
        self.stats: list[QuestionStats] = []

    def compose(self) -> ComposeResult:
        yield Header()
        with VerticalScroll():
            yield PlotextPlot(id="chart")
            yield Static(Text("loading…"), id="weakest")
            yield DataTable(id="stats", cursor_type="row", zebra_stripes=True)
        yield Footer()

    def on_mount(self) -> None:
        self.title = "Progress"
        self.query_one("#stats", DataTable).add_columns(
            "Q", "Topic", "Attempts", "Best", "Last", "Mean", "Last answered"
        )
        self.load()

    @work(thread=True, exclusive=True, exit_on_error=False, group="progress")
    def load(self) -> None:
        try:
            points = self.store.progress(self.bank_name)
            stats = self.store.question_stats(self.bank_name)
        except StoreError as error:
            self.app.call_from_thread(self._say, str(error))
            return
        self.app.call_from_thread(self._show, points, stats)

    def _say(self, message: str) -> None:
        self.query_one("#weakest", Static).update(Text(message))

    def _show(self, points: list[ProgressPoint], stats: list[QuestionStats]) -> None:
        self.stats = stats
        chart = self.query_one("#chart", PlotextPlot)
        plt = chart.plt
        plt.clear_data()
        days, lines = series(points)
        for topic, values in lines.items():
            plt.plot([x for x, _ in values], [y for _, y in values], label=topic, marker="braille")
        plt.title("Mean coverage per topic (%)")
        plt.ylim(0, 100)
        if days:
            step = max(1, len(days) // 6)
            ticks = list(range(0, len(days), step))
            plt.xticks([float(t) for t in ticks], [_short(days[t]) for t in ticks])
        chart.refresh()
        table = self.query_one("#stats", DataTable)
        table.clear()
        for s in sorted(stats, key=lambda s: (s.bank_name, s.question)):
            table.add_row(
                f"Q{s.question}",
                Text(s.topic),
                str(s.attempts),
                percent(s.best),
                percent(s.last),
                percent(s.mean),
                s.last_at[:10],
            )
        weakest = stats[:WEAKEST]  # the store orders by mean, lowest first
        if not weakest:
            self._say("No scored answers yet.")
        else:
            text = Text("Weakest questions: ", style="bold")
            text.append(", ".join(f"Q{s.question} ({percent(s.mean)})" for s in weakest))
            text.append("  · drill them with --order weakest", style="dim")
            self.query_one("#weakest", Static).update(text)
        self.loaded = True

    def action_back(self) -> None:
        self.app.pop_screen()


def _short(day: str) -> str:
    try:
        return date.fromisoformat(day).strftime("%d %b")
    except ValueError:
        return day
