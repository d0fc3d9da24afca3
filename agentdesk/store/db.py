"""Opening the local SQLite database: WAL, full sync, versioned schema.

Each store class (Outbox, Drafts) opens its own connection to the same file;
the file's schema is versioned as a whole (`store/desk_schema.py`, `PRAGMA
user_version`), so whichever opens first brings it up to date. WAL lets
them, and other processes, read while one writes. Connections are shared across threads behind a lock, because the UI
may touch the store from a worker thread as well as from the event loop.
"""

from __future__ import annotations

import sqlite3
import threading
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from agentdesk.store.schema import Step, migrate


class Database:
    """One connection with a lock; `transaction()` commits or rolls back as a unit."""

    def __init__(self, path: str | Path, steps: Sequence[Step]) -> None:
        self.path = Path(path)
        self.path.parent.mkdir(parents=True, exist_ok=True)
        self._lock = threading.RLock()
        # isolation_level=None: we issue BEGIN/COMMIT ourselves, so a commit
        # happens exactly where the code says, never implicitly later.
        self._conn = sqlite3.connect(
            self.path, isolation_level=None, check_same_thread=False, timeout=10.0
        )
        self._conn.row_factory = sqlite3.Row
        self._conn.execute("PRAGMA journal_mode=WAL")
        # FULL: a committed outbox row survives power loss, not only a crash.
        self._conn.execute("PRAGMA synchronous=FULL")
        self._conn.execute("PRAGMA busy_timeout=10000")
        with self._lock:
            migrate(self._conn, steps, name=str(self.path))

    @contextmanager
    def transaction(self) -> Iterator[sqlite3.Connection]:
        with self._lock:
            self._conn.execute("BEGIN IMMEDIATE")
            try:
                yield self._conn
            except BaseException:
                self._conn.execute("ROLLBACK")
                raise
            else:
                self._conn.execute("COMMIT")

    def query(self, sql: str, params: tuple[Any, ...] | dict[str, Any] = ()) -> list[sqlite3.Row]:
        with self._lock:
            return self._conn.execute(sql, params).fetchall()

    def close(self) -> None:
        with self._lock:
            self._conn.close()
