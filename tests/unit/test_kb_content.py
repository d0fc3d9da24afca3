"""The shipped demo KB and topics.json agree and look like a real help centre."""

import json
import re
from pathlib import Path

from agentdesk.kb.importer import import_folder

ROOT = Path(__file__).resolve().parent.parent.parent
KB_DIR = ROOT / "agentdesk" / "data" / "kb"
TOPICS = ROOT / "agentdesk" / "data" / "topics.json"
EVAL = ROOT / "tests" / "data" / "kb_eval.jsonl"


def load_topics() -> dict:
    return json.loads(TOPICS.read_text())


def test_every_article_has_a_topic_and_vice_versa():
    slugs = {p.stem for p in KB_DIR.glob("*.md")}
    assert len(slugs) >= 45
    assert set(load_topics()) == slugs


def test_articles_import_cleanly_with_enough_words():
    result = import_folder(KB_DIR)
    assert result.errors == []
    for article in result.articles:
        words = len(article.body.split())
        assert 150 <= words <= 400, (article.id, words)
        assert article.title and article.title != article.id


def test_topics_have_the_documented_shape():
    for slug, topic in load_topics().items():
        assert topic["skill"] in {"tech", "billing", "sales", "account"}, slug
        assert 4 <= len(topic["openers"]) <= 6, slug
        assert 3 <= len(topic["followups"]) <= 5, slug
        assert 2 <= len(topic["subjects"]) <= 3, slug
        assert 5 <= len(topic["call_lines"]) <= 8, slug
        assert 5 <= len(topic["agent_lines"]) <= 8, slug
        for key in ("openers", "followups", "subjects", "call_lines", "agent_lines"):
            assert all(isinstance(x, str) and x.strip() for x in topic[key]), (slug, key)
            assert len(set(topic[key])) == len(topic[key]), (slug, key)


def test_eval_queries_are_not_topic_phrases_and_point_at_real_articles():
    topics = load_topics()
    phrases = {re.sub(r"\W+", " ", x.lower()).strip()
               for t in topics.values() for k in ("openers", "followups", "subjects", "call_lines")
               for x in t[k]}
    cases = [json.loads(line) for line in EVAL.read_text().splitlines() if line.strip()]
    assert len(cases) >= 80
    for case in cases:
        for text in case.get("turns", [case.get("query", "")]):
            assert re.sub(r"\W+", " ", text.lower()).strip() not in phrases, text
        assert set(case["relevant"]) <= set(topics), case


def test_customer_phrasing_does_not_copy_article_titles():
    from agentdesk.kb.text import STOP_WORDS

    def words(text: str) -> set[str]:
        return {w for w in re.findall(r"[a-z0-9]+", text.lower().replace("wi-fi", "wifi"))
                if w not in STOP_WORDS}

    titles = {a.id: words(a.title) - {"brightline"} for a in import_folder(KB_DIR).articles}
    for slug, topic in load_topics().items():
        title = titles[slug]
        if len(title) < 2:
            continue
        for text in topic["openers"] + topic["subjects"] + topic["followups"]:
            assert len(title & words(text)) / len(title) < 0.6, (slug, text)
