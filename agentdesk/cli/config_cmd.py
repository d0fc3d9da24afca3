"""`agentdesk config path|show`: where the settings live and what they are."""

from __future__ import annotations

import argparse
import sys
import tomllib
from typing import Any

from agentdesk.config import LoadedSettings, load_settings


def run_config(args: argparse.Namespace) -> int:
    if getattr(args, "config_command", None) is None:
        print(args.config_help() if hasattr(args, "config_help") else
              "usage: agentdesk config {path,show}", end="")
        return 0
    loaded = load_settings()
    if args.config_command == "path":
        print(loaded.path)
        return 0
    for problem in [*loaded.problems, *_late_problems(loaded)]:
        print(f"warning: {problem}", file=sys.stderr)
    print(f"# {loaded.path}{'' if loaded.path.exists() else ' (does not exist; defaults)'}")
    print(_to_toml(loaded.settings.as_dict()))
    return 0


def _late_problems(loaded: LoadedSettings) -> list[str]:
    """What the desk and the monitor check only when they start (keymap entries,
    the time zone), checked here too so `config show` finds every problem."""
    from agentdesk.ui.keymap import check_keymap, desk_binding_ids, monitor_binding_ids

    problems: list[str] = []
    keymap = loaded.settings.keymap
    if keymap:
        _, bad = check_keymap(keymap, [*desk_binding_ids(), *monitor_binding_ids()])
        problems += [f"{loaded.path}: {problem}" for problem in bad]
    name = loaded.settings.ui.timezone
    if name:
        from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

        try:
            ZoneInfo(name)
        except (ZoneInfoNotFoundError, ValueError):
            problems.append(f"{loaded.path}: ui.timezone: unknown timezone {name!r} "
                            "(using local time; names are like Europe/London)")
    return problems


def _to_toml(data: dict[str, Any], prefix: str = "") -> str:
    """Minimal TOML writer for the settings tree (strings, bools, numbers, tables)."""
    out = _toml_table(data, prefix).strip()
    tomllib.loads(out)  # what we print must read back
    return out


def _toml_table(data: dict[str, Any], prefix: str) -> str:
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
