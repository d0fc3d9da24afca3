"""Composer: send keys per channel, email fields, note toggle, canned picker, drafts."""

from __future__ import annotations

import sys
from pathlib import Path

sys.path[:0] = [str(Path(__file__).parent), str(Path(__file__).parents[1] / "data")]

from hostile import HOSTILE_SHORT  # noqa: E402
from textual.widgets import Input  # noqa: E402
from widget_data import canned  # noqa: E402
from widget_harness import WidgetApp  # noqa: E402

from agentdesk.domain.models import CannedResponse, Channel  # noqa: E402
from agentdesk.ui.widgets.composer import CannedPicker, Composer  # noqa: E402
from agentdesk.ui.widgets.composer.composer import ComposerTextArea  # noqa: E402


def posted(messages: list, kind: type) -> list:
    seen: dict[int, object] = {}
    for message in messages:
        if isinstance(message, kind):
            seen.setdefault(id(message), message)
    return list(seen.values())


def run(channel: Channel, *, subject: str | None = None, delay: float = 60.0, size=(100, 24)):
    """A composer with a long draft delay unless a test is about drafts."""
    app = WidgetApp(lambda: Composer("int-1", channel, subject=subject, draft_delay=delay))
    messages: list = []
    return app, messages, app.run_test(size=size, message_hook=messages.append)


async def test_chat_enter_sends_and_shift_enter_inserts_a_newline() -> None:
    app, messages, ctx = run(Channel.CHAT)
    async with ctx as pilot:
        composer = app.query_one(Composer)
        composer.focus_body()
        await pilot.press("h", "i", "shift+enter", "y", "o", "ctrl+j", "!")
        assert composer.text == "hi\nyo\n!"
        assert posted(messages, Composer.Submitted) == []
        await pilot.press("enter")
        await pilot.pause()
        (sent,) = posted(messages, Composer.Submitted)
        assert (sent.interaction_id, sent.body, sent.kind, sent.subject, sent.cc) == (
            "int-1", "hi\nyo\n!", "reply", None, [])
        assert composer.text == ""


async def test_ctrl_s_sends_chat_and_empty_does_not_send() -> None:
    app, messages, ctx = run(Channel.SMS)
    async with ctx as pilot:
        composer = app.query_one(Composer)
        composer.focus_body()
        await pilot.press("enter", "ctrl+s")
        assert posted(messages, Composer.Submitted) == []
        await pilot.press("o", "k", "ctrl+s")
        await pilot.pause()
        assert [m.body for m in posted(messages, Composer.Submitted)] == ["ok"]


async def test_email_subject_cc_enter_is_newline_and_ctrl_s_sends() -> None:
    app, messages, ctx = run(Channel.EMAIL, subject="Parcel 4411")
    async with ctx as pilot:
        composer = app.query_one(Composer)
        subject = app.query_one("#composer-subject", Input)
        assert subject.value == "Re: Parcel 4411"
        app.query_one("#composer-cc", Input).focus()
        await pilot.press(*"a@x.org; b@y.org")
        await pilot.press("enter")  # moves on to the body, never sends
        await pilot.pause()
        assert isinstance(app.focused, ComposerTextArea)
        await pilot.press("H", "i", "enter", "B", "y", "e")
        assert composer.text == "Hi\nBye"
        assert posted(messages, Composer.Submitted) == []
        await pilot.press("ctrl+s")
        await pilot.pause()
        (sent,) = posted(messages, Composer.Submitted)
        assert (sent.body, sent.kind, sent.subject, sent.cc) == ("Hi\nBye", "reply", "Re: Parcel 4411",
                                                                 ["a@x.org", "b@y.org"])
        assert app.query_one("#composer-cc", Input).value == ""


async def test_ctrl_e_without_editor_explains(monkeypatch) -> None:
    monkeypatch.delenv("EDITOR", raising=False)
    monkeypatch.delenv("VISUAL", raising=False)
    app, _, ctx = run(Channel.EMAIL, subject="x")
    async with ctx as pilot:
        app.query_one(Composer).focus_body()
        await pilot.press("ctrl+e")
        await pilot.pause()
        assert any("$EDITOR" in n.message for n in app._notifications)


async def test_ctrl_e_when_suspend_is_unsupported_explains(monkeypatch) -> None:
    monkeypatch.setenv("EDITOR", "true")
    app, _, ctx = run(Channel.EMAIL, subject="x")
    async with ctx as pilot:
        composer = app.query_one(Composer)
        composer.focus_body()
        await pilot.press("a")
        await pilot.press("ctrl+e")  # headless driver: suspend is not supported
        await pilot.pause()
        assert any("cannot hand over" in n.message for n in app._notifications)
        assert composer.text == "a"


