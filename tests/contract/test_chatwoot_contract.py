"""Every REST call the Chatwoot adapter makes, checked against Chatwoot's own
OpenAPI spec by Prism (see conftest.py). Prism answers with the spec's
examples ("string", 0, ...), so these tests also prove the mapping accepts
whatever the spec allows; the behaviour itself is tested against the fake in
tests/integration/test_chatwoot_*.py.

Three calls the adapter makes are not in the spec (sign-in, availability,
update_last_seen); `test_calls_the_spec_does_not_describe` pins that down,
and the fake covers them.
"""

from __future__ import annotations

import pytest

from agentdesk.backends.base import BackendCommandError
from agentdesk.backends.chatwoot.backend import ChatwootBackend
from agentdesk.backends.http import RetryPolicy
from agentdesk.domain.models import Presence

from .conftest import Prism, Recorder

NO_RETRY = RetryPolicy(attempts=1)
A = "/api/v1/accounts/{id}"
CV = A + "/conversations/{id}"

# Every call the adapter makes that the spec describes (ids as {id}).
IN_SPEC = {
    ("GET", "/api/v1/profile"),
    ("GET", A + "/inboxes"),
    ("GET", A + "/conversations"),
    ("GET", CV),
    ("GET", CV + "/messages"),
    ("POST", CV + "/messages"),
    ("POST", CV + "/assignments"),
    ("POST", CV + "/toggle_status"),
    ("POST", CV + "/toggle_typing_status"),
    ("GET", CV + "/labels"),
    ("POST", CV + "/labels"),
    ("GET", A + "/contacts/{id}"),
    ("GET", A + "/contacts/{id}/conversations"),
    ("GET", A + "/canned_responses"),
    ("GET", A + "/agents"),
    ("GET", A + "/teams"),
    ("GET", A + "/labels"),
}


@pytest.fixture
async def session(prism: Prism):
    recorder = Recorder()
    backend = ChatwootBackend(prism.url, transport=recorder, retry=NO_RETRY)
    try:
        await backend.use_token("contract-test-token")
        yield backend, recorder
    finally:
        await backend.close()


async def test_every_call_the_adapter_makes_is_valid_for_the_spec(session) -> None:
    backend, recorder = session
    user, agent = await backend.me()
    assert user.id == "0" and agent is not None  # the spec's example user
    assert backend.account_id == "0"

    # Reference data: the spec's example bodies parse.
    assert [q.id for q in await backend.list_queues()] == ["team:0"]
    assert [a.id for a in await backend.list_agents()] == ["0"]
    assert [d.code for d in await backend.list_dispositions()] == ["string"]
    assert [c.shortcut for c in await backend.list_canned_responses()] == ["string"]

    # Snapshots: conversation lists (me + unassigned), one conversation, the
    # contact panel, the unified timeline (latest page, then `before`), catch-up (`after`).
    interactions = await backend.list_interactions()
    assert interactions and interactions[0].id == "0"
    inter = await backend.get_interaction("5")
    detail = await backend.get_customer("3")
    assert detail.customer.id == "0" and detail.contacts
    page = await backend.get_timeline("3")
    assert page.items and page.items[0].body.startswith("string")
    await backend.get_timeline("3", before="1000")
    assert isinstance(await backend.reads.messages_after("5", 10), list)

    # Commands, each in every form the adapter sends.
    await backend.accept("5", "c-accept")
    await backend.transfer("5", "c-agent", agent_id="7")
    await backend.transfer("5", "c-team", queue_id="team:2")
    reply = await backend.send_message("5", "Hello", "c-reply")
    assert reply.client_id == "c-reply"
    await backend.send_message("5", "Internal", "c-note", kind="note")
    await backend.send_message("5", "With cc", "c-cc", cc=["a@example.com", "b@example.com"])
    await backend.set_typing("5", True)
    await backend.set_typing("5", False)
    await backend.wrapup("5", "resolve:billing,vip", "c-wrap")
    await backend.wrapup("5", "pending", "c-pending")
    await backend.wrapup("5", "snooze@1767225600:refund", "c-snooze", notes="call back")
    await backend.reject("5", "c-reject")  # local only: no request
    assert inter.id == "0"

    assert recorder.rejected() == []
    assert recorder.made() == IN_SPEC


async def test_the_harness_catches_a_request_the_spec_refuses(session) -> None:
    """The check above can fail: a wrong enum (Chatwoot's `mine` instead of `me`) is flagged."""
    backend, recorder = session
    with pytest.raises(BackendCommandError):
        await backend.rest.get(backend.rest.acct("/conversations"), {"assignee_type": "mine"})
    with pytest.raises(BackendCommandError) as bad_status:
        await backend.rest.post(backend.rest.conv("5", "/toggle_status"), {"status": "closed"})
    assert bad_status.value.status == 422
    assert len(recorder.rejected()) == 2


async def test_calls_the_spec_does_not_describe(session) -> None:
    """Sign-in (`POST /auth/sign_in`), availability (`POST /api/v1/profile/availability`)
    and mark-read (`POST …/update_last_seen`) exist in Chatwoot but not in its
    spec: Prism has no route for them (404). They are tested against the fake."""
    backend, _recorder = session
    for call in (lambda: backend.mark_read("5"),
                 lambda: backend.set_presence(Presence.AWAY)):
        with pytest.raises(BackendCommandError) as missing:
            await call()
        assert missing.value.status == 404
    fresh = ChatwootBackend(backend.base_url, retry=NO_RETRY)
    try:
        with pytest.raises(BackendCommandError) as missing:
            await fresh.login("a@example.com", "x")
        assert missing.value.status == 404
    finally:
        await fresh.close()


# Every call the monitor source makes (all GETs; profile and inboxes come from the session).
MONITOR_IN_SPEC = {
    ("GET", "/api/v1/profile"),
    ("GET", A + "/inboxes"),
    ("GET", A + "/teams"),
    ("GET", A + "/inbox_members/{id}"),
    ("GET", A + "/teams/{id}/team_members"),
    ("GET", A + "/agents"),
    ("GET", A + "/conversations"),
    ("GET", "/api/v2/accounts/{id}/summary_reports/agent"),
    ("GET", A + "/contacts/{id}/conversations"),
    ("GET", CV + "/messages"),
}


async def test_every_call_the_monitor_makes_is_valid_for_the_spec(prism: Prism) -> None:
    """The administrator's monitor (backends/chatwoot/monitor.py) over Prism: its
    snapshot and drill-down reads are requests the spec accepts, and the spec's
    example answers map onto the floor."""
    from agentdesk.backends.chatwoot.monitor import ChatwootMonitor

    recorder = Recorder()
    monitor = ChatwootMonitor(prism.url, token="contract-test-token", transport=recorder,
                              retry=NO_RETRY)
    try:
        queues = await monitor.list_queues()
        assert {q.id for q in queues} == {"inbox:0", "team:0"}
        assert [a.id for a in await monitor.list_agents()] == ["0"]
        stats = await monitor.get_stats()
        assert {q.queue_id for q in stats.queues} == {"inbox:0", "team:0"}
        # The agent report's example rows (agents 1 and 2) are read; agent 0 resolved none.
        assert monitor.board.handled == {"1": 120, "2": 60}
        assert [a.handled for a in stats.agents] == [0]
        await monitor.list_interactions()
        page = await monitor.get_timeline("3")
        assert page.items
    finally:
        await monitor.close()
    assert recorder.rejected() == []
    assert recorder.made() == MONITOR_IN_SPEC
