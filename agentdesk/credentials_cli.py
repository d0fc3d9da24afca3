"""`agentdesk login`, `agentdesk logout` and `agentdesk config path|show`."""

from __future__ import annotations

import argparse
import asyncio
import getpass
import sys
import tomllib

from agentdesk.config import load_settings
from agentdesk.credentials import NoKeyringError, delete_token, store_token


def resolve_server(args: argparse.Namespace) -> tuple[str | None, str | None]:
    """Server URL and user from --server/--user, else the chosen or default profile."""
    loaded = load_settings()
    settings = loaded.settings
    server, user = getattr(args, "server", None), getattr(args, "user", None)
    profile_name = getattr(args, "profile", None) or (None if server else settings.default_profile)
    if profile_name:
        profile = settings.profiles.get(profile_name)
        if profile is None:
            known = ", ".join(sorted(settings.profiles)) or "none"
            print(f"agentdesk: no profile {profile_name!r} in {loaded.path} (known: {known})",
                  file=sys.stderr)
            return None, None
        server = server or profile.url
        user = user or profile.user
    return server, user


def run_login(args: argparse.Namespace) -> int:
    from agentdesk.backend_choice import choose_backend, load_spec
    from agentdesk.backends.base import AgentDeskError

    choice = choose_backend(args)
    spec = load_spec(choice, "login")
    if spec is None:
        return 2
    server, user = resolve_server(args)
    if not server:
        print("agentdesk login: name the server with --server URL or --profile NAME", file=sys.stderr)
        return 2
    use_token = bool(getattr(args, "token", False))
    if use_token and not spec.token_login:
        print(f"agentdesk login: the {spec.name} backend takes no pasted token: sign in with "
              "--user NAME and a password (AGENTDESK_TOKEN still works)", file=sys.stderr)
        return 2
    # Ctrl-D or an exhausted pipe at a prompt is EOFError: a message, not a traceback.
    if not user and not use_token:
        try:
            user = input(f"{spec.user_label}: ").strip()
        except (EOFError, KeyboardInterrupt):
            user = ""
            print(file=sys.stderr)
        if not user:
            print(f"agentdesk login: no {spec.user_label.lower()} given: pass --user NAME "
                  "(or a --profile with a user)", file=sys.stderr)
            return 2
    try:
        secret = _read_token(server) if use_token else getpass.getpass(
            f"Password for {user} at {server}: ")
    except (EOFError, KeyboardInterrupt):
        what = "token" if use_token else "password"
        print(f"\nagentdesk login: cancelled: no {what} given", file=sys.stderr)
        return 1
    if not secret:
        print(f"agentdesk login: no {'token' if use_token else 'password'} given", file=sys.stderr)
        return 1

    async def obtain() -> tuple[str, str]:
        backend = spec.create(server, options=choice.options())
        try:
            if use_token:
                who = await backend.use_token(secret)
                return secret, user or who.id
            return await backend.login(user, secret), user
        finally:
            await backend.close()

    try:
        token, user = asyncio.run(obtain())
    except AgentDeskError as exc:
        print(f"agentdesk login: {exc.message}", file=sys.stderr)
        return 1
    try:
        where = store_token(server, user, token, spec.name)
    except NoKeyringError as exc:
        print(f"agentdesk login: logged in, but {exc}", file=sys.stderr)
        return 1
    if not where.startswith("the OS keyring"):
        where = f"the private file {where} (mode 0600, AGENTDESK_TOKEN_FILE=1)"
    print(f"Logged in as {user} at {server}; the token is kept in {where}.")
    return 0


def _read_token(server: str) -> str:
    """A pasted access token: a hidden prompt on a terminal, else one line of stdin."""
    if sys.stdin.isatty():
        return getpass.getpass(f"Access token for {server}: ").strip()
    line = sys.stdin.readline()
    if not line:
        raise EOFError
    return line.strip()


def run_logout(args: argparse.Namespace) -> int:
    from agentdesk.backend_choice import choose_backend, known_backend

    backend = choose_backend(args).name
    if not known_backend(backend, "logout"):
        return 2
    server, user = resolve_server(args)
    if not server or not user:
        print("agentdesk logout: name the server and user (--server URL --user NAME, or --profile)",
              file=sys.stderr)
        return 2
    if delete_token(server, user, backend):
        print(f"Forgot the token of {user} at {server}.")
    else:
        print(f"No stored token for {user} at {server}.")
    return 0


def run_config(args: argparse.Namespace) -> int:
    loaded = load_settings()
    if args.config_command == "path":
        print(loaded.path)
        return 0
    for problem in loaded.problems:
        print(f"warning: {problem}", file=sys.stderr)
    print(f"# {loaded.path}{'' if loaded.path.exists() else ' (does not exist; defaults)'}")
    print(_to_toml(loaded.settings.as_dict()))
    return 0


def _to_toml(data: dict, prefix: str = "") -> str:
    """Minimal TOML writer for the settings tree (strings, bools, numbers, tables)."""
    out = _toml_table(data, prefix).strip()
    tomllib.loads(out)  # what we print must read back
    return out


def _toml_table(data: dict, prefix: str) -> str:
    import json

    scalars = [f"{_key(k)} = {json.dumps(v)}" for k, v in data.items()
               if v is not None and not isinstance(v, dict)]
    out = "\n".join(scalars)
    if scalars and prefix:
        out = f"[{prefix.rstrip('.')}]\n{out}\n"
    for key, value in data.items():
        if isinstance(value, dict):
            out += "\n" + _toml_table(value, f"{prefix}{_key(key)}.")
    return out


def _key(key: str) -> str:
    return key if key.replace("_", "").replace("-", "").isalnum() else f'"{key}"'
