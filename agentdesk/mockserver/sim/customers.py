"""The simulated customer base: profiles up front, contact history on demand.

Profiles are cheap and made eagerly from the seed. Each customer's past
contacts (messages, transcripts, notes, dispositions) are generated lazily
from (seed, customer index) the first time someone looks, so a start with
hundreds of customers stays well under a second and a restart with the same
seed and anchor time produces exactly the same history.
"""

from __future__ import annotations

import random
from collections import OrderedDict

from agentdesk.domain.compliance import timezone_for
from agentdesk.domain.models import (
    Channel,
    Consent,
    ContactSummary,
    Customer,
    Direction,
    InteractionState,
    TimelineItem,
    TimelineKind,
)
from agentdesk.mockserver.sim.content import Topic, call_script, written_replies

FIRST = [
    "Amelia", "Oliver", "Isla", "George", "Ava", "Noah", "Mia", "Arthur", "Ivy", "Leo", "Grace",
    "Oscar", "Freya", "Harry", "Lily", "Jack", "Sophie", "Charlie", "Ella", "Muhammad", "Evie",
    "Jacob", "Poppy", "Thomas", "Rosie", "Alfie", "Chloe", "Henry", "Zara", "Theo", "Maya",
    "Finley", "Aisha", "Ethan", "Nadia", "Rohan", "Priya", "Tomasz", "Zofia", "Lucas", "Ines",
    "Mateo", "Lena", "Hamza", "Eilidh", "Callum", "Niamh", "Owen", "Siobhan", "Dylan",
]
LAST = [
    "Smith", "Jones", "Taylor", "Brown", "Williams", "Wilson", "Johnson", "Davies", "Patel",
    "Wright", "Robinson", "Wood", "Thompson", "Evans", "Walker", "White", "Roberts", "Green",
    "Hall", "Thomas", "Clarke", "Jackson", "Wright", "Hughes", "Edwards", "Khan", "Lewis", "Harris",
    "Martin", "Cooper", "King", "Lee", "Kowalski", "Novak", "Garcia", "Murphy", "O'Neill",
    "Campbell", "Stewart", "MacDonald", "Ahmed", "Singh", "Ali", "Rossi", "Fischer", "Dubois",
]
CITIES = [
    "London", "Manchester", "Leeds", "Bristol", "Glasgow", "Edinburgh", "Cardiff", "Belfast",
    "Liverpool", "Sheffield", "Nottingham", "Brighton", "Leicester", "Newcastle", "Aberdeen",
    "Norwich", "York", "Bath",
]
# Some customers live abroad, so the calling window is not the same for everyone.
# Set by customer number (not the seeded RNG), like the compliance flags below,
# so every seed has the same documented examples (docs/mock-server.md).
ABROAD = ("New York", "Sydney", "Toronto", "Dublin", "Warsaw", "Madrid", "Los Angeles",
          "Singapore")
TIERS = ("standard", "standard", "standard", "plus", "plus", "premium", "business")
LANGS = ("en",) * 12 + ("es", "pl", "fr", "de", "cy")
PLANS = ("Fibre 100", "Fibre 500", "Fibre 900", "Mobile 10GB", "Mobile Unlimited",
         "TV Essentials", "TV Max + Fibre 500", "Business Fibre 1G")
DISPOSITIONS = ("resolved", "resolved", "resolved", "follow_up", "escalated", "technician",
                "billing_adjusted", "sale", "info_only")
PAST_AGENTS = ("Dana (agent)", "Sam (agent)", "Priya (agent)", "Marek (agent)", "Jo (agent)")
DAY = 86400.0


