"""The keys of the screen underneath, as a table (opened with ``?`` or F1)."""

from __future__ import annotations

from rich.table import Table
from rich.text import Text
from textual.app import App, ComposeResult
from textual.binding import Binding
from textual.containers import VerticalScroll
from textual.screen import ModalScreen, Screen
from textual.widgets import Static


class KeysScreen(ModalScreen[None]):
    """The keys of ``screen`` and of the app, with what they do."""

    BINDINGS = [Binding("escape,q,f1,question_mark", "dismiss", "Close", id="close_keys")]

    def __init__(self, screen: Screen) -> None:
        super().__init__()
        self.under = screen

    def compose(self) -> ComposeResult:
        table = Table(title="Keys", expand=True, show_edge=False)
        table.add_column("Key", no_wrap=True, style="bold")
        table.add_column("Does")
        seen: set[tuple[str, str]] = set()
        for key, active in self.under.active_bindings.items():
            binding = active.binding
            if not binding.description or not isinstance(active.node, (Screen, App)):
                continue  # widget keys (scrolling, editing) are not what this screen offers
            shown = self.app.get_key_display(binding) or key
            if (shown, binding.description) in seen:
                continue
            seen.add((shown, binding.description))
            table.add_row(Text(shown), Text(binding.description))
        with VerticalScroll(id="keys-box"):
            yield Static(table)
            yield Static(Text("Esc closes. Ctrl+P searches every command.", style="dim"))
