"""CustomerPanel, SuggestionPanel, ArticlePreview and the link confirmation."""

from __future__ import annotations

import sys
from pathlib import Path

sys.path[:0] = [str(Path(__file__).parent), str(Path(__file__).parents[1] / "data")]

from hostile import HOSTILE_SHORT  # noqa: E402
from textual.widgets import Static  # noqa: E402
from widget_data import FakeSuggestion, article, customer_detail, suggestions  # noqa: E402
from widget_harness import (  # noqa: E402
    T0,
    UTC,
    WidgetApp,
)

from agentdesk.domain.models import Channel, ContactSummary, Customer, CustomerDetail, InteractionState, KbArticle  # noqa: E402  # noqa: E402
from agentdesk.ui.widgets.customer import CustomerPanel  # noqa: E402
from agentdesk.ui.widgets.suggestions import ArticlePreview, ConfirmLink, SuggestionPanel  # noqa: E402
from agentdesk.ui.widgets.suggestions.suggestion_panel import highlight, relevance_bar  # noqa: E402


def posted(messages: list, kind: type) -> list:
    seen: dict[int, object] = {}
    for message in messages:
        if isinstance(message, kind):
            seen.setdefault(id(message), message)
    return list(seen.values())


def panel_text(panel) -> str:
    return "\n".join(str(w.render()) for w in panel.query(Static) if w.display)


async def test_customer_panel_shows_profile_attributes_and_contacts() -> None:
    app = WidgetApp(lambda: CustomerPanel(tz=UTC))
    async with app.run_test(size=(80, 24)) as pilot:
        panel = app.query_one(CustomerPanel)
        assert "No customer selected." in panel_text(panel)
        panel.show(customer_detail())
        await pilot.pause()
        text = panel_text(panel)
        for expected in ("Alice Moreau", "gold", "alice@example.com", "Lyon, France", "fr", "23 Dec 2023",
                         "plan: Premium", "☎ 2 Mar 2026  delivery", "callback", "Chloé", "abandoned"):
            assert expected in text, expected
        # Newest contact first.
        assert text.index("delivery") < text.index("Parcel 4411") < text.index("billing")
        panel.show_empty("Loading…")
        await pilot.pause()
        assert panel_text(panel).strip() == "Loading…"


async def test_customer_panel_hostile_profile() -> None:
    app = WidgetApp(lambda: CustomerPanel(tz=UTC))
    async with app.run_test(size=(80, 24)) as pilot:
        panel = app.query_one(CustomerPanel)
        for text in HOSTILE_SHORT:
            detail = CustomerDetail(
                customer=Customer(id="c", name=text, email=text, tier=text, location=text, attributes={text: text}),
                contacts=[ContactSummary(interaction_id="i", channel=Channel.SMS, at=0, subject=text,
                                         state=InteractionState.CLOSED, disposition=text, agent_name=text)],
            )
            panel.show(detail)
        await pilot.pause()
        await pilot.click(CustomerPanel, offset=(2, 0))
        await pilot.click(CustomerPanel, offset=(6, 8))
        assert app.actions_fired == []


def test_highlight_and_bar() -> None:
    text = highlight("Parcel lost? The PARCEL was lost.", ["parcel", "lost"], "bold")
    marked = [text.plain[s.start:s.end] for s in text.spans]
    assert sorted(marked) == sorted(["Parcel", "lost", "PARCEL", "lost"])
    assert highlight("a [b] c", ["[b]", "("], "bold").plain == "a [b] c"  # regex-safe, literal
    assert relevance_bar(0.6) == "███░░ 60%" and relevance_bar(7) == "█████ 100%"


async def test_suggestion_panel_shows_top_three_and_posts_requests() -> None:
    messages: list = []
    app = WidgetApp(lambda: SuggestionPanel())
    async with app.run_test(size=(80, 24), message_hook=messages.append) as pilot:
        panel = app.query_one(SuggestionPanel)
        extra = FakeSuggestion("kb-4", "Fourth", 0.1, "not shown", [])
        panel.show([*suggestions(), extra], "from the last customer message")
        await pilot.pause()
        text = panel_text(panel)
        assert "from the last customer message" in text
        assert "1 █████ 92%  Lost parcels: refund or resend" in text
        assert "34%  Delivery delays by region" in text and "Fourth" not in text
        cards = list(panel.query(".suggestion-card"))
        assert len(cards) == 3
        snippet = cards[0].query_one(".suggestion-snippet").render()
        assert any(snippet.plain[s.start:s.end] == "parcel" for s in snippet.spans)
        cards[1].focus()
        await pilot.press("enter")
        await pilot.press("p")
        await pilot.press("3")
        await pilot.click(cards[0])
        await pilot.pause()
        assert [m.article_id for m in posted(messages, SuggestionPanel.InsertRequested)] == ["kb-2", "kb-3"]
        assert [m.article_id for m in posted(messages, SuggestionPanel.PreviewRequested)] == ["kb-2", "kb-1"]
        panel.show_empty("No article matches [/b]")
        await pilot.pause()
        assert "No article matches [/b]" in panel_text(panel)
        assert not list(panel.query(".suggestion-card"))


