"""The monitor against the real mock server: the boards follow the simulation,
the figures equal the server's, the drill-down follows a live call transcript,
watching marks nothing read and is audited, hostile strings stay inert."""

from __future__ import annotations

import json
import sys
from pathlib import Path

from rich.text import Text

sys.path[:0] = [str(Path(__file__).parent), str(Path(__file__).parents[1] / "data")]

import hostile  # noqa: E402  (tests/data)
from test_monitor_harness import open_monitor, supervisor_get  # noqa: E402

from agentdesk.domain.models import Channel, TimelineKind  # noqa: E402
from agentdesk.testing.mockserver import DemoClient  # noqa: E402
from agentdesk.ui.glyphs import PRESENCE_LABEL  # noqa: E402
from agentdesk.ui.monitor.agent_board import STATE_SHORT, AgentBoard  # noqa: E402
from agentdesk.ui.monitor.cells import fmt_hms, fmt_pct  # noqa: E402
from agentdesk.ui.monitor.drilldown_screen import DrilldownScreen  # noqa: E402
from agentdesk.ui.monitor.live_feed import LiveFeed  # noqa: E402
from agentdesk.ui.monitor.monitor_app import MonitorApp  # noqa: E402
from agentdesk.ui.monitor.queue_board import QueueBoard, sub_key  # noqa: E402
from agentdesk.ui.widgets.timeline.timeline import Timeline  # noqa: E402


def plain(table, row: str, column: str) -> str:
    value = table.get_cell(row, column)
    assert isinstance(value, Text), f"cell {row}/{column} is {type(value).__name__}, not Text"
    return value.plain.strip()


def board_matches_server(board: AgentBoard, agents: list[dict]) -> bool:
    for agent in agents:
        if agent["id"] not in board.rows:
            return False
        state = STATE_SHORT[type(board.floor.agents[agent["id"]].routing_state)(
            agent["routing_state"])]
        if plain(board, agent["id"], "state") != state:
            return False
    return True


async def test_boards_follow_the_simulation_and_equal_server_metrics() -> None:
    # Tall enough for all 30 agent rows under the expanded queues board (rows out of
    # view are only brought up to date when scrolled to).
    async with open_monitor(agents=30, warmup_s=60, size=(120, 60)) as mon:
        board = mon.app.screen.query_one(AgentBoard)
        queues = mon.app.screen.query_one(QueueBoard)
        assert board.row_count == 30
        assert len(mon.app.floor.queues) == 4
        # Room for it: every multi-channel queue (3 of them, 4 channels each) is expanded.
        assert queues.row_count == 4 + 3 * 4
        before = {a: plain(board, a, "state") for a in board.rows_keys()}
        await mon.advance(900)  # 15 simulated minutes of traffic worked by 30 bots
        agents = (await supervisor_get(mon.server.url, "/v1/agents"))["agents"]
        await mon.until(lambda: board_matches_server(board, agents), what="agents board = server")
        after = {a: plain(board, a, "state") for a in board.rows_keys()}
        assert after != before, "the board did not move with the simulation"
        for agent in agents:
            presence = PRESENCE_LABEL[type(mon.app.floor.agents[agent["id"]].presence)(
                agent["presence"])]
            assert plain(board, agent["id"], "presence") == presence
        # Time in state is measured against the (frozen) floor clock.
        some = agents[0]
        assert plain(board, some["id"], "since") == fmt_hms(
            mon.clock.now - some["routing_since"], 99)

        stats = (await supervisor_get(mon.server.url, "/v1/stats"))["stats"]
        await mon.until(lambda: mon.app.floor.stats_at == stats["at"], what="latest stats")
        await mon.flushed()
        answered = 0
        for qs in stats["queues"]:
            qid = qs["queue_id"]
            assert plain(queues, qid, "sl") == fmt_pct(qs["sl_pct"])
            assert plain(queues, qid, "asa") == fmt_hms(qs["asa_s"])
            assert plain(queues, qid, "aht") == fmt_hms(qs["aht_s"])
            assert plain(queues, qid, "abandon") == fmt_pct(qs["abandon_pct"])
            assert plain(queues, qid, "waiting") == str(qs["waiting"])
            assert plain(queues, qid, "available") == str(qs["agents"].get("available", 0))
            answered += qs["answered"]
            # The channel rows show the server's per-channel figures, same formatting.
            channels = qs["channels"]
            assert len(channels) in (0, 4)
            for cs in channels:
                row = sub_key(qid, Channel(cs["channel"]))
                assert plain(queues, row, "sl") == fmt_pct(cs["sl_pct"])
                assert plain(queues, row, "asa") == fmt_hms(cs["asa_s"])
                assert plain(queues, row, "aht") == fmt_hms(cs["aht_s"])
                assert plain(queues, row, "abandon") == fmt_pct(cs["abandon_pct"])
                assert plain(queues, row, "waiting") == str(cs["waiting"])
                assert plain(queues, row, "available") == str(cs["agents"]["available"])
                assert plain(queues, row, "busy") == str(cs["agents"]["busy"])
                assert plain(queues, row, "acw") == ""  # not a per-channel state
            if channels:
                assert sum(c["answered"] for c in channels) == qs["answered"]
                assert sum(c["abandoned"] for c in channels) == qs["abandoned"]
        assert answered > 0, "the seeded run answered nothing: the comparison proves little"


