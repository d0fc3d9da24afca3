"""Composer QA fixes: alt+letter desk keys, `{agent}` in canned responses, subject focus.

A real terminal reports alt+s as `Key("alt+s", character="s")` (printable), but
`pilot.press("alt+s")` sends `character=None`, which hid the bug; `terminal_key`
sends the key the way the terminal parser does.
"""

from __future__ import annotations

import sys
from pathlib import Path

sys.path[:0] = [str(Path(__file__).parent)]

import pytest  # noqa: E402
from textual import events  # noqa: E402
from textual.app import ComposeResult  # noqa: E402
from textual.binding import Binding  # noqa: E402
from textual.widgets import Input  # noqa: E402
from widget_data import canned  # noqa: E402
from widget_harness import WidgetApp  # noqa: E402

from agentdesk.domain.models import CannedResponse, Channel  # noqa: E402
from agentdesk.ui.widgets.composer import Composer  # noqa: E402
from agentdesk.ui.widgets.composer.canned_picker import fill_canned  # noqa: E402
from agentdesk.ui.widgets.composer.composer_text_area import ComposerTextArea, is_alt_key  # noqa: E402


async def terminal_key(pilot, key: str) -> None:
    """Send `key` as the xterm parser does: alt+s carries the character "s"."""
    app = pilot.app
    last = key.rpartition("+")[2]
    event = events.Key(key, last if len(last) == 1 else None)
    event.set_sender(app)
    app._driver.send_message(event)
    await pilot.pause()
    await pilot.pause()


class AltApp(WidgetApp):
    """The widget harness with two non-priority alt bindings, as the desk has."""

    BINDINGS = [Binding("alt+u", "fired('alt+u')"), Binding("alt+w", "fired('alt+w')")]

    def action_fired(self, key: str) -> None:
        self.actions_fired.append(key)


# --- 1. alt+letter is a desk key, never text ---------------------------------------------------


def test_is_alt_key() -> None:
    assert all(is_alt_key(k) for k in ("alt+s", "alt+shift+s", "ctrl+alt+x", "alt+1", "alt+left"))
    assert not any(is_alt_key(k) for k in ("s", "a", "l", "shift+a", "ctrl+s", "enter", "f2"))


@pytest.mark.parametrize("channel", [Channel.CHAT, Channel.EMAIL])
async def test_alt_letter_in_body_fires_the_binding_and_types_nothing(channel) -> None:
    app = AltApp(lambda: Composer("int-1", channel, subject="s", draft_delay=60))
    async with app.run_test(size=(100, 24)) as pilot:
        composer = app.query_one(Composer)
        composer.focus_body()
        await pilot.press("h", "i")
        await terminal_key(pilot, "alt+u")
        await terminal_key(pilot, "alt+w")
        await terminal_key(pilot, "alt+s")  # unbound here: still not typed
        assert composer.text == "hi"
        assert app.actions_fired == ["alt+u", "alt+w"]
        assert isinstance(app.focused, ComposerTextArea)
        await pilot.press("s")  # plain letters still type
        assert composer.text == "his"


async def test_alt_letter_in_subject_and_cc_fires_the_binding_and_types_nothing() -> None:
    app = AltApp(lambda: Composer("int-1", Channel.EMAIL, subject="Parcel", draft_delay=60))
    async with app.run_test(size=(100, 24)) as pilot:
        subject = app.query_one("#composer-subject", Input)
        cc = app.query_one("#composer-cc", Input)
        for field, before in ((subject, "Re: Parcel"), (cc, "")):
            field.focus()
            await pilot.pause()
            await terminal_key(pilot, "alt+u")
            assert field.value == before
        assert app.actions_fired == ["alt+u", "alt+u"]


async def test_desk_alt_keys_act_from_the_composer(desk_factory) -> None:
    """QA: alt+u / alt+r / alt+c typed "u", "r", "c" into the reply box."""
    async with desk_factory() as desk:
        iid = await desk.accepted("chat", text="hello")
        screen = desk.screen
        composer = screen.views[iid].composer
        composer.focus_body()
        await desk.settle()
        assert isinstance(desk.app.focused, ComposerTextArea)
        sort_before = screen.sort_by_urgency
        await terminal_key(desk.pilot, "alt+u")
        assert screen.sort_by_urgency is not sort_before
        side = screen.query_one("#side")
        shown = side.display
        await terminal_key(desk.pilot, "alt+r")
        assert side.display is not shown
        await terminal_key(desk.pilot, "alt+c")
        await desk.settle()
        assert any(n.title == "Capacity" for n in desk.app._notifications)
        assert composer.text == ""


async def test_desk_alt_w_in_split_swaps_without_typing(desk_factory) -> None:
    """QA: in split view alt+w put "w" into the other pane's draft."""
    async with desk_factory() as desk:
        a = await desk.accepted("chat", text="first")
        b = await desk.accepted("chat", text="second")
        screen = desk.screen
        screen.activate(a)
        await desk.pilot.press("ctrl+backslash")
        await desk.settle()
        assert screen.split_id == b
        screen.views[a].composer.focus_body()
        await desk.settle()
        await terminal_key(desk.pilot, "alt+w")
        await desk.settle()
        assert screen.active_id == b and screen.split_id == a
        assert screen.views[a].composer.text == "" and screen.views[b].composer.text == ""


