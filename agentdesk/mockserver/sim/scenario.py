"""Scenario configuration: arrival rates, queues, timers, bot behaviour.

Defaults live here; a TOML file (`--scenario`) overrides any subset of them,
after `scenario_check` found nothing wrong with it. The shipped
`data/scenario.example.toml` documents every key.
"""

from __future__ import annotations

import tomllib
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from agentdesk.domain.compliance import CallingWindow
from agentdesk.domain.models import Channel, Queue
from agentdesk.mockserver.sim import scenario_check
from agentdesk.mockserver.sim.capacity_rule import DEFAULT_RULE, CapacityRule, parse_capacity


@dataclass(slots=True)
class QueueSpec:
    queue: Queue
    skills: list[str]


def _default_queues() -> list[QueueSpec]:
    live = [Channel.CHAT, Channel.SMS, Channel.SOCIAL, Channel.VOICE]
    return [
        QueueSpec(Queue(id="support", name="Technical support", channels=live,
                        sl_threshold_s=20, sl_target_pct=80), ["tech", "account"]),
        QueueSpec(Queue(id="billing", name="Billing", channels=live,
                        sl_threshold_s=30, sl_target_pct=80), ["billing"]),
        QueueSpec(Queue(id="sales", name="Sales", channels=live,
                        sl_threshold_s=20, sl_target_pct=85), ["sales"]),
        QueueSpec(Queue(id="email", name="Email care", channels=[Channel.EMAIL],
                        sl_threshold_s=14400, sl_target_pct=90),
                  ["tech", "billing", "sales", "account"]),
    ]


Range = tuple[float, float]


@dataclass(slots=True)
class Scenario:
    arrivals_per_h: dict[Channel, float] = field(default_factory=lambda: {
        Channel.CHAT: 40.0, Channel.EMAIL: 12.0, Channel.SMS: 12.0,
        Channel.SOCIAL: 8.0, Channel.VOICE: 24.0})
    offer_timeout_s: float = 20.0
    acw_limit_s: float = 60.0
    consult_timeout_s: float = 30.0
    patience_s: dict[Channel, Range] = field(default_factory=lambda: {
        Channel.VOICE: (60.0, 240.0), Channel.CHAT: (120.0, 480.0),
        Channel.SMS: (900.0, 3600.0), Channel.SOCIAL: (900.0, 3600.0),
        Channel.EMAIL: (86400.0, 172800.0)})
    reply_sla_s: dict[Channel, float] = field(default_factory=lambda: {
        Channel.CHAT: 60.0, Channel.SMS: 300.0, Channel.SOCIAL: 600.0,
        Channel.EMAIL: 14400.0})
    bot_accept_delay_s: Range = (2.0, 6.0)
    bot_reply_delay_s: Range = (6.0, 20.0)
    bot_wrapup_delay_s: Range = (5.0, 25.0)
    bot_break_every_s: Range = (1800.0, 3600.0)
    bot_break_length_s: Range = (300.0, 900.0)
    segment_every_s: float = 4.0
    stats_every_s: float = 1.5
    queues: list[QueueSpec] = field(default_factory=_default_queues)
    capacity: CapacityRule = DEFAULT_RULE  # per agent: units, channel limits and costs
    # customers' local hours in which outbound calls and callbacks are allowed
    calling_window: CallingWindow = field(default_factory=CallingWindow)
    # The default rates suit the default floor of 12 agents and grow with the floor;
    # rates given in a scenario file are taken as they are.
    arrivals_scale_with_agents: bool = True
    REFERENCE_AGENTS = 12

    def queue_for(self, skill: str, channel: Channel) -> str:
        """The queue a new contact of this topic skill and channel lands in."""
        for spec in self.queues:
            if skill in spec.skills and channel in spec.queue.channels:
                return spec.queue.id
        for spec in self.queues:
            if channel in spec.queue.channels:
                return spec.queue.id
        return self.queues[0].queue.id


class ScenarioError(ValueError):
    """A scenario file that cannot be used: one line per problem (file:line: key: reason)."""


def load_scenario(path: str | Path | None, capacity: str | None = None,
                  calling_window: str | None = None) -> Scenario:
    """Defaults, overridden by the TOML file at `path` (if any) and then by a
    `--capacity` spec. Raises ScenarioError naming every problem."""
    sc = Scenario()
    if path is not None:
        try:
            text = Path(path).read_text(encoding="utf-8")
            raw = tomllib.loads(text)
        except OSError as exc:
            raise ScenarioError(f"scenario {path}: {exc.strerror or exc}") from None
        except UnicodeDecodeError:
            raise ScenarioError(f"scenario {path}: not a UTF-8 text file") from None
        except tomllib.TOMLDecodeError as exc:
            raise ScenarioError(f"{path}: not valid TOML: {exc}") from None
        problems = scenario_check.check(raw, text, path)
        if not problems:
            _apply(sc, raw)
            problems = [f"{path}: capacity: {p}" for p in sc.capacity.problems()]
        if problems:
            raise ScenarioError("\n".join(problems))
    if calling_window:
        try:
            sc.calling_window = CallingWindow.parse(calling_window)
        except ValueError as exc:
            raise ScenarioError(f"--calling-window: {exc}") from None
    if capacity:
        try:
            sc.capacity = parse_capacity(capacity, sc.capacity)
        except ValueError as exc:
            raise ScenarioError(f"--capacity {capacity}: {exc}") from None
    return sc


def _apply(sc: Scenario, raw: dict[str, Any]) -> None:
    """Take the values of a file that passed scenario_check."""
    for ch, rate in raw.get("arrivals", {}).items():
        sc.arrivals_per_h[Channel(ch)] = float(rate)
        sc.arrivals_scale_with_agents = False
    routing = raw.get("routing", {})
    sc.offer_timeout_s = float(routing.get("offer_timeout_s", sc.offer_timeout_s))
    sc.acw_limit_s = float(routing.get("acw_limit_s", sc.acw_limit_s))
    sc.consult_timeout_s = float(routing.get("consult_timeout_s", sc.consult_timeout_s))
    for ch, (lo, hi) in raw.get("patience", {}).items():
        sc.patience_s[Channel(ch)] = (float(lo), float(hi))
    for ch, secs in raw.get("reply_sla_s", {}).items():
        sc.reply_sla_s[Channel(ch)] = float(secs)
    bots = raw.get("bots", {})
    for key in scenario_check.BOT_RANGES:
        if key in bots:
            lo, hi = bots[key]
            setattr(sc, f"bot_{key}", (float(lo), float(hi)))
    sc.segment_every_s = float(raw.get("call", {}).get("segment_every_s", sc.segment_every_s))
    sc.stats_every_s = float(raw.get("stats", {}).get("every_s", sc.stats_every_s))
    if raw.get("queues"):
        sc.queues = [
            QueueSpec(
                Queue(id=str(q["id"]), name=str(q.get("name", q["id"])),
                      channels=[Channel(c) for c in q.get("channels", [c.value for c in Channel])],
                      sl_threshold_s=float(q.get("sl_threshold_s", 20.0)),
                      sl_target_pct=float(q.get("sl_target_pct", 80.0))),
                [str(s) for s in q.get("skills", [])],
            )
            for q in raw["queues"]
        ]
    window = raw.get("compliance", {}).get("calling_window")
    if window:
        sc.calling_window = CallingWindow.parse(window)
    cap = raw.get("capacity", {})
    if cap:
        sc.capacity = sc.capacity.updated(total=cap.get("total"), limits=cap.get("limits"),
                                          costs=cap.get("costs"))
