"""Issue 14, also expected: attachments show as links with their size."""

from __future__ import annotations

from agentdesk.domain.attachments import format_size
from agentdesk.ui.widgets.timeline.links import find_links

URL = "https://files.example.com/c/bill-march.pdf"


def test_sizes_read_as_people_say_them():
    assert format_size(0) == "0 B"
    assert format_size(1023) == "1023 B"
    assert format_size(245_760) == "240 KB"
    assert format_size(3_500_000) == "3.3 MB"


async def test_a_customer_attachment_is_a_named_sized_link_in_the_timeline(desk_factory):
    async with desk_factory() as desk:
        iid = await desk.accepted("chat", text="my bill is wrong")
        await desk.sim.customer_message(iid, "here it is", attachments=[
            {"name": "bill-march.pdf", "url": URL, "size_bytes": 245_760,
             "content_type": "application/pdf"}])
        timeline = desk.screen.views[iid].timeline
        await desk.until(lambda: any("bill-march.pdf" in i.body for i in timeline.items),
                         what="attachment shown")
        entry = next(i for i in timeline.items if "bill-march.pdf" in i.body)
        assert "here it is" in entry.body
        assert "📎 bill-march.pdf (240 KB)" in entry.body
        assert [entry.body[link.start:link.end] for link in find_links(entry.body)] == [URL]
        # the same item read back from the server keeps it
        customer = desk.screen.state.interactions[iid].customer_id
        page = await desk.probe.get_timeline(customer)
        item = next(i for i in page.items if i.body == "here it is")
        assert item.attachments[0].size_bytes == 245_760
