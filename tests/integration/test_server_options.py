"""Server options: scenario file, KB updates, real clock with bots, --no-sim, CLI output."""

from __future__ import annotations

import subprocess
import sys
import time

import websockets

from agentdesk.mockserver.routes_sim import is_loopback
from agentdesk.testing.mockserver import DemoClient, read_frames, running_server


def test_scenario_file_sets_timers_and_queues(tmp_path):
    scenario = tmp_path / "s.toml"
    scenario.write_text('[routing]\noffer_timeout_s = 5\nacw_limit_s = 10\n'
                        '[[queues]]\nid = "all"\nname = "Everything"\n'
                        'skills = ["tech", "billing", "sales", "account"]\n')
    with running_server(agents=1, bots=0, traffic=False, manual_clock=True,
                        scenario=scenario) as srv:
        a = DemoClient(srv.url, "agent1")
        assert [q["id"] for q in a.get("/v1/queues").json()["queues"]] == ["all"]
        a.available()
        iid = a.contact("chat")
        assert a.interaction(iid)["offer_expires_at"] - a.interaction(iid)["offered_at"] == 5
        a.advance(6)
        assert a.get("/v1/me").json()["agent"]["routing_state"] == "not_responding"


async def test_kb_changes_are_pushed(tmp_path):
    kb = tmp_path / "kb"
    kb.mkdir()
    (kb / "router-lights.md").write_text("# Router lights\n\nGreen is good.\n")
    with running_server(agents=1, bots=0, traffic=False, manual_clock=True, kb_dir=kb,
                        kb_rescan_s=0.1) as srv:
        a = DemoClient(srv.url, "agent1")
        articles = a.get("/v1/kb/articles").json()["articles"]
        assert [(x["id"], x["title"]) for x in articles] == [("router-lights", "Router lights")]
        async with websockets.connect(a.events_url()) as ws:
            (kb / "new-sim.md").write_text("# Activate a new SIM\nTags: mobile, sim\n\nSteps.\n")
            frames = await read_frames(ws, until=lambda fs: any(
                f.get("type") == "kb.updated" for f in fs), timeout=10)
        update = next(f for f in frames if f.get("type") == "kb.updated")["data"]
        assert [x["id"] for x in update["articles"]] == ["new-sim"]
        assert update["articles"][0]["tags"] == ["mobile", "sim"]
        since = articles[0]["updated_at"]
        newer = a.get("/v1/kb/articles", params={"since": since}).json()["articles"]
        assert [x["id"] for x in newer] == ["new-sim"]


def test_real_clock_with_bots_keeps_the_floor_busy():
    with running_server(agents=6, speed=60.0, seed=3) as srv:
        sup = DemoClient(srv.url, "supervisor")
        deadline = time.monotonic() + 60
        handled = 0
        while time.monotonic() < deadline and handled == 0:
            time.sleep(0.2)
            stats = sup.get("/v1/stats").json()["stats"]
            handled = sum(a["handled"] for a in stats["agents"])
        assert handled > 0
        states = {a["routing_state"] for a in sup.get("/v1/agents").json()["agents"]}
        assert states & {"busy", "acw", "idle", "offered"}
        assert sup.get("/sim/clock").json()["manual"] is False
        assert sup.post("/sim/clock", {"advance_s": 1}).status_code == 409


def test_no_sim_disables_control_endpoints():
    with running_server(agents=1, sim=False, traffic=False, manual_clock=True) as srv:
        a = DemoClient(srv.url, "agent1")
        r = a.post("/sim/contacts", {"channel": "chat"})
        assert r.status_code == 404 and r.json()["error"]["code"] == "not_found"
        assert a.get("/sim/clock").status_code == 404


def test_is_loopback():
    assert is_loopback("127.0.0.1") and is_loopback("::1") and is_loopback("localhost")
    assert not is_loopback("0.0.0.0") and not is_loopback("192.168.1.4")


def test_cli_prints_exactly_one_url_line():
    proc = subprocess.Popen(
        [sys.executable, "-m", "agentdesk", "mock-server", "--port", "0", "--agents", "2",
         "--manual-clock", "--no-traffic"],
        stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    try:
        line = proc.stdout.readline()
        assert line.startswith("http://127.0.0.1:") and line.strip()[17:].isdigit()
        assert DemoClient(line.strip(), "agent2").get("/v1/me").status_code == 200
    finally:
        proc.terminate()
        out, err = proc.communicate(timeout=15)
    assert out == ""  # nothing after the URL line
    assert proc.returncode == 0
    assert "demo users" in err and "password 'demo'" in err
