"""Hostile text (markup, escapes, bidi, huge lines, lone surrogates) as
customer names, messages and subjects: nothing fires an action, nothing
crashes, and the text is shown literally."""

from __future__ import annotations

from agentdesk.protocol.sanitize import sanitize_text


async def test_hostile_names_messages_and_subjects(desk_factory, hostile_corpus, tmp_path):
    hostile = hostile_corpus
    fired: list[str] = []

    def rename_customers(server):
        sim = server.server.sim
        for cid, name in zip(sorted(sim.customers.customers), hostile.HOSTILE_SHORT, strict=False):
            sim.customers.customers[cid].name = name

    async with desk_factory(before=rename_customers) as desk:
        app = desk.app
        # any action reached through clicked markup would land here
        app.action_quit = lambda: fired.append("quit")  # type: ignore[method-assign]
        app.action_bell = lambda: fired.append("bell")  # type: ignore[method-assign]
        customers = sorted(desk.server.server.sim.customers.customers)[:4]
        chat = await desk.accepted("chat", customer_id=customers[0], text=hostile.HOSTILE[0])
        email = await desk.accepted("email", customer_id=customers[1],
                                    subject=hostile.HOSTILE[5], text=hostile.HOSTILE[2])
        await desk.offer("sms", customer_id=customers[2], text=hostile.HOSTILE[6])
        for text in hostile.HOSTILE:
            await desk.sim.customer_message(chat, text[:50_000] if len(text) > 50_000 else text)
        await desk.sim.customer_message(email, hostile.HOSTILE[-1][:20_000])
        screen = desk.screen
        view = screen.views[chat]
        await desk.until(lambda: len([i for i in view.timeline.items if i.direction.value == "inbound"])
                         >= len(hostile.HOSTILE), what="all hostile messages")
        # click all over the screen: markup in names/bodies must not carry actions
        # (a sample of points: tabs, timeline rows, the side panels; clicks are slow)
        for y in range(3, 40, 5):
            for x in (12, 95):
                await desk.pilot.click(offset=(x, y))
        for key in ("alt+1", "alt+2", "alt+3", "ctrl+backslash", "alt+w", "f1", "escape"):
            await desk.pilot.press(key)
        await desk.settle(0.3)
        app.save_screenshot("hostile.svg", str(tmp_path))  # renders every visible surface
        assert app.is_running and not fired
        # names are shown literally (sanitised at the boundary, never parsed)
        tab_text = " ".join(str(t.render()) for t in screen.query("InteractionTab"))
        assert sanitize_text(hostile.HOSTILE_SHORT[0])[:15] in tab_text
        assert "[/" in tab_text
