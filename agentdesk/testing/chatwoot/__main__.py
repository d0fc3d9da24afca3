"""Serve the fake Chatwoot with a few conversations, to try the desk on it:

    python -m agentdesk.testing.chatwoot --port 8650
    agentdesk desk --backend chatwoot --server http://127.0.0.1:8650
    agentdesk monitor --backend chatwoot --server http://127.0.0.1:8650 --user bob@example.com
"""

from __future__ import annotations

import argparse
import sys
import threading

from agentdesk.testing.chatwoot.threaded import ThreadedFake, seed_demo


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m agentdesk.testing.chatwoot",
                                     description="a fake Chatwoot (REST + ActionCable) to try "
                                                 "agentdesk's Chatwoot backend on")
    parser.add_argument("--port", type=int, default=8650, help="port on 127.0.0.1 (0: any)")
    args = parser.parse_args(argv)
    try:
        running = ThreadedFake(port=args.port).start()
    except (RuntimeError, OSError) as exc:
        print(f"fake chatwoot: {exc}", file=sys.stderr)
        return 1
    running.call(seed_demo)
    ada = running.fake.world.users[7]
    print(f"fake Chatwoot at {running.url}")
    print(f"  sign in as {ada.email} / {ada.password}")
    print(f"  or export AGENTDESK_TOKEN={ada.access_token}")
    print(f"  agentdesk desk --backend chatwoot --server {running.url}")
    bob = running.fake.world.users[9]
    print(f"  monitor (administrator {bob.email} / {bob.password}): agentdesk monitor "
          f"--backend chatwoot --server {running.url} --user {bob.email}")
    print("ctrl+c stops it", flush=True)
    try:
        threading.Event().wait()
    except KeyboardInterrupt:
        pass
    finally:
        running.stop()
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
