"""Settings loading and token storage, with a real keyring backend registered for the test."""

from __future__ import annotations

import os
import stat
import subprocess
import sys
from pathlib import Path

import keyring
import pytest
from keyrings.alt.file import PlaintextKeyring

from agentdesk import credentials
from agentdesk.config import describe_settings, load_settings


@pytest.fixture
def file_keyring(tmp_path):
    """A real keyring backend (keyrings.alt's file keyring) in a temp dir."""
    backend = PlaintextKeyring()
    backend.file_path = str(tmp_path / "keyring.cfg")
    previous = keyring.get_keyring()
    keyring.set_keyring(backend)
    yield backend
    keyring.set_keyring(previous)


@pytest.fixture
def no_keyring():
    from keyring.backends.fail import Keyring as FailKeyring

    previous = keyring.get_keyring()
    keyring.set_keyring(FailKeyring())
    yield
    keyring.set_keyring(previous)


def test_defaults_when_no_file(tmp_path):
    loaded = load_settings(tmp_path / "missing.toml", environ={})
    assert loaded.problems == []
    assert loaded.settings.ui.theme == "agentdesk-dark"


def test_bad_values_name_file_line_and_key_and_keep_the_rest(tmp_path):
    path = tmp_path / "config.toml"
    path.write_text('[ui]\nsort_tabs_by_urgency = true\ntheme = 5\n[keymap]\naccept-offer = "f2"\n')
    loaded = load_settings(path, environ={})
    assert loaded.settings.ui.sort_tabs_by_urgency is True
    assert loaded.settings.ui.theme == "agentdesk-dark"
    assert loaded.settings.keymap == {"accept-offer": "f2"}
    assert len(loaded.problems) == 1
    assert f"{path}:3: ui.theme" in loaded.problems[0]


def test_invalid_toml_gives_defaults_and_one_message(tmp_path):
    path = tmp_path / "config.toml"
    path.write_text("[ui\ntheme = ")
    loaded = load_settings(path, environ={})
    assert loaded.settings.ui.theme == "agentdesk-dark"
    assert len(loaded.problems) == 1 and "not valid TOML" in loaded.problems[0]


def test_environment_overrides_file(tmp_path):
    path = tmp_path / "config.toml"
    path.write_text('[ui]\ntheme = "agentdesk-light"\n')
    env = {"AGENTDESK_THEME": "agentdesk-high-contrast", "AGENTDESK_UI__SORT_TABS_BY_URGENCY": "yes"}
    settings = load_settings(path, environ=env).settings
    assert settings.ui.theme == "agentdesk-high-contrast"
    assert settings.ui.sort_tabs_by_urgency is True


def test_describe_lists_every_setting():
    text = describe_settings()
    for key in ("ui.theme", "notifications.offer.bell", "keymap", "profiles", "default_profile"):
        assert f"`{key}`" in text


def test_token_round_trip_in_keyring(file_keyring):
    assert credentials.keyring_usable()
    where = credentials.store_token("http://cc.example/", "alice", "s3cret")
    assert where == "the OS keyring"
    assert keyring.get_password("agentdesk", "http://cc.example|alice") == "s3cret"
    assert credentials.load_token("http://cc.example", "alice") == "s3cret"
    assert credentials.delete_token("http://cc.example", "alice") is True
    assert credentials.load_token("http://cc.example", "alice") is None


def test_environment_token_wins(file_keyring, monkeypatch):
    credentials.store_token("http://cc.example", "alice", "from-keyring")
    monkeypatch.setenv("AGENTDESK_TOKEN", "from-env")
    assert credentials.load_token("http://cc.example", "alice") == "from-env"


def test_no_keyring_refuses_to_store_silently(no_keyring, monkeypatch):
    monkeypatch.delenv("AGENTDESK_TOKEN_FILE", raising=False)
    with pytest.raises(credentials.NoKeyringError) as info:
        credentials.store_token("http://cc.example", "alice", "s3cret")
    assert "AGENTDESK_TOKEN" in str(info.value)
    assert not credentials._file_store_path().exists()


def test_opt_in_file_store_is_private(no_keyring, monkeypatch):
    monkeypatch.setenv("AGENTDESK_TOKEN_FILE", "1")
    where = credentials.store_token("http://cc.example", "alice", "s3cret")
    path = Path(where)
    assert stat.S_IMODE(os.stat(path).st_mode) == 0o600
    assert credentials.load_token("http://cc.example", "alice") == "s3cret"
    assert credentials.delete_token("http://cc.example", "alice")


def test_config_cli_never_prints_tokens(file_keyring, tmp_path, monkeypatch):
    credentials.store_token("http://cc.example", "alice", "tok-SHOULD-NOT-APPEAR")
    out = subprocess.run(
        [sys.executable, "-m", "agentdesk", "config", "show"],
        capture_output=True, text=True, check=True, env=os.environ.copy(),
    )
    assert "tok-SHOULD-NOT-APPEAR" not in out.stdout + out.stderr
    assert "[ui]" in out.stdout


def test_configuration_doc_is_current():
    from agentdesk.config import config_doc

    committed = (Path(__file__).parents[2] / "docs" / "configuration.md").read_text()
    assert committed == config_doc(), "run: python -m agentdesk.config > docs/configuration.md"


def test_save_setting_edits_one_line_and_keeps_comments(tmp_path):
    from agentdesk.config import save_setting

    path = tmp_path / "config.toml"
    path.write_text('# my desk\n[ui]\ntheme = "agentdesk-light"  # bright room\n\n[keymap]\nhelp = "f1"\n')
    save_setting("ui", "theme", "agentdesk-colorblind", path)
    text = path.read_text()
    assert "# my desk" in text and 'help = "f1"' in text
    assert load_settings(path, environ={}).settings.ui.theme == "agentdesk-colorblind"
    save_setting("notifications.message", "bell", True, path)
    assert load_settings(path, environ={}).settings.notifications.message.bell is True
    fresh = tmp_path / "new" / "config.toml"
    save_setting("ui", "theme", "agentdesk-dark", fresh)
    assert load_settings(fresh, environ={}).settings.ui.theme == "agentdesk-dark"
