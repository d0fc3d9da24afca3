"""Shared test set-up: keep the developer's own config, data and keyring out of tests."""

import os

import pytest


@pytest.fixture(autouse=True)
def _isolated_dirs(tmp_path, monkeypatch):
    """Point config, data and state directories at a temp dir for every test."""
    home = tmp_path / "home"
    for var, sub in (("XDG_CONFIG_HOME", "config"), ("XDG_DATA_HOME", "data"),
                     ("XDG_STATE_HOME", "state"), ("XDG_CACHE_HOME", "cache")):
        path = home / sub
        path.mkdir(parents=True, exist_ok=True)
        monkeypatch.setenv(var, str(path))
    monkeypatch.delenv("AGENTDESK_TOKEN", raising=False)
    monkeypatch.setenv("AGENTDESK_CONFIG_FILE", str(home / "config" / "agentdesk" / "config.toml"))
    os.environ.setdefault("TEXTUAL_ANIMATIONS", "none")
    yield
