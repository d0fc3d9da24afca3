"""The calling rules (domain/compliance.py) and the capability flags around them."""

from __future__ import annotations

import datetime as dt

import pytest

from agentdesk.domain.compliance import (
    DNC,
    OUTSIDE_WINDOW,
    CallingWindow,
    check_call,
    timezone_for,
)


def at(text: str) -> float:
    return dt.datetime.fromisoformat(text).timestamp()


def test_time_zone_follows_the_location():
    assert timezone_for("New York") == "America/New_York"
    assert timezone_for("Lyon, France") == "Europe/Paris"
    assert timezone_for("Nottingham") == "Europe/London"
    assert timezone_for(None) == "Europe/London"


def test_window_parse_and_words():
    window = CallingWindow.parse("08:30-20:00")
    assert str(window) == "08:30-20:00" and str(CallingWindow()) == "08:00-21:00"
    for bad in ("9-5", "21:00-08:00", "08:00-25:00", "08:60-09:00", ""):
        with pytest.raises(ValueError):
            CallingWindow.parse(bad)


def test_dnc_comes_first_whatever_the_hour():
    refusal = check_call("Ada Lovelace", True, "Europe/London", at("2026-03-02T12:00:00+00:00"),
                         CallingWindow())
    assert refusal is not None and refusal.code == DNC
    assert refusal.message == "Ada Lovelace is on the do-not-call list"


def test_window_in_the_customers_local_time_with_summer_time():
    window = CallingWindow()
    # 20:30 UTC in July is 21:30 in London (BST): too late
    late = check_call("Ada", False, "Europe/London", at("2026-07-01T20:30:00+00:00"), window)
    assert late is not None and late.code == OUTSIDE_WINDOW
    assert late.message == ("It is 21:30 for the customer (Europe/London): "
                            "calls are allowed 08:00-21:00")
    # the same instant in March (GMT) is 20:30: fine
    assert check_call("Ada", False, "Europe/London", at("2026-03-02T20:30:00+00:00"),
                      window) is None
    # the window's end is exclusive, its start inclusive
    assert check_call("Ada", False, "Europe/London", at("2026-03-02T08:00:00+00:00"),
                      window) is None
    assert check_call("Ada", False, "Europe/London", at("2026-03-02T21:00:00+00:00"),
                      window) is not None


def test_chatwoot_declares_outbound_callbacks_and_disclosure_off():
    from agentdesk.backends.chatwoot.spec import CAPABILITIES
    from agentdesk.backends.native import NATIVE_CAPABILITIES

    assert not (CAPABILITIES.outbound or CAPABILITIES.callbacks
                or CAPABILITIES.recording_disclosure)
    assert "no outbound calls" in CAPABILITIES.missing_reason("outbound")
    assert NATIVE_CAPABILITIES.outbound and NATIVE_CAPABILITIES.callbacks
    assert NATIVE_CAPABILITIES.recording_disclosure


async def test_a_backend_without_outbound_says_why():
    from agentdesk.backends.base import NotSupportedError
    from tests.fake_backend import FakeBackend

    backend = FakeBackend()
    with pytest.raises(NotSupportedError, match="outbound"):
        await backend.dial("c1", "k1")
    with pytest.raises(NotSupportedError, match="callbacks"):
        await backend.list_callbacks()
