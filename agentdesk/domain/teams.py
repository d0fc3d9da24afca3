"""A supervisor's view of the agents board: teams, grouping, a saved filter and
column set (the config's `[monitor.teams]` and `[monitor.views.NAME]`). Pure.

Grouping by team puts each agent under the team that lists them (the first
one, if several do; "no team" otherwise); by queue, under the first of their
queues (an agent in several queues is listed once), so every agent shows
exactly once."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any

from agentdesk.domain.models import AgentInfo

GROUPS = ("", "team", "queue")
NO_TEAM = "no team"
NO_QUEUE = "no queue"


@dataclass(frozen=True, slots=True)
class BoardView:
    filter: str = ""
    columns: tuple[str, ...] = ()  # empty: every column
    group: str = ""  # "", "team" or "queue"
    team_of: Mapping[str, str] = field(default_factory=dict)  # agent id -> team

    def group_of(self, agent: AgentInfo, queue_names: Mapping[str, str]) -> str:
        if self.group == "team":
            return self.team_of.get(agent.id, NO_TEAM)
        if self.group == "queue":
            return queue_names.get(agent.queues[0], agent.queues[0]) if agent.queues else NO_QUEUE
        return ""


def board_view(monitor: Any, user: str, known_columns: Iterable[str]) -> tuple[BoardView, list[str]]:
    """The view of supervisor `user` from the config's `[monitor]` section
    (config.MonitorSettings), and its problems (unknown columns or group),
    each left out with a one-line message."""
    problems: list[str] = []
    team_of: dict[str, str] = {}
    for team, members in monitor.teams.items():
        for agent_id in (m.strip() for m in members.split(",")):
            if agent_id:
                team_of.setdefault(agent_id, team)
    settings = monitor.views.get(user)
    if settings is None:
        return BoardView(team_of=team_of), problems
    known = list(known_columns)
    columns = []
    for name in (c.strip() for c in settings.columns.split(",")):
        if not name:
            continue
        if name in known:
            columns.append(name)
        else:
            problems.append(f"monitor.views.{user}.columns: unknown column {name!r} "
                            f"(known: {', '.join(known)})")
    group = settings.group.strip().lower()
    if group not in GROUPS:
        problems.append(f"monitor.views.{user}.group: {settings.group!r} is not team or queue")
        group = ""
    if group == "team" and not team_of:
        problems.append(f"monitor.views.{user}.group: team, but [monitor.teams] lists none")
    return BoardView(settings.filter, tuple(columns), group, team_of), problems
