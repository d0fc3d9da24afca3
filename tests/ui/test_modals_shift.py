"""Desk dialogs as an agent meets them: quit (what quitting really does) and
wrap-up (disposition rows), driven in a tiny app with real keys."""

from __future__ import annotations

import sys
from pathlib import Path

sys.path[:0] = [str(Path(__file__).parent), str(Path(__file__).parents[1] / "data")]

from textual.widgets import OptionList, Static  # noqa: E402
from widget_harness import T0, WidgetApp  # noqa: E402

from agentdesk.domain.models import Disposition  # noqa: E402
from agentdesk.ui.modals.quit_dialog import QuitDialog  # noqa: E402
from agentdesk.ui.modals.wrapup_dialog import WrapupDialog  # noqa: E402


def screen_text(screen) -> str:
    return "\n".join(str(w.render()) for w in screen.query(Static))


async def test_demo_quit_dialog_says_the_demo_pauses_and_lists_drafts() -> None:
    """Issue 14 item 14."""
    app = WidgetApp(lambda: Static("desk"))
    results: list[bool | None] = []
    async with app.run_test(size=(100, 30)) as pilot:
        dialog = QuitDialog(["chat · Alfie Wright · active"], demo=True, available=True,
                            drafts=["Nia Okafor · Thanks, I have reset your pass…"])
        app.push_screen(dialog, results.append)
        await pilot.pause()
        text = screen_text(app.screen)
        assert "pauses the demo" in text
        assert "stay assigned to you on the server" not in text
        assert "1 unsent draft(s)" in text and "Nia Okafor" in text
        await pilot.press("n")
        assert results == [False]


async def test_real_server_quit_warns_that_the_agent_stays_available() -> None:
    app = WidgetApp(lambda: Static("desk"))
    results: list[bool | None] = []
    assert not QuitDialog.needed([], demo=False, available=False, drafts=[])
    assert QuitDialog.needed([], demo=False, available=True, drafts=[])
    assert QuitDialog.needed([], demo=True, available=True, drafts=["x"])
    async with app.run_test(size=(100, 30)) as pilot:
        app.push_screen(QuitDialog(["email · Ana · active"], available=True), results.append)
        await pilot.pause()
        text = screen_text(app.screen)
        assert "stay assigned to you on the server" in text
        assert "You stay Available on the server" in text and "demo" not in text
        await pilot.press("y")
        assert results == [True]


async def test_wrapup_rows_separate_label_and_code() -> None:
    """Issue 14 item 9: 'Resolved on first contact · resolved', not '... contact resolved'."""
    dispositions = [Disposition(code="resolved", label="Resolved on first contact"),
                    Disposition(code="callback", label="Callback")]
    app = WidgetApp(lambda: Static("desk"))
    async with app.run_test(size=(100, 30)) as pilot:
        app.push_screen(WrapupDialog("Alfie", dispositions, acw_deadline=None, clock=lambda: T0))
        await pilot.pause()
        options = app.screen.query_one(OptionList)
        rows = [str(options.get_option_at_index(i).prompt) for i in range(2)]
        assert rows[0] == "Resolved on first contact · resolved"
        assert rows[1].startswith("Callback ") and rows[1].endswith(" · callback")
        assert rows[1].index("·") == rows[0].index("·")  # one column for the codes


async def test_alt_s_is_not_typed_into_the_kb_search_box() -> None:
    """Issue 14 item 11: a terminal reports alt+s with the character "s"."""
    from textual import events
    from textual.widgets import Input

    from agentdesk.ui.modals.kb_search import KbHit, KbSearchDialog

    app = WidgetApp(lambda: Static("desk"))
    async with app.run_test(size=(100, 30)) as pilot:
        app.push_screen(KbSearchDialog(lambda q: [KbHit("kb-1", "Direct Debit dates")]))
        await pilot.pause()
        box = app.screen.query_one("#kb-query", Input)
        assert app.focused is box
        await pilot.press("d", "d")
        box.post_message(events.Key("alt+s", "s"))  # as a real terminal sends it
        await pilot.pause()
        assert box.value == "dd"


async def test_reject_dialog_returns_a_reason_and_escape_keeps_the_offer() -> None:
    from agentdesk.ui.modals.reject_dialog import RejectDialog

    app = WidgetApp(lambda: Static("desk"))
    results: list = []
    async with app.run_test(size=(100, 30)) as pilot:
        app.push_screen(RejectDialog("[b]Alfie[/b]", "Chat"), results.append)
        await pilot.pause()
        assert "[b]Alfie[/b]" in screen_text(app.screen)  # literal, never markup
        await pilot.press("down", "enter")
        app.push_screen(RejectDialog("Nia", "SMS"), results.append)
        await pilot.pause()
        await pilot.press("escape")
        assert [getattr(r, "code", r) for r in results] == ["wrong_skill", None]
