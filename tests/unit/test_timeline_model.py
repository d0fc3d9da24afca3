"""The timeline's pure model: order, de-duplication, stable keys, pending messages."""

from datetime import UTC

from agentdesk.domain.enums import Channel, Direction, TimelineKind
from agentdesk.domain.models import TimelineItem
from agentdesk.ui.widgets.timeline.model import PENDING_PREFIX, Entry, TimelineModel

DAY = 86_400.0
T0 = 1772442000.0  # 2026-03-02 09:00 UTC


def item(n: int, *, at: float | None = None, interaction: str = "in-1", client_id: str | None = None,
         body: str | None = None) -> TimelineItem:
    return TimelineItem(id=f"t{n}", customer_id="c1", interaction_id=interaction, channel=Channel.CHAT,
                        kind=TimelineKind.MESSAGE, direction=Direction.INBOUND, author="Ann",
                        body=body if body is not None else f"message {n}",
                        at=at if at is not None else T0 + n, client_id=client_id, cc=["x@y"])


def ids(model: TimelineModel) -> list[str]:
    return [entry.id for entry in model]


def test_entries_keep_every_field_of_the_item() -> None:
    source = item(3, client_id="cid")
    entry = Entry.of(source)
    for field in TimelineItem.model_fields:
        value = getattr(source, field)
        assert getattr(entry, field) == (tuple(value) if isinstance(value, list) else value)
    assert Entry.of(entry) is entry


def test_pages_prepend_in_order_and_skip_what_is_shown() -> None:
    model = TimelineModel()
    model.reset([item(n) for n in range(100, 110)])
    assert model.prepend([item(n) for n in range(90, 101)]) == 10  # t100 is already there
    assert model.prepend([item(n) for n in range(80, 90)]) == 10
    model.append(item(110))
    assert ids(model) == [f"t{n}" for n in range(80, 111)]
    assert [model[i].id for i in (0, 9, 10, 20, -1)] == ["t80", "t89", "t90", "t100", "t110"]
    assert all(model.index_of(f"t{n}") == n - 80 for n in range(80, 111))
    assert model.as_list() == list(model)


def test_positions_stay_right_after_many_pages() -> None:
    """Keys never change, so the id index needs no re-indexing per page."""
    model = TimelineModel()
    model.reset([item(n) for n in range(10_000, 10_050)])
    for start in range(9_950, -50, -50):
        model.prepend([item(n) for n in range(start, start + 50)])
    assert len(model) == 10_050
    for n in (0, 1, 4_999, 9_999, 10_000, 10_049):
        assert model.index_of(f"t{n}") == n and model[n].id == f"t{n}"


def test_reset_keeps_the_last_copy_of_a_duplicate_id() -> None:
    model = TimelineModel()
    model.reset([item(1), item(2), item(1, body="edited")])
    assert ids(model) == ["t1", "t2"] and model[0].body == "edited"


def test_replace_moves_the_id_with_the_item() -> None:
    model = TimelineModel()
    model.reset([item(1), item(2)])
    model.prepend([item(0)])
    model.replace(0, item(7))
    assert model.index_of("t0") is None and model.index_of("t7") == 0
    assert "t7" in model and "t0" not in model


def test_pending_messages_are_found_and_rekeyed() -> None:
    model = TimelineModel()
    model.reset([item(1), item(2, client_id="old-echo")])
    pending = TimelineModel.pending_entry("cid-1", "in-1", "hello", "message", "chat", "Agent", T0 + 9)
    model.append(pending)
    model.pending["cid-1"] = pending.id
    model.delivery["cid-1"] = ("failed", "refused")
    assert pending.id == PENDING_PREFIX + "cid-1" and pending.direction is Direction.OUTBOUND
    assert model.find_client("cid-1") == 2 and model.find_client("old-echo") == 1
    assert model.find_client("nobody") is None
    model.rekey(2, "cid-2")
    assert model.pending == {"cid-2": PENDING_PREFIX + "cid-2"}
    assert model.delivery == {"cid-2": ("queued", None)}
    assert model.find_client("cid-2") == 2 and model[2].client_id == "cid-2"
    note = TimelineModel.pending_entry("n", "in-1", "x", "note", Channel.CHAT, "Agent", T0)
    assert note.kind is TimelineKind.NOTE and note.direction is Direction.INTERNAL


def test_day_and_contact_flags_follow_the_neighbour() -> None:
    model = TimelineModel()
    model.reset([item(2, at=T0 + DAY), item(3, at=T0 + DAY + 60, interaction="in-2")])
    utc = UTC
    assert model.flags(0, utc) == (1, 1)  # the first item starts everything
    assert model.flags(1, utc) == (0, 1)  # same day, another contact
    model.prepend([item(1, at=T0 + DAY - 60)])  # the same day, just before
    assert model.flags(1, utc) == (0, 0)  # recomputed: the neighbour changed
    model.prepend([item(0, at=T0 + 60)])  # the day before
    assert model.flags(1, utc) == (1, 0) and model.flags(2, utc) == (0, 0)
    model.prepend([item(-1, at=T0)])  # earlier that same day
    assert model.flags(1, utc) == (0, 0) and model.flags(2, utc) == (1, 0)