async def test_the_same_ranking_again_keeps_the_cards_and_the_focus() -> None:
    """Suggestions are ranked again after every customer message, mostly to the
    same answer: the cards stay (no remount), so a focused card keeps the focus."""
    app = WidgetApp(lambda: SuggestionPanel())
    async with app.run_test(size=(80, 24)) as pilot:
        panel = app.query_one(SuggestionPanel)
        panel.show(suggestions(), "from the latest customer turns")
        await pilot.pause()
        cards = list(panel.query(".suggestion-card"))
        cards[1].focus()
        panel.show(suggestions(), "from the latest customer turns")
        await pilot.pause()
        assert list(panel.query(".suggestion-card")) == cards and app.focused is cards[1]
        changed = [*suggestions()[:2], FakeSuggestion("kb-9", "Other", 0.2, "new", [])]
        panel.show(changed, "from the latest customer turns")
        await pilot.pause()
        assert "Other" in panel_text(panel) and list(panel.query(".suggestion-card")) != cards
        panel.show_empty("Nothing yet")
        panel.show_empty("Nothing yet")
        await pilot.pause()
        assert "Nothing yet" in panel_text(panel) and not list(panel.query(".suggestion-card"))


async def test_suggestion_panel_hostile_titles() -> None:
    app = WidgetApp(lambda: SuggestionPanel())
    async with app.run_test(size=(80, 24)) as pilot:
        panel = app.query_one(SuggestionPanel)
        for text in HOSTILE_SHORT:
            panel.show([FakeSuggestion(text, text, 0.5, text, [text, "[", "("])], text)
        await pilot.pause()
        await pilot.click(".suggestion-card", offset=(3, 0))
        assert app.actions_fired == []


async def test_article_preview_confirms_links_and_inserts(monkeypatch) -> None:
    opened: list[str] = []
    results: list = []
    app = WidgetApp(lambda: Static("desk"))
    monkeypatch.setattr(app, "open_url", lambda url, **_: opened.append(url))
    async with app.run_test(size=(100, 30)) as pilot:
        app.push_screen(ArticlePreview(article()), results.append)
        await pilot.pause()
        preview = app.screen
        # A link click asks first, showing the full URL; "n" does not open it.
        preview.post_message(_link_clicked(preview, "https://example.com/policy/lost-parcels"))
        await pilot.pause()
        assert isinstance(app.screen, ConfirmLink)
        assert "https://example.com/policy/lost-parcels" in str(app.screen.query_one("#link-url").render())
        await pilot.press("n")
        await pilot.pause()
        assert opened == [] and app.screen is preview
        preview.post_message(_link_clicked(preview, "https://example.com/x"))
        await pilot.pause()
        await pilot.press("y")
        await pilot.pause()
        assert opened == ["https://example.com/x"]
        await pilot.press("i")
        await pilot.pause()
        assert results == ["kb-1"]


async def test_clicking_a_real_markdown_link_asks_first(monkeypatch) -> None:
    from textual.widgets._markdown import MarkdownParagraph

    opened: list[str] = []
    app = WidgetApp(lambda: Static("desk"))
    monkeypatch.setattr(app, "open_url", lambda url, **_: opened.append(url))
    async with app.run_test(size=(100, 30)) as pilot:
        app.push_screen(ArticlePreview(article()))
        await pilot.pause()
        paragraph = next(p for p in app.screen.query(MarkdownParagraph) if "carrier" in p._content.plain)
        await pilot.click(paragraph, offset=(paragraph._content.plain.index("carrier") + 2, 0))
        await pilot.pause()
        assert isinstance(app.screen, ConfirmLink) and opened == []
        await pilot.press("escape")
        await pilot.pause()
        assert isinstance(app.screen, ArticlePreview) and opened == []


async def test_article_preview_hostile_article() -> None:
    app = WidgetApp(lambda: Static("desk"))
    async with app.run_test(size=(80, 24)) as pilot:
        for text in HOSTILE_SHORT[:8]:  # the markup-shaped ones come first
            app.push_screen(ArticlePreview(KbArticle(id="k", title=text, body=text)))
            await pilot.pause()
            await pilot.click("#article-body", offset=(2, 0))
            await pilot.press("escape")
            await pilot.pause()
        assert app.actions_fired == []


def _link_clicked(screen, href: str):
    from textual.widgets import Markdown

    markdown = screen.query_one(Markdown)
    return Markdown.LinkClicked(markdown, href)


async def test_panels_accept_data_before_they_are_mounted() -> None:
    def build():
        customer = CustomerPanel(tz=UTC)
        customer.show(customer_detail())
        kb = SuggestionPanel()
        kb.show(suggestions(), "from the subject")
        return [customer, kb]

    app = WidgetApp(build)
    async with app.run_test(size=(80, 40)) as pilot:
        await pilot.pause()
        await pilot.pause()
        assert "Alice Moreau" in panel_text(app.query_one(CustomerPanel))
        assert len(app.query(".suggestion-card")) == 3


async def test_previous_contacts_are_the_finished_ones_and_come_first() -> None:
    """Issue 14 item 7: the server lists the open contact too (newest); in a short
    side column it used to be the only one in view."""
    detail = customer_detail()
    current = ContactSummary(interaction_id="int-9", channel=Channel.CHAT, at=T0, topic="change-wifi-password",
                             state=InteractionState.ACTIVE, agent_name="Agent 1")
    detail = detail.model_copy(update={"contacts": [current, *detail.contacts]})
    app = WidgetApp(lambda: CustomerPanel(tz=UTC))
    async with app.run_test(size=(60, 16)) as pilot:
        panel = app.query_one(CustomerPanel)
        panel.show(detail)
        await pilot.pause()
        visible = "\n".join(app.screen._compositor.render_strips()[y].text for y in range(16))
        assert "Previous contacts (3)" in visible
        assert "change-wifi-password" not in panel_text(panel)
        for topic in ("delivery", "Parcel 4411", "billing"):
            assert topic in visible, topic  # all three in view without scrolling
