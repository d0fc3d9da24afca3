"""The desk controller without Textual: against a small fake backend, and
against the real mock server on loopback. Nothing here sleeps for an event:
every wait is for a condition, bounded by a generous timeout."""

from __future__ import annotations

import asyncio
import sys
from collections.abc import AsyncIterator, Callable
from pathlib import Path
from typing import Any

import pytest

from agentdesk.backends.base import LinkState, LinkStatus, ProtocolProblem
from agentdesk.desk import commands as C
from agentdesk.desk.controller import DeskController
from agentdesk.desk.view import Notice
from agentdesk.domain import session as S
from agentdesk.domain.backoff import Backoff
from agentdesk.domain.capabilities import Capabilities, TransferTarget
from agentdesk.domain.enums import CallAction, Presence, TransferMode
from agentdesk.domain.events import InteractionChange, InteractionChanged, SnapshotNeeded
from agentdesk.domain.models import InteractionState
from agentdesk.domain.outgoing import Delivery
from agentdesk.store.outbox import Outbox, OutboxKind, OutboxState
from agentdesk.store.sender import CommandSender

sys.path.insert(0, str(Path(__file__).parents[1]))

from fake_backend import T0, FakeBackend, chat

WAIT = 10.0
QUICK = Backoff(base=0.001, cap=0.01)


class RecordingView:
    def __init__(self) -> None:
        self.changes: list[S.Changes] = []
        self.links: list[LinkStatus] = []
        self.notices: list[Notice | None] = []
        self.sign_ins: list[str] = []
        self.failures: list[tuple[str, str]] = []

    def changed(self, changes: S.Changes) -> None:
        self.changes.append(changes)

    def link_changed(self, link: LinkStatus) -> None:
        self.links.append(link)

    def notice(self, notice: Notice | None) -> None:
        self.notices.append(notice)

    def sign_in_needed(self, message: str) -> None:
        self.sign_ins.append(message)

    def command_failed(self, what: str, message: str) -> None:
        self.failures.append((what, message))


async def until(condition: Callable[[], Any], what: str = "condition") -> None:
    async def poll() -> None:
        while not condition():
            await asyncio.sleep(0.005)

    try:
        await asyncio.wait_for(poll(), WAIT)
    except TimeoutError:
        raise AssertionError(f"timed out waiting for {what}") from None


class Rig:
    def __init__(self, backend: Any, path: Path, *, start_sender: bool = True) -> None:
        self.backend = backend
        self.outbox = Outbox(path)
        self.sender = CommandSender(backend, self.outbox, backoff_base=0.01, backoff_cap=0.05)
        self.desk = DeskController(backend, self.sender, snapshot_retry=QUICK)
        self.sender.on_change = self.desk.outbox_changed
        self.view = RecordingView()
        self.desk.attach(self.view)
        self.start_sender = start_sender
        self.task: asyncio.Task[None] | None = None

    async def start(self, sign_in: tuple[str, str] | None = None) -> None:
        if self.start_sender:
            self.sender.start()
        self.task = asyncio.create_task(self.desk.run(sign_in))

    async def stop(self) -> None:
        await self.sender.stop()
        await self.backend.close()
        if self.task is not None:
            await asyncio.wait_for(self.task, WAIT)
        self.outbox.close()


@pytest.fixture
async def rig(tmp_path: Path) -> AsyncIterator[Rig]:
    r = Rig(FakeBackend(), tmp_path / "desk.db")
    yield r
    await r.stop()


async def test_snapshot_on_connect_then_events_flow_as_changes(rig: Rig) -> None:
    rig.backend.interactions = [chat("i1")]
    await rig.start()
    rig.backend.connect()
    await until(lambda: rig.desk.state.loaded, "snapshot")
    assert set(rig.desk.state.interactions) == {"i1"} and rig.desk.state.me.id == "a1"
    assert any(c.added == {"i1"} for c in rig.view.changes)
    rig.backend.push(InteractionChanged(InteractionChange.OFFERED,
                                        chat("i2", InteractionState.OFFERED), T0 + 1))
    await until(lambda: "i2" in rig.desk.state.interactions, "offer")
    assert rig.view.changes[-1].offered == ["i2"]
    assert [link.state for link in rig.view.links] == [LinkState.CONNECTING, LinkState.CONNECTED]


