"""The live feed of notable floor events: a bounded line log, newest at the bottom."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import UTC, datetime, tzinfo

from rich.text import Text
from textual.widgets import RichLog

from agentdesk.domain.alerts import AlertChange, describe
from agentdesk.domain.floor import FeedEntry, FeedKind
from agentdesk.ui.glyphs import CHANNEL_GLYPH
from agentdesk.ui.monitor.cells import fmt_duration, theme_style

FEED_LINES = 300

KIND_LABEL = {
    FeedKind.MISSED: ("MISSED", "sla-warning"),
    FeedKind.REJECTED: ("REJECT", "sla-warning"),
    FeedKind.ABANDONED: ("ABANDON", "sla-breach"),
    FeedKind.TRANSFERRED: ("XFER", "accent"),
    FeedKind.SLA_BREACH: ("SLA", "sla-breach"),
    FeedKind.SL_BELOW_TARGET: ("SL<GOAL", "sla-breach"),
    FeedKind.DISCLOSURE_OVERDUE: ("NOTICE", "sla-warning"),
    FeedKind.CALLBACK_MISSED: ("CB MISS", "sla-warning"),
}


class LiveFeed(RichLog):
    """Missed offers, rejects, abandons, transfers, SLA breaches, calls whose
    recording notice is overdue and missed callbacks, one line each (never one
    widget per event). Every name in a line is literal text."""

    DEFAULT_CSS = """
    LiveFeed { height: 1fr; background: $surface; scrollbar-size-vertical: 1; }
    """

    def __init__(self, *, tz: tzinfo | None = None, id: str | None = None) -> None:
        super().__init__(max_lines=FEED_LINES, wrap=True, markup=False, highlight=False,
                         auto_scroll=True, min_width=16, id=id)
        self.tz = tz
        self.lines_written = 0

    def add_entries(self, entries: Iterable[FeedEntry]) -> None:
        for entry in entries:
            self.write(self.format_entry(entry), scroll_end=None)
            self.lines_written += 1

    def add_alerts(self, changes: Iterable[AlertChange]) -> None:
        for change in changes:
            self.write(self.format_alert(change), scroll_end=None)
            self.lines_written += 1

    def replay(self, entries: Iterable[FeedEntry],
               alerts: Iterable[AlertChange] = ()) -> None:
        """Rewrite from the floor's feed and the alerts, in time order (theme
        change: lines take the new colours)."""
        self.clear()
        merged: list[FeedEntry | AlertChange] = [*entries, *alerts]
        merged.sort(key=lambda e: e.at)  # stable: same-time lines keep their order
        for entry in merged[-FEED_LINES:]:
            if isinstance(entry, AlertChange):
                self.add_alerts([entry])
            else:
                self.add_entries([entry])

    def format_alert(self, change: AlertChange) -> Text:
        """`ALERT` when a threshold is breached, `CLEARED` (with how long it lasted)
        when it no longer is."""
        v = self.app.theme_variables
        when = datetime.fromtimestamp(change.at, self.tz or UTC).strftime("%H:%M:%S")
        line = Text(overflow="fold")
        line.append(when, style=theme_style(v, "muted-foreground"))
        line.append(" ")
        if change.raised:
            line.append(f"{'ALERT':<7}", style=theme_style(v, "sla-breach", bold=True))
            line.append(" ")
            line.append(describe(change.alert), style=theme_style(v, "sla-breach"))
        else:
            line.append(f"{'CLEARED':<7}", style=theme_style(v, "sla-ok", bold=True))
            line.append(" ")
            line.append(describe(change.alert))
            line.append(f" · cleared after {fmt_duration(change.at - change.alert.since)}",
                        style=theme_style(v, "muted-foreground"))
        return line

    def format_entry(self, entry: FeedEntry) -> Text:
        v = self.app.theme_variables
        label, var = KIND_LABEL[entry.kind]
        when = datetime.fromtimestamp(entry.at, self.tz or UTC).strftime("%H:%M:%S")
        line = Text(overflow="fold")
        line.append(when, style=theme_style(v, "muted-foreground"))
        line.append(" ")
        line.append(f"{label:<7}", style=theme_style(v, var, bold=True))
        line.append(" ")
        if entry.channel is not None:
            line.append(CHANNEL_GLYPH[entry.channel], style=theme_style(v, f"channel-{entry.channel.value}"))
            line.append(" ")
        muted = theme_style(v, "muted-foreground")
        if entry.kind is FeedKind.SL_BELOW_TARGET:
            line.append(entry.queue_name, style=theme_style(v, None, bold=True))
            line.append(f" SL {entry.value or 0:.0f}% < goal {entry.target or 0:.0f}%")
            return line
        line.append(entry.customer_name or entry.interaction_id)
        if entry.kind is FeedKind.DISCLOSURE_OVERDUE:
            line.append(" recording notice not confirmed", style=muted)
        elif entry.kind is FeedKind.CALLBACK_MISSED:
            due = datetime.fromtimestamp(entry.value or entry.at, self.tz or UTC).strftime("%H:%M")
            line.append(f" callback {due} missed", style=muted)
        if entry.kind is FeedKind.SLA_BREACH:
            line.append(f" waiting > {fmt_duration(entry.target)}", style=muted)
        elif entry.kind is FeedKind.ABANDONED:
            line.append(f" after {fmt_duration(entry.value)}", style=muted)
        if entry.agent_name and entry.kind in (FeedKind.MISSED, FeedKind.REJECTED,
                                               FeedKind.TRANSFERRED, FeedKind.DISCLOSURE_OVERDUE,
                                               FeedKind.CALLBACK_MISSED):
            line.append(" from " if entry.kind is FeedKind.TRANSFERRED else
                        " · " if entry.kind is FeedKind.DISCLOSURE_OVERDUE else " by ", style=muted)
            line.append(entry.agent_name)
        if entry.queue_name:
            line.append(" · ", style=muted)
            line.append(entry.queue_name, style=muted)
        if entry.kind is FeedKind.CALLBACK_MISSED:
            line.append(" · back in the queue for anyone", style=muted)
        return line
