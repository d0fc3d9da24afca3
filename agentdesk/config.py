"""Settings: a TOML file in the platform config dir, `AGENTDESK_*` environment
overrides on top, and CLI flags on top of that. Textual-free.

A broken file never stops the app: `load_settings` returns defaults plus a
list of problems, each naming the file, the line when known, and the key.
Secrets never live here (tokens are in the keyring, see credentials.py).
"""

# Validation is hand-written, not pydantic: importing pydantic cost ~60 ms
# before the first frame (docs/benchmarks.md "Start-up").

from __future__ import annotations

import json
import os
import re
import tomllib
import typing
from collections.abc import Callable
from dataclasses import MISSING, asdict, dataclass, field, fields, is_dataclass, replace
from pathlib import Path
from typing import Any

from platformdirs import user_config_dir


def setting(doc: str | None = None, **kwargs: Any) -> Any:
    """A settings field; `doc` describes it in docs/configuration.md."""
    return field(metadata={"doc": doc}, **kwargs)


# The schema: dataclasses whose field types (bool, str, str | None, dict[str, X],
# a nested section) drive `_build`. Unknown keys are refused at every level.


@dataclass
class ServerProfile:
    url: str = setting("Base URL of the backend.")
    user: str | None = setting("User name (Chatwoot: email) to log in as.", default=None)
    backend: str = setting(
        "Kind of backend, by registered name: `agentdesk` (agentdesk/1) or `chatwoot`; "
        "`--backend` overrides it.", default="agentdesk")
    account: str | None = setting(
        "Account id on backends with several per user (Chatwoot: the user's first one "
        "if not set); `--account` overrides it.", default=None)


EVENT_DEFAULTS: dict[str, dict[str, bool]] = {
    "offer": {"bell": True, "desktop": True, "toast": True},
    "message": {"bell": False, "desktop": False, "toast": True},
    "missed": {"bell": True, "desktop": True, "toast": True},
    "error": {"bell": False, "desktop": False, "toast": True},
}


@dataclass
class EventNotifications:
    bell: bool = setting("Ring the terminal bell.", default=False)
    desktop: bool = setting(
        "Desktop notification through the terminal (OSC 9 / OSC 777).", default=False)
    toast: bool = setting("An in-app toast (aggregated: at most one per second).", default=True)


def _event(kind: str, description: str) -> Any:
    return setting(description, default_factory=lambda: EventNotifications(**EVENT_DEFAULTS[kind]))


@dataclass
class NotificationSettings:
    # `[notifications.message] bell = true` keeps the other flags' defaults:
    # `_build` applies a section's table on top of the section's default.
    offer: EventNotifications = _event("offer", "A new offer rings.")
    message: EventNotifications = _event("message", "A customer message in a background tab.")
    missed: EventNotifications = _event("missed", "An offer was missed: you are Not Responding.")
    error: EventNotifications = _event("error", "A command failed or the connection dropped.")

    def as_options(self) -> dict[str, dict[str, bool]]:
        return {kind: asdict(getattr(self, kind)) for kind in EVENT_DEFAULTS}


@dataclass
class UiSettings:
    theme: str = setting("Theme name (see docs/themes.md).", default="agentdesk-dark")
    sort_tabs_by_urgency: bool = setting("Keep interaction tabs sorted by urgency.", default=False)
    timezone: str | None = setting(
        "IANA timezone for times on screen; default: the system's.", default=None)


# The monitor's alerts (docs/monitor.md "Alerts"). A threshold of 0 turns that
# alert off; a queue's thresholds default to figures derived from its own SL
# goal (agentdesk/domain/alerts.py), and `[monitor.alerts.queues.<id>]`
# overrides them for one queue.


@dataclass
class QueueAlertOverride:
    sl_below_pct: float | None = setting(
        "Service level below this % (default: the queue's own SL target).", default=None)
    longest_wait_s: float | None = setting(
        "A contact waiting longer than this (default: twice the queue's SL threshold).",
        default=None)
    queue_length: int | None = setting(
        "More contacts waiting than this (default: the queue's agents signed in, at least 5).",
        default=None)
    abandon_pct: float | None = setting("Abandonment above this % (default 10).", default=None)