async def test_snapshot_failures_retry_with_backoff_and_say_so(rig: Rig) -> None:
    rig.backend.snapshot_failures = 3
    await rig.start()
    rig.backend.connect()
    await until(lambda: rig.desk.state.loaded, "snapshot after retries")
    errors = [n for n in rig.view.notices if n is not None]
    assert len(errors) == 3 and all(n.level == "error" and "Cannot load the desk" in n.text
                                    for n in errors)
    assert rig.view.notices[-1] is None  # cleared once loaded


async def test_snapshot_needed_reloads_everything(rig: Rig) -> None:
    await rig.start()
    rig.backend.connect()
    await until(lambda: rig.backend.snapshots == 1, "first snapshot")
    rig.backend.interactions = [chat("late")]
    rig.backend.push(SnapshotNeeded(T0))
    await until(lambda: "late" in rig.desk.state.interactions, "reload")
    assert rig.backend.snapshots == 2


async def test_a_refused_session_asks_to_sign_in_and_reloads_after(rig: Rig) -> None:
    rig.backend.snapshot_refused = True
    await rig.start()
    rig.backend.connect()
    await until(lambda: rig.view.sign_ins, "sign-in request")
    rig.backend.snapshot_refused = False
    assert await rig.desk.relogin("ada", "demo") is True
    rig.backend.connect()  # the stream is back with the new token
    await until(lambda: rig.desk.state.loaded, "snapshot after sign-in")
    assert await rig.desk.relogin("ada", "wrong") is False
    assert rig.view.sign_ins[-1].startswith("Sign-in failed")


async def test_problems_are_counted(rig: Rig) -> None:
    await rig.start()
    rig.backend.push(ProtocolProblem("bad frame"), ProtocolProblem("another"))
    await until(lambda: rig.desk.problems == 2, "problems")


async def test_a_message_is_written_first_pending_in_state_and_cleared_by_its_echo(tmp_path: Path) -> None:
    rig = Rig(FakeBackend(), tmp_path / "desk.db", start_sender=False)
    rig.backend.interactions = [chat("i1")]
    await rig.start()
    try:
        rig.backend.connect()
        await until(lambda: rig.desk.state.loaded, "snapshot")
        outcome = rig.desk.execute(C.SendMessage("i1", "on my way"))
        assert isinstance(outcome, C.Queued)
        # In the outbox before anything was sent, and shown as pending.
        [item] = rig.outbox.pending("i1")
        assert item.client_id == outcome.client_id and item.state is OutboxState.QUEUED
        [row] = rig.desk.state.outgoing["i1"]
        assert (row.body, row.delivery, row.author) == ("on my way", Delivery.QUEUED, "Ada Agent")
        assert not [c for c in rig.backend.calls if c[0] == "send_message"]
        rig.sender.start()
        await until(lambda: "i1" not in rig.desk.state.outgoing, "echo replaces the pending row")
        sent = [c for c in rig.backend.calls if c[0] == "send_message"]
        assert sent == [("send_message", ("i1", "on my way", outcome.client_id))]
    finally:
        await rig.stop()


async def test_a_refused_message_fails_in_state_and_a_retry_goes_out_under_a_new_key(rig: Rig) -> None:
    rig.backend.interactions = [chat("i1")]
    rig.backend.refuse["send_message"] = "conversation is closed"
    await rig.start()
    rig.backend.connect()
    await until(lambda: rig.desk.state.loaded, "snapshot")
    first = rig.desk.execute(C.SendMessage("i1", "hello?"))
    await until(lambda: rig.desk.state.outgoing.get("i1", ())
                and rig.desk.state.outgoing["i1"][0].delivery is Delivery.FAILED, "refusal")
    assert rig.desk.state.outgoing["i1"][0].error == "conversation is closed"
    del rig.backend.refuse["send_message"]
    again = rig.desk.execute(C.RetrySend(first.client_id))
    assert isinstance(again, C.Queued) and again.client_id != first.client_id
    [row] = rig.desk.state.outgoing["i1"]
    assert row.client_id == again.client_id and row.replaces == first.client_id
    await until(lambda: "i1" not in rig.desk.state.outgoing, "echo of the retry")
    assert isinstance(rig.desk.execute(C.RetrySend("nope")), C.Refused)


