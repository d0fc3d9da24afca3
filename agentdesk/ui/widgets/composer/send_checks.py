"""What the composer checks before a send (Textual-free): the body against the
channel's limits, an email reply's subject and cc. A private note is held to
the protocol's limit (the email one), whatever the channel."""

from __future__ import annotations

from typing import Literal

from agentdesk.domain.channel_limits import LengthCheck, check_body, check_subject
from agentdesk.domain.models import Channel
from agentdesk.ui.widgets.composer.addresses import cc_problem

Kind = Literal["reply", "note"]


def body_verdict(channel: Channel, kind: Kind, body: str) -> LengthCheck:
    return check_body(channel if kind == "reply" else Channel.EMAIL, body)


def send_problem(channel: Channel, kind: Kind, body: str, subject: str | None,
                 cc: list[str]) -> str | None:
    """Why this cannot be sent as it is (a plain sentence), or None."""
    verdict = body_verdict(channel, kind, body)
    if not verdict.ok:
        return verdict.refusal
    if channel is Channel.EMAIL and kind == "reply":
        return check_subject(subject or "") or cc_problem(cc)
    return None


def reply_subject(original: str | None) -> str:
    """The subject of a reply: "Re: " once before the original ("" without one)."""
    subject = (original or "").strip()
    if not subject:
        return ""
    return subject if subject.lower().startswith("re:") else f"Re: {subject}"
