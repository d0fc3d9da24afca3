"""Issue 15, item 3: schemathesis over the mock server's served OpenAPI document,
bounded (a fixed number of examples per operation, deterministic generation, one
worker), with the checks for server errors, response schema and status code
conformance, negative data rejection and wrong methods (405 with `Allow`).
0 failures: the server and its document agree."""

from __future__ import annotations

import os
import re
import subprocess
import sys
from pathlib import Path

import pytest

from agentdesk.testing.mockserver import running_server

CHECKS = ("not_a_server_error,response_schema_conformance,status_code_conformance,"
          "negative_data_rejection,unsupported_method")
EXAMPLES = 15  # per operation and phase: about half a minute here


@pytest.mark.timeout(300)
def test_schemathesis_finds_nothing(tmp_path):
    # A fresh world with /sim on, no rate limit (thousands of requests in a few seconds)
    # and a manual clock, so that generated /sim/clock steps stay cheap.
    with running_server(agents=3, bots=0, traffic=False, manual_clock=True,
                        rate_limit=0) as srv:
        env = dict(os.environ, AGENTDESK_ST_URL=srv.url,
                   SCHEMATHESIS_HOOKS="schemathesis_hooks",
                   PYTHONPATH=os.pathsep.join([str(Path(__file__).parent),
                                               os.environ.get("PYTHONPATH", "")]))
        out = subprocess.run(
            [sys.executable, "-m", "schemathesis.cli", "run", f"{srv.url}/openapi.json",
             "--checks", CHECKS, "--max-examples", str(EXAMPLES), "--generation-deterministic",
             "--workers", "1", "--no-color", "--suppress-health-check", "all",
             "--report-dir", str(tmp_path)],
            capture_output=True, text=True, env=env, cwd=tmp_path, timeout=280)
    summary = out.stdout[-6000:]
    assert out.returncode == 0, summary
    counts = re.search(r"(\d+) generated, (\d+) passed", summary)
    assert counts and counts[1] == counts[2], summary  # every case passed every check
    assert int(counts[1]) > 500, summary  # and it was a real run
    print(summary[-400:])
    ops = re.search(r"Operations:\s+(\d+) selected / (\d+) total", out.stdout)
    assert ops and ops[1] == ops[2], out.stdout[:2000]  # the whole API
