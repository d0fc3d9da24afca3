"""Scripted content of the simulation: topics, KB articles, dispositions, canned responses.

Topics come from `agentdesk/data/topics.json` (written alongside the demo KB);
if that file is missing or broken, a few built-in Brightline topics are used so
the simulation always has something to say.
"""

from __future__ import annotations

import json
import logging
import os
import re
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from agentdesk.domain.models import CannedResponse, Disposition, KbArticle

log = logging.getLogger("agentdesk.mockserver")

PACKAGE_DATA = Path(__file__).resolve().parent.parent / "data"
SHARED_DATA = Path(__file__).resolve().parents[2] / "data"
SKILLS = ("tech", "billing", "sales", "account")


@dataclass(frozen=True, slots=True)
class Topic:
    slug: str
    skill: str
    openers: tuple[str, ...]
    followups: tuple[str, ...]
    subjects: tuple[str, ...]
    call_lines: tuple[str, ...]
    agent_lines: tuple[str, ...]


_BUILTIN: dict[str, dict] = {
    "broadband-slow": {
        "skill": "tech",
        "openers": ["Hi, my broadband has been really slow since yesterday evening.",
                    "My internet keeps dropping out, can you check the line?"],
        "followups": ["I already restarted the router twice.", "It's worse in the evenings.",
                      "OK, the lights are green now. Thanks!"],
        "subjects": ["Slow broadband", "Internet keeps dropping"],
        "call_lines": ["Hi, my internet is crawling, I can't even stream.",
                       "Yes, I restarted the router this morning.",
                       "The light on the front is flashing orange.",
                       "OK, I'll wait for the engineer. Thanks."],
        "agent_lines": ["Sorry to hear that, let me run a line test.",
                        "I can see some noise on the line.",
                        "I've booked an engineer for tomorrow morning."],
    },
    "bill-higher": {
        "skill": "billing",
        "openers": ["Why is my bill higher than last month?",
                    "I was charged twice this month, please check."],
        "followups": ["I never ordered any extra channels.", "Can you refund the difference?",
                      "Great, thanks for sorting that."],
        "subjects": ["Bill higher than expected", "Double charge"],
        "call_lines": ["My bill went up by twenty pounds and nobody told me.",
                       "I didn't agree to any price change.",
                       "Alright, a credit would be fair."],
        "agent_lines": ["Let me look at your last two bills.",
                        "I see a pro-rata charge from your plan change.",
                        "I've applied a credit to your account."],
    },
    "mobile-upgrade": {
        "skill": "sales",
        "openers": ["I'd like to upgrade my phone, what deals do you have?",
                    "Can I add a second SIM to my plan?"],
        "followups": ["How much data is included?", "Is there a discount for existing customers?",
                      "Sounds good, let's do it."],
        "subjects": ["Phone upgrade", "Adding a SIM"],
        "call_lines": ["Hi, my contract ends next month and I want a new phone.",
                       "I use about 20 gigs a month.", "OK, that price works for me."],
        "agent_lines": ["Happy to help with an upgrade.",
                        "Our unlimited plan would suit you.", "I've placed the order for you."],
    },
    "tv-no-signal": {
        "skill": "tech",
        "openers": ["My TV box says no signal.", "The TV guide is empty since this morning."],
        "followups": ["I checked the cables already.", "Now it's working, thank you!"],
        "subjects": ["TV box: no signal"],
        "call_lines": ["My TV box just shows no signal.", "Yes, the HDMI cable is plugged in.",
                       "It's rebooting now... yes, the picture is back."],
        "agent_lines": ["Let's try a reset of the box.", "Hold the power button for ten seconds."],
    },
    "password-reset": {
        "skill": "account",
        "openers": ["I can't log in to My Brightline.", "How do I reset my account password?"],
        "followups": ["I didn't get the reset email.", "Got it now, thanks."],
        "subjects": ["Cannot log in"],
        "call_lines": ["I'm locked out of my online account.", "The email is the old one.",
                       "OK, I've reset it."],
        "agent_lines": ["I can update your email after a few security questions.",
                        "I've sent a reset link now."],
    },
}


# How a scripted greeting names its agent: "Sam speaking", "Nadia here", "this is
# Karen", "it's Mia", "you're through to Grace", "you're speaking to Sam".
_NAME_AFTER = re.compile(r"\b(this is|it's|you're through to|you're speaking to) ([A-Z][a-z]+)\b")
_NAME_BEFORE = re.compile(r"\b([A-Z][a-z]+) (speaking|here)\b")
_GREETING = re.compile(r"\b(speaking|here|this is|it's|you're through to)\b")


