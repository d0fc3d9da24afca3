"""Waiting in a Textual pilot test for a condition the app reaches by itself.

Await the condition, never sleep for it: a loaded 2-core CI machine is much
slower than a developer's, so the deadline only bounds a failing test.
"""

from __future__ import annotations

import asyncio
from collections.abc import Callable
from typing import Any

UNTIL_S = 20.0


async def until(pilot: Any, predicate: Callable[[], object], what: str,
                timeout: float = UNTIL_S) -> None:
    """Let the app run until `predicate()` is true; fail naming `what` at the deadline."""
    loop = asyncio.get_running_loop()
    deadline = loop.time() + timeout
    while not predicate():
        if loop.time() > deadline:
            raise AssertionError(f"timed out waiting for {what}")
        await pilot.pause(0.02)
