"""Web links in untrusted message text, found conservatively.

`find_links(text)` returns the http/https URLs written *visibly* in `text`, with
their positions, so the timeline can underline them and the agent can open one
(always through `ConfirmLink`, which shows the whole URL first). The text is
never parsed as markup and nothing is taken from escape sequences, so a link
is exactly what the agent reads:

- only `http://` and `https://`, case-insensitive, with a host (and a valid
  port, if any), at most `MAX_URL_CHARS` long;
- a link is a whole word: it starts the text or follows whitespace or an
  opening `(` `<` `"` `'`, and it ends at whitespace, the end, or closing
  punctuation. Anything glued to it (`[link=https://…]`, `=https://…`,
  `https://…]`, an invisible zero-width or bidi character) means no link;
- trailing `. , ; : ! ?` and an unbalanced `)` are not part of it;
- text that still holds control characters or bidi controls (it has not been
  through `agentdesk.protocol.sanitize`, e.g. an OSC 8 hyperlink) yields no
  links at all.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from urllib.parse import urlsplit

MAX_URL_CHARS = 2048
MAX_LINKS_PER_TEXT = 50

# Invisible or direction-changing characters: a URL must not contain them.
_INVISIBLE = "\u00ad\u061c\u115f\u1160\u180e\u200b-\u200f\u202a-\u202e\u2060-\u206f\u3164\ufe00-\ufe0f\ufeff"
# Text that was not sanitised: C0 (except newline, tab), DEL, C1, bidi controls.
_UNSANITISED = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069]")
_URL = re.compile(
    r"https?://[^\s<>\"'`{}|\\^\[\]" + _INVISIBLE + r"\x00-\x1f\x7f-\x9f]+",
    re.IGNORECASE,
)
_OPENERS = frozenset("(<\"'")
_TRAILING = ".,;:!?"
_CLOSERS = frozenset(".,;:!?)>\"'")


@dataclass(frozen=True, slots=True)
class Link:
    """A URL at `text[start:end]` (`url` is exactly that slice)."""

    start: int
    end: int
    url: str


def find_links(text: str) -> list[Link]:
    """The web links written in `text`, in order (see the module docstring)."""
    if "://" not in text or _UNSANITISED.search(text):
        return []
    links: list[Link] = []
    for match in _URL.finditer(text):
        start, end = match.span()
        if start and not (text[start - 1].isspace() or text[start - 1] in _OPENERS):
            continue
        url = _trim(match.group())
        end = start + len(url)
        if end < len(text) and not (text[end].isspace() or text[end] in _CLOSERS):
            continue
        if is_web_url(url):
            links.append(Link(start, end, url))
            if len(links) >= MAX_LINKS_PER_TEXT:
                break
    return links


def is_web_url(url: str) -> bool:
    """An http(s) URL with a host (and a valid port), of a sane length."""
    if len(url) > MAX_URL_CHARS:
        return False
    try:
        parts = urlsplit(url)
        parts.port  # noqa: B018 - raises ValueError on a bad port
    except ValueError:
        return False
    return parts.scheme.lower() in ("http", "https") and bool(parts.hostname)


def _trim(url: str) -> str:
    """Drop sentence punctuation and an unbalanced closing parenthesis at the end."""
    while url:
        last = url[-1]
        if last in _TRAILING or last == ")" and url.count(")") > url.count("("):
            url = url[:-1]
        else:
            break
    return url


def recent_links(items, count: int, on_screen: range, interaction_id: str | None, limit: int,
                 links_of, scan: int = 2_000) -> list[tuple[object, Link]]:
    """Links of one interaction's newest `scan` items and of every item on screen
    (`items[i]` for i < count), newest first, each URL once (its newest mention)."""
    indexes = set(range(count - 1, max(-1, count - 1 - scan), -1))
    indexes.update(on_screen)
    seen: set[str] = set()
    found: list[tuple[object, Link]] = []
    for index in sorted(indexes, reverse=True):
        item = items[index]
        if item.interaction_id != interaction_id and index not in on_screen:
            continue
        for link in reversed(links_of(item)):
            if link.url not in seen:
                seen.add(link.url)
                found.append((item, link))
                if len(found) >= limit:
                    return found
    return found
