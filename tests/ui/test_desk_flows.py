"""The core desk workflow end to end: real mock server, real client, Pilot."""

from __future__ import annotations

from agentdesk.domain.models import CallState, Direction, TimelineKind


async def _server_items(desk, iid):
    inter = desk.screen.state.interactions.get(iid) or await desk.probe.get_interaction(iid)
    page = await desk.probe.get_timeline(inter.customer_id, limit=200)
    return [i for i in page.items if i.interaction_id == iid]


async def _type(desk, text):
    for ch in text:
        await desk.pilot.press("space" if ch == " " else ch)


async def test_accept_offer_and_chat_exchange(desk_factory):
    async with desk_factory() as desk:
        iid = await desk.offer("chat", text="Hello, my router keeps dropping the wifi")
        screen = desk.screen
        assert screen.state.interactions[iid].state.value == "offered"
        assert "Chat offer" in str(screen.query_one("#banner").render())
        await desk.pilot.press("f2")
        await desk.until(lambda: screen.state.interactions[iid].state.value == "active", what="active")
        await desk.settle()
        await _type(desk, "Let me check that")
        await desk.pilot.press("enter")
        await desk.until(lambda: not desk.app.sender.pending(), what="outbox drained")
        items = await _server_items(desk, iid)
        assert any(i.direction is Direction.OUTBOUND and i.body == "Let me check that" for i in items)
        # the customer answers: it arrives in the timeline and the suggestions follow
        await desk.sim.customer_message(iid, "it still drops every few minutes")
        view = screen.views[iid]
        await desk.until(lambda: any(i.body == "it still drops every few minutes" for i in view.timeline.items),
                         what="customer reply")
        assert "it still drops every few minutes" in screen.state.turns[iid]


async def test_reject_offer_closes_tab(desk_factory):
    async with desk_factory() as desk:
        iid = await desk.offer("chat", text="hi")
        await desk.pilot.press("f3")
        await desk.until(lambda: type(desk.app.screen).__name__ == "RejectDialog", what="reasons")
        await desk.pilot.press("enter")
        await desk.until(lambda: iid not in desk.screen.views, what="tab closed")
        assert not desk.screen.state.interactions


async def test_private_note(desk_factory):
    async with desk_factory() as desk:
        iid = await desk.accepted("chat", text="hello")
        await desk.pilot.press("ctrl+t")
        await _type(desk, "vip customer")
        await desk.pilot.press("enter")
        await desk.until(lambda: not desk.app.sender.pending(), what="sent")
        items = await _server_items(desk, iid)
        assert any(i.kind is TimelineKind.NOTE and i.body == "vip customer" for i in items)


async def test_canned_response(desk_factory):
    async with desk_factory() as desk:
        iid = await desk.accepted("chat", text="hello")
        await desk.pilot.press("slash")
        await desk.until(lambda: type(desk.app.screen).__name__ == "CannedPicker", what="canned picker")
        await desk.pilot.press("enter")
        await desk.until(lambda: desk.app.screen is desk.screen, what="picker closed")
        composer = desk.screen.views[iid].composer
        text = composer.text
        assert text
        await desk.pilot.press("ctrl+s")
        await desk.until(lambda: not desk.app.sender.pending(), what="sent")
        items = await _server_items(desk, iid)
        assert any(i.direction is Direction.OUTBOUND and i.body == text.strip() for i in items)


async def test_email_reply_with_subject(desk_factory):
    async with desk_factory() as desk:
        iid = await desk.accepted("email", subject="Refund for order 1234", text="I want my money back")
        composer = desk.screen.views[iid].composer
        composer.insert_text("We have refunded your order.")
        await desk.pilot.press("ctrl+s")
        await desk.until(lambda: not desk.app.sender.pending(), what="sent")
        items = await _server_items(desk, iid)
        sent = [i for i in items if i.direction is Direction.OUTBOUND]
        assert sent and sent[-1].subject and "Refund for order 1234" in sent[-1].subject


