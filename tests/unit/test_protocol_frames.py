"""decode_frame and the sanitiser against the hostile corpus and fuzzed frames:
anything a server sends either decodes to clean, valid data or raises
ProtocolError, never anything else."""

from __future__ import annotations

import importlib.util
import json
import re
import sys
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from agentdesk.domain.models import TimelineItem
from agentdesk.protocol.events import (
    MAX_FRAME_BYTES,
    ControlFrame,
    Event,
    MessageData,
    ProtocolError,
    decode_frame,
    encode_event,
)
from agentdesk.protocol.sanitize import MAX_TEXT, sanitize_text, sanitize_tree


def _load_hostile() -> Any:
    path = Path(__file__).parents[1] / "data" / "hostile.py"
    spec = importlib.util.spec_from_file_location("agentdesk_tests_hostile_protocol", path)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module
    spec.loader.exec_module(module)
    return module


HOSTILE: list[str] = _load_hostile().HOSTILE
# What must never survive: ESC, C0 except \n \t, DEL, C1, bidi controls, surrogates.
FORBIDDEN = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069\ud800-\udfff]")


def _item(text: str) -> dict[str, Any]:
    return {
        "id": text[:64] or "x", "customer_id": "c1", "interaction_id": "i1", "channel": "chat",
        "kind": "message", "direction": "inbound", "author": text, "body": text,
        "subject": text, "cc": [text], "at": 1.0,
    }


def assert_clean(text: str) -> None:
    assert not FORBIDDEN.search(text), repr(FORBIDDEN.search(text))
    text.encode("utf-8")  # always storable and printable


@pytest.mark.parametrize("text", HOSTILE, ids=range(len(HOSTILE)))
def test_sanitize_text_cleans_every_hostile_string(text: str) -> None:
    clean = sanitize_text(text)
    assert_clean(clean)
    assert len(clean) <= MAX_TEXT
    assert sanitize_text(clean) == clean  # stable: sanitising twice changes nothing
    assert len(sanitize_text(text, 50)) <= 50


@pytest.mark.parametrize("text", HOSTILE, ids=range(len(HOSTILE)))
def test_hostile_strings_in_every_field_of_a_frame(text: str) -> None:
    raw = json.dumps({"seq": 1, "type": "message.created", "at": 1.0, "data": {"item": _item(text)}})
    if len(raw) > MAX_FRAME_BYTES:
        with pytest.raises(ProtocolError):
            decode_frame(raw)
        return
    event = decode_frame(raw)
    assert isinstance(event, Event)
    item = event.data.item
    for value in (item.id, item.author, item.body, item.subject, *item.cc):
        assert_clean(value)


def test_escape_sequences_go_whole_and_text_stays() -> None:
    raw = "a\x1b[31;1mred\x1b[0m b\x1b]0;title\x07c \x1b]8;;http://x\x1b\\link\x1b]8;;\x1b\\ d\x9b2Je"
    assert sanitize_text(raw) == "ared bc link de"
    assert sanitize_text("one\r\ntwo\rthree\tfour") == "one\ntwo\nthree\tfour"
    assert sanitize_text("[bold]kept[/]") == "[bold]kept[/]"  # markup is the UI's business


def test_sanitize_tree_cleans_keys_and_nested_values() -> None:
    tree = {"k\x1b[2J": ["v\x00", {"n\u202e": "x\x9b1m"}], "num": 3, "ok": True, "none": None}
    assert sanitize_tree(tree) == {"k": ["v", {"n": "x"}], "num": 3, "ok": True, "none": None}


def test_round_trip_of_encode_event() -> None:
    item = TimelineItem.model_validate(_item("hello"))
    raw = encode_event(7, "message.created", 12.5, MessageData(item=item))
    event = decode_frame(raw)
    assert isinstance(event, Event)
    assert (event.seq, event.type, event.at, event.data.item) == (7, "message.created", 12.5, item)
    assert isinstance(decode_frame(raw.encode()), Event)  # bytes frames too