async def test_note_toggle_changes_kind_and_label() -> None:
    app, messages, ctx = run(Channel.CHAT)
    async with ctx as pilot:
        composer = app.query_one(Composer)
        composer.focus_body()
        assert str(app.query_one("#composer-mode").render()) == "Reply"
        await pilot.press("ctrl+t")
        assert composer.kind == "note" and composer.has_class("-note")
        assert str(app.query_one("#composer-mode").render()) == "Private note"
        await pilot.press("x", "enter")
        await pilot.pause()
        assert [m.kind for m in posted(messages, Composer.Submitted)] == ["note"]
        # Issue 14 item 9: a note is a one-off; the next message goes to the customer.
        assert composer.kind == "reply" and not composer.has_class("-note")
        assert str(app.query_one("#composer-mode").render()) == "Reply"
        await pilot.press("ctrl+t")
        assert composer.kind == "note"


async def test_voice_composer_takes_notes_only() -> None:
    app, messages, ctx = run(Channel.VOICE)
    async with ctx as pilot:
        composer = app.query_one(Composer)
        composer.focus_body()
        await pilot.press("ctrl+t", "n", "enter", "ctrl+s")
        await pilot.pause()
        assert composer.kind == "note"
        assert [(m.kind, m.body) for m in posted(messages, Composer.Submitted)] == [("note", "n")]


async def test_slash_opens_canned_filtered_by_channel_and_inserts() -> None:
    app, _, ctx = run(Channel.CHAT)
    async with ctx as pilot:
        composer = app.query_one(Composer)
        composer.set_canned(canned())
        composer.focus_body()
        await pilot.press("/")
        await pilot.pause()
        picker = app.screen
        assert isinstance(picker, CannedPicker)
        assert [r.id for r in picker.shown] == ["r1", "r2"]  # the email-only one is hidden
        await pilot.press(*"refu")
        assert [r.id for r in picker.shown] == ["r2"]
        await pilot.press("enter")
        await pilot.pause()
        assert not isinstance(app.screen, CannedPicker)
        assert composer.text.startswith("Your refund has been issued")


async def test_slash_in_a_non_empty_composer_is_just_a_slash() -> None:
    app, _, ctx = run(Channel.CHAT)
    async with ctx as pilot:
        composer = app.query_one(Composer)
        composer.set_canned(canned())
        composer.focus_body()
        await pilot.press("a", "/", "b")
        assert composer.text == "a/b"


async def test_canned_picker_escape_inserts_nothing() -> None:
    app, _, ctx = run(Channel.EMAIL, subject="s")
    async with ctx as pilot:
        composer = app.query_one(Composer)
        composer.set_canned(canned())
        composer.focus_body()
        await pilot.press("/")
        await pilot.pause()
        assert [r.id for r in app.screen.shown] == ["r1", "r2", "r3"]
        await pilot.press("escape")
        await pilot.pause()
        assert composer.text == ""


async def test_draft_changed_is_debounced_and_load_draft_is_silent() -> None:
    app, messages, ctx = run(Channel.CHAT, delay=0.3)
    async with ctx as pilot:
        composer = app.query_one(Composer)
        composer.load_draft("saved")
        composer.focus_body()
        await pilot.pause(0.5)
        assert posted(messages, Composer.DraftChanged) == []
        await pilot.press("end", "!", "!", "!")
        await pilot.pause(0.6)
        drafts = posted(messages, Composer.DraftChanged)
        assert [d.text for d in drafts] == ["saved!!!"]


async def test_insert_text_and_disabled_state() -> None:
    app, messages, ctx = run(Channel.CHAT)
    async with ctx as pilot:
        composer = app.query_one(Composer)
        composer.insert_text("From the KB.")
        assert composer.text == "From the KB."
        composer.set_disabled("This interaction is closed [/b]")
        await pilot.pause()
        await pilot.press("x", "enter", "ctrl+s")
        await pilot.pause()
        assert composer.text == "From the KB."
        assert posted(messages, Composer.Submitted) == []
        assert "closed [/b]" in str(app.query_one("#composer-disabled").render())
        composer.set_disabled(None)
        composer.focus_body()
        await pilot.press("ctrl+s")
        await pilot.pause()
        assert [m.body for m in posted(messages, Composer.Submitted)] == ["From the KB."]


async def test_hostile_drafts_and_canned_do_not_crash() -> None:
    app, _, ctx = run(Channel.EMAIL, subject="[/b] [@click=app.quit]x[/]")
    async with ctx as pilot:
        composer = app.query_one(Composer)
        hostile = [c.model_copy(update={"title": text, "body": text, "shortcut": text[:20]})
                   for c, text in zip(canned() * 20, HOSTILE_SHORT, strict=False)]
        composer.set_canned(hostile)
        for text in HOSTILE_SHORT[:10]:
            composer.load_draft(text, subject=text, cc=text)
        composer.load_draft("")
        composer.focus_body()
        await pilot.press("/")
        await pilot.pause()
        assert isinstance(app.screen, CannedPicker)
        await pilot.click("#canned-list", offset=(4, 1))
        await pilot.pause()
        assert app.actions_fired == []


