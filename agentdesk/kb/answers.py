"""Turn an article into a reply the agent can insert: short (chat/SMS) or e-mail."""

from __future__ import annotations

import re

from agentdesk.domain.models import KbArticle
from agentdesk.kb.snippets import plain_text

SHORT_MAX_CHARS = 320
_SENTENCE_END = re.compile(r"(?<=[.!?])\s+(?=[A-Z0-9\"'(])")
_HEADING = re.compile(r"^\s{0,3}#{1,6}\s")
_TABLE_ROW = re.compile(r"^\s*\|")


def _prose_lines(body: str) -> list[str]:
    """Body lines that are sentences: no headings, table rows or list items."""
    out = []
    for line in body.splitlines():
        stripped = line.strip()
        if not stripped or _HEADING.match(line) or _TABLE_ROW.match(line):
            continue
        if re.match(r"^([-*+]|\d+[.)])\s", stripped):
            continue
        out.append(plain_text(stripped))
    return out


def short_answer(article: KbArticle, max_chars: int = SHORT_MAX_CHARS) -> str:
    """2-3 sentences from the article's opening prose, for chat or SMS.

    Takes whole sentences from the first paragraphs until three sentences or
    `max_chars`; falls back to the cut first sentence of the plain text.
    """
    sentences: list[str] = []
    for line in _prose_lines(article.body):
        sentences.extend(s.strip() for s in _SENTENCE_END.split(line) if s.strip())
        if len(sentences) >= 3:
            break
    picked: list[str] = []
    total = 0
    for sentence in sentences:
        extra = len(sentence) + (1 if picked else 0)
        if picked and (len(picked) >= 3 or total + extra > max_chars):
            break
        picked.append(sentence)
        total += extra
    text = " ".join(picked) if picked else plain_text(article.body).replace("\n", " ")
    if len(text) > max_chars:
        cut = text.rfind(" ", 0, max_chars - 3)
        text = text[: cut if cut > 0 else max_chars - 3].rstrip(",;: ") + "..."
    return text


def email_answer(article: KbArticle, customer_name: str | None = None,
                 agent_name: str = "The Brightline team") -> str:
    """Greeting + the full article as plain text + sign-off."""
    first = (customer_name or "").strip().split(" ")[0] if customer_name else ""
    greeting = f"Hi {first}," if first else "Hello,"
    body = plain_text(_tables_to_text(article.body), keep_lists=True)
    return (
        f"{greeting}\n\n"
        f"Thanks for getting in touch. Here is how to sort this out ({article.title}):\n\n"
        f"{body}\n\n"
        "If anything is unclear, just reply to this e-mail and we'll help.\n\n"
        f"Kind regards,\n{agent_name}\n"
    )


def _tables_to_text(body: str) -> str:
    """Markdown table rows -> indented "a - b - c" lines; rules dropped."""
    out: list[str] = []
    for line in body.splitlines():
        stripped = line.strip()
        if stripped.startswith("|") and re.fullmatch(r"[\s:|-]+", stripped):
            continue  # the |---|---| rule under the header
        if stripped.startswith("|"):
            cells = [c.strip() for c in stripped.strip("|").split("|")]
            out.append("  " + " - ".join(c for c in cells if c))
            continue
        out.append(line)
    return "\n".join(out)
