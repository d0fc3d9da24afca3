"""Schema versions (PRAGMA user_version) of the desk's and the mock server's SQLite files."""

from __future__ import annotations

import sqlite3

import pytest

from agentdesk.store.desk_schema import STEPS as DESK_STEPS
from agentdesk.store.drafts import Drafts
from agentdesk.store.outbox import Outbox
from agentdesk.store.schema import SchemaTooNew, add_missing_columns, migrate, version


def _conn(path) -> sqlite3.Connection:
    return sqlite3.connect(path, isolation_level=None)


def test_a_new_desk_file_is_at_the_latest_version(tmp_path):
    path = tmp_path / "desk.db"
    Outbox(path)
    Drafts(path)
    assert version(_conn(path)) == len(DESK_STEPS)


def test_a_file_from_before_versions_opens_and_keeps_its_rows(tmp_path):
    # agentdesk 0.1 created the tables without ever setting user_version.
    path = tmp_path / "old.db"
    conn = _conn(path)
    first = DESK_STEPS[0]
    assert isinstance(first, str)
    for sql in first.split(";"):
        if sql.strip():
            conn.execute(sql)
    conn.execute("INSERT INTO drafts VALUES ('i1', 'half written', '', '', 1.0)")
    assert version(conn) == 0
    conn.close()
    drafts = Drafts(path)
    assert drafts.load("i1").text == "half written"
    assert version(_conn(path)) == len(DESK_STEPS)


def test_a_file_from_a_newer_agentdesk_is_refused_in_one_line(tmp_path):
    path = tmp_path / "new.db"
    _conn(path).execute("PRAGMA user_version = 99")
    with pytest.raises(SchemaTooNew) as err:
        Outbox(path)
    assert "99" in str(err.value) and "\n" not in str(err.value)


def test_a_failing_step_leaves_the_file_at_the_last_complete_version(tmp_path):
    conn = _conn(tmp_path / "x.db")

    def boom(c: sqlite3.Connection) -> None:
        c.execute("CREATE TABLE half (a)")
        raise RuntimeError("disk full")

    with pytest.raises(RuntimeError):
        migrate(conn, ["CREATE TABLE t (a)", boom])
    assert version(conn) == 1
    tables = {r[0] for r in conn.execute("SELECT name FROM sqlite_master WHERE type='table'")}
    assert tables == {"t"}  # the failed step's table was rolled back with it


def test_steps_run_once_and_in_order(tmp_path):
    conn = _conn(tmp_path / "x.db")
    steps = ["CREATE TABLE t (a)", add_missing_columns("t", (("b", "TEXT"),))]
    assert migrate(conn, steps) == 2
    assert migrate(conn, steps) == 2  # nothing left to do: no error for an existing column
    steps.append("ALTER TABLE t ADD COLUMN c TEXT")
    assert migrate(conn, steps) == 3
    assert [r[1] for r in conn.execute("PRAGMA table_info(t)")] == ["a", "b", "c"]


def test_mock_server_file_from_before_versions_gets_only_missing_columns(tmp_path):
    from agentdesk.mockserver.persistence import STEPS, Store

    path = str(tmp_path / "server.db")
    conn = _conn(path)
    conn.execute("CREATE TABLE outcomes (n INTEGER PRIMARY KEY AUTOINCREMENT, queue_id TEXT,"
                 " wait_s REAL, answered INTEGER, channel TEXT)")  # 'at' missing, 'channel' there
    conn.close()
    Store(path)
    conn = _conn(path)
    assert version(conn) == len(STEPS)
    assert [r[1] for r in conn.execute("PRAGMA table_info(outcomes)")][-2:] == ["channel", "at"]
