"""The channel-aware composer and its canned-response picker."""

from agentdesk.ui.widgets.composer.canned_picker import CannedPicker
from agentdesk.ui.widgets.composer.composer import Composer

__all__ = ["CannedPicker", "Composer"]
