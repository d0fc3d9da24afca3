"""The outbox: a durable queue of commands the agent has issued.

A command is committed here *before* it is sent, with the `client_id` it will
carry on every attempt, so a crash, a dropped network or a restarted server
never loses it and never applies it twice. Lifecycle of an item:

    queued -> sending -> sent            (the server acknowledged it)
                      -> queued          (transient failure: tried again later)
                      -> failed          (the server refused it; the UI offers retry)
    failed -> queued                     (the agent's retry: same client_id)
    failed -> queued under a new key     (reissue: only for definitive refusals)

Items of one interaction go out in the order they were issued ("lanes");
presence changes have their own lane. A failed item does not hold back the
ones after it: the server refused it for good, and the agent decides.
"""

from __future__ import annotations

import json
import time
from collections.abc import Iterable
from dataclasses import dataclass
from enum import StrEnum
from pathlib import Path
from typing import Any

from agentdesk.backends.base import new_client_id
from agentdesk.store.db import Database
from agentdesk.store.desk_schema import STEPS

PRESENCE_LANE = ""  # lane of commands that belong to no interaction


class OutboxKind(StrEnum):
    MESSAGE = "message"
    CALL = "call"
    WRAPUP = "wrapup"
    TRANSFER = "transfer"
    ACCEPT = "accept"
    REJECT = "reject"
    PRESENCE = "presence"
    DIAL = "dial"
    CALLBACK = "callback"
    DISCLOSURE = "disclosure"


class OutboxState(StrEnum):
    QUEUED = "queued"
    SENDING = "sending"
    SENT = "sent"
    FAILED = "failed"


@dataclass(frozen=True, slots=True)
class OutboxItem:
    seq: int  # global issue order
    client_id: str
    kind: OutboxKind
    interaction_id: str | None
    payload: dict[str, Any]
    state: OutboxState
    attempts: int
    error: str
    created_at: float
    updated_at: float
    result: dict[str, Any] | None  # the server's answer, once sent

    @property
    def lane(self) -> str:
        return self.interaction_id or PRESENCE_LANE

    @property
    def pending(self) -> bool:
        return self.state is not OutboxState.SENT



_COLUMNS = (
    "seq, client_id, kind, interaction_id, payload, state, attempts, error, "
    "created_at, updated_at, result"
)


class OutboxError(LookupError):
    """No such item, or it is not in a state that allows the change."""


