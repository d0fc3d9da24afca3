"""LiveTable repaints exactly what changed: new values show, other cells keep
their cached renders, and markup in values stays literal."""

from __future__ import annotations

from rich.text import Text
from textual.app import App, ComposeResult

from agentdesk.ui.monitor.live_table import LiveTable


class TableApp(App[None]):
    def compose(self) -> ComposeResult:
        yield LiveTable(id="t")

    def on_mount(self) -> None:
        table = self.query_one(LiveTable)
        table.add_column(Text("A"), key="a", width=12)
        table.add_column(Text("B"), key="b", width=12)
        for n in range(30):
            table.add_row(Text(f"a{n}"), Text(f"b{n}"), key=f"r{n}")


def screen_text(app: App) -> str:
    table = app.query_one(LiveTable)
    return "\n".join(table.render_line(y).text for y in range(table.size.height))


async def test_set_cells_repaints_changed_cells_only() -> None:
    app = TableApp()
    async with app.run_test(size=(40, 12)) as pilot:
        table = app.query_one(LiveTable)
        await pilot.pause()
        assert "a3" in screen_text(app)
        cached_before = len(table._cell_render_cache)
        count_before = table._update_count
        n = table.set_cells([("r3", "a", Text("[b]NEW[/b]")), ("r5", "b", Text("changed"))])
        assert n == 2
        assert table._update_count == count_before  # no table-wide invalidation
        assert cached_before - 8 <= len(table._cell_render_cache) < cached_before  # others kept
        await pilot.pause()
        text = screen_text(app)
        assert "[b]NEW[/b]" in text and "changed" in text
        assert "a3" not in text.split() and "b5" not in text.split()
        assert "a4" in text and "b6" in text
        # Rows scrolled out of view and back render their current values.
        table.set_cells([("r25", "a", Text("far"))])
        table.scroll_end(animate=False)
        await pilot.pause()
        assert "far" in screen_text(app)
        table.sort("a", key=lambda cell: cell.plain, reverse=True)
        await pilot.pause()
        assert screen_text(app).rstrip().endswith("b3")  # "[b]NEW[/b]" sorts last, rendered new
