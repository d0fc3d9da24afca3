"""agentdesk: a terminal agent desktop for blended contact-center agents."""

__version__ = "0.1.0"
