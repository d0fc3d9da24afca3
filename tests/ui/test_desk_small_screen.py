"""Issue 14 item 13: at 80x24 the offer banner stays one line ("reject" never
lands on the tab row), the header and footer are not cut mid-word, F1 and F10
are always in the footer, also with a voice call (whose footer was cut even at
120 columns). Checked on the composed screen, line by line."""

from __future__ import annotations

import re

import pytest


def screen_lines(app) -> list[str]:
    return [strip.text for strip in app.screen._compositor.render_strips()]


def _footer(app) -> str:
    return screen_lines(app)[-1]


# a word cut at the edge: a label's start right before the palette's bar or the end
CUT_WORDS = re.compile(r"\b(Presenc|Hel|Qui|Wra|Wrap-|Transfe|Rejec|Accep|Han|Hang|Mut|Hol)(▏|\s*$)")


@pytest.mark.parametrize("size", [(80, 24), (120, 40)])
async def test_offer_banner_is_one_line_with_its_keys(desk_factory, size):
    async with desk_factory(size=size) as desk:
        long = "Engineer visit rescheduled twice, broadband still slow in the evenings " * 2
        await desk.offer("email", subject=long[:150], text="hello")
        await desk.until(lambda: any("offer from" in line for line in screen_lines(desk.app)),
                         what="the offer banner")
        # The banner is the offer's own signal (no toast repeats it); any toast that
        # comes meanwhile (a message in another tab, an error) must not cover its keys.
        desk.app.notify("2 new messages in 2 tabs", markup=False)
        await desk.until(lambda: len(desk.app._notifications) > 0, what="a toast")
        await desk.settle()
        lines = screen_lines(desk.app)
        banner_rows = [i for i, line in enumerate(lines) if "offer from" in line]
        assert len(banner_rows) == 1, lines[:6]
        row = lines[banner_rows[0]]
        assert "F2 accept" in row and "F3 reject" in row and "left" in row, row
        assert "reject" not in lines[banner_rows[0] + 1], lines[:6]


@pytest.mark.parametrize("size", [(80, 24), (120, 40)])
async def test_footer_keeps_help_and_quit_with_a_voice_call(desk_factory, size):
    async with desk_factory(size=size, keymap={"wrapup": "ctrl+w", "offer-accept": "f2,ctrl+a"}) as desk:
        await desk.accepted("voice")
        await desk.settle()
        lines = screen_lines(desk.app)
        footer, header = lines[-1], lines[:2]
        assert "F1" in footer and "F10" in footer, footer
        assert not CUT_WORDS.search(footer), footer
        for line in header:
            assert not CUT_WORDS.search(line), header
        assert len(footer.rstrip()) <= size[0]
        assert "^w Wrap-up" in footer and "F8 Hang up" in footer, footer  # the call's own keys
