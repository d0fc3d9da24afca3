"""Schema versions for SQLite files, kept in `PRAGMA user_version`.

A schema is an ordered list of steps; step N brings a file from version N-1
to N. Opening a file runs the steps it has not had yet, each in the same
transaction as the version bump, so a crash mid-upgrade leaves the file at
the last complete version. A file written by a newer agentdesk (a version
above ours) is refused with a one-line error instead of being misread.

Steps are SQL scripts or functions of the connection (for changes that must
look at what is there, such as adding a column an older file may lack).
"""

from __future__ import annotations

import sqlite3
from collections.abc import Callable, Sequence
from typing import TypeAlias

Step: TypeAlias = "str | Callable[[sqlite3.Connection], None]"


class SchemaTooNew(sqlite3.DatabaseError):
    """The file was written by a newer version; we must not guess its layout."""


def statements(script: str) -> list[str]:
    # Statement by statement: executescript() would commit on its own.
    return [s.strip() for s in script.split(";") if s.strip()]


def version(conn: sqlite3.Connection) -> int:
    return int(conn.execute("PRAGMA user_version").fetchone()[0])


def migrate(conn: sqlite3.Connection, steps: Sequence[Step], *, name: str = "database") -> int:
    """Run the steps `conn`'s file has not had; return the version it is at now.

    `conn` must be in autocommit mode (isolation_level=None): each step runs in
    its own BEGIN IMMEDIATE ... COMMIT with the version bump."""
    target = len(steps)
    current = version(conn)
    if current > target:
        raise SchemaTooNew(
            f"{name} has schema version {current}, newer than this agentdesk knows ({target}); "
            "upgrade agentdesk or move the file away"
        )
    while current < target:
        conn.execute("BEGIN IMMEDIATE")
        try:
            # Another process may have upgraded the file between our read and the lock.
            current = version(conn)
            if current < target:
                step = steps[current]
                if callable(step):
                    step(conn)
                else:
                    for sql in statements(step):
                        conn.execute(sql)
                current += 1
                conn.execute(f"PRAGMA user_version = {current:d}")
        except BaseException:
            conn.execute("ROLLBACK")
            raise
        conn.execute("COMMIT")
    return current


def add_missing_columns(table: str, columns: Sequence[tuple[str, str]]) -> Callable[[sqlite3.Connection], None]:
    """A step that adds columns unless the file already has them (files made
    before versions were kept may have had them added on open)."""

    def step(conn: sqlite3.Connection) -> None:
        have = {row[1] for row in conn.execute(f"PRAGMA table_info({table})")}
        for name, kind in columns:
            if name not in have:
                conn.execute(f"ALTER TABLE {table} ADD COLUMN {name} {kind}")

    return step
