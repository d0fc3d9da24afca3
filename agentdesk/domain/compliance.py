"""Calling rules: the do-not-call list and the customer's local calling hours.

Pure and local (zoneinfo from the standard library): the mock server refuses
with these words and the desk can say the same before anything rings. A
refusal is a `Refusal(code, message)`; the codes are part of agentdesk/1
(docs/protocol.md, "Outbound calls").
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import TYPE_CHECKING
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

if TYPE_CHECKING:
    from agentdesk.domain.models import Customer

DNC = "dnc"
OUTSIDE_WINDOW = "outside_calling_window"
NO_CAPACITY = "no_capacity"

DEFAULT_TIMEZONE = "Europe/London"
# Where a customer's location is a known city, the time zone follows from it;
# an unknown place falls back to DEFAULT_TIMEZONE (the simulated base is British).
CITY_TIMEZONES: dict[str, str] = {
    "New York": "America/New_York", "Toronto": "America/Toronto",
    "Los Angeles": "America/Los_Angeles", "Sydney": "Australia/Sydney",
    "Singapore": "Asia/Singapore", "Dublin": "Europe/Dublin", "Warsaw": "Europe/Warsaw",
    "Madrid": "Europe/Madrid", "Lisbon": "Europe/Lisbon", "Lyon": "Europe/Paris",
    "Paris": "Europe/Paris", "Berlin": "Europe/Berlin",
}


def timezone_for(location: str | None) -> str:
    """The IANA time zone of a location ("Lyon, France" -> Europe/Paris)."""
    city = (location or "").split(",")[0].strip()
    return CITY_TIMEZONES.get(city, DEFAULT_TIMEZONE)


@dataclass(frozen=True, slots=True)
class CallingWindow:
    """Local hours in which a customer may be called: [start, end) in minutes of the day."""

    start_min: int = 8 * 60
    end_min: int = 21 * 60

    def __str__(self) -> str:
        return f"{_hhmm(self.start_min)}-{_hhmm(self.end_min)}"

    @classmethod
    def parse(cls, text: str) -> CallingWindow:
        """"08:00-21:00" -> CallingWindow; ValueError with the reason otherwise."""
        try:
            start_s, end_s = (part.strip() for part in text.split("-"))
            start, end = _minutes(start_s), _minutes(end_s)
        except ValueError:
            raise ValueError(f"{text!r} is not a window like 08:00-21:00") from None
        if start >= end:
            raise ValueError(f"{text!r}: the window must start before it ends")
        return cls(start, end)

    def contains(self, local: dt.datetime) -> bool:
        minute = local.hour * 60 + local.minute
        return self.start_min <= minute < self.end_min


@dataclass(frozen=True, slots=True)
class Refusal:
    code: str
    message: str


def local_time(at: float, tz_name: str) -> dt.datetime:
    try:
        zone = ZoneInfo(tz_name)
    except (ZoneInfoNotFoundError, ValueError):
        zone = ZoneInfo(DEFAULT_TIMEZONE)
    return dt.datetime.fromtimestamp(at, zone)


def check_call(name: str, dnc: bool, tz_name: str, at: float,
               window: CallingWindow) -> Refusal | None:
    """Why `name` may not be called at `at` (server time), or None."""
    if dnc:
        return Refusal(DNC, f"{name} is on the do-not-call list")
    local = local_time(at, tz_name)
    if not window.contains(local):
        return Refusal(OUTSIDE_WINDOW, f"It is {local:%H:%M} for the customer ({tz_name}): "
                                       f"calls are allowed {window}")
    return None


def window_of(text: str | None) -> CallingWindow:
    """A customer's calling window as the server states it (`Customer.calling_window`);
    the protocol's default 08:00-21:00 when it says nothing or nothing readable."""
    if text:
        try:
            return CallingWindow.parse(text)
        except ValueError:
            pass
    return CallingWindow()


def check_customer(customer: Customer, at: float) -> Refusal | None:
    """Why `customer` may not be called at `at`, from what the desk knows of them:
    the same words the server uses, so the desk can say it before anything rings."""
    return check_call(customer.name, customer.dnc, customer.timezone or DEFAULT_TIMEZONE, at,
                      window_of(customer.calling_window))


@dataclass(frozen=True, slots=True)
class LocalClock:
    """The customer's local time at a moment, and whether it is inside their window."""

    timezone: str
    time: str  # "21:40"
    window: CallingWindow
    callable: bool

    def __str__(self) -> str:
        """"21:40 local · outside calling hours 08:00-21:00" (inside: "10:05 local")."""
        if self.callable:
            return f"{self.time} local"
        return f"{self.time} local · outside calling hours {self.window}"


def local_clock(customer: Customer, at: float) -> LocalClock:
    tz_name = customer.timezone or DEFAULT_TIMEZONE
    window = window_of(customer.calling_window)
    local = local_time(at, tz_name)
    return LocalClock(tz_name, f"{local:%H:%M}", window, window.contains(local))


def _minutes(text: str) -> int:
    hours, minutes = text.split(":")
    h, m = int(hours), int(minutes)
    if not (0 <= h <= 24 and 0 <= m < 60 and h * 60 + m <= 24 * 60):
        raise ValueError(text)
    return h * 60 + m


def _hhmm(minutes: int) -> str:
    return f"{minutes // 60:02d}:{minutes % 60:02d}"
