"""The setup screen: bank, topics, how many questions, order, voice or typed, time, read aloud."""

from __future__ import annotations

from dataclasses import replace
from typing import TYPE_CHECKING

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.screen import Screen
from textual.validation import Integer
from textual.widgets import (
    Button,
    Checkbox,
    Footer,
    Input,
    Label,
    RadioButton,
    RadioSet,
    Select,
    SelectionList,
)

from content.bank import BankError, builtin_bank_names, load_bank
from simulator.schedule import ORDERS
from simulator.session import SessionSettings

if TYPE_CHECKING:
    from simulator.tui.app import InterviewApp

ORDER_LABELS = {
    "in-order": "In order",
    "shuffled": "Shuffled",
    "weakest": "Weakest first",
    "due": "Due for review",
}


class SetupScreen(Screen[None]):
    """Choose what to practise, then start."""

    BINDINGS = [
        Binding("ctrl+s", "start", "Start", id="start", priority=True),
        Binding("v", "app.review", "Review past sessions", id="review"),
    ]
    app: InterviewApp

    def compose(self) -> ComposeResult:
        app = self.app
        settings: SessionSettings = app.settings
        bank = app.bank
        names = builtin_bank_names()
        if bank.name not in names:
            names.append(bank.name)
        with VerticalScroll(id="setup"):
            title = Text("mock-interview", style="bold")
            title.append(f" · {bank.title}", style="")
            yield Label(title, id="bank-title")
            with Horizontal(classes="row"):
                yield Label("Bank", classes="field")
                yield Select(
                    [(n, n) for n in names],
                    value=bank.name,
                    allow_blank=False,
                    id="bank",
                    compact=True,
                )
            with Horizontal(classes="row topics-row"):
                yield Label("Topics", classes="field")
                yield SelectionList[str](*self._topic_items(settings), id="topics", compact=True)
            with Horizontal(classes="row"):
                yield Label("Questions", classes="field")
                yield Input(
                    str(settings.count),
                    id="count",
                    type="integer",
                    compact=True,
                    validators=[Integer(minimum=1, maximum=len(bank.questions))],
                )
                yield Label("Seconds per answer", classes="field wide")
                yield Input(
                    str(settings.time_limit_s),
                    id="time-limit",
                    type="integer",
                    compact=True,
                    validators=[Integer(minimum=10, maximum=3600)],
                )
            with Horizontal(classes="row"):
                yield Label("Order", classes="field")
                with RadioSet(id="order", compact=True):
                    for order in ORDERS:
                        yield RadioButton(
                            ORDER_LABELS[order], value=order == settings.order, name=order
                        )
                yield Label("Answer", classes="field")
                with Vertical(classes="mode-box"):
                    with RadioSet(id="mode", compact=True):
                        yield RadioButton("Voice", value=settings.mode == "voice", name="voice")
                        yield RadioButton("Typed", value=settings.mode == "typed", name="typed")
                    yield Checkbox(
                        "Read questions aloud", settings.read_aloud, id="read-aloud", compact=True
                    )
            with Horizontal(classes="row buttons"):
                yield Button("Start", variant="primary", id="start", compact=True)
                yield Label("", id="setup-status")
        yield Footer()

    def _topic_items(self, settings: SessionSettings) -> list[tuple[str, str, bool]]:
        bank = self.app.bank
        chosen = [t.casefold() for t in settings.topics]
        items = []
        for topic in bank.topics:
            count = sum(1 for q in bank.questions if q.topic == topic)
            selected = not chosen or any(c in topic.casefold() for c in chosen)
            items.append((f"{topic} ({count})", topic, selected))
        return items

    def on_mount(self) -> None:
        self.query_one("#start", Button).focus()

    @on(Select.Changed, "#bank")
    def _bank_changed(self, event: Select.Changed) -> None:
        app = self.app
        if event.value == app.bank.name:
            return
        try:
            bank = load_bank(str(event.value))
        except BankError as error:
            self.notify(str(error), severity="error", markup=False)
            return
        app.bank = bank
        topics = self.query_one("#topics", SelectionList)
        topics.clear_options()
        topics.add_options(self._topic_items(replace(app.settings, topics=())))
        title = Text("mock-interview", style="bold")
        title.append(f" · {bank.title}")
        self.query_one("#bank-title", Label).update(title)

    @on(Button.Pressed, "#start")
    def _start_pressed(self) -> None:
        self.action_start()

    def chosen_settings(self) -> SessionSettings | str:
        """The settings on screen, or what is wrong with them."""
        app = self.app
        count_input = self.query_one("#count", Input)
        limit_input = self.query_one("#time-limit", Input)
        for field, name in ((count_input, "questions"), (limit_input, "seconds per answer")):
            result = field.validate(field.value)
            if result is not None and not result.is_valid:
                return f"{name}: {'; '.join(result.failure_descriptions)}"
        topics = tuple(self.query_one("#topics", SelectionList).selected)
        if not topics:
            return "choose at least one topic"
        order = self.query_one("#order", RadioSet).pressed_button
        mode = self.query_one("#mode", RadioSet).pressed_button
        bank = app.bank
        return replace(
            app.settings,
            bank=bank.name,
            topics=topics if len(topics) < len(bank.topics) else (),
            count=int(count_input.value),
            time_limit_s=int(limit_input.value),
            order=(order.name if order is not None else None) or "in-order",
            mode=(mode.name if mode is not None else None) or "voice",
            read_aloud=self.query_one("#read-aloud", Checkbox).value,
            questions=(),
        )

    def action_start(self) -> None:
        settings = self.chosen_settings()
        if isinstance(settings, str):
            self.query_one("#setup-status", Label).update(Text(settings, style="bold red"))
            self.notify(settings, severity="error", markup=False)
            return
        self.app.start_interview(settings)
