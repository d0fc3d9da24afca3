"""Every key binding of the desk, as data.

Screens take their `BINDINGS` from here so one place lists what each key does,
`python -m agentdesk.ui.keymap_doc` can write docs/keymap.md from it, and the
`id` of each binding is the name users remap in `keymap={id: keys}`.

`check_desk_keymap(overrides)` / `check_monitor_keymap(overrides)` (both
`check_keymap` with the app's binding ids) vet the user's `[keymap]` before it
reaches `App.set_keymap`: unknown ids,
empty values and keys Textual cannot report are dropped with one problem line
each, so the default keys stay.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from functools import lru_cache

from textual.binding import Binding

# The F-keys are priority bindings: they must work while the composer (a
# TextArea, which binds F6/F7 itself) has focus. Everything else is not.
APP_BINDINGS: list[Binding] = [
    Binding("ctrl+p", "app.command_palette", "Command palette", id="palette", show=False, priority=True),
    Binding("f1", "app.help", "Help", id="help", key_display="F1"),
    Binding("f10", "app.request_quit", "Quit", id="quit", key_display="F10", priority=True),
    Binding("ctrl+q", "app.request_quit", "Quit", id="quit-alt", show=False, priority=True),
    Binding("alt+d", "app.diagnostics", "Diagnostics", id="diagnostics", show=False),
]

OFFER_BINDINGS: list[Binding] = [
    Binding("f2", "accept", "Accept", id="offer-accept", key_display="F2", priority=True),
    Binding("f3", "reject", "Reject", id="offer-reject", key_display="F3", priority=True),
]

AGENT_BINDINGS: list[Binding] = [
    Binding("f4", "presence_menu", "Presence", id="presence-menu", key_display="F4", priority=True),
    Binding("alt+c", "capacity_info", "Capacity reasons", id="capacity-info", show=False),
]

CALL_BINDINGS: list[Binding] = [
    Binding("f5", "hold", "Hold", id="call-hold", key_display="F5", priority=True),
    Binding("f6", "mute", "Mute", id="call-mute", key_display="F6", priority=True),
    Binding("f7", "transfer", "Transfer", id="transfer", key_display="F7", priority=True),
    Binding("f8", "hangup", "Hang up", id="call-hangup", key_display="F8", priority=True),
    Binding("ctrl+d", "dtmf", "Keypad", id="call-dtmf", show=False, priority=True),
    # The recording notice: given and agreed, or declined (recording pauses).
    Binding("ctrl+r", "disclosure", "Recording notice", id="call-disclosure", show=False,
            priority=True),
]

WORK_BINDINGS: list[Binding] = [
    Binding("f9", "wrapup", "Wrap-up", id="wrapup", key_display="F9", priority=True),
    Binding("ctrl+s", "send", "Send", id="composer-send", show=False),
    # Flex/Zendesk's "send and close": the reply goes, then the wrap-up dialog opens.
    Binding("ctrl+g", "send_and_close", "Send+wrap up", id="composer-send-close"),
    Binding("ctrl+k", "kb_search", "KB search", id="kb-search", show=False, priority=True),
    Binding("alt+s", "insert_suggestion", "Insert suggestion", id="suggestion-insert-top", show=False),
    Binding("ctrl+o", "open_link", "Open a link of this conversation…", id="open-link", show=False),
    # alt+l (list), not alt+b: terminals send alt+b as ESC b, which Textual reads as a word move.
    Binding("alt+l", "callbacks_today", "My callbacks due today", id="callbacks-today", show=False),
]

TAB_BINDINGS: list[Binding] = [
    *[
        Binding(f"alt+{n}", f"goto_tab({n})", f"Tab {n}", id=f"tab-{n}", show=False)
        for n in range(1, 10)
    ],
    Binding("ctrl+n", "most_urgent", "Most urgent tab", id="tab-most-urgent", show=False),
    Binding("alt+right", "next_tab", "Next tab", id="tab-next", show=False),
    Binding("alt+left", "previous_tab", "Previous tab", id="tab-previous", show=False),
    Binding("alt+u", "toggle_sort", "Sort tabs by urgency", id="tab-sort", show=False),
]

LAYOUT_BINDINGS: list[Binding] = [
    Binding("ctrl+backslash", "toggle_split", "Split view", id="split-toggle", show=False),
    Binding("alt+w", "swap_split_focus", "Other split pane", id="split-focus", show=False),
    Binding("alt+r", "toggle_side", "Customer/KB column", id="side-toggle", show=False),
]

DESK_BINDINGS: list[Binding] = [
    *OFFER_BINDINGS, *AGENT_BINDINGS, *CALL_BINDINGS, *WORK_BINDINGS, *TAB_BINDINGS,
    *LAYOUT_BINDINGS,
]

GROUPS: list[tuple[str, list[Binding]]] = [
    ("General", APP_BINDINGS),
    ("Offers", OFFER_BINDINGS),
    ("Agent", AGENT_BINDINGS),
    ("Calls", CALL_BINDINGS),
    ("Work", WORK_BINDINGS),
    ("Tabs", TAB_BINDINGS),
    ("Layout", LAYOUT_BINDINGS),
]

# Keys bound by Textual itself or by widgets, listed for completeness in the
# help screen and docs (they are not remapped through these ids).
OTHER_KEYS: list[tuple[str, str, str]] = [
    ("Work", "r", "Retry a failed message (timeline focused)"),
    ("Work", "click a link", "Open a link in a message (asks first, shows the full URL)"),
    ("Layout", "tab / shift+tab", "Move focus"),
]


def all_binding_ids() -> list[str]:
    return [b.id for _, group in GROUPS for b in group if b.id]


def display_keys(keys: str) -> str:
    """'alt+1' -> 'alt+1', 'f2' -> 'F2', 'ctrl+backslash' -> 'ctrl+\\'."""
    parts = []
    for key in keys.split(","):
        key = key.strip()
        key = key.replace("backslash", "\\")
        if key.startswith("f") and key[1:].isdigit():
            key = key.upper()
        parts.append(key)
    return " / ".join(parts)


# -- checking the user's [keymap] ---------------------------------------------------

# Ids of bindings that widgets and dialogs of the desk define themselves (their
# own BINDINGS; not listed above because they are not the desk's keys, but
# `App.set_keymap` remaps them too). A test keeps this list equal to the classes'.
WIDGET_BINDING_IDS: tuple[str, ...] = (
    "quit-ctrl-c",
    "modal-cancel", "quit-confirm", "quit-cancel", "wrapup-submit", "wrapup-callback", "wrapup-check",
    "transfer-mode",
    "composer-send", "composer-note-toggle", "composer-editor", "composer-canned",
    "canned-cancel", "canned-up", "canned-down",
    "link-picker-cancel",
    "timeline-line-up", "timeline-line-down", "timeline-page-up", "timeline-page-down",
    "timeline-home", "timeline-end", "timeline-retry",
    "suggestion-insert-1", "suggestion-insert-2", "suggestion-insert-3",
    "suggestion-insert", "suggestion-preview",
    "link-open", "link-cancel", "article-insert", "article-close",
    "dtmf-send", "dtmf-cancel", "dtmf-backspace",
    "customer-dial",
)

# In the order Textual writes them in a key name (sorted: "alt+ctrl+shift+left").
MODIFIERS: tuple[str, ...] = ("alt", "ctrl", "hyper", "meta", "shift", "super")

# Names people write that Textual spells differently.
_KEY_NAME_ALIASES = {
    "esc": "escape", "pgup": "pageup", "pgdn": "pagedown", "page_up": "pageup",
    "page_down": "pagedown", "del": "delete", "ins": "insert", "bksp": "backspace",
    "spacebar": "space", "control": "ctrl", "cmd": "super", "option": "alt",
}


def desk_binding_ids() -> list[str]:
    """Every binding id the agent desk knows: its own keys and its widgets'."""
    ids = all_binding_ids()
    return ids + [i for i in WIDGET_BINDING_IDS if i not in ids]


