"""Timeline: virtualisation, paging, pinning, delivery states, hostile text."""

from __future__ import annotations

import sys
from pathlib import Path

sys.path[:0] = [str(Path(__file__).parent), str(Path(__file__).parents[1] / "data")]

from hostile import HOSTILE  # noqa: E402
from textual import events  # noqa: E402
from widget_data import T0, chat_scene, history, item  # noqa: E402
from widget_harness import UTC, WidgetApp  # noqa: E402

from agentdesk.domain.models import Channel, TimelineKind  # noqa: E402
from agentdesk.ui.widgets.timeline import Timeline  # noqa: E402

KINDS = [TimelineKind.NOTE, TimelineKind.MESSAGE, TimelineKind.CALL, TimelineKind.TRANSCRIPT,
         TimelineKind.SYSTEM]


def screen_text(timeline: Timeline) -> str:
    return "\n".join(timeline.render_line(y).text for y in range(timeline.scrollable_content_region.height))


def posted(messages: list, kind: type) -> list:
    """Messages of `kind`, once each (the hook sees a message at every hop as it bubbles)."""
    seen: dict[int, object] = {}
    for message in messages:
        if isinstance(message, kind):
            seen.setdefault(id(message), message)
    return list(seen.values())


def anchor_item(timeline: Timeline) -> tuple[str, int]:
    """The item id at the top of the viewport and the line offset into it."""
    anchor = timeline._anchor()
    assert anchor is not None
    return timeline.items[anchor.index].id, anchor.offset


async def mounted(size=(100, 30)):
    app = WidgetApp(lambda: Timeline(tz=UTC))
    messages: list = []
    return app, messages, app.run_test(size=size, message_hook=messages.append)


async def test_set_items_shows_newest_and_renders_kinds() -> None:
    app, _, ctx = await mounted()
    async with ctx as pilot:
        timeline = app.query_one(Timeline)
        timeline.set_items(chat_scene(), has_more=False)
        await pilot.pause()
        assert timeline.pinned
        assert timeline.scroll_offset.y == timeline.max_scroll_y
        text = screen_text(timeline)
        assert "── Mon 2 Mar 2026 ──" in text
        assert "── Sun 1 Mar 2026 ──" in text
        assert "NOTE" in text and "Depot confirms it is lost" in text
        assert "customer: Hi, I am calling about my parcel again." in text  # transcript
        assert "Call ended after 03:12" in text  # compact call event
        assert "Parcel 4411 still not delivered" in text  # email subject
        assert "· int-9" in text  # the interaction changed


async def test_prepend_keeps_the_viewport_on_the_same_item_and_loads_once() -> None:
    app, messages, ctx = await mounted()
    async with ctx as pilot:
        timeline = app.query_one(Timeline)
        timeline.focus()
        timeline.set_items(history(60, start=100), has_more=True)
        await pilot.pause()
        await pilot.press("home")
        await pilot.pause()
        await pilot.press("down", "up", "down", "up")
        await pilot.pause()
        loads = posted(messages, Timeline.LoadOlder)
        assert [m.before_id for m in loads] == ["t100"]  # once per page, not per scroll tick
        await pilot.press("down", "down", "down")
        before_item, _ = anchor_item(timeline)
        before_lines = screen_text(timeline).splitlines()
        timeline.prepend_items(history(100, start=0), has_more=True)
        await pilot.pause()
        # Same item on top and the same lines on screen (t100 lost its day separator,
        # which was above the viewport).
        assert anchor_item(timeline)[0] == before_item
        assert screen_text(timeline).splitlines()[:20] == before_lines[:20]
        assert timeline.items[0].id == "t0" and len(timeline.items) == 160
        # The next page may be requested again once the agent reaches the top.
        await pilot.press("home")
        await pilot.pause()
        loads = posted(messages, Timeline.LoadOlder)
        assert [m.before_id for m in loads] == ["t100", "t0"]


async def test_append_when_pinned_follows_the_bottom() -> None:
    app, _, ctx = await mounted()
    async with ctx as pilot:
        timeline = app.query_one(Timeline)
        timeline.set_items(history(50), has_more=False)
        await pilot.pause()
        timeline.append_items([item(50), item(51), item(50)])  # duplicate id is dropped
        await pilot.pause()
        assert len(timeline.items) == 52
        assert timeline.pinned and timeline.new_count == 0
        assert timeline.scroll_offset.y == timeline.max_scroll_y
        assert "Message number 51" in screen_text(timeline)


