"""A view's first page lands while an echo of the agent's reply is folded but not
yet drawn: the replies still show in the order they were sent.

The race CI met after a restart with two queued replies: the echo of the first
reply took it off the pending list (the reducer), the page arrived before that
change was rendered (renders are coalesced to one per frame), so the second
reply's placeholder was drawn first and the first reply's echo after it. The
backend here holds the page, the sends and the renders, so the order of events
is the test's, not the machine's.
"""

from __future__ import annotations

import asyncio
import sys
from datetime import UTC
from pathlib import Path
from typing import Any

import pytest

from agentdesk.domain.models import TimelineItem, TimelinePage
from agentdesk.store.outbox import Outbox, OutboxKind, OutboxState
from agentdesk.ui.app import make_app
from agentdesk.ui.screens import desk_screen

sys.path.insert(0, str(Path(__file__).parents[1]))

from fake_backend import T0, FakeBackend, chat
from pilot_wait import until

REPLIES = ["First: I can see the order.", "Second: the refund is on its way."]


class HeldBackend(FakeBackend):
    """The first page waits for `page_gate`; the n-th send waits for `send_gates[n]`."""

    def __init__(self) -> None:
        super().__init__()
        self.page_asked = asyncio.Event()
        self.page_gate = asyncio.Event()
        self.send_gates = [asyncio.Event(), asyncio.Event()]
        self._sends = 0

    async def get_timeline(self, customer_id: str, *, before: str | None = None,
                           limit: int = 100) -> TimelinePage:
        self.page_asked.set()
        await self.page_gate.wait()
        return TimelinePage(items=[], has_more=False)  # read before the replies arrived

    async def send_message(self, interaction_id: str, body: str, client_id: str,
                           **kw: Any) -> TimelineItem:
        gate = self.send_gates[min(self._sends, len(self.send_gates) - 1)]
        self._sends += 1
        await gate.wait()
        return await super().send_message(interaction_id, body, client_id, **kw)


async def test_first_page_after_an_unrendered_echo_keeps_the_replies_in_order(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    store = tmp_path / "desk.db"
    outbox = Outbox(store)  # two replies queued by an earlier run
    first, second = (outbox.add(OutboxKind.MESSAGE, "i1", {"body": text}).client_id
                     for text in REPLIES)
    outbox.close()
    backend = HeldBackend()
    backend.interactions = [chat("i1")]
    app = make_app(backend, clock=lambda: T0 + 5, username="ada", store_path=store, tz=UTC)
    async with app.run_test(size=(120, 40)) as pilot:
        backend.connect()
        await until(pilot, lambda: app.desk is not None and "i1" in app.desk.views
                    and app.desk.views["i1"].is_mounted, "the chat's view")
        await asyncio.wait_for(backend.page_asked.wait(), 10)
        desk = app.desk
        timeline = desk.views["i1"].timeline

        # Renders wait (as if the frame were not due yet) while the first reply is
        # acknowledged and its echo folded in: it leaves the pending list at once.
        monkeypatch.setattr(desk_screen, "FLUSH_DELAY_S", 3600.0)
        backend.send_gates[0].set()
        await until(pilot, lambda: app.outbox.get(first).state is OutboxState.SENT  # type: ignore[union-attr]
                    and all(o.client_id != first for o in desk.state.outgoing.get("i1", ())),
                    "the first reply acknowledged and its echo folded")
        assert not any(i.body == REPLIES[0] and not i.id.startswith("pending:")
                       for i in timeline.items)  # not drawn yet

        backend.page_gate.set()  # the page read before either reply reached the server
        await until(pilot, lambda: "i1" not in desk.loader.loading, "the first page shown")
        monkeypatch.setattr(desk_screen, "FLUSH_DELAY_S", 1 / 60)
        desk.render_pending()

        backend.send_gates[1].set()
        await until(pilot, lambda: app.outbox.get(second).state is OutboxState.SENT  # type: ignore[union-attr]
                    and not any(i.id.startswith("pending:") for i in timeline.items),
                    "the second reply acknowledged and echoed")
        assert [i.body for i in timeline.items] == REPLIES
    await backend.close()
