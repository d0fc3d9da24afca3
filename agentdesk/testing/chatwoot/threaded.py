"""The fake Chatwoot on its own thread and event loop, for a person to try the
desk against (`python -m agentdesk.testing.chatwoot`) and for the screenshot
scene (whose app runs its own loop). Tests use `running_chatwoot` instead."""

from __future__ import annotations

import asyncio
import threading
import time
from collections.abc import Awaitable, Callable
from typing import Any

import uvicorn

from agentdesk.testing.chatwoot.app import ChatwootFake

START_TIMEOUT_S = 20.0


class ThreadedFake:
    def __init__(self, port: int = 0, host: str = "127.0.0.1", **options: Any) -> None:
        self.fake = ChatwootFake(**options)
        config = uvicorn.Config(self.fake.app, host=host, port=port, log_level="warning",
                                access_log=False, lifespan="off", ws="websockets-sansio",
                                timeout_graceful_shutdown=1)
        self.server = uvicorn.Server(config)
        self.server.install_signal_handlers = lambda: None  # type: ignore[method-assign]
        self.loop = asyncio.new_event_loop()
        self.thread = threading.Thread(target=self._run, name="fake-chatwoot", daemon=True)
        self.url = ""

    def _run(self) -> None:
        asyncio.set_event_loop(self.loop)
        self.loop.run_until_complete(self.server.serve())

    def start(self) -> ThreadedFake:
        self.thread.start()
        deadline = time.monotonic() + START_TIMEOUT_S
        while not self.server.started:
            if not self.thread.is_alive() or time.monotonic() > deadline:
                raise RuntimeError("the fake Chatwoot did not start (is the port free?)")
            time.sleep(0.02)
        host, port = self.server.servers[0].sockets[0].getsockname()[:2]
        self.url = f"http://{host}:{port}"
        return self

    def call(self, control: Callable[[ChatwootFake], Awaitable[Any]]) -> Any:
        """Run a control coroutine (`fake.new_conversation(...)`) on the fake's loop."""
        return asyncio.run_coroutine_threadsafe(control(self.fake), self.loop).result(30)

    def stop(self) -> None:
        self.server.should_exit = True
        self.thread.join(10)


async def seed_demo(fake: ChatwootFake) -> None:
    """A few conversations for Ada: two of hers (chat, email), one offer, one SMS offer."""
    grace = await fake.new_conversation("Grace Hopper", "My invoice is wrong", assignee_id=7)
    await fake.customer_message(grace.id, "It shows two charges for March.")
    await fake.new_conversation("Alan Turing", "Where is my parcel?", inbox_id=2,
                                subject="Order 4417 not delivered", assignee_id=7)
    await fake.new_conversation("Katherine Johnson", "Can I change my plan?")
    await fake.new_conversation("Edsger Dijkstra", "Is the shop open on Sunday?", inbox_id=3)
