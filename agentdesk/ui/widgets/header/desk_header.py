"""The desk's two-line header: who I am and how I am routed, what I can take,
whether the link is up, and how the queues look.

Row 1: presence (time in state, next status), routing state, connection.
Row 2: capacity per channel (with the reason a channel is closed, at 120 cols;
`alt+c` shows reasons at narrower widths) and the queue summary.

Below `COMPACT_BELOW` columns (80x24) the header drops what the agent does
not need to read every second (the brand, their own name) and uses the short
queue summary, so no part is ever cut in the middle of a word.

Everything is rendered as `Content` built from templates; agent, queue and
reason texts come from the server and are inserted literally.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import TYPE_CHECKING

from textual.app import ComposeResult
from textual.containers import Horizontal
from textual.content import Content
from textual.widget import Widget
from textual.widgets import Static

from agentdesk.backends.base import LinkState
from agentdesk.domain.enums import Channel, Presence, RoutingState
from agentdesk.ui.glyphs import (
    CHANNEL_GLYPH,
    PRESENCE_DOT,
    PRESENCE_LABEL,
    channel_var,
    presence_var,
)
from agentdesk.ui.timefmt import duration
from agentdesk.ui.widgets.repaint import show

if TYPE_CHECKING:  # models are loaded after the first frame (docs/benchmarks.md, "Start-up")
    from agentdesk.domain.models import AgentInfo, Stats

ROUTING_VAR: dict[RoutingState, str] = {
    RoutingState.IDLE: "presence-available",
    RoutingState.OFFERED: "accent",
    RoutingState.BUSY: "primary",
    RoutingState.ACW: "sla-warning",
    RoutingState.NOT_RESPONDING: "sla-breach",
    RoutingState.OFF_QUEUE: "presence-offline",
}

COMPACT_BELOW = 100

CHANNEL_ORDER = (Channel.CHAT, Channel.EMAIL, Channel.SMS, Channel.SOCIAL, Channel.VOICE)


def presence_content(agent: AgentInfo | None, now: float,
                     names: dict[Presence, str] | None = None) -> Content:
    """`names`: the backend's own words for some presences (Chatwoot: "Busy")."""
    names = names or {}
    if agent is None:
        return Content("○ signing in…")
    since = duration(max(0.0, now - agent.presence_since)) if agent.presence_since else ""
    text = Content.from_markup(
        f"[${presence_var(agent.presence)}]$dot[/] [b]$label[/b] [$muted-foreground]$since[/]",
        dot=PRESENCE_DOT, label=names.get(agent.presence) or PRESENCE_LABEL[agent.presence],
        since=since,
    )
    if agent.next_presence is not None:
        text += Content.from_markup(
            " [$muted-foreground]▸ after work: $next[/]",
            next=names.get(agent.next_presence) or PRESENCE_LABEL[agent.next_presence],
        )
    return text


# What the routing state means for the agent, in words (the server's state
# names are jargon: "routing off queue 0:16" read as nonsense next to "queue 0").
ROUTING_WORDS: dict[RoutingState, str] = {
    RoutingState.IDLE: "waiting for work",
    RoutingState.OFFERED: "offer ringing",
    RoutingState.BUSY: "working",
    RoutingState.ACW: "after-contact work",
    RoutingState.NOT_RESPONDING: "not responding",
    RoutingState.OFF_QUEUE: "not taking work",
}


def routing_content(agent: AgentInfo | None, now: float, working: bool = False) -> Content:
    """'· waiting for work 0:16': what routing does with me now, and for how long.

    `working`: the agent has work in hand. A backend without routing states
    (Chatwoot) reports an online agent as idle whatever they hold; "waiting for
    work" next to four open conversations would be a label that lies."""
    if agent is None:
        return Content("")
    state = agent.routing_state
    if working and state is RoutingState.IDLE:
        state = RoutingState.BUSY
    since = duration(max(0.0, now - agent.routing_since)) if agent.routing_since else ""
    return Content.from_markup(
        f"[$muted-foreground]·[/] [b ${ROUTING_VAR[state]}]$label[/] [$muted-foreground]$since[/]",
        label=ROUTING_WORDS[state], since=since,
    )


def capacity_content(agent: AgentInfo | None, *, with_reasons: bool) -> Content:
    """`◆ 2/3  ✉ 0/2  ✆☎ blocked (reason)`: open channels with their load, closed
    ones grouped by reason so one shared reason (e.g. presence) is said once."""
    if agent is None or not agent.capacity.channels:
        return Content.from_markup("[$muted-foreground]capacity —[/]")
    parts: list[Content] = []
    blocked: dict[str, list[Channel]] = {}
    for channel in CHANNEL_ORDER:
        load = agent.capacity.channels.get(channel)
        if load is None:
            continue
        if load.accepting or load.active:
            part = Content.from_markup(
                f"[${channel_var(channel)}]$g[/] $a/$l",
                g=CHANNEL_GLYPH[channel], a=str(load.active), l=str(load.limit))
            if not load.accepting:
                part += Content.from_markup(" [$sla-warning]full[/]")
            parts.append(part)
        else:
            blocked.setdefault(_short_reason(load.reason), []).append(channel)
    for reason, channels in blocked.items():
        glyphs = Content("").join(
            Content.from_markup(f"[${channel_var(c)}]$g[/]", g=CHANNEL_GLYPH[c]) for c in channels)
        part = glyphs + Content.from_markup(" [$muted-foreground]blocked[/]")
        if with_reasons and reason:
            part += Content.from_markup(" [$muted-foreground]($reason)[/]", reason=reason)
        parts.append(part)
    return Content("  ").join(parts)


