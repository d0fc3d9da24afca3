"""The mock server's state holder: simulation + hub + auth + idempotency + store.

All of it lives on the event loop's thread. Every request handler and clock
tick ends with `commit()`, which numbers the new events, persists everything
that changed (with --db) and only then releases the events to the sockets, so
a client never sees an event a restarted server has forgotten.
"""

from __future__ import annotations

import json
import logging
import time
from collections import deque
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from agentdesk.domain.models import Role, User
from agentdesk.mockserver.auth import Auth
from agentdesk.mockserver.hub import EventHub
from agentdesk.mockserver.idempotency import IdempotencyStore
from agentdesk.mockserver.sim.clock import SimClock
from agentdesk.mockserver.sim.content import KbLibrary, load_canned, load_dispositions
from agentdesk.mockserver.sim.engine import Changes, SimOptions, Simulation
from agentdesk.mockserver.sim.scenario import load_scenario
from agentdesk.protocol.events import KbData

log = logging.getLogger("agentdesk.mockserver")

HEARTBEAT_S = 10.0
AUDIT_LIMIT = 10_000


@dataclass(slots=True)
class ServerOptions:
    """Mirror of the `agentdesk mock-server` options."""

    seed: int = 7
    speed: float = 1.0
    agents: int = 12
    bots: int | None = None
    traffic: bool = True
    sim: bool = True  # the /sim control endpoints
    manual_clock: bool = False
    db: str | None = None
    scenario: str | None = None
    capacity: str | None = None  # per-agent capacity spec, e.g. "chat=20@5" (over the scenario)
    calling_window: str | None = None  # "08:00-21:00": customers' local hours for outbound
    host: str = "127.0.0.1"
    port_hint: int = 0  # the port asked for (0: any free one); used by the CLI
    kb_dir: str | None = None
    replay_limit: int = 5000
    heartbeat_s: float = HEARTBEAT_S
    socket_queue_limit: int = 20000  # frames waiting for one slow socket before 4008
    kb_rescan_s: float = 5.0
    token_ttl_s: float = 12 * 3600.0  # a token's lifetime from its login (wall time)
    sim_contacts_per_s: float = 100.0  # POST /sim/contacts budget (429 beyond) ...
    sim_contacts_burst: int = 1_000  # ... and how many at once


class MockServer:
    def __init__(self, options: ServerOptions) -> None:
        self.options = options
        self.scenario = load_scenario(options.scenario, options.capacity,
                                      options.calling_window)
        self.dispositions = load_dispositions()
        self.canned = load_canned()
        self.kb = KbLibrary(Path(options.kb_dir) if options.kb_dir else None)
        self.clock = SimClock(manual=options.manual_clock, speed=options.speed)
        self.store = None
        saved: dict[str, Any] | None = None
        if options.db:
            from agentdesk.mockserver.persistence import Store
            self.store = Store(options.db)
            saved = self.store.load_meta()
            if saved:
                self._adopt_saved_options(saved)
        self.sim = Simulation(self._sim_options(), self.scenario, self.clock)
        self.sim.drain()
        self.auth = Auth(self.options.agents, token_ttl_s=options.token_ttl_s)
        self.hub = EventHub(options.replay_limit, track_new=self.store is not None,
                            socket_queue_limit=options.socket_queue_limit)
        for user in self.auth.users.values():
            self.hub.add_recipient(user.id, user.role is Role.SUPERVISOR)
        self.idempotency = IdempotencyStore()
        self.audit: deque[dict[str, Any]] = deque(maxlen=AUDIT_LIMIT)
        self.new_audit: list[dict[str, Any]] = []
        self.background: set[Any] = set()  # asyncio tasks started by requests (/sim/burst)
        from agentdesk.mockserver.ratelimit import RateLimit, RateLimiter
        self.sim_contact_budget = RateLimiter(RateLimit(
            options.sim_contacts_per_s, options.sim_contacts_burst, address_factor=1))
        if self.store is not None:
            if saved:
                self.store.restore(self)
                log.info("state restored from %s (sim time %.1f)", options.db, self.sim.now)
            else:
                self.store.save_meta(self)
            self.commit()

    def _adopt_saved_options(self, saved: dict[str, Any]) -> None:
        for key in ("seed", "agents", "bots", "traffic"):
            if key in saved and getattr(self.options, key) != saved[key]:
                log.warning("--db: keeping the saved %s=%r (asked for %r)", key, saved[key],
                            getattr(self.options, key))
                setattr(self.options, key, saved[key])

    def _sim_options(self) -> SimOptions:
        o = self.options
        return SimOptions(seed=o.seed, agents=o.agents, bots=o.bots, traffic=o.traffic,
                          dispositions=tuple(d.code for d in self.dispositions))

    # -- the commit point -------------------------------------------------------------

    def sync_clock(self) -> None:
        """Fire every timer due by now (real clock) before acting on a request."""
        self.sim.advance_to(self.clock.now())

    def commit(self) -> None:
        events = self.sim.drain()
        if events:
            self.hub.publish(events)
        if self.store is not None:
            self.store.flush(self)
        else:
            self.sim.changes = Changes()  # only the store reads them: do not let them pile up
        self.hub.release()

    def tick(self) -> None:
        if not self.clock.manual:
            self.sync_clock()
        self.commit()

    def rescan_kb(self) -> None:
        changed, removed = self.kb.rescan()
        if changed or removed:
            self.sim.emit("kb.updated", KbData(articles=changed, removed=removed), everyone=True)
            self.commit()

    def heartbeat_frame(self) -> str:
        return json.dumps({"type": "heartbeat", "at": self.clock.now()}, separators=(",", ":"))

    # -- audit of supervisor reads --------------------------------------------------------

    def record_audit(self, user: User, method: str, path: str, query: str) -> None:
        entry = {"at": self.sim.now, "wall": time.time(), "user": user.id, "method": method,
                 "path": path + (f"?{query}" if query else "")}
        self.audit.append(entry)
        if self.store is not None:
            self.new_audit.append(entry)

    def close(self) -> None:
        if self.store is not None:
            self.commit()
            self.store.close()
            self.store = None
