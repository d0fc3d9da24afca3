"""The desk crashes with unsent replies: nothing is lost, nothing is sent twice.

A real mock server in a subprocess (--db, manual clock) and the real desk app
(Pilot) with its outbox in a tmp store: the agent accepts a chat, the server
goes away (SIGKILL), the agent sends two replies from the composer (they wait in
the outbox), and the app dies without the sender's clean shutdown. The server
comes back on the same port and db; a new desk on the same store_path delivers
the two replies exactly once, in order, under the client_ids they were given.
"""

from __future__ import annotations

import asyncio
import sys
from datetime import UTC
from pathlib import Path
from urllib.parse import urlsplit

from agentdesk.backends.http import RetryPolicy
from agentdesk.backends.native import NativeBackend
from agentdesk.backends.sim_control import SimControl
from agentdesk.backends.stream import StreamPolicy
from agentdesk.domain.models import Direction, Presence
from agentdesk.store.outbox import OutboxKind, OutboxState
from agentdesk.testing.mockserver import SubprocessServer, spawn_server
from agentdesk.ui.app import AgentDeskApp, make_app

sys.path.insert(0, str(Path(__file__).parent))

from conftest import Desk, FrozenClock

ARGS = ("--manual-clock", "--agents", "3", "--bots", "0", "--no-traffic")
RETRY = RetryPolicy(attempts=2, base_delay=0.02, max_delay=0.1)
STREAM = StreamPolicy(ping_interval=1.0, dead_after=10.0, backoff_base=0.05, backoff_cap=0.3,
                      open_timeout=5.0, close_timeout=1.0)
REPLIES = ["First: I can see the order.", "Second: the refund is on its way."]


async def _spawn(*args: str) -> SubprocessServer:
    return await asyncio.to_thread(spawn_server, *args)


def _backend(url: str) -> NativeBackend:
    return NativeBackend(url, retry=RETRY, stream_policy=STREAM, timeout=2.0)


def _crash(app: AgentDeskApp) -> None:
    """Die like a killed process: the sender stops dead (no requeue, no flush, no
    last attempt), and the app's orderly shutdown of it becomes a no-op."""
    sender = app.sender
    for task in (sender._task, *sender._in_flight.values()):
        if task is not None:
            task.cancel()

    async def no_clean_stop() -> None:
        return None

    sender.stop = no_clean_stop  # type: ignore[method-assign]


async def test_app_crash_with_queued_replies_delivers_them_once_in_order(tmp_path: Path) -> None:
    db, store = tmp_path / "mock.db", tmp_path / "desk.db"
    procs = [await _spawn("--db", str(db), *ARGS)]
    url, port = procs[0].url, str(urlsplit(procs[0].url).port)
    sim = SimControl(url)
    first, second, probe = _backend(url), _backend(url), _backend(url)
    try:
        await first.login("agent1", "demo")
        await first.set_presence(Presence.AVAILABLE)
        clock = FrozenClock(await sim.now())

        # -- the first desk: accept, lose the server, write two replies, crash ---------
        app = make_app(first, clock=clock, username="agent1", store_path=store, tz=UTC)
        async with app.run_test(size=(120, 40), notifications=True) as pilot:
            desk = Desk(app, pilot, sim, None, clock, probe)  # type: ignore[arg-type]
            await desk.until(lambda: app.desk is not None and app.desk.state.agent is not None,
                             what="desk loaded")
            iid = await desk.offer("chat", text="Where is my refund?")
            # Press F2 only once the offer's view is mounted (pressing earlier has been
            # seen to leave the desk's idle callbacks spinning under heavy CPU load).
            await desk.until(lambda: desk.screen.views[iid].is_mounted, what="view mounted")
            await desk.settle()
            desk.screen.activate(iid)
            await pilot.press("f2")
            await desk.until(lambda: desk.screen.state.interactions[iid].state.value == "active",
                             what="accepted")
            await desk.settle()
            customer_id = desk.screen.state.interactions[iid].customer_id

            await asyncio.to_thread(procs[0].kill)  # the server is gone (SIGKILL)
            # The header says so, and the desk stays usable (reading, typing, queueing).
            header_link = desk.screen.query_one("#hdr-link")
            await desk.until(lambda: "reconnecting" in str(header_link.render()).lower(),
                             what="header says reconnecting")
            composer = desk.screen.views[iid].composer
            for text in REPLIES:
                composer.focus()
                composer.insert_text(text)
                await pilot.press("ctrl+s")
                await desk.settle()
            await desk.until(lambda: len(app.outbox.pending(iid)) == 2, what="two queued")
            queued = [i for i in app.outbox.pending(iid) if i.kind is OutboxKind.MESSAGE]
            assert [i.payload["body"] for i in queued] == REPLIES
            client_ids = [i.client_id for i in queued]
            await desk.settle(0.3)  # the sender tries, fails, backs off: still queued
            assert all(app.outbox.get(c).state in (OutboxState.QUEUED, OutboxState.SENDING)  # type: ignore[union-attr]
                       for c in client_ids)
            _crash(app)
        await first.close()

        # -- the server comes back; a new desk on the same store ------------------------
        procs.append(await _spawn("--db", str(db), "--port", port, *ARGS))
        assert procs[-1].url == url
        await second.use_token(first.token or "")  # the saved token still works
        await probe.login("agent1", "demo")
        app = make_app(second, clock=clock, username="agent1", store_path=store, tz=UTC)
        async with app.run_test(size=(120, 40), notifications=True) as pilot:
            desk = Desk(app, pilot, sim, None, clock, probe)  # type: ignore[arg-type]
            await desk.until(lambda: app.desk is not None and app.desk.state.agent is not None,
                             what="desk loaded again")
            await desk.until(lambda: not app.outbox.pending(), timeout=15, what="outbox drained")
            assert all(app.outbox.get(c).state is OutboxState.SENT  # type: ignore[union-attr]
                       for c in client_ids)
            # The desk shows each reply once (after the customer's next line, so every
            # echo has had its chance to arrive).
            await desk.until(lambda: iid in desk.screen.views, what="tab back")
            await sim.customer_message(iid, "thanks!")
            view = desk.screen.views[iid]
            await desk.until(lambda: any(i.body == "thanks!" for i in view.timeline.items),
                             what="the customer's next line")
            shown = [i.body for i in view.timeline.items if i.body in REPLIES]
            assert shown == REPLIES

        # -- the server's word: once each, in order, under the original keys ----------
        page = await probe.get_timeline(customer_id, limit=500)
        sent = sorted((i for i in page.items
                       if i.interaction_id == iid and i.direction is Direction.OUTBOUND),
                      key=lambda i: (i.at, i.id))
        assert [i.body for i in sent] == REPLIES
        assert [i.client_id for i in sent] == client_ids
    finally:
        await sim.aclose()
        for backend in (first, second, probe):
            await backend.close()
        for proc in procs:
            await asyncio.to_thread(proc.stop)