@dataclass
class MonitorAlertSettings:
    enabled: bool = setting("Watch the thresholds below at all.", default=True)
    bell: bool = setting("Ring the terminal bell once when alerts are raised.", default=True)
    desktop: bool = setting(
        "Desktop notification (OSC 9 / OSC 777) when alerts are raised.", default=True)
    sl_below_pct: float | None = setting(
        "Every queue: service level below this % (default: each queue's SL target).",
        default=None)
    sl_min_contacts: int = setting(
        "The SL and abandonment alerts wait until this many contacts left the queue today.",
        default=5)
    longest_wait_s: float | None = setting(
        "Every queue: a contact waiting longer (default: twice the queue's SL threshold).",
        default=None)
    queue_length: int | None = setting(
        "Every queue: more contacts waiting (default: its agents signed in, at least 5).",
        default=None)
    abandon_pct: float = setting("Every queue: abandonment above this %.", default=10.0)
    not_responding_s: float = setting("An agent Not Responding for longer.", default=30.0)
    acw_s: float = setting("An agent in after-contact work for longer.", default=180.0)
    states: dict[str, float] = setting(
        "An agent longer than this in a presence or routing state, by name, e.g. "
        "break = 900 (seconds).", default_factory=lambda: {"break": 900.0, "lunch": 3600.0})
    queues: dict[str, QueueAlertOverride] = setting(
        "Per queue id: [monitor.alerts.queues.ID] with the queue keys above.",
        default_factory=dict)


@dataclass
class MonitorViewSettings:
    filter: str = setting("The agents filter at start, e.g. \"queue:billing state:busy\".",
                          default="")
    columns: str = setting(
        "Agents board columns, comma-separated (docs/monitor.md \"Teams and views\"); "
        "empty: all.", default="")
    group: str = setting("Group the agents board by \"team\" or \"queue\"; empty: no groups.",
                         default="")


@dataclass
class MonitorSettings:
    alerts: MonitorAlertSettings = setting(
        "Supervisor monitor alerts (docs/monitor.md). 0 turns a threshold off.",
        default_factory=MonitorAlertSettings)
    teams: dict[str, str] = setting(
        "Teams by name: agent ids, comma-separated, e.g. north = \"agent1,agent2\".",
        default_factory=dict)
    views: dict[str, MonitorViewSettings] = setting(
        "Per supervisor user name: [monitor.views.NAME] with filter, columns and group.",
        default_factory=dict)


@dataclass
class Settings:
    """Everything a user can set. Documented in docs/configuration.md."""

    default_profile: str | None = setting(
        "Server profile used when --profile and --server are not given.", default=None)
    profiles: dict[str, ServerProfile] = setting(
        "Named backends: [profiles.NAME] url = ..., user = ..., backend = \"agentdesk\" (or "
        "\"chatwoot\"), account = ... (Chatwoot)", default_factory=dict)
    keymap: dict[str, str] = setting(
        "Key overrides by binding id, e.g. offer-accept = \"f2,ctrl+a\" (ids: docs/keymap.md, "
        "docs/monitor.md). An unknown id or a bad key is reported at start and left out.",
        default_factory=dict)
    notifications: NotificationSettings = setting(default_factory=NotificationSettings)
    ui: UiSettings = setting(default_factory=UiSettings)
    monitor: MonitorSettings = setting(default_factory=MonitorSettings)

    def as_dict(self) -> dict[str, Any]:
        """Plain data (str, bool, None, dicts) for `agentdesk config show`."""
        return asdict(self)


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


_HEADER = re.compile(r"^\s*\[\s*([^\[\]]+?)\s*\]")
_ASSIGN = re.compile(r"^\s*([^=#\[]+?)\s*=")


def _dotted(raw: str) -> str:
    """`"a" . b` -> `a.b`: enough to find a key (a dot inside quotes is not handled)."""
    return ".".join(part.strip().strip("\"'") for part in raw.split("."))


def _line_of(text: str, key: str) -> int | None:
    """Line of the dotted `key` in the file: `theme = ...` under `[ui]` (or
    `ui.theme = ...`), or a `[key]` header. None if not there (an inline
    table, an environment override)."""
    table = ""
    for number, line in enumerate(text.splitlines(), 1):
        if header := _HEADER.match(line):
            table = _dotted(header.group(1))
            if table == key:
                return number
        elif assign := _ASSIGN.match(line):
            name = _dotted(assign.group(1))
            if (f"{table}.{name}" if table else name) == key:
                return number
    return None


# Words read as booleans, in the environment and in strings in the file; the
# set pydantic's lax mode accepted, so no existing file changes meaning.
_TRUE_WORDS = frozenset({"true", "yes", "on", "1", "t", "y"})
_FALSE_WORDS = frozenset({"false", "no", "off", "0", "f", "n"})


def _coerce_env(raw: str) -> Any:
    """True/False for a boolean word (any case), else the text unchanged."""
    lowered = raw.lower()
    if lowered in _TRUE_WORDS:
        return True
    if lowered in _FALSE_WORDS:
        return False
    return raw


def _env_overrides(environ: dict[str, str]) -> dict[str, Any]:
    """The nested table of `AGENTDESK_*` overrides. Values stay text: a bool
    field reads the words through `_coerce_env`, a string field keeps the text
    as typed (`AGENTDESK_UI__THEME=on` is the theme "on", not True)."""
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
        node[path[-1]] = value
    return out


