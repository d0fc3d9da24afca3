"""The channel-aware composer under the timeline.

- Chat / SMS / social: one text area that grows to about four lines; Enter
  sends, shift+enter or ctrl+j inserts a newline.
- Email: subject (prefilled "Re: <subject>"), cc, and a body where Enter is a
  newline; ctrl+s sends; ctrl+e edits the body in `$VISUAL`/`$EDITOR`.
- Voice: notes only (the customer is on the phone, not reading).

ctrl+s sends on every channel (the desk's global send key). ctrl+t toggles
reply / private note. "/" typed into an empty composer opens the canned
responses (`CannedPicker`), filtered by channel; the chosen body is inserted
with `{agent}` filled in (`fill_canned`) by the signed-in agent's name.
Subject and cc keep their text when focused (no select-all: the next key must
not replace "Re: …"), and a send puts the keyboard back in the body. Keys with
an alt modifier are never typed into the body / fields: they go on to the desk
bindings (see `composer_text_area`).

Public API (used by the app shell):

- `Composer(interaction_id, channel, *, subject=None, disabled_reason=None,
  draft_delay=0.5, name=None, id=None, classes=None)`
- `set_canned(responses: list[CannedResponse])`
- `set_agent_name(name: str | None)`: the name for `{agent}` in canned
  responses; unset, the composer asks its screen (`screen.state.me.name`, then
  `screen.state.agent.name`)
- `load_draft(text, subject=None, cc=None)`: restores a draft (does not post
  DraftChanged for it)
- `insert_text(text)`: inserts at the cursor (KB suggestions)
- `set_disabled(reason: str | None)`: read-only with the reason shown, or None
- `clear()`, `focus_body()`, properties `text`, `kind` ("reply" | "note"),
  `channel`, `is_email`, `disabled_reason`
- Every method may be called before the composer is mounted (its children are
  built in the constructor), e.g. to restore a draft into a new tab.
- Messages: `Composer.Submitted(interaction_id, body, kind, subject, cc)` (the
  composer clears itself after posting it) and `Composer.DraftChanged(
  interaction_id, text, subject, cc)`, debounced by `draft_delay` seconds. `cc`
  is a list of addresses in both.

Bindings (ids): composer-send (ctrl+s), composer-note-toggle (ctrl+t),
composer-editor (ctrl+e, email only, priority so the text area's "end of
line" does not swallow it), composer-canned (ctrl+/, opens canned responses
at any time). Inside the text area: enter (send on chat-like channels),
shift+enter / ctrl+j (newline).
"""

from __future__ import annotations

import os
import shlex
import subprocess
import tempfile
from pathlib import Path
from typing import Literal

from textual import on
from textual.app import ComposeResult, SuspendNotSupported
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.content import Content
from textual.message import Message
from textual.timer import Timer
from textual.widgets import Input, Static, TextArea

from agentdesk.domain.models import CannedResponse, Channel
from agentdesk.ui.glyphs import CHANNEL_GLYPH, CHANNEL_LABEL, channel_var
from agentdesk.ui.widgets.composer.canned_picker import CannedPicker
from agentdesk.ui.widgets.composer.composer_text_area import ComposerInput, ComposerTextArea

Kind = Literal["reply", "note"]
CHAT_LIKE = (Channel.CHAT, Channel.SMS, Channel.SOCIAL)