async def test_pending_messages_are_rebuilt_from_the_outbox_on_start(tmp_path: Path) -> None:
    path = tmp_path / "desk.db"
    first = Rig(FakeBackend(), path, start_sender=False)
    first.backend.interactions = [chat("i1")]
    await first.start()
    first.backend.connect()
    await until(lambda: first.desk.state.loaded, "snapshot")
    queued = first.desk.execute(C.SendMessage("i1", "written before the crash"))
    await first.stop()  # nothing was sent

    second = Rig(FakeBackend(), path, start_sender=False)
    second.backend.interactions = [chat("i1")]
    await second.start()
    try:
        second.backend.connect()
        await until(lambda: second.desk.state.loaded, "snapshot")
        [row] = second.desk.state.outgoing["i1"]
        assert (row.client_id, row.body, row.delivery) == (
            queued.client_id, "written before the crash", Delivery.QUEUED)
    finally:
        await second.stop()


async def test_commands_that_do_not_fit_the_state_are_refused_in_one_line(rig: Rig) -> None:
    rig.backend.interactions = [chat("i1"), chat("o1", InteractionState.OFFERED)]
    await rig.start()
    rig.backend.connect()
    await until(lambda: rig.desk.state.loaded, "snapshot")
    assert rig.desk.execute(C.Accept("i1")) == C.Refused("No offer to accept")
    assert rig.desk.execute(C.Wrapup("o1", "resolved")) == C.Refused("Nothing to wrap up here")
    assert rig.desk.execute(C.CallControl("i1", CallAction.HOLD)) == C.Refused("No call in this tab")
    assert isinstance(rig.desk.execute(C.Accept("o1")), C.Queued)
    await until(lambda: rig.desk.state.interactions["o1"].state is InteractionState.ACTIVE,
                "accepted")
    assert ("accept", "o1") in rig.backend.calls


async def test_missing_capabilities_refuse_commands_with_the_reason(tmp_path: Path) -> None:
    caps = Capabilities(backend="fake", voice=False, notes=False, email_cc=False,
                        transfer_to=frozenset({TransferTarget.AGENT, TransferTarget.TEAM}),
                        warm_transfer=False, presence_next=False,
                        reasons={"voice": "Fake has no phone line"})
    rig = Rig(FakeBackend(caps), tmp_path / "desk.db")
    rig.backend.interactions = [chat("i1")]
    await rig.start()
    try:
        rig.backend.connect()
        await until(lambda: rig.desk.state.loaded, "snapshot")
        desk = rig.desk
        assert desk.execute(C.CallControl("i1", CallAction.HOLD)) == C.Refused("Fake has no phone line")
        assert "not available on the fake backend" in desk.execute(
            C.SendMessage("i1", "psst", kind="note")).reason
        assert "Cc" in desk.execute(C.SendMessage("i1", "x", cc=("a@b.c",))).reason
        assert "queue" in desk.execute(C.Transfer("i1", queue_id="q1")).reason
        assert "Warm" in desk.execute(C.Transfer("i1", agent_id="a2", mode=TransferMode.WARM)).reason
        assert "after current work" in desk.execute(
            C.SetPresence(Presence.BREAK, next=Presence.AVAILABLE)).reason
        assert isinstance(desk.execute(C.Transfer("i1", team_id="t1")), C.Queued)
        await until(lambda: ("transfer", ("i1", None, None, "t1")) in rig.backend.calls, "team transfer")
        assert not any(c[0] in ("call_action", "send_message") for c in rig.backend.calls)
    finally:
        await rig.stop()


