"""Text analysis shared by indexing and querying: one pipeline for both sides.

surface text -> normalised (lower case, NFKC, joined spellings such as
"wi-fi" -> "wifi") -> word tokens -> stop words dropped -> Porter stems ->
canonical terms (support-language synonyms and abbreviations collapse to
one term, so "invoice" meets "bill" and "router" meets "hub").

Indexed text is stored as space-joined canonical terms, which FTS5 then
tokenises trivially; queries go through the same `analyze` so both sides
always agree.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterator
from functools import lru_cache

from agentdesk.kb.stemmer import porter_stem

# Multi-word and hyphenated spellings joined before tokenising. Applied to
# whole words only; keys are lower case.
_JOINS: dict[str, str] = {
    "wi-fi": "wifi", "wi fi": "wifi", "e-sim": "esim", "e sim": "esim",
    "e-mail": "email", "set-up": "setup", "log-in": "login", "log in": "login",
    "sign-in": "login", "sign in": "login", "signin": "login",
    "direct debit": "directdebit", "direct-debit": "directdebit",
    "pay as you go": "payg", "pay-as-you-go": "payg",
    "full fibre": "fullfibre", "full-fibre": "fullfibre", "full fiber": "fullfibre",
    "passed away": "died", "pass away": "died",
    "money back": "refund", "cut off": "disconnect", "cutting out": "disconnect",
    "cuts out": "disconnect", "cut out": "disconnect", "drops out": "disconnect",
    "keeps dropping": "disconnect", "dropping out": "disconnect",
    "text message": "text", "sim card": "sim", "phone number": "number",
    "voice mail": "voicemail", "answer phone": "voicemail",
    "set top box": "tvbox", "tv box": "tvbox", "telly box": "tvbox",
    "porting code": "pac", "port my number": "pac number", "bring my number": "pac number",
    "keep my number": "pac number", "keep my mobile number": "pac number",
    "out of contract": "outofcontract", "early termination": "etc",
    "exit fee": "etc", "cancellation fee": "etc", "termination charge": "etc",
    "power of attorney": "attorney", "social tariff": "socialtariff",
    "speed test": "speedtest", "speedtest": "speedtest",
    "two step": "2fa", "two-step": "2fa", "two factor": "2fa", "2-step": "2fa",
    "one time code": "otp", "one-time code": "otp",
}
# First words of two-word joins, so display code only tries pairs where useful.
JOIN_FIRST_WORDS: frozenset[str] = frozenset(k.split(" ")[0].split("-")[0] for k in _JOINS)
_JOIN_RE = re.compile(
    r"\b(?:" + "|".join(re.escape(k) for k in sorted(_JOINS, key=len, reverse=True)) + r")\b"
)

# Word tokens: letters/digits, with internal apostrophes kept (don't, can't).
_TOKEN_RE = re.compile(r"[a-z0-9]+(?:'[a-z]+)?")
# "15gb", "500mbps", "4k": split number from unit so "gb" can match "GB".
_NUM_UNIT_RE = re.compile(r"^(\d+)([a-z]+)$")

# Standard English function words.
BASE_STOP_WORDS: frozenset[str] = frozenset([
    "a", "about", "above", "after", "again", "against", "all", "am", "an", "and", "any", "are",
    "aren't", "as", "at", "be", "because", "been", "before", "being", "below", "between", "both",
    "but", "by", "can", "can't", "cannot", "could", "couldn't", "did", "didn't", "do", "does",
    "doesn't", "doing", "don't", "down", "during", "each", "few", "for", "from", "further", "had",
    "hadn't", "has", "hasn't", "have", "haven't", "having", "he", "he'd", "he'll", "he's", "her",
    "here", "here's", "hers", "herself", "him", "himself", "his", "how", "how's", "i", "i'd",
    "i'll", "i'm", "i've", "if", "in", "into", "is", "isn't", "it", "it's", "its", "itself",
    "let's", "me", "more", "most", "mustn't", "my", "myself", "no", "nor", "not", "of", "off", "on",
    "once", "only", "or", "other", "ought", "our", "ours", "ourselves", "out", "over", "own",
    "same", "shan't", "she", "she'd", "she'll", "she's", "should", "shouldn't", "so", "some",
    "such", "than", "that", "that's", "the", "their", "theirs", "them", "themselves", "then",
    "there", "there's", "these", "they", "they'd", "they'll", "they're", "they've", "this", "those",
    "through", "to", "too", "under", "until", "up", "very", "was", "wasn't", "we", "we'd", "we'll",
    "we're", "we've", "were", "weren't", "what", "what's", "when", "when's", "where", "where's",
    "which", "while", "who", "who's", "whom", "why", "why's", "with", "won't", "would", "wouldn't",
    "you", "you'd", "you'll", "you're", "you've", "your", "yours", "yourself", "yourselves",
])
# Chat filler customers type that says nothing about the topic.
CHATTER_WORDS: frozenset[str] = frozenset([
    "im", "ive", "dont", "cant", "wont", "didnt", "doesnt", "isnt", "wasnt", "havent", "u", "ur",
    "pls", "plz", "please", "hi", "hello", "hey", "thanks", "thank", "thx", "cheers", "ok", "okay",
    "yes", "yeah", "yep", "just", "also", "get", "got", "getting", "really", "still", "know",
    "want", "wanted", "need", "needs", "needed", "like", "would", "could", "one", "two", "tried",
    "trying", "try", "help", "anyone", "someone", "something", "thing", "things", "way", "bit",
    "lot", "lots", "since", "ago", "today", "now", "already", "even", "well", "brightline", "go",
    "going",
])
STOP_WORDS: frozenset[str] = BASE_STOP_WORDS | CHATTER_WORDS

# Canonical classes: every member (after stemming) maps to the first word's
# stem. Kept to support vocabulary where the words are interchangeable for
# the customer; ambiguous words (e.g. "down", "line") stay out on purpose.
_SYNONYM_CLASSES: tuple[tuple[str, ...], ...] = (
    ("wifi", "wireless", "wlan"),
    ("broadband", "internet", "bb", "net"),
    ("hub", "router", "modem", "homehub"),
    ("bill", "invoice", "statement", "billing"),
    ("charge", "fee", "charged", "surcharge"),
    ("price", "cost", "pricing", "tariff"),
    ("phone", "mobile", "handset", "smartphone", "cellphone", "mob"),
    ("cancel", "terminate", "termination", "cancellation"),
    ("refund", "reimburse", "reimbursement", "repay", "repaid"),
    ("move", "moving", "relocate", "relocating", "relocation"),
    ("tv", "television", "telly", "tele"),
    ("remote", "clicker", "zapper"),
    ("password", "passcode", "pwd", "passwd"),
    ("signal", "reception", "coverage"),
    ("slow", "sluggish", "laggy", "lag", "crawl", "crawling", "slower"),
    ("disconnect", "drop", "dropping", "drops"),
    ("abroad", "overseas", "roam", "roaming"),
    ("stolen", "steal", "nick", "nicked", "theft", "pinch", "pinched"),
    ("engineer", "technician"),
    ("complaint", "complain", "complaining"),
    ("died", "death", "deceased", "bereavement", "funeral"),
    ("voicemail", "answerphone", "vm"),
    ("scam", "spam", "phishing", "fraud", "dodgy", "scammer", "fake"),
    ("child", "children", "kid", "kids", "son", "daughter", "teenager"),
    ("outage", "outages"),
    ("account", "acc", "acct"),
    ("directdebit", "dd"),
    ("netflix",), ("disney",),
    ("fullfibre", "fttp", "ftth"),
    ("upgrade", "upgrading"),
    ("esim", "esims"),
    ("freez", "frozen", "freeze", "freezing", "froze"),
    ("gb", "gig", "gigs", "gigabyte", "gigabytes"),
    ("mbps", "meg", "megs", "mb", "megabit"),
    ("speed", "speeds", "fast", "faster"),
    ("email", "mail"),
    ("address", "postcode"),
    ("record", "recording", "recordings", "rec"),
    # General support vocabulary (added while tuning on the dev half; see docs/kb.md).
    ("computer", "machine", "pc", "laptop", "desktop"),
    ("log", "history"),
    ("remove", "delete", "uninstall", "erase"),
    ("find", "locate", "search", "lookup"),
    ("fix", "repair", "solve", "resolve"),
    ("error", "fault", "problem", "issue"),
)


@lru_cache(maxsize=200_000)
def canonical_term(word: str) -> str:
    """The index/query term for one lower-case word token (stem + synonyms)."""
    word = word.replace("'", "")
    stem = porter_stem(word)
    return _SYNONYMS.get(stem, stem)


_UNIT_WORDS = frozenset({"gb", "mb", "mbps", "gig", "gigs", "meg", "megs", "p", "min", "mins"})


def _build_synonyms() -> dict[str, str]:
    table: dict[str, str] = {}
    for cls in _SYNONYM_CLASSES:
        head = porter_stem(cls[0])
        for member in cls:
            table.setdefault(porter_stem(member), head)
    return table


_SYNONYMS = _build_synonyms()


def normalize(text: str) -> str:
    """Lower case, compatibility-fold, and join multi-word spellings."""
    # NFKD + dropping combining marks folds accents ("café" -> "cafe").
    text = unicodedata.normalize("NFKD", text)
    text = "".join(ch for ch in text if not unicodedata.combining(ch)).lower()
    text = text.replace("\u2019", "'").replace("\u2018", "'")
    return _JOIN_RE.sub(lambda m: _JOINS[m.group(0)], text)


def iter_tokens(text: str) -> Iterator[tuple[str, int, int]]:
    """(word, start, end) over *normalised* text, stop words included."""
    for m in _TOKEN_RE.finditer(text):
        yield m.group(0), m.start(), m.end()


def analyze(text: str) -> list[str]:
    """Canonical terms of `text` in order, stop words dropped."""
    out: list[str] = []
    for word, _s, _e in iter_tokens(normalize(text)):
        if word in STOP_WORDS or len(word) > 40:
            continue
        m = _NUM_UNIT_RE.match(word)
        if m and m.group(2) in _UNIT_WORDS:
            # "15gb" -> "15", "gb": both halves can match separately.
            out.append(m.group(1))
            word = m.group(2)
        out.append(canonical_term(word))
    return out


def is_term_of(word: str, terms: frozenset[str] | set[str]) -> bool:
    """Whether a surface word (any case) analyses to one of `terms`."""
    w = normalize(word)
    return any(canonical_term(t) in terms for t, _s, _e in iter_tokens(w) if t not in STOP_WORDS)


def synonym_members() -> dict[str, str]:
    """Stem of every synonym member -> its canonical term (for the speller)."""
    return dict(_SYNONYMS)


def joined_pair(first: str, between: str, second: str) -> str | None:
    """The joined spelling of two adjacent surface words ("Wi" "-" "Fi" ->
    "wifi"), or None if the pair is not one of the joined spellings."""
    if between not in (" ", "-"):
        return None
    joined = _JOINS.get(f"{first.lower()}{between}{second.lower()}")
    return joined if joined is not None and " " not in joined else None


@lru_cache(maxsize=1)
def join_first_words_for() -> dict[str, frozenset[str]]:
    """First word of each joined spelling -> the canonical terms it can start."""
    out: dict[str, set[str]] = {}
    for key, joined in _JOINS.items():
        if " " in joined:
            continue
        first = re.split(r"[ -]", key)[0]
        out.setdefault(first, set()).add(canonical_term(joined))
    return {k: frozenset(v) for k, v in out.items()}