async def test_call_hold_mute_dtmf_hangup_and_wrapup(desk_factory):
    async with desk_factory() as desk:
        iid = await desk.accepted("voice")
        screen = desk.screen

        def call():
            return screen.state.interactions[iid].call

        await desk.until(lambda: call() is not None and call().state is CallState.CONNECTED, what="connected")
        await desk.pilot.press("f5")
        await desk.until(lambda: call().state is CallState.HELD, what="held")
        await desk.pilot.press("f5")
        await desk.until(lambda: call().state is CallState.CONNECTED, what="resumed")
        await desk.pilot.press("f6")
        await desk.until(
            lambda: call().muted,
            what=f"muted {[n.message for n in desk.app._notifications]} {desk.app.focused}",
        )
        await desk.pilot.press("ctrl+d")
        await desk.until(lambda: type(desk.app.screen).__name__ == "DtmfPad", what="keypad")
        for key in ("1", "2", "number_sign"):
            await desk.pilot.press(key)
        await desk.pilot.press("enter")
        await desk.until(lambda: call().dtmf.endswith("12#"), what="dtmf")
        await desk.pilot.press("f8")
        await desk.until(lambda: screen.state.interactions[iid].state.value == "wrapup", what="wrap-up")
        await desk.pilot.press("f9")
        await desk.until(lambda: type(desk.app.screen).__name__ == "WrapupDialog", what="wrap-up dialog")
        await desk.pilot.press("enter")
        await desk.until(lambda: iid not in screen.views, what="tab closed after wrap-up")
        closed = await desk.probe.get_interaction(iid)
        assert closed.state.value == "closed" and closed.disposition


async def test_transfer_call_to_queue(desk_factory):
    async with desk_factory() as desk:
        iid = await desk.accepted("voice")
        await desk.pilot.press("f7")
        await desk.until(
            lambda: type(desk.app.screen).__name__ == "TransferDialog",
            what=f"transfer dialog {[n.message for n in desk.app._notifications]} "
                 f"{desk.app.focused} {desk.app.screen_stack}",
        )
        await desk.pilot.press("enter")
        await desk.until(lambda: iid not in desk.screen.views, what="tab closed after transfer")


async def test_customer_ends_chat_then_wrapup(desk_factory):
    async with desk_factory() as desk:
        iid = await desk.accepted("chat", text="thanks, bye")
        await desk.sim.end(iid)
        await desk.until(lambda: desk.screen.state.interactions[iid].state.value == "wrapup", what="ACW")
        await desk.pilot.press("f9")
        await desk.until(lambda: type(desk.app.screen).__name__ == "WrapupDialog", what="dialog")
        await desk.pilot.press("down", "enter")
        await desk.until(lambda: iid not in desk.screen.views, what="closed")


async def test_switch_tabs_by_key_and_most_urgent(desk_factory):
    async with desk_factory() as desk:
        a = await desk.accepted("chat", text="first")
        b = await desk.accepted("email", subject="second", text="second")
        c = await desk.offer("chat", text="third")
        screen = desk.screen
        await desk.pilot.press("alt+1")
        assert screen.active_id == a
        await desk.pilot.press("alt+2")
        assert screen.active_id == b
        await desk.pilot.press("ctrl+n")
        assert screen.active_id == c  # the ringing offer is the most urgent
        await desk.pilot.press("alt+u")
        assert screen.tab_order()[0] == c


async def test_split_view(desk_factory):
    async with desk_factory() as desk:
        a = await desk.accepted("chat", text="first")
        b = await desk.accepted("chat", text="second")
        screen = desk.screen
        screen.activate(a)
        await desk.pilot.press("ctrl+backslash")
        await desk.settle()
        assert screen.split_id == b
        assert screen.views[a].display and screen.views[b].display
        await desk.pilot.press("alt+w")
        assert screen.active_id == b and screen.split_id == a
        await _type(desk, "hi")
        assert screen.views[b].composer.text == "hi"
        await desk.pilot.press("ctrl+backslash")
        await desk.settle()
        assert screen.split_id is None and not screen.views[a].display


