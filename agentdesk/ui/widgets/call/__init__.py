"""Call controls of a voice interaction: the call bar and the DTMF keypad."""

from agentdesk.ui.widgets.call.call_bar import CallBar
from agentdesk.ui.widgets.call.dtmf_pad import DtmfPad

__all__ = ["CallBar", "DtmfPad"]
