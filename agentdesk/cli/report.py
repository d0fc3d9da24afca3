"""`agentdesk report --server URL [--interval 15m] [--format csv|json]`: today's
interval report (GET /v1/reports/intervals), for the end of the day. Textual-free
(its options: agentdesk/cli/parser.py).

The token comes as for the monitor: `AGENTDESK_TOKEN`, the keyring entry of
`agentdesk login` (user `supervisor` unless --user or the profile names
another), or a password prompt with --user. CSV has one row per interval,
queue and channel (`section` interval), then the day's totals (`total`), the
same time yesterday (`yesterday`) and the away reasons per agent (`away`).
"""

from __future__ import annotations

import argparse
import asyncio
import csv
import io
import json
import sys
from datetime import UTC, datetime
from typing import Any

CSV_COLUMNS = ("section", "start", "end", "queue_id", "channel", "offered", "answered",
               "abandoned", "sl_pct", "asa_s", "aht_s", "transfers", "agent_id", "reason",
               "away_s")


def _iso(at: float) -> str:
    return datetime.fromtimestamp(at, UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


def to_csv(report: dict[str, Any]) -> str:
    out = io.StringIO()
    writer = csv.DictWriter(out, CSV_COLUMNS, extrasaction="ignore", lineterminator="\n")
    writer.writeheader()
    step = report["interval_s"]
    for section, rows, length in (("interval", report["rows"], step),
                                  ("total", report["totals"], None),
                                  ("yesterday", report["yesterday"], None)):
        for row in rows:
            start = row["start"]
            end = start + length if length else (
                report["now"] if section == "total" else report["now"] - 86400)
            writer.writerow({**row, "section": section, "start": _iso(start), "end": _iso(end),
                             "channel": row["channel"] or "all"})
    for away in report["away"]:
        writer.writerow({"section": "away", "agent_id": away["agent_id"],
                         "reason": away["reason"], "away_s": away["seconds"]})
    return out.getvalue()


async def fetch_report(url: str, token: str, minutes: int) -> dict[str, Any]:
    import httpx

    from agentdesk.backends.base import AgentDeskError

    async with httpx.AsyncClient(base_url=url.rstrip("/"), timeout=30) as http:
        try:
            r = await http.get("/v1/reports/intervals", params={"interval": minutes},
                               headers={"Authorization": f"Bearer {token}"})
        except httpx.HTTPError as exc:
            raise AgentDeskError(f"cannot reach {url} ({type(exc).__name__})") from None
    if r.status_code != 200:
        try:
            message = r.json()["error"]["message"]
        except (ValueError, KeyError, TypeError):
            message = f"HTTP {r.status_code}"
        raise AgentDeskError(f"the server refused the report: {message}")
    try:
        report: dict[str, Any] = r.json()["report"]
        for key in ("interval_s", "now", "rows", "totals", "yesterday", "away"):
            report[key]
    except (ValueError, KeyError, TypeError):
        raise AgentDeskError("the server sent something that is not a report") from None
    return report


def run_report(args: argparse.Namespace) -> int:
    from agentdesk.backends.base import AgentDeskError
    from agentdesk.cli.connection import resolve_server
    from agentdesk.credentials import load_token

    url, user = resolve_server(args)
    if not url:
        print("agentdesk report: name the server with --server URL or --profile NAME",
              file=sys.stderr)
        return 2
    user = user or "supervisor"
    token = load_token(url, user)
    try:
        if token is None:
            if not getattr(args, "user", None):
                print(f"agentdesk report: no token for {url}: run `agentdesk login --server "
                      f"{url}`, set AGENTDESK_TOKEN, or pass --user NAME", file=sys.stderr)
                return 2
            token = asyncio.run(_password_login(url, user))
        report = asyncio.run(fetch_report(url, token, args.interval))
    except AgentDeskError as exc:
        print(f"agentdesk report: {exc.message}", file=sys.stderr)
        return 1
    except (EOFError, KeyboardInterrupt):
        print("\nagentdesk report: cancelled", file=sys.stderr)
        return 1
    sys.stdout.write(json.dumps(report, indent=2) + "\n" if args.format == "json"
                     else to_csv(report))
    return 0


async def _password_login(url: str, user: str) -> str:
    import getpass

    from agentdesk.backends.native import NativeBackend

    password = getpass.getpass(f"Password for {user} at {url}: ")
    backend = NativeBackend(url)
    try:
        return await backend.login(user, password)
    finally:
        await backend.close()
