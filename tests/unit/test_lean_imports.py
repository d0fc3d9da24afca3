"""httpx's command-line client (click, rich.syntax, pygments) stays out of the
desk's start-up, and `httpx.main` still works when called."""

from __future__ import annotations

import subprocess
import sys

import pytest

PROGRAM = """
import sys
{prelude}
import httpx
print("click" in sys.modules, "pygments.lexers" in sys.modules)
httpx.main(["--help"])
"""


def run(prelude: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-c", PROGRAM.format(prelude=prelude)],
                          capture_output=True, text=True, timeout=60)


def test_httpx_imports_without_its_command_line_client_which_still_runs() -> None:
    pytest.importorskip("click", reason="without click httpx never imports its command-line client")
    plain = run("")
    assert plain.stdout.splitlines()[0] == "True True"  # what the stub avoids
    lean = run("from agentdesk.cli.lean_imports import defer_httpx_cli; defer_httpx_cli()")
    assert lean.stdout.splitlines()[0] == "False False", lean.stderr
    assert lean.returncode == 0 and "Usage: httpx" in lean.stdout  # the real client, on use


def test_it_does_nothing_once_httpx_is_imported() -> None:
    done = run("import httpx; from agentdesk.cli.lean_imports import defer_httpx_cli; defer_httpx_cli()")
    assert done.returncode == 0 and "Usage: httpx" in done.stdout
