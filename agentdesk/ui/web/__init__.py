"""The desk for one browser session of `agentdesk serve`: it signs in as the
person at that browser (a sign-in screen), never with the serving account's
stored token."""
