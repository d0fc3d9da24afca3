"""The customer's unified timeline widget."""

from agentdesk.ui.widgets.timeline.timeline import Timeline

__all__ = ["Timeline"]
