"""Partial frames render only the lines that changed, and draw the same thing.

`textual_compat.CroppedCompositor`: Textual re-renders every widget under the
rectangle around all changes at its full height; the desk's compositor renders
each widget on the changed lines only. What reaches the terminal (each changed
span) must match a full render of the screen."""

from __future__ import annotations

from textual.app import App, ComposeResult
from textual.containers import Horizontal
from textual.widgets import Static

from agentdesk.ui.textual_compat import cropped_compositor as compat


class Layout(App):
    CSS = """
    #top, #bottom { height: 1; }
    Horizontal { height: 1fr; }
    #left, #right { width: 1fr; height: 1fr; }
    """

    def compose(self) -> ComposeResult:
        yield Static("top line", id="top")
        with Horizontal():
            yield Static("\n".join(f"left {i}" for i in range(18)), id="left")
            yield Static("right side", id="right")
        yield Static("bottom line", id="bottom")


def _span_texts(update, width: int) -> dict[tuple[int, int, int], str]:
    """The text each changed span writes (chops placed at their cut offsets)."""
    out = {}
    for y, x1, x2 in update.spans:
        cells = [" "] * width
        for x, strip in update.chops[y].items():
            if strip is not None:
                cells[x:x + len(strip.text)] = strip.text
        out[(y, x1, x2)] = "".join(cells[x1:x2])
    return out


async def _frames_after(app: App, pilot, change) -> tuple[list, list[str]]:
    await pilot.pause()  # the first frames are drawn
    compositor = app.screen._compositor
    updates: list = []
    stock = compositor.render_partial_update

    def spy():
        update = stock()
        if update is not None:
            updates.append(update)
        return update

    compositor.render_partial_update = spy
    rendered: list[str] = []
    for widget in app.screen.query(Static):
        def counting(crop, widget=widget, real=widget.render_lines):
            rendered.append(widget.id or "")
            return real(crop)
        widget.render_lines = counting
    change()
    await pilot.pause()
    await pilot.pause()
    return updates, rendered


async def test_a_change_at_top_and_bottom_renders_those_lines_only_and_matches_a_full_render():
    app = Layout()
    async with app.run_test(size=(40, 20)) as pilot:
        compat.crop_partial_frames(app.screen)
        assert type(app.screen._compositor) is compat.CroppedCompositor

        def change():
            app.query_one("#top", Static).update("top CHANGED")
            app.query_one("#bottom", Static).update("bottom CHANGED")

        updates, rendered = await _frames_after(app, pilot, change)
        assert updates, "no partial frame was drawn"
        lines = {y for update in updates for y, _, _ in update.spans}
        assert lines == {0, 19}, [u.spans for u in updates]
        # the middle widgets lie between the two changes: not rendered at all
        assert "left" not in rendered and "right" not in rendered
        full = [strip.text for strip in app.screen._compositor.render_strips()]
        for (y, x1, x2), text in _span_texts(updates[-1], 40).items():
            assert text == full[y][x1:x2]
        assert "top CHANGED" in full[0] and "bottom CHANGED" in full[19]


async def test_a_change_beside_another_widget_draws_the_same_as_a_full_render():
    app = Layout()
    async with app.run_test(size=(40, 20)) as pilot:
        compat.crop_partial_frames(app.screen)

        def change():
            app.query_one("#right", Static).update("right\nnow\nthree lines")
            app.query_one("#left", Static).update("\n".join(f"LEFT {i}" for i in range(18)))

        updates, _ = await _frames_after(app, pilot, change)
        assert updates
        full = [strip.text for strip in app.screen._compositor.render_strips()]
        texts = _span_texts(updates[-1], 40)
        assert {y for y, _, _ in texts} == set(range(1, 19))
        for (y, x1, x2), text in texts.items():
            assert text == full[y][x1:x2]
        assert "LEFT 0" in full[1] and "three lines" in full[3]


def test_changed_spans_become_rectangles():
    spans = [(0, 0, 40), (3, 0, 10), (4, 0, 10), (4, 20, 30), (5, 0, 10), (7, 0, 10)]
    assert sorted(compat._changed_rows(spans)) == sorted(
        [(0, 40, 0, 1), (0, 10, 3, 6), (20, 30, 4, 5), (0, 10, 7, 8)])


async def test_a_screen_with_another_compositor_is_left_alone():
    app = Layout()
    async with app.run_test(size=(40, 20)):
        screen = app.screen

        class Other(type(screen._compositor)):
            pass

        screen._compositor.__class__ = Other
        compat.crop_partial_frames(screen)
        assert type(screen._compositor) is Other
