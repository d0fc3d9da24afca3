"""Deterministic sample data for the conversation-widget tests."""

from __future__ import annotations

from agentdesk.domain.models import (
    CallInfo,
    CallState,
    CannedResponse,
    Channel,
    ContactSummary,
    Customer,
    CustomerDetail,
    Direction,
    Interaction,
    InteractionState,
    KbArticle,
    TimelineItem,
    TimelineKind,
)

T0 = 1772445600.0  # Mon 2 Mar 2026 10:00 UTC
CHANNELS = list(Channel)


def item(i: int, *, at: float | None = None, body: str | None = None, **extra) -> TimelineItem:
    """The i-th item of a synthetic history: channels, directions and kinds rotate."""
    channel = extra.pop("channel", CHANNELS[i % 5])
    fields = dict(
        id=f"t{i}",
        customer_id="c1",
        interaction_id=f"int-{i // 4}",
        channel=channel,
        kind=TimelineKind.MESSAGE,
        direction=Direction.INBOUND if i % 2 else Direction.OUTBOUND,
        author="Alice Moreau" if i % 2 else "Bob (agent)",
        body=body if body is not None else f"Message number {i} about the delayed parcel.",
        subject=f"Parcel {i}" if channel is Channel.EMAIL else None,
        at=at if at is not None else T0 + i * 60,
    )
    fields.update(extra)
    return TimelineItem(**fields)


def history(n: int, *, start: int = 0, step: float = 60.0) -> list[TimelineItem]:
    return [item(i, at=T0 + i * step) for i in range(start, start + n)]


def chat_scene() -> list[TimelineItem]:
    """A short, varied timeline for snapshots: two days, every kind."""
    day1 = T0 - 86400
    return [
        TimelineItem(
            id="e1",
            customer_id="c1",
            interaction_id="int-7",
            channel=Channel.EMAIL,
            kind=TimelineKind.MESSAGE,
            direction=Direction.INBOUND,
            author="Alice Moreau",
            subject="Parcel 4411 still not delivered",
            cc=["ops@example.com"],
            body="Hello,\nmy parcel 4411 was due on Friday and the tracking has not moved since.\nRegards, Alice",
            at=day1 + 3600,
        ),
        TimelineItem(
            id="e2",
            customer_id="c1",
            interaction_id="int-7",
            channel=Channel.EMAIL,
            kind=TimelineKind.MESSAGE,
            direction=Direction.OUTBOUND,
            author="Bob (agent)",
            subject="Re: Parcel 4411 still not delivered",
            body="Hi Alice, I have asked the depot for an update and will write back today.",
            at=day1 + 7200,
        ),
        TimelineItem(
            id="v1",
            customer_id="c1",
            interaction_id="int-8",
            channel=Channel.VOICE,
            kind=TimelineKind.CALL,
            direction=Direction.INTERNAL,
            author="",
            body="Call connected",
            at=T0 - 1800,
        ),
        TimelineItem(
            id="v2",
            customer_id="c1",
            interaction_id="int-8",
            channel=Channel.VOICE,
            kind=TimelineKind.TRANSCRIPT,
            direction=Direction.INBOUND,
            author="Alice Moreau",
            speaker="customer",
            body="Hi, I am calling about my parcel again.",
            at=T0 - 1790,
        ),
        TimelineItem(
            id="v3",
            customer_id="c1",
            interaction_id="int-8",
            channel=Channel.VOICE,
            kind=TimelineKind.CALL,
            direction=Direction.INTERNAL,
            author="",
            body="Call ended after 03:12",
            at=T0 - 1600,
        ),
        TimelineItem(
            id="s1",
            customer_id="c1",
            interaction_id="int-9",
            channel=Channel.CHAT,
            kind=TimelineKind.SYSTEM,
            direction=Direction.INTERNAL,
            author="",
            body="Chat accepted by Bob",
            at=T0,
        ),
        TimelineItem(
            id="c1",
            customer_id="c1",
            interaction_id="int-9",
            channel=Channel.CHAT,
            kind=TimelineKind.MESSAGE,
            direction=Direction.INBOUND,
            author="Alice Moreau",
            body="Any news on my parcel? It's been a week.",
            at=T0 + 30,
        ),
        TimelineItem(
            id="n1",
            customer_id="c1",
            interaction_id="int-9",
            channel=Channel.CHAT,
            kind=TimelineKind.NOTE,
            direction=Direction.INTERNAL,
            author="Bob (agent)",
            body="Depot confirms it is lost: offer a refund or a resend.",
            at=T0 + 60,
        ),
        TimelineItem(
            id="c2",
            customer_id="c1",
            interaction_id="int-9",
            channel=Channel.CHAT,
            kind=TimelineKind.MESSAGE,
            direction=Direction.OUTBOUND,
            author="Bob (agent)",
            body="I am sorry Alice, the parcel was lost. I can refund you or send a new one today.",
            at=T0 + 90,
            client_id="cid-1",
        ),
    ]


