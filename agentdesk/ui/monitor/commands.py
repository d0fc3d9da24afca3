"""Command palette of the monitor: navigation, sort and filter only (nothing mutates).

Agent and queue names are untrusted: hits carry them as `Content` (literal),
never as a markup string, and help texts are fixed strings.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import partial

from textual.command import DiscoveryHit, Hit, Hits, Provider
from textual.content import Content

from agentdesk.domain.models import RoutingState
from agentdesk.ui.glyphs import ROUTING_LABEL
from agentdesk.ui.monitor.agent_order import SORTS

MAX_AGENT_HITS = 50


class MonitorCommands(Provider):
    """`monitor: …` commands of the wallboard and the drill-down."""

    def _commands(self) -> list[tuple[str, Callable[[], object], str, bool]]:
        """(text, callback, help, discoverable); text may hold untrusted names."""
        from agentdesk.ui.monitor.drilldown_screen import DrilldownScreen
        from agentdesk.ui.monitor.monitor_screen import MonitorScreen

        app = self.app
        screen = self.screen
        out: list[tuple[str, Callable[[], object], str, bool]] = []
        if isinstance(screen, DrilldownScreen):
            out.append(("monitor: back to the wallboard", screen.action_back,
                        "Close the drill-down", True))
            return out
        if not isinstance(screen, MonitorScreen):
            return out
        for label, _ in SORTS:
            out.append((f"monitor: sort agents by {label}", partial(screen.sort_by, label),
                        "Sort the agents board", True))
        out.append(("monitor: reverse the sort", screen.action_sort_reverse,
                    "Reverse the agents sort order", True))
        out.append(("monitor: clear the filter", screen.action_clear_filter,
                    "Show every agent", True))
        out.append(("monitor: focus the filter", screen.action_focus_filter,
                    "Type a name, queue:… or state:…", True))
        for state in RoutingState:
            word = state.value
            out.append((f"monitor: filter agents {ROUTING_LABEL[state]}",
                        partial(screen.set_filter_text, f"state:{word}"),
                        "Only agents in this routing state", False))
        floor = app.floor  # type: ignore[attr-defined]
        for queue in floor.queues.values():
            out.append((f"monitor: filter queue {queue.name}",
                        partial(screen.set_filter_text, f"queue:{queue.id}"),
                        "Only agents of this queue", False))
            out.append((f"monitor: trend of queue {queue.name}",
                        partial(screen.query_one("#trends").show_queue, queue.id),
                        "Sparklines of this queue", False))
        out.append(("monitor: wall layout", app.toggle_wall,  # type: ignore[attr-defined]
                    "Huge figures per queue, for a wall screen (w)", True))
        out.append(("monitor: interval report", app.action_open_history,  # type: ignore[attr-defined]
                    "Today per interval, vs yesterday, away time (h)", True))
        out.append(("monitor: trend of the whole floor",
                    partial(screen.query_one("#trends").show_queue, ""),
                    "Sparklines of every queue together", True))
        for agent in list(floor.agents.values()):
            out.append((f"monitor: open agent {agent.name} ({agent.id})",
                        partial(app.open_agent, agent.id),  # type: ignore[attr-defined]
                        "Drill down into this agent", False))
        return out

    async def discover(self) -> Hits:
        for text, callback, help_text, discoverable in self._commands():
            if discoverable:
                yield DiscoveryHit(Content(text), callback, text=text, help=help_text)

    async def search(self, query: str) -> Hits:
        matcher = self.matcher(query)
        agent_hits = 0
        for text, callback, help_text, _ in self._commands():
            score = matcher.match(text)
            if score <= 0:
                continue
            if text.startswith("monitor: open agent"):
                agent_hits += 1
                if agent_hits > MAX_AGENT_HITS:
                    continue
            # Content(text): the name is shown literally (Matcher.highlight parses markup).
            yield Hit(score, Content(text), callback, text=text, help=help_text)
