"""Backends by name, registered through the `agentdesk.backends` entry point group.

A backend package exposes one `BackendSpec` object and registers it in its
own `pyproject.toml`:

    [project.entry-points."agentdesk.backends"]
    flex = "agentdesk_flex:SPEC"

The two built-in backends are registered the same way in agentdesk's own
pyproject (for `names()`), but `load` finds them without reading the entry
points: scanning every installed package's metadata cost 3-5 ms before the
desk's first frame, for a name known in advance. A plug-in cannot take a
built-in name. Only the chosen backend's module is
imported, so an unused adapter costs nothing at start-up.
"""

from __future__ import annotations

from abc import ABC, abstractmethod
from dataclasses import dataclass
from typing import TYPE_CHECKING

from agentdesk.domain.capabilities import Capabilities

if TYPE_CHECKING:
    from agentdesk.backends.base import Backend

GROUP = "agentdesk.backends"
DEFAULT_BACKEND = "agentdesk"
# name -> the module whose SPEC it is (as in pyproject.toml; a test keeps them equal)
BUILT_IN = {"agentdesk": "agentdesk.backends.native", "chatwoot": "agentdesk.backends.chatwoot"}


class UnknownBackend(ValueError):
    """A backend name nobody registered; the message is one line for the user."""


class BackendUnavailable(UnknownBackend):
    """A registered backend whose module cannot be imported (a broken or partial
    install); the message is one line for the user."""


@dataclass(frozen=True, slots=True)
class BackendOptions:
    """Per-connection settings every adapter understands (each may ignore some)."""

    account: str | None = None  # Chatwoot: the account id (the user's first one if None)
    timeout_s: float = 10.0
    retry_attempts: int | None = None  # None: the adapter's default; 1: no retries (quick checks)


class BackendSpec(ABC):
    """How to sign in to one kind of backend and build a session with it."""

    name: str = ""  # what users type: --backend NAME, backend = "NAME"
    title: str = ""  # shown in messages: "agentdesk/1", "Chatwoot"
    user_label: str = "User"  # the login prompt: "User", "Email"
    token_login: bool = False  # a pasted user access token can replace the password
    # What the backend can do, readable before connecting (`agentdesk monitor` refuses early).
    capabilities: Capabilities = Capabilities()

    def probe(self, url: str, timeout_s: float = 5.0) -> str | None:
        """Why `url` is not a server of this backend (None: it may be), asked
        before a password prompt so a typo in the URL costs no password. The
        default checks the URL's form only; adapters may ask the server."""
        if not url.startswith(("http://", "https://")):
            return f"{url!r} is not a server URL (it must start with http:// or https://)"
        return None

    @abstractmethod
    def create(self, url: str, *, token: str | None = None,
               options: BackendOptions | None = None) -> Backend:
        """A new, not yet connected session with the server at `url`."""

    def create_monitor(self, url: str, *, token: str | None = None,
                       options: BackendOptions | None = None) -> Backend:
        """The supervisor monitor's source (`capabilities.monitor`). By default the
        backend itself answers the monitor's calls (agentdesk/1's supervisor
        session); an adapter whose agent session cannot (Chatwoot) builds its own."""
        return self.create(url, token=token, options=options)


def names() -> list[str]:
    """Every registered backend name, sorted (nothing is imported)."""
    from importlib.metadata import entry_points

    return sorted({ep.name for ep in entry_points(group=GROUP)})


_loaded: dict[str, BackendSpec] = {}


def load(name: str) -> BackendSpec:
    """The spec registered as `name`; `UnknownBackend` with the known names if none.

    Kept once loaded: start-up asks for it three times (the choice, the role
    check, the app), and each scan of the installed packages' entry points (for
    a plug-in) is 3-5 ms before the first frame."""
    if name in _loaded:
        return _loaded[name]
    if name in BUILT_IN:
        where = f"{BUILT_IN[name]}:SPEC"

        def load_it() -> object:
            from importlib import import_module

            return import_module(BUILT_IN[name]).SPEC
    else:
        from importlib.metadata import entry_points

        found = [ep for ep in entry_points(group=GROUP) if ep.name == name]
        if not found:
            known = ", ".join(names()) or "none (is agentdesk installed?)"
            raise UnknownBackend(f"unknown backend {name!r}; known backends: {known}")
        where, load_it = found[0].value, found[0].load
    try:
        spec = load_it()
    except (ImportError, AttributeError) as exc:
        raise BackendUnavailable(
            f"backend {name!r} is registered ({where}) but cannot be loaded: {exc}"
        ) from None
    if not isinstance(spec, BackendSpec):
        raise UnknownBackend(f"backend {name!r} ({where}) is not a BackendSpec")
    _loaded[name] = spec
    return spec
