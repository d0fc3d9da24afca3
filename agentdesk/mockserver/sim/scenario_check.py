"""Checking a scenario file as the config file is checked: every problem names
the file, the line, the key and the reason (with a did-you-mean for a typo),
and all of them are reported at once, so one edit fixes the file.

`check(raw, text, path)` returns the problems (an empty list: the file is
good); `scenario.load_scenario` refuses a file with any. Unlike the desk's
config, a bad scenario stops the server: a training run on the wrong numbers
would be worse than no run.
"""

from __future__ import annotations

import difflib
import math
import re
from collections.abc import Callable
from pathlib import Path
from typing import Any

CHANNELS = ("chat", "email", "sms", "social", "voice")

# Kinds of values: each returns the reason a value is wrong, or None.
Check = Callable[[Any], str | None]


def _number(value: Any) -> str | None:
    if isinstance(value, bool) or not isinstance(value, (int, float)):
        return f"must be a number, not {_show(value)}"
    if not math.isfinite(value):
        return "must be a finite number"
    return None


def positive(value: Any) -> str | None:
    return _number(value) or (None if value > 0 else f"must be greater than 0, not {value}")


def not_negative(value: Any) -> str | None:
    return _number(value) or (None if value >= 0 else f"must be 0 or more, not {value}")


def percent(value: Any) -> str | None:
    return _number(value) or (None if 0 <= value <= 100 else f"must be 0-100, not {value}")


def whole(minimum: int) -> Check:
    def check(value: Any) -> str | None:
        if isinstance(value, bool) or not isinstance(value, int):
            return f"must be a whole number, not {_show(value)}"
        return None if value >= minimum else f"must be {minimum} or more, not {value}"
    return check


def seconds_range(value: Any) -> str | None:
    if not isinstance(value, list) or len(value) != 2:
        return f"must be a range [min, max] of two numbers, not {_show(value)}"
    for end in value:
        if reason := not_negative(end):
            return f"[min, max]: {reason}"
    if value[0] > value[1]:
        return f"is reversed: min {value[0]} is greater than max {value[1]} (write [{value[1]}, {value[0]}])"
    return None


def calling_window(value: Any) -> str | None:
    from agentdesk.domain.compliance import CallingWindow
    if not isinstance(value, str):
        return f"must be a string like \"08:00-21:00\", not {_show(value)}"
    try:
        CallingWindow.parse(value)
    except ValueError as exc:
        return str(exc)
    return None


def text(value: Any) -> str | None:
    if not isinstance(value, str) or not value.strip():
        return f"must be a non-empty string, not {_show(value)}"
    return None


def channels(value: Any) -> str | None:
    if not isinstance(value, list) or not value:
        return f"must be a non-empty list of channels, not {_show(value)}"
    for item in value:
        if item not in CHANNELS:
            return f"{_show(item)} is not a channel ({_hint(str(item), CHANNELS)})"
    return None


def strings(value: Any) -> str | None:
    if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
        return f"must be a list of strings, not {_show(value)}"
    return None


def _per_channel(check: Check) -> dict[str, Check]:
    return {ch: check for ch in CHANNELS}


BOT_RANGES = ("accept_delay_s", "reply_delay_s", "wrapup_delay_s", "break_every_s",
              "break_length_s")
SECTIONS: dict[str, dict[str, Check]] = {
    "arrivals": _per_channel(not_negative),
    "routing": {"offer_timeout_s": positive, "acw_limit_s": positive,
                "consult_timeout_s": positive},
    "patience": _per_channel(seconds_range),
    "reply_sla_s": _per_channel(positive),
    "bots": {name: seconds_range for name in BOT_RANGES},
    "call": {"segment_every_s": positive},
    "stats": {"every_s": positive},
    "compliance": {"calling_window": calling_window},
}
QUEUE_KEYS: dict[str, Check] = {"id": text, "name": text, "channels": channels,
                                "skills": strings, "sl_threshold_s": positive,
                                "sl_target_pct": percent}
CAPACITY_KEYS = ("total", "limits", "costs")
MAX_UNITS = 10_000
MAX_LIMIT = 1_000


