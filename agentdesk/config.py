"""Settings: a TOML file in the platform config dir, `AGENTDESK_*` environment
overrides on top, and CLI flags on top of that. Textual-free.

A broken file never stops the app: `load_settings` returns defaults plus a
list of problems, each naming the file, the line when known, and the key.
Secrets never live here (tokens are in the keyring, see credentials.py).
"""

from __future__ import annotations

import json
import os
import re
import tomllib
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from platformdirs import user_config_dir
from pydantic import BaseModel, ConfigDict, Field, ValidationError, model_validator


class Section(BaseModel):
    model_config = ConfigDict(extra="forbid")


class ServerProfile(Section):
    url: str = Field(description="Base URL of the agentdesk/1 backend.")
    user: str | None = Field(default=None, description="User name to log in as.")


EVENT_DEFAULTS: dict[str, dict[str, bool]] = {
    "offer": {"bell": True, "desktop": True, "toast": True},
    "message": {"bell": False, "desktop": False, "toast": True},
    "missed": {"bell": True, "desktop": True, "toast": True},
    "error": {"bell": False, "desktop": False, "toast": True},
}


class EventNotifications(Section):
    bell: bool = Field(default=False, description="Ring the terminal bell.")
    desktop: bool = Field(
        default=False, description="Desktop notification through the terminal (OSC 9 / OSC 777).")
    toast: bool = Field(default=True, description="An in-app toast (aggregated: at most one per second).")


def _event(kind: str, description: str) -> Any:
    return Field(default_factory=lambda: EventNotifications(**EVENT_DEFAULTS[kind]),
                 description=description)


class NotificationSettings(Section):
    offer: EventNotifications = _event("offer", "A new offer rings.")
    message: EventNotifications = _event("message", "A customer message in a background tab.")
    missed: EventNotifications = _event("missed", "An offer was missed: you are Not Responding.")
    error: EventNotifications = _event("error", "A command failed or the connection dropped.")

    @model_validator(mode="before")
    @classmethod
    def _partial_tables(cls, data: Any) -> Any:
        """`[notifications.message] bell = true` keeps the other flags' defaults."""
        if isinstance(data, dict):
            return {k: {**EVENT_DEFAULTS[k], **v} if k in EVENT_DEFAULTS and isinstance(v, dict) else v
                    for k, v in data.items()}
        return data

    def as_options(self) -> dict[str, dict[str, bool]]:
        return {kind: getattr(self, kind).model_dump() for kind in EVENT_DEFAULTS}


class UiSettings(Section):
    theme: str = Field(default="agentdesk-dark", description="Theme name (see docs/themes.md).")
    sort_tabs_by_urgency: bool = Field(
        default=False, description="Keep interaction tabs sorted by urgency."
    )
    timezone: str | None = Field(
        default=None, description="IANA timezone for times on screen; default: the system's."
    )


class Settings(Section):
    """Everything a user can set. Documented in docs/configuration.md."""

    default_profile: str | None = Field(
        default=None, description="Server profile used when --profile and --server are not given."
    )
    profiles: dict[str, ServerProfile] = Field(
        default_factory=dict, description="Named backends: [profiles.NAME] url = ..., user = ..."
    )
    keymap: dict[str, str] = Field(
        default_factory=dict,
        description="Key overrides by binding id, e.g. accept-offer = \"f2,ctrl+a\" (docs/keymap.md).",
    )
    notifications: NotificationSettings = Field(default_factory=NotificationSettings)
    ui: UiSettings = Field(default_factory=UiSettings)


# AGENTDESK_<SECTION>__<KEY>=value overrides a nested setting; these short
# forms are kept for the common cases.
ENV_SHORTCUTS = {
    "AGENTDESK_THEME": ("ui", "theme"),
    "AGENTDESK_PROFILE": ("default_profile",),
}


@dataclass
class LoadedSettings:
    settings: Settings
    path: Path
    problems: list[str] = field(default_factory=list)


def config_path() -> Path:
    override = os.environ.get("AGENTDESK_CONFIG_FILE")
    if override:
        return Path(override)
    return Path(user_config_dir("agentdesk")) / "config.toml"


def _line_of(text: str, key: str) -> int | None:
    pattern = re.compile(rf"^\s*\"?{re.escape(key)}\"?\s*=", re.MULTILINE)
    match = pattern.search(text)
    if match:
        return text.count("\n", 0, match.start()) + 1
    header = re.compile(rf"^\s*\[\s*{re.escape(key)}\s*\]", re.MULTILINE).search(text)
    return text.count("\n", 0, header.start()) + 1 if header else None


def _coerce_env(raw: str) -> Any:
    lowered = raw.lower()
    if lowered in ("true", "yes", "on", "1"):
        return True
    if lowered in ("false", "no", "off", "0"):
        return False
    return raw


def _env_overrides(environ: dict[str, str]) -> dict[str, Any]:
    out: dict[str, Any] = {}
    for name, value in environ.items():
        if name in ENV_SHORTCUTS:
            path: tuple[str, ...] = ENV_SHORTCUTS[name]
        elif name.startswith("AGENTDESK_") and "__" in name:
            path = tuple(p.lower() for p in name[len("AGENTDESK_") :].split("__"))
        else:
            continue
        node = out
        for part in path[:-1]:
            node = node.setdefault(part, {})
        node[path[-1]] = _coerce_env(value)
    return out


def _merge(base: dict[str, Any], top: dict[str, Any]) -> dict[str, Any]:
    merged = dict(base)
    for key, value in top.items():
        if isinstance(value, dict) and isinstance(merged.get(key), dict):
            merged[key] = _merge(merged[key], value)
        else:
            merged[key] = value
    return merged


