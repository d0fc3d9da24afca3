"""Figures of the wrap-up summary on the scripted conversations (docs/summary.md).

    .venv/bin/python bench/bench_summary.py [--show]
"""

from __future__ import annotations

import sys
from pathlib import Path

from agentdesk.domain.summary import draft
from agentdesk.mockserver.sim.content import load_topics
from agentdesk.mockserver.sim.summary_eval import call_said, chat_said, evaluate

CASES = Path(__file__).resolve().parent.parent / "tests" / "data" / "summary_eval.json"


def main() -> None:
    topics = load_topics()
    results = evaluate(topics, CASES)
    for channel in ("voice", "chat"):
        mine = [r for r in results if r.channel == channel]
        topic = sum(r.topic_named for r in mine)
        action = sum(r.action_named for r in mine)
        print(f"labelled set, {channel}: {len(mine)} conversations; topic named {topic}/{len(mine)}"
              f" ({100 * topic / len(mine):.0f}%), promised action named {action}/{len(mine)}"
              f" ({100 * action / len(mine):.0f}%)")
        for r in mine:
            if not (r.topic_named and r.action_named) and "--show" in sys.argv:
                print(f"  miss {r.slug}: {r.summary.text()!r}")
    # Every topic (no labels): how often each part is filled at all.
    for channel, said_of in (("voice", call_said), ("chat", chat_said)):
        drafts = [draft(said_of(t)) for t in topics.values()]
        n = len(drafts)
        print(f"all {n} topics, {channel}: reason {sum(bool(d.reason) for d in drafts)}/{n}, "
              f"done {sum(bool(d.done) for d in drafts)}/{n}, "
              f"promised {sum(bool(d.promised) for d in drafts)}/{n}, "
              f"next step {sum(bool(d.next_step) for d in drafts)}/{n}, "
              f"any action {sum(bool(d.done or d.promised or d.next_step) for d in drafts)}/{n}")


if __name__ == "__main__":
    main()
