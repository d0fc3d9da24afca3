"""The rolling service level and `GET /v1/stats/history` on a loopback server with
a manual clock, against values computed by hand (per-channel stats of a scripted
run: test_server_metrics.py)."""

from __future__ import annotations

from agentdesk.testing.mockserver import DemoClient, running_server

T0 = 1772442000.0  # the manual clock's start: a multiple of the 30 s bucket


def _support(stats: dict) -> dict:
    return next(q for q in stats["queues"] if q["queue_id"] == "support")


def _channel(queue: dict, channel: str) -> dict:
    return next(c for c in queue["channels"] if c["channel"] == channel)


def _script_history(srv) -> DemoClient:
    """t=0 chat A answered at once; voice B waits (blocked by the chat) until A is
    wrapped up at t=30 (waited 30 s > 20 s); chat C waits behind the call and
    abandons at t=60. The clock moves in 30 s steps, so each bucket holds one sample."""
    a = DemoClient(srv.url, "agent1")
    a.available()                                    # t=0 (the first stats sample: bucket 0)
    ca = a.contact("chat", queue_id="support")
    a.act(ca, "accept")                              # waited 0: in SL
    cb = a.contact("voice", queue_id="support")      # queued: the chat blocks a call
    a.advance(30)                                    # sample t=30: B waiting, SL 1/1
    a.act(ca, "wrapup", {"disposition": "resolved"})  # B offered at once
    a.act(cb, "accept")                              # waited 30: outside SL
    cc = a.contact("chat", queue_id="support")       # queued behind the call
    a.advance(30)                                    # sample t=60: C waiting, SL 1/2
    a.post(f"/sim/interactions/{cc}/end")            # C abandons after 30 s
    a.advance(30)                                    # sample t=90: SL 1/3
    for _ in range(30):                              # to t=990, past the 15-min window
        a.advance(30)
    return a


def test_history_endpoint_rolling_sl_by_hand() -> None:
    with running_server(agents=1, bots=0, traffic=False, manual_clock=True, seed=3) as srv:
        a = _script_history(srv)
        sup = DemoClient(srv.url, "supervisor")
        r = sup.get("/v1/stats/history", params={"minutes": 60})
        assert r.status_code == 200
        history = r.json()["history"]
        assert (history["at"], history["bucket_s"], history["sl_window_s"]) == \
            (T0 + 990, 30.0, 900.0)
        floor = history["floor"]
        support = next(q["points"] for q in history["queues"] if q["queue_id"] == "support")
        assert [q["queue_id"] for q in history["queues"]] == \
            ["support", "billing", "sales", "email"]
        assert len(floor) == len(support) == 34  # buckets 0..33 (t=0 .. t=990)
        assert [p["at"] - T0 for p in floor] == [30.0 * k for k in range(34)]
        by_t = {p["at"] - T0: (p["sl_pct"], p["waiting"]) for p in support}
        assert by_t[0] == (None, 0)
        assert by_t[30] == (100.0, 1)       # A in SL; B waiting
        assert by_t[60] == (50.0, 1)        # A in, B out; C waiting
        assert by_t[90] == (33.33, 0)       # + C abandoned: 1 / (2 + 1)
        assert by_t[870] == (33.33, 0)      # all three still within 15 minutes
        assert by_t[900] == (0.0, 0)        # A (t=0) left the window: 0 / (1 + 1)
        assert by_t[930] == (0.0, 0)        # B (t=30) left: C's abandon only
        assert by_t[960] == (None, 0)       # nothing in the window: no data, not 0
        assert [p["sl_pct"] for p in floor] == [p["sl_pct"] for p in support]  # one queue busy
        # The last minutes only, the open bucket included.
        recent = sup.get("/v1/stats/history", params={"minutes": 5}).json()["history"]
        assert [p["at"] - T0 for p in recent["floor"]] == [30.0 * k for k in range(24, 34)]
        default = sup.get("/v1/stats/history").json()["history"]
        assert len(default["floor"]) == 34  # 30 minutes = 60 buckets, 34 exist
        # Agents may read it too (they get stats.updated for every queue anyway).
        assert a.get("/v1/stats/history").status_code == 200
        # Bad input is refused with the error shape; no token is 401.
        for bad in ("0", "61", "x", "-5", "1.5"):
            r = sup.get("/v1/stats/history", params={"minutes": bad})
            assert r.status_code == 422 and r.json()["error"]["code"] == "invalid"
        assert DemoClient(srv.url).get("/v1/stats/history").status_code == 401
        assert sup.post("/v1/stats/history").status_code == 405
        # A supervisor's read is audited like every other.
        audit = sup.get("/v1/audit").json()["entries"]
        assert any(e["path"] == "/v1/stats/history?minutes=5" for e in audit)


def test_history_is_a_bounded_ring() -> None:
    with running_server(agents=2, bots=2, traffic=True, manual_clock=True, seed=5) as srv:
        a = DemoClient(srv.url, "supervisor")
        for _ in range(150):  # 75 minutes in 30 s steps
            a.advance(30)
        ring = srv.server.sim.history.recorder
        assert all(len(series) <= 120 for series in ring.series.values())
        floor = a.get("/v1/stats/history", params={"minutes": 60}).json()["history"]["floor"]
        assert len(floor) == 120
        assert floor[-1]["at"] == T0 + 150 * 30


def test_history_survives_a_restart_with_db(tmp_path) -> None:
    db = tmp_path / "cc.db"
    with running_server(agents=1, bots=0, traffic=False, manual_clock=True, seed=3,
                        db=db) as srv:
        _script_history(srv)
        before = DemoClient(srv.url, "supervisor").get(
            "/v1/stats/history", params={"minutes": 60}).json()["history"]
    with running_server(agents=1, bots=0, traffic=False, manual_clock=True, seed=3,
                        db=db) as srv:
        sup = DemoClient(srv.url, "supervisor")
        after = sup.get("/v1/stats/history", params={"minutes": 60}).json()["history"]
        stats = sup.get("/v1/stats").json()["stats"]
    # Every closed bucket is back; the bucket open at shutdown is not kept.
    assert len(before["floor"]) == 34
    assert after["floor"] == before["floor"][:-1]
    assert after["queues"][0]["points"] == before["queues"][0]["points"][:-1]
    # The metric records kept their channel: the channel rows are rebuilt after a restart.
    support = _support(stats)
    assert (_channel(support, "chat")["abandoned"], _channel(support, "voice")["answered"]) == \
        (1, 1)
    assert support["rolling"]["window_s"] == 900.0


def test_a_database_from_before_channels_gets_the_new_columns(tmp_path) -> None:
    import sqlite3

    from agentdesk.mockserver.persistence import Store

    path = tmp_path / "old.db"
    conn = sqlite3.connect(path)
    conn.execute("CREATE TABLE outcomes (n INTEGER PRIMARY KEY AUTOINCREMENT, queue_id TEXT, "
                 "wait_s REAL, answered INTEGER)")
    conn.execute("INSERT INTO outcomes (queue_id, wait_s, answered) VALUES ('support', 5, 1)")
    conn.commit()
    conn.close()
    store = Store(str(path))
    try:
        columns = {row[1] for row in store.conn.execute("PRAGMA table_info(outcomes)")}
        assert {"channel", "at"} <= columns
        assert store.conn.execute("SELECT queue_id, wait_s, answered, channel, at "
                                  "FROM outcomes").fetchall() == [("support", 5.0, 1, None, None)]
    finally:
        store.close()
