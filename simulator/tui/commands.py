"""Command palette provider: every key the current screen offers, searchable by name."""

from __future__ import annotations

from collections.abc import Iterator
from functools import partial

from textual.command import DiscoveryHit, Hit, Hits, Provider
from textual.dom import DOMNode


class ScreenKeysProvider(Provider):
    """The current screen's bindings (and the app's) as palette commands."""

    def _commands(self) -> Iterator[tuple[str, str, DOMNode, str]]:
        seen: set[str] = set()
        for key, active in self.screen.active_bindings.items():
            binding = active.binding
            if not binding.description or not active.enabled or binding.action in seen:
                continue
            seen.add(binding.action)
            shown = self.app.get_key_display(binding)
            yield binding.description, binding.action, active.node, f"key: {shown or key}"

    async def discover(self) -> Hits:
        for name, action, node, help_text in self._commands():
            yield DiscoveryHit(name, partial(self.app.run_action, action, node), help=help_text)

    async def search(self, query: str) -> Hits:
        matcher = self.matcher(query)
        for name, action, node, help_text in self._commands():
            score = matcher.match(name)
            if score > 0:
                yield Hit(
                    score,
                    matcher.highlight(name),
                    partial(self.app.run_action, action, node),
                    help=help_text,
                )
