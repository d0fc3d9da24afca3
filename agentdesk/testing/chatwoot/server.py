"""Run the fake Chatwoot on 127.0.0.1, port 0, inside the test's own event loop
(so tests drive it with plain awaits and nothing needs a lock)."""

from __future__ import annotations

import asyncio
import contextlib
from collections.abc import AsyncIterator
from dataclasses import dataclass
from typing import Any

import uvicorn

from agentdesk.testing.chatwoot.app import ChatwootFake

START_TIMEOUT_S = 20.0


@dataclass
class RunningFake:
    url: str
    fake: ChatwootFake

    def __getattr__(self, name: str) -> Any:  # the controls, straight through
        return getattr(self.fake, name)


@contextlib.asynccontextmanager
async def running_chatwoot(**options: Any) -> AsyncIterator[RunningFake]:
    fake = ChatwootFake(**options)
    config = uvicorn.Config(fake.app, host="127.0.0.1", port=0, log_level="warning",
                            access_log=False, lifespan="off", ws="websockets-sansio",
                            timeout_graceful_shutdown=1)
    server = uvicorn.Server(config)
    server.install_signal_handlers = lambda: None  # type: ignore[method-assign]
    task = asyncio.create_task(server.serve())
    loop = asyncio.get_running_loop()
    deadline = loop.time() + START_TIMEOUT_S
    while not server.started:
        if task.done() or loop.time() > deadline:
            server.should_exit = True
            raise RuntimeError("the fake Chatwoot did not start")
        await asyncio.sleep(0.01)
    port = server.servers[0].sockets[0].getsockname()[1]
    try:
        yield RunningFake(f"http://127.0.0.1:{port}", fake)
    finally:
        await fake.drop_cables()
        server.should_exit = True
        with contextlib.suppress(Exception):
            await asyncio.wait_for(task, 10)
