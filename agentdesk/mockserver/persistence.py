"""`--db PATH`: keep the mock server's state in SQLite (stdlib, WAL).

What is kept: the options the world was made with (seed, agents, bots,
traffic), the simulation core (agents, timers, counters, RNG state, sim clock),
interactions, live timeline items, metric records, the closed buckets of the
stats history, every recipient's last seq and replay buffer, tokens,
idempotency keys and the supervisor audit log.

`flush()` runs inside `MockServer.commit()` *before* events are released to
sockets, in one transaction, so whatever a client has seen is on disk: after a
crash or restart a client resuming with its last seq gets the missed events or
a resync, never a duplicate and never a seq that goes backwards.
"""

from __future__ import annotations

import json
import sqlite3
from typing import TYPE_CHECKING, Any

from agentdesk.domain.metrics import ContactOutcome, HandledContact
from agentdesk.domain.models import Callback, Channel, Customer, Interaction, TimelineItem
from agentdesk.mockserver.hub import Entry
from agentdesk.mockserver.sim.customers import CustomerBase
from agentdesk.mockserver.sim.engine import Changes
from agentdesk.mockserver.sim.state import AgentState, InteractionMeta
from agentdesk.mockserver.sim.timers import Timers
from agentdesk.store.schema import Step, add_missing_columns, migrate

if TYPE_CHECKING:
    from agentdesk.mockserver.server import MockServer

# The server's --db file, versioned with `PRAGMA user_version`
# (agentdesk/store/schema.py). Add a step at the end; never edit a released one.
STEPS: tuple[Step, ...] = (
    # 1: agentdesk 0.1
    """
CREATE TABLE IF NOT EXISTS meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS interactions (id TEXT PRIMARY KEY, data TEXT NOT NULL,
                                         meta TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS items (n INTEGER PRIMARY KEY AUTOINCREMENT, id TEXT UNIQUE,
                                  customer_id TEXT NOT NULL, data TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS outcomes (n INTEGER PRIMARY KEY AUTOINCREMENT, queue_id TEXT,
                                     wait_s REAL, answered INTEGER);
CREATE TABLE IF NOT EXISTS handled (n INTEGER PRIMARY KEY AUTOINCREMENT, queue_id TEXT,
                                    agent_id TEXT, handle_s REAL);
CREATE TABLE IF NOT EXISTS events (id INTEGER PRIMARY KEY AUTOINCREMENT, kind TEXT NOT NULL,
                                   at REAL NOT NULL, data TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS deliveries (user_id TEXT NOT NULL, seq INTEGER NOT NULL,
                                       event_id INTEGER NOT NULL,
                                       PRIMARY KEY (user_id, seq));
CREATE TABLE IF NOT EXISTS recipients (user_id TEXT PRIMARY KEY, last_seq INTEGER NOT NULL);
CREATE TABLE IF NOT EXISTS tokens (token TEXT PRIMARY KEY, user_id TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS idempotency (user_id TEXT NOT NULL, client_id TEXT NOT NULL,
                                        status INTEGER NOT NULL, body BLOB NOT NULL,
                                        PRIMARY KEY (user_id, client_id));
CREATE TABLE IF NOT EXISTS audit (n INTEGER PRIMARY KEY AUTOINCREMENT, data TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS history (bucket INTEGER PRIMARY KEY, data TEXT NOT NULL)
""",
    # 2-3: per-channel metrics (files from before versions were kept may have these already)
    add_missing_columns("outcomes", (("channel", "TEXT"), ("at", "REAL"))),
    add_missing_columns("handled", (("channel", "TEXT"), ("at", "REAL"))),
    # 4-5: token expiry and revocation; the request a client_id was first used for
    add_missing_columns("tokens", (("expires_at", "REAL"),)),
    add_missing_columns("idempotency", (("request", "TEXT"),)),
    # 6: what interval reports are built from (arrivals, transfers, presence spans)
    """
CREATE TABLE IF NOT EXISTS report_log (n INTEGER PRIMARY KEY AUTOINCREMENT, kind TEXT NOT NULL,
                                       at REAL NOT NULL, data TEXT NOT NULL)
""",
    # 7: scheduled callbacks; customers' do-not-call and consent changes (over the seeded
    # profiles, which are not stored)
    """
CREATE TABLE IF NOT EXISTS callbacks (id TEXT PRIMARY KEY, data TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS customer_compliance (customer_id TEXT PRIMARY KEY,
                                                data TEXT NOT NULL)
""",
)
PRUNE_EVERY = 500  # flushes


