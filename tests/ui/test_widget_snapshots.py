"""Snapshots of the conversation widgets at 120x40 and 80x24 (UTC, frozen clock)."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest

sys.path[:0] = [str(Path(__file__).parent), str(Path(__file__).parents[1] / "data")]

from widget_scenes import SCENES  # noqa: E402

SIZES = [(120, 40), (80, 24)]


@pytest.mark.parametrize("size", SIZES, ids=lambda s: f"{s[0]}x{s[1]}")
@pytest.mark.parametrize("scene", sorted(SCENES))
def test_widget_snapshot(snap_compare, scene: str, size: tuple[int, int]) -> None:
    async def settle(pilot) -> None:
        await pilot.pause()
        await pilot.pause()

    assert snap_compare(SCENES[scene](), terminal_size=size, run_before=settle)