# --- 2. {agent} in canned responses ---------------------------------------------------------------


def test_fill_canned_replaces_agent_and_leaves_other_braces() -> None:
    greeting = "Hi, thanks for contacting Brightline! My name is {agent}. How can I help you today?"
    assert fill_canned(greeting, agent="Dana Agent") == (
        "Hi, thanks for contacting Brightline! My name is Dana Agent. How can I help you today?")
    assert fill_canned("Kind regards,\n{agent}\nBrightline", agent="Dana") == "Kind regards,\nDana\nBrightline"
    assert fill_canned("{agent} & {agent}", agent="A") == "A & A"
    for odd in ("{", "}", "{x}", "{{", "}}", "{0}", "{agent", "agent}", "{ agent }", "{AGENT}", "%s {}"):
        assert fill_canned(odd, agent="Dana") == odd
    assert fill_canned("{{agent}}", agent="Dana") == "{Dana}"
    assert fill_canned("x {agent} y", agent="{agent}") == "x {agent} y"  # no second pass
    assert "{agent}" not in fill_canned("My name is {agent}.", agent=None)
    assert fill_canned("My name is {agent}.", agent=" Dana ") == "My name is Dana."


async def test_canned_insert_fills_agent_from_set_agent_name() -> None:
    greet = CannedResponse(id="g", shortcut="/hi", title="Greeting", body="My name is {agent}. {x} {{ }")
    app = WidgetApp(lambda: Composer("int-1", Channel.CHAT, draft_delay=60))
    async with app.run_test(size=(100, 24)) as pilot:
        composer = app.query_one(Composer)
        composer.set_canned([greet])
        composer.set_agent_name("Dana Agent")
        composer.focus_body()
        await pilot.press("/")
        await pilot.pause()
        await pilot.press("enter")
        await pilot.pause()
        assert composer.text == "My name is Dana Agent. {x} {{ }"


async def test_canned_insert_without_a_name_warns_and_shows_no_placeholder() -> None:
    greet = CannedResponse(id="g", shortcut="/hi", title="Greeting", body="Hi, I am {agent}.")
    app = WidgetApp(lambda: Composer("int-1", Channel.CHAT, draft_delay=60))
    async with app.run_test(size=(100, 24), notifications=True) as pilot:
        composer = app.query_one(Composer)
        composer.set_canned([greet, *canned()])
        composer.focus_body()
        await pilot.press("/")
        await pilot.pause()
        await pilot.press("enter")
        await pilot.pause()
        assert "{agent}" not in composer.text
        assert any("name is not known" in n.message for n in app._notifications)


async def test_desk_hi_greeting_uses_the_signed_in_agent(desk_factory) -> None:
    async with desk_factory() as desk:
        iid = await desk.accepted("chat", text="hello")
        name = desk.screen.state.me.name
        assert name
        await desk.pilot.press("slash")
        await desk.until(lambda: type(desk.app.screen).__name__ == "CannedPicker", what="canned picker")
        await desk.pilot.press(*"hi")
        picker = desk.app.screen
        assert picker.shown and picker.shown[0].shortcut.lstrip("/") == "hi"
        await desk.pilot.press("enter")
        await desk.until(lambda: desk.app.screen is desk.screen, what="picker closed")
        text = desk.screen.views[iid].composer.text
        assert f"My name is {name}." in text
        assert "{" not in text and "}" not in text


# --- 3. subject focus and focus after sending --------------------------------------------------------


async def test_tab_into_subject_keeps_its_text_and_cursor_at_end() -> None:
    class TwoApp(WidgetApp):
        def compose(self) -> ComposeResult:
            yield Input(id="before")
            yield Composer("int-1", Channel.EMAIL, subject="Parcel 4411", draft_delay=60)

    app = TwoApp(lambda: [])
    async with app.run_test(size=(100, 24)) as pilot:
        app.query_one("#before", Input).focus()
        await pilot.press("tab")
        await pilot.pause()
        subject = app.query_one("#composer-subject", Input)
        assert app.focused is subject
        assert subject.selection.is_empty
        assert subject.cursor_position == len("Re: Parcel 4411")
        await pilot.press("space", "x")
        assert subject.value == "Re: Parcel 4411 x"
        await pilot.press("tab")
        cc = app.query_one("#composer-cc", Input)
        assert app.focused is cc and cc.selection.is_empty


async def test_ctrl_s_from_subject_sends_and_focuses_the_body() -> None:
    app = WidgetApp(lambda: Composer("int-1", Channel.EMAIL, subject="Parcel", draft_delay=60))
    messages: list = []
    async with app.run_test(size=(100, 24), message_hook=messages.append) as pilot:
        composer = app.query_one(Composer)
        for field_id in ("#composer-subject", "#composer-cc"):
            composer.insert_text("Done.")
            app.query_one(field_id, Input).focus()
            await pilot.pause()
            await pilot.press("ctrl+s")
            await pilot.pause()
            assert isinstance(app.focused, ComposerTextArea)
            assert composer.text == ""
        sent = {id(m): m for m in messages if isinstance(m, Composer.Submitted)}
        assert [m.body for m in sent.values()] == ["Done.", "Done."]
