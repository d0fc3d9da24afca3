"""What a backend can do, declared by its adapter and read by the desk and the UI.

The UI never probes a backend (`getattr`, try-and-see): a key whose capability
is missing is hidden from the footer, F1 and the palette, and pressing it
anyway says why in one line (`Capabilities.missing_reason`).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from enum import StrEnum

from agentdesk.domain.enums import Presence


class WrapupStyle(StrEnum):
    DISPOSITIONS = "dispositions"  # one disposition code + notes (agentdesk/1)
    LABELS = "labels"  # labels as dispositions, then resolve / pending / snooze (Chatwoot)


class TransferTarget(StrEnum):
    AGENT = "agent"
    QUEUE = "queue"
    TEAM = "team"


ALL_PRESENCES: tuple[Presence, ...] = tuple(Presence)


@dataclass(frozen=True, slots=True)
class Capabilities:
    backend: str = "agentdesk"  # the registered backend name, for messages
    voice: bool = True  # calls: hold, mute, DTMF, hang up
    offers: bool = True  # work is offered and must be accepted or rejected
    offer_timeout: bool = True  # offers expire (missed / not responding)
    reject_reasons: bool = True  # a reject says why (F3 asks for a reason first)
    customer_search: bool = True  # find a customer by name, phone, email, account (palette)
    acw_timer: bool = True  # after-contact work with a deadline
    presence_states: tuple[Presence, ...] = ALL_PRESENCES
    presence_next: bool = True  # "apply when current work is done"
    transfer_to: frozenset[TransferTarget] = frozenset({TransferTarget.AGENT, TransferTarget.QUEUE})
    warm_transfer: bool = True
    wrapup: WrapupStyle = WrapupStyle.DISPOSITIONS
    kb_from_server: bool = True  # the server publishes knowledge-base articles
    canned: bool = True
    notes: bool = True  # private notes
    email_cc: bool = True
    typing_out: bool = False  # the backend can show the customer that the agent types
    read_marks: bool = True
    monitor: bool = True  # a supervisor may watch the floor read-only
    stats: bool = True  # queue statistics for the header
    # What a supervisor monitor can show beyond counts (docs/monitor.md); a figure
    # the backend lacks is left out of the boards, never shown as a zero.
    service_level: bool = True  # SL%, goal, ASA, AHT, abandonment, staffing, SLA breaches
    agent_capacity: bool = True  # capacity units in use per agent
    state_times: bool = True  # since when an agent is in its state
    handle_times: bool = True  # per agent: handle time, occupancy
    simulation: bool = False  # /sim endpoints (mock server only)
    logout_revokes: bool = True  # `agentdesk logout` can end the token on the server
    # Off unless a backend says so: a desk without them hides dialling, callbacks and
    # the disclosure prompt rather than offer what the server cannot do.
    outbound: bool = False  # dial a customer (within the calling rules)
    callbacks: bool = False  # schedule calls for later; due ones are offered
    recording_disclosure: bool = False  # confirm / decline recording on calls
    # Why a missing feature is missing, shown in one line when its key is pressed.
    reasons: dict[str, str] = field(default_factory=dict, compare=False, hash=False)
    # The backend's own word for a presence where it differs (Chatwoot: away is "Busy").
    presence_names: dict[Presence, str] = field(default_factory=dict, compare=False, hash=False)

    def missing_reason(self, feature: str) -> str:
        """One line saying why `feature` is not available on this backend."""
        return self.reasons.get(feature) or f"{feature} is not available on the {self.backend} backend"
