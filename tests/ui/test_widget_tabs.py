"""Tab bar at real widths: every tab in view, names cut (never the number,
glyph or countdown), stable numbers while the display is sorted."""

from __future__ import annotations

import sys
from pathlib import Path

sys.path[:0] = [str(Path(__file__).parent), str(Path(__file__).parents[1] / "data")]

from widget_harness import T0, WidgetApp  # noqa: E402

from agentdesk.domain.enums import Channel, InteractionState  # noqa: E402
from agentdesk.ui.widgets.tabs.interaction_tab import TabInfo  # noqa: E402
from agentdesk.ui.widgets.tabs.interaction_tabs import InteractionTabs  # noqa: E402

NAMES = ["Alfie Wright-Henderson", "Beatrice Okonkwo-Smith", "Charlotte Vanderbilt",
         "Dmitri Alexandrovich", "Eleanor Fitzgerald"]
CHANNELS = [Channel.CHAT, Channel.EMAIL, Channel.SMS, Channel.VOICE, Channel.SOCIAL]


def infos() -> dict[str, TabInfo]:
    return {f"i{n}": TabInfo(f"i{n}", CHANNELS[n], NAMES[n], InteractionState.ACTIVE, unread=n,
                             deadline_kind="reply", deadline=T0 + 236 + n) for n in range(5)}


def tab_row(app: WidgetApp) -> str:
    return app.screen._compositor.render_strips()[0].text


async def test_five_tabs_fit_120_columns_with_the_sort_label() -> None:
    """Issue 14 item 10: tab 1 is never pushed off the left; labels never touch."""
    app = WidgetApp(lambda: InteractionTabs(id="tabs"))
    async with app.run_test(size=(120, 5)) as pilot:
        bar = app.query_one(InteractionTabs)
        tabs = infos()
        bar.set_sort_label(True)
        bar.set_tabs(list(tabs), tabs, T0)
        await pilot.pause()
        bar.set_active("i4")
        await pilot.pause()
        row = tab_row(app)
        for n in range(1, 6):
            assert f"{n} " in row
        assert row.lstrip().startswith("1 ◆ Alfi") and "5 # Ele" in row
        assert "3:56" in row and "4:00" in row  # countdowns kept whole
        assert "4:00   " in row and row.rstrip().endswith("│ by urgency")  # a gap before the label


async def test_sorted_display_keeps_arrival_numbers() -> None:
    """Issue 14 item 10: sorting moves tabs, not their numbers (alt+N keeps its target)."""
    app = WidgetApp(lambda: InteractionTabs(id="tabs"))
    async with app.run_test(size=(160, 5)) as pilot:
        bar = app.query_one(InteractionTabs)
        tabs = infos()
        arrival = {iid: n for n, iid in enumerate(tabs, start=1)}
        bar.set_tabs(["i3", "i0", "i4", "i1", "i2"], tabs, T0, numbers=arrival)
        await pilot.pause()
        row = tab_row(app)
        assert row.index("4 ☎ Dmitri") < row.index("1 ◆ Alfie") < row.index("5 # Eleanor")
        assert bar.interaction_for(4) == "i3" and bar.number_of("i0") == 1
        bar.set_tabs(["i0", "i1", "i2", "i3", "i4"], tabs, T0)  # no numbers: positions
        assert bar.interaction_for(4) == "i3" and bar.number_of("i4") == 5


def test_an_unread_count_past_99_reads_99_plus_and_keeps_the_width() -> None:
    from agentdesk.ui.widgets.tabs.interaction_tab import tab_content

    def label(unread: int) -> str:
        info = TabInfo("i0", Channel.CHAT, "Ann", InteractionState.ACTIVE, unread=unread)
        return tab_content(info, 1, T0).plain

    assert label(7).endswith("Ann (7)")
    assert label(99).endswith("Ann (99)")
    assert label(100).endswith("Ann (99+)")
    assert len(label(100)) == len(label(5000))  # no layout pass as a busy chat's count grows
