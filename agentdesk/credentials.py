"""Where tokens live: the OS keyring, never the config file or logs. Textual-free.

Service name `agentdesk`, account `<backend>|<server URL>|<user>` (agentdesk/1 tokens
of older versions, under `<server URL>|<user>`, are still read). On a machine without
a usable keyring backend (a headless ssh host) nothing is stored silently: the
caller gets `NoKeyringError` explaining the choices, which are the
`AGENTDESK_TOKEN` environment variable or an explicit opt-in 0600 file
(`agentdesk login --token-file`, or `AGENTDESK_TOKEN_FILE=1`; stored in the
state dir). The opt-in is made once, when the file is written: later runs read
the file without being told again, but only while it is private (a regular file
of this user, no group or other permissions); otherwise it is ignored with a
warning, as ssh does with a readable private key.

A backend that keeps secrets in plain text does not count as usable: keyring's
`fail` and `null` backends, and keyrings.alt's `PlaintextKeyring` (or any
other keyrings.alt backend that does not encrypt). Behind keyring's chainer
the first usable backend of the chain is used directly, so a token never
lands in a plain-text backend of the chain either.
"""

from __future__ import annotations

import json
import logging
import os
import stat
from pathlib import Path

from platformdirs import user_state_dir

SERVICE = "agentdesk"
log = logging.getLogger("agentdesk.credentials")

NO_KEYRING_HELP = (
    "no usable OS keyring was found on this machine, so the token cannot be stored safely.\n"
    "Choose one, then log in again:\n"
    "  - opt in to a private file (mode 0600) in the state directory:\n"
    "    agentdesk login --token-file ...  (or set AGENTDESK_TOKEN_FILE=1)\n"
    "  - show the token once and pass it in the environment yourself:\n"
    "    agentdesk login --print-token ...  then AGENTDESK_TOKEN=<token> agentdesk desk ...\n"
    "  - install a keyring backend that encrypts (for example the Secret Service, or\n"
    "    keyrings.alt's EncryptedKeyring)"
)

# keyrings.alt backends that encrypt what they keep (the others store it readable).
_ENCRYPTED_ALT = frozenset({
    "keyrings.alt.file.EncryptedKeyring",
    "keyrings.alt.Windows.EncryptedKeyring",
    "keyrings.alt.Windows.RegistryKeyring",  # DPAPI
    "keyrings.alt.Gnome.Keyring",  # the GNOME keyring daemon
})


class NoKeyringError(RuntimeError):
    pass


DEFAULT_BACKEND = "agentdesk"


def account(server: str, user: str, backend: str = DEFAULT_BACKEND) -> str:
    """The keyring account: backend, server and user (one token per backend kind)."""
    return f"{backend}|{server.rstrip('/')}|{user}"


def _legacy_account(server: str, user: str) -> str:
    """The key before backends had names; still read (and removed) for agentdesk/1,
    so users signed in with an older version stay signed in."""
    return f"{server.rstrip('/')}|{user}"


def _accounts(server: str, user: str, backend: str) -> list[str]:
    keys = [account(server, user, backend)]
    if backend == DEFAULT_BACKEND:
        keys.append(_legacy_account(server, user))
    return keys


def _qualname(backend: object) -> str:
    cls = type(backend)
    return f"{cls.__module__}.{cls.__qualname__}"


def _safe(backend: object) -> bool:
    """A single backend that keeps secrets out of plain text."""
    module = type(backend).__module__
    if module.startswith(("keyring.backends.fail", "keyring.backends.null")):
        return False
    try:
        if not getattr(backend, "priority", 0) > 0:
            return False
    except Exception:
        return False
    if module.startswith("keyrings.alt"):
        if module == "keyrings.alt.multi":  # a wrapper: as safe as what it wraps
            inner = getattr(backend, "_keyring", None)
            return inner is not None and _safe(inner)
        encrypted = {f"{c.__module__}.{c.__qualname__}" for c in type(backend).__mro__}
        return bool(encrypted & (_ENCRYPTED_ALT | {"keyrings.alt.file.Encrypted"}))
    return True


def _os_keyring() -> object:
    """keyring's own choice of backend. keyring is imported here, not at the top:
    its import (~12 ms, mostly the scan for backends) is paid when a token is
    looked up or kept there, not on every start with `AGENTDESK_TOKEN`."""
    import keyring

    return keyring.get_keyring()


def _keyring_error() -> type[Exception]:
    from keyring.errors import KeyringError

    return KeyringError


def _keyring() -> object | None:
    """The keyring backend tokens go to, or None when there is no safe one."""
    backend = _os_keyring()
    if type(backend).__module__.startswith("keyring.backends.chainer"):
        # The chainer writes to the first of its backends that accepts: pick the
        # first safe one ourselves, so a plain-text one further up is never used.
        chained: object
        for chained in getattr(backend, "backends", ()):
            if _safe(chained):
                return chained
        return None
    return backend if _safe(backend) else None


def keyring_usable() -> bool:
    """True when tokens can go to an OS keyring that does not keep them in plain text."""
    return _keyring() is not None


