"""Which server, which user, which backend, and a token for them: what `desk`,
`monitor`, `login`, `logout`, `report` and `serve` ask before they do anything.

Every refusal here is one line on stderr and an exit code (2: a usage
mistake, 1: the server said no), never a traceback.
"""

from __future__ import annotations

import argparse
import asyncio
import sys
from typing import TYPE_CHECKING

from agentdesk.backend_choice import NATIVE, BackendChoice, create_session, spec_for
from agentdesk.config import load_settings

if TYPE_CHECKING:
    from agentdesk.domain.models import User

WHO_TIMEOUT_S = 3.0  # the role check before the UI: a server that does not answer is not waited for


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
            args.profile_error = True  # said once: callers add no second line
            return None, None
        server = server or profile.url
        user = user or profile.user
    return server, user


async def login(url: str, user: str, password: str, choice: BackendChoice = NATIVE) -> str:
    token, _user = await sign_in(url, user, password, choice)
    return token


async def sign_in(url: str, user: str, password: str, choice: BackendChoice = NATIVE,
                  command: str = "desk") -> tuple[str, User | None]:
    """A token for user/password, and who it belongs to (with the role)."""
    backend = create_session(choice, url, None, command)
    try:
        token = await backend.login(user, password)
        return token, backend.user
    finally:
        await backend.close()


async def who_is(url: str, token: str, choice: BackendChoice = NATIVE,
                 command: str = "desk") -> User | None:
    """Who a token belongs to, or None when that cannot be known now (a refused
    token, a server that does not answer): the app then shows it as it does for
    a token that stops working later."""
    from agentdesk.backends.base import AgentDeskError

    backend = create_session(choice, url, token, command,
                             timeout_s=WHO_TIMEOUT_S, retry_attempts=1)
    try:
        user, _agent = await backend.me()
        return user
    except AgentDeskError:
        return None
    finally:
        await backend.close()


def wrong_role(user: User, command: str, choice: BackendChoice = NATIVE) -> str | None:
    """The one-line refusal when `user` cannot use `command` ("desk" or "monitor")."""
    role = str(getattr(user.role, "value", user.role))
    if command == "monitor" and role != "supervisor" and choice.name != NATIVE.name:
        return f"{user.name}: {spec_for(choice).capabilities.missing_reason('monitor_role')}"
    if command == "monitor" and role != "supervisor":
        return f"{user.id} is an agent, not a supervisor: use `agentdesk desk`"
    if command == "desk" and role == "supervisor":
        return f"{user.id} is a supervisor, not an agent: use `agentdesk monitor`"
    return None


def connect(args: argparse.Namespace, command: str, default_user: str | None,
             choice: BackendChoice = NATIVE,
             secrets: dict[str, str] | None = None) -> tuple[str, str, str] | int:
    """(url, user, token) for desk and monitor, or an exit code after a clear message.

    The token's user must have the command's role (desk: an agent, monitor: a
    supervisor); otherwise a one-line refusal and exit code 2. A token the server
    refuses, or a server that does not answer, is left to the app to show."""
    import getpass

    from agentdesk.backends.base import AgentDeskError
    from agentdesk.credentials import load_token

    url, user = resolve_server(args)
    if not url:
        print(f"agentdesk {command}: name the server with --server URL or --profile NAME "
              "(or try `agentdesk demo`)", file=sys.stderr)
        return 2
    user = user or default_user
    token = load_token(url, user, choice.name)
    who: User | None = None
    if token is None:
        if not user:
            flag = "" if choice.name == NATIVE.name else f" --backend {choice.name}"
            print(f"agentdesk {command}: no token for {url}: run `agentdesk login{flag} --server {url}`, "
                  "set AGENTDESK_TOKEN, or pass --user NAME to sign in now", file=sys.stderr)
            return 2
        try:
            password = getpass.getpass(f"Password for {user} at {url}: ")
            if secrets is not None:  # the monitor keeps it in memory to sign in again
                secrets["password"] = password
        except EOFError:  # Ctrl-D, or stdin at its end
            print(f"\nagentdesk {command}: cancelled: no password given", file=sys.stderr)
            return 1
        except KeyboardInterrupt:
            print(file=sys.stderr)
            return 130
        try:
            token, who = asyncio.run(sign_in(url, user, password, choice, command))
        except AgentDeskError as exc:
            print(f"agentdesk {command}: sign-in failed: {exc.message}", file=sys.stderr)
            return 1
    else:
        who = asyncio.run(who_is(url, token, choice, command))
    refusal = wrong_role(who, command, choice) if who is not None else None
    if refusal:
        print(f"agentdesk {command}: {refusal}", file=sys.stderr)
        return 2
    return url, user or "", token


def choose(args: argparse.Namespace, command: str) -> BackendChoice | None:
    """The backend for this command; None after one line on stderr (exit 2)."""
    from agentdesk.backend_choice import choose_backend, load_spec

    choice = choose_backend(args)
    spec = load_spec(choice, command)
    if spec is None:
        return None
    if command == "monitor" and not spec.capabilities.monitor:
        print(f"agentdesk monitor: {spec.capabilities.missing_reason('monitor')}", file=sys.stderr)
        return None
    return choice