async def test_sort_and_filter_agents_board() -> None:
    async with open_monitor(agents=12, warmup_s=120) as mon:
        screen = mon.app.screen
        board = screen.query_one(AgentBoard)
        names = [board.floor.agents[k].name for k in board.rows_keys()]
        assert names[:3] == ["Agent 1", "Agent 2", "Agent 3"]  # natural order
        await mon.pilot.press("r")
        assert [board.floor.agents[k].name for k in board.rows_keys()][0] == "Agent 12"
        await mon.pilot.press("r", "s")  # by state
        assert board.sort_label.startswith("state")
        await mon.pilot.press("slash")
        await mon.pilot.press(*"agent 1")
        await mon.settle()
        assert set(board.rows_keys()) == {"agent1", "agent10", "agent11", "agent12"}
        await mon.pilot.press("enter")  # back to the board
        assert board.has_focus
        await mon.pilot.press("escape")  # clear
        await mon.settle()
        assert board.row_count == 12
        screen.set_filter_text("state:busy")
        await mon.settle()
        busy = {a.id for a in board.floor.agents.values() if a.routing_state.value == "busy"}
        assert set(board.rows_keys()) == busy
        # Rows enter and leave the filter as the floor moves.
        await mon.advance(300)
        await mon.flushed()
        busy = {a.id for a in board.floor.agents.values() if a.routing_state.value == "busy"}
        assert set(board.rows_keys()) == busy
        screen.set_filter_text("queue:email")
        await mon.settle()
        assert set(board.rows_keys()) == {a.id for a in board.floor.agents.values()
                                          if "email" in a.queues}


async def test_drilldown_follows_a_live_call_transcript_and_is_audited() -> None:
    async with open_monitor(agents=3, traffic=False) as mon:
        iid = await mon.sim.new_contact("voice")
        await mon.advance(10, step=2)  # a bot accepts within 2-6 s
        await mon.until(lambda: (ix := mon.app.floor.interactions.get(iid)) is not None
                        and ix.agent_id is not None and ix.state.value == "active",
                        what="call accepted by a bot")
        agent_id = mon.app.floor.interactions[iid].agent_id
        await mon.pilot.press("2")
        board = mon.app.screen.query_one(AgentBoard)
        board.move_cursor(row=board.get_row_index(agent_id))
        await mon.pilot.press("enter")
        await mon.until(lambda: isinstance(mon.app.screen, DrilldownScreen)
                        and mon.app.screen.ready, what="drill-down")
        screen = mon.app.screen
        assert screen.interaction_id == iid
        timeline = screen.query_one(Timeline)
        await mon.until(lambda: not screen._loading and timeline.items, what="timeline loaded")
        before = sum(1 for it in timeline.items if it.kind is TimelineKind.TRANSCRIPT)
        await mon.advance(20, step=4)  # a segment every 4 s
        await mon.until(lambda: sum(1 for it in timeline.items if it.kind is
                                    TimelineKind.TRANSCRIPT) >= before + 3,
                        what="live transcript segments")
        assert "connected" in str(screen.query_one("#dd-call").render())
        # No composer, nothing to type into.
        assert not screen.query("Input, TextArea")
        audit = (await supervisor_get(mon.server.url, "/v1/audit"))["entries"]
        customer_id = mon.app.floor.interactions[iid].customer_id
        assert any(e["path"].startswith(f"/v1/customers/{customer_id}/timeline") for e in audit)
        await mon.pilot.press("escape")
        assert not isinstance(mon.app.screen, DrilldownScreen)


