"""Where tokens live: the OS keyring, never the config file or logs. Textual-free.

Service name `agentdesk`, account `<server URL>|<user>`. On a machine without
a usable keyring backend (a headless ssh host) nothing is stored silently: the
caller gets `NoKeyringError` explaining the choices, which are the
`AGENTDESK_TOKEN` environment variable or an explicit opt-in 0600 file
(`AGENTDESK_TOKEN_FILE=1`, stored in the state dir).
"""

from __future__ import annotations

import json
import os
from pathlib import Path

import keyring
import keyring.errors
from platformdirs import user_state_dir

SERVICE = "agentdesk"

NO_KEYRING_HELP = (
    "No usable OS keyring was found on this machine, so the token cannot be stored safely.\n"
    "Choose one:\n"
    "  - pass the token in the environment: AGENTDESK_TOKEN=<token> agentdesk desk --server URL\n"
    "  - opt in to a private file (mode 0600) in the state directory: set AGENTDESK_TOKEN_FILE=1\n"
    "  - install a keyring backend (for example the Secret Service, or keyrings.alt)"
)


class NoKeyringError(RuntimeError):
    pass


def account(server: str, user: str) -> str:
    return f"{server.rstrip('/')}|{user}"


def keyring_usable() -> bool:
    backend = keyring.get_keyring()
    return getattr(backend, "priority", 0) > 0 and "fail" not in type(backend).__module__


def _file_store_path() -> Path:
    return Path(user_state_dir("agentdesk")) / "tokens.json"


def _file_store_enabled() -> bool:
    return os.environ.get("AGENTDESK_TOKEN_FILE", "") in ("1", "true", "yes")


def _read_file_store() -> dict[str, str]:
    path = _file_store_path()
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}
    return {k: v for k, v in data.items() if isinstance(k, str) and isinstance(v, str)}


def _write_file_store(data: dict[str, str]) -> None:
    path = _file_store_path()
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_suffix(".tmp")
    fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    with os.fdopen(fd, "w", encoding="utf-8") as fh:
        json.dump(data, fh)
    os.replace(tmp, path)


def store_token(server: str, user: str, token: str) -> str:
    """Keep the token; returns where it went ("keyring" or the file path)."""
    key = account(server, user)
    if keyring_usable():
        keyring.set_password(SERVICE, key, token)
        return "the OS keyring"
    if _file_store_enabled():
        data = _read_file_store()
        data[key] = token
        _write_file_store(data)
        return str(_file_store_path())
    raise NoKeyringError(NO_KEYRING_HELP)


def load_token(server: str, user: str | None) -> str | None:
    """The token for server/user from the environment, the keyring or the opt-in file."""
    env = os.environ.get("AGENTDESK_TOKEN")
    if env:
        return env
    if user is None:
        return None
    key = account(server, user)
    if keyring_usable():
        try:
            token = keyring.get_password(SERVICE, key)
        except keyring.errors.KeyringError:
            token = None
        if token:
            return token
    if _file_store_enabled():
        return _read_file_store().get(key)
    return None


def delete_token(server: str, user: str) -> bool:
    """Forget the token; True if one was removed."""
    key = account(server, user)
    removed = False
    if keyring_usable():
        try:
            keyring.delete_password(SERVICE, key)
            removed = True
        except keyring.errors.PasswordDeleteError:
            pass
    data = _read_file_store()
    if key in data:
        del data[key]
        _write_file_store(data)
        removed = True
    return removed
