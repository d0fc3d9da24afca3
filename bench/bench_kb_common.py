"""Shared by the KB benchmarks: the eval sets and the second corpus (Debian FAQ).

The Debian FAQ (package `debian-faq`) ships one HTML page per chapter under
/usr/share/doc/debian/FAQ/; every <h2> section is one question, which becomes
one article here (id = the section anchor, e.g. "listfiles").
"""

from __future__ import annotations

import json
import re
from pathlib import Path

from agentdesk.domain.models import KbArticle
from agentdesk.kb.importer import import_folder, parse_html

ROOT = Path(__file__).resolve().parent.parent
DEMO_KB = ROOT / "agentdesk" / "data" / "kb"
TOPICS = ROOT / "agentdesk" / "data" / "topics.json"
EVAL_DEMO = ROOT / "tests" / "data" / "kb_eval.jsonl"
EVAL_DEBIAN = ROOT / "tests" / "data" / "kb_eval_debian.jsonl"
DEBIAN_FAQ_DIRS = (Path("/usr/share/doc/debian/FAQ"), Path("/usr/share/doc/debian-faq"))

_H2 = re.compile(r'<h2 class="title"><a id="([^"]+)"></a>(.*?)</h2>', re.S)
_NUMBER = re.compile(r"^\s*[\d.]+\s*")


def demo_articles() -> list[KbArticle]:
    return import_folder(DEMO_KB).articles


def load_eval(path: Path) -> list[dict]:
    return [json.loads(line) for line in path.read_text().splitlines() if line.strip()]


def debian_faq_dir() -> Path | None:
    for d in DEBIAN_FAQ_DIRS:
        if d.is_dir() and any(d.glob("*.en.html")):
            return d
    return None


def debian_articles(folder: Path) -> list[KbArticle]:
    """One article per <h2> question of every chapter page."""
    articles: list[KbArticle] = []
    for page in sorted(folder.glob("*.en.html")):
        if page.name.startswith("index"):
            continue
        html = page.read_text(encoding="utf-8", errors="replace")
        marks = list(_H2.finditer(html))
        for i, m in enumerate(marks):
            end = marks[i + 1].start() if i + 1 < len(marks) else len(html)
            _t, body = parse_html(html[m.end():end])
            title = _NUMBER.sub("", parse_html(f"<h1>{m.group(2)}</h1>")[0])
            if title and body.strip():
                articles.append(KbArticle(id=m.group(1), title=title, body=body))
    return articles
