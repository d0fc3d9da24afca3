"""What a supervisor found wrong on the wallboard (issue 16, "Wrong today"):

- no data is shown as no data: the SL trend with no sample is "–", not 100%;
- every duration column has a fixed h:mm:ss format and a width that holds it,
  so ASA and AHT never run together ("8:141:39:...");
- at 80x24 the header keeps avail/busy/ACW/NR and no board scrolls sideways;
- in the drill-down list a long name leaves a gap before the state;
- wrapped transcript lines hang under the words;
- configuration problems are one toast, not seven.
"""

from __future__ import annotations

import sys
from pathlib import Path

import pytest
from rich.text import Text

sys.path[:0] = [str(Path(__file__).parent)]

from test_monitor_harness import open_monitor  # noqa: E402
from widget_data import item  # noqa: E402
from widget_harness import UTC, WidgetApp  # noqa: E402

from agentdesk.domain.models import TimelineKind  # noqa: E402
from agentdesk.ui.monitor.agent_board import AgentBoard  # noqa: E402
from agentdesk.ui.monitor.cells import fmt_hms, hms_width  # noqa: E402
from agentdesk.ui.monitor.drilldown_screen import LIST_COLUMNS, gap  # noqa: E402
from agentdesk.ui.monitor.launch_monitor import make_monitor_app  # noqa: E402
from agentdesk.ui.monitor.monitor_header import MonitorHeader  # noqa: E402
from agentdesk.ui.monitor.queue_board import QueueBoard  # noqa: E402
from agentdesk.ui.monitor.sparkline_panel import NO_DATA, SparklinePanel  # noqa: E402
from agentdesk.ui.widgets.timeline import Timeline  # noqa: E402


def _text(widget, which: str) -> str:
    value = widget.query_one(f"#trend-{which}").content
    return value.plain if isinstance(value, Text) else str(value)


def _cells_fit(board) -> list[str]:
    """Every cell of a board leaves at least one blank cell before the next column."""
    widths = {key: width for key, _, width in board.columns_spec}
    bad = []
    for row_key in board.rows:
        for key, value in zip(widths, board.get_row(row_key), strict=True):
            if value.cell_len > widths[key] - 1 and value.plain.strip():
                bad.append(f"{row_key.value}/{key}: {value.plain!r} in {widths[key]}")
    return bad


async def test_no_data_is_shown_as_no_data_in_the_sl_trend() -> None:
    async with open_monitor(agents=4, traffic=False) as mon:
        panel = mon.app.screen.query_one(SparklinePanel)
        sl, _waiting = mon.app.floor.trend()
        assert sl and all(value is None for value in sl)  # nobody has left a queue yet
        assert _text(panel, "sl-label").endswith("· –")
        bars = _text(panel, "sl")
        assert bars and set(bars) == {NO_DATA}


def test_durations_have_one_fixed_format() -> None:
    assert fmt_hms(7) == "0:00:07"
    assert fmt_hms(8 * 60 + 14) == "0:08:14"
    assert fmt_hms(3600 + 39 * 60 + 39) == "1:39:39"
    assert fmt_hms(36000) == "≥10h"  # never wider than the column
    assert fmt_hms(36000, 99) == "10:00:00" and fmt_hms(360000, 99) == "≥100h"
    assert fmt_hms(None) == fmt_hms(float("nan")) == "–"
    assert len(fmt_hms(35999)) == hms_width() and len(fmt_hms(359999, 99)) == hms_width(99)


