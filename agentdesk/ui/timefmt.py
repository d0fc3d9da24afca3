"""Small text formatters shared by the shell's widgets (durations, percentages)."""

from __future__ import annotations


def duration(seconds: float) -> str:
    """0:07, 4:05, 1:02:03; negative values show as -0:05."""
    sign = "-" if seconds < 0 else ""
    s = int(abs(seconds))
    h, rem = divmod(s, 3600)
    m, s = divmod(rem, 60)
    return f"{sign}{h}:{m:02d}:{s:02d}" if h else f"{sign}{m}:{s:02d}"


def countdown_level(kind: str, remaining: float) -> str:
    """Theme variable for a countdown: sla-ok, sla-warning or sla-breach."""
    warn_at = {"offer": 10.0, "acw": 30.0, "reply": 60.0}.get(kind, 30.0)
    if remaining <= 0:
        return "sla-breach"
    if remaining <= warn_at:
        return "sla-warning"
    return "sla-ok"
