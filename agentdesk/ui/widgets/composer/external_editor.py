"""ctrl+e in an email: write the body in `$VISUAL` / `$EDITOR`.

The app is suspended while the editor runs; the edited text comes back into
the body. A terminal that cannot hand over (textual-serve, some Windows
consoles) or a missing editor gets a plain warning, and the body is kept.
"""

from __future__ import annotations

import os
import shlex
import subprocess
import tempfile
from pathlib import Path

from textual.app import SuspendNotSupported
from textual.widgets import TextArea


def edit_in_editor(body: TextArea) -> None:
    """Hand `body`'s text to the agent's editor and load the result back."""
    app = body.app
    editor = os.environ.get("VISUAL") or os.environ.get("EDITOR")
    if not editor:
        app.notify("Set $EDITOR (or $VISUAL) to write long emails in your editor.",
                   severity="warning", markup=False)
        return
    fd, name = tempfile.mkstemp(prefix="agentdesk-", suffix=".txt")
    path = Path(name)
    try:
        with os.fdopen(fd, "w", encoding="utf-8") as handle:
            handle.write(body.text)
        try:
            with app.suspend():
                subprocess.run([*shlex.split(editor), str(path)], check=False)
        except SuspendNotSupported:
            app.notify("This terminal cannot hand over to an editor; keep typing here.",
                       severity="warning", markup=False)
            return
        except OSError as error:
            app.notify(f"Could not start the editor: {error}", severity="error", markup=False)
            return
        body.load_text(path.read_text(encoding="utf-8", errors="replace").rstrip("\n"))
        body.focus()
    finally:
        path.unlink(missing_ok=True)
