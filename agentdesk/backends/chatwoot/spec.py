"""What the Chatwoot backend can do, and how to build one: light on purpose
(the registry loads it to read the name and flags; the adapter itself is
imported only by `create`)."""

from __future__ import annotations

from typing import TYPE_CHECKING

from agentdesk.backends.registry import BackendOptions, BackendSpec
from agentdesk.domain.capabilities import Capabilities, TransferTarget, WrapupStyle
from agentdesk.domain.enums import Presence

if TYPE_CHECKING:
    from agentdesk.backends.chatwoot.backend import ChatwootBackend
    from agentdesk.backends.chatwoot.monitor import ChatwootMonitor

CAPABILITIES = Capabilities(
    backend="chatwoot",
    voice=False,
    offers=True,  # unassigned conversations in my inboxes: take = assign to me
    offer_timeout=False,
    reject_reasons=False,  # no reject at all: the offer is only hidden locally
    customer_search=False,  # not wired to Chatwoot's contact search yet
    acw_timer=False,
    # online -> available, busy -> away, offline -> offline (docs/backends/chatwoot.md)
    presence_states=(Presence.AVAILABLE, Presence.AWAY, Presence.OFFLINE),
    presence_next=False,
    transfer_to=frozenset({TransferTarget.AGENT, TransferTarget.TEAM}),
    warm_transfer=False,
    wrapup=WrapupStyle.LABELS,
    kb_from_server=False,
    canned=True,
    notes=True,
    email_cc=True,
    typing_out=True,
    logout_revokes=False,  # user access tokens live until reset in Profile settings
    read_marks=True,
    monitor=True,  # an administrator's read-only monitor (backends/chatwoot/monitor.py)
    stats=False,
    service_level=False,
    agent_capacity=False,
    state_times=False,
    handle_times=False,
    simulation=False,
    outbound=False,
    callbacks=False,
    recording_disclosure=False,
    reasons={
        "outbound": "Chatwoot has no telephony: no outbound calls",
        "callbacks": "Chatwoot cannot schedule callbacks (no telephony)",
        "recording_disclosure": "Chatwoot has no calls to record",
        "voice": "Chatwoot has no voice calls an agent can control from a terminal",
        "logout_revokes": "Chatwoot cannot revoke an access token from here (reset it in Profile settings)",
        "offer_timeout": "Chatwoot offers do not expire: unassigned conversations wait",
        "acw_timer": "Chatwoot has no after-contact work timer",
        "presence_next": "Chatwoot cannot schedule a presence change for later",
        "warm_transfer": "Chatwoot transfers by assignment only (no consult)",
        "transfer_queue": "Chatwoot has no queues: transfer to a team or an agent",
        "kb_from_server": "Chatwoot publishes no knowledge base to agents; the local KB is used",
        "service_level": "Chatwoot has no service-level goal, ASA, handle time or abandonment",
        "agent_capacity": "Chatwoot has no capacity units per agent, only conversations in hand",
        "state_times": "Chatwoot does not say since when an agent is online, busy or offline",
        "handle_times": "Chatwoot has no handle time or occupancy per agent",
        "monitor_role": "the monitor needs an administrator of the Chatwoot account",
        "stats": "Chatwoot's Application API has no live queue figures (only reports)",
        "simulation": "a real Chatwoot server has no simulation controls",
        "presence_break": "Chatwoot availability is online, busy or offline: break is busy",
    },
    presence_names={Presence.AWAY: "Busy"},
)


class ChatwootSpec(BackendSpec):
    name = "chatwoot"
    title = "Chatwoot"
    user_label = "Email"
    token_login = True
    capabilities = CAPABILITIES

    def create(self, url: str, *, token: str | None = None,
               options: BackendOptions | None = None) -> ChatwootBackend:
        from agentdesk.backends.chatwoot.backend import ChatwootBackend

        opts = options or BackendOptions()
        return ChatwootBackend(url, token=token, account=opts.account, timeout=opts.timeout_s)

    def create_monitor(self, url: str, *, token: str | None = None,
                       options: BackendOptions | None = None) -> ChatwootMonitor:
        """The administrator's read-only monitor source (`agentdesk monitor`)."""
        from agentdesk.backends.chatwoot.monitor import ChatwootMonitor

        opts = options or BackendOptions()
        return ChatwootMonitor(url, token=token, account=opts.account, timeout=opts.timeout_s)


SPEC = ChatwootSpec()
