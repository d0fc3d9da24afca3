"""The monitor's header line (who watches, the connection, floor totals) and the
link banner shown under it, on both screens, while the floor is not live."""

from __future__ import annotations

from rich.text import Text
from textual.widgets import Static

from agentdesk.domain.floor import Totals
from agentdesk.ui.monitor.cells import fmt_duration, fmt_pct, line, theme_style

LINK_VAR = {"connected": "sla-ok", "connecting": "sla-warning", "reconnecting": "sla-warning",
            "closed": "sla-breach", "offline": "sla-breach", "signed out": "sla-breach",
            "signing in again": "sla-warning"}


class MonitorHeader(Static):
    """`MONITOR │ queue … SL … │ agents … │ name read-only ● connected`; with
    alerts, a `▲ N ALERTS` flag first and a red background."""

    DEFAULT_CSS = """
    MonitorHeader { height: 1; background: $panel; color: $foreground; padding: 0 1; }
    MonitorHeader.-alert { background: $sla-breach 45%; }
    """

    def __init__(self, *, hidden: frozenset[str] = frozenset(), id: str | None = None) -> None:
        super().__init__("", id=id, markup=False)
        self.hidden = hidden  # figures the backend cannot give: left out, not zero
        self.user = ""
        self.link = "connecting"
        self.note = ""  # e.g. "signed in again 14:02": shown after the link state
        self.totals = Totals()
        self.alerts = 0  # active alerts: the header turns red and counts them
        self.compact = False  # below 100 columns: the figures first, the user last
        self._shown: Text | None = None

    def show(self, *, user: str | None = None, link: str | None = None,
             totals: Totals | None = None, note: str | None = None,
             alerts: int | None = None) -> None:
        if user is not None:
            self.user = user
        if link is not None:
            self.link = link
        if note is not None:
            self.note = note
        if alerts is not None:
            self.alerts = alerts
            self.set_class(bool(alerts), "-alert")
        if totals is not None:
            self.totals = totals
        text = self.header_text()
        if text == self._shown:
            return  # the same line: shown every flush, a repaint for nothing
        # A layout pass (of the whole screen) only when the line's width changes.
        layout = self._shown is None or self._shown.cell_len != text.cell_len
        self._shown = text
        self.update(text, layout=layout)

    def header_text(self) -> Text:
        t = self.totals
        b = t.by_bucket
        v = self.app.theme_variables
        nr = b.get("not_responding", 0)
        text = self._figures(v, t, b, nr)
        if self.alerts:
            flag = Text(f"▲ {self.alerts} ALERT{'S' if self.alerts > 1 else ''} ",
                        style=theme_style(v, "foreground", bold=True))
            text = Text.assemble(flag, text, no_wrap=True, overflow="ellipsis")
        return text

    def _figures(self, v, t: Totals, b: dict[str, int], nr: int) -> Text:
        hidden = self.hidden
        agents: list = [(f"{b.get('available', 0)} avail", "presence-available"),
                        f" {b.get('busy', 0)} busy "]
        if "acw" not in hidden:
            agents.append(f"{b.get('acw', 0)} ACW ")
        agents.append((f"{b.get('away', 0)} away", "presence-away"))
        if "not_responding" not in hidden:
            agents += [" ", (f"{nr} NR", "sla-breach" if nr else None, bool(nr))]
        queue: list = [(str(t.waiting), "sla-warning" if t.waiting else None, True),
                       f" max {fmt_duration(t.longest_wait_s)}"]
        if "sl" not in hidden:
            queue += [" SL ", (fmt_pct(t.sl_pct), None, True)]
        bar = (" │ ", "muted-foreground")
        if self.compact:
            # 80 columns: the agent breakdown and the queue first (what a
            # supervisor acts on); the link and the user last, cut if need be.
            return line(
                v, *agents, bar, "Q ", *queue, bar,
                ("● ", LINK_VAR.get(self.link, "sla-warning")), self.link, " ",
                (self.user or "?", None, True),
            )
        # The figures first, who watches and the link last: on a narrow screen or
        # with a long name, the end is what gets cut.
        return line(
            v, ("MONITOR", "accent", True), bar, "queue ", *queue, bar,
            "agents ", (f"{t.logged_in}", None, True), f"/{t.agents}: ", *agents, bar,
            (self.user or "?", None, True), (" read-only ", "muted-foreground"),
            ("● ", LINK_VAR.get(self.link, "sla-warning")), self.link,
            (f" {self.note}" if self.note else "", "muted-foreground"),
        )


class LinkBanner(Static):
    """One line under the header while the floor is not live: the connection is
    lost (what is shown may be out of date) or the token was refused (how to
    sign in again). Hidden while connected, and while first connecting."""

    DEFAULT_CSS = """
    LinkBanner { display: none; height: auto; max-height: 3; padding: 0 1;
                 background: $warning 25%; color: $foreground; }
    LinkBanner.-error { background: $error 30%; text-style: bold; }
    """

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__("", id=id, markup=False)
        self.link = "connecting"

    def show(self, link: str, *, detail: str = "", auth_message: str = "") -> None:
        self.link = link
        if link in ("connected", "connecting"):
            self.display = False
            return
        if link == "signed out":
            text = auth_message or "Not authorised: the token was refused. Sign in again."
        elif link == "signing in again":
            text = (f"● The server dropped the session (restarted?): signing in again by "
                    f"itself ({detail or 'attempt 1'}). What is shown is not live.")
        elif link == "reconnecting":
            text = (f"● Connection lost ({detail or 'reconnecting'}): reconnecting… "
                    "What is shown is not live.")
        else:
            text = f"● Not connected ({link}). What is shown is not live."
        self.update(text)
        self.set_class(link in ("signed out", "closed", "offline"), "-error")
        self.display = True