class Store:
    def __init__(self, path: str) -> None:
        self.conn = sqlite3.connect(path, isolation_level=None, check_same_thread=False)
        self.conn.execute("PRAGMA journal_mode=WAL")
        self.conn.execute("PRAGMA synchronous=NORMAL")
        migrate(self.conn, STEPS, name=path)
        self._flushes = 0

    # -- meta ----------------------------------------------------------------------

    def load_meta(self) -> dict[str, Any] | None:
        row = self.conn.execute("SELECT value FROM meta WHERE key='options'").fetchone()
        return json.loads(row[0]) if row else None

    def save_meta(self, server: MockServer) -> None:
        o = server.options
        options = {"seed": o.seed, "agents": o.agents, "bots": o.bots, "traffic": o.traffic}
        self.conn.execute("INSERT OR REPLACE INTO meta VALUES ('options', ?)",
                          (json.dumps(options),))

    # -- writing ---------------------------------------------------------------------

    def flush(self, server: MockServer) -> None:
        sim, hub, auth, idem = server.sim, server.hub, server.auth, server.idempotency
        changes, sim.changes = sim.changes, Changes()
        entries, hub.new_entries = hub.new_entries, []
        dirty_recipients, hub.dirty_recipients = hub.dirty_recipients, set()
        tokens, auth.new_tokens = auth.new_tokens, []
        revoked, auth.revoked = auth.revoked, []
        keys, idem.new = idem.new, []
        audit, server.new_audit = server.new_audit, []
        core_dirty = bool(entries or changes.interactions or changes.items or dirty_recipients)
        report = sim.report_log.take_new()
        if not (core_dirty or tokens or revoked or keys or audit or changes.outcomes or changes.handled
                or changes.history or report or changes.callbacks or changes.customers):
            return
        c = self.conn
        c.execute("BEGIN")
        try:
            for iid in changes.interactions:
                c.execute("INSERT OR REPLACE INTO interactions VALUES (?, ?, ?)",
                          (iid, sim.interactions[iid].model_dump_json(),
                           json.dumps(sim.meta[iid].to_json())))
            c.executemany("INSERT OR IGNORE INTO items (id, customer_id, data) VALUES (?, ?, ?)",
                          [(i.id, i.customer_id, i.model_dump_json()) for i in changes.items])
            c.executemany(
                "INSERT INTO outcomes (queue_id, wait_s, answered, channel, at) "
                "VALUES (?, ?, ?, ?, ?)",
                [(o.queue_id, o.wait_s, int(o.answered), _channel_text(o.channel), o.at)
                 for o in changes.outcomes])
            c.executemany(
                "INSERT INTO handled (queue_id, agent_id, handle_s, channel, at) "
                "VALUES (?, ?, ?, ?, ?)",
                [(h.queue_id, h.agent_id, h.handle_s, _channel_text(h.channel), h.at)
                 for h in changes.handled])
            c.executemany("INSERT INTO report_log (kind, at, data) VALUES (?, ?, ?)", report)
            c.executemany("INSERT OR REPLACE INTO callbacks VALUES (?, ?)",
                          [(i, sim.callbacks[i].model_dump_json()) for i in changes.callbacks])
            c.executemany("INSERT OR REPLACE INTO customer_compliance VALUES (?, ?)",
                          [(i, _compliance_json(sim.customers.customers[i]))
                           for i in changes.customers])
            if changes.history:
                c.executemany("INSERT OR REPLACE INTO history VALUES (?, ?)", changes.history)
                c.execute("DELETE FROM history WHERE bucket <= ?",
                          (changes.history[-1][0] - sim.history.recorder.keep,))
            self._write_entries(entries)
            c.executemany("INSERT OR REPLACE INTO recipients VALUES (?, ?)",
                          [(u, hub.recipients[u].last_seq) for u in dirty_recipients])
            c.executemany("INSERT OR REPLACE INTO tokens (token, user_id, expires_at) "
                          "VALUES (?, ?, ?)", tokens)
            c.executemany("DELETE FROM tokens WHERE token = ?", [(t,) for t in revoked])
            c.executemany("INSERT OR REPLACE INTO idempotency (user_id, client_id, status, body, "
                          "request) VALUES (?, ?, ?, ?, ?)", keys)
            c.executemany("INSERT INTO audit (data) VALUES (?)",
                          [(json.dumps(a),) for a in audit])
            if core_dirty:
                c.execute("INSERT OR REPLACE INTO meta VALUES ('core', ?)",
                          (json.dumps(core_of(server)),))
            c.execute("COMMIT")
        except BaseException:
            c.execute("ROLLBACK")
            raise
        self._flushes += 1
        if self._flushes % PRUNE_EVERY == 0:
            self.prune(server.hub.replay_limit)

    def _write_entries(self, entries: list[tuple[str, Entry]]) -> None:
        event_ids: dict[int, int] = {}  # id(data_json) -> events.id: one row per event
        rows = []
        for user_id, entry in entries:
            key = id(entry.data_json)
            event_id = event_ids.get(key)
            if event_id is None:
                cur = self.conn.execute("INSERT INTO events (kind, at, data) VALUES (?, ?, ?)",
                                        (entry.kind, entry.at, entry.data_json))
                event_id = event_ids[key] = int(cur.lastrowid or 0)
            rows.append((user_id, entry.seq, event_id))
        self.conn.executemany("INSERT OR REPLACE INTO deliveries VALUES (?, ?, ?)", rows)

    def prune(self, replay_limit: int) -> None:
        c = self.conn
        c.execute("""DELETE FROM deliveries WHERE seq <= (SELECT last_seq FROM recipients r
                     WHERE r.user_id = deliveries.user_id) - ?""", (replay_limit,))
        c.execute("DELETE FROM events WHERE id NOT IN (SELECT event_id FROM deliveries)")

    def close(self) -> None:
        try:
            self.conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
        finally:
            self.conn.close()

    # -- reading -----------------------------------------------------------------------

    def restore(self, server: MockServer) -> None:
        c, sim, hub = self.conn, server.sim, server.hub
        row = c.execute("SELECT value FROM meta WHERE key='core'").fetchone()
        if row:
            restore_core(server, json.loads(row[0]))
        for iid, data, meta in c.execute("SELECT id, data, meta FROM interactions"):
            ix = Interaction.model_validate_json(data)
            sim.interactions[iid] = ix
            sim.meta[iid] = InteractionMeta.from_json(json.loads(meta))
            if ix.state.value in ("queued", "offered", "active", "wrapup"):
                sim.open_ids.add(iid)
        for cid, data in c.execute("SELECT customer_id, data FROM items ORDER BY n"):
            sim.items.setdefault(cid, []).append(TimelineItem.model_validate_json(data))
        sim.outcomes = [ContactOutcome(q, w, bool(a), _channel(ch), float(at or 0.0))
                        for q, w, a, ch, at in c.execute(
                            "SELECT queue_id, wait_s, answered, channel, at FROM outcomes "
                            "ORDER BY n")]
        sim.handled = [HandledContact(q, a, h, _channel(ch), float(at or 0.0))
                       for q, a, h, ch, at in c.execute(
                           "SELECT queue_id, agent_id, handle_s, channel, at FROM handled "
                           "ORDER BY n")]
        sim.history.restore(c.execute("SELECT bucket, data FROM history ORDER BY bucket")
                            .fetchall())
        sim.report_log.restore(c.execute("SELECT kind, at, data FROM report_log ORDER BY n"))
        for (data,) in c.execute("SELECT data FROM callbacks ORDER BY id"):
            cb = Callback.model_validate_json(data)
            sim.callbacks[cb.id] = cb
        for cid, data in c.execute("SELECT customer_id, data FROM customer_compliance"):
            if cid in sim.customers.customers:
                saved = Customer.model_validate_json(data)
                sim.customers.customers[cid] = sim.customers.customers[cid].model_copy(
                    update={"dnc": saved.dnc, "consent": saved.consent})
        for user_id, last_seq in c.execute("SELECT user_id, last_seq FROM recipients"):
            if user_id in hub.recipients:
                hub.recipients[user_id].last_seq = last_seq
        for user_id, rec in hub.recipients.items():
            rows = c.execute("""SELECT d.seq, e.kind, e.at, e.data FROM deliveries d
                                JOIN events e ON e.id = d.event_id WHERE d.user_id = ?
                                ORDER BY d.seq DESC LIMIT ?""", (user_id, hub.replay_limit))
            for seq, kind, at, data in reversed(rows.fetchall()):
                rec.buffer.append(Entry(seq, kind, at, data))
        auth = server.auth
        for token, user_id, expires_at in c.execute(
                "SELECT token, user_id, expires_at FROM tokens ORDER BY rowid"):
            # a token saved before expiry existed lives one lifetime from this start
            auth.add(token, user_id, expires_at if expires_at is not None
                     else auth.clock() + auth.token_ttl_s)
        for user_id, client_id, status, body, request in c.execute(
                "SELECT user_id, client_id, status, body, request FROM idempotency ORDER BY rowid"):
            server.idempotency.put(user_id, client_id, status, bytes(body), request or "",
                                   persist=False)
        for (data,) in c.execute("SELECT data FROM audit ORDER BY n DESC LIMIT 10000"):
            server.audit.appendleft(json.loads(data))


