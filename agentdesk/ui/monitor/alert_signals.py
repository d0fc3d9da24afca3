"""How a raised alert reaches a supervisor who is not looking: the terminal bell,
once per batch however many were raised, and a desktop notification through
the terminal (OSC 9 and OSC 777, as the desk's `ui/notify.py`). Cleared alerts
make no sound; they are said in the live feed."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from agentdesk.domain.alerts import AlertChange, describe
from agentdesk.ui.notify import osc9, osc777

TITLE = "agentdesk monitor"


class AlertSignals:
    def __init__(self, app: Any, *, bell: bool = True, desktop: bool = True) -> None:
        self.app = app
        self.bell = bell
        self.desktop = desktop
        self.written: list[str] = []  # what was sent to the terminal (tests read it)

    def signal(self, changes: Sequence[AlertChange]) -> None:
        raised = [c for c in changes if c.raised]
        if not raised:
            return
        if self.bell:
            self._write("\x07")
        if self.desktop:
            body = describe(raised[0].alert) if len(raised) == 1 else \
                f"{len(raised)} alerts: " + "; ".join(describe(c.alert) for c in raised[:3])
            self._write(osc9(f"{TITLE}: {body}") + osc777(TITLE, body))

    def _write(self, data: str) -> None:
        self.written.append(data)
        driver = getattr(self.app, "_driver", None)
        if driver is not None and not self.app.is_headless:
            driver.write(data)
