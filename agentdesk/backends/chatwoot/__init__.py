"""The Chatwoot backend: agentdesk as a Chatwoot agent client.

Modules, one job each:
  spec.py      name, capabilities, `SPEC.create(url, token, options)` (light)
  rest.py      the REST Application API client (auth header, errors)
  cable.py     one ActionCable connection to /cable (RoomChannel)
  mapping.py   Chatwoot JSON -> domain models (pure)
  tracker.py   per-conversation state and de-duplication (versions, message ids, echoes)
  live.py      cable frames -> domain events; reconnect and REST catch-up
  outbound.py  sending messages exactly once (echo_id)
  wrapup.py    the disposition string: labels + resolve / pending / snooze
  backend.py   `ChatwootBackend`, the `Backend` implementation

The mapping and its limits: docs/backends/chatwoot.md.
"""

from agentdesk.backends.chatwoot.spec import CAPABILITIES, SPEC

__all__ = ["CAPABILITIES", "SPEC"]
