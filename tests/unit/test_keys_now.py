"""Which desk keys apply now (ui/screens/desk/keys_now.py): the footer shows
and Textual fires only these. Textual-free, so checked without an app."""

from __future__ import annotations

from agentdesk.domain.capabilities import Capabilities
from agentdesk.domain.enums import CallState, Channel, InteractionState
from agentdesk.domain.models import CallInfo, Interaction
from agentdesk.ui.screens.desk.keys_now import key_applies

NATIVE = Capabilities(recording_disclosure=True)  # as agentdesk/1 declares it
NO_VOICE = Capabilities(backend="chatwoot", voice=False)


def ix(channel: Channel, state: InteractionState, call: CallInfo | None = None) -> Interaction:
    return Interaction(id="i1", channel=channel, customer_id="c1", customer_name="Ann",
                       queue_id="support", state=state, created_at=0.0, call=call)


def test_call_keys_only_on_a_live_call_and_hold_not_while_a_consult_holds_the_customer() -> None:
    call = ix(Channel.VOICE, InteractionState.ACTIVE, CallInfo(state=CallState.CONNECTED))
    chat = ix(Channel.CHAT, InteractionState.ACTIVE)
    for action in ("hold", "mute", "hangup", "dtmf", "disclosure"):
        assert key_applies(action, NATIVE, call, has_offer=False)
        assert not key_applies(action, NATIVE, chat, has_offer=False)
        assert not key_applies(action, NO_VOICE, call, has_offer=False)  # capability first
    consulting = ix(Channel.VOICE, InteractionState.ACTIVE,
                    CallInfo(state=CallState.HELD, consult_agent_id="a5", consult_state="talking"))
    assert not key_applies("hold", NATIVE, consulting, has_offer=False)
    assert key_applies("transfer", NATIVE, consulting, has_offer=False)  # F7 decides the consult


def test_offer_send_and_close_and_wrapup_keys() -> None:
    chat = ix(Channel.CHAT, InteractionState.ACTIVE)
    voice = ix(Channel.VOICE, InteractionState.ACTIVE, CallInfo(state=CallState.CONNECTED))
    offered = ix(Channel.CHAT, InteractionState.OFFERED)
    assert key_applies("accept", NATIVE, None, has_offer=True)
    assert not key_applies("reject", NATIVE, chat, has_offer=False)
    assert key_applies("send_and_close", NATIVE, chat, has_offer=False)
    assert not key_applies("send_and_close", NATIVE, voice, has_offer=False)  # a call note closes nothing
    assert not key_applies("wrapup", NATIVE, offered, has_offer=True)
    assert key_applies("wrapup", NATIVE, ix(Channel.CHAT, InteractionState.WRAPUP), has_offer=False)
