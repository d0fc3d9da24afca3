"""Partial frames that render only the lines that changed.

For a partial frame Textual 8.2 takes the rectangle around every changed
region, then renders *every widget overlapping that rectangle at its full
height* and keeps only the changed lines. A one-line change in the tab row
plus one in the composer re-rendered the whole screen (the screen, every
container, both side panels: 40 lines each) for the 2-3 lines written.
`CroppedCompositor` renders each widget only on the changed lines it covers
(at its full visible width, so every strip still starts on its cut); the
terminal receives the same bytes. `crop_partial_frames(screen)` swaps the
class of the screen's compositor; a Textual whose compositor changed shape
keeps its own (slower) one.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

try:
    from textual._compositor import Compositor as _Compositor
    from textual.geometry import Region as _Region
except ImportError:  # pragma: no cover - a Textual without them: the stock compositor
    _Compositor = None  # type: ignore[assignment,misc]


def _changed_rows(spans: Iterable[tuple[int, int, int]]) -> list[tuple[int, int, int, int]]:
    """Spans (y, x1, x2) as rectangles (x1, x2, y1, y2 exclusive): consecutive lines
    with the same span become one rectangle."""
    open_rects: dict[tuple[int, int], list[int]] = {}
    done: list[tuple[int, int, int, int]] = []
    for y, x1, x2 in spans:
        rect = open_rects.get((x1, x2))
        if rect is not None and rect[1] == y:
            rect[1] = y + 1
            continue
        if rect is not None:
            done.append((x1, x2, rect[0], rect[1]))
        open_rects[(x1, x2)] = [y, y + 1]
    done.extend((x1, x2, y1, y2) for (x1, x2), (y1, y2) in open_rects.items())
    return done


if _Compositor is not None:

    class CroppedCompositor(_Compositor):
        """Textual's compositor whose partial frames render only the changed lines."""

        _changed: list[tuple[int, int, int, int]] | None = None

        def render_partial_update(self) -> Any:
            if not self._dirty_regions:
                return super().render_partial_update()
            self._changed = _changed_rows(self._regions_to_spans(self._dirty_regions))
            try:
                return super().render_partial_update()
            finally:
                self._changed = None

        def _get_renders(self, crop: Any = None) -> Any:
            changed = self._changed
            if crop is None or changed is None:
                yield from super()._get_renders(crop)
                return
            for widget, (region, clip) in self.visible_widgets.items():
                vx, vy, vw, vh = region.intersection(clip)
                if not (vw and vh):
                    continue
                rows: list[tuple[int, int]] = []
                for x1, x2, y1, y2 in changed:
                    top, bottom = max(y1, vy), min(y2, vy + vh)
                    if top < bottom and x1 < vx + vw and vx < x2:
                        rows.append((top, bottom))
                for top, bottom in _merged(rows):
                    part = _Region(vx, top, vw, bottom - top)
                    yield region, part, widget.render_lines(
                        _Region(vx - region.x, top - region.y, vw, bottom - top))


def _merged(rows: list[tuple[int, int]]) -> list[tuple[int, int]]:
    merged: list[tuple[int, int]] = []
    for top, bottom in sorted(rows):
        if merged and top <= merged[-1][1]:
            merged[-1] = (merged[-1][0], max(merged[-1][1], bottom))
        else:
            merged.append((top, bottom))
    return merged


def crop_partial_frames(screen: Any) -> None:
    """Make `screen`'s compositor a `CroppedCompositor` (see above)."""
    compositor = getattr(screen, "_compositor", None)
    if _Compositor is not None and type(compositor) is _Compositor and all(
        hasattr(compositor, name) for name in ("_get_renders", "_regions_to_spans", "_dirty_regions",
                                                "visible_widgets", "render_partial_update")):
        compositor.__class__ = CroppedCompositor