def interaction(
    channel: Channel = Channel.CHAT, state: InteractionState = InteractionState.ACTIVE, **extra
) -> Interaction:
    fields = dict(
        id="int-9",
        channel=channel,
        customer_id="c1",
        customer_name="Alice Moreau",
        queue_id="q1",
        state=state,
        created_at=T0,
        subject=None,
    )
    fields.update(extra)
    return Interaction(**fields)


def canned() -> list[CannedResponse]:
    return [
        CannedResponse(id="r1", shortcut="hello", title="Greeting", body="Hello, thanks for contacting us!"),
        CannedResponse(
            id="r2",
            shortcut="refund",
            title="Refund on its way",
            body="Your refund has been issued and will reach your account in 3-5 days.",
        ),
        CannedResponse(
            id="r3",
            shortcut="sig",
            title="Email signature",
            body="Kind regards,\nThe support team",
            channels=[Channel.EMAIL],
        ),
    ]


def customer_detail() -> CustomerDetail:
    return CustomerDetail(
        customer=Customer(
            id="c1",
            name="Alice Moreau",
            email="alice@example.com",
            phone="+33 6 12 34 56 78",
            handle="@alice_m",
            tier="gold",
            language="fr",
            location="Lyon, France",
            since=T0 - 86400 * 800,
            attributes={"plan": "Premium", "orders": "42"},
        ),
        contacts=[
            ContactSummary(
                interaction_id="int-7",
                channel=Channel.EMAIL,
                at=T0 - 86400,
                subject="Parcel 4411",
                state=InteractionState.CLOSED,
                disposition="resolved",
                agent_name="Bob",
            ),
            ContactSummary(
                interaction_id="int-8",
                channel=Channel.VOICE,
                at=T0 - 1800,
                topic="delivery",
                state=InteractionState.CLOSED,
                disposition="callback",
                agent_name="Chloé",
            ),
            ContactSummary(
                interaction_id="int-3",
                channel=Channel.SMS,
                at=T0 - 86400 * 40,
                topic="billing",
                state=InteractionState.ABANDONED,
            ),
        ],
    )


def call(state: CallState = CallState.CONNECTED, **extra) -> CallInfo:
    fields = dict(state=state, connected_at=T0, dtmf="")
    fields.update(extra)
    return CallInfo(**fields)


class FakeSuggestion:
    """The `agentdesk.kb` Suggestion shape, without depending on that package."""

    def __init__(self, article_id: str, title: str, score: float, snippet: str, matched_terms: list[str]):
        self.article_id = article_id
        self.title = title
        self.score = score
        self.snippet = snippet
        self.matched_terms = matched_terms


def suggestions() -> list[FakeSuggestion]:
    return [
        FakeSuggestion(
            "kb-1",
            "Lost parcels: refund or resend",
            0.92,
            "When a parcel is confirmed lost by the depot, offer the customer a refund or a resend.",
            ["parcel", "lost"],
        ),
        FakeSuggestion(
            "kb-2",
            "Tracking not updating",
            0.61,
            "Tracking can pause for 48 hours at sorting centres; check the depot before escalating.",
            ["tracking"],
        ),
        FakeSuggestion(
            "kb-3",
            "Delivery delays by region",
            0.34,
            "Regional delays are listed on the status page; quote the expected date.",
            ["delays"],
        ),
    ]


def article() -> KbArticle:
    return KbArticle(
        id="kb-1",
        title="Lost parcels: refund or resend",
        body=(
            "# Lost parcels\n\nWhen the depot confirms a parcel is **lost**:\n\n"
            "1. Apologise.\n2. Offer a *refund* or a *resend*.\n3. Log the case.\n\n"
            "See the [carrier policy](https://example.com/policy/lost-parcels) for details.\n"
        ),
    )
