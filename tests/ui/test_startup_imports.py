"""What the desk loads on its way to a live screen with nothing to work on:
only what that screen shows. Checked in a fresh process by what is imported,
not by timing (the figures are in docs/benchmarks.md)."""

from __future__ import annotations

import subprocess
import sys
import textwrap
from pathlib import Path

ROOT = Path(__file__).parents[2]

LIVE_EMPTY_DESK = textwrap.dedent("""
    import asyncio, sys
    from datetime import UTC
    sys.path.insert(0, {tests!r})
    from fake_backend import T0, FakeBackend
    from pilot_wait import until
    from agentdesk.ui.app import make_app

    async def main():
        backend = FakeBackend()
        app = make_app(backend, clock=lambda: T0, username="ada", store_path={db!r}, tz=UTC)
        async with app.run_test(size=(120, 40)) as pilot:
            backend.connect()
            await until(pilot, lambda: app.desk is not None
                        and app.desk.link.state.value == "connected"
                        and "Quit" in " ".join(str(k.render()) for k in app.screen.query("FooterKey")),
                        "the live desk", 60)
            await pilot.pause(0.2)
            print(sorted(m for m in ("agentdesk.ui.widgets.call", "agentdesk.ui.widgets.call.call_bar",
                                     "agentdesk.ui.widgets.call.dtmf_pad") if m in sys.modules))

    asyncio.run(main())
""")


def test_a_desk_with_no_call_does_not_load_the_call_widgets(tmp_path: Path) -> None:
    """The footer's key labels ('f2' -> 'F2') are their own module: taking them
    from the call bar loaded the call widgets and the DTMF pad at start-up."""
    code = LIVE_EMPTY_DESK.format(tests=str(ROOT / "tests"), db=str(tmp_path / "desk.db"))
    done = subprocess.run([sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True,
                          timeout=120)
    assert done.returncode == 0, done.stderr[-3000:]
    assert done.stdout.strip().splitlines()[-1] == "[]"
