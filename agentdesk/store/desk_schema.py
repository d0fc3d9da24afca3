"""The desk's local database (outbox + drafts): one file, one version line.

The outbox and the drafts share a file, and `PRAGMA user_version` belongs to
the file, so their tables are versioned together here. Version 1 is the
layout of agentdesk 0.1 (`IF NOT EXISTS`, so files made before versions were
kept open as version 1 unchanged). Add a step at the end for any change;
never edit a released one.
"""

from __future__ import annotations

from agentdesk.store.schema import Step

STEPS: tuple[Step, ...] = (
    # 1: agentdesk 0.1
    """
    CREATE TABLE IF NOT EXISTS outbox (
        seq            INTEGER PRIMARY KEY AUTOINCREMENT,
        client_id      TEXT NOT NULL UNIQUE,
        kind           TEXT NOT NULL,
        interaction_id TEXT,
        payload        TEXT NOT NULL,
        state          TEXT NOT NULL,
        attempts       INTEGER NOT NULL DEFAULT 0,
        error          TEXT NOT NULL DEFAULT '',
        created_at     REAL NOT NULL,
        updated_at     REAL NOT NULL,
        result         TEXT
    );
    CREATE INDEX IF NOT EXISTS outbox_lane ON outbox (interaction_id, state, seq);
    CREATE TABLE IF NOT EXISTS drafts (
        interaction_id TEXT PRIMARY KEY,
        text           TEXT NOT NULL,
        subject        TEXT NOT NULL DEFAULT '',
        cc             TEXT NOT NULL DEFAULT '',
        updated_at     REAL NOT NULL
    )
    """,
)
