"""Links in timeline messages: ctrl+o lists them, the agent picks one, ConfirmLink
shows the full URL, and only "open" calls the app's opener. Real mock server,
real client, Pilot; the customer writes through /sim. Hostile text (markup,
OSC 8 hyperlinks, bidi) never yields a link."""

from __future__ import annotations

from rich.style import Style

from agentdesk.protocol.sanitize import sanitize_text
from agentdesk.ui.modals.help_screen import help_rows
from agentdesk.ui.widgets.suggestions.confirm_link import ConfirmLink, link_warnings
from agentdesk.ui.widgets.timeline.link_picker import LinkPicker
from agentdesk.ui.widgets.timeline.links import find_links
from agentdesk.ui.widgets.timeline.timeline import LINK_META

ORDER_URL = "https://shop.example.com/orders/4711?ref=mail&lang=en"
HELP_URL = "https://help.example.com/returns"


def _screen_name(desk) -> str:
    return type(desk.app.screen).__name__


def _spy_opener(desk, monkeypatch) -> list[str]:
    opened: list[str] = []
    monkeypatch.setattr(desk.app, "open_url", lambda url, **_: opened.append(url))
    return opened


async def _customer_says(desk, iid, text):
    await desk.sim.customer_message(iid, text)
    view = desk.screen.views[iid]
    await desk.until(lambda: any(i.body == text for i in view.timeline.items), what=f"message {text!r}")
    await desk.settle()


async def test_ctrl_o_picks_a_link_confirms_and_opens_only_on_yes(desk_factory, monkeypatch):
    async with desk_factory() as desk:
        iid = await desk.accepted("chat", text=f"Where is my parcel? Order page: {HELP_URL}")
        opened = _spy_opener(desk, monkeypatch)
        await _customer_says(desk, iid, f"Sorry, this one: {ORDER_URL}. Thanks!")
        assert desk.app.focused is desk.screen.views[iid].composer.query_one("TextArea")

        # ctrl+o from the composer: the picker lists the links, newest first.
        await desk.pilot.press("ctrl+o")
        await desk.until(lambda: _screen_name(desk) == "LinkPicker", what="link picker")
        picker = desk.app.screen
        assert isinstance(picker, LinkPicker)
        assert picker.urls == [ORDER_URL, HELP_URL]

        # Enter on the first: the confirmation shows the whole URL; "n" opens nothing.
        await desk.pilot.press("enter")
        await desk.until(lambda: _screen_name(desk) == "ConfirmLink", what="confirm modal")
        confirm = desk.app.screen
        assert isinstance(confirm, ConfirmLink) and confirm.url == ORDER_URL
        assert str(confirm.query_one("#link-url").render()).strip() == ORDER_URL
        assert "shop.example.com" in str(confirm.query_one("#link-site").render())
        await desk.pilot.press("n")
        await desk.until(lambda: desk.app.screen is desk.screen, what="back to the desk")
        await desk.settle()
        assert opened == []

        # Again, the second (older) link, and "y": the opener gets exactly that URL.
        await desk.pilot.press("ctrl+o")
        await desk.until(lambda: _screen_name(desk) == "LinkPicker", what="link picker again")
        await desk.pilot.press("down", "enter")
        await desk.until(lambda: _screen_name(desk) == "ConfirmLink", what="confirm modal again")
        assert desk.app.screen.url == HELP_URL
        await desk.pilot.press("y")
        await desk.until(lambda: desk.app.screen is desk.screen, what="closed")
        assert opened == [HELP_URL]

        # Escape in the picker: nothing happens.
        await desk.pilot.press("ctrl+o")
        await desk.until(lambda: _screen_name(desk) == "LinkPicker", what="picker a third time")
        await desk.pilot.press("escape")
        await desk.until(lambda: desk.app.screen is desk.screen, what="picker closed")
        assert opened == [HELP_URL]


async def test_clicking_a_link_in_the_timeline_asks_first(desk_factory, monkeypatch):
    async with desk_factory() as desk:
        iid = await desk.accepted("chat", text="hello")
        opened = _spy_opener(desk, monkeypatch)
        await _customer_says(desk, iid, f"the tracking page {ORDER_URL} says delivered")
        timeline = desk.screen.views[iid].timeline
        lines = [timeline.render_line(y).text for y in range(timeline.scrollable_content_region.height)]
        y = next(n for n, line in enumerate(lines) if "shop.example.com" in line)
        x = lines[y].index("shop.example.com")
        # the link cells carry the item and link number, never the URL, never a hyperlink
        strip = timeline.render_line(y)
        styles = [seg.style for seg in strip if seg.style and "shop" in seg.text]
        assert styles and all(s.link is None and s.meta.get(LINK_META) for s in styles)
        await desk.pilot.click(timeline, offset=(x, y))
        await desk.until(lambda: _screen_name(desk) == "ConfirmLink", what="confirm after click")
        assert desk.app.screen.url == ORDER_URL and opened == []
        await desk.pilot.press("escape")
        await desk.until(lambda: desk.app.screen is desk.screen, what="cancelled")
        assert opened == []


