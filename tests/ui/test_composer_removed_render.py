"""A composer text area that was removed while a dialog covered the desk is
still drawn from the desk's last layout (Textual lays out only the top screen;
tests/ui/test_desk_keys_never_lost.py hit it now and then). Textual clears a
removed widget's styles and TextArea's theme then raises: ours draws blank."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest

sys.path[:0] = [str(Path(__file__).parent)]

from textual.containers import Vertical  # noqa: E402
from textual.geometry import Region  # noqa: E402
from textual.widgets import TextArea  # noqa: E402
from widget_harness import WidgetApp  # noqa: E402

from agentdesk.ui.widgets.composer.composer_text_area import ComposerTextArea  # noqa: E402


async def render_removed(area: TextArea) -> list[str]:
    """Mount `area`, remove it, then draw it as a stale layout would (the app runs)."""
    app = WidgetApp(lambda: Vertical(area))
    async with app.run_test(size=(40, 6)) as pilot:
        await pilot.pause()
        assert area.render_lines(Region(0, 0, 10, 2))  # drawn while mounted
        await area.remove()
        return [line.text for line in area.render_lines(Region(0, 0, 10, 2))]


async def test_a_removed_composer_area_draws_blank_lines():
    assert await render_removed(ComposerTextArea(enter_sends=True)) == [" " * 10, " " * 10]


async def test_textuals_own_text_area_raises_there():
    """Why the guard exists: if Textual stops raising, it can go."""
    with pytest.raises(KeyError, match="text-area--gutter"):
        await render_removed(TextArea())
