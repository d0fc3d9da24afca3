"""Issue 14 item 13: toasts never cover the composer (the rack sits top right)."""

from __future__ import annotations

import pytest
from textual.widgets._toast import Toast


@pytest.mark.parametrize("size", [(80, 24), (120, 40)])
async def test_toasts_leave_the_composer_free(desk_factory, size):
    async with desk_factory(size=size) as desk:
        iid = await desk.accepted("chat", text="hi")
        for n in range(3):
            desk.screen.notify(f"something happened {n}", title="Heads up", timeout=30)
        await desk.until(lambda: len(desk.app.screen.query(Toast)) == 3, what="toasts shown")
        await desk.settle()
        composer = desk.screen.views[iid].composer.region
        for toast in desk.app.screen.query(Toast):
            assert not toast.region.overlaps(composer), (toast.region, composer)
