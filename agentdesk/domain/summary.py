"""A drafted wrap-up summary of one contact: extractive, local, no network.

From the contact's conversation (messages, call transcript) it picks sentences
said in the contact and sorts them into: why the customer got in touch, what
the agent did, what was promised, the next step, and the callback if one was
scheduled. Nothing is generated: every line is a sentence that was said (or
the self-service path), so a draft can be wrong only by choosing badly, never
by inventing. The agent edits it before it is saved as the wrap-up note.

How well it chooses is measured on the mock server's scripted conversations
(docs/summary.md, `bench/bench_summary.py`).
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from agentdesk.domain.models import Interaction, TimelineItem

_SENTENCE = re.compile(r"(?<=[.!?])\s+(?=[A-Z0-9£\"'(])")
_GREETING = re.compile(
    r"^(hi|hello|hey|yeah|yes|ok|okay|right|oh|thanks|thank you|great|lovely|perfect|"
    r"no problem|sure|good morning|good afternoon)\b[\s,.!]*", re.IGNORECASE)
# The agent's words for something done during the contact.
_DONE = re.compile(
    r"\b(i've|i have|we've|we have|that's (?:added|done|sorted)|(?:is|are|it's) (?:added|"
    r"done|booked|live)|added|ordered|booked|cancelled|credited|refunded|applied|updated|"
    r"changed|turned|switched|confirmed|noted|raised|logged|arranged|set the)\b",
    re.IGNORECASE)
# A commitment about later: what the customer can hold the company to.
_PROMISE = re.compile(
    r"\b(i'll|i will|we'll|we will|you'll (?:get|receive|have)|you will (?:get|receive)|"
    r"it'll|it will|will be|within \d+|completes|takes (?:a few|\d+) (?:days|minutes|hours)|"
    r"arrive|send you|email you|call you back|ring you back)\b"
    # An offer made to the customer binds as much ("I can also spread the £64 over 6
    # months", "we can transfer the account"); not "I can help / see / check".
    r"|\b(?:i|we) can (?:also )?(?!help|see|check|hear|understand|definitely help)[a-z]+",
    re.IGNORECASE)
# What happens next on the customer's side (their own words), or the agent's advice.
_CUSTOMER_NEXT = re.compile(r"\b(i'll|i will|we'll|let's|send me|add it|book it|go ahead)\b",
                            re.IGNORECASE)
_ADVICE = re.compile(r"\b(you can|please|if it happens again|make sure|try)\b", re.IGNORECASE)
# An instruction given as an imperative ("Turn on Record padding.", "Text PAC to 65075").
_INSTRUCTION = re.compile(
    r"^(turn|text|restart|reset|press|go|open|tap|choose|select|use|unplug|plug|hold|reply|"
    r"upload|return|take|switch|log|sign|visit|enter|type)\b", re.IGNORECASE)
_WORD = re.compile(r"[a-z0-9£']+")
# Words too common to say what a sentence is about (relevance to the reason).
_STOP_WORDS = (
    "a an the and or but to of in on at for with from by is are was be been it its it's this "
    "that i i'm i've me my we we'll our you you'll your can can't do does did don't not no yes "
    "will would could should have has had get got what how when where why which who if so "
    "just now any all some there here up out off about as then also very really")
_STOP = frozenset(_STOP_WORDS.split())
_CALLBACK = re.compile(r"\b(call you back|ring you back|callback)\b", re.IGNORECASE)
_SMALL_TALK = re.compile(r"\b(speaking|how can i help|anything else)\b", re.IGNORECASE)
MAX_DONE = 2
MAX_PROMISED = 2


@dataclass(frozen=True, slots=True)
class Said:
    """One sentence of the conversation: who said it, in order."""

    who: str  # "customer" or "agent"
    text: str


@dataclass(slots=True)
class WrapupSummary:
    reason: str = ""
    done: list[str] = field(default_factory=list)
    promised: list[str] = field(default_factory=list)
    next_step: str = ""
    callback: str = ""

    def one_line(self) -> str:
        """The same parts on one line (the wrap-up dialog's notes field is one line)."""
        return " | ".join(self.text().splitlines())

    def text(self) -> str:
        """The draft as the wrap-up note: one labelled line per part that has content."""
        lines = [f"Reason: {self.reason}" if self.reason else "Reason: (not found)"]
        if self.done:
            lines.append("Done: " + " ".join(self.done))
        if self.promised:
            lines.append("Promised: " + " ".join(self.promised))
        if self.next_step:
            lines.append(f"Next step: {self.next_step}")
        if self.callback:
            lines.append(f"Callback: {self.callback}")
        return "\n".join(lines)


def conversation(items: Iterable[TimelineItem], interaction_id: str | None = None) -> list[Said]:
    """The sentences of a contact's messages and transcript, in order (notes and
    system items are not the conversation)."""
    said: list[Said] = []
    for item in items:
        if interaction_id is not None and item.interaction_id != interaction_id:
            continue
        kind = item.kind.value
        if kind == "transcript":
            who = "customer" if item.speaker == "customer" else "agent"
        elif kind == "message":
            who = "customer" if item.direction.value == "inbound" else "agent"
        else:
            continue
        said.extend(Said(who, s) for s in sentences(item.body))
    return said


def sentences(text: str) -> list[str]:
    parts = (p.strip() for line in text.splitlines() for p in _SENTENCE.split(line))
    return [p for p in parts if p]


def draft(said: Sequence[Said], *, interaction: Interaction | None = None,
          callback: str = "") -> WrapupSummary:
    """The summary of one contact. `callback`: the scheduled callback in words
    ("Tue 14:30, Refund check"), if the agent made one."""
    summary = WrapupSummary(callback=callback)
    summary.reason = _reason(said, interaction)
    agent = [s.text for s in said if s.who == "agent" and not _SMALL_TALK.search(s.text)]
    summary.promised = _pick(agent, _PROMISE, MAX_PROMISED, questions=False)
    summary.done = [t for t in _pick(agent, _DONE, MAX_DONE + MAX_PROMISED, questions=False)
                    if t not in summary.promised][:MAX_DONE]
    summary.next_step = _next_step(said, summary.reason)
    if not summary.callback:
        promised_call = next((s.text for s in said if s.who == "agent" and _CALLBACK.search(s.text)),
                             "")
        summary.callback = f"promised on the call: {promised_call}" if promised_call else ""
    return summary


def _reason(said: Sequence[Said], interaction: Interaction | None) -> str:
    first = ""
    for s in said:
        if s.who != "customer":
            continue
        text = _ungreeted(s.text)
        if len(text.split()) >= 3 and not text.endswith("?") or len(text.split()) >= 5:
            first = text[:1].upper() + text[1:]
            break
    service = interaction.self_service if interaction is not None else None
    path = " > ".join(service.path) if service is not None and service.path else ""
    if path and first:
        return f"{first} ({path})"
    return first or path or (interaction.subject or "" if interaction is not None else "")


def _ungreeted(text: str) -> str:
    """`text` without its opening "Hi, yeah, OK," words."""
    while (shorter := _GREETING.sub("", text, count=1).strip()) != text:
        text = shorter
    return text


def _pick(lines: Sequence[str], pattern: re.Pattern[str], limit: int, *,
          questions: bool) -> list[str]:
    found: list[str] = []
    for line in lines:
        if not questions and line.endswith("?"):
            continue
        if pattern.search(line) and line not in found:
            found.append(line)
        if len(found) >= limit:
            break
    return found


def _next_step(said: Sequence[Said], reason: str = "") -> str:
    """The customer's own last commitment ("OK, I'll reset it now"), else the
    agent's advice or instruction most about why the customer got in touch (the
    words it shares with the reason; the latest on a tie). A chat answers each
    question in turn, so its last advice is often about a side question ("Please
    choose something at least 10 characters long" after "You can reset it with
    Forgot password" for a forgotten password)."""
    for s in reversed(said):
        if s.who == "customer" and _CUSTOMER_NEXT.search(s.text):
            return "Customer: " + _ungreeted(s.text)
    advice = [s.text for s in said if s.who == "agent" and not s.text.endswith("?")
              and (_ADVICE.search(s.text) or _INSTRUCTION.search(s.text))]
    if not advice:
        return ""
    about = _content_words(reason)
    best = max(range(len(advice)), key=lambda i: (len(about & _content_words(advice[i])), i))
    return advice[best]


def _content_words(text: str) -> set[str]:
    """Lower-case words that say what a sentence is about, crudely stemmed (a
    trailing "s" dropped: "recordings" ~ "recording")."""
    return {w.rstrip("s") if len(w) > 3 else w
            for w in _WORD.findall(text.lower()) if w not in _STOP}
