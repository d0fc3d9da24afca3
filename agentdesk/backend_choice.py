"""Which backend a command talks to: `--backend`, else the profile's `backend`,
else `agentdesk`; and with which account (`--account`, else the profile's).

Shared by `desk`, `monitor`, `login` and `logout`. Textual-free; the chosen
backend's module is imported only when its spec is asked for.
"""

from __future__ import annotations

import argparse
import sys
from dataclasses import dataclass
from typing import TYPE_CHECKING

from agentdesk.backends.registry import DEFAULT_BACKEND

if TYPE_CHECKING:
    from agentdesk.backends.base import Backend
    from agentdesk.backends.registry import BackendOptions, BackendSpec
    from agentdesk.config import ServerProfile


@dataclass(frozen=True, slots=True)
class BackendChoice:
    name: str
    account: str | None = None

    def options(self, **overrides: object) -> BackendOptions:
        from agentdesk.backends.registry import BackendOptions

        return BackendOptions(account=self.account, **overrides)  # type: ignore[arg-type]


NATIVE = BackendChoice(DEFAULT_BACKEND)  # agentdesk/1: the demo's backend and the default


def spec_for(choice: BackendChoice) -> BackendSpec:
    """The registered spec of `choice` (raises UnknownBackend: callers checked it)."""
    from agentdesk.backends.registry import load

    return load(choice.name)


def create_session(choice: BackendChoice, url: str, token: str | None, command: str,
                   **options: object) -> Backend:
    """The session for `command`: the backend's monitor source for "monitor"
    (Chatwoot's read-only board), its agent session for everything else."""
    spec = spec_for(choice)
    make = spec.create_monitor if command == "monitor" else spec.create
    return make(url, token=token, options=choice.options(**options))


def choose_backend(args: argparse.Namespace) -> BackendChoice:
    """The backend name and account for this command line (flags over the profile)."""
    name = getattr(args, "backend", None)
    account = getattr(args, "account", None)
    if name is None or account is None:
        profile = _profile(args)
        if profile is not None:
            name = name or profile.backend
            account = account or profile.account
    return BackendChoice(name or DEFAULT_BACKEND, account)


def load_spec(choice: BackendChoice, command: str) -> BackendSpec | None:
    """The registered spec, or None after one line on stderr (the caller exits 2)."""
    from agentdesk.backends.registry import UnknownBackend, load

    try:
        return load(choice.name)
    except UnknownBackend as exc:
        print(f"agentdesk {command}: {exc}", file=sys.stderr)
        return None


def known_backend(name: str, command: str) -> bool:
    """Whether `name` is registered (nothing imported); else one line on stderr."""
    from agentdesk.backends.registry import names

    known = names()
    if name in known:
        return True
    print(f"agentdesk {command}: unknown backend {name!r}; known backends: "
          f"{', '.join(known) or 'none'}", file=sys.stderr)
    return False


def _profile(args: argparse.Namespace) -> ServerProfile | None:
    """The profile `resolve_server` would use (named, or the default one when no
    --server is given); None when there is none (its problems are reported there)."""
    from agentdesk.config import load_settings

    settings = load_settings().settings
    name = getattr(args, "profile", None) or (
        None if getattr(args, "server", None) else settings.default_profile)
    return settings.profiles.get(name) if name else None