def spoken_name(agent_name: str | None) -> str:
    """How an agent introduces themselves: "Jo (agent)" -> "Jo", "Agent 1" -> "Agent 1"."""
    name = re.sub(r"\s*\(agent\)\s*$", "", (agent_name or "").strip())
    return name or "your agent"


def introduce(line: str, agent_name: str | None) -> str:
    """`line` with the scripted agent's name replaced by the one speaking, so
    `Jo (agent)` says "Brightline, Jo speaking", never "Jess speaking"."""
    name = spoken_name(agent_name)
    line = _NAME_AFTER.sub(lambda m: f"{m.group(1)} {name}", line, count=1)
    return _NAME_BEFORE.sub(lambda m: f"{name} {m.group(2)}", line, count=1)


def is_phone_greeting(line: str) -> bool:
    """A telephone opening ("Brightline, Luke speaking."): not a chat or email reply."""
    return bool(_GREETING.search(line)) and bool(_NAME_AFTER.search(line) or _NAME_BEFORE.search(line))


@lru_cache(maxsize=1024)  # asked at every transcript segment of every call
def call_script(topic: Topic | None, agent_name: str | None) -> tuple[tuple[str, str], ...]:
    """A call's spoken lines in order, as (text, speaker).

    The agent answers the phone and the customer says why they call; then the
    scripts go in pairs (agent line i, customer line i), and each pair is put
    in the order that makes the conversation follow: every question should be
    followed by the other side's answer (a "yes"/"no" after a yes-no question,
    words in common), so the postcode is asked for and then given, and "How
    much is it?" comes before the price. The topics are written in pairs but
    not all in the same order; a fixed interleaving put answers before their
    questions. Scripts are short (six pairs), so every ordering is scored."""
    if topic is None:
        return ((introduce("Brightline, Sam speaking. How can I help?", agent_name), "agent"),
                ("Hello, I have a question about my account.", "customer"),
                ("Sure, let me help you with that.", "agent"))
    agent = [introduce(line, agent_name) for line in topic.agent_lines]
    customer = list(topic.call_lines)
    pairs = [[(agent[i], "agent")] * (i < len(agent)) + [(customer[i], "customer")] * (i < len(customer))
             for i in range(max(len(agent), len(customer)))]
    best: list[tuple[str, str]] = [line for pair in pairs for line in pair]
    best_score = _coherence(best)
    free = len(pairs) - 1
    if free <= 10:
        for mask in range(1, 1 << free):
            order = list(pairs[0])
            for i, pair in enumerate(pairs[1:]):
                order += list(reversed(pair)) if mask >> i & 1 else pair
            score = _coherence(order)
            if score > best_score:  # ties keep the agent-first order
                best, best_score = order, score
    return tuple(best)


_YES_NO_START = re.compile(r"^(can|could|do|does|did|is|are|was|will|would|should|have|has|am|so i)\b", re.I)
_YES_NO_ANSWER = re.compile(r"^(yes|yeah|no|not|of course|sure|yep|nope)\b", re.I)
_WORD = re.compile(r"[a-z0-9£]+")
_FILLER = frozenset([
    "the", "and", "you", "your", "for", "that", "this", "with", "have", "what", "will", "can",
    "are", "its", "it's", "from", "there", "just", "about", "into", "then", "them", "they", "would",
    "could", "should", "does", "need", "want",
])


def _asks(line: str) -> bool:
    return line.rstrip().endswith("?")


def _words(line: str) -> set[str]:
    return {w for w in _WORD.findall(line.lower()) if len(w) > 3 and w not in _FILLER}


def _coherence(lines: list[tuple[str, str]]) -> float:
    """How well each question in `lines` is followed by its answer."""
    score = 0.0
    for (said, who), (reply, by) in zip(lines, lines[1:], strict=False):  # neighbours
        if not _asks(said):
            continue
        if by == who:
            score -= 2.0  # a question left hanging while the same side goes on
            continue
        score += 1.0
        question = said.rstrip()[said.rfind(".", 0, len(said) - 1) + 1:].strip()
        if _YES_NO_START.match(question) and _YES_NO_ANSWER.match(reply.strip()):
            score += 1.5
        if "how much" in question.lower() and "£" in reply:
            score += 1.5
        score += 0.5 * len(_words(question) & _words(reply))
    return score