def _short_reason(reason: str) -> str:
    reason = reason.strip()
    return reason[len("blocked "):] if reason.lower().startswith("blocked ") else reason


def capacity_reasons(agent: AgentInfo | None) -> list[str]:
    """Plain lines 'Chat: reason' for the channels not accepting (for a toast)."""
    if agent is None:
        return []
    lines = []
    for channel in CHANNEL_ORDER:
        load = agent.capacity.channels.get(channel)
        if load is not None and not load.accepting:
            lines.append(f"{channel.value}: {load.reason or 'not accepting'}")
    return lines


def link_content(state: LinkState, attempt: int = 0) -> Content:
    if state is LinkState.CONNECTED:
        return Content.from_markup("[$success]● connected[/]")
    if state is LinkState.RECONNECTING:
        return Content.from_markup("[$warning]◌ reconnecting $n[/]", n=str(attempt) if attempt else "")
    if state is LinkState.CONNECTING:
        return Content.from_markup("[$warning]◌ connecting[/]")
    return Content.from_markup("[$error]○ offline[/]")


def queue_content(stats: Stats | None, queue_ids: Iterable[str] | None = None, *,
                  compact: bool = False) -> Content:
    if stats is None or not stats.queues:
        return Content.from_markup("[$muted-foreground]queues —[/]")
    wanted = set(queue_ids or ())
    rows = [q for q in stats.queues if not wanted or q.queue_id in wanted] or stats.queues
    waiting = sum(q.waiting for q in rows)
    longest = max(q.longest_wait_s for q in rows)
    answered = sum(q.answered for q in rows)
    in_sl = sum(q.answered_in_sl for q in rows)
    offered = sum(q.offered for q in rows)
    sl = f"{100.0 * in_sl / offered:.0f}%" if offered else "—"
    del answered
    level = "sla-breach" if longest > 60 else "sla-warning" if longest > 20 else "sla-ok"
    if compact:
        return Content.from_markup(
            f"[b]$w[/] waiting [${level}]$l[/] [$muted-foreground]SL[/] $sl",
            w=str(waiting), l=duration(longest), sl=sl)
    return Content.from_markup(
        f"[$muted-foreground]queues:[/] [b]$w[/] waiting  [$muted-foreground]longest[/] [${level}]$l[/]"
        "  [$muted-foreground]SL[/] $sl",
        w=str(waiting), l=duration(longest), sl=sl,
    )


class DeskHeader(Widget):
    """Presence, routing, capacity, connection and queue summary in two rows."""

    DEFAULT_CSS = """
    DeskHeader {
        dock: top;
        height: 2;
        background: $panel;
        color: $foreground;
    }
    DeskHeader Horizontal { height: 1; }
    DeskHeader Static { width: auto; height: 1; padding: 0 1; }
    DeskHeader #hdr-brand { color: $primary; text-style: bold; }
    DeskHeader .spacer { width: 1fr; padding: 0; }
    """

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__(id=id)
        self._agent: AgentInfo | None = None
        self.presence_names: dict[Presence, str] = {}  # from the backend's capabilities
        self._stats: Stats | None = None
        self._link: tuple[LinkState, int] = (LinkState.CONNECTING, 0)
        self._now = 0.0
        self._working = False
        self.show_reasons = True

    def compose(self) -> ComposeResult:
        with Horizontal():
            yield Static("agentdesk", id="hdr-brand")
            yield Static(id="hdr-presence")
            yield Static(id="hdr-routing")
            yield Static(classes="spacer")
            yield Static(id="hdr-user")
            yield Static(id="hdr-link")
        with Horizontal():
            yield Static(id="hdr-capacity")
            yield Static(classes="spacer")
            yield Static(id="hdr-queue")

    def on_mount(self) -> None:
        self._render_all()

    def show_agent(self, agent: AgentInfo | None, name: str | None = None) -> None:
        self._agent = agent
        if name is not None and self.is_mounted:
            show(self.query_one("#hdr-user", Static), Content(name))
        self._render_all()

    def show_working(self, working: bool) -> None:
        """Whether the agent has work in hand (see `routing_content`)."""
        if working != self._working:
            self._working = working
            self.tick(self._now)

    def show_stats(self, stats: Stats | None) -> None:
        self._stats = stats
        if self.is_mounted:
            queues = self._agent.queues if self._agent else None
            show(self.query_one("#hdr-queue", Static),
                 queue_content(stats, queues, compact=self.size.width < COMPACT_BELOW))

    def show_link(self, state: LinkState, attempt: int = 0) -> None:
        self._link = (state, attempt)
        if self.is_mounted:
            show(self.query_one("#hdr-link", Static), link_content(state, attempt))

    def tick(self, now: float) -> None:
        """Refresh the times in state (called once a second)."""
        self._now = now
        if self.is_mounted:
            show(self.query_one("#hdr-presence", Static),
                 presence_content(self._agent, now, self.presence_names))
            show(self.query_one("#hdr-routing", Static),
                 routing_content(self._agent, now, self._working))

    def on_resize(self) -> None:
        self._render_all()

    def _render_all(self) -> None:
        if not self.is_mounted:
            return
        wide = self.size.width >= 110
        compact = 0 < self.size.width < COMPACT_BELOW
        for part in ("#hdr-brand", "#hdr-user"):
            self.query_one(part, Static).display = not compact
        self.tick(self._now)
        show(self.query_one("#hdr-capacity", Static),
             capacity_content(self._agent, with_reasons=wide and self.show_reasons))
        self.show_stats(self._stats)
        self.show_link(*self._link)