def check(raw: dict[str, Any], text_: str, path: str | Path) -> list[str]:
    lines = _Lines(text_)
    problems: list[str] = []

    def report(key: str, reason: str) -> None:
        line = lines.of(key)
        problems.append(f"{path}:{line}: {key}: {reason}" if line else f"{path}: {key}: {reason}")

    known = [*SECTIONS, "queues", "capacity"]
    for name, value in raw.items():
        if name in SECTIONS:
            _check_table(name, value, SECTIONS[name], report)
        elif name == "queues":
            _check_queues(value, report)
        elif name == "capacity":
            _check_capacity(value, report)
        else:
            report(name, f"unknown section ({_hint(name, known)})")
    return problems


def _check_table(name: str, value: Any, keys: dict[str, Check],
                 report: Callable[[str, str], None]) -> None:
    if not isinstance(value, dict):
        report(name, f"must be a table [{name}], not {_show(value)}")
        return
    for key, item in value.items():
        check_value = keys.get(key)
        if check_value is None:
            report(f"{name}.{key}", f"unknown key ({_hint(key, list(keys))})")
        elif reason := check_value(item):
            report(f"{name}.{key}", reason)


def _check_queues(value: Any, report: Callable[[str, str], None]) -> None:
    if not isinstance(value, list) or not value:
        report("queues", f"must be one or more [[queues]] tables, not {_show(value)}")
        return
    seen: set[str] = set()
    for n, queue in enumerate(value):
        where = f"queues[{n}]"
        if not isinstance(queue, dict):
            report(where, f"must be a table, not {_show(queue)}")
            continue
        if "id" not in queue:
            report(where, "has no id")
        elif queue["id"] in seen:
            report(f"{where}.id", f"{queue['id']!r} is used by an earlier queue")
        elif isinstance(queue["id"], str):
            seen.add(queue["id"])
        for key, item in queue.items():
            check_value = QUEUE_KEYS.get(key)
            if check_value is None:
                report(f"{where}.{key}", f"unknown key ({_hint(key, list(QUEUE_KEYS))})")
            elif reason := check_value(item):
                report(f"{where}.{key}", reason)


def _check_capacity(value: Any, report: Callable[[str, str], None]) -> None:
    if not isinstance(value, dict):
        report("capacity", f"must be a table [capacity], not {_show(value)}")
        return
    for key, item in value.items():
        if key == "total":
            if reason := whole(1)(item):
                report("capacity.total", reason)
            elif item > MAX_UNITS:
                report("capacity.total", f"must be at most {MAX_UNITS}, not {item}")
        elif key in ("limits", "costs"):
            _check_table(f"capacity.{key}", item, _per_channel(whole(0)), report)
            if key == "limits" and isinstance(item, dict):
                for ch, n in item.items():
                    if isinstance(n, int) and n > MAX_LIMIT:
                        report(f"capacity.limits.{ch}", f"must be at most {MAX_LIMIT}, not {n}")
        else:
            report(f"capacity.{key}", f"unknown key ({_hint(key, CAPACITY_KEYS)})")


def _show(value: Any) -> str:
    shown = repr(value)
    return shown if len(shown) <= 40 else shown[:37] + "..."


def _hint(word: str, known: Any) -> str:
    close = difflib.get_close_matches(word, list(known), n=1, cutoff=0.6)
    return f"did you mean {close[0]!r}?" if close else "known: " + ", ".join(known)


_HEADER = re.compile(r"^\s*(\[\[?)\s*([^\[\]]+?)\s*\]\]?")
_ASSIGN = re.compile(r"^\s*([A-Za-z0-9_\-\"'. ]+?)\s*=")


class _Lines:
    """Line numbers of dotted keys in the TOML text (`queues[1].id` is the `id` of
    the second `[[queues]]`); None when a key is not written on a line of its own
    (an inline table)."""

    def __init__(self, text_: str) -> None:
        self.index: dict[str, int] = {}
        table = ""
        arrays: dict[str, int] = {}
        for number, line in enumerate(text_.splitlines(), 1):
            if header := _HEADER.match(line):
                name = ".".join(p.strip().strip("\"'") for p in header.group(2).split("."))
                if header.group(1) == "[[":
                    arrays[name] = arrays.get(name, -1) + 1
                    name = f"{name}[{arrays[name]}]"
                table = name
                self.index.setdefault(table, number)
            elif assign := _ASSIGN.match(line):
                key = ".".join(p.strip().strip("\"'") for p in assign.group(1).split("."))
                self.index.setdefault(f"{table}.{key}" if table else key, number)

    def of(self, key: str) -> int | None:
        while key:
            if key in self.index:
                return self.index[key]
            key = key.rpartition(".")[0]  # a key inside an inline table: its table's line
        return None
