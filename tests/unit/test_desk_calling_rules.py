"""The desk says why before anything rings: the controller checks the calling
rules (do-not-call, the customer's local hours) on the customer's compliance
data and refuses a dial or a callback in one line, without sending anything.
Against the real mock server on loopback (manual clock: 09:00 in London,
04:00 in New York); the server stays the authority when the desk's copy is stale."""

from __future__ import annotations

import asyncio
import sys
from collections.abc import AsyncIterator
from pathlib import Path
from typing import Any

import pytest

from agentdesk.desk import commands as C
from agentdesk.domain.compliance import CallingWindow, LocalClock, check_customer, local_clock, window_of
from agentdesk.domain.models import Customer
from agentdesk.store.outbox import OutboxKind

sys.path.insert(0, str(Path(__file__).parent))

from test_desk_controller import Rig, until

EPOCH = 1772442000.0  # 2026-03-02 09:00 UTC = 09:00 Europe/London
SUBMITTED: list[OutboxKind] = []  # what the controller handed to its sender (a spy)


def test_the_customer_window_is_what_the_server_states_else_the_default() -> None:
    assert window_of("07:30-20:00") == CallingWindow(450, 1200)
    assert window_of(None) == CallingWindow() and window_of("nonsense") == CallingWindow()
    late = Customer(id="c1", name="Ada", timezone="Europe/London", calling_window="08:00-09:00")
    refusal = check_customer(late, EPOCH)
    assert refusal is not None and refusal.message == (
        "It is 09:00 for the customer (Europe/London): calls are allowed 08:00-09:00")
    assert check_customer(late.model_copy(update={"calling_window": None}), EPOCH) is None


def test_the_local_clock_says_when_it_is_outside_calling_hours() -> None:
    ny = Customer(id="c3", name="Bo", timezone="America/New_York")
    clock = local_clock(ny, EPOCH)
    assert clock == LocalClock("America/New_York", "04:00", CallingWindow(), False)
    assert str(clock) == "04:00 local · outside calling hours 08:00-21:00"
    assert str(local_clock(ny, EPOCH + 5 * 3600)) == "09:00 local"


@pytest.fixture
async def live(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> AsyncIterator[tuple[Rig, Any]]:
    from agentdesk.backends.http import RetryPolicy
    from agentdesk.backends.native import NativeBackend
    from agentdesk.backends.sim_control import SimControl
    from agentdesk.testing.mockserver import running_server

    with running_server(agents=2, bots=0, traffic=False, manual_clock=True) as server:
        backend = NativeBackend(server.url, retry=RetryPolicy(attempts=3, base_delay=0.02))
        await backend.login("agent1", "demo")
        rig = Rig(backend, tmp_path / "desk.db")
        submit = rig.sender.submit

        def spy(kind: OutboxKind, *args: Any, **kwargs: Any) -> Any:
            SUBMITTED.append(kind)
            return submit(kind, *args, **kwargs)

        SUBMITTED.clear()
        monkeypatch.setattr(rig.sender, "submit", spy)
        sim = SimControl(server.url)
        await rig.start()
        try:
            await until(lambda: rig.desk.state.loaded, "snapshot")
            yield rig, sim
        finally:
            await sim.aclose()
            await rig.stop()


def submitted(rig: Rig, kind: OutboxKind) -> list[OutboxKind]:
    """The commands of `kind` handed to the sender (the spy above): none means nothing went out."""
    return [k for k in SUBMITTED if k is kind]


async def test_a_dnc_customer_is_refused_before_anything_is_sent(live) -> None:
    rig, _sim = live
    customer = await rig.desk.fresh_customer("c0004")
    assert customer is not None and customer.dnc
    outcome = await rig.desk.dial("c0004")
    assert outcome == C.Refused(f"{customer.name} is on the do-not-call list", "Not called")
    assert submitted(rig, OutboxKind.DIAL) == []
    assert rig.view.failures == []  # nothing reached the server to be refused


async def test_outside_the_customer_hours_the_desk_says_why_and_sends_nothing(live) -> None:
    rig, _sim = live
    outcome = await rig.desk.dial("c0003")  # 04:00 in New York
    assert outcome == C.Refused("It is 04:00 for the customer (America/New_York): "
                                "calls are allowed 08:00-21:00", "Not called")
    assert submitted(rig, OutboxKind.DIAL) == []
    await asyncio.sleep(0)
    assert not any(i.customer_id == "c0003" for i in rig.desk.state.interactions.values())


async def test_a_callback_is_checked_at_its_own_time(live) -> None:
    rig, _sim = live
    await rig.desk.fresh_customer("c0003")
    night = rig.desk.execute(C.ScheduleCallback("c0003", EPOCH + 3600, "refund"))  # 05:00 NY
    assert night == C.Refused("It is 05:00 for the customer (America/New_York): "
                              "calls are allowed 08:00-21:00", "Not scheduled")
    assert rig.desk.time_refusal("c0003", EPOCH + 3600) == (
        "05:00 local · outside 08:00-21:00")
    assert submitted(rig, OutboxKind.CALLBACK) == []
    later = rig.desk.execute(C.ScheduleCallback("c0003", EPOCH + 5 * 3600, "refund"))  # 09:00 NY
    assert isinstance(later, C.Queued)
    assert rig.desk.time_refusal("c0003", EPOCH + 5 * 3600) is None


async def test_stale_data_leaves_the_refusal_to_the_server_in_its_words(live) -> None:
    rig, sim = live
    await rig.desk.fresh_customer("c0010")  # allowed as the desk knows it
    await sim.post("/sim/customers/c0010/compliance", {"dnc": True})  # behind the desk's back
    outcome = rig.desk.execute(C.Dial("c0010"))
    assert isinstance(outcome, C.Queued)  # the desk's copy said yes: the server decides
    await until(lambda: rig.view.failures, "the server's refusal")
    what, message = rig.view.failures[0]
    assert what == "Call" and message.endswith("is on the do-not-call list")
    assert (await rig.desk.dial("c0010")) == C.Refused(message, "Not called")  # fresh data now