async def test_append_when_reading_above_does_not_move_and_counts_new() -> None:
    app, _, ctx = await mounted()
    async with ctx as pilot:
        timeline = app.query_one(Timeline)
        timeline.focus()
        timeline.set_items(history(50), has_more=False)
        await pilot.pause()
        await pilot.press("pageup", "pageup")
        await pilot.pause()
        position = timeline.scroll_offset.y
        top = anchor_item(timeline)
        timeline.append_items([item(50), item(51), item(52)])
        await pilot.pause()
        assert not timeline.pinned
        assert timeline.scroll_offset.y == position and anchor_item(timeline) == top
        assert timeline.new_count == 3
        assert "↓ 3 new" in screen_text(timeline)
        await pilot.press("end")
        await pilot.pause()
        assert timeline.pinned and timeline.new_count == 0
        assert "Message number 52" in screen_text(timeline)


async def test_fifty_thousand_items_render_only_what_is_visible() -> None:
    app, _, ctx = await mounted(size=(120, 40))
    async with ctx as pilot:
        timeline = app.query_one(Timeline)
        timeline.focus()
        timeline.set_items(history(50_000), has_more=False)
        await pilot.pause()
        assert timeline.render_count < 60, timeline.render_count
        for _ in range(10):
            await pilot.press("pageup")
        await pilot.press("home")
        await pilot.pause()
        # ~20 items a page (3 lines each, 40 rows): 12 pages, never 50,000.
        assert timeline.render_count < 400, timeline.render_count
        assert len(timeline._cache) <= 1024
        assert "Message number 0 " in screen_text(timeline)
        await pilot.press("end")
        await pilot.pause()
        assert "Message number 49999" in screen_text(timeline)


async def test_resize_rewraps_long_bodies() -> None:
    app, _, ctx = await mounted(size=(120, 30))
    async with ctx as pilot:
        timeline = app.query_one(Timeline)
        long_body = "word " * 60
        timeline.set_items([item(0, body=long_body), item(1)], has_more=False)
        await pilot.pause()
        wide = timeline.virtual_size.height
        await pilot.resize_terminal(60, 30)
        await pilot.pause()
        assert timeline.virtual_size.height > wide
        assert all(timeline.render_line(y).cell_length == timeline.scrollable_content_region.width
                   for y in range(5))


async def test_pending_delivery_retry_and_echo() -> None:
    app, messages, ctx = await mounted()
    async with ctx as pilot:
        timeline = app.query_one(Timeline)
        timeline.focus()
        timeline.set_items(history(5), has_more=False)
        timeline.add_pending("cid-9", "int-1", "On my way!", "reply", Channel.CHAT, "Bob (agent)", T0 + 600)
        await pilot.pause()
        assert "◷ queued" in screen_text(timeline)
        timeline.set_delivery("cid-9", "failed", "timeout [/")
        await pilot.pause()
        assert "✗ failed: timeout [/ — press r to retry" in screen_text(timeline)
        await pilot.press("r")
        await pilot.pause()
        assert [m.client_id for m in posted(messages, Timeline.RetryRequested)] == ["cid-9"]
        echo = item(99, body="On my way!", client_id="cid-9", at=T0 + 601)
        timeline.append_items([echo])
        await pilot.pause()
        assert len(timeline.items) == 6 and timeline.items[-1].id == "t99"
        timeline.set_delivery("cid-9", "sent")
        await pilot.pause()
        assert "✓ sent" in screen_text(timeline)


async def test_update_item_replaces_the_body() -> None:
    app, _, ctx = await mounted()
    async with ctx as pilot:
        timeline = app.query_one(Timeline)
        timeline.set_items(history(5), has_more=False)
        await pilot.pause()
        timeline.update_item(item(4, body="Edited text\nwith two lines"))
        await pilot.pause()
        text = screen_text(timeline)
        assert "Edited text" in text and "with two lines" in text


