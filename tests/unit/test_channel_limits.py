"""Channel length limits as an SMS phone and the server count them."""

from agentdesk.domain.channel_limits import (
    MAX_BODY,
    SMS_MAX_SEGMENTS,
    SOCIAL_MAX_CHARS,
    check_body,
    check_subject,
    sms_count,
)
from agentdesk.domain.enums import Channel
from agentdesk.protocol import requests


def test_limits_are_the_protocols() -> None:
    assert MAX_BODY == requests.MAX_BODY and requests.MAX_SUBJECT == 300


def test_gsm7_and_ucs2_segments() -> None:
    assert sms_count("").segments == 0
    assert sms_count("a" * 160) == sms_count("a" * 160)
    assert (sms_count("a" * 160).segments, sms_count("a" * 161).segments) == (1, 2)
    assert sms_count("a" * 306).segments == 2 and sms_count("a" * 307).segments == 3
    assert sms_count("€" * 80).units == 160 and sms_count("€" * 80).encoding == "GSM-7"
    emoji = sms_count("ok 👍")
    assert emoji.encoding == "UCS-2" and emoji.units == 5 and emoji.segments == 1
    assert sms_count("é" * 70).encoding == "GSM-7"  # é is in the GSM alphabet
    assert sms_count("ç" * 70).segments == 1 and sms_count("ç" * 71).segments == 2  # ç is not: UCS-2
    assert sms_count("a").max_units == 153 * SMS_MAX_SEGMENTS


def test_sms_counter_reads_as_agents_expect() -> None:
    check = check_body(Channel.SMS, "a" * 200)
    assert check.counter == f"2/{SMS_MAX_SEGMENTS} segments · {153 * SMS_MAX_SEGMENTS - 200:,} left"
    assert check.ok and check.level == "ok"
    near = check_body(Channel.SMS, "a" * (153 * SMS_MAX_SEGMENTS - 10))
    assert near.ok and near.level == "warning" and near.counter.endswith("· 10 left")
    over = check_body(Channel.SMS, "a" * (153 * SMS_MAX_SEGMENTS + 1))
    assert not over.ok and over.level == "error" and "your text is kept" in over.refusal
    assert over.counter.endswith("· 1 over")
    assert "UCS-2" in check_body(Channel.SMS, "merci 🙂").counter


def test_other_channels_and_the_server_limit() -> None:
    assert check_body(Channel.CHAT, "hello") .counter == ""
    assert not check_body(Channel.SOCIAL, "x" * (SOCIAL_MAX_CHARS + 1)).ok
    paste = "x" * 192_000
    for channel in Channel:
        verdict = check_body(channel, paste)
        assert not verdict.ok and "50,000" in verdict.refusal and "String should" not in verdict.refusal
    assert check_body(Channel.EMAIL, "x" * MAX_BODY).ok
    assert check_body(Channel.EMAIL, "😀" * 49_000).ok
    assert not check_body(Channel.EMAIL, "\x01" * 49_000).ok  # escaped, too many bytes for one request
    assert check_subject("x" * 301) and check_subject("Re: parcel") is None


def test_an_empty_sms_shows_no_counter() -> None:
    assert check_body(Channel.SMS, "").counter == ""


def test_an_sms_snippet_stays_in_the_sms_alphabet_and_fits() -> None:
    from agentdesk.ui.widgets.composer.insertion import joined, snippet_for

    article = "It’s taken on the 1st — “as agreed”. " * 30
    short = snippet_for(Channel.SMS, article)
    assert sms_count(short).encoding == "GSM-7" and sms_count(short).segments <= 2
    assert "’" in snippet_for(Channel.CHAT, "It’s fine.")  # chat keeps the typography
    assert snippet_for(Channel.EMAIL, article) == article
    assert len(snippet_for(Channel.SMS, article, room=40)) <= 40
    assert joined("half written", "Direct Debit") == " Direct Debit"
    assert joined("", "Direct") == "Direct" and joined("end ", "x") == "x"
    assert joined("Hi,", "line one\nline two") == "\nline one\nline two"
    assert joined("a", "b", "c") == " b "
