"""Import a folder of help-centre exports (Markdown and HTML) as KbArticles.

Each file is external input: it is decoded strictly, sanitised, and any file
that cannot be turned into an article produces one `ImportError_` entry
instead of stopping the import.

- Markdown (.md, .markdown, .txt): title = first `# ` heading, else the file
  stem; an optional `Tags: a, b` line right after the title becomes tags.
- HTML (.html, .htm): title = <title>, else the first <h1>; text via the
  stdlib html.parser with <script>, <style> and similar dropped.
Article id = file stem (slug), which is what topics and the mock server use.
"""

from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass
from html.parser import HTMLParser
from pathlib import Path

from agentdesk.domain.models import KbArticle
from agentdesk.protocol.sanitize import sanitize_text

MARKDOWN_SUFFIXES = frozenset({".md", ".markdown", ".txt"})
HTML_SUFFIXES = frozenset({".html", ".htm"})
MAX_FILE_BYTES = 2_000_000  # a help article is never this big; refuse, don't choke
MAX_TITLE = 300

_TAGS_RE = re.compile(r"^\s*tags\s*:\s*(.*)$", re.IGNORECASE)
_ID_SAFE_RE = re.compile(r"[^a-z0-9._-]+")


@dataclass(frozen=True)
class ImportProblem:
    """A file that could not be imported, and why (for the CLI and logs)."""

    path: Path
    reason: str

    def __str__(self) -> str:
        return f"{self.path.name}: {self.reason}"


@dataclass(frozen=True)
class ImportResult:
    articles: list[KbArticle]
    errors: list[ImportProblem]


class ArticleError(ValueError):
    """Raised for a single file that is not a usable article."""


def article_id_for(path: Path) -> str:
    """The slug used as article id: the lower-cased file stem, made safe."""
    slug = _ID_SAFE_RE.sub("-", path.stem.lower()).strip("-")
    if not slug:
        raise ArticleError("file name gives an empty article id")
    return slug


def _decode(raw: bytes) -> str:
    if not raw.strip():
        raise ArticleError("file is empty")
    if b"\x00" in raw[:8192]:
        raise ArticleError("binary file (contains NUL bytes)")
    try:
        return raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise ArticleError(f"not valid UTF-8 text (bad byte at offset {exc.start})") from None


def parse_markdown(text: str, fallback_title: str) -> tuple[str, str, list[str]]:
    """(title, body, tags) of a Markdown article."""
    lines = text.splitlines()
    title = ""
    start = 0
    for i, line in enumerate(lines):
        if line.startswith("# "):
            title = line[2:].strip().strip("#").strip()
            start = i + 1
            break
        if line.strip():  # content before any H1: the file has no heading title
            break
    tags: list[str] = []
    rest = lines[start:]
    # Tags line directly after the title (blank lines allowed in between).
    for j, line in enumerate(rest):
        if not line.strip():
            continue
        m = _TAGS_RE.match(line)
        if m:
            tags = [t.strip() for t in m.group(1).split(",") if t.strip()]
            rest = rest[:j] + rest[j + 1:]
        break
    body = "\n".join(rest).strip()
    return (title or fallback_title), body, tags


class _HtmlText(HTMLParser):
    """Collects visible text, the <title> and the first <h1>."""

    _SKIP = frozenset({"script", "style", "noscript", "template", "svg", "head"})
    _BLOCK = frozenset({
        "p", "div", "br", "li", "tr", "h1", "h2", "h3", "h4", "h5", "h6", "section",
        "article", "table", "ul", "ol", "pre", "blockquote", "dt", "dd", "hr",
    })

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.parts: list[str] = []
        self.title = ""
        self.h1 = ""
        self._skip_depth = 0
        self._in_title = False
        self._in_h1 = False
        self._h1_done = False

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag == "title":
            self._in_title = True
        elif tag in self._SKIP:
            self._skip_depth += 1
        elif tag == "h1" and not self._h1_done:
            self._in_h1 = True
        if tag in self._BLOCK:
            self.parts.append("\n")
        if tag == "li":
            self.parts.append("- ")

    def handle_endtag(self, tag: str) -> None:
        if tag == "title":
            self._in_title = False
        elif tag in self._SKIP:
            self._skip_depth = max(0, self._skip_depth - 1)
        elif tag == "h1" and self._in_h1:
            self._in_h1 = False
            self._h1_done = True
        if tag in self._BLOCK:
            self.parts.append("\n")

    def handle_data(self, data: str) -> None:
        if self._in_title:
            self.title += data
            return
        if self._skip_depth:
            return
        if self._in_h1:
            self.h1 += data
        self.parts.append(data)

    def text(self) -> str:
        raw = "".join(self.parts)
        lines = [" ".join(line.split()) for line in raw.splitlines()]
        out: list[str] = []
        for line in lines:
            if line or (out and out[-1]):
                out.append(line)
        return "\n".join(out).strip()


