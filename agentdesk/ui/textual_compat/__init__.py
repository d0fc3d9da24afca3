"""Every private Textual name agentdesk touches, in one guarded place.

Textual's public API does not cover a few things the desk needs (see each
function for why). Each touch lives here, with a fallback that keeps the app
working (perhaps slower, or without a workaround) if a Textual release moves
the name. `missing()` lists the names this Textual no longer has;
tests/ui/test_textual_compat.py fails on any, so an upgrade is caught by the
test suite instead of by an ImportError at a user's start-up. The version is
also pinned below 9 in pyproject.toml.

Overrides of private hooks cannot be wrapped and are listed in `OVERRIDES`;
the same test checks that the hooks still exist.
"""

from __future__ import annotations

import importlib
from collections.abc import Iterable, Mapping
from typing import TYPE_CHECKING, Any

# The frame timer and the cropped compositor are modules of their own (one job each).
from agentdesk.ui.textual_compat.cropped_compositor import CroppedCompositor, crop_partial_frames
from agentdesk.ui.textual_compat.frame_timer import (
    FrameTimedScreen,
    FrameTimer,
    frame_timer_compatible,
    frame_timer_for,
    swap_in,
)

if TYPE_CHECKING:
    from textual.app import App
    from textual.geometry import Size
    from textual.widget import Widget

# (module, attribute) of every private name used through this module.
PRIVATE_NAMES: tuple[tuple[str, str], ...] = (
    ("textual.keys", "_character_to_key"),
    ("textual._keyboard_protocol", "FUNCTIONAL_KEYS"),
    ("textual._ansi_sequences", "ANSI_SEQUENCES_KEYS"),
    ("textual._context", "active_app"),
    ("textual.app", "App._keymap"),
    ("textual.app", "App._refresh_truecolor_filter"),
    ("textual._doc", "take_svg_screenshot"),
    ("textual.app", "App._notifications"),
    ("textual.app", "App._unnotify"),
    ("textual.app", "App._refresh_notifications"),
    ("textual.scroll_view", "ScrollView._scroll_update"),
    ("textual.timer", "Timer._run"),
    ("textual.timer", "Timer._run_timer"),
    ("textual.timer", "Timer._tick"),
    ("textual.timer", "Timer._active"),
    ("textual.timer", "Timer._interval"),
    ("textual.timer", "Timer._repeat"),
    ("textual.timer", "Timer._skip"),
    ("textual.timer", "Timer._reset"),
    ("textual._time", "get_time"),
    ("textual._time", "sleep"),
    ("textual.widgets", "DataTable._data"),
    ("textual.widgets", "DataTable._cell_render_cache"),
    ("textual.widgets", "DataTable._row_render_cache"),
    ("textual.widgets", "DataTable._row_renderable_cache"),
    ("textual.widgets", "DataTable._line_cache"),
    ("textual.widgets", "DataTable._row_locations"),
    ("textual.widgets", "DataTable._column_locations"),
    ("textual.widgets", "DataTable._update_count"),
    ("textual.screen", "Screen._compositor"),
    ("textual._compositor", "Compositor._get_renders"),
    ("textual._compositor", "Compositor._regions_to_spans"),
    ("textual._compositor", "Compositor._dirty_regions"),
)

# Private hooks our classes override (cannot be guarded, only checked).
OVERRIDES: tuple[tuple[str, str, str], ...] = (
    # The composer reads keys before TextArea inserts them: alt+key bindings
    # must not type their letter, and newline/send keys are the desk's.
    ("agentdesk.ui.widgets.composer.composer_text_area", "textual.widgets", "TextArea._on_key"),
    # The desk's frame timer (`frame_timer.frame_timer_for`).
    ("agentdesk.ui.textual_compat.frame_timer", "textual.screen", "Screen._update_timer"),
    # Partial frames rendered on the changed lines only (`cropped_compositor.CroppedCompositor`).
    ("agentdesk.ui.textual_compat.cropped_compositor", "textual._compositor", "Compositor._get_renders"),
)


def _resolve(module: str, dotted: str) -> Any:
    obj: Any = importlib.import_module(module)
    for part in dotted.split("."):
        obj = getattr(obj, part)
    return obj


def _has(module: str, dotted: str) -> bool:
    try:
        _resolve(module, dotted)
    except (ImportError, AttributeError):
        if dotted.startswith(("App._keymap", "App._notifications", "DataTable._", "Timer._",
                              "Screen._compositor", "Compositor._")):
            return _instance_attribute(module, dotted)
        return False
    return True


def _instance_attribute(module: str, dotted: str) -> bool:
    # Set in __init__, not on the class: look for the assignment in the source.
    import inspect
    import re

    cls_name, attr = dotted.split(".", 1)
    try:
        cls = _resolve(module, cls_name)
        return re.search(rf"self\.{re.escape(attr)}\s*[:=]", inspect.getsource(cls.__init__)) is not None
    except (ImportError, AttributeError, OSError, TypeError):
        return False


def missing() -> list[str]:
    """The private names (and overridden hooks) this Textual no longer has."""
    gone = [f"{m}.{d}" for m, d in PRIVATE_NAMES if not _has(m, d)]
    gone += [f"{m}.{d}" for _, m, d in OVERRIDES if not _has(m, d)]
    return gone


# --- keys --------------------------------------------------------------------------


def character_to_key(character: str) -> str:
    """Textual's name for a printable character ('/' -> 'slash'), as bindings use it.
    Fallback: the Unicode name, as Textual derives it."""
    try:
        from textual.keys import _character_to_key
    except ImportError:
        import unicodedata

        if character.isalnum():
            return character
        return unicodedata.name(character, character).lower().replace("-", "_").replace(" ", "_")
    return str(_character_to_key(character))