def _validate(data: dict[str, Any], path: Path, text: str) -> tuple[Settings, list[str]]:
    """Validate; drop each offending key (reporting it) and keep the rest."""
    problems: list[str] = []
    for _ in range(50):  # each pass removes at least one bad key
        try:
            return Settings.model_validate(data), problems
        except ValidationError as exc:
            err = exc.errors()[0]
            loc = [str(p) for p in err["loc"]]
            key = ".".join(loc)
            line = _line_of(text, loc[-1]) if loc else None
            where = f"{path}:{line}" if line else str(path)
            problems.append(f"{where}: {key}: {err['msg']} (using the default)")
            node: Any = data
            for part in loc[:-1]:
                node = node.get(part, {}) if isinstance(node, dict) else {}
            if isinstance(node, dict) and loc:
                node.pop(loc[-1], None)
            else:
                break
    return Settings(), problems


def load_settings(path: Path | None = None, environ: dict[str, str] | None = None) -> LoadedSettings:
    path = path or config_path()
    environ = dict(os.environ if environ is None else environ)
    problems: list[str] = []
    data: dict[str, Any] = {}
    text = ""
    if path.exists():
        try:
            text = path.read_text(encoding="utf-8")
            data = tomllib.loads(text)
        except (OSError, UnicodeDecodeError) as exc:
            problems.append(f"{path}: cannot read: {exc} (using defaults)")
        except tomllib.TOMLDecodeError as exc:
            problems.append(f"{path}: not valid TOML: {exc} (using defaults)")
    data = _merge(data, _env_overrides(environ))
    settings, more = _validate(data, path, text)
    return LoadedSettings(settings=settings, path=path, problems=problems + more)


def describe_settings() -> str:
    """Markdown reference of every setting, generated from the model (docs/configuration.md)."""
    lines: list[str] = []

    def walk(instance: BaseModel, prefix: str) -> None:
        for name, info in type(instance).model_fields.items():
            value = getattr(instance, name)
            key = f"{prefix}{name}"
            if isinstance(value, BaseModel):
                lines.append(f"\n### `[{key}]`\n")
                if info.description:
                    lines.append(f"{info.description}\n")
                walk(value, f"{key}.")
                continue
            shown = "none" if value is None else json.dumps(value)
            env = "AGENTDESK_" + "__".join(p.upper() for p in key.split("."))
            lines.append(f"- `{key}` (default `{shown}`; env `{env}`): {info.description}")

    walk(Settings(), "")
    return "\n".join(lines) + "\n"


def save_setting(section: str, key: str, value: str | bool, path: Path | None = None) -> Path:
    """Set `[section] key = value` in the config file, editing only that line so the
    user's comments and layout survive (the live theme switch uses it)."""
    import json

    path = path or config_path()
    text = path.read_text(encoding="utf-8") if path.exists() else ""
    lines = text.splitlines()
    rendered = f"{key} = {json.dumps(value)}"
    header = re.compile(rf"^\s*\[\s*{re.escape(section)}\s*\]\s*(#.*)?$")
    start = next((i for i, line in enumerate(lines) if header.match(line)), None)
    if start is None:
        lines += (["", f"[{section}]"] if lines else [f"[{section}]"]) + [rendered]
    else:
        end = next((i for i in range(start + 1, len(lines)) if lines[i].lstrip().startswith("[")),
                   len(lines))
        keyline = re.compile(rf"^\s*\"?{re.escape(key)}\"?\s*=")
        hit = next((i for i in range(start + 1, end) if keyline.match(lines[i])), None)
        if hit is None:
            lines.insert(end, rendered)
        else:
            lines[hit] = rendered
    new_text = "\n".join(lines) + "\n"
    tomllib.loads(new_text)  # never write a file we could not read back
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_suffix(".tmp")
    tmp.write_text(new_text, encoding="utf-8")
    tmp.replace(path)
    return path


CONFIG_DOC_HEADER = """# Configuration

agentdesk reads one TOML file, `config.toml` in the platform config directory
(`agentdesk config path` prints it; `AGENTDESK_CONFIG_FILE` points elsewhere).
Environment variables override the file (`AGENTDESK_<SECTION>__<KEY>`, plus the
short forms `AGENTDESK_THEME` and `AGENTDESK_PROFILE`), and command-line flags
override both. `agentdesk config show` prints the effective settings.

A broken file never stops the app: each bad key is reported once, naming the
file, the line and the key, and its default is used; the rest of the file
still applies. Tokens are never stored here: see "Credentials" below.

Example:

```toml
default_profile = "prod"

[profiles.prod]
url = "https://cc.example.com"
user = "alice"

[keymap]
accept-offer = "f2,ctrl+a"

[ui]
theme = "agentdesk-light"
sort_tabs_by_urgency = true
```

## Settings

This list is generated from the settings model (`python -m agentdesk.config`).
"""

CREDENTIALS_DOC = """
## Credentials

`agentdesk login [--server URL] [--user NAME] [--profile NAME]` asks for the
password without echo, obtains a token and stores it in the OS keyring
(service `agentdesk`, account `<server URL>|<user>`); `agentdesk logout`
removes it. The desk looks for a token in this order: `AGENTDESK_TOKEN`, the
keyring, the opt-in file store.

On a machine without a usable keyring backend (a headless ssh host) nothing is
stored silently; login explains the choices: pass `AGENTDESK_TOKEN` in the
environment, or opt in with `AGENTDESK_TOKEN_FILE=1` to a private file
(mode 0600) `tokens.json` in the state directory, or install a keyring backend.
"""


def config_doc() -> str:
    return CONFIG_DOC_HEADER + describe_settings() + CREDENTIALS_DOC


if __name__ == "__main__":
    print(config_doc(), end="")
