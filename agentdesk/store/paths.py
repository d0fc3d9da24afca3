"""Where agentdesk keeps its files: platform data and state dirs, made on demand.

Tests point XDG_DATA_HOME / XDG_STATE_HOME at temp dirs, so nothing here
ever touches the developer's own files during a test run.
"""

from __future__ import annotations

from pathlib import Path

from platformdirs import user_data_dir, user_state_dir

APP = "agentdesk"
DB_NAME = "agentdesk.db"


def data_dir() -> Path:
    """Durable user data (the outbox, drafts, KB index)."""
    path = Path(user_data_dir(APP, appauthor=False))
    path.mkdir(parents=True, exist_ok=True)
    return path


def state_dir() -> Path:
    """State worth keeping but safe to lose (logs, window state)."""
    path = Path(user_state_dir(APP, appauthor=False))
    path.mkdir(parents=True, exist_ok=True)
    return path


def db_path() -> Path:
    """The one SQLite file holding the outbox and the drafts."""
    return data_dir() / DB_NAME