def functional_key_names() -> Iterable[str]:
    """Keys only the kitty keyboard protocol reports (f25-f35, media keys), so a
    keymap may name them. Fallback: none (such a keymap entry is reported)."""
    try:
        from textual._keyboard_protocol import FUNCTIONAL_KEYS
    except ImportError:
        return ()
    return list(FUNCTIONAL_KEYS.values())


def ansi_sequences_table() -> dict[str, Any] | None:
    """Textual's terminal key table (ui/terminal_keys.py adds ESC+digit and
    ESC+letter to it as alt+key). None if it moved: the workaround is skipped."""
    try:
        from textual._ansi_sequences import ANSI_SEQUENCES_KEYS
    except ImportError:
        return None
    return ANSI_SEQUENCES_KEYS if isinstance(ANSI_SEQUENCES_KEYS, dict) else None


# --- the running app -------------------------------------------------------------------


def active_app() -> App[Any] | None:
    """The app running in this context (helpers that label keys need it without
    being widgets). None outside an app, or if Textual moved the context var."""
    try:
        from textual._context import active_app as var
    except ImportError:
        return None
    try:
        return var.get()
    except LookupError:
        return None


def app_keymap(app: object) -> Mapping[str, str]:
    """What `App.set_keymap` stored (binding id -> keys, normalised). Textual has no
    public getter; labels show the user's keys from it. Fallback: no remapping."""
    keymap = getattr(app, "_keymap", None)
    return keymap if isinstance(keymap, Mapping) else {}


def refresh_truecolor_filter(app: App[Any]) -> None:
    """Re-derive the ANSI colour filter after the theme was set without the CSS
    re-parse (ui/themes.set_initial_theme). Fallback: Textual does it on its next
    theme change."""
    refresh = getattr(app, "_refresh_truecolor_filter", None)
    if refresh is not None:
        refresh(app.ansi_theme)


def scroll_update(widget: Widget, size: Size) -> None:
    """Apply a ScrollView's new virtual size without a layout pass of the whole
    screen (the timeline grows on every message). Fallback: the public setter,
    which lays the screen out."""
    update = getattr(widget, "_scroll_update", None)
    if update is None:
        widget.virtual_size = size
    else:
        update(size)


_TABLE_INTERNALS = ("_data", "_cell_render_cache", "_row_render_cache", "_line_cache",
                    "_row_renderable_cache", "_row_locations", "_column_locations", "_update_count")


def set_cells_in_place(table: Any, updates: list[tuple[str, str, Any]]) -> bool:
    """Store new DataTable cell values and drop only the cached renders of those
    cells and rows (`update_cell` bumps a table-wide counter that re-renders
    every visible cell: ui/monitor/live_table.py). False, with nothing changed,
    when this Textual's DataTable is not shaped as expected: the caller then
    uses `update_cell`."""
    from textual.widgets.data_table import ColumnKey, RowKey

    if not all(hasattr(table, name) for name in _TABLE_INTERNALS):
        return False
    cells: set[tuple[Any, Any]] = set()
    rows: set[Any] = set()
    for row, column, value in updates:
        row_key, column_key = RowKey(row), ColumnKey(column)
        if row_key not in table._row_locations or column_key not in table._column_locations:
            table.update_cell(row, column, value)  # raises CellDoesNotExist
            continue
        table._data[row_key][column_key] = value
        cells.add((row_key, column_key))
        rows.add(row_key)
    try:
        cell_cache = table._cell_render_cache
        # Textual's LRUCache is not a dict: iterating it does not give its keys.
        for key in [k for k in list(cell_cache.keys()) if (k[0], k[1]) in cells]:
            cell_cache.discard(key)
        row_cache = table._row_render_cache
        for key in [k for k in list(row_cache.keys()) if k[0] in rows]:
            row_cache.discard(key)
        indexes = {table._row_locations.get(r) for r in rows}
        renderables = table._row_renderable_cache
        for key in [k for k in list(renderables.keys()) if k[1] in indexes]:
            renderables.discard(key)
        table._line_cache.clear()
    except Exception:  # cache keys shaped otherwise: the table-wide repaint
        table._update_count += 1
        table.refresh()
        return True
    # Only the changed rows' lines are repainted (the rest of the table is not
    # rendered again: under a busy floor that was every visible row per flush).
    for index in indexes:
        if index is None:
            table.refresh()
            break
        table.refresh_row(index)
    return True


def take_svg_screenshot(**kwargs: Any) -> str:
    """Textual's own screenshot helper (its docs use it); only screenshots and
    snapshot scenes call it, never the running app."""
    from textual._doc import take_svg_screenshot as take

    return str(take(**kwargs))


def keep_newest_toasts(app: App[Any], keep: int) -> None:
    """Drop the oldest toasts beyond `keep`: Textual stacks every live toast and
    has no public cap, so a burst would reach down over the composer. Fallback:
    every toast stays (they still expire on their own)."""
    notifications = getattr(app, "_notifications", None)
    unnotify = getattr(app, "_unnotify", None)
    if notifications is None or unnotify is None:
        return
    live = list(notifications)
    for notification in live[: max(0, len(live) - keep)]:
        unnotify(notification, refresh=False)
    refresh = getattr(app, "_refresh_notifications", None)
    if len(live) > keep and refresh is not None:
        refresh()


__all__ = [
    "CroppedCompositor", "FrameTimedScreen", "FrameTimer", "OVERRIDES", "PRIVATE_NAMES", "active_app",
    "ansi_sequences_table", "app_keymap", "character_to_key", "crop_partial_frames",
    "frame_timer_compatible", "frame_timer_for", "functional_key_names", "keep_newest_toasts",
    "missing", "refresh_truecolor_filter", "scroll_update", "set_cells_in_place", "swap_in",
    "take_svg_screenshot",
]
