"""Composer drafts, one per interaction, kept across restarts.

Each interaction has its own row, so saving one tab's draft can never
overwrite another's. Saving an entirely empty draft deletes it.
"""

from __future__ import annotations

import time
from dataclasses import dataclass
from pathlib import Path

from agentdesk.store.db import Database
from agentdesk.store.desk_schema import STEPS


@dataclass(frozen=True, slots=True)
class Draft:
    interaction_id: str
    text: str
    subject: str = ""
    cc: str = ""
    updated_at: float = 0.0

    @property
    def empty(self) -> bool:
        return not (self.text or self.subject or self.cc)


class Drafts:
    def __init__(self, path: str | Path) -> None:
        self._db = Database(path, STEPS)

    def close(self) -> None:
        self._db.close()

    def save(self, interaction_id: str, text: str, subject: str = "", cc: str = "") -> Draft:
        text, subject, cc = _storable(text), _storable(subject), _storable(cc)
        draft = Draft(interaction_id, text, subject, cc, time.time())
        with self._db.transaction() as conn:
            if draft.empty:
                conn.execute("DELETE FROM drafts WHERE interaction_id = ?", (interaction_id,))
            else:
                conn.execute(
                    "INSERT INTO drafts (interaction_id, text, subject, cc, updated_at)"
                    " VALUES (?, ?, ?, ?, ?)"
                    " ON CONFLICT (interaction_id) DO UPDATE SET text = excluded.text,"
                    " subject = excluded.subject, cc = excluded.cc,"
                    " updated_at = excluded.updated_at",
                    (interaction_id, text, subject, cc, draft.updated_at),
                )
        return draft

    def load(self, interaction_id: str) -> Draft | None:
        rows = self._db.query(
            "SELECT interaction_id, text, subject, cc, updated_at FROM drafts"
            " WHERE interaction_id = ?",
            (interaction_id,),
        )
        return Draft(*rows[0]) if rows else None

    def delete(self, interaction_id: str) -> None:
        with self._db.transaction() as conn:
            conn.execute("DELETE FROM drafts WHERE interaction_id = ?", (interaction_id,))

    def all(self) -> list[Draft]:
        """Every saved draft, most recently edited first."""
        rows = self._db.query(
            "SELECT interaction_id, text, subject, cc, updated_at FROM drafts"
            " ORDER BY updated_at DESC"
        )
        return [Draft(*row) for row in rows]


def _storable(text: str) -> str:
    """SQLite stores UTF-8: a lone surrogate (e.g. from a bad paste) becomes '?' instead of
    making the save fail."""
    try:
        text.encode("utf-8")
    except UnicodeEncodeError:
        return text.encode("utf-8", "replace").decode("utf-8")
    return text