def test_control_frames_carry_their_time() -> None:
    beat = decode_frame('{"type":"heartbeat","at":1772442000.5}')
    assert beat == ControlFrame("heartbeat", {}, 1772442000.5)
    hello = decode_frame('{"type":"hello","data":{"last_seq":4,"at":9}}')
    assert isinstance(hello, ControlFrame) and hello.at is None and hello.data["last_seq"] == 4
    assert decode_frame('{"type":"pong","at":true}') == ControlFrame("pong", {}, None)


@pytest.mark.parametrize(
    "raw",
    [
        "",
        "{",
        "null",
        "[]",
        '"text"',
        "{}",
        '{"type": null}',
        '{"type": "customer.typing", "seq": true, "at": 1, "data": {}}',
        '{"type": "customer.typing", "seq": 0, "at": 1, "data": {}}',
        '{"type": "customer.typing", "seq": -3, "at": 1, "data": {}}',
        '{"type": "customer.typing", "seq": 1.5, "at": 1, "data": {}}',
        '{"type": "customer.typing", "seq": 1, "at": null, "data": {}}',
        '{"type": "customer.typing", "seq": 1, "at": false, "data": {}}',
        '{"type": "customer.typing", "seq": 1, "at": 1, "data": {"typing": "maybe"}}',
        '{"type": "customer.typing", "seq": 1, "at": 1, "data": []}',
        '{"type": "interaction.offered", "seq": 1, "at": 1, "data": {"interaction": 5}}',
        '{"type": "no.such.type", "seq": 1, "at": 1, "data": {}}',
        b"\xff\xfe\xfd",
    ],
)
def test_malformed_frames_raise_protocol_error(raw: str | bytes) -> None:
    with pytest.raises(ProtocolError):
        decode_frame(raw)


def test_oversized_frame_is_refused_unparsed() -> None:
    with pytest.raises(ProtocolError, match="exceeds"):
        decode_frame("x" * (MAX_FRAME_BYTES + 1))


_json = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=True) | st.text(),
    lambda children: st.lists(children, max_size=4) | st.dictionaries(st.text(max_size=8), children, max_size=4),
    max_leaves=20,
)


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    kind=st.sampled_from(["message.created", "interaction.offered", "call.updated",
                          "customer.typing", "stats.updated", "resync", "heartbeat", "zzz"])
    | st.text(max_size=20),
    seq=_json,
    at=_json,
    data=_json,
)
def test_fuzzed_frames_decode_or_raise_protocol_error(kind: Any, seq: Any, at: Any, data: Any) -> None:
    raw = json.dumps({"type": kind, "seq": seq, "at": at, "data": data})
    try:
        frame = decode_frame(raw)
    except ProtocolError:
        return
    assert isinstance(frame, (Event, ControlFrame))


@settings(max_examples=300, deadline=None)
@given(st.text())
def test_fuzzed_text_is_always_clean(text: str) -> None:
    assert_clean(sanitize_text(text))


def test_sanitize_returns_safe_text_unchanged_and_cleans_the_rest_as_the_full_pass_does():
    """The fast path (nothing to remove) and the full pass agree on random text
    drawn from safe characters, controls, escapes and bidi marks."""
    import random

    from agentdesk.protocol import sanitize as sz

    def full_pass(value: str, max_len: int) -> str:
        value = value[: max_len * 4]
        text = value.replace("\r\n", "\n").replace("\r", "\n")
        text = sz._CONTROLS.sub("", sz._SEQUENCES.sub("", text))
        if len(text) > max_len:
            text = text[: max(0, max_len - len(sz.TRUNCATION_MARK))] + sz.TRUNCATION_MARK
        return text

    rng = random.Random(7)
    alphabet = list("abc XYZ\n\t.é€日😀") + ["\r", "\x1b", "\x1b[31m", "\x9b", "\x07", "\x7f",
                                              "\u202e", "\u2066", "\x00", "\x85", "\x1b]8;;x\x07"]
    for _ in range(3000):
        value = "".join(rng.choice(alphabet) for _ in range(rng.randint(0, 30)))
        max_len = rng.choice([5, 20, 100])
        assert sz.sanitize_text(value, max_len) == full_pass(value, max_len), repr(value)
    plain = "Hello, can I renew early? Price £38 – thanks 😀"
    assert sz.sanitize_text(plain) is plain