class Outbox:
    """The durable command queue; every method commits before returning."""

    def __init__(self, path: str | Path) -> None:
        self._db = Database(path, STEPS)
        # Whatever was in flight when the last process died may or may not have
        # reached the server: send it again, with the same client_id.
        with self._db.transaction() as conn:
            conn.execute(
                "UPDATE outbox SET state = ?, updated_at = ? WHERE state = ?",
                (OutboxState.QUEUED, time.time(), OutboxState.SENDING),
            )

    def close(self) -> None:
        self._db.close()

    # -- writing -------------------------------------------------------------------

    def add(
        self,
        kind: OutboxKind | str,
        interaction_id: str | None,
        payload: dict[str, Any],
        *,
        client_id: str | None = None,
    ) -> OutboxItem:
        """Queue a command (committed on return). The same client_id twice is one item."""
        kind = OutboxKind(kind)
        cid = client_id or new_client_id()
        now = time.time()
        with self._db.transaction() as conn:
            conn.execute(
                "INSERT OR IGNORE INTO outbox (client_id, kind, interaction_id, payload, state,"
                " created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?)",
                (cid, kind, interaction_id, json.dumps(payload), OutboxState.QUEUED, now, now),
            )
        return self._require(cid)

    def mark_sending(self, client_id: str) -> OutboxItem:
        return self._move(client_id, OutboxState.SENDING, frm=(OutboxState.QUEUED,),
                          count_attempt=True)

    def mark_sent(self, client_id: str, result: dict[str, Any] | None = None) -> OutboxItem:
        return self._move(client_id, OutboxState.SENT, result=result, error="")

    def mark_failed(self, client_id: str, error: str) -> OutboxItem:
        return self._move(client_id, OutboxState.FAILED, error=error)

    def requeue(self, client_id: str, error: str = "") -> OutboxItem:
        """Back to queued with the same key: after a transient failure (outcome
        unknown), or the agent's retry of a failed item."""
        return self._move(client_id, OutboxState.QUEUED, error=error,
                          frm=(OutboxState.SENDING, OutboxState.FAILED, OutboxState.QUEUED))

    def reissue(self, client_id: str) -> OutboxItem:
        """Queue a refused item again, in its old place in the lane, under a *new*
        client_id.

        Why: agentdesk/1 servers answer a repeated key with the stored answer,
        refusals included, so retrying a refusal with the same key only fetches
        the same refusal. A refusal is definitive (nothing was applied), so a new
        key cannot duplicate anything. Only `failed` items can be reissued:
        anything whose outcome is unknown keeps its key for ever.
        """
        new_id = new_client_id()
        with self._db.transaction() as conn:
            cur = conn.execute(
                "UPDATE outbox SET client_id = ?, state = ?, attempts = 0, error = '',"
                " updated_at = ? WHERE client_id = ? AND state = ?",
                (new_id, OutboxState.QUEUED, time.time(), client_id, OutboxState.FAILED),
            )
            changed = cur.rowcount
        if not changed:
            item = self._require(client_id)
            raise OutboxError(f"outbox item {client_id!r} is {item.state}, not failed")
        return self._require(new_id)

    def discard(self, client_id: str) -> None:
        """Drop an item the agent gave up on (not one being sent)."""
        with self._db.transaction() as conn:
            conn.execute(
                "DELETE FROM outbox WHERE client_id = ? AND state != ?",
                (client_id, OutboxState.SENDING),
            )

    def prune_sent(self, older_than_s: float = 24 * 3600) -> int:
        """Forget acknowledged items older than this; returns how many."""
        cutoff = time.time() - older_than_s
        with self._db.transaction() as conn:
            cur = conn.execute(
                "DELETE FROM outbox WHERE state = ? AND updated_at < ?", (OutboxState.SENT, cutoff)
            )
            return cur.rowcount

    # -- reading -------------------------------------------------------------------

    def get(self, client_id: str) -> OutboxItem | None:
        rows = self._db.query(f"SELECT {_COLUMNS} FROM outbox WHERE client_id = ?", (client_id,))
        return _item(rows[0]) if rows else None

    def items(
        self,
        *,
        states: Iterable[OutboxState] | None = None,
        interaction_id: str | None = None,
    ) -> list[OutboxItem]:
        """Items in issue order, optionally filtered."""
        sql = f"SELECT {_COLUMNS} FROM outbox WHERE 1 = 1"
        params: list[Any] = []
        if states is not None:
            wanted = [OutboxState(s).value for s in states]
            sql += f" AND state IN ({', '.join('?' for _ in wanted)})"
            params += wanted
        if interaction_id is not None:
            sql += " AND interaction_id = ?"
            params.append(interaction_id)
        return [_item(r) for r in self._db.query(sql + " ORDER BY seq", tuple(params))]

    def pending(self, interaction_id: str | None = None) -> list[OutboxItem]:
        """Everything not yet acknowledged (queued, sending, failed), in issue order."""
        return self.items(
            states=(OutboxState.QUEUED, OutboxState.SENDING, OutboxState.FAILED),
            interaction_id=interaction_id,
        )

    def lane_heads(self) -> list[OutboxItem]:
        """The first unacknowledged, unfailed item of every lane, oldest lane first.

        Only a head that is `queued` may be sent; a `sending` head blocks its lane.
        """
        heads: dict[str, OutboxItem] = {}
        for item in self.items(states=(OutboxState.QUEUED, OutboxState.SENDING)):
            heads.setdefault(item.lane, item)
        return sorted(heads.values(), key=lambda i: i.seq)

    def _require(self, client_id: str) -> OutboxItem:
        item = self.get(client_id)
        if item is None:
            raise OutboxError(f"no outbox item {client_id!r}")
        return item

    def _move(
        self,
        client_id: str,
        to: OutboxState,
        *,
        frm: tuple[OutboxState, ...] | None = None,
        error: str | None = None,
        result: dict[str, Any] | None = None,
        count_attempt: bool = False,
    ) -> OutboxItem:
        sets = ["state = ?", "updated_at = ?"]
        params: list[Any] = [to, time.time()]
        if error is not None:
            sets.append("error = ?")
            params.append(error)
        if result is not None:
            sets.append("result = ?")
            params.append(json.dumps(result))
        if count_attempt:
            sets.append("attempts = attempts + 1")
        where = "client_id = ?"
        params.append(client_id)
        if frm is not None:
            where += f" AND state IN ({', '.join('?' for _ in frm)})"
            params += list(frm)
        with self._db.transaction() as conn:
            cur = conn.execute(f"UPDATE outbox SET {', '.join(sets)} WHERE {where}", params)
            changed = cur.rowcount
        item = self._require(client_id)
        if not changed:
            raise OutboxError(f"outbox item {client_id!r} is {item.state}, cannot become {to}")
        return item


def _item(row: Any) -> OutboxItem:
    return OutboxItem(
        seq=row["seq"],
        client_id=row["client_id"],
        kind=OutboxKind(row["kind"]),
        interaction_id=row["interaction_id"],
        payload=json.loads(row["payload"]),
        state=OutboxState(row["state"]),
        attempts=row["attempts"],
        error=row["error"],
        created_at=row["created_at"],
        updated_at=row["updated_at"],
        result=json.loads(row["result"]) if row["result"] else None,
    )