class Composer(Vertical):
    """Reply / note editor for one interaction."""

    DEFAULT_CSS = """
    Composer {
        height: auto;
        max-height: 60%;
        background: $panel;
        padding: 0 1;
    }
    Composer #composer-status { height: 1; color: $muted-foreground; }
    Composer #composer-mode { width: auto; padding: 0 1; background: $boost; text-style: bold; }
    Composer.-note #composer-mode { background: $note-background; color: $foreground; }
    Composer #composer-hints { width: 1fr; padding: 0 1; color: $muted-foreground; }
    Composer #composer-disabled { display: none; color: $warning; height: auto; }
    Composer.-disabled #composer-disabled { display: block; }
    Composer .composer-field { height: 1; }
    Composer .composer-field > Static { width: 5; color: $muted-foreground; }
    Composer .composer-field > Input { width: 1fr; height: 1; border: none; padding: 0; background: $boost; }
    Composer .composer-field > Input:focus { background: $boost; text-style: none; }
    Composer ComposerTextArea { height: auto; min-height: 3; max-height: 6; border: tall $boost; }
    Composer ComposerTextArea:focus { border: tall $accent; }
    Composer.-note ComposerTextArea { background: $note-background; }
    Composer.-email ComposerTextArea { min-height: 5; max-height: 16; }
    """

    BINDINGS = [
        Binding("ctrl+s", "send", "Send", id="composer-send"),
        Binding("ctrl+t", "toggle_note", "Reply/Note", id="composer-note-toggle"),
        Binding("ctrl+e", "edit_external", "$EDITOR", id="composer-editor", priority=True),
        Binding("ctrl+slash,ctrl+underscore", "canned", "Canned", show=False, id="composer-canned"),
    ]

    class Submitted(Message):
        """The agent sent a reply or a private note."""

        def __init__(
            self,
            composer: Composer,
            interaction_id: str,
            body: str,
            kind: Kind,
            subject: str | None,
            cc: list[str],
        ) -> None:
            super().__init__()
            self.composer = composer
            self.interaction_id = interaction_id
            self.body = body
            self.kind = kind
            self.subject = subject
            self.cc = cc

        @property
        def control(self) -> Composer:
            return self.composer

    class DraftChanged(Message):
        """The draft settled after typing; the shell may persist it."""

        def __init__(
            self, composer: Composer, interaction_id: str, text: str, subject: str | None, cc: list[str]
        ) -> None:
            super().__init__()
            self.composer = composer
            self.interaction_id = interaction_id
            self.text = text
            self.subject = subject
            self.cc = cc

        @property
        def control(self) -> Composer:
            return self.composer

    def __init__(
        self,
        interaction_id: str,
        channel: Channel | str,
        *,
        subject: str | None = None,
        disabled_reason: str | None = None,
        draft_delay: float = 0.5,
        name: str | None = None,
        id: str | None = None,
        classes: str | None = None,
    ) -> None:
        super().__init__(name=name, id=id, classes=classes)
        self.interaction_id = interaction_id
        self._channel = Channel(channel)
        self._original_subject = subject
        self._kind: Kind = "note" if self._channel is Channel.VOICE else "reply"
        self._canned: list[CannedResponse] = []
        self._agent_name: str | None = None
        self._disabled_reason = disabled_reason
        self._draft_delay = draft_delay
        self._draft_timer: Timer | None = None
        self._last_draft: tuple[str, str | None, tuple[str, ...]] = ("", self._default_subject(), ())
        # Children exist from construction so the shell may load a draft, disable
        # or fill the composer before it is mounted.
        self._body_area = ComposerTextArea(enter_sends=self._channel in CHAT_LIKE, id="composer-body")
        self._mode_label = Static(id="composer-mode")
        self._disabled_label = Static(id="composer-disabled")
        self._subject_input: Input | None = None
        self._cc_input: Input | None = None
        if self.is_email:
            # select_on_focus=False: tabbing in keeps "Re: …" and puts the cursor
            # at the end, so the next key adds to the subject instead of replacing it.
            self._subject_input = ComposerInput(
                value=self._default_subject() or "", id="composer-subject", compact=True, select_on_focus=False)
            self._cc_input = ComposerInput(
                placeholder="addresses, comma separated", id="composer-cc", compact=True, select_on_focus=False)
        self._show_mode()

    # --- composition -----------------------------------------------------------------

    def compose(self) -> ComposeResult:
        with Horizontal(id="composer-status"):
            yield self._mode_label
            yield Static(self._hints(), id="composer-hints")
        yield self._disabled_label
        if self._subject_input is not None and self._cc_input is not None:
            with Horizontal(classes="composer-field"):
                yield Static("Subj")
                yield self._subject_input
            with Horizontal(classes="composer-field"):
                yield Static("Cc")
                yield self._cc_input
        yield self._body_area

    def on_mount(self) -> None:
        self.set_class(self.is_email, "-email")
        self._show_mode()
        self.set_disabled(self._disabled_reason)

    # --- public API -------------------------------------------------------------------------

    @property
    def channel(self) -> Channel:
        return self._channel

    @property
    def is_email(self) -> bool:
        return self._channel is Channel.EMAIL

    @property
    def kind(self) -> Kind:
        return self._kind

    @property
    def text(self) -> str:
        return self._body.text

    @property
    def disabled_reason(self) -> str | None:
        return self._disabled_reason

    def set_canned(self, responses: list[CannedResponse]) -> None:
        self._canned = list(responses)

    def set_agent_name(self, name: str | None) -> None:
        """The name that fills `{agent}` in canned responses (None: ask the screen)."""
        self._agent_name = name or None

    @property
    def agent_name(self) -> str | None:
        """The signed-in agent's display name, if known."""
        if self._agent_name:
            return self._agent_name
        try:
            state = getattr(self.screen, "state", None)
        except Exception:  # not mounted yet
            return None
        for who in (getattr(state, "me", None), getattr(state, "agent", None)):
            name = getattr(who, "name", None)
            if isinstance(name, str) and name.strip():
                return name.strip()
        return None

    def load_draft(self, text: str, subject: str | None = None, cc: list[str] | str | None = None) -> None:
        self._body.load_text(text)
        if self._subject_input is not None and subject is not None:
            self._subject_input.value = subject
        if self._cc_input is not None:
            self._cc_input.value = _cc_text(cc)
        self._last_draft = self._snapshot()
        self._body.move_cursor(self._body.document.end)

    def insert_text(self, text: str) -> None:
        if self._body.read_only:
            return
        self._body.insert(text)
        self._body.focus()

    def set_disabled(self, reason: str | None) -> None:
        """Make the composer read-only and say why, or enable it again (None)."""
        self._disabled_reason = reason
        self.set_class(reason is not None, "-disabled")
        self._disabled_label.update(Content(reason or ""))
        self._body.read_only = reason is not None
        for field in (self._subject_input, self._cc_input):
            if field is not None:
                field.disabled = reason is not None

    def clear(self) -> None:
        self._body.load_text("")
        if self._subject_input is not None and self._cc_input is not None:
            self._cc_input.value = ""
            self._subject_input.value = self._default_subject() or ""
        self._last_draft = self._snapshot()

    def focus_body(self) -> None:
        self._body.focus()

    # --- actions -------------------------------------------------------------------------------

    def action_send(self) -> None:
        if self._disabled_reason is not None:
            self.app.bell()
            return
        body = self._body.text.strip("\n")
        if not body.strip():
            self.app.bell()
            return
        text, subject, cc = self._snapshot()
        self.post_message(
            self.Submitted(self, self.interaction_id, body, self._kind, subject if self.is_email else None, list(cc))
        )
        self.clear()
        self._cancel_draft_timer()
        # Sent from subject / cc (ctrl+s): the next thing to write is a body.
        focused = self.app.focused
        if focused is None or focused in (self._subject_input, self._cc_input):
            self._body.focus()
        # An empty draft after sending: let the shell drop the saved one.
        self.post_message(self.DraftChanged(self, self.interaction_id, "", self._snapshot()[1], []))

    def action_toggle_note(self) -> None:
        if self._channel is Channel.VOICE:
            self.notify("Calls take private notes only.", markup=False)
            return
        self._kind = "note" if self._kind == "reply" else "reply"
        self._show_mode()

    def action_canned(self) -> None:
        if self._disabled_reason is not None:
            return
        usable = [r for r in self._canned if not r.channels or self._channel in r.channels]
        if not usable:
            self.notify("No canned responses for this channel.", markup=False)
            return

        def chosen(response: CannedResponse | None) -> None:
            if response is not None:
                name = self.agent_name
                if name is None and AGENT_PLACEHOLDER in response.body:
                    self.notify("Your name is not known yet: check the text before sending.",
                                severity="warning", markup=False)
                self.insert_text(fill_canned(response.body, agent=name))
            else:
                self._body.focus()

        self.app.push_screen(CannedPicker(usable, self._channel), chosen)

    def action_edit_external(self) -> None:
        if not self.is_email:
            self.notify("The external editor is for emails.", markup=False)
            return
        if self._disabled_reason is not None:
            return
        editor = os.environ.get("VISUAL") or os.environ.get("EDITOR")
        if not editor:
            self.notify("Set $EDITOR (or $VISUAL) to write long emails in your editor.",
                        severity="warning", markup=False)
            return
        fd, name = tempfile.mkstemp(prefix="agentdesk-", suffix=".txt")
        path = Path(name)
        try:
            with os.fdopen(fd, "w", encoding="utf-8") as handle:
                handle.write(self._body.text)
            try:
                with self.app.suspend():
                    subprocess.run([*shlex.split(editor), str(path)], check=False)
            except SuspendNotSupported:
                self.notify("This terminal cannot hand over to an editor; keep typing here.",
                            severity="warning", markup=False)
                return
            except OSError as error:
                self.notify(f"Could not start the editor: {error}", severity="error", markup=False)
                return
            self._body.load_text(path.read_text(encoding="utf-8", errors="replace").rstrip("\n"))
            self._body.focus()
        finally:
            path.unlink(missing_ok=True)

    # --- events ------------------------------------------------------------------------------------

    @on(ComposerTextArea.SendRequested)
    def _send_from_body(self, event: ComposerTextArea.SendRequested) -> None:
        event.stop()
        self.action_send()

    @on(ComposerTextArea.CannedRequested)
    def _canned_from_body(self, event: ComposerTextArea.CannedRequested) -> None:
        event.stop()
        self.action_canned()

    @on(TextArea.Changed)
    @on(Input.Changed)
    def _edited(self, event: Message) -> None:
        event.stop()
        self._cancel_draft_timer()
        self._draft_timer = self.set_timer(self._draft_delay, self._post_draft)

    @on(Input.Submitted)
    def _field_submitted(self, event: Input.Submitted) -> None:
        event.stop()
        self._body.focus()  # Enter in subject / cc moves on to the body, never sends

    # --- helpers -------------------------------------------------------------------------------

    @property
    def _body(self) -> ComposerTextArea:
        return self._body_area

    def _default_subject(self) -> str | None:
        if not self.is_email:
            return None
        subject = (self._original_subject or "").strip()
        if not subject:
            return ""
        return subject if subject.lower().startswith("re:") else f"Re: {subject}"

    def _snapshot(self) -> tuple[str, str | None, tuple[str, ...]]:
        if self._subject_input is None or self._cc_input is None:
            return self._body.text, None, ()
        return self._body.text, self._subject_input.value, tuple(_parse_cc(self._cc_input.value))

    def _post_draft(self) -> None:
        self._draft_timer = None
        snapshot = self._snapshot()
        if snapshot == self._last_draft:
            return
        self._last_draft = snapshot
        text, subject, cc = snapshot
        self.post_message(self.DraftChanged(self, self.interaction_id, text, subject, list(cc)))

    def _cancel_draft_timer(self) -> None:
        if self._draft_timer is not None:
            self._draft_timer.stop()
            self._draft_timer = None

    def _hints(self) -> Content:
        glyph = CHANNEL_GLYPH[self._channel]
        label = CHANNEL_LABEL[self._channel]
        if self._channel is Channel.VOICE:
            keys = "ctrl+s save note · / canned"
        elif self.is_email:
            keys = "ctrl+s send · ctrl+e $EDITOR · ctrl+t note · / canned"
        else:
            keys = "enter send · shift+enter newline · ctrl+t note · / canned"
        return Content.assemble((glyph, f"${channel_var(self._channel)}"), f" {label} · {keys}")

    def _show_mode(self) -> None:
        note = self._kind == "note"
        self.set_class(note, "-note")
        label = "Private note" if note else "Reply"
        if self._channel is Channel.VOICE:
            label = "Call note"
        self._mode_label.update(Content(label))
        self._body.placeholder = (
            "Private note (agents only)" if note else f"Reply to the customer by {CHANNEL_LABEL[self._channel]}"
        )


AGENT_PLACEHOLDER = "{agent}"


def fill_canned(body: str, *, agent: str | None) -> str:
    """`body` with every `{agent}` replaced by the agent's name.

    Only that exact placeholder is touched: any other braces ("{", "}",
    "{x}", "{{") stay as written ("{{agent}}" becomes "{Name}"), and nothing
    is formatted (no `str.format`), so odd braces can never raise. An unknown
    name fills in as "" (the composer then warns the agent) rather than
    leaving the raw placeholder for the customer.
    """
    return body.replace(AGENT_PLACEHOLDER, (agent or "").strip())


def _parse_cc(value: str) -> list[str]:
    return [part.strip() for part in value.replace(";", ",").split(",") if part.strip()]


def _cc_text(cc: list[str] | str | None) -> str:
    if cc is None:
        return ""
    return cc if isinstance(cc, str) else ", ".join(cc)
