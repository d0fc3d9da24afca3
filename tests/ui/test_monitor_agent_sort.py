"""The agents board's sort columns: "↑" is ascending for every column ("time in
state ↑" lists the shortest first), "↓" the reverse, and ties fall back to the
name in natural order ("Agent 4" before "Agent 10") in both directions."""

from __future__ import annotations

from textual.app import App, ComposeResult

from agentdesk.domain.floor import Floor
from agentdesk.domain.models import (
    AgentInfo,
    AgentStats,
    Capacity,
    Presence,
    RoutingState,
    Stats,
)
from agentdesk.ui.monitor.agent_board import SORTS, AgentBoard, sorted_ids

NOW = 1_000_000.0


def _agent(n: int, *, in_state: float, used: int = 0,
           state: RoutingState = RoutingState.BUSY) -> AgentInfo:
    return AgentInfo(id=f"agent{n}", name=f"Agent {n}", presence=Presence.AVAILABLE,
                     routing_state=state, routing_since=NOW - in_state,
                     capacity=Capacity(used=used))


def _floor() -> Floor:
    # Agents 4, 10, 11, 12 tie on every figure; 1, 2, 3 differ.
    agents = [
        _agent(1, in_state=55, used=60),
        _agent(2, in_state=5, used=20),
        _agent(3, in_state=18, used=40),
        *(_agent(n, in_state=30, used=30) for n in (4, 10, 11, 12)),
    ]
    stats = Stats(at=NOW, agents=[
        AgentStats(agent_id="agent1", handled=9, missed=2),
        AgentStats(agent_id="agent2", handled=1, missed=0),
        AgentStats(agent_id="agent3", handled=5, missed=1),
    ])
    floor = Floor()
    floor.load([], agents, stats, [], NOW)
    return floor


def _index(label: str) -> int:
    return next(i for i, (name, _) in enumerate(SORTS) if name == label)


TIES = ["agent4", "agent10", "agent11", "agent12"]


def test_every_sort_column_is_ascending_with_natural_name_ties() -> None:
    floor = _floor()
    ids = list(floor.agents)

    def order(label: str, reverse: bool = False) -> list[str]:
        return sorted_ids(floor, ids, _index(label), reverse)

    # time in state: 0:05, 0:18, 0:30 x4, 0:55
    assert order("time in state") == ["agent2", "agent3", *TIES, "agent1"]
    assert order("time in state", True) == ["agent1", *TIES, "agent3", "agent2"]
    assert order("capacity") == ["agent2", *TIES, "agent3", "agent1"]
    assert order("capacity", True) == ["agent1", "agent3", *TIES, "agent2"]
    # No stats counts as 0 handled / 0 missed.
    assert order("handled") == [*TIES, "agent2", "agent3", "agent1"]
    assert order("handled", True) == ["agent1", "agent3", "agent2", *TIES]
    assert order("missed") == ["agent2", *TIES, "agent3", "agent1"]
    assert order("missed", True) == ["agent1", "agent3", "agent2", *TIES]
    assert order("name") == ["agent1", "agent2", "agent3", "agent4", "agent10", "agent11",
                             "agent12"]
    assert order("name", True) == ["agent12", "agent11", "agent10", "agent4", "agent3",
                                   "agent2", "agent1"]
    assert order("login") == order("name")
    # state: same state, longest in it first; ties by name.
    assert order("state") == ["agent1", *TIES, "agent3", "agent2"]


class BoardApp(App[None]):
    def __init__(self, floor: Floor) -> None:
        super().__init__()
        self.floor = floor

    def compose(self) -> ComposeResult:
        yield AgentBoard(self.floor, id="board")

    def on_mount(self) -> None:
        self.query_one(AgentBoard).rebuild()


async def test_board_rows_follow_the_sort_and_its_direction() -> None:
    app = BoardApp(_floor())
    async with app.run_test(size=(120, 20)) as pilot:
        board = app.query_one(AgentBoard)
        await pilot.pause()
        board.set_sort("time in state")
        assert board.sort_label == "time in state ↑"
        assert board.rows_keys() == ["agent2", "agent3", *TIES, "agent1"]
        assert [board.get_cell(k, "since").plain.strip() for k in board.rows_keys()][:2] \
            == ["0:00:05", "0:00:18"]
        board.reverse_sort()
        assert board.sort_label == "time in state ↓"
        assert board.rows_keys() == ["agent1", *TIES, "agent3", "agent2"]
        assert not board._order_changed()
        board.set_sort("handled")
        assert board.rows_keys() == ["agent1", "agent3", "agent2", *TIES]
        board.reverse_sort()
        assert board.rows_keys() == [*TIES, "agent2", "agent3", "agent1"]
        assert not board._order_changed()
