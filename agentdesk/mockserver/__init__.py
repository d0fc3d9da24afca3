"""The simulated contact center behind `agentdesk mock-server` (agentdesk/1 server side).

`sim/` holds the pure simulation (no HTTP); the ASGI app, event hub, auth,
idempotency and persistence live beside it. `testing.py` runs it for tests.
"""
