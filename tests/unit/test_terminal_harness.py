"""The real-terminal benchmark harness (bench/terminal) works: one short round
against the bare Textual app. No timing is asserted: only that the screen is
parsed, frames are counted where they reach the terminal, and a key written as
bytes goes through Textual's input parser."""

import sys
from pathlib import Path

import pytest

pytest.importorskip("pyte")
ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))

from bench.terminal.common import BARE_APP, BARE_INPUT_APP, PY, ScratchHome  # noqa: E402
from bench.terminal.pty_term import Terminal  # noqa: E402
from bench.terminal.term_startup import bare_full, palette_open  # noqa: E402


def test_the_bare_app_starts_and_answers_a_key_through_the_terminal() -> None:
    home = ScratchHome()
    try:
        with Terminal([PY, "-c", BARE_APP], env=home.env(), cwd=str(ROOT)) as term:
            full = term.wait(bare_full, 60)
            sent = term.send(b"\x10")  # ctrl+p: the command palette
            echoed = term.wait(palette_open, 60)
            assert term.started <= full <= sent <= echoed
            assert term.frames, "synchronized-output frames were not seen"
    finally:
        home.remove()


def test_typed_bytes_are_echoed_by_an_input() -> None:
    home = ScratchHome()
    try:
        with Terminal([PY, "-c", BARE_INPUT_APP], env=home.env(), cwd=str(ROOT)) as term:
            term.wait(lambda s: "type here" in s.text(), 60)
            term.send("QX7Z")
            term.wait(lambda s: "QX7Z" in s.text(), 60)
    finally:
        home.remove()