@pytest.mark.parametrize("size", [(120, 40), (80, 24)], ids=lambda s: f"{s[0]}x{s[1]}")
async def test_long_durations_fit_their_columns(size) -> None:
    async with open_monitor(agents=8, traffic=False, size=size) as mon:
        floor = mon.app.floor
        for qid, qs in list(floor.queue_stats.items()):  # a day of long calls
            floor.queue_stats[qid] = qs.model_copy(update={"asa_s": 494.0, "aht_s": 5979.0})
        for aid, ags in list(floor.agent_stats.items()):
            floor.agent_stats[aid] = ags.model_copy(update={"aht_s": 5979.0})
        await mon.flushed()
        queues = mon.app.screen.query_one(QueueBoard)
        agents = mon.app.screen.query_one(AgentBoard)
        row = dict(zip([k for k, _, _ in queues.columns_spec],
                       queues.get_row(next(iter(floor.queues))), strict=True))
        assert row["aht"].plain == "1:39:39"
        if "asa" in row:  # under 100 columns ASA gives way to Need
            assert row["asa"].plain == "0:08:14"
        assert _cells_fit(queues) == [] and _cells_fit(agents) == []


async def test_80x24_keeps_what_matters_without_sideways_scrolling() -> None:
    async with open_monitor(agents=16, size=(80, 24), warmup_s=120) as mon:
        screen = mon.app.screen
        header = screen.query_one(MonitorHeader)
        seen = header.header_text().plain[:header.content_size.width]
        for word in ("avail", "busy", "ACW", "away", "NR", "SL"):
            assert word in seen, (word, seen)
        for board in (screen.query_one(QueueBoard), screen.query_one(AgentBoard)):
            assert board.virtual_size.width <= board.scrollable_content_region.width, board.id
        keys = [k for k, _, _ in screen.query_one(QueueBoard).columns_spec]
        for key in ("waiting", "longest", "sl", "away", "not_responding", "need"):
            assert key in keys
        # Back to a wide screen: every column again.
        await mon.pilot.resize_terminal(120, 40)
        await mon.until(lambda: len(screen.query_one(QueueBoard).columns_spec) == 15,
                        what="wide columns")
        assert "MONITOR" in header.header_text().plain


def test_a_long_name_leaves_a_gap_before_the_state() -> None:
    widths = {key: width for key, _, width in LIST_COLUMNS}
    name = gap(Text("Oliver MacDonald"), widths["customer"])
    assert name.cell_len == widths["customer"] - 1 and name.plain.endswith("…")
    assert gap(Text("Ann"), widths["customer"]).plain == "Ann"
    assert sum(widths.values()) <= 34 - 1  # the narrow pane, with its border


async def test_wrapped_transcript_lines_hang_under_the_words() -> None:
    app = WidgetApp(lambda: Timeline(tz=UTC))
    async with app.run_test(size=(40, 20)) as pilot:
        timeline = app.query_one(Timeline)
        said = "yes I have the parcel number here it is four four one one and more words"
        timeline.set_items([item(0, kind=TimelineKind.TRANSCRIPT, speaker="customer",
                                 body=said)], has_more=False)
        await pilot.pause()
        lines = [timeline.render_line(y).text.rstrip()
                 for y in range(timeline.scrollable_content_region.height)]
        lines = [line for line in lines if line.strip()]
        start = next(i for i, line in enumerate(lines) if "customer:" in line)
        body = lines[start:]
        assert len(body) >= 2
        assert body[0][:5].count(":") == 1  # "HH:MM customer: ..."
        for line in body[1:]:
            assert line.startswith(" " * 6) and not line.startswith(" " * 7), line


async def test_configuration_problems_are_one_toast() -> None:
    class Inner:
        user = None

    problems = [f"config.toml: setting{n}: bad value" for n in range(7)]
    app = make_monitor_app(Inner(), keymap={"monitr-help": "f2"})  # type: ignore[arg-type]
    app.startup_problems = problems
    app.follow = lambda: None  # type: ignore[method-assign]  # no backend here
    async with app.run_test(size=(120, 40), notifications=True) as pilot:
        await pilot.pause()
        toasts = list(app._notifications)
        assert len(toasts) == 1
        toast = toasts[0]
        assert toast.title == "Configuration: 8 problems"
        lines = toast.message.splitlines()
        assert lines[:6] == problems[:6]
        assert lines[-1] == "… and 2 more (in the log)"