async def test_mark_read_goes_through_the_reducer_and_tells_the_backend(rig: Rig) -> None:
    rig.backend.interactions = [chat("i1", unread=3)]
    await rig.start()
    rig.backend.connect()
    await until(lambda: rig.desk.state.loaded, "snapshot")
    assert S.unread_count(rig.desk.state, "i1") == 3
    assert rig.desk.execute(C.MarkRead("i1")) == C.Done()
    assert S.unread_count(rig.desk.state, "i1") == 0
    assert rig.view.changes[-1].unread == {"i1"}
    await until(lambda: ("mark_read", "i1") in rig.backend.calls, "read mark sent")
    rig.desk.execute(C.SetTyping("i1", True))  # typing_out is off by default: nothing sent
    assert not any(c[0] == "set_typing" for c in rig.backend.calls)


async def test_read_marks_go_out_once_per_interaction_however_many_messages_are_read(rig: Rig) -> None:
    rig.backend.interactions = [chat("i1", unread=1), chat("i2", unread=1)]
    await rig.start()
    rig.backend.connect()
    await until(lambda: rig.desk.state.loaded, "snapshot")
    rig.desk.execute(C.MarkRead("i1"))
    for n in range(5):  # the chat on screen reads each message as it arrives
        rig.backend.inbound("i1", f"message {n}")
        await until(lambda: S.unread_count(rig.desk.state, "i1") == 1, "unread")
        rig.desk.execute(C.MarkRead("i1"))
        assert S.unread_count(rig.desk.state, "i1") == 0  # shown read at once
    rig.desk.execute(C.MarkRead("i2"))
    await until(lambda: ("mark_read", "i2") in rig.backend.calls, "read marks sent")
    await until(lambda: ("mark_read", "i1") in rig.backend.calls, "read marks sent")
    marks = [c for c in rig.backend.calls if c[0] == "mark_read"]
    # one window, or a few if the loop was slow: never one request per message
    assert marks.count(("mark_read", "i2")) == 1 and marks.count(("mark_read", "i1")) < 6


async def test_a_read_mark_that_could_not_be_sent_is_tried_again(rig: Rig) -> None:
    rig.backend.interactions = [chat("i1", unread=3)]
    rig.backend.mark_read_down = 2
    await rig.start()
    rig.backend.connect()
    await until(lambda: rig.desk.state.loaded, "snapshot")
    rig.desk.execute(C.MarkRead("i1"))
    await until(lambda: ("mark_read", "i1") in rig.backend.calls, "read mark delivered")
    assert [c for c in rig.backend.calls if c[0].startswith("mark_read")] == [
        ("mark_read_failed", "i1"), ("mark_read_failed", "i1"), ("mark_read", "i1")]


async def test_choosing_available_clears_the_missed_banner_through_the_reducer(rig: Rig) -> None:
    rig.backend.interactions = [chat("o1", InteractionState.OFFERED)]
    await rig.start()
    rig.backend.connect()
    await until(lambda: rig.desk.state.loaded, "snapshot")
    rig.backend.push(InteractionChanged(InteractionChange.MISSED,
                                        chat("o1", InteractionState.QUEUED, agent_id=None), T0 + 5))
    await until(lambda: rig.desk.state.missed == ("o1",), "missed")
    assert isinstance(rig.desk.execute(C.SetPresence(Presence.AVAILABLE)), C.Queued)
    assert rig.desk.state.missed == () and rig.view.changes[-1].me
    await until(lambda: ("presence", (Presence.AVAILABLE, None)) in rig.backend.calls, "presence")


async def test_a_refused_command_is_reported_and_discarded(rig: Rig) -> None:
    rig.backend.interactions = [chat("i1")]
    rig.backend.refuse["wrapup"] = "hang up first"
    await rig.start()
    rig.backend.connect()
    await until(lambda: rig.desk.state.loaded, "snapshot")
    rig.desk.execute(C.Wrapup("i1", "resolved"))
    await until(lambda: rig.view.failures, "failure reported")
    assert rig.view.failures == [("Wrap-up", "hang up first")]
    assert not rig.outbox.pending()


