"""The command sender: drains the outbox to the backend, in order, exactly once.

One asyncio task watches the outbox. Each lane (interaction) has at most one
command in flight and sends its items in issue order; different lanes go out
concurrently. Outcomes:

- acknowledged          -> `sent` (the server's answer is kept in `result`)
- refused (4xx)         -> `failed` with the server's message; later items of the
                           lane go on; `retry(client_id)` queues it again (same
                           key; `reissue=True`: a new key, see Outbox.reissue)
- unreachable / 5xx     -> back to `queued`; the whole sender backs off (the
                           server is down for everyone), and tries forever
- signed out (401)      -> back to `queued`; the sender pauses until `resume()`,
                           until the backend holds a new token (the user signed
                           in again), or for `auth_retry_s` at most

Every attempt of an item carries the client_id stored with it, so however many
times it goes out, the server applies it once. A key is only ever replaced on
an explicit `retry(..., reissue=True)` of an item the server refused.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from agentdesk.backends.base import (
    Backend,
    BackendAuthError,
    BackendCommandError,
    BackendConnectionError,
)
from agentdesk.domain.backoff import Backoff
from agentdesk.domain.enums import CallAction, Presence, TransferMode
from agentdesk.store.outbox import Outbox, OutboxItem, OutboxKind, OutboxState

if TYPE_CHECKING:  # the desk loads this module before pydantic (docs/benchmarks.md)
    from pydantic import BaseModel

log = logging.getLogger("agentdesk.outbox")

OnChange = Callable[[OutboxItem], None]


class CommandSender:
    def __init__(
        self,
        backend: Backend,
        outbox: Outbox,
        on_change: OnChange | None = None,
        *,
        backoff_base: float = 0.5,
        backoff_cap: float = 30.0,
        auth_retry_s: float = 30.0,
    ) -> None:
        self.backend = backend
        self.outbox = outbox
        self.on_change = on_change
        self.backoff_base = backoff_base
        self.backoff_cap = backoff_cap
        self.auth_retry_s = auth_retry_s
        self.paused_reason = ""  # non-empty: not sending (e.g. signed out)
        self._paused_token: str | None = None  # the token that was refused
        self.last_error = ""
        self._failures = 0  # consecutive transient failures, for the backoff
        self._not_before = 0.0  # loop time before which nothing is sent
        self._in_flight: dict[str, asyncio.Task[None]] = {}  # lane -> task
        self._wake = asyncio.Event()
        self._changed = asyncio.Event()
        self._task: asyncio.Task[None] | None = None

    # -- lifecycle ------------------------------------------------------------------

    def start(self) -> None:
        if self._task is None or self._task.done():
            self._task = asyncio.create_task(self._run(), name="agentdesk-outbox")

    async def stop(self) -> None:
        """Stop sending; anything in flight goes back to `queued` for next time."""
        tasks = [t for t in (self._task, *self._in_flight.values()) if t is not None]
        for task in tasks:
            task.cancel()
        await asyncio.gather(*tasks, return_exceptions=True)
        self._task = None

    @property
    def running(self) -> bool:
        return self._task is not None and not self._task.done()

    # -- the UI's side ------------------------------------------------------------------

    def submit(
        self,
        kind: OutboxKind | str,
        interaction_id: str | None,
        payload: dict[str, Any],
        *,
        client_id: str | None = None,
    ) -> OutboxItem:
        """Commit a command to the outbox, then wake the sender; returns the queued item."""
        item = self.outbox.add(kind, interaction_id, payload, client_id=client_id)
        self._notify(item)
        self._wake.set()
        return item

    def retry(self, client_id: str, *, reissue: bool = False) -> OutboxItem:
        """Queue a failed item again, in its place in the lane, and try at once.

        By default with the same client_id. A server that stores refusals under
        the key (agentdesk/1 does: "same request, same response") then answers
        with the same refusal; `reissue=True` sends it under a new key instead
        (safe: a refusal applied nothing) and returns the item with that key.
        """
        item = self.outbox.reissue(client_id) if reissue else self.outbox.requeue(client_id)
        self._notify(item)
        self.resume()
        return item

    def discard(self, client_id: str) -> None:
        self.outbox.discard(client_id)
        self._changed.set()

    def pending(self, interaction_id: str | None = None) -> list[OutboxItem]:
        return self.outbox.pending(interaction_id)

    def resume(self) -> None:
        """Try now: after signing in again, or when the link came back."""
        self.paused_reason = ""
        self._not_before = 0.0
        self._wake.set()

    async def wait_idle(self, timeout: float | None = None) -> None:
        """Wait until nothing is queued or being sent (failed items do not count)."""

        async def idle() -> None:
            while self.outbox.items(states=(OutboxState.QUEUED, OutboxState.SENDING)):
                self._changed.clear()
                await self._changed.wait()

        await asyncio.wait_for(idle(), timeout)

    # -- the loop -------------------------------------------------------------------

    async def _run(self) -> None:
        loop = asyncio.get_running_loop()
        while True:
            self._wake.clear()
            timeout: float | None = None
            if self.paused_reason:
                # Signed out: resume by itself once the backend holds a new token (the
                # user signed in again), or after a while in case it was a server hiccup.
                if self._token() != self._paused_token or loop.time() >= self._not_before:
                    self.resume()
                    continue
                timeout = min(1.0, self._not_before - loop.time())
            else:
                now = loop.time()
                if now < self._not_before:
                    timeout = self._not_before - now
                else:
                    self._start_due()
            try:
                await asyncio.wait_for(self._wake.wait(), timeout)
            except TimeoutError:
                pass

    def _start_due(self) -> None:
        try:
            heads = self.outbox.lane_heads()
        except Exception:
            log.exception("outbox: cannot read the queue")
            return
        for head in heads:
            if head.lane in self._in_flight or head.state is not OutboxState.QUEUED:
                continue
            self._in_flight[head.lane] = asyncio.create_task(self._send(head))

    async def _send(self, item: OutboxItem) -> None:
        cid = item.client_id
        try:
            item = self.outbox.mark_sending(cid)
            self._notify(item)
            result = await self._dispatch(item)
        except asyncio.CancelledError:
            self._settle(cid, OutboxState.QUEUED, "")
            raise
        except BackendCommandError as exc:
            log.info("outbox: %s %s refused: %s", item.kind, cid, exc.message)
            self._settle(cid, OutboxState.FAILED, exc.message)
        except BackendAuthError as exc:
            self.paused_reason = exc.message or "signed out"
            self._paused_token = self._token()
            self._not_before = asyncio.get_running_loop().time() + self.auth_retry_s
            self._settle(cid, OutboxState.QUEUED, f"signed out: {exc.message}")
        except BackendConnectionError as exc:
            self._back_off(exc.message)
            self._settle(cid, OutboxState.QUEUED, exc.message)
        except Exception as exc:
            log.exception("outbox: %s %s could not be sent", item.kind, cid)
            self._settle(cid, OutboxState.FAILED, f"could not send: {exc}")
        else:
            self._failures = 0
            self.last_error = ""
            self._settle(cid, OutboxState.SENT, "", result)
        finally:
            self._in_flight.pop(item.lane, None)
            self._wake.set()

    def _settle(
        self, cid: str, state: OutboxState, error: str, result: dict[str, Any] | None = None
    ) -> None:
        try:
            if state is OutboxState.SENT:
                item = self.outbox.mark_sent(cid, result)
            elif state is OutboxState.FAILED:
                item = self.outbox.mark_failed(cid, error)
            else:
                item = self.outbox.requeue(cid, error)
        except Exception:
            log.exception("outbox: cannot record the outcome of %s", cid)
            self._changed.set()
            return
        self._notify(item)

    def _token(self) -> str | None:
        token = getattr(self.backend, "token", None)  # not every backend has one
        return token if isinstance(token, str) else None

    def _back_off(self, reason: str) -> None:
        self._failures += 1
        self.last_error = reason
        delay = Backoff(self.backoff_base, self.backoff_cap, jitter="equal").delay(self._failures)
        self._not_before = asyncio.get_running_loop().time() + delay
        log.info("outbox: server unreachable (%s); next try in %.2fs", reason, delay)

    def _notify(self, item: OutboxItem) -> None:
        self._changed.set()
        if self.on_change is None:
            return
        try:
            self.on_change(item)
        except Exception:
            log.exception("outbox: on_change callback failed")

    async def _dispatch(self, item: OutboxItem) -> dict[str, Any] | None:
        """Send one item through the backend with its stored client_id."""
        b, p, cid, iid = self.backend, item.payload, item.client_id, item.interaction_id or ""
        answer: BaseModel | None
        if item.attempts > 1 and isinstance(b, Backend):  # (test doubles may not be)
            # An earlier attempt of unknown fate, maybe by a process that died between
            # the request and marking it sent: the backend checks before sending again.
            b.note_unsettled(cid, item.created_at)
        match item.kind:
            case OutboxKind.MESSAGE:
                answer = await b.send_message(
                    iid, p["body"], cid, kind=p.get("kind", "reply"),
                    subject=p.get("subject"), cc=p.get("cc"),
                )
            case OutboxKind.CALL:
                answer = await b.call_action(iid, CallAction(p["action"]), cid, p.get("digits"))
            case OutboxKind.WRAPUP:
                answer = await b.wrapup(iid, p["disposition"], cid, p.get("notes"))
            case OutboxKind.TRANSFER:
                team = {"team_id": p["team_id"]} if p.get("team_id") else {}
                answer = await b.transfer(
                    iid, cid, queue_id=p.get("queue_id"), agent_id=p.get("agent_id"),
                    mode=TransferMode(p.get("mode", TransferMode.BLIND)), **team,
                )
            case OutboxKind.ACCEPT:
                answer = await b.accept(iid, cid)
            case OutboxKind.REJECT:
                answer = await b.reject(iid, cid, reason=p.get("reason"))
            case OutboxKind.PRESENCE:
                nxt = p.get("next")
                answer = await b.set_presence(
                    Presence(p["presence"]), Presence(nxt) if nxt else None
                )
            case OutboxKind.DIAL:
                answer = await b.dial(p["customer_id"], cid)
            case OutboxKind.CALLBACK:
                answer = await b.schedule_callback(
                    p["customer_id"], float(p["at"]), cid, note=p.get("note", ""),
                    queue_id=p.get("queue_id"),
                )
            case OutboxKind.DISCLOSURE:
                answer = await b.disclosure(iid, p["action"], cid)
            case _:
                raise ValueError(f"unknown command kind {item.kind!r}")
        return answer.model_dump(mode="json") if answer is not None else None
