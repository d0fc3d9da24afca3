"""`agentdesk export` against the real mock server: JSON lines round trip, what
each role may read, --since, paging, and one-line errors."""

from __future__ import annotations

import io
import json
import os
import subprocess
import sys

import pytest

from agentdesk.cli.export import ExportError, export_pages
from agentdesk.cli.parser import since_time
from agentdesk.testing.mockserver import DemoClient, running_server

EPOCH = 1772442000.0


@pytest.fixture
def floor():
    with running_server(agents=3, bots=0, traffic=False, manual_clock=True) as srv:
        agent1 = DemoClient(srv.url, "agent1")
        agent1.available()
        first = agent1.contact("chat", customer_id="c0010", text="My bill is wrong")
        agent1.act(first, "accept")
        agent1.act(first, "messages", {"body": "I've corrected it"})
        agent1.act(first, "wrapup", {"disposition": "resolved", "notes": "fixed the bill"})
        agent1.advance(3600)
        agent2 = DemoClient(srv.url, "agent2")
        agent2.available()
        agent1.put("/v1/me/presence", {"presence": "break"})
        second = agent2.contact("sms", customer_id="c0011", text="Roaming question")
        agent2.act(second, "accept")
        yield srv, agent1, agent2, first, second


def cli(url: str, token: str | None, *args: str) -> subprocess.CompletedProcess:
    env = dict(os.environ)
    env.pop("AGENTDESK_TOKEN", None)
    if token:
        env["AGENTDESK_TOKEN"] = token
    return subprocess.run([sys.executable, "-m", "agentdesk", "export", "--server", url, *args],
                          capture_output=True, text=True, timeout=60, env=env,
                          stdin=subprocess.DEVNULL)


def lines(text: str) -> list[dict]:
    return [json.loads(line) for line in text.splitlines()]


def test_an_agent_exports_what_they_handled_with_its_events(floor):
    srv, agent1, _, first, second = floor
    proc = cli(srv.url, agent1.token)
    assert proc.returncode == 0, proc.stderr
    records = lines(proc.stdout)
    assert [r["interaction"]["id"] for r in records] == [first]  # not agent2's
    record = records[0]
    assert record["interaction"]["state"] == "closed"
    assert record["interaction"]["disposition"] == "resolved"
    bodies = [e["body"] for e in record["events"]]
    assert "My bill is wrong" in bodies and "I've corrected it" in bodies
    assert "fixed the bill" in bodies  # the wrap-up note
    assert all(e["interaction_id"] == first for e in record["events"])


def test_a_supervisor_exports_everything_and_since_filters(floor):
    srv, _, _, first, second = floor
    supervisor = DemoClient(srv.url, "supervisor")
    everything = lines(cli(srv.url, supervisor.token).stdout)
    assert [r["interaction"]["id"] for r in everything] == [first, second]
    recent = cli(srv.url, supervisor.token, "--since", "2026-03-02T09:30:00Z")
    assert [r["interaction"]["id"] for r in lines(recent.stdout)] == [second]
    as_seconds = cli(srv.url, supervisor.token, "--since", str(EPOCH + 1800))
    assert as_seconds.stdout == recent.stdout


def test_pages_are_followed_to_the_end(floor):
    srv, _, agent2, first, second = floor
    more = [agent2.contact("chat", customer_id=f"c00{20 + n}") for n in range(4)]
    out = io.StringIO()
    supervisor = DemoClient(srv.url, "supervisor")
    assert export_pages(srv.url, supervisor.token, None, out, page_size=2) == 6
    assert [r["interaction"]["id"] for r in lines(out.getvalue())] == [first, second, *more]


def test_errors_are_one_line(floor, tmp_path):
    srv, agent1, _, _, _ = floor
    refused = cli(srv.url, "not-a-token")
    assert refused.returncode == 1 and refused.stdout == ""
    assert refused.stderr.strip().splitlines() == [
        f"agentdesk export: the token for {srv.url} was refused: run "
        f"`agentdesk login --server {srv.url}`"]
    no_token = cli(srv.url, None)
    assert no_token.returncode == 2 and len(no_token.stderr.strip().splitlines()) == 1
    assert "no token for" in no_token.stderr
    bad_since = cli(srv.url, agent1.token, "--since", "yesterday-ish")
    assert bad_since.returncode == 2 and "Traceback" not in bad_since.stderr
    assert "give an ISO time" in bad_since.stderr
    gone = cli("http://127.0.0.1:9", agent1.token)
    assert gone.returncode == 1
    assert gone.stderr.strip().splitlines() == [
        "agentdesk export: cannot reach http://127.0.0.1:9 (ConnectError)"]
    with pytest.raises(ExportError, match="no export endpoint"):
        export_pages(srv.url + "/nothing-here", agent1.token, None, io.StringIO())


def test_since_understands_ages_and_iso_times():
    assert since_time("2h", now=lambda: 10_000.0) == 10_000.0 - 7200
    assert since_time("30m", now=lambda: 10_000.0) == 10_000.0 - 1800
    assert since_time("2026-03-02T09:00") == EPOCH
    assert since_time("2026-03-02T10:00+01:00") == EPOCH
