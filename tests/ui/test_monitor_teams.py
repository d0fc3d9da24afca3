"""Teams and saved views: `[monitor.teams]` and `[monitor.views.NAME]` group the
agents board by team or queue, set its columns and its filter at start, for
the supervisor signed in; a bad entry is reported and left out."""

from __future__ import annotations

import sys
from pathlib import Path

sys.path[:0] = [str(Path(__file__).parent)]

from test_monitor_harness import open_monitor  # noqa: E402

from agentdesk.config import load_settings  # noqa: E402
from agentdesk.domain.teams import NO_TEAM, board_view  # noqa: E402
from agentdesk.ui.monitor.agent_board import COLUMNS, AgentBoard  # noqa: E402
from agentdesk.ui.monitor.filter_bar import FilterBar  # noqa: E402
from agentdesk.ui.monitor.launch_monitor import apply_view_settings, make_monitor_app  # noqa: E402

CONFIG = """
[monitor.teams]
north = "agent1, agent2, agent3"
south = "agent4,agent5"

[monitor.views.supervisor]
group = "team"
columns = "name, state, since, handled, bogus"
filter = "state:"

[monitor.views.other]
group = "floor"
"""


def _settings(tmp_path: Path):
    path = tmp_path / "config.toml"
    path.write_text(CONFIG, encoding="utf-8")
    loaded = load_settings(path, {})
    assert loaded.problems == []
    return loaded.settings.monitor


def test_views_are_read_and_checked(tmp_path: Path) -> None:
    monitor = _settings(tmp_path)
    keys = [k for k, _, _ in COLUMNS]
    view, problems = board_view(monitor, "supervisor", keys)
    assert view.group == "team" and view.columns == ("name", "state", "since", "handled")
    assert view.team_of == {"agent1": "north", "agent2": "north", "agent3": "north",
                            "agent4": "south", "agent5": "south"}
    assert problems == [f"monitor.views.supervisor.columns: unknown column 'bogus' "
                        f"(known: {', '.join(keys)})"]
    other, problems = board_view(monitor, "other", keys)
    assert other.group == "" and "'floor' is not team or queue" in problems[0]
    nobody, problems = board_view(monitor, "someone", keys)
    assert nobody.group == "" and not nobody.columns and problems == []


async def test_the_board_is_grouped_with_the_saved_columns_and_filter(tmp_path: Path) -> None:
    monitor = _settings(tmp_path)

    def factory(*args, **kwargs):
        app = make_monitor_app(*args, **kwargs)
        apply_view_settings(app, monitor, "supervisor")
        return app

    async with open_monitor(agents=8, warmup_s=60, app_factory=factory) as mon:
        board = mon.app.screen.query_one(AgentBoard)
        assert [k for k, _, _ in board.columns_spec] == ["group", "name", "state", "since",
                                                        "handled"]
        assert mon.app.screen.query_one(FilterBar).value == "state:"
        rows = board.rows_keys()
        groups = [board.get_cell(aid, "group").plain for aid in rows]
        # Every agent once, the groups together and in order, no team last.
        assert sorted(rows) == sorted(mon.app.floor.agents)
        assert groups == sorted(groups, key=lambda g: (g == NO_TEAM, g))
        assert groups[:3] == ["north"] * 3 and groups[3:5] == ["south"] * 2
        assert set(groups[5:]) == {NO_TEAM}
        # The sort still applies within each group.
        north = rows[:3]
        assert north == sorted(north, key=lambda a: int(a[5:]))
        assert board.virtual_size.width <= board.scrollable_content_region.width
        # The problems of the view join the one configuration toast.
        assert any("unknown column 'bogus'" in n.message for n in mon.app._notifications)


def test_grouping_by_queue_lists_each_agent_once_under_its_first_queue() -> None:
    from agentdesk.domain.models import AgentInfo
    from agentdesk.domain.teams import NO_QUEUE, BoardView

    view = BoardView(group="queue")
    names = {"support": "Technical support", "email": "Email care"}
    assert view.group_of(AgentInfo(id="a", name="A", queues=["email", "support"]),
                         names) == "Email care"
    assert view.group_of(AgentInfo(id="b", name="B", queues=[]), names) == NO_QUEUE
    assert BoardView().group_of(AgentInfo(id="c", name="C"), names) == ""
