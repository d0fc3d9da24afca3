"""Issue 14 item 4: keys typed fast stay keys, and keys typed right after an
accept go into that interaction's composer.

The bytes go through Textual's real terminal parser (`XTermParser`, as the
driver feeds it from stdin) and its events are posted to the app the way the
driver posts them; pilot.press would skip the parser, where the fault was."""

from __future__ import annotations

import asyncio

from textual._xterm_parser import XTermParser

from agentdesk.domain.enums import InteractionState
from agentdesk.ui.widgets.composer.composer_text_area import ComposerTextArea


def _typing_into(screen, composer) -> bool:
    focused = screen.focused
    return isinstance(focused, ComposerTextArea) and composer in focused.ancestors


def _post_bytes(app, data: str) -> list[str]:
    """Parse `data` as one read from the terminal and post its events, as the
    driver does; returns the key names."""
    parser = XTermParser()
    events = [*parser.feed(data), *parser.feed("")]
    for event in events:
        app.post_message(event)
    return [getattr(event, "key", "") for event in events]


async def test_alt_digits_arriving_together_switch_tabs_and_type_nothing(desk_factory):
    async with desk_factory() as desk:
        first = await desk.accepted("chat", text="first")
        second = await desk.accepted("chat", text="second")
        third = await desk.accepted("chat", text="third")
        screen = desk.screen
        screen.activate(first)
        await desk.settle()
        composer = screen.tabs.views[first].composer
        await desk.until(lambda: _typing_into(screen, composer), what="composer focused")
        # ESC 3 ESC 2 ESC 1 ESC 2 in one read, as a laggy ssh link delivers them
        keys = _post_bytes(desk.app, "\x1b3\x1b2\x1b1\x1b2")
        assert keys == ["alt+3", "alt+2", "alt+1", "alt+2"]
        await desk.until(lambda: screen.active_id == second, what="last alt+2 wins")
        await desk.settle()
        for iid in (first, second, third):
            text = screen.tabs.views[iid].composer.text
            assert "^" not in text and text == "", (iid, text)


async def test_alt_letters_arriving_together_are_keys(desk_factory):
    async with desk_factory() as desk:
        iid = await desk.accepted("chat", text="hello")
        screen = desk.screen
        composer = screen.tabs.views[iid].composer
        await desk.until(lambda: _typing_into(screen, composer), what="composer focused")
        before = screen.sort_by_urgency
        keys = _post_bytes(desk.app, "\x1bu\x1bu\x1bu")  # alt+u toggles the sort, thrice
        assert keys == ["alt+u", "alt+u", "alt+u"]
        await desk.until(lambda: screen.sort_by_urgency is (not before), what="sort toggled")
        await desk.settle()
        assert composer.text == ""


async def test_keys_typed_right_after_accept_reach_the_new_composer(desk_factory):
    async with desk_factory() as desk:
        iid = await desk.offer("chat", text="are you there?")
        screen = desk.screen
        screen.activate(iid)
        await desk.settle()
        backend = screen.controller.backend
        release = asyncio.Event()
        accept = backend.accept

        async def slow_accept(interaction_id: str, client_id: str):
            await release.wait()  # a slow link: the accept is still on its way
            return await accept(interaction_id, client_id)

        backend.accept = slow_accept
        await desk.pilot.press("f2")
        _post_bytes(desk.app, "Hi the")
        await desk.pilot.press("r", "e")
        await desk.settle()
        assert screen.state.interactions[iid].state is InteractionState.OFFERED
        release.set()
        await desk.until(lambda: screen.state.interactions[iid].state is InteractionState.ACTIVE,
                         what="accepted")
        composer = screen.tabs.views[iid].composer
        await desk.until(lambda: composer.text == "Hi there", what="type-ahead in the composer")
        await desk.until(lambda: _typing_into(screen, composer), what="composer focused")
        await desk.pilot.press("!")
        await desk.until(lambda: composer.text == "Hi there!", what="typing goes on")
