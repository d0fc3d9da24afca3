"""The desk reaches its server without httpx: the HTTP client on its start-up
path is `http_wire` (h11 on asyncio streams), ~50 ms of imports less
(docs/benchmarks.md, "Start-up"). httpx stays for the one-shot commands."""

from __future__ import annotations

import subprocess
import sys

PROGRAM = """
import sys
import agentdesk.cli.desk, agentdesk.credentials, agentdesk.ui.app
import agentdesk.ui.screens.desk_screen
from agentdesk.backends.native import NativeBackend
from agentdesk.backends.chatwoot.backend import ChatwootBackend
from agentdesk.backends.chatwoot.monitor import ChatwootMonitor
NativeBackend("http://127.0.0.1:1")
ChatwootBackend("https://chatwoot.example", token="t", account="1")
print(sorted(m for m in ("httpx", "httpcore", "anyio") if m in sys.modules))
"""


def test_the_desk_and_its_backends_load_without_httpx() -> None:
    done = subprocess.run([sys.executable, "-c", PROGRAM], capture_output=True, text=True,
                          timeout=120)
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip() == "[]"
