"""Self-service context: what the IVR or the bot did before the handover,
in the interaction (offer) and the timeline, over real HTTP + WS."""

from __future__ import annotations

import pytest
import websockets

from agentdesk.domain.models import Interaction
from agentdesk.testing.mockserver import DemoClient, read_frames, running_server


@pytest.fixture
def server():
    with running_server(agents=3, bots=0, traffic=False, manual_clock=True) as srv:
        yield srv


async def test_a_call_arrives_with_its_ivr_path(server):
    agent = DemoClient(server.url, "agent1")
    agent.available()
    async with websockets.connect(agent.events_url(since=0)) as ws:
        iid = agent.contact("voice", customer_id="c0010", topic="missed-payment")
        frames = await read_frames(ws, until=lambda fs: any(
            f.get("type") == "interaction.offered" for f in fs), timeout=5)
    offered = next(f for f in frames if f.get("type") == "interaction.offered")
    service = offered["data"]["interaction"]["self_service"]
    assert service["kind"] == "ivr" and service["path"] == ["Billing", "Payment failed"]
    assert isinstance(service["identity_verified"], bool)
    # the offer banner's one line, as the desk builds it from the model
    line = Interaction.model_validate(offered["data"]["interaction"]).self_service.summary()
    verified = "identity verified" if service["identity_verified"] else "identity not verified"
    assert line == f"IVR: Billing > Payment failed · {verified}"
    items = agent.get("/v1/customers/c0010/timeline").json()["items"]
    path = [i for i in items if i["interaction_id"] == iid and i["kind"] == "system"]
    assert path[0]["body"].startswith("Before the handover: IVR: Billing > Payment failed")


def test_a_chat_arrives_with_the_bot_conversation(server):
    agent = DemoClient(server.url, "agent1")
    iid = agent.contact("chat", customer_id="c0011", topic="missed-payment")
    service = agent.interaction(iid)["self_service"]
    assert service["kind"] == "bot"
    assert service["transcript"][1] == "Customer: Payment failed"
    assert service["transcript"][-1] == "Bot: I'm passing you to one of our agents."
    items = agent.get("/v1/customers/c0011/timeline").json()["items"]
    body = next(i["body"] for i in items
                if i["interaction_id"] == iid and i["body"].startswith("Before the handover"))
    assert "Bot: Can you confirm your postcode" in body.splitlines()[3]


def test_identity_verification_differs_between_contacts_and_email_has_none(server):
    agent = DemoClient(server.url, "agent1")
    verified = {agent.interaction(agent.contact("sms", topic="missed-payment"))[
        "self_service"]["identity_verified"] for _ in range(3)}
    assert verified == {True, False}
    mail = agent.contact("email", topic="missed-payment")
    assert agent.interaction(mail)["self_service"] is None
