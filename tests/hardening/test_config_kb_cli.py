"""Issue 15, item 10: `agentdesk config` alone shows its help; `config show` checks
keymap entries and the time zone; `kb import` drops articles deleted from the
folder; docs/themes.md says what `config path` prints."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

from agentdesk.kb.knowledge_base import KnowledgeBase

ROOT = Path(__file__).parents[2]


def _run(tmp_path: Path, *args: str, config: str | None = None) -> subprocess.CompletedProcess:
    env = dict(os.environ, **{f"XDG_{d}_HOME": str(tmp_path / d.lower())
                              for d in ("CONFIG", "DATA", "STATE", "CACHE")})
    if config is not None:
        path = tmp_path / "config.toml"
        path.write_text(config)
        env["AGENTDESK_CONFIG_FILE"] = str(path)
    return subprocess.run([sys.executable, "-m", "agentdesk", *args], capture_output=True,
                          text=True, env=env, timeout=60)


def test_bare_config_shows_the_help(tmp_path):
    out = _run(tmp_path, "config")
    assert out.returncode == 0, out.stderr
    assert "usage: agentdesk config" in out.stdout and "path" in out.stdout
    assert "show" in out.stdout and out.stderr == ""


def test_config_show_checks_keymap_and_timezone(tmp_path):
    out = _run(tmp_path, "config", "show", config=(
        '[keymap]\noffer-acept = "f2"\noffer-reject = "ctrl+nokey"\nmonitor-quit = "q"\n'
        '[ui]\ntimezone = "Mars/Olympus"\n'))
    assert out.returncode == 0
    warnings = [line for line in out.stderr.splitlines() if line.startswith("warning:")]
    assert any("keymap.offer-acept: unknown binding id" in w and "offer-accept" in w
               for w in warnings), out.stderr
    assert any("keymap.offer-reject" in w for w in warnings), out.stderr
    assert not any("monitor-quit" in w for w in warnings)  # a monitor id is a known id
    assert any("ui.timezone: unknown timezone 'Mars/Olympus'" in w for w in warnings)
    assert "Traceback" not in out.stderr


def test_kb_import_drops_deleted_articles(tmp_path):
    folder = tmp_path / "help"
    folder.mkdir()
    (folder / "alpha-guide.md").write_text("# Alpha guide\n\nzebracorn alpha steps\n")
    (folder / "beta-guide.md").write_text("# Beta guide\n\nzebracorn beta steps\n")
    kb = KnowledgeBase.open(tmp_path / "kb.sqlite3", seed_dir=None)
    kb.import_dir(folder)
    assert kb.get("alpha-guide") and kb.get("beta-guide")
    (folder / "alpha-guide.md").unlink()
    (folder / "beta-guide.md").write_bytes(b"\xff\xfe broken now")  # broken, not gone
    kb = KnowledgeBase.open(tmp_path / "kb.sqlite3", seed_dir=None)
    kb.import_dir(folder)
    assert kb.removed_on_import == 1
    assert kb.get("alpha-guide") is None
    assert kb.get("beta-guide") is not None
    assert [s.article_id for s in kb.search("zebracorn")] == ["beta-guide"]


def test_kb_import_keeps_an_article_another_source_still_has(tmp_path):
    one, two = tmp_path / "one", tmp_path / "two"
    one.mkdir()
    two.mkdir()
    (one / "shared.md").write_text("# Shared\n\nfrom one\n")
    (two / "shared.md").write_text("# Shared\n\nfrom two\n")
    kb = KnowledgeBase.open(tmp_path / "kb.sqlite3", seed_dir=None)
    kb.import_dir(one)
    kb.import_dir(two)
    (one / "shared.md").unlink()
    kb.import_dir(one)
    assert kb.removed_on_import == 0 and kb.get("shared") is not None


def test_themes_doc_says_config_path_prints_the_file():
    text = (ROOT / "docs" / "themes.md").read_text()
    assert "shows the config dir" not in text
    assert "config file that `agentdesk config path` prints" in text
