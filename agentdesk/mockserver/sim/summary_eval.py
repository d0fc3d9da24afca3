"""The wrap-up summary measured on the mock server's scripted conversations
(docs/summary.md): a call as the simulation plays it (`call_script`) and a chat
as it plays it (the opener, each follow-up, the agent's written replies), run
through `domain/summary.py`, and checked against the hand-labelled test set.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path

from agentdesk.domain.summary import Said, WrapupSummary, draft, sentences
from agentdesk.mockserver.sim.content import Topic, call_script, written_replies


@dataclass(frozen=True, slots=True)
class CaseResult:
    slug: str
    channel: str
    topic_named: bool
    action_named: bool
    summary: WrapupSummary


def call_said(topic: Topic) -> list[Said]:
    return [Said(who, s) for text, who in call_script(topic, "Sam (agent)")
            for s in sentences(text)]


def chat_said(topic: Topic) -> list[Said]:
    replies = written_replies(topic)
    turns = [topic.openers[0], *topic.followups]
    said: list[Said] = []
    for j, text in enumerate(turns):
        said.extend(Said("customer", s) for s in sentences(text))
        said.extend(Said("agent", s) for s in sentences(replies[j % len(replies)]))
    return said


def evaluate(topics: dict[str, Topic], cases_path: Path) -> list[CaseResult]:
    cases = json.loads(cases_path.read_text(encoding="utf-8"))["cases"]
    results: list[CaseResult] = []
    for case in cases:
        topic = topics[case["slug"]]
        for channel, said in (("voice", call_said(topic)), ("chat", chat_said(topic))):
            summary = draft(said)
            action_text = " ".join([*summary.done, *summary.promised, summary.next_step]).lower()
            results.append(CaseResult(
                case["slug"], channel,
                any(w in summary.reason.lower() for w in case["topic"]),
                any(w in action_text for w in case["action"]), summary))
    return results
