"""My callbacks due today (pure rows) and the reducer's callback events."""

from __future__ import annotations

import datetime as dt

from agentdesk.domain import session as S
from agentdesk.domain.callback_day import due_today
from agentdesk.domain.events import CallbackChanged
from agentdesk.domain.models import Callback, Role, User

NOW = 1772442000.0  # Mon 2 Mar 2026 09:00 UTC
ME = User(id="agent1", name="Ada", role=Role.AGENT)


def cb(cid: str, at: float, state: str = "scheduled", agent: str | None = "agent1",
       by: str = "agent1", missed: int = 0) -> Callback:
    return Callback(id=cid, customer_id="c1", customer_name="Maya", at=at, note="n",
                    agent_id=agent, queue_id="support", state=state, created_by=by,
                    created_at=NOW - 100, missed=missed)


def test_mine_of_today_and_still_open_ones_by_time_with_their_state() -> None:
    rows = due_today([
        cb("later", NOW + 3600),
        cb("now", NOW - 60),  # its time has come: due even before the offer
        cb("offered", NOW - 120, state="offered"),
        cb("missed", NOW - 900, state="offered", missed=1),
        cb("done", NOW - 1800, state="dialled"),
        cb("yesterday-open", NOW - 86400, state="offered", missed=2),
        cb("yesterday-done", NOW - 86400, state="dialled"),
        cb("tomorrow", NOW + 86400),
        cb("someone-else", NOW + 60, agent="agent2", by="agent2"),
        cb("I-asked-for-them", NOW + 120, agent="agent2", by="agent1"),
    ], "agent1", NOW, dt.UTC)
    assert [(r.callback_id, r.state) for r in rows] == [
        ("yesterday-open", "missed"), ("done", "done"), ("missed", "missed"),
        ("offered", "due"), ("now", "due"), ("I-asked-for-them", "scheduled"),
        ("later", "scheduled")]


def test_today_is_the_agents_day() -> None:
    late = NOW + 14 * 3600  # 23:00 UTC, already tomorrow in Warsaw
    assert [r.callback_id for r in due_today([cb("x", late)], "agent1", NOW, dt.UTC)] == ["x"]
    warsaw = dt.timezone(dt.timedelta(hours=1))
    assert due_today([cb("x", late)], "agent1", NOW, warsaw) == []


def test_a_missed_callback_of_mine_is_news_and_others_only_update_the_list() -> None:
    state = S.SessionState(me=ME)
    state, changes = S.apply(state, CallbackChanged(cb("a", NOW), NOW, "missed", missed=True))
    assert changes.callbacks and changes.callbacks_missed == ["a"]
    other = cb("b", NOW, agent="agent2", by="agent2")
    state, changes = S.apply(state, CallbackChanged(other, NOW, "missed", missed=True))
    assert changes.callbacks and changes.callbacks_missed == []
    state, changes = S.apply(state, CallbackChanged(cb("a", NOW, state="dialled"), NOW, "dialled"))
    assert state.callbacks["a"].state == "dialled" and set(state.callbacks) == {"a", "b"}
    state, changes = S.set_callbacks(state, [cb("c", NOW)])
    assert set(state.callbacks) == {"c"} and changes.callbacks
