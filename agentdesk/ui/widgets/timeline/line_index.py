"""Where each timeline item sits in lines: a Fenwick tree of item heights.

Pure (no Textual). Items are addressed by position (0 = oldest). Heights start
as estimates and become exact when an item is measured (`exact`). Every
question the view asks is O(log n): the first line of an item, the item at a
line, the anchor (item, lines into it) at the top of the viewport. Appending an
item is O(log n); prepending a page is O(page) plus, now and then, a rebuild
that doubles the free room in front (amortised O(1) per item), so paging back
through a long history costs the same per page however much is loaded.
"""

from __future__ import annotations

from dataclasses import dataclass

ESTIMATED_HEIGHT = 3  # header + one body line (+ the odd day separator) until measured


@dataclass(frozen=True)
class Anchor:
    """Which item the top of the viewport shows, and how many lines into it."""

    index: int
    offset: int


class LineIndex:
    def __init__(self, count: int = 0, height: int = 1) -> None:
        self.reset(count, height)

    # --- building -------------------------------------------------------------------

    def reset(self, count: int, height: int) -> None:
        """`count` items, each estimated at `height` lines."""
        self._rebuild([height] * count, bytearray(count), front=max(64, count // 2))

    def _rebuild(self, heights: list[int], exact: bytearray, front: int) -> None:
        self._front = front  # free slots before item 0
        self._count = len(heights)
        self._h = [0] * front + heights  # slot -> height (0-based slots)
        self._exact = bytearray(front) + exact
        tree = [0, *self._h]  # 1-based Fenwick tree, built in O(n)
        size = len(self._h)
        for i in range(1, size + 1):
            j = i + (i & -i)
            if j <= size:
                tree[j] += tree[i]
        self._tree = tree
        self._total = sum(heights)

    def append(self, height: int) -> None:
        """One more item at the end, O(log n)."""
        self._h.append(height)
        self._exact.append(0)
        tree = self._tree
        i = len(tree)  # the new 1-based slot
        # node i covers slots (i - lowbit(i), i]: the sum of those before it plus this one
        tree.append(self._prefix(i - 1) - self._prefix(i - (i & -i)) + height)
        self._count += 1
        self._total += height

    def prepend(self, count: int, height: int) -> None:
        """`count` items before the first, each estimated at `height` lines."""
        if count <= 0:
            return
        if count > self._front:
            heights = self._h[self._front:]
            exact = self._exact[self._front:]
            # Room for as many again as are loaded: the rebuilds double, so
            # their cost is amortised O(1) per item.
            self._rebuild(heights, exact, front=count + max(64, self._count + count))
        self._front -= count
        for slot in range(self._front, self._front + count):
            self._h[slot] = height
            self._exact[slot] = 0
            self._add(slot, height)
        self._count += count
        self._total += height * count

    # --- heights --------------------------------------------------------------------

    def __len__(self) -> int:
        return self._count

    @property
    def total(self) -> int:
        return self._total

    def height(self, index: int) -> int:
        return self._h[self._front + index]

    def is_exact(self, index: int) -> bool:
        return bool(self._exact[self._front + index])

    def set_height(self, index: int, height: int, exact: bool = True) -> int:
        """Set an item's height; returns the change."""
        slot = self._front + index
        delta = height - self._h[slot]
        self._exact[slot] = int(exact)
        if delta:
            self._h[slot] = height
            self._add(slot, delta)
            self._total += delta
        return delta

    def mark_estimated(self, index: int) -> None:
        self._exact[self._front + index] = 0

    # --- lines ----------------------------------------------------------------------

    def start(self, index: int) -> int:
        """First line of item `index` (lines before it)."""
        return self._prefix(self._front + index)

    def end(self, index: int) -> int:
        return self._prefix(self._front + index + 1)

    def item_at(self, line: int) -> int:
        """The item covering content line `line`, clamped to the items."""
        if self._count == 0:
            return 0
        tree = self._tree
        size = len(tree) - 1
        pos, rest = 0, max(0, line)
        step = 1 << size.bit_length()
        while step:  # the last slot whose prefix sum is <= line
            nxt = pos + step
            if nxt <= size and tree[nxt] <= rest:
                pos = nxt
                rest -= tree[nxt]
            step >>= 1
        return max(0, min(pos - self._front, self._count - 1))

    def anchor(self, line: int) -> Anchor:
        index = self.item_at(line)
        return Anchor(index, max(0, line - self.start(index)))

    def line_of(self, anchor: Anchor) -> int:
        return self.start(anchor.index) + anchor.offset

    # --- Fenwick internals ----------------------------------------------------------------

    def _add(self, slot: int, delta: int) -> None:
        tree = self._tree
        i, size = slot + 1, len(tree) - 1
        while i <= size:
            tree[i] += delta
            i += i & -i

    def _prefix(self, slots: int) -> int:
        """Sum of the first `slots` slots."""
        tree, total, i = self._tree, 0, slots
        while i > 0:
            total += tree[i]
            i -= i & -i
        return total
