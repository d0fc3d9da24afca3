"""Settings loading and token storage, with a keyring backend registered for the test
(an in-memory one: keyrings.alt's PlaintextKeyring is refused, as any plain-text store)."""

from __future__ import annotations

import os
import stat
import subprocess
import sys
from pathlib import Path

import keyring
import pytest
from keyring.backend import KeyringBackend
from keyrings.alt.file import PlaintextKeyring

from agentdesk import credentials
from agentdesk.config import describe_settings, load_settings


class MemoryKeyring(KeyringBackend):
    """A keyring backend as an OS one would be (viable, priority > 0), kept in memory."""

    priority = 1  # type: ignore[assignment]

    def __init__(self) -> None:
        super().__init__()
        self.secrets: dict[tuple[str, str], str] = {}

    def get_password(self, service: str, username: str) -> str | None:
        return self.secrets.get((service, username))

    def set_password(self, service: str, username: str, password: str) -> None:
        self.secrets[(service, username)] = password

    def delete_password(self, service: str, username: str) -> None:
        if self.secrets.pop((service, username), None) is None:
            raise keyring.errors.PasswordDeleteError("no such password")


@pytest.fixture
def file_keyring():
    """A usable keyring backend (in memory) registered as the OS keyring."""
    backend = MemoryKeyring()
    previous = keyring.get_keyring()
    keyring.set_keyring(backend)
    yield backend
    keyring.set_keyring(previous)


@pytest.fixture
def plaintext_keyring(tmp_path):
    """keyrings.alt's PlaintextKeyring (what a headless host with keyrings.alt gets)."""
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
    assert where == f"the OS keyring ({__name__}.MemoryKeyring)"
    assert keyring.get_password("agentdesk", "agentdesk|http://cc.example|alice") == "s3cret"
    assert credentials.load_token("http://cc.example", "alice") == "s3cret"
    assert credentials.delete_token("http://cc.example", "alice") is True
    assert credentials.load_token("http://cc.example", "alice") is None


def test_environment_token_wins(file_keyring, monkeypatch):
    credentials.store_token("http://cc.example", "alice", "from-keyring")
    monkeypatch.setenv("AGENTDESK_TOKEN", "from-env")
    assert credentials.load_token("http://cc.example", "alice") == "from-env"


def test_an_environment_token_does_not_load_the_keyring(tmp_path):
    """With AGENTDESK_TOKEN the keyring is never asked, so it is not imported either
    (its import, mostly the scan for backends, is a cost on every start)."""
    code = ("import sys\n"
            "from agentdesk.credentials import load_token\n"
            "assert load_token('http://127.0.0.1:1', 'ada') == 'from-env'\n"
            "print('keyring' in sys.modules)\n")
    env = {**os.environ, "AGENTDESK_TOKEN": "from-env", "HOME": str(tmp_path)}
    out = subprocess.run([sys.executable, "-c", code], env=env, capture_output=True, text=True,
                         check=True, timeout=60)
    assert out.stdout.strip() == "False"


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
    assert "# my desk" in text and 'help = "f1"' in text and "# bright room" in text
    assert load_settings(path, environ={}).settings.ui.theme == "agentdesk-colorblind"
    save_setting("notifications.message", "bell", True, path)
    assert load_settings(path, environ={}).settings.notifications.message.bell is True
    fresh = tmp_path / "new" / "config.toml"
    save_setting("ui", "theme", "agentdesk-dark", fresh)
    assert load_settings(fresh, environ={}).settings.ui.theme == "agentdesk-dark"


# -- plain-text keyrings are not a keyring ------------------------------------------------


def test_plaintext_keyring_is_refused_and_nothing_is_written(plaintext_keyring, monkeypatch):
    monkeypatch.delenv("AGENTDESK_TOKEN_FILE", raising=False)
    assert plaintext_keyring.priority > 0  # keyring itself would happily use it
    assert not credentials.keyring_usable()
    with pytest.raises(credentials.NoKeyringError) as info:
        credentials.store_token("http://cc.example", "alice", "s3cret")
    message = str(info.value)
    assert "PlaintextKeyring" in message and "plain text" in message
    assert "AGENTDESK_TOKEN" in message and "AGENTDESK_TOKEN_FILE=1" in message
    assert not Path(plaintext_keyring.file_path).exists()
    assert credentials.load_token("http://cc.example", "alice") is None