def file_store_wanted() -> bool:
    """AGENTDESK_TOKEN_FILE=1: the user opted in to the private file for this run."""
    return _file_store_enabled()


def no_keyring_help() -> str:
    return _no_keyring_help()


def _no_keyring_help() -> str:
    backend = _os_keyring()
    if type(backend).__module__.startswith("keyrings.alt") and getattr(backend, "priority", 0) > 0:
        return (f"the keyring backend found ({_qualname(backend)}) keeps secrets in plain "
                f"text, so agentdesk does not use it;\n{NO_KEYRING_HELP}")
    return NO_KEYRING_HELP


def _file_store_path() -> Path:
    return Path(user_state_dir("agentdesk")) / "tokens.json"


def _file_store_enabled() -> bool:
    return os.environ.get("AGENTDESK_TOKEN_FILE", "") in ("1", "true", "yes")


def file_store_problem(path: Path | None = None) -> str | None:
    """Why the opt-in file must not be trusted (None: it is private, or absent)."""
    path = path or _file_store_path()
    try:
        st = os.lstat(path)
    except OSError:
        return None
    if not stat.S_ISREG(st.st_mode):
        return f"{path} is not a regular file; ignored"
    if hasattr(os, "getuid") and st.st_uid != os.getuid():
        return f"{path} belongs to another user; ignored"
    if st.st_mode & 0o077:
        return (f"{path} is readable by others (mode {stat.S_IMODE(st.st_mode):04o}); ignored: "
                f"chmod 600 it, or delete it and log in again")
    return None


def _read_file_store(*, trusted: bool = True) -> dict[str, str]:
    """The opt-in file's tokens; `trusted`: only from a private file (logout
    removes its entry from any file)."""
    path = _file_store_path()
    problem = file_store_problem(path)
    if problem and trusted:
        log.warning("token file: %s", problem)
        return {}
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}
    if not isinstance(data, dict):
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


def store_token(server: str, user: str, token: str, backend_name: str = DEFAULT_BACKEND,
                *, to_file: bool = False) -> str:
    """Keep the token; returns where it went: "the OS keyring (<backend class>)"
    or the path of the opt-in file (`to_file`, or AGENTDESK_TOKEN_FILE=1)."""
    key = account(server, user, backend_name)
    backend = _keyring()
    if backend is not None:
        backend.set_password(SERVICE, key, token)  # type: ignore[attr-defined]
        return f"the OS keyring ({_qualname(backend)})"
    if to_file or _file_store_enabled():
        data = _read_file_store()
        data[key] = token
        _write_file_store(data)
        return str(_file_store_path())
    raise NoKeyringError(_no_keyring_help())


def load_token(server: str, user: str | None, backend_name: str = DEFAULT_BACKEND) -> str | None:
    """The token for server/user from the environment, the keyring or the opt-in file."""
    env = os.environ.get("AGENTDESK_TOKEN")
    if env:
        return env
    if user is None:
        return None
    return stored_token(server, user, backend_name)


def stored_token(server: str, user: str, backend_name: str = DEFAULT_BACKEND, *,
                 any_file: bool = False) -> str | None:
    """The token kept for server/user in the keyring or the opt-in file (not the
    environment): what `agentdesk logout` revokes and forgets (`any_file`: also
    from a token file that is not private any more, to revoke what may have leaked).
    Every key it may be kept under is tried (older versions had no backend in it)."""
    keys = _accounts(server, user, backend_name)
    backend = _keyring()
    if backend is not None:
        keyring_error = _keyring_error()
        for key in keys:
            try:
                token: str | None = backend.get_password(SERVICE, key)  # type: ignore[attr-defined]
            except keyring_error:
                token = None
            if token:
                return token
    # The file was written only because the user opted in: it is read whenever it
    # exists (and is private), without the opt-in having to be repeated each run.
    stored = _read_file_store(trusted=not any_file)
    return next((stored[key] for key in keys if key in stored), None)


def delete_token(server: str, user: str, backend_name: str = DEFAULT_BACKEND) -> bool:
    """Forget the token (under every key it may be kept under); True if one was removed."""
    removed = False
    for key in _accounts(server, user, backend_name):
        removed = _delete_key(key) or removed
    return removed


def _delete_key(key: str) -> bool:
    removed = False
    # The safe backend, and also a plain-text one that an older agentdesk may
    # have written to: logging out must not leave a readable token behind.
    backends: list[object] = []
    for candidate in (_keyring(), _os_keyring()):
        if candidate is not None and all(candidate is not b for b in backends):
            backends.append(candidate)
    keyring_error = _keyring_error()
    for backend in backends:
        if type(backend).__module__.startswith(("keyring.backends.fail", "keyring.backends.null")):
            continue
        try:
            backend.delete_password(SERVICE, key)  # type: ignore[attr-defined]
            removed = True
        except keyring_error:  # PasswordDeleteError: none there
            pass
        except Exception:
            pass
    data = _read_file_store(trusted=False)
    if key in data:
        del data[key]
        _write_file_store(data)
        removed = True
    return removed