def written_replies(topic: Topic | None) -> tuple[str, ...]:
    """The agent's lines fit for a chat, SMS or email reply (no phone greeting)."""
    if topic is None:
        return ("Thanks, let me check that for you.",)
    replies = tuple(line for line in topic.agent_lines if not is_phone_greeting(line))
    return replies or ("Thanks, let me check that for you.",)


def _topic_from(slug: str, raw: dict) -> Topic | None:
    def lines(key: str) -> tuple[str, ...]:
        value = raw.get(key) or []
        return tuple(str(v) for v in value if isinstance(v, str) and v.strip())

    skill = raw.get("skill") if raw.get("skill") in SKILLS else "tech"
    openers = lines("openers")
    if not openers:
        return None
    return Topic(slug=slug, skill=skill, openers=openers, followups=lines("followups"),
                 subjects=lines("subjects") or (openers[0][:60],),
                 call_lines=lines("call_lines") or openers,
                 agent_lines=lines("agent_lines") or ("Let me check that for you.",))


def load_topics(path: Path | None = None) -> dict[str, Topic]:
    """Topics keyed by slug (= KB article id); built-ins if the file is unusable."""
    path = path or SHARED_DATA / "topics.json"
    topics: dict[str, Topic] = {}
    try:
        raw = json.loads(path.read_text(encoding="utf-8"))
        if isinstance(raw, dict):
            for slug, spec in raw.items():
                if isinstance(slug, str) and isinstance(spec, dict):
                    topic = _topic_from(slug, spec)
                    if topic:
                        topics[slug] = topic
    except (OSError, ValueError) as exc:
        log.info("topics file %s not usable (%s); using built-in topics", path, exc)
    if not topics:
        topics = {slug: t for slug, spec in _BUILTIN.items() if (t := _topic_from(slug, spec))}
    return topics


def _article(path: Path) -> KbArticle | None:
    """One help-centre article; the same Markdown reading as `agentdesk kb import`
    (title from the heading, the `Tags:` line into tags, not into the body)."""
    from agentdesk.kb.importer import parse_markdown

    try:
        text = path.read_text(encoding="utf-8")
        mtime = path.stat().st_mtime
    except (OSError, UnicodeDecodeError):
        return None
    title, body, tags = parse_markdown(text, path.stem.replace("-", " ").capitalize())
    return KbArticle(id=path.stem, title=title, body=body, tags=tags, updated_at=mtime)


class KbLibrary:
    """The KB articles from a folder of Markdown files, rescanned on demand."""

    def __init__(self, folder: Path | None = None) -> None:
        self.folder = folder or SHARED_DATA / "kb"
        self.articles: dict[str, KbArticle] = {}
        self._stamps: dict[str, float] = {}
        self.rescan()

    def rescan(self) -> tuple[list[KbArticle], list[str]]:
        """Reload changed files; returns (new or changed articles, removed ids)."""
        stamps: dict[str, float] = {}
        try:
            for entry in os.scandir(self.folder):
                if entry.name.endswith(".md") and entry.is_file():
                    stamps[entry.name[:-3]] = entry.stat().st_mtime
        except OSError:
            pass
        changed: list[KbArticle] = []
        for stem, mtime in stamps.items():
            if self._stamps.get(stem) != mtime:
                article = _article(self.folder / f"{stem}.md")
                if article:
                    self.articles[stem] = article
                    changed.append(article)
        removed = [stem for stem in self._stamps if stem not in stamps]
        for stem in removed:
            self.articles.pop(stem, None)
        self._stamps = stamps
        return changed, removed

    def since(self, since: float | None) -> list[KbArticle]:
        items = sorted(self.articles.values(), key=lambda a: a.id)
        return [a for a in items if since is None or a.updated_at > since]


def load_dispositions() -> list[Disposition]:
    raw = json.loads((PACKAGE_DATA / "dispositions.json").read_text(encoding="utf-8"))
    return [Disposition.model_validate(d) for d in raw]


def load_canned() -> list[CannedResponse]:
    raw = json.loads((PACKAGE_DATA / "canned_responses.json").read_text(encoding="utf-8"))
    return [CannedResponse.model_validate(d) for d in raw]