def test_plaintext_keyring_falls_back_to_the_opt_in_file(plaintext_keyring, monkeypatch):
    monkeypatch.setenv("AGENTDESK_TOKEN_FILE", "1")
    where = credentials.store_token("http://cc.example", "alice", "s3cret")
    assert where == str(credentials._file_store_path())
    assert not Path(plaintext_keyring.file_path).exists()
    assert credentials.load_token("http://cc.example", "alice") == "s3cret"
    assert credentials.delete_token("http://cc.example", "alice")


def test_logout_also_removes_a_token_an_older_version_left_in_plain_text(plaintext_keyring):
    plaintext_keyring.set_password("agentdesk", "http://cc.example|alice", "old")
    assert credentials.delete_token("http://cc.example", "alice") is True
    assert plaintext_keyring.get_password("agentdesk", "http://cc.example|alice") is None


@pytest.mark.parametrize("factory", [
    lambda: __import__("keyring.backends.fail", fromlist=["Keyring"]).Keyring(),
    lambda: __import__("keyring.backends.null", fromlist=["Keyring"]).Keyring(),
], ids=["fail", "null"])
def test_fail_and_null_backends_are_not_usable(factory):
    previous = keyring.get_keyring()
    keyring.set_keyring(factory())
    try:
        assert not credentials.keyring_usable()
    finally:
        keyring.set_keyring(previous)


def test_encrypted_keyrings_alt_backend_counts_as_usable():
    from keyrings.alt.file import EncryptedKeyring

    # As viable as with pycryptodome installed (not a test dependency).
    Viable = type("Viable", (EncryptedKeyring,), {"priority": 0.6, "__module__": "keyrings.alt.file"})
    Plain = type("Plain", (PlaintextKeyring,), {"__module__": "keyrings.alt.file"})
    assert credentials._safe(object.__new__(Viable))  # its __init__ wants the crypto module
    assert not credentials._safe(Plain())
    assert not credentials._safe(PlaintextKeyring())


def test_chainer_skips_plain_text_backends(tmp_path, monkeypatch):
    from keyring.backends.chainer import ChainerBackend

    plain = PlaintextKeyring()
    plain.file_path = str(tmp_path / "keyring.cfg")
    memory = MemoryKeyring()
    monkeypatch.setattr(ChainerBackend, "backends", [plain, memory])  # plain text first
    previous = keyring.get_keyring()
    keyring.set_keyring(ChainerBackend())
    try:
        assert credentials.keyring_usable()
        where = credentials.store_token("http://cc.example", "alice", "s3cret")
        assert "MemoryKeyring" in where
        assert memory.secrets == {("agentdesk", "agentdesk|http://cc.example|alice"): "s3cret"}
        assert not Path(plain.file_path).exists()
    finally:
        keyring.set_keyring(previous)


def _login_cli(tmp_path: Path, *args: str, stdin: str | None = "", env: dict | None = None):
    environ = dict(os.environ, **{f"XDG_{d}_HOME": str(tmp_path / d.lower())
                                  for d in ("CONFIG", "DATA", "STATE", "CACHE")})
    environ.pop("AGENTDESK_TOKEN", None)
    environ.pop("AGENTDESK_TOKEN_FILE", None)
    environ.update(env or {})
    return subprocess.run([sys.executable, "-m", "agentdesk", "login", *args], input=stdin,
                          capture_output=True, text=True, env=environ, timeout=60)


def test_login_at_end_of_input_is_a_message_not_a_traceback(tmp_path):
    from agentdesk.testing.mockserver import running_server

    with running_server(agents=1, bots=0, traffic=False, manual_clock=True) as server:
        # Ctrl-D at the password prompt (stdin at its end); no login is attempted.
        out = _login_cli(tmp_path, "--server", server.url, "--user", "agent1", "--token-file",
                         stdin="")
        assert out.returncode == 1
        assert "Traceback" not in out.stderr and "EOFError" not in out.stderr
        assert "cancelled: no password given" in out.stderr
        # No --user and nothing to read from a pipe.
        out = _login_cli(tmp_path, "--server", server.url, "--token-file", stdin="")
        assert out.returncode == 2
        assert "Traceback" not in out.stderr
        assert "--user NAME" in out.stderr