def monitor_binding_ids() -> list[str]:
    """Every binding id of the supervisor monitor (docs/monitor.md)."""
    return list(MONITOR_BINDING_IDS)


# The monitor's binding ids (agentdesk/ui/monitor/*.py BINDINGS), listed here so
# checking a keymap imports neither app; a test keeps it equal to the classes'.
MONITOR_BINDING_IDS: tuple[str, ...] = (
    "monitor-quit-ctrl-c",
    "monitor-quit", "monitor-quit-q", "monitor-sort-next", "monitor-sort-reverse",
    "monitor-filter", "monitor-filter-clear", "monitor-trend-scope",
    "monitor-focus-queues", "monitor-focus-agents", "monitor-focus-feed", "monitor-help",
    "queue-board-select", "agent-board-open", "filter-done",
    "drilldown-back", "drilldown-back-backspace", "drilldown-quit",
    "drilldown-focus-list", "drilldown-focus-timeline", "drilldown-help",
    "monitor-wall", "wall-back", "wall-back-escape", "wall-quit", "wall-quit-q",
    "monitor-history", "history-back", "history-back-h", "history-interval", "history-quit",
)


def check_desk_keymap(overrides: Mapping[str, object]) -> tuple[dict[str, str], list[str]]:
    """`check_keymap` for the agent desk. The config's `[keymap]` table is shared
    with the monitor, so the monitor's ids are skipped here, not reported."""
    return check_keymap(overrides, desk_binding_ids(), other_ids=MONITOR_BINDING_IDS)


def check_monitor_keymap(overrides: Mapping[str, object]) -> tuple[dict[str, str], list[str]]:
    """`check_keymap` for the supervisor monitor (the desk's ids are skipped)."""
    return check_keymap(overrides, MONITOR_BINDING_IDS, other_ids=desk_binding_ids())