async def test_composer_accepts_calls_before_it_is_mounted() -> None:
    def build() -> Composer:
        composer = Composer("int-1", Channel.EMAIL, subject="Hello", draft_delay=60)
        composer.load_draft("draft body", subject="Re: Hello again", cc=["x@y.z"])
        composer.set_disabled("closed")
        composer.action_toggle_note()
        return composer

    app = WidgetApp(build)
    async with app.run_test(size=(100, 24)) as pilot:
        await pilot.pause()
        composer = app.query_one(Composer)
        assert composer.text == "draft body" and composer.kind == "note"
        assert app.query_one("#composer-subject", Input).value == "Re: Hello again"
        assert app.query_one("#composer-cc", Input).value == "x@y.z"
        assert composer.disabled_reason == "closed" and composer.has_class("-disabled")


def test_canned_prompt_shows_one_slash_whatever_the_shortcut() -> None:
    """The server sends "/hi" (docs/protocol.md); the picker showed "//hi"."""
    from agentdesk.ui.widgets.composer.canned_picker import _prompt

    for shortcut in ("/hi", "hi"):
        response = CannedResponse(id="g", shortcut=shortcut, title="Greeting", body="Hello")
        assert _prompt(response).plain.startswith("/hi  Greeting")


async def test_sms_counter_and_an_oversized_paste_is_refused_and_kept() -> None:
    """Issue 14 item 5: a segment counter, and a 192 KB paste is refused with a
    plain message, never sent, never cleared."""
    app, messages, ctx = run(Channel.SMS)
    async with ctx as pilot:
        composer = app.query_one(Composer)
        composer.focus_body()
        await pilot.press(*"hello")
        await pilot.pause()
        count = app.query_one("#composer-count")
        assert str(count.render()) == "1/10 segments · 1,525 left"
        paste = "Refund details. " * 12_000  # 192,000 characters
        composer.load_draft(paste)
        await pilot.press("enter")
        await pilot.pause()
        assert posted(messages, Composer.Submitted) == []
        assert composer.text == paste
        problem = str(app.query_one("#composer-problem").render())
        assert "Too long to send" in problem and "your text is kept" in problem
        assert any("Too long" in n.message for n in app._notifications)
        assert count.has_class("-error")
        composer.load_draft("short again")
        composer.post_message(Input.Changed(Input(), ""))  # any edit re-checks
        await pilot.pause()
        await pilot.press("enter")
        await pilot.pause()
        assert [m.body for m in posted(messages, Composer.Submitted)] == ["short again"]
        assert not composer.has_class("-problem")


async def test_email_cc_is_checked_inline_and_not_sent() -> None:
    """Issue 14 item 12."""
    app, messages, ctx = run(Channel.EMAIL, subject="Parcel")
    async with ctx as pilot:
        composer = app.query_one(Composer)
        app.query_one("#composer-cc", Input).value = "ana@example.org, not-an-email"
        composer.focus_body()
        await pilot.press(*"Hello")
        await pilot.press("ctrl+s")
        await pilot.pause()
        assert posted(messages, Composer.Submitted) == []
        assert "Not an email address: not-an-email" in str(app.query_one("#composer-problem").render())
        assert composer.text == "Hello"
        app.query_one("#composer-cc", Input).value = "ana@example.org"
        await pilot.pause()
        assert not composer.has_class("-problem")
        await pilot.press("ctrl+s")
        await pilot.pause()
        sent = posted(messages, Composer.Submitted)
        assert len(sent) == 1 and sent[0].cc == ["ana@example.org"]


async def test_inserted_text_joins_words_and_an_sms_gets_a_snippet() -> None:
    """Issue 14 item 11: never 'writtenDirect'; an article into an SMS is a snippet."""
    article = ("Direct Debit is taken on the first working day of the month. " * 3
               + "\n\nTo change the date, open Billing and choose Payment date. " * 8)
    app, messages, ctx = run(Channel.SMS)
    async with ctx as pilot:
        composer = app.query_one(Composer)
        composer.focus_body()
        await pilot.press(*"As written")
        composer.insert_text(article)
        await pilot.pause()
        text = composer.text
        assert text.startswith("As written Direct Debit is taken")
        assert len(text) <= 10 + 1 + 306 and "\n" not in text
        assert text.rstrip().endswith(".")  # whole sentences
        assert any("Shortened" in n.message for n in app._notifications)
    app, messages, ctx = run(Channel.EMAIL, subject="x")
    async with ctx as pilot:
        composer = app.query_one(Composer)
        composer.focus_body()
        await pilot.press(*"Hi Ana,")
        composer.insert_text("Line one.\nLine two.")
        assert composer.text == "Hi Ana,\nLine one.\nLine two."