def test_login_with_a_plaintext_keyring_says_where_the_token_went(tmp_path):
    """keyrings.alt is installed here, so keyring picks its PlaintextKeyring: login must
    not claim "the OS keyring" and must not write the token there."""
    from agentdesk.testing.mockserver import running_server

    with running_server(agents=2, bots=0, traffic=False, manual_clock=True) as server:
        refused = _login_cli(tmp_path, "--server", server.url, "--user", "agent1", stdin="demo\n")
        assert refused.returncode == 1, refused.stderr
        assert "PlaintextKeyring" in refused.stderr and "AGENTDESK_TOKEN_FILE=1" in refused.stderr
        assert "OS keyring" not in refused.stdout
        assert not list(tmp_path.rglob("keyring_pass.cfg"))
        stored = _login_cli(tmp_path, "--server", server.url, "--user", "agent1", stdin="demo\n",
                            env={"AGENTDESK_TOKEN_FILE": "1"})
        assert stored.returncode == 0, stored.stderr
        assert "OS keyring" not in stored.stdout
        assert "tokens.json" in stored.stdout and "0600" in stored.stdout
        assert not list(tmp_path.rglob("keyring_pass.cfg"))


# -- tokens per backend -------------------------------------------------------------------


def test_tokens_are_kept_per_backend_and_the_old_agentdesk_key_still_works(file_keyring):
    credentials.store_token("http://cc.example", "ada", "cw-token", "chatwoot")
    credentials.store_token("http://cc.example", "ada", "ad-token")
    assert credentials.load_token("http://cc.example", "ada", "chatwoot") == "cw-token"
    assert credentials.load_token("http://cc.example", "ada") == "ad-token"
    assert ("agentdesk", "chatwoot|http://cc.example|ada") in file_keyring.secrets
    # A token an earlier version stored (no backend in the key) keeps agentdesk/1
    # users signed in, and only for agentdesk/1.
    file_keyring.set_password("agentdesk", "http://old.example|bob", "legacy")
    assert credentials.load_token("http://old.example", "bob") == "legacy"
    assert credentials.load_token("http://old.example", "bob", "chatwoot") is None
    assert credentials.delete_token("http://old.example", "bob") is True
    assert credentials.load_token("http://old.example", "bob") is None
    assert credentials.delete_token("http://cc.example", "ada", "chatwoot") is True
    assert credentials.load_token("http://cc.example", "ada") == "ad-token"


def test_environment_token_works_for_every_backend(file_keyring, monkeypatch):
    monkeypatch.setenv("AGENTDESK_TOKEN", "from-env")
    assert credentials.load_token("http://cc.example", None, "chatwoot") == "from-env"
    assert credentials.load_token("http://cc.example", "ada", "agentdesk") == "from-env"


def test_profile_backend_and_account_are_settings(tmp_path):
    path = tmp_path / "config.toml"
    path.write_text('[profiles.cw]\nurl = "https://chat.example"\nbackend = "chatwoot"\n'
                    'account = "3"\n[profiles.plain]\nurl = "http://x"\n', encoding="utf-8")
    loaded = load_settings(path)
    assert not loaded.problems
    cw, plain = loaded.settings.profiles["cw"], loaded.settings.profiles["plain"]
    assert (cw.backend, cw.account) == ("chatwoot", "3")
    assert (plain.backend, plain.account) == ("agentdesk", None)


def test_login_by_pasted_token_needs_a_backend_that_takes_them(tmp_path):
    out = _login_cli(tmp_path, "--server", "http://127.0.0.1:9", "--token", stdin="abc\n")
    assert out.returncode == 2 and "Traceback" not in out.stderr
    assert "takes no pasted token" in out.stderr and len(out.stderr.strip().splitlines()) == 1


def test_login_with_an_unknown_backend_lists_the_known_ones(tmp_path):
    out = _login_cli(tmp_path, "--backend", "flex", "--server", "http://127.0.0.1:9", "--user", "a")
    assert out.returncode == 2
    assert out.stderr.strip() == ("agentdesk login: unknown backend 'flex'; known backends: "
                                  "agentdesk, chatwoot")


def test_login_stores_the_token_under_the_backend_name(tmp_path):
    from agentdesk.testing.mockserver import running_server

    with running_server(agents=2, bots=0, traffic=False, manual_clock=True) as server:
        stored = _login_cli(tmp_path, "--backend", "agentdesk", "--server", server.url, "--user",
                            "agent1", stdin="demo\n", env={"AGENTDESK_TOKEN_FILE": "1"})
        assert stored.returncode == 0, stored.stderr
    [tokens] = list(tmp_path.rglob("tokens.json"))
    import json

    assert list(json.loads(tokens.read_text())) == [f"agentdesk|{server.url}|agent1"]
