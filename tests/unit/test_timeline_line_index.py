"""The timeline's pure line index (Fenwick tree of item heights) and its anchor maths."""

import random
import subprocess
import sys

from agentdesk.ui.widgets.timeline.line_index import Anchor, LineIndex


def _item_at(heights: list[int], line: int) -> int:
    acc = 0
    for index, height in enumerate(heights):
        if acc + height > line:
            return index
        acc += height
    return len(heights) - 1


def test_matches_a_plain_list_through_random_appends_prepends_and_measures() -> None:
    rng = random.Random(7)
    for _ in range(60):
        lines = LineIndex(rng.randint(0, 30), 3)
        heights = [3] * len(lines)
        for _ in range(80):
            roll = rng.random()
            if roll < 0.3:
                h = rng.randint(1, 6)
                lines.append(h)
                heights.append(h)
            elif roll < 0.5:
                count = rng.randint(1, 120)  # sometimes past the free room in front
                lines.prepend(count, 2)
                heights[:0] = [2] * count
            elif heights:
                index = rng.randrange(len(heights))
                h = rng.randint(1, 9)
                assert lines.set_height(index, h) == h - heights[index]
                heights[index] = h
                assert lines.is_exact(index)
            assert len(lines) == len(heights) and lines.total == sum(heights)
            if heights:
                index = rng.randrange(len(heights))
                assert lines.start(index) == sum(heights[:index])
                assert lines.end(index) == sum(heights[:index + 1])
                assert lines.height(index) == heights[index]
                line = rng.randrange(sum(heights))
                assert lines.item_at(line) == _item_at(heights, line)


def test_item_at_clamps_outside_the_content() -> None:
    lines = LineIndex(4, 3)
    assert lines.item_at(-5) == 0
    assert lines.item_at(12) == 3 and lines.item_at(10_000) == 3
    assert LineIndex().item_at(3) == 0


def test_new_items_are_estimates_until_measured() -> None:
    lines = LineIndex(2, 3)
    lines.append(3)
    lines.prepend(2, 3)
    assert not any(lines.is_exact(i) for i in range(5))
    lines.set_height(1, 4)
    lines.mark_estimated(1)
    assert not lines.is_exact(1) and lines.height(1) == 4


def test_anchor_survives_a_prepended_page() -> None:
    """The top of the viewport shows line 2 of item 10; after a page of 50 is
    prepended (and some of it measured), the same anchor shifted by the page maps
    to the same item and offset."""
    lines = LineIndex(100, 3)
    for i in range(0, 100, 3):
        lines.set_height(i, 5)
    top = lines.start(10) + 2
    anchor = lines.anchor(top)
    assert anchor == Anchor(10, 2)
    lines.prepend(50, 3)
    for i in range(0, 50, 7):
        lines.set_height(i, 1)
    moved = Anchor(anchor.index + 50, anchor.offset)
    new_top = lines.line_of(moved)
    assert lines.anchor(new_top) == moved
    assert new_top - lines.start(50) == top  # the old content sits below the new page


def test_anchor_offset_is_lines_into_the_item() -> None:
    lines = LineIndex(3, 4)
    assert lines.anchor(0) == Anchor(0, 0)
    assert lines.anchor(6) == Anchor(1, 2)
    assert lines.line_of(Anchor(2, 3)) == 11


def test_pure_modules_import_without_textual_or_pydantic() -> None:
    code = ("import sys\n"
            "import agentdesk.ui.widgets.timeline.line_index, agentdesk.ui.widgets.timeline.model\n"
            "bad = [m for m in ('textual', 'pydantic') if m in sys.modules]\n"
            "assert not bad, bad\n")
    subprocess.run([sys.executable, "-c", code], check=True)
