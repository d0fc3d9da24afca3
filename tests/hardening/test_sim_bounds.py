"""Issue 15, item 1: every /sim input is bounded, and /sim work never starves the
real API (a maximal burst and a day-long clock step run while /healthz and
/v1/me keep answering)."""

from __future__ import annotations

import asyncio

import httpx
import pytest

from agentdesk.mockserver import routes_sim
from agentdesk.testing.mockserver import DemoClient, running_server

TIMEOUT = 10.0  # generous: a frozen server never answers, a busy one does


@pytest.fixture(scope="module")
def server():
    with running_server(agents=4, bots=0, traffic=False, manual_clock=True) as srv:
        yield srv


@pytest.mark.parametrize("body, field", [
    ({"count": 10_000_000, "rate": 1_000_000}, "count"),
    ({"count": 10, "rate": 1_000_000}, "rate"),
    ({"count": routes_sim.MAX_BURST_COUNT + 1, "rate": 10}, "count"),
    ({"count": 10, "rate": 10, "agents": []}, "agents"),
    ({"count": 10, "rate": 10, "agents": ["agent1"] * 1001}, "agents"),
])
def test_oversized_burst_is_422_with_the_field_named(server, body, field):
    r = httpx.post(f"{server.url}/sim/burst", json=body, timeout=TIMEOUT)
    assert r.status_code == 422, r.text
    assert r.json()["error"]["message"].startswith(field)


def test_customer_text_over_the_limit_is_422(server):
    r = httpx.post(f"{server.url}/sim/contacts",
                   json={"channel": "chat", "text": "x" * 50_001}, timeout=TIMEOUT)
    assert r.status_code == 422 and "text" in r.json()["error"]["message"]


def test_clock_step_over_a_day_is_422(server):
    r = httpx.post(f"{server.url}/sim/clock", json={"advance_s": 86_401}, timeout=TIMEOUT)
    assert r.status_code == 422


async def test_maximal_bursts_do_not_starve_the_real_api(server):
    agent = DemoClient(server.url, "agent1")
    headers = {"Authorization": agent.http.headers["Authorization"]}
    async with httpx.AsyncClient(base_url=server.url, timeout=TIMEOUT) as http:
        body = {"count": routes_sim.MAX_BURST_COUNT, "rate": routes_sim.MAX_BURST_RATE}
        started = [await http.post("/sim/burst", json=body)
                   for _ in range(routes_sim.MAX_BURSTS_RUNNING)]
        assert [r.status_code for r in started] == [202] * routes_sim.MAX_BURSTS_RUNNING
        third = await http.post("/sim/burst", json=body)
        assert third.status_code == 409 and "already running" in third.json()["error"]["message"]
        # the bursts run for seconds; the real API answers all along
        for _ in range(20):
            assert (await http.get("/healthz")).status_code == 200
            assert (await http.get("/v1/me", headers=headers)).status_code == 200
        assert any(not t.done() for t in server.server.background), "bursts ended too soon"
    for task in list(server.server.background):  # stop them: the next tests need a quiet loop
        task.get_loop().call_soon_threadsafe(task.cancel)


async def test_contacts_per_second_are_capped_with_429():
    # a budget that refills once in 1000 s: the 6th contact is over it, however slow the host
    with running_server(agents=2, bots=0, traffic=False, manual_clock=True, rate_limit=0,
                        sim_contacts_per_s=0.001, sim_contacts_burst=5) as srv:
        async with httpx.AsyncClient(base_url=srv.url, timeout=TIMEOUT) as http:
            codes = []
            for _ in range(10):
                r = await http.post("/sim/contacts", json={"channel": "email"})
                codes.append(r.status_code)
                if r.status_code == 429:
                    assert int(r.headers["Retry-After"]) >= 1
                    assert "contacts per second" in r.json()["error"]["message"]
                    break
            assert codes == [201] * 5 + [429]
            assert (await http.get("/healthz")).status_code == 200


async def test_a_day_long_clock_step_yields_to_the_real_api():
    """With traffic on, an hour of 50 busy agents is seconds of simulation; the step
    runs in slices, so /healthz is answered while it runs (a day: over a minute)."""
    with running_server(agents=50, bots=50, traffic=True, manual_clock=True) as srv:
        async with httpx.AsyncClient(base_url=srv.url, timeout=120) as http:
            step = asyncio.create_task(http.post("/sim/clock", json={"advance_s": 3_600}))
            await asyncio.sleep(0)  # the step's request goes first
            health = await http.get("/healthz")
            assert health.status_code == 200
            assert not step.done(), "the health check was answered only after the whole day"
            assert (await step).status_code == 200
