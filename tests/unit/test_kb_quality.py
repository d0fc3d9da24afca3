"""Quality regression: agentdesk ranks at least as well as plain BM25.

Both rankers run in this test on the same articles and the same labelled
queries, so this is a ratio, not an absolute figure or a timing.
"""

import json
from pathlib import Path

from agentdesk.kb import KnowledgeBase
from agentdesk.kb.evaluation import PlainBM25, case_text, evaluate
from agentdesk.kb.importer import import_folder

ROOT = Path(__file__).resolve().parent.parent.parent



def test_agentdesk_beats_plain_bm25_on_the_demo_eval_set():
    articles = import_folder(ROOT / "agentdesk" / "data" / "kb").articles
    cases = [json.loads(line) for line in
             (ROOT / "tests" / "data" / "kb_eval.jsonl").read_text().splitlines() if line.strip()]
    kb = KnowledgeBase.from_articles(articles)
    bm25 = PlainBM25(articles)

    def ours(case):
        if "turns" in case:
            return [s.article_id for s in kb.suggest(case["turns"], n=5)]
        return [s.article_id for s in kb.search(case["query"], n=5)]

    mine = evaluate(cases, ours)
    base = evaluate(cases, lambda case: bm25.rank(case_text(case), n=5))
    assert mine.mrr_at_5 >= base.mrr_at_5, (mine, base)
    assert mine.recall_at_3 >= base.recall_at_3, (mine, base)
    # Held-out half too: the margin must not only exist on the tuning half.
    held_out = [c for c in cases if c["split"] == "test"]
    assert evaluate(held_out, ours).mrr_at_5 >= evaluate(
        held_out, lambda case: bm25.rank(case_text(case), n=5)).mrr_at_5