def _merge(base: dict[str, Any], top: dict[str, Any]) -> dict[str, Any]:
    merged = dict(base)
    for key, value in top.items():
        if isinstance(value, dict) and isinstance(merged.get(key), dict):
            merged[key] = _merge(merged[key], value)
        else:
            merged[key] = value
    return merged


class _Drop(Exception):
    """The key is dropped; args[0], if given, tells the user why."""


Report = Callable[..., None]  # report(key, message, at=key to find the line of)


def _show(value: Any) -> str:
    """A value in a message, roughly as it was written in TOML."""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, dict):
        return "a table"
    if isinstance(value, list):
        return "a list"
    return repr(value) if isinstance(value, str) else str(value)


def _to_bool(value: Any) -> bool:
    # Lax like pydantic was: booleans, the words of `_coerce_env`, 0 and 1.
    if isinstance(value, bool):
        return value
    if isinstance(value, str) and isinstance(word := _coerce_env(value), bool):
        return word
    if isinstance(value, (int, float)) and value in (0, 1):
        return bool(value)
    raise _Drop(f"expected true or false, got {_show(value)}")


def _to_str(value: Any) -> str:
    # Strict: 5 or true is a mistake, not a name.
    if isinstance(value, str):
        return value
    raise _Drop(f"expected a string, got {_show(value)}")


def _to_number(value: Any, kind: type) -> Any:
    """A finite, non-negative number (a whole one for int); numeric text from the
    environment too. true/false is a mistake, not 1/0."""
    if isinstance(value, str):
        try:
            value = float(value.strip())
        except ValueError:
            raise _Drop(f"expected a number, got {_show(value)}") from None
    if isinstance(value, bool) or not isinstance(value, (int, float)):
        raise _Drop(f"expected a number, got {_show(value)}")
    if not value >= 0 or value == float("inf"):  # NaN fails >= too
        raise _Drop(f"expected a number of 0 or more, got {_show(value)}")
    if kind is int:
        if value != int(value):
            raise _Drop(f"expected a whole number, got {_show(value)}")
        return int(value)
    return float(value)


def _table(value: Any) -> dict[str, Any]:
    if isinstance(value, dict):
        return value
    raise _Drop(f"expected a table, got {_show(value)}")


def _convert(kind: Any, value: Any, key: str, report: Report, base: Any) -> Any:
    """`value` as type `kind` (a section: on top of `base`); raises _Drop for the
    whole key, reports and leaves out bad keys inside it."""
    if is_dataclass(kind):
        return _build(kind, _table(value), key, report, base)
    if typing.get_origin(kind) is dict:
        item_kind = typing.get_args(kind)[1]
        items = {}
        for name, item in _table(value).items():
            try:
                items[name] = _convert(item_kind, item, f"{key}.{name}", report, None)
            except _Drop as exc:
                if exc.args:
                    report(f"{key}.{name}", exc.args[0])
        return items
    if kind is bool:
        return _to_bool(value)
    if kind in (str, str | None):  # None is the default only: TOML has no null
        return _to_str(value)
    if kind in (float, float | None, int, int | None):
        return _to_number(value, int if kind in (int, int | None) else float)
    raise TypeError(f"no validator for {kind!r}")  # a schema mistake, not the user's


def _build(cls: Any, data: dict[str, Any], key: str, report: Report, base: Any) -> Any:
    """A `cls` from the table `data`, on top of `base` (None: from scratch, and
    required fields must be given). Bad and unknown keys are reported and left out."""
    prefix = f"{key}." if key else ""
    known = {f.name: f for f in fields(cls)}
    kinds = typing.get_type_hints(cls)
    values = {}
    for name, value in data.items():
        if name not in known:
            report(prefix + name, "unknown setting")
            continue
        try:
            values[name] = _convert(kinds[name], value, prefix + name, report,
                                    None if base is None else getattr(base, name))
        except _Drop as exc:
            if exc.args:
                report(prefix + name, exc.args[0])
    if base is not None:
        return replace(base, **values)
    missing = [name for name, f in known.items() if name not in values
               and f.default is MISSING and f.default_factory is MISSING]
    for name in missing:
        if name not in data:  # a bad value was reported already
            report(prefix + name, "required", at=key)
    if missing:
        raise _Drop()  # e.g. a profile without a url is left out
    return cls(**values)


