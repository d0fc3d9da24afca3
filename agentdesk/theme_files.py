"""Theme files: TOML, validated, with contrast arithmetic. Textual-free.

A theme file names Textual's base colours (`[colors]`) and agentdesk's own
variables (`[variables]`: a colour per channel, SLA ok/warning/breach,
presence states, message backgrounds). Built-in themes are the
repository's top-level `themes/` folder, installed as the package data
`agentdesk.builtin_themes`; users add theme files to `<config dir>/themes/`.
The UI turns a `ThemeSpec` into a `textual.theme.Theme`.
"""

from __future__ import annotations

import re
import tomllib
from dataclasses import dataclass, field
from pathlib import Path

from platformdirs import user_config_dir


def _builtin_dir() -> Path:
    # Installed (wheel or editable): the package agentdesk.builtin_themes, mapped
    # from themes/ in pyproject. A plain source tree on sys.path: themes/ itself.
    from importlib.util import find_spec

    spec = find_spec("agentdesk.builtin_themes")
    if spec is not None and spec.submodule_search_locations:
        return Path(next(iter(spec.submodule_search_locations)))
    return Path(__file__).resolve().parent.parent / "themes"


BUILTIN_DIR = _builtin_dir()

BASE_COLORS = (
    "primary", "secondary", "accent", "warning", "error", "success",
    "foreground", "background", "surface", "panel",
)
APP_VARIABLES = (
    "channel-chat", "channel-email", "channel-sms", "channel-social", "channel-voice",
    "sla-ok", "sla-warning", "sla-breach",
    "presence-available", "presence-away", "presence-offline",
    "note-background", "inbound-background", "outbound-background",
    "transcript-foreground", "muted-foreground",
)
_HEX = re.compile(r"^#[0-9a-fA-F]{6}$")


class ThemeFileError(ValueError):
    pass


@dataclass(frozen=True)
class ThemeSpec:
    name: str
    dark: bool
    colors: dict[str, str]
    variables: dict[str, str]
    description: str = ""
    min_contrast: float = 4.5  # what the theme promises for text (7.0 for AAA)
    source: Path | None = field(default=None, compare=False)

    def color(self, key: str) -> str:
        return self.colors.get(key) or self.variables[key]


def load_theme_file(path: Path) -> ThemeSpec:
    try:
        data = tomllib.loads(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, tomllib.TOMLDecodeError) as exc:
        raise ThemeFileError(f"{path}: {exc}") from None
    name = data.get("name")
    if not isinstance(name, str) or not re.fullmatch(r"[a-z0-9][a-z0-9-]{0,40}", name):
        raise ThemeFileError(f"{path}: 'name' must be lower-case letters, digits and dashes")
    colors, variables = data.get("colors", {}), data.get("variables", {})
    if not isinstance(colors, dict) or not isinstance(variables, dict):
        raise ThemeFileError(f"{path}: [colors] and [variables] must be tables")
    for section, keys, table in (("colors", BASE_COLORS, colors), ("variables", APP_VARIABLES, variables)):
        missing = [k for k in keys if k not in table]
        if missing:
            raise ThemeFileError(f"{path}: [{section}] is missing {', '.join(missing)}")
        for key, value in table.items():
            if not isinstance(value, str) or not _HEX.match(value):
                raise ThemeFileError(f"{path}: [{section}] {key} must be a #rrggbb colour")
    return ThemeSpec(
        name=name,
        dark=bool(data.get("dark", True)),
        colors=dict(colors),
        variables=dict(variables),
        description=str(data.get("description", "")),
        min_contrast=float(data.get("min_contrast", 4.5)),
        source=path,
    )


def user_theme_dir() -> Path:
    return Path(user_config_dir("agentdesk")) / "themes"


def load_themes(extra_dir: Path | None = None) -> tuple[list[ThemeSpec], list[str]]:
    """Built-in themes, then user themes; broken files are reported, not fatal."""
    themes, problems = load_theme_dir(BUILTIN_DIR)
    more, more_problems = load_theme_dir(extra_dir or user_theme_dir())
    return themes + more, problems + more_problems


def load_theme_dir(folder: Path) -> tuple[list[ThemeSpec], list[str]]:
    """The theme files of one folder (none if it does not exist)."""
    themes: list[ThemeSpec] = []
    problems: list[str] = []
    if folder.is_dir():
        for path in sorted(folder.glob("*.toml")):
            try:
                themes.append(load_theme_file(path))
            except ThemeFileError as exc:
                problems.append(str(exc))
    return themes, problems


# --- colour arithmetic (WCAG 2.x relative luminance and contrast) -------------


def _channel_to_linear(c: float) -> float:
    return c / 12.92 if c <= 0.04045 else ((c + 0.055) / 1.055) ** 2.4


def hex_to_linear_rgb(value: str) -> tuple[float, float, float]:
    r, g, b = (int(value[i : i + 2], 16) / 255 for i in (1, 3, 5))
    return _channel_to_linear(r), _channel_to_linear(g), _channel_to_linear(b)


def luminance_linear(rgb: tuple[float, float, float]) -> float:
    r, g, b = rgb
    return 0.2126 * r + 0.7152 * g + 0.0722 * b


def contrast_ratio(fg: str, bg: str) -> float:
    a = luminance_linear(hex_to_linear_rgb(fg))
    b = luminance_linear(hex_to_linear_rgb(bg))
    hi, lo = max(a, b), min(a, b)
    return (hi + 0.05) / (lo + 0.05)


# Machado, Oliveira & Fernandes (2009) simulation matrices at full severity,
# applied in linear RGB.
CVD_MATRICES = {
    "protanopia": ((0.152286, 1.052583, -0.204868),
                   (0.114503, 0.786281, 0.099216),
                   (-0.003882, -0.048116, 1.051998)),
    "deuteranopia": ((0.367322, 0.860646, -0.227968),
                     (0.280085, 0.672501, 0.047413),
                     (-0.011820, 0.042940, 0.968881)),
    "tritanopia": ((1.255528, -0.076749, -0.178779),
                   (-0.078411, 0.930809, 0.147602),
                   (0.004733, 0.691367, 0.303900)),
}


def simulate_cvd(value: str, kind: str) -> tuple[float, float, float]:
    rgb = hex_to_linear_rgb(value)
    m = CVD_MATRICES[kind]
    return tuple(min(1.0, max(0.0, sum(m[i][j] * rgb[j] for j in range(3)))) for i in range(3))  # type: ignore[return-value]


def _linear_to_lab(rgb: tuple[float, float, float]) -> tuple[float, float, float]:
    r, g, b = rgb
    x = (0.4124 * r + 0.3576 * g + 0.1805 * b) / 0.95047
    y = 0.2126 * r + 0.7152 * g + 0.0722 * b
    z = (0.0193 * r + 0.1192 * g + 0.9505 * b) / 1.08883

    def f(t: float) -> float:
        return t ** (1 / 3) if t > 0.008856 else 7.787 * t + 16 / 116

    fx, fy, fz = f(x), f(y), f(z)
    return 116 * fy - 16, 500 * (fx - fy), 200 * (fy - fz)


def color_distance(a: tuple[float, float, float], b: tuple[float, float, float]) -> float:
    """CIE76 delta E between two linear-RGB colours."""
    la, lb = _linear_to_lab(a), _linear_to_lab(b)
    return sum((x - y) ** 2 for x, y in zip(la, lb, strict=True)) ** 0.5
