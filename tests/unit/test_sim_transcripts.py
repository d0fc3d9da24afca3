"""The simulation's transcripts read as a real call: the agent answers and asks,
the customer answers after being asked, and the agent says their own name."""

import re

import pytest

from agentdesk.mockserver.sim.content import (
    call_script,
    introduce,
    load_topics,
    written_replies,
)
from agentdesk.mockserver.sim.customers import CustomerBase

POSTCODE = re.compile(r"\b[A-Z]{1,2}\d[A-Z\d]? ?\d[A-Z]{2}\b")
TOPICS = load_topics()


@pytest.mark.parametrize("slug", sorted(TOPICS))
def test_a_postcode_is_asked_for_before_it_is_given(slug: str) -> None:
    script = call_script(TOPICS[slug], "Jo (agent)")
    assert script[0][1] == "agent"  # the agent answers the phone
    asked = False
    for text, speaker in script:
        if speaker == "agent" and "postcode" in text.lower():
            asked = True
        if speaker == "customer" and POSTCODE.search(text):
            assert asked, f"{slug}: the customer gives the postcode before being asked: {text!r}"


@pytest.mark.parametrize("slug", sorted(TOPICS))
def test_the_agent_on_the_call_says_their_own_name(slug: str) -> None:
    greeting = call_script(TOPICS[slug], "Jo (agent)")[0][0]
    assert "Jo" in greeting, greeting
    written = " ".join(written_replies(TOPICS[slug]))
    assert "speaking" not in written  # no telephone greeting in a chat or email


def test_introduce_handles_every_way_of_giving_a_name() -> None:
    for line in ("Brightline, Jess speaking.", "Hello, Brightline, Nadia here.",
                 "Brightline Bereavement Team, this is Karen.", "Thanks for calling Brightline, it's Mia.",
                 "Brightline, you're through to Grace.", "you're speaking to Sam. How can I help?"):
        out = introduce(line, "Jo (agent)")
        assert "Jo" in out and not any(n in out for n in ("Jess", "Nadia", "Karen", "Mia", "Grace", "Sam"))
    assert introduce("Let me check your postcode.", "Jo (agent)") == "Let me check your postcode."


def test_history_transcripts_use_the_past_agents_name() -> None:
    book = CustomerBase(seed=7, anchor=1772445600.0, topics=TOPICS, count=200)
    for n in range(1, 9):
        items, _ = book.history(f"c{n:04d}")
        by_contact: dict[str, list] = {}
        for item in items:
            by_contact.setdefault(item.interaction_id, []).append(item)
        for contact in by_contact.values():
            spoken = [i for i in contact if i.kind.value == "transcript"]
            if spoken:
                assert spoken[0].speaker == "agent"
                first = spoken[0].author.replace(" (agent)", "")
                assert first in spoken[0].body, (spoken[0].author, spoken[0].body)


def test_the_side_that_asks_speaks_first() -> None:
    """A customer's question comes before the agent's answer ("How much is it?"
    before the price), an agent's question before the customer's answer."""
    sport = next(t for t in TOPICS.values() if any("Sports is" in line for line in t.agent_lines))
    script = [text for text, _ in call_script(sport, "Jo (agent)")]
    assert script.index("How much is it?") < next(i for i, s in enumerate(script) if "Sports is" in s)
    router = call_script(TOPICS["reset-router"], "Jo (agent)")
    asked = next(i for i, (s, who) in enumerate(router) if who == "agent" and "postcode" in s)
    assert router[asked + 1][1] == "customer" and "LS6 2AB" in router[asked + 1][0]
