"""Interval reports (GET /v1/reports/intervals, `agentdesk report`) against the
real mock server: the day's totals agree with the live figures of GET
/v1/stats, the intervals add up to the totals, a by-hand script lands in the
right intervals, the server keeps it all in its --db, and the command exports
CSV and JSON."""

from __future__ import annotations

import csv
import io
import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from agentdesk.testing.mockserver import DemoClient, running_server, spawn_server

ROOT = Path(__file__).resolve().parents[2]
T0 = 1772442000.0  # the manual clock's start: 2026-03-02 09:00 UTC
BUSY = """
[arrivals]
chat = 200.0
voice = 160.0
email = 20.0

[patience]
voice = [20.0, 120.0]
"""


def _report(url: str, interval: int = 15) -> dict:
    r = DemoClient(url, "supervisor").get("/v1/reports/intervals", params={"interval": interval})
    assert r.status_code == 200, r.text
    return r.json()["report"]


def _stats(url: str) -> dict:
    return DemoClient(url, "supervisor").get("/v1/stats").json()["stats"]


def _run_busy(url: str, minutes: int) -> None:
    sup = DemoClient(url, "supervisor")
    for _ in range(minutes * 2):
        sup.advance(30)


FIGURES = ("offered", "answered", "abandoned", "sl_pct", "asa_s", "aht_s")


def _check_totals_agree(report: dict, stats: dict) -> None:
    totals = {(r["queue_id"], r["channel"]): r for r in report["totals"]}
    for qs in stats["queues"]:
        mine = totals.get((qs["queue_id"], None))
        if qs["offered"] == 0 and mine is None:
            continue
        for key in FIGURES:
            assert mine[key] == qs[key], (qs["queue_id"], key, mine[key], qs[key])
        for cs in qs["channels"]:
            ch = totals.get((qs["queue_id"], cs["channel"]))
            if cs["offered"] == 0 and ch is None:
                continue
            for key in FIGURES:
                assert ch[key] == cs[key], (qs["queue_id"], cs["channel"], key)


@pytest.mark.parametrize("interval", [15, 30, 60])
def test_report_totals_agree_with_the_live_figures(tmp_path: Path, interval: int) -> None:
    scenario = tmp_path / "busy.toml"
    scenario.write_text(BUSY, encoding="utf-8")
    with running_server(agents=10, bots=10, traffic=True, manual_clock=True, seed=5,
                        scenario=str(scenario)) as srv:
        _run_busy(srv.url, 50)
        report = _report(srv.url, interval)
        stats = _stats(srv.url)
        assert report["now"] == stats["at"] and report["interval_s"] == interval * 60
        _check_totals_agree(report, stats)
        # The intervals add up to the day: counts exactly, per queue.
        for total in (r for r in report["totals"] if r["channel"] is None):
            rows = [r for r in report["rows"]
                    if r["queue_id"] == total["queue_id"] and r["channel"] is None]
            for key in ("offered", "answered", "abandoned", "handled", "transfers",
                        "answered_in_sl"):
                assert sum(r[key] for r in rows) == total[key], key
            assert all((r["start"] - report["day_start"]) % (interval * 60) == 0 for r in rows)
        assert sum(r["offered"] for r in report["totals"] if r["channel"] is None) > 50
        assert report["yesterday"] == []  # the server started this morning


