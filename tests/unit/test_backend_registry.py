"""Backends by name: the agentdesk/1 spec, the registry, and the launcher
building every backend through `registry.load(name).create(...)`."""

from __future__ import annotations

import argparse

import pytest

from agentdesk.backend_choice import BackendChoice, choose_backend
from agentdesk.backends import registry
from agentdesk.backends.base import Backend
from agentdesk.backends.native import SPEC, NativeBackend
from agentdesk.domain.capabilities import Capabilities


def test_the_agentdesk_spec_is_registered_and_builds_a_native_backend() -> None:
    assert registry.load("agentdesk") is SPEC
    assert "agentdesk" in registry.names()
    assert (SPEC.name, SPEC.title, SPEC.user_label, SPEC.token_login) == (
        "agentdesk", "agentdesk/1", "User", False)
    backend = SPEC.create("http://127.0.0.1:9/", token="t",
                          options=registry.BackendOptions(timeout_s=2.0, retry_attempts=1))
    assert isinstance(backend, NativeBackend) and isinstance(backend, Backend)
    assert backend.base_url == "http://127.0.0.1:9" and backend.token == "t"
    assert isinstance(backend.capabilities, Capabilities) and backend.capabilities.voice


def test_unknown_names_list_the_known_ones() -> None:
    with pytest.raises(registry.UnknownBackend, match="known backends: agentdesk"):
        registry.load("flex")


def test_the_flag_wins_over_the_profile_which_wins_over_the_default(tmp_path, monkeypatch) -> None:
    config = tmp_path / "config.toml"
    config.write_text('default_profile = "cw"\n[profiles.cw]\nurl = "https://chat.example"\n'
                      'backend = "chatwoot"\naccount = "7"\n', encoding="utf-8")
    monkeypatch.setenv("AGENTDESK_CONFIG_FILE", str(config))
    ns = argparse.Namespace
    assert choose_backend(ns(backend=None, account=None, profile=None, server=None)) == \
        BackendChoice("chatwoot", "7")
    assert choose_backend(ns(backend="agentdesk", account="2", profile="cw", server=None)) == \
        BackendChoice("agentdesk", "2")
    # --server without --profile: the default profile does not apply.
    assert choose_backend(ns(backend=None, account=None, profile=None, server="http://x")) == \
        BackendChoice("agentdesk", None)


async def test_the_launcher_builds_backends_through_the_registry(monkeypatch) -> None:
    from agentdesk.cli import connection

    made: list[tuple[str, str | None, registry.BackendOptions | None]] = []

    class Probe(registry.BackendSpec):
        name = "probe"

        def create(self, url, *, token=None, options=None):
            made.append((url, token, options))
            return NativeBackend("http://127.0.0.1:9", token=token)

    monkeypatch.setattr(registry, "load", lambda name: Probe() if name == "probe" else None)
    assert await connection.who_is("http://srv", "tok", BackendChoice("probe", "3")) is None
    [(url, token, options)] = made
    assert (url, token, options.account, options.retry_attempts) == ("http://srv", "tok", "3", 1)


def test_login_with_a_pasted_token_checks_it_and_keeps_it_under_the_backend(
        tmp_path, monkeypatch, capsys) -> None:
    """`agentdesk login --backend NAME --token` on a backend that takes access tokens:
    the token is read from stdin (not a terminal), checked with `use_token`, stored."""
    import io
    import sys

    from agentdesk import credentials
    from agentdesk.cli import credentials as credentials_cli
    from agentdesk.cli.parser import build_parser

    sys.path.insert(0, str(__import__("pathlib").Path(__file__).parents[1]))
    from fake_backend import FakeBackend

    seen: list[str] = []

    class TokenBackend(FakeBackend):
        async def use_token(self, token):
            seen.append(token)
            return await super().use_token(token)

    class TokenSpec(registry.BackendSpec):
        name = "tokeny"
        user_label = "Email"
        token_login = True

        def create(self, url, *, token=None, options=None):
            return TokenBackend(token=token)

    monkeypatch.setattr(registry, "load", lambda name: TokenSpec())
    monkeypatch.setenv("AGENTDESK_TOKEN_FILE", "1")
    monkeypatch.setattr(credentials, "_keyring", lambda: None)
    monkeypatch.setattr(sys, "stdin", io.StringIO("  pasted-token \n"))
    args = build_parser().parse_args(["login", "--backend", "tokeny", "--server", "https://chat.example",
                                      "--user", "ada@example.com", "--token"])
    assert credentials_cli.run_login(args) == 0, capsys.readouterr().err
    assert seen == ["pasted-token"]
    assert credentials.load_token("https://chat.example", "ada@example.com", "tokeny") == "pasted-token"
    assert credentials.load_token("https://chat.example", "ada@example.com") is None
    assert "Logged in as ada@example.com" in capsys.readouterr().out


def test_built_in_backends_load_without_the_entry_point_scan_and_match_the_pyproject(
        monkeypatch) -> None:
    import importlib.metadata

    registered = {ep.name: ep.value for ep in importlib.metadata.entry_points(group=registry.GROUP)}
    assert {name: registered.get(name) for name in registry.BUILT_IN} == {
        name: f"{module}:SPEC" for name, module in registry.BUILT_IN.items()}

    def no_scan(**_kw: object) -> None:
        raise AssertionError("the entry points were read for a built-in backend")

    monkeypatch.setattr(importlib.metadata, "entry_points", no_scan)
    monkeypatch.setattr(registry, "_loaded", {})
    assert registry.load("agentdesk") is SPEC
    assert registry.load("chatwoot").name == "chatwoot"
    with pytest.raises(AssertionError, match="entry points were read"):
        registry.load("flex")  # anything else is looked up among the plug-ins
