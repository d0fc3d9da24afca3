"""Under a stream of customer messages: the chat on screen stays read and is
marked read on the server; tabs in the background show their unread counts
shortly after (batched, not lost). That read marks are coalesced is tested in
tests/unit/test_desk_controller.py."""

from __future__ import annotations

import sys
from datetime import UTC
from pathlib import Path
from typing import Any

from agentdesk.domain import session as S
from agentdesk.ui.app import make_app
from agentdesk.ui.widgets.tabs.interaction_tabs import InteractionTabs

sys.path.insert(0, str(Path(__file__).parents[1]))

from fake_backend import T0, FakeBackend, chat
from pilot_wait import until


def tab_label(app: Any, iid: str) -> str:
    return str(app.desk.query_one(InteractionTabs)._tabs[iid].render())


async def test_background_counts_follow_and_the_chat_on_screen_is_read_once(tmp_path: Path) -> None:
    backend = FakeBackend()
    backend.interactions = [chat("a1"), chat("b2")]
    app = make_app(backend, clock=lambda: T0 + 5, username="ada", store_path=tmp_path / "desk.db",
                   tz=UTC)
    async with app.run_test(size=(120, 40)) as pilot:
        backend.connect()
        await until(pilot, lambda: app.desk is not None and {"a1", "b2"} <= set(app.desk.views), "tabs")
        await until(pilot, lambda: app.desk.current_id is not None, "a current chat")
        shown = app.desk.current_id
        other = "b2" if shown == "a1" else "a1"
        for n in range(5):
            backend.inbound(shown, f"on screen {n}")
            backend.inbound(other, f"in the background {n}")
        await until(pilot, lambda: S.unread_count(app.desk.state, other) == 5, "background unread")
        await until(pilot, lambda: "(5)" in tab_label(app, other), "the background tab's count")
        assert S.unread_count(app.desk.state, shown) == 0 and "(" not in tab_label(app, shown)
        await until(pilot, lambda: ("mark_read", shown) in backend.calls, "the read mark")
        assert ("mark_read", other) not in backend.calls  # not read: not marked
    await backend.close()