def core_of(server: MockServer) -> dict[str, Any]:
    sim = server.sim
    version, state, gauss = sim.rng.getstate()
    return {
        "now": sim.now, "anchor": sim.anchor, "last_stats_at": sim.last_stats_at,
        "counters": sim.counters, "offered_count": sim.offered_count,
        "offered_by_channel": sim.offered_by_channel,
        "agents": [a.to_json() for a in sim.agents.values()],
        "timers": sim.timers.to_json(), "rng": [version, list(state), gauss],
    }


def restore_core(server: MockServer, core: dict[str, Any]) -> None:
    sim = server.sim
    server.clock.restore(float(core["now"]))  # a real clock never restarts in the past
    sim.now = float(core["now"])  # timers due in between fire on the first tick
    if float(core["anchor"]) != sim.anchor:
        sim.anchor = float(core["anchor"])
        sim.customers = CustomerBase(sim.options.seed, sim.anchor, sim.topics,
                                     sim.options.customers,
                                     calling_window=str(sim.scenario.calling_window))
    sim.last_stats_at = float(core["last_stats_at"])
    sim.counters.update(core["counters"])
    sim.offered_count.update(core["offered_count"])
    sim.offered_by_channel.update(core.get("offered_by_channel", {}))  # absent in older files
    for data in core["agents"]:
        agent = AgentState.from_json(data)
        agent.capacity = sim.scenario.capacity  # the rule of this start, not a saved one
        sim.agents[agent.id] = agent
    sim.timers = Timers.from_json(core["timers"])
    version, state, gauss = core["rng"]
    sim.rng.setstate((version, tuple(state), gauss))


_COMPLIANCE = {"dnc", "consent"}


def _compliance_json(customer: Customer) -> str:
    """What /sim changed of a customer: DNC and consent (the rest is seeded)."""
    fields = customer.model_dump(mode="json", include=_COMPLIANCE)
    return json.dumps({"id": customer.id, "name": customer.name, **fields})


def _channel_text(channel: Channel | None) -> str | None:
    return channel.value if channel is not None else None


def _channel(text: str | None) -> Channel | None:
    try:
        return Channel(text) if text else None
    except ValueError:
        return None
