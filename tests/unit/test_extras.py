"""A command whose optional extra is missing says which one, in one line."""

from __future__ import annotations

import importlib.util

from agentdesk import cli, extras


def _without(monkeypatch, *modules: str) -> None:
    real = importlib.util.find_spec

    def find_spec(name: str, *args, **kwargs):
        return None if name in modules else real(name, *args, **kwargs)

    monkeypatch.setattr(extras, "find_spec", find_spec)


def test_the_demo_without_the_server_stack_names_the_extra(monkeypatch, capsys):
    _without(monkeypatch, "uvicorn")
    assert cli.main(["demo"]) == 2
    err = capsys.readouterr().err
    assert err.count("\n") == 1
    assert "pip install 'agentdesk[demo]'" in err and "uvicorn" in err


def test_serve_without_textual_serve_names_the_serve_extra(monkeypatch, capsys):
    _without(monkeypatch, "textual_serve")
    assert cli.main(["serve", "--server", "http://127.0.0.1:1"]) == 2
    assert "agentdesk[serve]" in capsys.readouterr().err


def test_serve_demo_also_needs_the_demo_extra(monkeypatch):
    _without(monkeypatch, "starlette")
    assert extras.missing_extra("serve") is None
    assert "agentdesk[demo]" in (extras.missing_extra("serve", demo=True) or "")


def test_the_desk_needs_no_extra(monkeypatch):
    _without(monkeypatch, "starlette", "uvicorn", "textual_serve")
    assert extras.missing_extra("desk") is None
    assert extras.missing_extra("login") is None
