"""The customer profile panel."""

from agentdesk.ui.widgets.customer.customer_panel import CustomerPanel

__all__ = ["CustomerPanel"]