def _validate(data: dict[str, Any], path: Path, text: str) -> tuple[Settings, list[str]]:
    """Validate; drop each offending key (reporting it once) and keep the rest."""
    problems: list[str] = []

    def report(key: str, message: str, at: str | None = None) -> None:
        line = _line_of(text, at or key)
        where = f"{path}:{line}" if line else str(path)
        problems.append(f"{where}: {key}: {message} (using the default)")

    return _build(Settings, data, "", report, Settings()), problems


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

    def walk(instance: Any, prefix: str) -> None:
        for f in fields(instance):
            value = getattr(instance, f.name)
            key = f"{prefix}{f.name}"
            doc = f.metadata["doc"]
            if is_dataclass(value):
                lines.append(f"\n### `[{key}]`\n")
                if doc:
                    lines.append(f"{doc}\n")
                walk(value, f"{key}.")
                continue
            shown = "none" if value is None else json.dumps(value)
            env = "AGENTDESK_" + "__".join(p.upper() for p in key.split("."))
            lines.append(f"- `{key}` (default `{shown}`; env `{env}`): {doc}")

    walk(Settings(), "")
    return "\n".join(lines) + "\n"


def save_setting(section: str, key: str, value: str | bool, path: Path | None = None) -> Path:
    """Set `[section] key = value` in the config file with tomlkit, which keeps the
    user's comments, order and layout (the live theme switch uses it). The file
    is replaced atomically, and never with text we could not read back."""
    import tomlkit

    path = path or config_path()
    text = path.read_text(encoding="utf-8") if path.exists() else ""
    doc = tomlkit.parse(text)
    table: Any = doc
    parts = section.split(".")
    for depth, part in enumerate(parts):
        inner = table.get(part)
        if not isinstance(inner, dict):  # missing (or, in a broken file, not a table)
            # Outer tables of a dotted section get no header of their own.
            inner = tomlkit.table(is_super_table=depth < len(parts) - 1)
            table[part] = inner
        table = inner
    table[key] = value
    new_text = tomlkit.dumps(doc)
    tomllib.loads(new_text)
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
still applies (a profile without `url` is left out as a whole). Unknown keys
are reported too, so a typo never goes unnoticed. On/off settings take `true`
or `false` (also the words yes/no, on/off, 1/0, in the file as strings or in
the environment); text settings must be strings (`theme = 5` is an error,
`AGENTDESK_THEME=on` is the theme named "on"). Tokens are never stored here:
see "Credentials" below.

Example:

```toml
default_profile = "prod"

[profiles.prod]
url = "https://cc.example.com"
user = "alice"

[profiles.support]
backend = "chatwoot"
url = "https://chat.example.com"
user = "ada@example.com"
account = "3"

[keymap]
offer-accept = "f2,ctrl+a"

[ui]
theme = "agentdesk-light"
sort_tabs_by_urgency = true
```

## Settings

This list is generated from the settings model (`python -m agentdesk.config`).
"""

CREDENTIALS_DOC = """
## Credentials

`agentdesk login [--backend NAME] [--server URL] [--user NAME] [--profile NAME]`
checks that the server answers as a server of that backend, then asks for the
password without echo (the prompt names what the backend calls a user: "User",
or "Email" on Chatwoot), obtains a token and stores it in the OS keyring
(service `agentdesk`, account `<backend>|<server URL>|<user>`; tokens stored by
earlier versions under `<server URL>|<user>` are still read for the `agentdesk`
backend). On a backend that accepts user access tokens (Chatwoot),
`agentdesk login --backend chatwoot --server URL --token` reads a pasted token
instead of a password (hidden prompt, or stdin when it is not a terminal).
`agentdesk logout` revokes the token on the server where the backend can
(agentdesk/1: `POST /v1/logout`) and then forgets it; if the server cannot be
told (down, unreachable) the token is forgotten here anyway and logout says it
stays valid on the server until it expires (12 hours on the mock server). The
desk looks for a token in this order: `AGENTDESK_TOKEN` (for every backend),
the keyring, the opt-in token file.

On a machine without a usable keyring backend (a headless ssh host) nothing is
stored silently: before asking for the password, login explains the choices:

- `agentdesk login --token-file` (or `AGENTDESK_TOKEN_FILE=1`): keep the token
  in a private file (mode 0600) `tokens.json` in the state directory. The
  choice is made once: the desk reads the file on every later run without
  being told again, as long as it stays private (a regular file of this user
  with no group or other permissions; otherwise it is ignored with a warning,
  as ssh ignores a readable private key). `agentdesk logout` removes the entry.
- `agentdesk login --print-token`: print the token once on stdout (nothing
  else goes there; the warning goes to stderr), to pass as `AGENTDESK_TOKEN`.
  It is as good as the password until it expires: keep it out of logs,
  tickets and shell history.
- install a keyring backend that encrypts.

A backend that keeps secrets in plain text (keyrings.alt's `PlaintextKeyring`)
or none at all (keyring's `fail` and `null` backends) does not count as usable.
Login says where the token went, never what it is (unless `--print-token`).
See docs/security.md.
"""


def config_doc() -> str:
    return CONFIG_DOC_HEADER + describe_settings() + CREDENTIALS_DOC


if __name__ == "__main__":
    print(config_doc(), end="")
