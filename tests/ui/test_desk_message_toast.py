"""A background tab's messages are signalled once per unread stretch: the first
unread message of a tab toasts; later ones only raise its unread count; once the
agent has read the tab, the next message toasts again."""

from __future__ import annotations

from agentdesk.ui.widgets.tabs.interaction_tab import InteractionTab


def tab_unread(desk, iid: str) -> int:
    return next(t.info.unread for t in desk.screen.query(InteractionTab) if t.info.interaction_id == iid)


async def test_a_background_tab_is_signalled_once_until_it_is_read(desk_factory):
    async with desk_factory() as desk:
        screen = desk.screen
        notifier = desk.app.notifier
        a = await desk.accepted("chat", text="first customer")
        b = await desk.accepted("chat", text="second customer")
        screen.activate(a)
        await desk.until(lambda: screen.active_id == a, what="A in front")
        calls: list[tuple[str, int]] = []
        signal = notifier.message
        notifier.message = lambda customer, count=1: (calls.append((customer, count)), signal(customer, count))
        name = screen.state.interactions[b].customer_name

        await desk.sim.customer_message(b, "one")
        await desk.until(lambda: tab_unread(desk, b) == 1, what="B's tab shows 1 unread")
        assert calls == [(name, 1)]

        for text in ("two", "three"):
            await desk.sim.customer_message(b, text)
        await desk.until(lambda: tab_unread(desk, b) == 3, what="B's tab shows 3 unread")
        assert calls == [(name, 1)]  # the tab's count is the signal now

        screen.activate(b)  # the agent reads B
        await desk.until(lambda: screen.state.unread.get(b, 0) == 0, what="B read")
        screen.activate(a)
        await desk.until(lambda: screen.active_id == a, what="A in front again")
        await desk.sim.customer_message(b, "four")
        await desk.until(lambda: tab_unread(desk, b) == 1, what="B unread again")
        assert calls == [(name, 1), (name, 1)]


def test_the_toast_counts_what_it_is_given():
    from agentdesk.ui.notify import Notifier

    class App:
        is_headless = True

        def __init__(self) -> None:
            self.toasts: list[str] = []

        def notify(self, message: str, **_: object) -> None:
            self.toasts.append(message)

    app = App()
    notifier = Notifier(app)
    notifier.message("Ann", count=2)
    notifier.message("Bob")
    notifier.flush()
    assert app.toasts == ["3 new messages in 2 tabs"]