class CustomerBase:
    """Customer profiles and their (lazily generated) past contacts."""

    def __init__(self, seed: int, anchor: float, topics: dict[str, Topic], count: int = 240,
                 cache_size: int = 64, calling_window: str | None = None) -> None:
        self.seed = seed
        self.anchor = anchor  # history ends before this sim time
        self.topics = topics
        self._topic_ids = sorted(topics)
        rng = random.Random(seed * 7919 + 1)
        self.customers: dict[str, Customer] = {}
        for i in range(1, count + 1):
            cust = self._compliance(i, self._profile(i, rng))
            if calling_window is not None:  # the server's hours, so a desk can check first
                cust = cust.model_copy(update={"calling_window": calling_window})
            self.customers[cust.id] = cust
        self._history: OrderedDict[str, tuple[list[TimelineItem], list[ContactSummary]]] = (
            OrderedDict())
        self._cache_size = cache_size

    def ids(self) -> list[str]:
        return list(self.customers)

    def _profile(self, i: int, rng: random.Random) -> Customer:
        first, last = rng.choice(FIRST), rng.choice(LAST)
        handle_base = f"{first}{last}".lower().replace("'", "")
        return Customer(
            id=f"c{i:04d}",
            name=f"{first} {last}",
            email=f"{first}.{last}{i}@example.com".lower().replace("'", ""),
            phone=f"+44 7700 9{i:05d}"[:16],
            handle=f"@{handle_base}{i}",
            tier=rng.choice(TIERS),
            language=rng.choice(LANGS),
            location=rng.choice(CITIES),
            since=self.anchor - rng.uniform(60, 3650) * DAY,
            attributes={
                "account": f"BL-{100000 + i * 37}",
                "plan": rng.choice(PLANS),
                "contract_end": f"202{rng.randint(6, 8)}-{rng.randint(1, 12):02d}",
                "balance": f"£{rng.choice([0, 0, 0, 12.5, 31.99, 64.0, 120.4]):.2f}",
                "devices": str(rng.randint(1, 9)),
            },
        )

    @staticmethod
    def _compliance(n: int, cust: Customer) -> Customer:
        """Do-not-call and consent flags and the time zone, by customer number:
        c0004, c0016, ... (n % 12 == 4) are on the do-not-call list; c0006, c0015, ...
        (n % 9 == 6) gave no recording consent; n % 4 == 2 no marketing consent;
        n % 7 == 3 no SMS consent; n % 10 == 3 live abroad (c0003 in New York)."""
        location = ABROAD[(n // 10) % len(ABROAD)] if n % 10 == 3 else cust.location
        return cust.model_copy(update={
            "location": location, "timezone": timezone_for(location), "dnc": n % 12 == 4,
            "consent": Consent(recording=n % 9 != 6, marketing=n % 4 != 2, sms=n % 7 != 3)})

    def is_rich(self, customer_id: str) -> bool:
        """A few customers have long histories so timelines look lived-in."""
        n = int(customer_id[1:])
        return n <= 8 or n % 25 == 0

    def history(self, customer_id: str) -> tuple[list[TimelineItem], list[ContactSummary]]:
        """(timeline items oldest first, contact summaries newest first) of past contacts."""
        cached = self._history.get(customer_id)
        if cached is not None:
            self._history.move_to_end(customer_id)
            return cached
        result = self._make_history(customer_id)
        self._history[customer_id] = result
        if len(self._history) > self._cache_size:
            self._history.popitem(last=False)
        return result

    def _make_history(self, cid: str) -> tuple[list[TimelineItem], list[ContactSummary]]:
        if cid not in self.customers or not self._topic_ids:
            return [], []
        n = int(cid[1:])
        rng = random.Random(self.seed * 1_000_003 + n)
        count = rng.randint(24, 60) if self.is_rich(cid) else rng.randint(0, 5)
        span = 730 * DAY
        times = sorted(self.anchor - rng.uniform(DAY / 2, span) for _ in range(count))
        items: list[TimelineItem] = []
        contacts: list[ContactSummary] = []
        for k, at in enumerate(times):
            channel = rng.choice(list(Channel))
            topic = self.topics[rng.choice(self._topic_ids)]
            iid = f"hx-{cid}-{k:03d}"
            agent = rng.choice(PAST_AGENTS)
            made, end = self._contact_items(rng, cid, iid, channel, topic, at, agent)
            items.extend(made)
            disposition = rng.choice(DISPOSITIONS)
            items.append(self._item(f"h{cid}-{k:03d}-z", cid, iid, channel, TimelineKind.SYSTEM,
                                    Direction.INTERNAL, "system",
                                    f"Closed by {agent} with disposition {disposition}", end))
            contacts.append(ContactSummary(
                interaction_id=iid, channel=channel, at=at, topic=topic.slug,
                subject=topic.subjects[0] if channel is Channel.EMAIL else None,
                state=InteractionState.CLOSED, disposition=disposition, agent_name=agent,
                duration_s=round(end - at, 1)))
        contacts.reverse()
        return items, contacts

    @staticmethod
    def _item(item_id: str, cid: str, iid: str, channel: Channel, kind: TimelineKind,
              direction: Direction, author: str, body: str, at: float,
              subject: str | None = None, speaker: str | None = None) -> TimelineItem:
        return TimelineItem(id=item_id, customer_id=cid, interaction_id=iid, channel=channel,
                            kind=kind, direction=direction, author=author, body=body,
                            subject=subject, at=at, speaker=speaker)

    def _contact_items(self, rng: random.Random, cid: str, iid: str, channel: Channel,
                       topic: Topic, at: float, agent: str) -> tuple[list[TimelineItem], float]:
        name = self.customers[cid].name
        prefix = f"h{cid}-{iid[-3:]}-"
        out: list[TimelineItem] = []
        t = at
        if channel is Channel.VOICE:
            out.append(self._item(prefix + "a", cid, iid, channel, TimelineKind.CALL,
                                  Direction.INTERNAL, "system", f"Call connected to {agent}", t))
            lines = call_script(topic, agent)  # agent first, in this agent's name
            for j, (text, speaker) in enumerate(lines[: rng.randint(2, len(lines))]):
                t += rng.uniform(4, 12)
                out.append(self._item(f"{prefix}t{j}", cid, iid, channel, TimelineKind.TRANSCRIPT,
                                      Direction.INBOUND if speaker == "customer"
                                      else Direction.OUTBOUND,
                                      name if speaker == "customer" else agent, text, t,
                                      speaker=speaker))
            t += rng.uniform(5, 60)
            out.append(self._item(prefix + "e", cid, iid, channel, TimelineKind.CALL,
                                  Direction.INTERNAL, "system", "Call ended", t))
        else:
            subject = rng.choice(topic.subjects) if channel is Channel.EMAIL else None
            turns = [rng.choice(topic.openers)] + list(topic.followups[: rng.randint(0, 2)])
            for j, text in enumerate(turns):
                out.append(self._item(f"{prefix}m{j}", cid, iid, channel, TimelineKind.MESSAGE,
                                      Direction.INBOUND, name, text, t, subject=subject))
                t += rng.uniform(20, 300) if channel is not Channel.EMAIL else rng.uniform(600, 8000)
                replies = written_replies(topic)  # no phone greeting in a chat or email
                reply = replies[j % len(replies)]
                out.append(self._item(f"{prefix}r{j}", cid, iid, channel, TimelineKind.MESSAGE,
                                      Direction.OUTBOUND, agent, reply, t,
                                      subject=f"Re: {subject}" if subject else None))
                t += rng.uniform(10, 200)
        if rng.random() < 0.4:
            out.append(self._item(prefix + "n", cid, iid, channel, TimelineKind.NOTE,
                                  Direction.INTERNAL, agent,
                                  f"Note: customer contacted about {topic.slug.replace('-', ' ')}.",
                                  t))
        return out, t + rng.uniform(5, 90)
