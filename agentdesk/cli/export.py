"""`agentdesk export --server URL [--since TIME] [--format jsonl]`: the
interactions the signed-in user may read and their timeline events, one JSON
object per line on stdout (`{"interaction": {...}, "events": [...]}`), for BI
tools and QA. Textual-free (its options, `--since` parsing included:
agentdesk/cli/parser.py).

The token comes as for the other commands: `AGENTDESK_TOKEN`, or the keyring
entry of `agentdesk login` for --user (or the profile's user). `--since`
takes an ISO time (2026-03-02T09:00, UTC unless it says otherwise), Unix
seconds, or an age (30m, 2h, 7d). Problems are one line on stderr, exit 1
(2 for usage); nothing half-written is presented as complete: a failure after
the first page says how many interactions were written.
"""

from __future__ import annotations

import argparse
import json
import sys
from typing import Any, TextIO

PAGE = 200


class ExportError(Exception):
    pass


def export_pages(url: str, token: str, since: float | None, out: TextIO,
                 page_size: int = PAGE) -> int:
    """Write every record of `GET /v1/export` as a JSON line; the count written."""
    import httpx

    written = 0
    after: str | None = None
    with httpx.Client(base_url=url.rstrip("/"), timeout=30,
                      headers={"Authorization": f"Bearer {token}"}) as http:
        while True:
            params: dict[str, Any] = {"limit": page_size}
            if since is not None:
                params["since"] = since
            if after is not None:
                params["after"] = after
            try:
                reply = http.get("/v1/export", params=params)
            except httpx.HTTPError as exc:
                raise ExportError(f"cannot reach {url} ({type(exc).__name__})"
                                  + _so_far(written)) from None
            page = _page(reply, url, written)
            for record in page["records"]:
                out.write(json.dumps(record, ensure_ascii=False, separators=(",", ":")) + "\n")
                written += 1
            after = page.get("next")
            if not after:
                return written


def _page(reply: Any, url: str, written: int) -> dict[str, Any]:
    if reply.status_code == 401:
        raise ExportError(f"the token for {url} was refused: run `agentdesk login --server {url}`")
    if reply.status_code == 404 and written == 0:  # the first page has no id to miss
        raise ExportError(f"{url} has no export endpoint (GET /v1/export)")
    try:
        body = reply.json()
    except ValueError:
        body = None
    if reply.status_code != 200:
        message = (body or {}).get("error", {}).get("message") if isinstance(body, dict) else None
        raise ExportError(f"the server refused the export: {message or f'HTTP {reply.status_code}'}"
                          + _so_far(written))
    if not (isinstance(body, dict) and isinstance(body.get("records"), list)):
        raise ExportError("the server sent something that is not an export page" + _so_far(written))
    return body


def _so_far(written: int) -> str:
    return f" (after {written} interactions were written: the output is incomplete)" \
        if written else ""


def run_export(args: argparse.Namespace) -> int:
    from agentdesk.cli.connection import resolve_server
    from agentdesk.credentials import load_token

    url, user = resolve_server(args)
    if getattr(args, "profile_error", False):
        return 2
    if not url:
        print("agentdesk export: name the server with --server URL or --profile NAME",
              file=sys.stderr)
        return 2
    token = load_token(url, user)
    if token is None:
        who = f" --user {user}" if user else " --user NAME"
        print(f"agentdesk export: no token for {url}: run `agentdesk login --server {url}{who}` "
              "or set AGENTDESK_TOKEN", file=sys.stderr)
        return 2
    try:
        export_pages(url, token, args.since, sys.stdout)
    except ExportError as exc:
        print(f"agentdesk export: {exc}", file=sys.stderr)
        return 1
    except KeyboardInterrupt:
        print("\nagentdesk export: cancelled", file=sys.stderr)
        return 1
    return 0