async def test_hostile_messages_yield_no_link(desk_factory, monkeypatch, hostile_corpus):
    tricks = [s for s in hostile_corpus.HOSTILE_SHORT if "evil.example" in s]
    assert len(tricks) >= 2  # the [link=...] markup and the OSC 8 hyperlink
    async with desk_factory() as desk:
        iid = await desk.accepted("chat", text=tricks[0])
        opened = _spy_opener(desk, monkeypatch)
        for text in tricks[1:]:
            await desk.sim.customer_message(iid, text)
        await desk.sim.customer_message(iid, "[@click=app.quit]https://evil.example[/]")
        view = desk.screen.views[iid]
        await desk.until(lambda: any("@click" in i.body for i in view.timeline.items), what="hostile messages")
        await desk.settle()
        assert view.timeline.recent_links(iid) == []
        await desk.pilot.press("ctrl+o")
        await desk.settle()
        assert desk.app.screen is desk.screen  # no picker: there is nothing to open
        assert any("No links" in str(n.message) for n in desk.app._notifications)
        # no cell of the timeline is a link or a terminal hyperlink
        timeline = view.timeline
        for y in range(timeline.scrollable_content_region.height):
            for segment in timeline.render_line(y):
                style = segment.style or Style()
                assert style.link is None and not style.meta.get(LINK_META), segment
        assert opened == [] and desk.app.is_running


async def test_open_link_key_is_remappable_and_in_help(desk_factory, monkeypatch):
    assert ("ctrl+o", "Open a link of this conversation…") in dict(help_rows({}))["Work"]
    assert ("ctrl+l", "Open a link of this conversation…") in dict(help_rows({"open-link": "ctrl+l"}))["Work"]
    async with desk_factory(keymap={"open-link": "ctrl+l"}) as desk:
        await desk.accepted("chat", text=f"look: {HELP_URL}")
        _spy_opener(desk, monkeypatch)
        await desk.pilot.press("ctrl+l")
        await desk.until(lambda: _screen_name(desk) == "LinkPicker", what="picker on the remapped key")
        assert desk.app.screen.urls == [HELP_URL]


async def test_timeline_with_raw_hostile_bodies_links_only_the_plain_url(hostile_corpus):
    """Even unsanitised text (no protocol boundary in between) gives no link, no
    hyperlink style and no action when clicked; a plain URL next to it does."""
    import sys
    from pathlib import Path

    sys.path.insert(0, str(Path(__file__).parent))
    from widget_data import item
    from widget_harness import UTC, WidgetApp

    from agentdesk.ui.widgets.timeline import Timeline

    bodies = [s for s in hostile_corpus.HOSTILE_SHORT] + [f"plain {HELP_URL}"]
    items = [item(2 * n + 1, body=body) for n, body in enumerate(bodies)]  # odd: inbound messages
    app = WidgetApp(lambda: Timeline(tz=UTC))
    messages: list = []
    async with app.run_test(size=(100, 60), message_hook=messages.append) as pilot:
        timeline = app.query_one(Timeline)
        timeline.set_items(items, has_more=False)
        await pilot.pause()
        # another contact's item counts only while on screen (it is: pinned to the bottom)
        assert [link.url for _, link in timeline.recent_links("nobody")] == [HELP_URL]
        assert [link.url for i in items for link in timeline.links_of(i)] == [HELP_URL]
        for y in range(timeline.scrollable_content_region.height):
            for segment in timeline.render_line(y):
                assert segment.style is None or segment.style.link is None
        timeline.action_home()
        await pilot.pause()
        region = timeline.content_region
        for y in range(region.height):
            line = timeline.render_line(y).text
            for x in range(region.width):
                meta = app.screen.get_style_at(region.x + x, region.y + y).meta
                assert "@click" not in meta
                assert LINK_META not in meta or "help.example.com" in line, (y, line)
            if "[@click" in line or "evil.example" in line:  # click the tricks themselves
                await pilot.click(timeline, offset=(max(0, line.find("[") + 2), y))
        assert app.actions_fired == []
        assert not [m for m in messages if isinstance(m, Timeline.LinkActivated)]


def test_hostile_corpus_never_yields_a_link(hostile_corpus):
    for text in hostile_corpus.HOSTILE:
        assert find_links(text) == [], repr(text[:80])
        assert find_links(sanitize_text(text)) == [], repr(text[:80])


def test_find_links_whole_words_only():
    assert [link.url for link in find_links(f"see {ORDER_URL}. Or ({HELP_URL}), ok?")] == [ORDER_URL, HELP_URL]
    assert [link.url for link in find_links("wiki https://en.wikipedia.org/wiki/Tea_(drink)!")] == [
        "https://en.wikipedia.org/wiki/Tea_(drink)"]
    for text in ("[link=https://evil.example]x[/link]", "x=https://evil.example", "https://evil.example]",
                 "\x1b]8;;https://evil.example\x1b\\text\x1b]8;;\x1b\\", "go https://pay\u200bpal.com now",
                 "\u202ehttps://evil.example", "javascript:alert(1)", "ftp://files.example.com",
                 "https://", "https://host:notaport/", "https://" + "a" * 3000 + ".com"):
        assert find_links(text) == [], repr(text)
    link = find_links("a https://x.example/p b")[0]
    assert "a https://x.example/p b"[link.start:link.end] == link.url


def test_confirm_link_flags_lookalikes():
    assert link_warnings("https://example.com/a") == []
    assert any("punycode" in w for w in link_warnings("https://xn--pypal-4ve.com/"))
    assert any("non-ASCII" in w and "xn--" in w for w in link_warnings("https://p\u0430ypal.com/"))
    assert any("before \u201c@\u201d" in w and "evil.example" in w
               for w in link_warnings("https://paypal.com@evil.example/login"))
    assert any("IP address" in w for w in link_warnings("https://10.0.0.1/x"))
    assert any("not encrypted" in w for w in link_warnings("http://example.com/"))
    assert any("names paypal.com" in w for w in link_warnings("https://evil.example/", "paypal.com"))
    assert link_warnings("https://www.example.com/", "example.com") == []
    assert link_warnings("https://evil.example/", "click here") == []
