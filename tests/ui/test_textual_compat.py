"""The private Textual names agentdesk touches are all still there.

If a Textual upgrade moves one, this fails with the list of what moved
(agentdesk/ui/textual_compat/ keeps working on its fallbacks meanwhile)."""

from __future__ import annotations

from agentdesk.ui import textual_compat as compat


def test_every_private_textual_name_we_use_still_exists():
    assert compat.missing() == []


def test_a_moved_name_is_reported_not_raised(monkeypatch):
    monkeypatch.setattr(compat, "PRIVATE_NAMES", (("textual.keys", "_no_such_name"),
                                                  ("textual._no_such_module", "X")))
    assert compat.missing() == ["textual.keys._no_such_name", "textual._no_such_module.X"]


def test_fallbacks_give_working_values():
    assert compat.character_to_key("/") == "slash"
    assert compat.character_to_key("a") == "a"
    assert compat.app_keymap(object()) == {}
    assert compat.active_app() is None  # no app runs in this test
    table = compat.ansi_sequences_table()
    assert table is not None and "\x1b[A" in table  # up arrow


async def test_the_running_app_and_its_keymap_are_found():
    from textual.app import App

    app = App()
    async with app.run_test():
        assert compat.active_app() is app
        app.set_keymap({"quit": "f12"})
        assert compat.app_keymap(app)["quit"] == "f12"


async def test_table_cells_change_in_place_and_a_foreign_table_is_refused():
    from rich.text import Text
    from textual.app import App, ComposeResult
    from textual.widgets import DataTable

    class One(App[None]):
        def compose(self) -> ComposeResult:
            table: DataTable[Text] = DataTable()
            table.add_column("x", key="x")
            table.add_row(Text("a"), key="r1")
            yield table

    app = One()
    async with app.run_test() as pilot:
        table = app.query_one(DataTable)
        await pilot.pause()
        assert compat.set_cells_in_place(table, [("r1", "x", Text("b"))]) is True
        assert str(table.get_cell("r1", "x")) == "b"
        assert compat.set_cells_in_place(object(), [("r1", "x", Text("c"))]) is False


def test_scroll_update_falls_back_to_the_public_setter():
    from textual.geometry import Size

    class Plain:
        virtual_size = Size(0, 0)

    widget = Plain()
    compat.scroll_update(widget, Size(10, 20))
    assert widget.virtual_size == Size(10, 20)


def test_the_frame_timer_replaces_only_a_stock_timer():
    from textual.timer import Timer

    class Target:
        pass

    assert compat.frame_timer_compatible()
    timer = compat.swap_in(Timer(Target(), 1 / 60, name="screen_update"))
    assert type(timer) is compat.FrameTimer