def parse_html(text: str) -> tuple[str, str]:
    """(title, body) of an HTML page; title "" if it has neither <title> nor <h1>."""
    parser = _HtmlText()
    parser.feed(text)
    parser.close()
    title = " ".join(parser.title.split()) or " ".join(parser.h1.split())
    body = parser.text()
    h1 = " ".join(parser.h1.split())
    if h1 and body.startswith(h1):  # do not repeat the heading as the first body line
        body = body[len(h1):].lstrip()
    return title, body


def load_article(path: Path, updated_at: float | None = None) -> KbArticle:
    """Read one file into a KbArticle; raises ArticleError with a clear reason."""
    suffix = path.suffix.lower()
    if suffix not in MARKDOWN_SUFFIXES | HTML_SUFFIXES:
        raise ArticleError(f"unsupported file type {suffix or '(none)'}")
    try:
        size = path.stat().st_size
        if size > MAX_FILE_BYTES:
            raise ArticleError(f"file too large ({size} bytes > {MAX_FILE_BYTES})")
        raw = path.read_bytes()
    except OSError as exc:
        raise ArticleError(f"cannot read file ({exc.strerror or exc})") from None
    text = sanitize_text(_decode(raw))
    if suffix in HTML_SUFFIXES:
        title, body = parse_html(text)
        tags: list[str] = []
        if not title:
            raise ArticleError("HTML page has no <title> and no <h1>")
    else:
        title, body, tags = parse_markdown(text, fallback_title=path.stem)
    title = sanitize_text(title, MAX_TITLE).strip()
    if not title:
        raise ArticleError("no title")
    if not body.strip():
        raise ArticleError("article has a title but no text")
    return KbArticle(
        id=article_id_for(path),
        title=title,
        body=body,
        tags=[sanitize_text(t, 60) for t in tags][:30],
        updated_at=updated_at if updated_at is not None else path.stat().st_mtime,
    )


def import_folder(folder: Path | str) -> ImportResult:
    """Import every supported file directly in `folder` (sorted, not recursive).

    Two files with the same slug (e.g. a.md and a.html): the first in name
    order wins and the other is reported, so ids stay unique.
    """
    root = Path(folder)
    if not root.is_dir():
        raise NotADirectoryError(f"not a folder: {root}")
    articles: list[KbArticle] = []
    errors: list[ImportProblem] = []
    seen: set[str] = set()
    for path in sorted(p for p in root.iterdir() if p.is_file()):
        if path.name.startswith("."):
            continue
        if path.suffix.lower() not in MARKDOWN_SUFFIXES | HTML_SUFFIXES:
            continue  # unrelated files (images, README.pdf) are skipped silently
        try:
            article = load_article(path)
        except ArticleError as exc:
            errors.append(ImportProblem(path, str(exc)))
            continue
        if article.id in seen:
            errors.append(ImportProblem(path, f"duplicate article id {article.id!r}"))
            continue
        seen.add(article.id)
        articles.append(article)
    return ImportResult(articles, errors)


def content_hash(article: KbArticle) -> str:
    """Stable hash of what the index depends on (title, body, tags)."""
    h = hashlib.sha256()
    for part in (article.title, article.body, "\x1f".join(article.tags)):
        h.update(part.encode("utf-8", "surrogatepass"))
        h.update(b"\x1e")
    return h.hexdigest()
