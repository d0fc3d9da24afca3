"""The wall layout (`agentdesk monitor --wall`, `w` on the wallboard): a few huge
figures per queue, readable from across the room, coloured by alert state,
tiled to fit the terminal. Read-only like the rest: keys only navigate."""

from __future__ import annotations

import math
from collections.abc import Sequence
from typing import TYPE_CHECKING

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Grid
from textual.screen import Screen
from textual.widgets import Footer

from agentdesk.domain.alerts import AlertChange
from agentdesk.domain.floor import Dirty
from agentdesk.ui.monitor.monitor_header import LinkBanner, MonitorHeader
from agentdesk.ui.monitor.wall_tile import WallTile

if TYPE_CHECKING:
    from agentdesk.ui.monitor.monitor_app import MonitorApp

MIN_TILE_W = 36  # cells: two huge figures side by side


def grid_shape(queues: int, width: int) -> tuple[int, int]:
    """(columns, rows) of the tiles: as few rows as the width allows, then the
    columns evened out (4 queues on 3 possible columns: 2 x 2, not 3 + 1)."""
    if queues <= 0:
        return 1, 1
    most = max(1, min(queues, width // MIN_TILE_W))
    rows = math.ceil(queues / most)
    return math.ceil(queues / rows), rows


class WallScreen(Screen[None]):
    DEFAULT_CSS = """
    WallScreen { layout: vertical; }
    WallScreen #wall-grid { height: 1fr; grid-gutter: 0 1; }
    """

    BINDINGS = [
        Binding("w", "app.pop_screen", "Wallboard", id="wall-back"),
        Binding("escape", "app.pop_screen", "Wallboard", show=False, id="wall-back-escape"),
        Binding("f10", "app.quit", "Quit", id="wall-quit"),
        Binding("q", "app.quit", "Quit", show=False, id="wall-quit-q"),
    ]

    ready = False

    @property
    def monitor_app(self) -> MonitorApp:
        return self.app  # type: ignore[return-value]

    def compose(self) -> ComposeResult:
        app = self.monitor_app
        yield MonitorHeader(hidden=app.hidden, id="wall-header")
        yield LinkBanner(id="wall-banner")
        with Grid(id="wall-grid"):
            for queue_id in app.floor.queues:
                yield WallTile(app.floor, app.alerts, queue_id, app.hidden)
        yield Footer()

    def on_mount(self) -> None:
        self._fit()
        self.ready = True
        self.show_link(self.monitor_app.link_state)
        self._update_header()

    def on_resize(self) -> None:
        self._fit()

    def _fit(self) -> None:
        cols, rows = grid_shape(len(self.query(WallTile)), self.size.width)
        grid = self.query_one("#wall-grid", Grid)
        grid.styles.grid_size_columns = cols
        grid.styles.grid_size_rows = rows
        self.query_one(MonitorHeader).compact = self.size.width < 100

    @property
    def shape(self) -> tuple[int, int]:
        grid = self.query_one("#wall-grid", Grid)
        return grid.styles.grid_size_columns or 1, grid.styles.grid_size_rows or 1

    def apply_dirty(self, dirty: Dirty, *, tick: bool,
                    alerts: Sequence[AlertChange] = ()) -> None:
        floor = self.monitor_app.floor
        tiles = list(self.query(WallTile))
        if dirty.reloaded and [t.queue_id for t in tiles] != list(floor.queues):
            self.refresh(recompose=True)  # the queues themselves changed
            self.call_after_refresh(self._fit)
            return
        if tick or dirty.reloaded or alerts or dirty.queues:
            for tile in tiles:
                tile.refresh_figures()
        self._update_header()

    def show_link(self, state: str) -> None:
        app = self.monitor_app
        self.query_one(MonitorHeader).show(link=state, note=app.link_note)
        self.query_one(LinkBanner).show(state, detail=app.link_detail,
                                        auth_message=app.auth_message)

    def _update_header(self) -> None:
        app = self.monitor_app
        self.query_one(MonitorHeader).show(user=app.user_name, link=app.link_state,
                                           totals=app.floor.totals(), note=app.link_note,
                                           alerts=len(app.alerts))