async def test_watching_marks_nothing_read() -> None:
    async with open_monitor(agents=2, bots=0, traffic=False) as mon:
        agent = DemoClient(mon.server.url, "agent1")
        try:
            agent.available()
            iid = await mon.sim.new_contact("chat", text="first")
            await mon.advance(1, step=1)
            assert agent.act(iid, "accept").status_code == 200
            await mon.sim.customer_message(iid, "second")
            await mon.sim.customer_message(iid, "third")
            unread = agent.interaction(iid)["unread"]
            assert unread >= 2
            await mon.until(lambda: (ix := mon.app.floor.interactions.get(iid)) is not None
                            and ix.agent_id == "agent1", what="accepted on the floor")
            screen = await mon.drilldown("agent1")
            timeline = screen.query_one(Timeline)
            await mon.until(lambda: any(it.body == "third" for it in timeline.items),
                            what="messages shown")
            await mon.sim.customer_message(iid, "fourth")
            await mon.until(lambda: any(it.body == "fourth" for it in timeline.items),
                            what="live message")
            await mon.settle(0.3)
            assert agent.interaction(iid)["unread"] == unread + 1  # only the new message
        finally:
            agent.close()


class CanaryMonitor(MonitorApp):
    fired: list[str] = []

    def action_quit(self) -> None:  # type: ignore[override]
        CanaryMonitor.fired.append("quit")

    def action_bell(self) -> None:
        CanaryMonitor.fired.append("bell")


def _hostile_scenario(tmp: Path, names: list[str]) -> str:
    lines = []
    for n, name in enumerate(names[:4]):
        lines += ["[[queues]]", f'id = "q{n}"', f"name = {json.dumps(name)}",
                  'channels = ["chat", "sms", "social", "voice", "email"]',
                  'skills = ["tech", "billing", "sales", "account"]', ""]
    path = tmp / "hostile.toml"
    path.write_text("\n".join(lines), encoding="utf-8")
    return str(path)


async def test_hostile_names_and_messages_stay_text(tmp_path: Path) -> None:
    def encodable(s: str) -> bool:
        try:
            s.encode("utf-8")
            return True
        except UnicodeEncodeError:
            return False

    short = [s for s in hostile.HOSTILE_SHORT if encodable(s) and s.strip()]
    scenario = _hostile_scenario(tmp_path, short)

    def poison(server) -> None:
        sim = server.server.sim
        for n, agent in enumerate(sim.agents.values()):
            agent.name = short[n % len(short)]
        for n, customer in enumerate(sim.customers.customers.values()):
            customer.name = short[(n + 3) % len(short)]

    CanaryMonitor.fired = []
    async with open_monitor(agents=6, traffic=False, scenario=scenario, before=poison,
                            app_factory=lambda b, **kw: CanaryMonitor(b, **kw)) as mon:
        ids = [await mon.sim.new_contact(ch) for ch in ("chat", "sms", "voice", "chat")]
        await mon.advance(10, step=2)
        for iid in ids:
            for text in short[:8]:
                try:
                    await mon.sim.customer_message(iid, text)
                except Exception:
                    break
        await mon.flushed()
        agent_id = next((a for a in mon.app.floor.agents
                         if mon.app.floor.agent_interactions(a)), "agent1")
        await mon.drilldown(agent_id)
        for y in range(0, 38, 4):
            for x in (5, 60):
                await mon.pilot.click(offset=(x, y))
        await mon.pilot.press("escape")
        for iid in ids[:1]:
            await mon.sim.end(iid)
        await mon.advance(120, step=10)
        await mon.flushed()
        # Click all over the wallboard: names rendered literally carry no actions
        # (a click on the highlighted agent row opens its drill-down: go back).
        for y in range(0, 38, 3):  # not the footer: its keys are real actions
            for x in (3, 40, 100):
                await mon.pilot.click(offset=(x, y))
                if isinstance(mon.app.screen, DrilldownScreen):
                    await mon.pilot.press("escape")
        assert mon.app.screen is mon.app.wallboard
        # The palette lists queue names: literal there too.
        await mon.pilot.press("ctrl+p")
        await mon.settle(0.2)
        await mon.pilot.press(*"monitor: filter queue")
        await mon.settle(0.5)
        for y in range(2, 20, 2):
            await mon.pilot.hover(offset=(40, y))
        await mon.pilot.press("escape", "escape")
        await mon.settle()
        assert CanaryMonitor.fired == []
        assert mon.app.is_running
        feed = mon.app.wallboard.query_one(LiveFeed)
        assert feed.lines_written >= 0
