"""`make screenshots`: every scene as an SVG, one process per scene.

    python -m tools.screenshots DIR                 # every scene into DIR
    python -m tools.screenshots DIR NAME[@WxH][:THEME] ...   # some desk scenes

Run from the repository root (the scenes are a development tool, not part of
the package: docs/architecture.md, "Screenshots").
"""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

from tools.screenshots import desk_scenes
from tools.screenshots.desk_scenes import README_SCENES, THEMED_SCENES

ROOT = Path(__file__).resolve().parents[2]


def _spec(text: str) -> tuple[str, tuple[int, int], str | None]:
    """A scene spec: NAME[@WxH][:THEME]."""
    name, _, theme = text.partition(":")
    name, _, size = name.partition("@")
    width, _, height = (size or "120x40").partition("x")
    return name, (int(width), int(height)), theme or None


def _filename(name: str, size: tuple[int, int], theme: str | None) -> str:
    suffix = "" if size == (120, 40) else f"-{size[0]}x{size[1]}"
    return f"{name}{suffix}{'--' + theme if theme else ''}.svg"


def all_specs() -> list[str]:
    from agentdesk.ui.themes import BUILTIN_THEMES  # the themes of the themed scenes

    specs = [*README_SCENES, "desk-tabs@80x24", "call-transcript@80x24"]
    specs += [f"{name}:{theme.name}" for theme in BUILTIN_THEMES for name in THEMED_SCENES]
    return specs


def _run(module: str, *args: str, timeout: float) -> None:
    subprocess.run([sys.executable, "-m", module, *args], check=True, timeout=timeout, cwd=ROOT)


def main(argv: list[str] | None = None) -> int:
    args = sys.argv[1:] if argv is None else argv
    if not args:
        print("usage: python -m tools.screenshots DIR [NAME[@WxH][:THEME] ...]", file=sys.stderr)
        return 2
    out_dir = Path(args[0])
    out_dir.mkdir(parents=True, exist_ok=True)
    if args[1:]:
        for text in args[1:]:
            name, size, theme = _spec(text)
            print(desk_scenes.write_scene(name, out_dir, size=size, theme=theme, filename=_filename(name, size, theme)))
        return 0
    # Everything: one process per scene, so one scene's server and loop can never
    # leak into (or hang) the next, and a stuck scene is reported, not waited on.
    failed = []
    for spec in all_specs():
        try:
            _run("tools.screenshots", str(out_dir.resolve()), spec, timeout=180)
        except (subprocess.CalledProcessError, subprocess.TimeoutExpired) as exc:
            failed.append(f"{spec}: {exc}")
    # The desk on the fake Chatwoot (its own module: another backend, another fake),
    # and the monitor (its own app).
    for name, module, timeout in (("chatwoot-desk", "tools.screenshots.chatwoot_scenes", 180),
                                  ("monitor", "tools.screenshots.monitor_scenes", 300)):
        try:
            _run(module, str(out_dir.resolve()), timeout=timeout)
        except (subprocess.CalledProcessError, subprocess.TimeoutExpired) as exc:
            failed.append(f"{name}: {exc}")
    for line in failed:
        print(f"screenshot failed: {line}", file=sys.stderr)
    return 1 if failed else 0


if __name__ == "__main__":
    raise SystemExit(main())