async def test_hostile_strings_render_literally_and_clicks_do_nothing() -> None:
    app, _, ctx = await mounted(size=(100, 40))
    async with ctx as pilot:
        timeline = app.query_one(Timeline)
        items = [
            item(i, body=text, author=text[:40] or "x", subject=text[:80],
                 kind=KINDS[i % len(KINDS)], speaker=text[:30])
            for i, text in enumerate(HOSTILE)
        ]
        timeline.set_items(items, has_more=True)
        await pilot.pause()
        timeline.set_delivery("nope", "failed", "[/")
        await pilot.press("home")
        for y in range(1, 40, 4):
            await pilot.click(Timeline, offset=(8 + y, y))
        await pilot.press("home")
        await pilot.pause()
        assert "[@click=app.quit]click[/]" in screen_text(timeline)
        assert app.actions_fired == []
        assert app.is_running


async def test_items_set_before_mount_and_echo_before_pending() -> None:
    def build() -> Timeline:
        timeline = Timeline(tz=UTC)
        timeline.set_items(history(30), has_more=False)  # the shell may fill it before mounting
        return timeline

    app = WidgetApp(build)
    async with app.run_test(size=(100, 30)) as pilot:
        timeline = app.query_one(Timeline)
        await pilot.pause()
        assert timeline.pinned and "Message number 29" in screen_text(timeline)
        timeline.append_items([item(30, client_id="cid-1")])
        timeline.add_pending("cid-1", "int-7", "late", "reply", Channel.CHAT, "Bob", T0)
        await pilot.pause()
        assert len(timeline.items) == 31  # the echo arrived first: no duplicate


async def test_set_items_keeps_unechoed_pending_messages() -> None:
    app, _, ctx = await mounted()
    async with ctx as pilot:
        timeline = app.query_one(Timeline)
        timeline.set_items(history(3), has_more=False)
        timeline.add_pending("cid-a", "int-0", "first", "reply", Channel.CHAT, "Bob", T0 + 500)
        timeline.add_pending("cid-b", "int-0", "second", "note", Channel.CHAT, "Bob", T0 + 501)
        timeline.set_items([*history(3), item(3, client_id="cid-a")], has_more=False)  # a resync
        await pilot.pause()
        assert [i.id for i in timeline.items] == ["t0", "t1", "t2", "t3", "pending:cid-b"]
        timeline.append_items([item(4, client_id="cid-b")])
        assert [i.id for i in timeline.items][-1] == "t4" and len(timeline.items) == 5


async def test_programmatic_and_wheel_scrolls_load_older_once_and_repin() -> None:
    app, messages, ctx = await mounted()
    async with ctx as pilot:
        timeline = app.query_one(Timeline)
        timeline.set_items(history(80, start=100), has_more=True)
        await pilot.pause()
        timeline.scroll_to(y=2, animate=False)
        await pilot.pause()
        timeline.scroll_to(y=1, animate=False)
        timeline.scroll_to(y=0, animate=False)
        await pilot.pause()
        assert [m.before_id for m in posted(messages, Timeline.LoadOlder)] == ["t100"]
        assert not timeline.pinned
        for _ in range(3):  # wheel events go through the same scroll_y watcher
            timeline.post_message(events.MouseScrollDown(timeline, 5, 5, 0, 1, 0, False, False, False))
        await pilot.pause()
        assert timeline.scroll_offset.y > 0
        timeline.scroll_end(animate=False, immediate=True)
        await pilot.pause()
        assert timeline.pinned


async def test_a_long_cc_line_does_not_hide_the_delivery_state() -> None:
    """Issue 14 item 12: the header is one line; the state must come before the cc."""
    app, messages, ctx = await mounted(size=(80, 20))
    async with ctx as pilot:
        timeline = app.query_one(Timeline)
        cc = [f"colleague{n}@brightline-energy.example" for n in range(4)]
        sent = item(1, channel=Channel.EMAIL, body="Your refund is on its way.", cc=cc,
                    client_id="cid-mail", author="Bob (agent)")
        timeline.set_items([sent], has_more=False)
        timeline.set_delivery("cid-mail", "failed", "refused")
        await pilot.pause()
        assert "✗ failed" in screen_text(timeline)
