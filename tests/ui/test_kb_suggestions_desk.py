"""The suggestion panel follows the conversation (issue 5): a customer message on a
topic brings its article to the top, a new message on another topic changes the
suggestions, and alt+s inserts the top article adapted to the channel."""

from __future__ import annotations

from agentdesk.kb import KnowledgeBase, email_answer, short_answer


async def _top(desk, panel, wanted: str) -> None:
    await desk.until(lambda: bool(panel.suggestions) and panel.suggestions[0].article_id == wanted,
                     timeout=10, what=f"{wanted} on top (got {[s.article_id for s in panel.suggestions]})")


async def test_suggestions_follow_the_customer_and_insert_for_the_channel(desk_factory):
    async with desk_factory() as desk:
        chat = await desk.accepted("chat", text="the lights on my router are flashing orange")
        panel = desk.screen.query_one("SuggestionPanel")
        await _top(desk, panel, "hub-lights")
        # the customer moves on: the latest turn weighs most, so the top article changes
        await desk.sim.customer_message(chat, "different question: how do I set up my voicemail?")
        await _top(desk, panel, "voicemail")
        # alt+s: the short answer (chat), exactly what the KB gives for that article
        kb = KnowledgeBase.from_articles(await desk.probe.list_kb_articles())
        await desk.pilot.press("alt+s")
        await desk.settle(0.3)
        composer = desk.screen.views[chat].composer
        assert composer.text.strip() == short_answer(kb.get("voicemail")).strip()


async def test_email_insert_is_the_full_article_with_a_greeting(desk_factory):
    async with desk_factory() as desk:
        email = await desk.accepted("email", subject="Hub light flashing orange",
                                    text="The light on my router has been flashing orange all day.")
        panel = desk.screen.query_one("SuggestionPanel")
        await _top(desk, panel, "hub-lights")
        kb = KnowledgeBase.from_articles(await desk.probe.list_kb_articles())
        await desk.pilot.press("alt+s")
        await desk.settle(0.3)
        name = desk.screen.state.interactions[email].customer_name
        body = desk.screen.views[email].composer.text
        assert body.strip() == email_answer(kb.get("hub-lights"), name).strip()
        assert name.split()[0] in body.splitlines()[0]  # the greeting names the customer
