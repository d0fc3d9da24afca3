"""The desk app rendering the same frame every run: for the snapshot tests, the
screenshot scenes and the load bench (no blinking cursor, no timeline
scrollbar). A subclass here rather than a keyword of the product's app."""

from __future__ import annotations

from agentdesk.ui.app import AgentDeskApp


class StillDeskApp(AgentDeskApp):
    STILL_FRAMES = True
