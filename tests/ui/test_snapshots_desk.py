"""Snapshots of every desk screen and modal at 120x40 and 80x24.

Scenes come from `agentdesk.ui.screenshots` (a fresh seeded, manual-clock
server per scene; the app clock is frozen at the server's clock; timestamps in
UTC). Update with `pytest tests/ui/test_snapshots_desk.py --snapshot-update`
and look at the report before committing.
"""

from __future__ import annotations

import pytest

from agentdesk.ui.screenshots import SCENES, run_before, scene_app

SIZES = [(120, 40), (80, 24)]


@pytest.mark.parametrize("size", SIZES, ids=lambda s: f"{s[0]}x{s[1]}")
@pytest.mark.parametrize("scene", sorted(SCENES))
def test_desk_snapshot(snap_compare, scene, size, tmp_path):
    with scene_app(tmp_path) as (app, state):
        assert snap_compare(app, run_before=run_before(state, SCENES[scene]), terminal_size=size)
