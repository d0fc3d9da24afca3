"""Plain text, matched surface words and snippets of an article for display."""

from __future__ import annotations

import re
from functools import lru_cache

from agentdesk.kb.text import (
    JOIN_FIRST_WORDS,
    STOP_WORDS,
    canonical_term,
    join_first_words_for,
    joined_pair,
    synonym_members,
)

# Markdown marks that mean nothing in a one-line preview.
_MD_BLOCK_PREFIX = re.compile(r"^[ \t]{0,3}(?:#{1,6}\s+|>\s?)", re.MULTILINE)
_MD_LIST_PREFIX = re.compile(r"^[ \t]{0,3}(?:[-*+]\s+|\d+[.)]\s+)", re.MULTILINE)
_MD_INLINE = re.compile(r"(\*\*|__|`|\*(?=\S)|(?<=\S)\*)")
_MD_TABLE_RULE = re.compile(r"^[ \t]*\|?[\s:|-]+\|[\s:|-]*$", re.MULTILINE)
_MD_LINK = re.compile(r"\[([^\]]*)\]\([^)]*\)")
_WORD = re.compile(r"[A-Za-z0-9]+(?:['\u2019][A-Za-z]+)?")
_SPACE = re.compile(r"\s+")

SNIPPET_CHARS = 180


@lru_cache(maxsize=1024)  # the same top articles are shown again and again
def plain_text(markdown: str, keep_lists: bool = False) -> str:
    """Markdown -> readable plain text (keeps line breaks between blocks).

    keep_lists: keep "1." / "-" list markers (for e-mail), else drop them.
    """
    text = _MD_TABLE_RULE.sub("", markdown)
    text = _MD_LINK.sub(r"\1", text)
    text = _MD_BLOCK_PREFIX.sub("", text)
    if not keep_lists:
        text = _MD_LIST_PREFIX.sub("", text)
    text = _MD_INLINE.sub("", text)
    text = text.replace("|", " ")
    lines = [_SPACE.sub(" ", line).strip() for line in text.splitlines()]
    out: list[str] = []
    for line in lines:
        if line or (out and out[-1]):
            out.append(line)
    return "\n".join(out).strip()


@lru_cache(maxsize=2048)
def _candidate_re(terms: frozenset[str]) -> re.Pattern[str] | None:
    """A regex for words that *may* analyse to one of `terms`.

    Porter stems are prefixes of the words they come from once a trailing
    "i"/"e" is dropped (happi <- happy, size <- sizing), so the words worth
    checking start with a term, a synonym of it, or the first word of a joined
    spelling. The regex runs in C; only its hits are analysed in Python.
    """
    prefixes: set[str] = set()
    for source in terms | {m for m, head in synonym_members().items() if head in terms}:
        stem = source[:-1] if len(source) > 2 and source[-1] in "ie" else source
        prefixes.add(stem)
    prefixes |= {first for first, target in join_first_words_for().items() if target & terms}
    prefixes = {p for p in prefixes if p}
    if not prefixes:
        return None
    alternation = "|".join(re.escape(p) for p in sorted(prefixes, key=len, reverse=True))
    return re.compile(r"(?<![A-Za-z0-9])(?:" + alternation + r")[A-Za-z0-9]*(?:['\u2019][A-Za-z]+)?",
                      re.IGNORECASE)


def matched_spans(text: str, terms: frozenset[str]) -> list[tuple[int, int, str]]:
    """(start, end, surface) of every word (or joined word pair such as
    "Wi-Fi") of `text` whose analysed term is in `terms`."""
    pattern = _candidate_re(terms) if terms else None
    if pattern is None:
        return []
    spans: list[tuple[int, int, str]] = []
    hit: dict[str, bool] = {}  # words repeat a lot within one article
    pos = 0
    while True:
        m = pattern.search(text, pos)
        if m is None:
            return spans
        pos = m.end()
        word = m.group(0).lower()
        if word in JOIN_FIRST_WORDS:
            nxt = _WORD.match(text, m.end() + 1) if m.end() < len(text) else None
            if nxt is not None:
                joined = joined_pair(word, text[m.end():nxt.start()], nxt.group(0))
                if joined is not None:
                    if canonical_term(joined) in terms:
                        spans.append((m.start(), nxt.end(), text[m.start():nxt.end()]))
                    pos = nxt.end()
                    continue
        found = hit.get(word)
        if found is None:
            found = hit[word] = (word not in STOP_WORDS
                                 and canonical_term(word.replace("\u2019", "'")) in terms)
        if found:
            spans.append((m.start(), m.end(), m.group(0)))


def surface_words(spans: list[tuple[int, int, str]], limit: int = 12) -> list[str]:
    seen: dict[str, str] = {}
    for _s, _e, word in spans:
        seen.setdefault(word.lower(), word)
    return list(seen.values())[:limit]


def snippet(text: str, spans: list[tuple[int, int, str]], width: int = SNIPPET_CHARS) -> str:
    """A one-line window of `text` holding the most distinct matched words."""
    if len(text) <= width:
        return _SPACE.sub(" ", text).strip()
    best_start, best_count = 0, 0
    for start, _e, _w in spans:
        distinct = {w.lower() for s, e, w in spans if start <= s and e <= start + width}
        if len(distinct) > best_count:
            best_start, best_count = start, len(distinct)
    # Give the first match some left context, then cut at word boundaries on
    # the whitespace-collapsed window.
    lead = max(0, best_start - width // 5)
    if lead > 0:
        space = max(text.rfind(" ", 0, lead + 1), text.rfind("\n", 0, lead + 1))
        lead = space + 1 if space >= 0 else lead
    window = _SPACE.sub(" ", text[lead: lead + width * 2]).strip()
    piece = window[:width]
    cut_tail = lead + width * 2 < len(text) or len(window) > width
    if len(window) > width:
        space = piece.rfind(" ")
        piece = piece[:space] if space > width // 2 else piece
    return ("..." if lead > 0 else "") + piece.strip() + ("..." if cut_tail else "")
