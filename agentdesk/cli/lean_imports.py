"""Keeps httpx's command-line client off agentdesk's start-up path.

httpx's package init imports its own command-line client (`httpx._main`:
click, rich.progress, rich.syntax and the pygments lexers) whenever click is
installed, and the demo extra (uvicorn) installs it: ~26 ms of imports before
the desk's first frame (~15 ms net: the UI imports some of the same rich
modules anyway) for a tool agentdesk never runs (docs/benchmarks.md). Before
httpx is first imported, `httpx._main` is registered as a small module whose
`main` imports the real one when it is called, so `httpx.main` keeps working.
"""

from __future__ import annotations

import importlib
import sys
import types


def defer_httpx_cli() -> None:
    """Call before anything imports httpx; a no-op once it has been imported."""
    if "httpx" in sys.modules or "httpx._main" in sys.modules:
        return
    stub = types.ModuleType("httpx._main", "httpx's command-line client, imported when it runs")

    def main(*args: object, **kwargs: object) -> object:
        sys.modules.pop("httpx._main", None)
        return importlib.import_module("httpx._main").main(*args, **kwargs)

    vars(stub)["main"] = main
    sys.modules["httpx._main"] = stub
