"""Screenshot scenes: seeded, frozen-clock runs of the desk and the monitor that
`make screenshots` renders for the README and the snapshot tests reuse.

A development tool beside the package, never shipped in the wheel: it builds
Textual apps (so it cannot live in the Textual-free agentdesk/testing) and it is
not product (so it does not belong in agentdesk/ui). docs/architecture.md.
"""
