"""The monitor's header line: who watches, the connection, floor totals."""

from __future__ import annotations

from textual.content import Content
from textual.widgets import Static

from agentdesk.domain.floor import Totals
from agentdesk.ui.monitor.cells import fmt_duration, fmt_pct

LINK_VAR = {"connected": "sla-ok", "connecting": "sla-warning", "reconnecting": "sla-warning",
            "closed": "sla-breach", "offline": "sla-breach"}


class MonitorHeader(Static):
    """`SUPERVISOR name · ● connected · agents … · waiting … · SL …` (read-only)."""

    DEFAULT_CSS = """
    MonitorHeader { height: 1; background: $panel; color: $foreground; padding: 0 1; }
    """

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__("", id=id, markup=False)
        self.user = ""
        self.link = "connecting"
        self.totals = Totals()

    def show(self, *, user: str | None = None, link: str | None = None,
             totals: Totals | None = None) -> None:
        if user is not None:
            self.user = user
        if link is not None:
            self.link = link
        if totals is not None:
            self.totals = totals
        self.update(self.render_line())

    def render_line(self) -> Content:
        t = self.totals
        b = t.by_bucket
        link_var = LINK_VAR.get(self.link, "sla-warning")
        sl = fmt_pct(t.sl_pct)
        return Content.from_markup(
            "[b $accent]MONITOR[/] [b]$user[/] [dim](read-only)[/]  "
            f"[${link_var}]●[/] $link  │ "
            "agents [b]$logged[/]/$agents: [$presence-available]$avail avail[/] $busy busy "
            "$acw ACW [$presence-away]$away away[/] [$sla-breach]$nr NR[/]  │ "
            "waiting [b]$waiting[/] longest $longest  │ SL [b]$sl[/]",
            user=self.user or "?", link=self.link, logged=str(t.logged_in), agents=str(t.agents),
            avail=str(b.get("available", 0)), busy=str(b.get("busy", 0)),
            acw=str(b.get("acw", 0)), away=str(b.get("away", 0)),
            nr=str(b.get("not_responding", 0)), waiting=str(t.waiting),
            longest=fmt_duration(t.longest_wait_s), sl=sl,
        )
