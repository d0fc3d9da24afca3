"""Which desk keys apply now: the rule behind the screen's `check_action`, so
the footer shows (and Textual fires) only keys that do something here, on
this backend and in this interaction's state. The call bar's hints follow the
same states (ui/widgets/call/call_bar.py)."""

from __future__ import annotations

from typing import TYPE_CHECKING

from agentdesk.desk.gate import action_allowed
from agentdesk.domain.enums import Channel, InteractionState

if TYPE_CHECKING:  # the models need pydantic, kept off the first frame's path
    from agentdesk.domain.capabilities import Capabilities
    from agentdesk.domain.models import Interaction

CALL_ACTIONS = frozenset({"hold", "mute", "hangup", "dtmf", "disclosure"})


def key_applies(action: str, caps: Capabilities, active: Interaction | None,
                has_offer: bool) -> bool:
    """Whether the key bound to `action` applies now (`active`: the current tab)."""
    if not action_allowed(caps, action):
        return False
    if action in ("accept", "reject"):
        return has_offer
    live = active is not None and active.state is InteractionState.ACTIVE
    if action in CALL_ACTIONS:
        call = active.call if active is not None else None
        if action == "hold" and call is not None and call.consult_state == "talking":
            return False  # the customer holds for the consult: F7 decides, as the call bar says
        return live and call is not None
    if action == "transfer":
        return live
    if action == "send_and_close":
        return live and active is not None and active.channel is not Channel.VOICE
    if action == "wrapup":
        return active is not None and active.state is not InteractionState.OFFERED
    return True
