"""`agentdesk kb import|search|rebuild` (arguments are declared in agentdesk/cli/parser.py).

search:  text output "rank. id  title  score" + snippet line; --json: one JSON
         array of {id, title, score, snippet, matched}; QUERY "-": one query
         per stdin line, one JSON array per output line (batch mode).
--kb DIR indexes that folder (cached, keyed by folder path + file mtimes);
without it the local index is used (the demo KB is imported on first use).
"""

from __future__ import annotations

import argparse
import json
import sys
from typing import TextIO

from agentdesk.kb.knowledge_base import KnowledgeBase
from agentdesk.kb.suggestion import Suggestion


def _as_json(results: list[Suggestion]) -> list[dict[str, object]]:
    return [{"id": s.article_id, "title": s.title, "score": s.score, "snippet": s.snippet,
             "matched": s.matched_terms} for s in results]


def _print_text(results: list[Suggestion], out: TextIO) -> None:
    if not results:
        print("no matching articles", file=out)
        return
    for rank, s in enumerate(results, start=1):
        print(f"{rank}. {s.article_id}  {s.title}  ({s.score:.2f})", file=out)
        print(f"   {s.snippet}", file=out)


def _open(args: argparse.Namespace) -> KnowledgeBase:
    folder = getattr(args, "kb", None)
    return KnowledgeBase.open_folder(folder) if folder else KnowledgeBase.open()


def _report_errors(kb: KnowledgeBase) -> None:
    for problem in kb.import_errors:
        print(f"warning: skipped {problem}", file=sys.stderr)


def cmd_search(args: argparse.Namespace) -> int:
    kb = _open(args)
    _report_errors(kb)
    n = max(1, args.n)
    if args.query == "-":
        for line in sys.stdin:
            query = line.rstrip("\n")
            results = kb.search(query, n=n) if query.strip() else []
            print(json.dumps(_as_json(results), ensure_ascii=False), flush=True)
        return 0
    results = kb.search(args.query, n=n)
    if args.json:
        print(json.dumps(_as_json(results), ensure_ascii=False, indent=2))
    else:
        _print_text(results, sys.stdout)
    return 0


def cmd_import(args: argparse.Namespace) -> int:
    kb = KnowledgeBase.open()
    try:
        report = kb.import_dir(args.dir)
    except NotADirectoryError as exc:
        print(f"agentdesk kb import: {exc}", file=sys.stderr)
        return 2
    _report_errors(kb)
    print(f"imported {args.dir}: {report.added} added, {report.updated} updated, "
          f"{report.unchanged} unchanged, {kb.removed_on_import} removed (deleted from the "
          f"folder), {len(kb.import_errors)} skipped; "
          f"{len(kb)} articles in {kb.index.path}")
    return 1 if kb.import_errors and not (report.added or report.updated or report.unchanged) else 0


def cmd_rebuild(args: argparse.Namespace) -> int:
    kb = KnowledgeBase.open()
    report = kb.rebuild()
    _report_errors(kb)
    print(f"rebuilt {kb.index.path}: {report.added} articles")
    return 0


def run(args: argparse.Namespace) -> int:
    command = getattr(args, "kb_command", None)
    try:
        if command == "search":
            return cmd_search(args)
        if command == "import":
            return cmd_import(args)
        if command == "rebuild":
            return cmd_rebuild(args)
    except NotADirectoryError as exc:
        print(f"agentdesk kb: {exc}", file=sys.stderr)
        return 2
    except BrokenPipeError:  # `| head` closed our stdout: not an error
        return 0
    print("usage: agentdesk kb {import DIR | search [--kb DIR] [--json] [-n N] QUERY | rebuild}",
          file=sys.stderr)
    return 2
