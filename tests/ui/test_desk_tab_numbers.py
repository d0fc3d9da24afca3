"""Issue 14 item 10: alt+N keeps pointing at the same interaction when the tabs
are sorted by urgency (numbers follow arrival), and the sort choice is kept."""

from __future__ import annotations

from dataclasses import replace

from agentdesk.config import load_settings
from agentdesk.domain import session as S
from agentdesk.ui.launch import persist_sort
from agentdesk.ui.widgets.tabs.interaction_tabs import InteractionTabs


async def test_alt_number_targets_the_same_interaction_under_urgency_sort(desk_factory):
    async with desk_factory() as desk:
        first = await desk.accepted("chat", text="first")
        second = await desk.accepted("chat", text="second")
        third = await desk.offer("chat", text="third")  # an offer: most urgent
        screen = desk.screen
        saved: list[bool] = []
        screen.services = replace(screen.services, on_sort_change=saved.append)
        await desk.pilot.press("alt+u")
        await desk.settle()
        assert screen.sort_by_urgency and saved == [True]
        arrival = S.arrival_order(screen.state)
        assert arrival == [first, second, third]
        assert screen.tab_order() != arrival  # the sort did reorder the bar
        tabs = screen.query_one(InteractionTabs)
        for number, iid in enumerate(arrival, start=1):
            assert tabs.interaction_for(number) == iid
            await desk.pilot.press(f"alt+{number}")
            await desk.until(lambda iid=iid: screen.active_id == iid, what=f"alt+{number} -> {iid}")


def test_the_sort_choice_is_written_to_the_config(tmp_path):
    path = tmp_path / "config.toml"
    path.write_text("# mine\n[ui]\ntheme = \"agentdesk-dark\"\n", encoding="utf-8")
    loaded = load_settings(path)
    persist_sort(loaded)(True)
    assert load_settings(path).settings.ui.sort_tabs_by_urgency is True
    assert "# mine" in path.read_text(encoding="utf-8")