async def test_missed_offer_banner_and_rearm(desk_factory):
    async with desk_factory() as desk:
        iid = await desk.offer("chat", text="anyone there?")
        await desk.advance(30)
        screen = desk.screen
        await desk.until(lambda: iid not in screen.views, what="offer gone")
        await desk.until(lambda: screen.state.agent.routing_state.value == "not_responding", what="NR")
        banner = str(screen.query_one("#banner").render())
        assert "Missed offer - you are Not Responding. F4 to set Available" in banner
        header = screen.query_one("#hdr-routing").render()
        assert "not responding" in str(header)
        await desk.pilot.press("f4")
        await desk.until(lambda: type(desk.app.screen).__name__ == "PresenceMenu", what="menu")
        await desk.pilot.press("home", "enter")
        await desk.until(lambda: screen.state.agent.routing_state.value == "idle", what="re-armed")
        await desk.settle()
        assert not screen.query_one("#banner").display


async def test_remapped_keys(desk_factory):
    async with desk_factory(keymap={"offer-accept": "f12", "tab-most-urgent": "ctrl+u"}) as desk:
        iid = await desk.offer("chat", text="hi")
        await desk.pilot.press("f2")  # no longer bound
        await desk.settle(0.3)
        assert desk.screen.state.interactions[iid].state.value == "offered"
        await desk.pilot.press("f12")
        await desk.until(lambda: desk.screen.state.interactions[iid].state.value == "active", what="accepted")


async def test_help_lists_remapped_keys_and_quit_asks_when_work_is_open(desk_factory):
    async with desk_factory(keymap={"call-hold": "f12"}) as desk:
        await desk.pilot.press("f1")
        await desk.until(lambda: type(desk.app.screen).__name__ == "HelpScreen", what="help")
        lines = [str(w.render()) for w in desk.app.screen.query("Static")]
        assert any("F12" in line and "Hold" in line for line in lines)
        assert not any(line.startswith("F5 ") for line in lines)
        await desk.pilot.press("escape")
        await desk.accepted("chat", text="hi")
        await desk.pilot.press("f10")
        await desk.until(lambda: type(desk.app.screen).__name__ == "QuitDialog", what="quit dialog")
        await desk.pilot.press("n")
        await desk.settle()
        assert desk.app.is_running


async def test_palette_accepts_and_top_suggestion_is_inserted(desk_factory):
    async with desk_factory() as desk:
        iid = await desk.offer("chat", text="my wifi keeps dropping every evening")
        await desk.pilot.press("ctrl+p")
        await desk.until(lambda: type(desk.app.screen).__name__ == "CommandPalette", what="palette")
        await _type(desk, "accept")
        await desk.settle(0.5)
        await desk.pilot.press("enter")
        await desk.until(lambda: desk.screen.state.interactions[iid].state.value == "active", what="accepted")
        panel = desk.screen.query_one("SuggestionPanel")
        await desk.until(lambda: bool(panel.suggestions), what="suggestions")
        top = panel.suggestions[0]
        about = (top.title + " " + " ".join(top.matched_terms)).lower().replace("-", "")
        assert "wifi" in about  # the KB writes it "Wi-Fi" or "wifi"
        await desk.pilot.press("alt+s")
        await desk.settle()
        assert desk.screen.views[iid].composer.text.strip()


async def test_diagnostics_and_capacity_reasons(desk_factory):
    async with desk_factory(size=(80, 24)) as desk:
        assert not desk.screen.query_one("#side").display  # narrow: right column hidden
        await desk.pilot.press("alt+r")
        assert desk.screen.query_one("#side").display
        await desk.pilot.press("alt+d")
        await desk.until(lambda: type(desk.app.screen).__name__ == "DiagnosticsScreen", what="diagnostics")
        body = str(desk.app.screen.query_one("#diag-body").render())
        assert "frames" in body and "reconnects" in body and "link" in body
        await desk.pilot.press("escape")
        await desk.accepted("voice")
        await desk.pilot.press("alt+c")
        await desk.settle()
        assert any("chat" in n.message for n in desk.app._notifications)
