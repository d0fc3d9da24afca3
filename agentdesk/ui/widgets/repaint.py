"""`show(static, content)`: update a one-line `Static` with a repaint only;
`show_block(static, content)`: update a `Static` of any height only when what
it shows changes.

`Static.update` asks for a layout pass by default, and a layout pass of the
desk re-renders the whole screen (every container, every visible line): under
200 events/s that was most of the UI loop's time (docs/benchmarks.md, "Under
load"). Most updates of a label keep its size (a clock ticking, a count
changing digit), so they need only a repaint. `show` skips an update whose
text is unchanged, and asks for a layout only when the text's width in cells
changes.
"""

from __future__ import annotations

from weakref import WeakKeyDictionary

from textual.content import Content
from textual.widgets import Static

_shown: WeakKeyDictionary[Static, Content] = WeakKeyDictionary()


def show(static: Static, content: Content | str) -> None:
    """Show `content` in `static`: nothing if it is already shown, a repaint if
    it has the same width, a layout pass only if its width changed."""
    if isinstance(content, str):
        content = Content(content)
    before = _shown.get(static)
    if before is not None and before == content and before.spans == content.spans:
        return
    _shown[static] = content
    static.update(content, layout=before is None or before.cell_length != content.cell_length)


def show_block(static: Static, content: Content) -> None:
    """Show `content` (any number of lines) in `static`: nothing if it is already
    shown, else an update with its layout pass (its height may change). For text
    redrawn on events that mostly leave it as it is (the desk's empty-state
    message follows every change of the agent)."""
    before = _shown.get(static)
    if before is not None and before == content and before.spans == content.spans:
        return
    _shown[static] = content
    static.update(content)
