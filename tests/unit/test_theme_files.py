"""Every theme file loads, keeps its contrast promise, and the colour-blind theme is distinguishable."""

import itertools

import pytest

from agentdesk.theme_files import (
    APP_VARIABLES,
    CVD_MATRICES,
    ThemeFileError,
    color_distance,
    contrast_ratio,
    hex_to_linear_rgb,
    load_theme_file,
    load_themes,
    simulate_cvd,
)

THEMES, PROBLEMS = load_themes()
BY_NAME = {t.name: t for t in THEMES}

# Colours used for text, and the backgrounds they are drawn on.
TEXT = ["foreground", "muted-foreground", "transcript-foreground", "primary", "accent", "warning",
        "error", "success", "channel-chat", "channel-email", "channel-sms", "channel-social",
        "channel-voice", "sla-ok", "sla-warning", "sla-breach", "presence-available",
        "presence-away", "presence-offline"]
BACKGROUNDS = ["background", "surface", "panel"]
MESSAGE_BACKGROUNDS = ["note-background", "inbound-background", "outbound-background"]


def test_builtin_themes_load():
    assert PROBLEMS == []
    assert {"agentdesk-dark", "agentdesk-light", "agentdesk-high-contrast",
            "agentdesk-colorblind"} <= set(BY_NAME)
    for theme in THEMES:
        assert set(APP_VARIABLES) <= set(theme.variables)


@pytest.mark.parametrize("name", sorted(BY_NAME))
def test_text_contrast(name):
    theme = BY_NAME[name]
    failures = []
    for fg, bg in itertools.product(TEXT, BACKGROUNDS):
        ratio = contrast_ratio(theme.color(fg), theme.color(bg))
        if ratio < theme.min_contrast:
            failures.append(f"{fg} on {bg}: {ratio:.2f}")
    for bg in MESSAGE_BACKGROUNDS:
        for fg in ("foreground", "muted-foreground", "transcript-foreground"):
            ratio = contrast_ratio(theme.color(fg), theme.color(bg))
            if ratio < theme.min_contrast:
                failures.append(f"{fg} on {bg}: {ratio:.2f}")
    assert not failures, f"{name} promises {theme.min_contrast}:1 but " + "; ".join(failures)


def test_high_contrast_is_aaa():
    assert BY_NAME["agentdesk-high-contrast"].min_contrast >= 7.0


@pytest.mark.parametrize("kind", [*CVD_MATRICES, "normal"])
@pytest.mark.parametrize("group", [
    ["channel-chat", "channel-email", "channel-sms", "channel-social", "channel-voice"],
    ["sla-ok", "sla-warning", "sla-breach"],
])
def test_colorblind_theme_distinguishable(kind, group):
    theme = BY_NAME["agentdesk-colorblind"]

    def seen(key):
        value = theme.color(key)
        return hex_to_linear_rgb(value) if kind == "normal" else simulate_cvd(value, kind)

    for a, b in itertools.combinations(group, 2):
        distance = color_distance(seen(a), seen(b))
        assert distance >= 15, f"{a} vs {b} under {kind}: delta E {distance:.1f}"


def test_cvd_simulation_merges_red_and_green_for_deuteranopes():
    # The check above can fail: pure red and green are far apart normally, close for deuteranopes.
    normal = color_distance(hex_to_linear_rgb("#d03030"), hex_to_linear_rgb("#30a030"))
    deutan = color_distance(simulate_cvd("#d03030", "deuteranopia"), simulate_cvd("#30a030", "deuteranopia"))
    assert deutan < normal / 2


def test_broken_user_theme_is_reported_and_skipped(tmp_path):
    (tmp_path / "broken.toml").write_text('name = "broken"\n[colors]\nprimary = "red"\n')
    (tmp_path / "syntax.toml").write_text("name = \n")
    themes, problems = load_themes(tmp_path)
    assert len(problems) == 2
    assert {t.name for t in themes} == set(BY_NAME)
    with pytest.raises(ThemeFileError, match="missing"):
        load_theme_file(tmp_path / "broken.toml")
