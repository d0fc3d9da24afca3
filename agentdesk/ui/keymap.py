"""Every key binding of the desk, as data.

Screens take their `BINDINGS` from here so one place lists what each key does,
`python -m agentdesk.ui.keymap_doc` can write docs/keymap.md from it, and the
`id` of each binding is the name users remap in `keymap={id: keys}`.
"""

from __future__ import annotations

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
]

WORK_BINDINGS: list[Binding] = [
    Binding("f9", "wrapup", "Wrap-up", id="wrapup", key_display="F9", priority=True),
    Binding("ctrl+s", "send", "Send", id="composer-send", show=False),
    Binding("ctrl+k", "kb_search", "KB search", id="kb-search", show=False, priority=True),
    Binding("alt+s", "insert_suggestion", "Insert suggestion", id="suggestion-insert-top", show=False),
    Binding("ctrl+o", "open_link", "Open a link of this conversation…", id="open-link", show=False),
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