async def test_the_demo_signs_in_once_its_server_answers(tmp_path: Path) -> None:
    rig = Rig(FakeBackend(token=None), tmp_path / "desk.db")
    await rig.start(sign_in=("ada", "demo"))
    try:
        await until(lambda: rig.backend.token == "tok-ada", "signed in")
        assert rig.view.notices[0] == Notice("Starting the simulated contact center…", "info")
        rig.backend.connect()
        await until(lambda: rig.desk.state.loaded, "snapshot")
    finally:
        await rig.stop()


# -- against the real mock server -------------------------------------------------------------


async def test_the_controller_works_a_chat_against_the_mock_server(tmp_path: Path) -> None:
    from agentdesk.backends.http import RetryPolicy
    from agentdesk.backends.native import NativeBackend
    from agentdesk.backends.sim_control import SimControl
    from agentdesk.backends.stream import StreamPolicy
    from agentdesk.testing.mockserver import running_server

    with running_server(agents=2, bots=0, traffic=False, manual_clock=True) as server:
        backend = NativeBackend(server.url, retry=RetryPolicy(attempts=3, base_delay=0.02),
                                stream_policy=StreamPolicy(backoff_base=0.05, backoff_cap=0.3))
        await backend.login("agent1", "demo")
        rig = Rig(backend, tmp_path / "desk.db")
        sim = SimControl(server.url)
        await rig.start()
        try:
            await until(lambda: rig.desk.state.loaded, "snapshot")
            assert rig.desk.capabilities.voice and rig.desk.capabilities.simulation
            assert isinstance(rig.desk.execute(C.SetPresence(Presence.AVAILABLE)), C.Queued)
            await until(lambda: rig.desk.state.agent is not None
                        and rig.desk.state.agent.presence is Presence.AVAILABLE, "available")
            iid = await sim.new_contact("chat", text="my parcel is lost")
            await until(lambda: iid in rig.desk.state.interactions, "offer")
            assert isinstance(rig.desk.execute(C.Accept(iid)), C.Queued)
            await until(lambda: rig.desk.state.interactions[iid].state is InteractionState.ACTIVE,
                        "accepted")
            sent = rig.desk.execute(C.SendMessage(iid, "Let me look that up."))
            assert isinstance(sent, C.Queued)
            await until(lambda: iid not in rig.desk.state.outgoing, "echo")
            echoes = [i for c in rig.view.changes for i in c.items.get(iid, [])
                      if i.client_id == sent.client_id]
            assert len(echoes) == 1 and echoes[0].body == "Let me look that up."
            item = rig.outbox.get(sent.client_id)
            assert item is not None and item.state is OutboxState.SENT
            assert item.kind is OutboxKind.MESSAGE
        finally:
            await sim.aclose()
            await rig.stop()


async def test_typing_goes_out_on_change_not_per_keystroke(tmp_path: Path) -> None:
    rig = Rig(FakeBackend(Capabilities(backend="fake", typing_out=True)), tmp_path / "desk.db")
    rig.backend.interactions = [chat("i1")]
    await rig.start()
    try:
        rig.backend.connect()
        await until(lambda: rig.desk.state.loaded, "snapshot")
        for _ in range(5):  # five keystrokes
            rig.desk.execute(C.SetTyping("i1", True))
        rig.desk.execute(C.SendMessage("i1", "done"))  # sending ends the typing
        rig.desk.execute(C.SetTyping("i1", False))  # already ended: nothing more
        await until(lambda: len([c for c in rig.backend.calls if c[0] == "set_typing"]) == 2, "typing")
        await until(lambda: "i1" not in rig.desk.state.outgoing, "sent")
        assert [c[1] for c in rig.backend.calls if c[0] == "set_typing"] == [("i1", True), ("i1", False)]
    finally:
        await rig.stop()
