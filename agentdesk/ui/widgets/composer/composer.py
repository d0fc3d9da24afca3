"""The channel-aware composer under the timeline.

Chat / SMS / social: Enter sends, shift+enter or ctrl+j is a newline. Email:
subject ("Re: …"), cc and a body where Enter is a newline; ctrl+e edits it in
`$EDITOR`. Voice: call notes only. ctrl+s sends everywhere, ctrl+t toggles
reply / private note (a note is one-off: after sending one the composer is
back on reply), "/" in an empty body or ctrl+/ opens canned responses
(`{agent}` filled by `fill_canned`). Alt keys are never typed into the text.

Limits (`agentdesk.domain.channel_limits`): a counter in the status line (an
SMS shows "2/10 segments · 1,224 left"; other channels once near their
limit), warning colours near the limit, and a send over it, or with a cc
that is not an address, is refused: a plain sentence under the status line
and in a toast, the text kept as it is. Inserted text (KB answers) joins the
words around it and goes into chat-like channels as a snippet that fits.

Public API: `Composer(interaction_id, channel, *, subject=None,
disabled_reason=None, draft_delay=0.5, name=None, id=None, classes=None)`,
`set_canned(responses)`, `set_agent_name(name)` (unset: asked of the
screen's state), `load_draft(text, subject=None, cc=None)` (posts no
DraftChanged), `insert_text(text)`, `type_text(text)`, `set_disabled(reason | None)`, `clear()`,
`focus_body()`, properties `text`, `kind`, `channel`, `is_email`,
`disabled_reason`; every method works before mounting. Messages:
`Composer.Submitted(interaction_id, body, kind, subject, cc)` (then the
composer clears itself) and `Composer.DraftChanged(interaction_id, text,
subject, cc)`, debounced by `draft_delay`.

Bindings (ids): composer-send (ctrl+s), composer-note-toggle (ctrl+t),
composer-editor (ctrl+e, priority: the text area's "end of line" must not
swallow it), composer-canned (ctrl+/).
"""

from __future__ import annotations

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.content import Content
from textual.message import Message
from textual.timer import Timer
from textual.widgets import Input, Static, TextArea

