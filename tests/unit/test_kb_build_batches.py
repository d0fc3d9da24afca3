"""The desk's in-memory KB, built a few articles at a time (pausing for the UI
loop), ranks exactly as one built in one go."""

from __future__ import annotations

from pathlib import Path

from agentdesk.kb import KnowledgeBase
from agentdesk.kb.importer import import_folder
from agentdesk.ui.screens import desk_support
from agentdesk.ui.screens.desk_support import SuggestionSource

KB_DIR = Path(desk_support.__file__).parents[2] / "data" / "kb"


def test_batched_build_ranks_as_one_built_at_once(monkeypatch):
    monkeypatch.setattr(desk_support, "BUILD_PAUSE_S", 0.0)
    articles = list(import_folder(KB_DIR).articles)
    assert len(articles) > 10
    whole = KnowledgeBase.from_articles(articles)
    batched = SuggestionSource.build(articles, batch=3)
    for turns in (["my router keeps dropping the connection"], ["refund for a double charge"],
                  ["how do I change my address", "I moved house last week"]):
        assert [(s.article_id, round(s.score, 9)) for s in batched.suggest(turns)] == \
            [(s.article_id, round(s.score, 9)) for s in whole.suggest(turns)]
    assert sorted(a.id for a in articles) == sorted(batched.index.ids())
