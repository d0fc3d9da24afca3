"""Which optional extra a command needs, checked before it starts.

`pip install agentdesk` is the lean agent client; the simulated contact
center needs `agentdesk[demo]` (Starlette, uvicorn) and the browser front end
`agentdesk[serve]` (textual-serve). A command whose extra is missing says so
in one line instead of failing deep inside an import.
"""

from __future__ import annotations

from importlib.util import find_spec

EXTRAS: dict[str, tuple[str, ...]] = {
    "demo": ("starlette", "uvicorn"),
    "serve": ("textual_serve",),
}

# command -> the extras it needs (serve --demo needs both; see `needed`).
COMMANDS: dict[str, tuple[str, ...]] = {
    "demo": ("demo",),
    "mock-server": ("demo",),
    "serve": ("serve",),
}


def missing_extra(command: str, *, demo: bool = False) -> str | None:
    """A one-line message if `command` cannot run in this installation, else None."""
    extras = COMMANDS.get(command, ())
    if command == "serve" and demo:
        extras = ("serve", "demo")
    for extra in extras:
        absent = [m for m in EXTRAS[extra] if find_spec(m) is None]
        if absent:
            return (f"agentdesk {command} needs the '{extra}' extra ({', '.join(absent)} not installed): "
                    f"pip install 'agentdesk[{extra}]'")
    return None
