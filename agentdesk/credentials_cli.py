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
    from agentdesk.backends.base import AgentDeskError
    from agentdesk.backends.native import NativeBackend

    server, user = resolve_server(args)
    if not server:
        print("agentdesk login: name the server with --server URL or --profile NAME", file=sys.stderr)
        return 2
    # Ctrl-D or an exhausted pipe at a prompt is EOFError: a message, not a traceback.
    if not user:
        try:
            user = input("User: ").strip()
        except (EOFError, KeyboardInterrupt):
            user = ""
            print(file=sys.stderr)
        if not user:
            print("agentdesk login: no user name given: pass --user NAME (or a --profile with a user)",
                  file=sys.stderr)
            return 2
    try:
        password = getpass.getpass(f"Password for {user} at {server}: ")
    except (EOFError, KeyboardInterrupt):
        print("\nagentdesk login: cancelled: no password given", file=sys.stderr)
        return 1

    async def obtain() -> str:
        backend = NativeBackend(server)
        try:
            return await backend.login(user, password)
        finally:
            await backend.close()

    try:
        token = asyncio.run(obtain())
    except AgentDeskError as exc:
        print(f"agentdesk login: {exc.message}", file=sys.stderr)
        return 1
    try:
        where = store_token(server, user, token)
    except NoKeyringError as exc:
        print(f"agentdesk login: logged in, but {exc}", file=sys.stderr)
        return 1
    if not where.startswith("the OS keyring"):
        where = f"the private file {where} (mode 0600, AGENTDESK_TOKEN_FILE=1)"
    print(f"Logged in as {user} at {server}; the token is kept in {where}.")
    return 0


def run_logout(args: argparse.Namespace) -> int:
    server, user = resolve_server(args)
    if not server or not user:
        print("agentdesk logout: name the server and user (--server URL --user NAME, or --profile)",
              file=sys.stderr)
        return 2
    if delete_token(server, user):
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