@lru_cache(maxsize=1)
def key_names() -> frozenset[str]:
    """The key names (without modifiers) Textual can report: named keys
    (f1-f24, escape, enter, pageup, ...) and the names of printable ASCII
    characters (slash, question_mark, comma, ...)."""
    from textual.keys import KEY_ALIASES, Keys

    from agentdesk.ui.textual_compat import character_to_key, functional_key_names

    names: set[str] = set()
    for value in [k.value for k in Keys] + [a for v in KEY_ALIASES.values() for a in v]:
        if not value.startswith("<") and value != "ctrl-at":
            names.add(value.rpartition("+")[2])
    names.update(character_to_key(chr(c)) for c in range(32, 127))
    # keys only the kitty keyboard protocol reports (f25-f35, menu, media keys)
    names.update(functional_key_names())
    names.discard("")
    return frozenset(names)


def _check_key(key: str) -> tuple[str | None, str]:
    """(the key as Textual names it, "") or (None, what is wrong with it)."""
    from agentdesk.ui.textual_compat import character_to_key

    if not key:
        return None, "an empty key (two commas, or a comma at the end?)"
    *mods, name = key.split("+")
    if not name:
        return None, f"{key!r} has no key after '+' (the plus key is written 'plus')"
    seen: list[str] = []
    for mod in mods:
        mod = _KEY_NAME_ALIASES.get(mod.strip().lower(), mod.strip().lower())
        if mod not in MODIFIERS:
            return None, (f"{key!r}: unknown modifier {mod!r} "
                          f"(modifiers are {', '.join(MODIFIERS)})")
        if mod not in seen:
            seen.append(mod)
    name = name.strip()
    if len(name) == 1:
        if not name.isprintable() or name.isspace():
            return None, f"{key!r} is not a key"
        # Textual names punctuation ('/' is 'slash'), with or without modifiers.
        if not name.isalnum():
            name = character_to_key(name)
    else:
        lowered = name.lower()
        lowered = _KEY_NAME_ALIASES.get(lowered, lowered)
        if lowered not in key_names():
            if lowered in MODIFIERS:
                return None, f"{key!r} is a modifier without a key"
            import difflib  # only for a bad entry: keep it off the start-up path

            close = difflib.get_close_matches(lowered, sorted(key_names()), n=1, cutoff=0.75)
            hint = f", did you mean {close[0]}?" if close else \
                "; keys look like f2, ctrl+a, alt+shift+left, escape, pageup, slash"
            return None, f"{key!r} is not a key Textual knows{hint}"
        name = lowered
    return "+".join(sorted(seen) + [name]), ""


def check_keys(value: object) -> tuple[str | None, str]:
    """A `[keymap]` value: ("key1,key2" as Textual names them, "") or
    (None, what is wrong)."""
    if not isinstance(value, str):
        return None, f"expected a string of keys, got {type(value).__name__} {value!r}"
    if not value.strip():
        return None, "no keys given"
    keys: list[str] = []
    for part in value.split(","):
        key, problem = _check_key(part.strip())
        if key is None:
            return None, problem
        if key not in keys:
            keys.append(key)
    return ",".join(keys), ""


def _close_id(binding_id: str, known: list[str]) -> str | None:
    """The known id the user probably meant: a near spelling, or the same
    words in another order ("accept-offer" -> "offer-accept")."""
    import difflib  # only for a bad entry: keep it off the start-up path

    wanted = binding_id.strip().lower().replace("_", "-")
    close = difflib.get_close_matches(wanted, known, n=1, cutoff=0.6)
    if close:
        return close[0]
    words = sorted(wanted.split("-"))
    for candidate in known:
        if sorted(candidate.split("-")) == words:
            return candidate
    return None


def check_keymap(overrides: Mapping[str, object], known_ids: Iterable[str],
                 other_ids: Iterable[str] = ()) -> tuple[dict[str, str], list[str]]:
    """Split the user's `[keymap]` into the entries that can be applied (keys
    spelled as Textual names them: "F2, ctrl+/" -> "f2,ctrl+slash") and one
    problem line per bad entry, "keymap.<id>: <what is wrong> (...)". A bad
    entry is left out, so its binding keeps its default keys; nothing raises.
    Entries for `other_ids` (the other app's bindings: desk and monitor share
    the table) are left out silently.

        check_keymap(settings.keymap, desk_binding_ids(), MONITOR_BINDING_IDS)
    """
    known = list(dict.fromkeys(known_ids))
    known_set = set(known)
    others = list(dict.fromkeys(i for i in other_ids if i not in known_set))
    valid: dict[str, str] = {}
    problems: list[str] = []
    for binding_id, value in overrides.items():
        if binding_id in others:
            continue
        if binding_id not in known_set:
            close = _close_id(str(binding_id), known + others)
            hint = (f"; did you mean {close}?" if close
                    else " (the ids are listed in docs/keymap.md)")
            problems.append(f"keymap.{binding_id}: unknown binding id, ignored{hint}")
            continue
        keys, problem = check_keys(value)
        if keys is None:
            problems.append(f"keymap.{binding_id}: {problem} (using the default keys)")
        else:
            valid[binding_id] = keys
    return valid, problems