from agentdesk.domain.models import CannedResponse, Channel
from agentdesk.ui.glyphs import CHANNEL_LABEL
from agentdesk.ui.widgets.composer import messages as _messages
from agentdesk.ui.widgets.composer.addresses import cc_text, parse_cc
from agentdesk.ui.widgets.composer.canned_fill import agent_name_in, customer_name_in, filled_canned
from agentdesk.ui.widgets.composer.canned_picker import CannedPicker
from agentdesk.ui.widgets.composer.composer_text_area import ComposerTextArea, email_fields
from agentdesk.ui.widgets.composer.external_editor import edit_in_editor
from agentdesk.ui.widgets.composer.insertion import fitted_snippet, joined
from agentdesk.ui.widgets.composer.mode_text import key_hints, mode_label, placeholder
from agentdesk.ui.widgets.composer.send_checks import Kind, body_verdict, reply_subject, send_problem

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
    Composer #composer-hints {
        width: 1fr; padding: 0 1; color: $muted-foreground; text-wrap: nowrap; text-overflow: ellipsis;
    }
    Composer #composer-count { width: auto; padding: 0 1; color: $muted-foreground; }
    Composer #composer-count.-warning { color: $warning; text-style: bold; }
    Composer #composer-count.-error { color: $error; text-style: bold; }
    Composer #composer-problem { display: none; color: $error; height: auto; }
    Composer.-problem #composer-problem { display: block; }
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

    Submitted = _messages.Submitted
    DraftChanged = _messages.DraftChanged

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
        self._count_label = Static(id="composer-count")
        self._count_shown: str | None = None
        self._problem_label = Static(id="composer-problem")  # why the last send was refused
        self._subject_input: Input | None = None
        self._cc_input: Input | None = None
        if self.is_email:
            self._subject_input, self._cc_input = email_fields(self._default_subject() or "")
        self._show_mode()

    # --- composition -----------------------------------------------------------------

    def compose(self) -> ComposeResult:
        with Horizontal(id="composer-status"):
            yield self._mode_label
            yield Static(key_hints(self._channel), id="composer-hints")
            yield self._count_label
        yield self._disabled_label
        yield self._problem_label
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
        self._show_count()

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
    def customer_name(self) -> str | None:
        """The name of this tab's customer, if the screen knows it."""
        return customer_name_in(self._screen_state(), self.interaction_id)

    @property
    def agent_name(self) -> str | None:
        """The signed-in agent's display name, if known."""
        return self._agent_name or agent_name_in(self._screen_state())

    def _screen_state(self) -> object:
        try:
            return getattr(self.screen, "state", None)
        except Exception:  # not mounted yet
            return None

    def load_draft(self, text: str, subject: str | None = None, cc: list[str] | str | None = None) -> None:
        self._body.load_text(text)
        if self._subject_input is not None and subject is not None:
            self._subject_input.value = subject
        if self._cc_input is not None:
            self._cc_input.value = cc_text(cc)
        self._last_draft = self._snapshot()
        self._body.move_cursor(self._body.document.end)

    def insert_text(self, text: str) -> None:
        """Insert at the cursor, with a space / newline where it joins words; on a
        chat-like channel a long text (a KB article) goes in as a short snippet
        that fits the channel's limit (the agent is told it was shortened)."""
        if self._body.read_only:
            return
        body = self._body
        if self._kind == "reply" and self._channel in CHAT_LIKE:
            short = fitted_snippet(self._channel, body.text, text)
            if short != " ".join(text.split()) and short != text:
                self.notify(f"Shortened to fit {CHANNEL_LABEL[self._channel]}: check it before sending.",
                            markup=False, timeout=4)
            text = short
        row, column = body.cursor_location
        line = body.document.get_line(row)
        before = line[:column] if column else (body.document.get_line(row - 1) + "\n" if row else "")
        body.insert(joined(before, text, line[column:]))
        body.focus()

    def type_text(self, text: str) -> None:
        """Type `text` at the cursor as the agent would (type-ahead after an accept)."""
        if not self._body.read_only:
            self._body.insert(text)

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
        problem = self._send_problem(body, subject, list(cc))
        self._show_problem(problem)
        if problem is not None:  # refused before it is sent: the text stays for the agent to fix
            self.app.bell()
            self.notify(problem, severity="error", markup=False, timeout=6)
            return
        sent_kind = self._kind
        self.post_message(
            self.Submitted(
                self, self.interaction_id, body, self._kind, subject if self.is_email else None, list(cc)
            )
        )
        self.clear()
        self._cancel_draft_timer()
        if sent_kind == "note" and self._channel is not Channel.VOICE:
            self._kind = "reply"  # a note is a one-off: the next thing typed goes to the customer
            self._show_mode()
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
            if not self.is_attached:
                # The interaction closed while the picker was open (the customer
                # left, ACW ran out): focusing or filling a removed text area
                # renders it without its styles, and Textual raises (KeyError).
                return
            if response is None:
                self._body.focus()
                return
            text, warnings = filled_canned(response, agent=self.agent_name, customer=self.customer_name)
            for warning in warnings:
                self.notify(warning, severity="warning", markup=False, timeout=10)
            self.insert_text(text)

        self.app.push_screen(CannedPicker(usable, self._channel), chosen)

    def action_edit_external(self) -> None:
        if not self.is_email:
            self.notify("The external editor is for emails.", markup=False)
            return
        if self._disabled_reason is not None:
            return
        edit_in_editor(self._body)

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
        self._show_count()
        if self.has_class("-problem"):  # re-checked as the agent fixes it
            text, subject, cc = self._snapshot()
            self._show_problem(self._send_problem(text, subject, list(cc)) if text.strip() else None)
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
        return reply_subject(self._original_subject) if self.is_email else None

    def _snapshot(self) -> tuple[str, str | None, tuple[str, ...]]:
        if self._subject_input is None or self._cc_input is None:
            return self._body.text, None, ()
        return self._body.text, self._subject_input.value, tuple(parse_cc(self._cc_input.value))

    def _send_problem(self, body: str, subject: str | None, cc: list[str]) -> str | None:
        """Why this cannot be sent as it is (a plain sentence), or None."""
        return send_problem(self._channel, self._kind, body, subject, cc)

    def _show_problem(self, problem: str | None) -> None:
        self.set_class(problem is not None, "-problem")
        self._problem_label.update(Content(problem or ""))

    def _show_count(self) -> None:
        verdict = body_verdict(self._channel, self._kind, self._body.text)
        for level in ("warning", "error"):
            self._count_label.set_class(verdict.level == level, f"-{level}")
        if verdict.counter != self._count_shown:
            # A counter of the same width repaints; only a new width needs a layout pass.
            counter = Content(verdict.counter)
            self._count_label.update(
                counter, layout=counter.cell_length != Content(self._count_shown or "").cell_length)
            self._count_shown = verdict.counter

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

    def _show_mode(self) -> None:
        self._show_count()
        self.set_class(self._kind == "note", "-note")
        self._mode_label.update(Content(mode_label(self._channel, self._kind)))
        self._body.placeholder = placeholder(self._channel, self._kind)