def test_a_script_lands_in_its_intervals_and_away_time_is_counted() -> None:
    with running_server(agents=2, bots=0, traffic=False, manual_clock=True, seed=3) as srv:
        a = DemoClient(srv.url, "agent1")
        a.available()
        first = a.contact("voice", queue_id="support")     # 09:00, answered at once
        a.act(first, "accept")
        a.advance(60)
        a.advance(15 * 60)                                 # 09:16: the second interval
        second = a.contact("chat", queue_id="support")     # waits behind the call
        a.advance(40)
        a.post(f"/sim/interactions/{second}/end")          # abandons after 40 s
        b = DemoClient(srv.url, "agent2")
        b.put("/v1/me/presence", {"presence": "break"})
        a.advance(300)
        b.put("/v1/me/presence", {"presence": "available"})
        a.advance(60)
        report = _report(srv.url)
        rows = {(r["start"] - T0, r["channel"]): r for r in report["rows"]
                if r["queue_id"] == "support"}
        assert rows[(0.0, "voice")]["offered"] == 1 and rows[(0.0, "voice")]["answered"] == 1
        assert rows[(0.0, "voice")]["sl_pct"] == 100.0 and rows[(0.0, "voice")]["asa_s"] == 0.0
        assert rows[(900.0, "chat")]["offered"] == 1
        assert rows[(900.0, "chat")]["abandoned"] == 1
        assert rows[(900.0, "chat")]["sl_pct"] == 0.0
        away = {(x["agent_id"], x["reason"]): x["seconds"] for x in report["away"]}
        assert away[("agent2", "break")] == 300.0
        # Agents may not read reports; a bad interval is refused with a message.
        assert a.get("/v1/reports/intervals").status_code == 403
        r = DemoClient(srv.url, "supervisor").get("/v1/reports/intervals",
                                                   params={"interval": 20})
        assert r.status_code == 422 and "15, 30 or 60" in r.json()["error"]["message"]


def test_the_history_survives_a_restart_with_db(tmp_path: Path) -> None:
    db = str(tmp_path / "state.db")
    args = ("--manual-clock", "--agents", "4", "--bots", "4", "--seed", "9")
    first = spawn_server("--db", db, *args)
    try:
        _run_busy(first.url, 20)
        before = _report(first.url)
    finally:
        first.stop()
    second = spawn_server("--db", db, *args)
    try:
        after = _report(second.url)
    finally:
        second.stop()
    assert before["totals"] and after["totals"] == before["totals"]
    assert after["rows"] == before["rows"]


def _cli(tmp_path: Path, *args: str, token: str) -> subprocess.CompletedProcess:
    env = dict(os.environ, **{f"XDG_{d}_HOME": str(tmp_path / d.lower())
                              for d in ("CONFIG", "DATA", "STATE", "CACHE")})
    env["AGENTDESK_TOKEN"] = token
    return subprocess.run([sys.executable, "-m", "agentdesk", *args], cwd=ROOT, env=env,
                          capture_output=True, text=True, timeout=60)


def test_agentdesk_report_exports_csv_and_json(tmp_path: Path) -> None:
    with running_server(agents=6, bots=6, traffic=True, manual_clock=True, seed=4) as srv:
        _run_busy(srv.url, 30)
        token = DemoClient(srv.url, "supervisor").token
        out = _cli(tmp_path, "report", "--server", srv.url, "--interval", "30m", token=token)
        assert out.returncode == 0, out.stderr
        rows = list(csv.DictReader(io.StringIO(out.stdout)))
        sections = {r["section"] for r in rows}
        assert {"interval", "total"} <= sections
        stats = _stats(srv.url)
        totals = {r["queue_id"]: r for r in rows if r["section"] == "total" and r["channel"] == "all"}
        for qs in stats["queues"]:
            if qs["offered"]:
                assert int(totals[qs["queue_id"]]["offered"]) == qs["offered"]
                assert int(totals[qs["queue_id"]]["answered"]) == qs["answered"]
        starts = {r["start"] for r in rows if r["section"] == "interval"}
        assert all(s.endswith(("00:00Z", "30:00Z")) for s in starts)
        out = _cli(tmp_path, "report", "--server", srv.url, "--format", "json", token=token)
        assert out.returncode == 0, out.stderr
        report = json.loads(out.stdout)
        assert report["interval_s"] == 900
        _check_totals_agree(report, _stats(srv.url))
        # Mistakes get one line, not a traceback.
        out = _cli(tmp_path, "report", "--server", srv.url, "--interval", "20m", token=token)
        assert out.returncode == 2 and "15m, 30m or 60m" in out.stderr
        out = _cli(tmp_path, "report", "--server", srv.url, token="bogus")
        assert out.returncode == 1 and "Traceback" not in out.stderr
        assert out.stderr.startswith("agentdesk report: the server refused the report")
