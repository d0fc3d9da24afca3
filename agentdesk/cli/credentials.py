"""`agentdesk login` and `agentdesk logout`: a token obtained, kept, revoked, forgotten."""

from __future__ import annotations

import argparse
import asyncio
import getpass
import sys
from typing import TYPE_CHECKING

from agentdesk.cli.connection import resolve_server
from agentdesk.credentials import NoKeyringError, delete_token, store_token

if TYPE_CHECKING:
    from agentdesk.backend_choice import BackendChoice
    from agentdesk.backends.registry import BackendSpec


def run_login(args: argparse.Namespace) -> int:
    from agentdesk.backend_choice import choose_backend, load_spec
    from agentdesk.backends.base import AgentDeskError
    from agentdesk.credentials import file_store_wanted, keyring_usable, no_keyring_help

    choice = choose_backend(args)
    spec = load_spec(choice, "login")
    if spec is None:
        return 2
    server, user = resolve_server(args)
    if getattr(args, "profile_error", False):
        return 2
    if not server:
        print("agentdesk login: name the server with --server URL or --profile NAME", file=sys.stderr)
        return 2
    use_token = bool(getattr(args, "token", False))
    if use_token and not spec.token_login:
        print(f"agentdesk login: the {spec.name} backend takes no pasted token: sign in with "
              "--user NAME and a password (AGENTDESK_TOKEN still works)", file=sys.stderr)
        return 2
    to_file = bool(getattr(args, "token_file", False))
    print_token = bool(getattr(args, "print_token", False))
    # Everything that can be checked is checked before the password is asked for.
    if not (keyring_usable() or to_file or file_store_wanted() or print_token):
        print(f"agentdesk login: not logged in: {no_keyring_help()}", file=sys.stderr)
        return 1
    problem = spec.probe(server)
    if problem:
        print(f"agentdesk login: {problem}", file=sys.stderr)
        return 1
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
            assert user  # asked for above when no token is pasted
            return await backend.login(user, secret), user
        finally:
            await backend.close()

    try:
        token, user = asyncio.run(obtain())
    except AgentDeskError as exc:
        print(f"agentdesk login: {exc.message}", file=sys.stderr)
        return 1
    where = None
    try:
        if keyring_usable() or to_file or file_store_wanted():
            where = store_token(server, user, token, spec.name, to_file=to_file)
    except (NoKeyringError, OSError) as exc:
        print(f"agentdesk login: logged in, but the token could not be kept: {exc}",
              file=sys.stderr)
        if not print_token:
            if not use_token:  # a token nobody holds must not stay valid (a pasted one is theirs)
                _revoke(spec, choice, server, token)
            return 1
    if where is not None:
        if not where.startswith("the OS keyring"):
            where = f"the private file {where} (mode 0600)"
        print(f"Logged in as {user} at {server}; the token is kept in {where}.",
              file=sys.stderr if print_token else sys.stdout)
    if print_token:
        print("agentdesk login: the next line is your token, shown once: it is as good as your "
              "password until it expires or you log out. Keep it out of logs, tickets and "
              "shell history; pass it as AGENTDESK_TOKEN.", file=sys.stderr)
        print(token, flush=True)
    return 0


def _read_token(server: str) -> str:
    """A pasted access token: a hidden prompt on a terminal, else one line of stdin."""
    if sys.stdin.isatty():
        return getpass.getpass(f"Access token for {server}: ").strip()
    line = sys.stdin.readline()
    if not line:
        raise EOFError
    return line.strip()


def _revoke(spec: BackendSpec, choice: BackendChoice, server: str, token: str) -> str | None:
    """Tell the server to revoke `token`; None if it did, else why not (one line)."""
    from agentdesk.backends.base import AgentDeskError, BackendConnectionError

    async def revoke() -> str | None:
        backend = spec.create(server, token=token, options=choice.options())
        try:
            if not backend.capabilities.logout_revokes:
                return backend.capabilities.missing_reason("logout_revokes")
            await backend.logout()
            return None
        finally:
            await backend.close()

    try:
        return asyncio.run(revoke())
    except BackendConnectionError as exc:
        return f"the server could not be told ({exc.message})"
    except AgentDeskError as exc:
        return f"the server did not revoke it ({exc.message})"


def run_logout(args: argparse.Namespace) -> int:
    from agentdesk.backend_choice import choose_backend, load_spec
    from agentdesk.credentials import stored_token

    choice = choose_backend(args)
    spec = load_spec(choice, "logout")
    if spec is None:
        return 2
    server, user = resolve_server(args)
    if getattr(args, "profile_error", False):
        return 2
    if not server or not user:
        print("agentdesk logout: name the server and user (--server URL --user NAME, or --profile)",
              file=sys.stderr)
        return 2
    token = stored_token(server, user, spec.name, any_file=True)
    problem = _revoke(spec, choice, server, token) if token else None
    if delete_token(server, user, spec.name):
        if problem:
            print(f"Forgot the token of {user} at {server} on this machine, but {problem}: "
                  "it stays valid on the server until it expires or is reset.")
        else:
            print(f"Logged out {user} at {server}: the server revoked the token and it is "
                  "forgotten here.")
    else:
        print(f"No stored token for {user} at {server}.")
    return 0
