"""One queue on the wall screen: its name and four huge figures (service level,
contacts waiting, longest wait, agents available), each coloured by its level,
the tile's border by the queue's alert state."""

from __future__ import annotations

from textual.app import ComposeResult
from textual.containers import Grid, Vertical
from textual.widgets import Digits, Label

from agentdesk.domain.alerts import AlertBook
from agentdesk.domain.floor import Floor
from agentdesk.ui.monitor.cells import fmt_duration, sl_level, wait_level

LEVELS = ("-ok", "-warning", "-breach")
FIGURES = (("sl", "SL %"), ("waiting", "waiting"), ("longest", "longest wait"),
           ("available", "available"))
WIDE_TILE = 64  # cells: the four figures side by side from this width, else 2 x 2


def wall_figures(floor: Floor, alerts: AlertBook | None,
                 queue_id: str) -> dict[str, tuple[str, str | None]]:
    """key -> (what the Digits show, level variable or None). Digits have no %
    or dash: no data is "-", the % is in the label."""
    queue = floor.queues.get(queue_id)
    stats = floor.queue_stats.get(queue_id)
    alerted = {a.column for a in alerts.queue_alerts(queue_id)} if alerts is not None else set()
    sl = stats.sl_pct if stats is not None else None
    waiting = stats.waiting if stats is not None else 0
    longest = floor.longest_wait(queue_id) if waiting else 0.0
    available = stats.agents.get("available", 0) if stats is not None else 0

    def level(column: str, own: str | None) -> str | None:
        return "sla-breach" if column in alerted else own

    return {
        "sl": ("-" if sl is None else f"{sl:.0f}", level("sl", sl_level(queue, stats))),
        "waiting": (str(waiting), level("waiting", "sla-warning" if waiting else "sla-ok")),
        "longest": (fmt_duration(longest) if longest > 0 else "0:00",
                    level("longest", wait_level(queue, longest) or "sla-ok")),
        "available": (str(available), "sla-ok" if available else "sla-warning"),
    }


def tile_id(queue_id: str) -> str:
    """A widget id for a queue: queue ids may hold what ids may not (Chatwoot's
    `inbox:1`), so anything but letters, digits, `-` and `_` becomes `_`, and a
    hash of the id keeps two such ids apart."""
    import hashlib
    import re

    safe = re.sub(r"[^A-Za-z0-9_-]", "_", queue_id)
    if safe == queue_id:
        return f"wall-{queue_id}"
    return f"wall-{safe}-{hashlib.sha1(queue_id.encode()).hexdigest()[:6]}"


class WallTile(Vertical):
    DEFAULT_CSS = """
    WallTile { border: round $panel; padding: 0 1; height: 1fr; width: 1fr;
               align-vertical: middle; }
    WallTile.-alert { border: heavy $sla-breach; background: $sla-breach 15%; }
    WallTile > .wall-name { width: 1fr; text-style: bold; color: $foreground; }
    WallTile > .wall-name.-alert { color: $sla-breach; }
    WallTile > Grid { grid-size: 2; grid-gutter: 0 2; height: auto; }
    WallTile.-wide > Grid { grid-size: 4; }
    WallTile .wall-figure { height: auto; width: 1fr; }
    WallTile .wall-figure Digits { width: auto; }
    WallTile .wall-figure Label { color: $muted-foreground; }
    WallTile .-ok Digits { color: $sla-ok; }
    WallTile .-warning Digits { color: $sla-warning; }
    WallTile .-breach Digits { color: $sla-breach; text-style: bold; }
    """

    def __init__(self, floor: Floor, alerts: AlertBook | None, queue_id: str,
                 hidden: frozenset[str] = frozenset()) -> None:
        super().__init__(id=tile_id(queue_id))
        self.floor = floor
        self.alerts = alerts
        self.queue_id = queue_id
        # Figures the backend cannot give (no SL on Chatwoot): no tile figure at all.
        self.figures = tuple((key, label) for key, label in FIGURES if key not in hidden)

    def compose(self) -> ComposeResult:
        queue = self.floor.queues.get(self.queue_id)
        yield Label(queue.name if queue else self.queue_id, classes="wall-name", markup=False)
        with Grid():
            for key, label in self.figures:
                with Vertical(classes="wall-figure", id=f"fig-{key}"):
                    yield Digits("")
                    yield Label(label, markup=False)

    def on_mount(self) -> None:
        self.refresh_figures()

    def on_resize(self) -> None:
        self.set_class(self.size.width >= WIDE_TILE, "-wide")

    def refresh_figures(self) -> None:
        figures = wall_figures(self.floor, self.alerts, self.queue_id)
        for key, (text, var) in figures.items():
            if key not in dict(self.figures):
                continue
            box = self.query_one(f"#fig-{key}", Vertical)
            box.query_one(Digits).update(text)
            wanted = {"sla-breach": "-breach", "sla-warning": "-warning"}.get(var or "", "-ok")
            for cls in LEVELS:
                box.set_class(cls == wanted, cls)
        alerted = bool(self.alerts and self.alerts.queue_alerts(self.queue_id))
        self.set_class(alerted, "-alert")
        self.query_one(".wall-name", Label).set_class(alerted, "-alert")

    def shown(self) -> dict[str, str]:
        """What the figures show now (tests, screenshots)."""
        return {key: str(self.query_one(f"#fig-{key}", Vertical).query_one(Digits).value)
                for key, _ in self.figures}
