"""How an attachment reads in a conversation: its name, its size as people say
it, and its address (the timeline underlines it as a link: ctrl+o or a click
opens it after the usual confirmation, never automatically)."""

from __future__ import annotations

from typing import Protocol

PAPERCLIP = "📎"


class AttachmentLike(Protocol):
    name: str
    url: str
    size_bytes: int


def format_size(size_bytes: int) -> str:
    """1023 -> '1023 B', 245760 -> '240 KB', 3_500_000 -> '3.3 MB'."""
    if size_bytes < 1024:
        return f"{size_bytes} B"
    kb = size_bytes / 1024
    if kb < 1024:
        return f"{kb:.0f} KB"
    return f"{kb / 1024:.1f} MB"


def attachment_line(attachment: AttachmentLike) -> str:
    """'📎 invoice.pdf (240 KB) https://files.example.com/invoice.pdf'."""
    return f"{PAPERCLIP} {attachment.name} ({format_size(attachment.size_bytes)}) {attachment.url}"


def body_with_attachments(body: str, attachments: list[AttachmentLike]) -> str:
    """The message text as shown: its body, then one line per attachment."""
    lines = [attachment_line(a) for a in attachments]
    return "\n".join([body, *lines]) if body else "\n".join(lines)
