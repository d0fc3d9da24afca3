"""What a simulated customer did before the handover to an agent.

Calls come through the IVR: the menu for the topic's skill, then the option
named after the topic ("Billing > Missed payment"). Chats, SMS and social
messages start with the bot, which asks what it is about and tries to verify
the customer. Whether identity was verified is set by interaction number (not
the seeded RNG, so seeded runs stay the same): one contact in three is not.
E-mail has no self-service step.
"""

from __future__ import annotations

from agentdesk.domain.models import Channel, Interaction, SelfService
from agentdesk.mockserver.sim.content import Topic

MENUS = {"tech": "Technical support", "billing": "Billing", "sales": "Sales",
         "account": "Account"}
BOT_CHANNELS = (Channel.CHAT, Channel.SMS, Channel.SOCIAL)


def for_contact(ix: Interaction, topic: Topic | None) -> SelfService | None:
    if topic is None or ix.channel is Channel.EMAIL:
        return None
    number = ix.id.rsplit("-", 1)[-1]
    verified = int(number) % 3 != 0 if number.isdigit() else None
    path = [MENUS.get(topic.skill, topic.skill.title()), topic.subjects[0]]
    if ix.channel is Channel.VOICE:
        return SelfService(kind="ivr", path=path, identity_verified=verified)
    check = ("Bot: Thanks, you're verified." if verified
             else "Bot: I couldn't verify your details.")
    transcript = ["Bot: Hi, I'm Brightline's assistant. What can I help with?",
                  f"Customer: {topic.subjects[0]}",
                  "Bot: Can you confirm your postcode and date of birth?",
                  "Customer: (gave details)", check,
                  "Bot: I'm passing you to one of our agents."]
    return SelfService(kind="bot", path=path, identity_verified=verified, transcript=transcript)


def timeline_text(service: SelfService) -> str:
    """The whole path for the timeline (the banner shows `service.summary()`)."""
    lines = [f"Before the handover: {service.summary()}"]
    lines.extend(service.transcript)
    return "\n".join(lines)
