"""One interaction tab's body: call bar, timeline, state line and composer."""

from agentdesk.ui.widgets.interaction.interaction_view import InteractionView

__all__ = ["InteractionView"]
