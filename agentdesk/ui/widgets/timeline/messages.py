"""What the timeline tells its parent (as `Timeline.LoadOlder`, `Timeline.LinkActivated`
and `Timeline.RetryRequested`; handlers are `on_timeline_load_older` and so on)."""

from __future__ import annotations

from typing import TYPE_CHECKING

from textual.message import Message

if TYPE_CHECKING:
    from agentdesk.ui.widgets.timeline.model import Entry
    from agentdesk.ui.widgets.timeline.timeline import Timeline


class LoadOlder(Message, namespace="timeline"):
    """The agent scrolled near the top and older items exist."""

    def __init__(self, timeline: Timeline, before_id: str) -> None:
        super().__init__()
        self.timeline = timeline
        self.before_id = before_id

    @property
    def control(self) -> Timeline:
        return self.timeline


class LinkActivated(Message, namespace="timeline"):
    """The agent clicked a link in a message: confirm (show the URL) before opening."""

    def __init__(self, timeline: Timeline, url: str, item: Entry) -> None:
        super().__init__()
        self.timeline = timeline
        self.url = url
        self.item = item

    @property
    def control(self) -> Timeline:
        return self.timeline


class RetryRequested(Message, namespace="timeline"):
    """The agent asked to resend a message whose delivery failed."""

    def __init__(self, timeline: Timeline, client_id: str) -> None:
        super().__init__()
        self.timeline = timeline
        self.client_id = client_id

    @property
    def control(self) -> Timeline:
        return self.timeline
