"""Hostile text through every surface a customer or a server controls (issue 6):
customer names (tabs, panels, toasts), queue and agent names (transfer dialog),
KB article titles and bodies (suggestions, KB search), live call transcripts.

For each screen we render what would be written to the terminal (the same
`render_segments` call Textual's display uses) and assert that no control
sequence that came from the input survives: no OSC (title, clipboard,
hyperlink), no DCS, no BEL, no C1 controls, no screen clearing, no bidi
overrides. The app stays alive and no action fires.
"""

from __future__ import annotations

import dataclasses
import re
from pathlib import Path

import pytest

from agentdesk.mockserver.sim.content import KbLibrary

# What Textual itself writes is SGR styling and cursor moves (CSI ... m / H / ? h/l).
FORBIDDEN = [
    ("OSC", re.compile(r"\x1b\]")),
    ("DCS/PM/APC/SOS", re.compile(r"\x1b[P^_X]")),
    ("BEL", re.compile(r"\x07")),
    ("C1 control", re.compile(r"[\x80-\x9f]")),
    ("erase display", re.compile(r"\x1b\[[0-9;]*J")),
    ("bidi override", re.compile(r"[\u202a-\u202e\u2066-\u2069]")),
]


def terminal_output(app) -> str:
    update = app.screen._compositor.render_full_update()
    return update.render_segments(app.console)


def assert_clean(app, where: str) -> None:
    output = terminal_output(app)
    for name, pattern in FORBIDDEN:
        match = pattern.search(output)
        assert match is None, (
            f"{where}: {name} reached the terminal near {output[max(0, match.start() - 40) : match.end() + 40]!r}"
        )


@pytest.fixture
def hostile_kb(tmp_path: Path, hostile_corpus) -> Path:
    folder = tmp_path / "kb"
    folder.mkdir()
    for n, text in enumerate(hostile_corpus.HOSTILE_SHORT[:12]):
        title = " ".join(text.split()) or "blank"
        (folder / f"hostile-{n}.md").write_text(
            f"# Router {title}\n\nRouter wifi help. {text}\n\nRestart the router and wait.\n",
            encoding="utf-8",
            errors="surrogatepass",
        )
    return folder


def _poison_server(hostile, kb_dir: Path):
    def before(handle) -> None:
        sim = handle.server.sim
        for cid, name in zip(sorted(sim.customers.customers), hostile.HOSTILE_SHORT, strict=False):
            sim.customers.customers[cid].name = name
        for queue, name in zip(sim.queues.values(), reversed(hostile.HOSTILE_SHORT), strict=False):
            queue.name = name
        for agent, name in zip(sim.agents.values(), hostile.HOSTILE_SHORT[3:], strict=False):
            agent.name = name
        slug = sim.topic_ids[0]
        sim.topics[slug] = dataclasses.replace(
            sim.topics[slug],
            call_lines=tuple(hostile.HOSTILE_SHORT[:10]),
            agent_lines=tuple(hostile.HOSTILE_SHORT[10:20]),
        )
        handle.server.kb = KbLibrary(kb_dir)

    return before


async def test_hostile_text_never_reaches_the_terminal(desk_factory, hostile_corpus, hostile_kb):
    hostile = hostile_corpus
    fired: list[str] = []
    async with desk_factory(before=_poison_server(hostile, hostile_kb)) as desk:
        app = desk.app
        app.action_quit = lambda: fired.append("quit")  # type: ignore[method-assign]
        sim = desk.server.server.sim
        customers = sorted(sim.customers.customers)

        # Two chats; messages into the background one raise (aggregated) toasts.
        first = await desk.accepted("chat", customer_id=customers[0], text="my router is broken")
        second = await desk.accepted("chat", customer_id=customers[1], text=hostile.HOSTILE_SHORT[2])
        desk.screen.activate(first)
        for text in hostile.HOSTILE_SHORT[:6]:
            await desk.sim.customer_message(second, text)
        await desk.settle(1.2)  # the toast flush runs once a second
        assert_clean(app, "desk with background messages and toasts")

        # KB search: hostile titles and bodies as results.
        await desk.pilot.press("ctrl+k")
        await desk.settle(0.3)
        for key in "router":
            await desk.pilot.press(key)
        await desk.settle(0.8)
        assert_clean(app, "KB search")
        await desk.pilot.press("escape")

        # Wrap both chats up so a call can be offered (a call takes the whole capacity).
        for iid in (first, second):
            desk.screen.activate(iid)
            await desk.pilot.press("f9")
            await desk.settle(0.3)
            await desk.pilot.press("enter")
            await desk.until(lambda iid=iid: iid not in desk.screen.views, what="tab closed")

        # A call whose live transcript is hostile; then the transfer dialog lists
        # hostile queue and agent names.
        call = await desk.accepted("voice", customer_id=customers[2], topic=sim.topic_ids[0])
        for _ in range(6):
            await desk.advance(5)
        view = desk.screen.views[call]
        await desk.until(
            lambda: sum(i.kind.value == "transcript" for i in view.timeline.items) >= 3,
            what="transcript segments",
        )
        assert_clean(app, "call with a hostile transcript")
        await desk.pilot.press("f7")
        await desk.settle(0.5)
        assert_clean(app, "transfer dialog")
        await desk.pilot.press("escape")
        await desk.settle(0.2)
        assert app.is_running and not fired
