"""`python -m agentdesk kb ...` as a subprocess: text, JSON, batch, import, rebuild."""

import json
import os
import subprocess
import sys
from pathlib import Path

FIXTURES = Path(__file__).resolve().parent.parent / "data" / "kb_fixtures" / "small"


def run_kb(*args: str, stdin: str | None = None) -> subprocess.CompletedProcess:
    # conftest points XDG_* at a per-test temp dir; the child inherits it.
    return subprocess.run([sys.executable, "-m", "agentdesk", "kb", *args], input=stdin,
                          capture_output=True, text=True, timeout=60, env=dict(os.environ))


def test_search_text_output_on_a_folder():
    proc = run_kb("search", "--kb", str(FIXTURES), "-n", "2", "charged twice refund")
    assert proc.returncode == 0, proc.stderr
    lines = proc.stdout.splitlines()
    assert lines[0].startswith("1. refunds  Refunds and credits  (")
    assert lines[1].startswith("   ") and "refund" in lines[1]


def test_search_json_output():
    proc = run_kb("search", "--kb", str(FIXTURES), "--json", "roaming in europe")
    assert proc.returncode == 0, proc.stderr
    data = json.loads(proc.stdout)
    assert data[0]["id"] == "roaming"
    assert set(data[0]) == {"id", "title", "score", "snippet", "matched"}
    assert 0 < data[0]["score"] <= 1
    assert "roaming" in [m.lower() for m in data[0]["matched"]]


def test_batch_mode_one_json_line_per_query():
    queries = "restart the router\n\nhow do I pay by card\nzzzz qqqq\n"
    proc = run_kb("search", "--kb", str(FIXTURES), "-n", "1", "-", stdin=queries)
    assert proc.returncode == 0, proc.stderr
    lines = [json.loads(line) for line in proc.stdout.splitlines()]
    assert len(lines) == 4
    assert lines[0][0]["id"] == "reset-hub"
    assert lines[1] == []
    assert lines[2][0]["id"] == "no-title-tag"
    assert lines[3] == []


def test_local_index_imports_demo_kb_on_first_use():
    proc = run_kb("search", "--json", "-n", "1", "my esim qr code will not scan")
    assert proc.returncode == 0, proc.stderr
    assert json.loads(proc.stdout)[0]["id"] == "esim-setup"


def test_import_reports_bad_files_then_search_and_rebuild(tmp_path):
    folder = tmp_path / "export"
    folder.mkdir()
    (folder / "zebra-care.md").write_text("# Zebra care\n\nFeed the zebra hay twice a day.\n")
    (folder / "broken.md").write_bytes(b"\xff\xfe\x00garbage")
    proc = run_kb("import", str(folder))
    assert proc.returncode == 0, proc.stderr
    assert "1 added" in proc.stdout and "1 skipped" in proc.stdout
    assert "broken.md" in proc.stderr
    found = json.loads(run_kb("search", "--json", "zebra hay").stdout)
    assert found[0]["id"] == "zebra-care"
    proc = run_kb("rebuild")
    assert proc.returncode == 0, proc.stderr
    found = json.loads(run_kb("search", "--json", "zebra hay").stdout)
    assert found[0]["id"] == "zebra-care", "rebuild keeps imported folders"


def test_missing_folder_is_a_clean_error(tmp_path):
    proc = run_kb("search", "--kb", str(tmp_path / "nope"), "x")
    assert proc.returncode == 2
    assert "not a folder" in proc.stderr
    assert "Traceback" not in proc.stderr
