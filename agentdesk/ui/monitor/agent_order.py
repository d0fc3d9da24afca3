"""The agents board's order and filter: natural name order, the sort columns
(every key ascending, ties by name then login) and the `/` filter words.
Textual-free logic of `agent_board.py` (one job per file)."""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from functools import lru_cache

from agentdesk.domain.floor import Floor
from agentdesk.domain.models import AgentInfo, RoutingState
from agentdesk.ui.glyphs import PRESENCE_LABEL, ROUTING_LABEL


@lru_cache(maxsize=8192)  # names and logins rarely change; sorts run on every refresh
def natural(text: str) -> tuple:
    """"Agent 2" before "Agent 10"."""
    return tuple(int(p) if p.isdigit() else p for p in re.split(r"(\d+)", text.casefold()))


STATE_ORDER = {s: i for i, s in enumerate((
    RoutingState.NOT_RESPONDING, RoutingState.OFFERED, RoutingState.BUSY, RoutingState.ACW,
    RoutingState.IDLE, RoutingState.OFF_QUEUE))}

# Sort columns the sort key cycles through: (label, key function on (floor, agent)).
# Every key is ascending: "↑" lists the smallest first (shortest time in state,
# least capacity used, fewest handled or missed; states in STATE_ORDER), "↓"
# reverses it. Ties always fall back to the name, then the login, in natural
# order ("Agent 4" before "Agent 10") and ascending in both directions.
SortKey = Callable[[Floor, AgentInfo], object]
SORTS: tuple[tuple[str, SortKey], ...] = (
    ("name", lambda f, a: natural(a.name)),
    ("state", lambda f, a: (STATE_ORDER.get(a.routing_state, 9), a.routing_since)),
    ("time in state", lambda f, a: f.time_in_state(a.id)),
    ("capacity", lambda f, a: a.capacity.used),
    ("handled", lambda f, a: f.agent_stats[a.id].handled if a.id in f.agent_stats else 0),
    ("missed", lambda f, a: f.agent_stats[a.id].missed if a.id in f.agent_stats else 0),
    ("login", lambda f, a: natural(a.id)),
)


def tie_break(agent: AgentInfo) -> tuple:
    """The order of agents a sort key leaves equal: name, then login, naturally."""
    return natural(agent.name), natural(agent.id)


def sorted_ids(floor: Floor, ids: Iterable[str], sort_index: int, reverse: bool) -> list[str]:
    """`ids` in the order of sort column `sort_index` (reversed if `reverse`); ties
    in natural name order whichever the direction (two stable sorts)."""
    agents = floor.agents
    key = SORTS[sort_index][1]
    out = sorted(ids, key=lambda aid: tie_break(agents[aid]))
    out.sort(key=lambda aid: key(floor, agents[aid]), reverse=reverse)
    return out


@dataclass(frozen=True, slots=True)
class AgentFilter:
    """name: substring of name or login; queue: queue id or name substring;
    state: routing state or presence (value or label). Empty matches everything."""

    name: str = ""
    queue: str = ""
    state: str = ""

    @classmethod
    def parse(cls, text: str) -> AgentFilter:
        """`queue:billing state:busy ann` (order free; `q:` and `s:` also work)."""
        name: list[str] = []
        queue = state = ""
        for word in text.split():
            low = word.casefold()
            if low.startswith(("queue:", "q:")):
                queue = low.split(":", 1)[1]
            elif low.startswith(("state:", "s:")):
                state = low.split(":", 1)[1]
            else:
                name.append(low)
        return cls(" ".join(name), queue, state)

    def __bool__(self) -> bool:
        return bool(self.name or self.queue or self.state)

    def matches(self, floor: Floor, agent: AgentInfo) -> bool:
        if self.name and self.name not in agent.name.casefold() \
                and self.name not in agent.id.casefold():
            return False
        if self.queue:
            names = [(q, floor.queues[q].name.casefold() if q in floor.queues else q)
                     for q in agent.queues]
            if not any(self.queue == q.casefold() or self.queue in n for q, n in names):
                return False
        if self.state:
            words = {agent.routing_state.value, ROUTING_LABEL[agent.routing_state].casefold(),
                     agent.presence.value, PRESENCE_LABEL[agent.presence].casefold()}
            wanted = self.state.replace(" ", "_")
            if not any(w.replace(" ", "_").startswith(wanted) for w in words):
                return False
        return True
