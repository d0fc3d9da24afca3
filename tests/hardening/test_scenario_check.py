"""Issue 15, item 9: the scenario file is checked like the config file (file,
line, key, reason, did-you-mean), and it (or `--capacity`) sets the per-agent
capacity, so an agent can run 20 chats at once against the real server."""

from __future__ import annotations

from pathlib import Path

import pytest

from agentdesk.domain.capacity import DEFAULT_LIMITS
from agentdesk.domain.models import Channel
from agentdesk.mockserver.sim.capacity_rule import DEFAULT_RULE, parse_capacity
from agentdesk.mockserver.sim.scenario import ScenarioError, load_scenario
from agentdesk.testing.mockserver import DemoClient, running_server

EXAMPLE = Path(__file__).parents[2] / "agentdesk/mockserver/data/scenario.example.toml"

BAD = """\
[arrivals]
chat = "lots"
voice = -3

[routing]
offer_timout_s = 20.0

[patience]
voice = [240.0, 60.0]

[bots]
accept_delay_s = 5

[[queues]]
id = "support"
channels = ["chat"]

[[queues]]
id = "billing"
channels = ["chat", "fax"]
sl_target_pct = 150

[capacity.limits]
chat = 2.5
"""


def _problems(tmp_path: Path, text: str) -> list[str]:
    path = tmp_path / "scenario.toml"
    path.write_text(text)
    with pytest.raises(ScenarioError) as info:
        load_scenario(path)
    return str(info.value).splitlines()


def test_every_problem_is_named_with_file_line_and_key(tmp_path):
    problems = _problems(tmp_path, BAD)
    f = tmp_path / "scenario.toml"
    assert problems == [
        f"{f}:2: arrivals.chat: must be a number, not 'lots'",
        f"{f}:3: arrivals.voice: must be 0 or more, not -3",
        f"{f}:6: routing.offer_timout_s: unknown key (did you mean 'offer_timeout_s'?)",
        f"{f}:9: patience.voice: is reversed: min 240.0 is greater than max 60.0 "
        "(write [60.0, 240.0])",
        f"{f}:12: bots.accept_delay_s: must be a range [min, max] of two numbers, not 5",
        f"{f}:20: queues[1].channels: 'fax' is not a channel (known: chat, email, sms, "
        "social, voice)",
        f"{f}:21: queues[1].sl_target_pct: must be 0-100, not 150",
        f"{f}:24: capacity.limits.chat: must be a whole number, not 2.5",
    ]


def test_unknown_sections_duplicate_queues_and_bad_toml(tmp_path):
    problems = _problems(tmp_path, '[routng]\nx = 1\n[[queues]]\nid = "a"\n[[queues]]\nid = "a"\n')
    assert problems[0].endswith(":1: routng: unknown section (did you mean 'routing'?)")
    assert problems[1].endswith(":6: queues[1].id: 'a' is used by an earlier queue")
    broken = _problems(tmp_path, "[arrivals\nchat = 1\n")
    assert len(broken) == 1 and "not valid TOML" in broken[0]


def test_the_shipped_example_is_clean_and_means_the_defaults():
    sc = load_scenario(EXAMPLE)
    assert sc.offer_timeout_s == 20.0 and sc.patience_s[Channel.VOICE] == (60.0, 240.0)
    assert sc.capacity == DEFAULT_RULE


def test_capacity_spec_parsing():
    rule = parse_capacity("chat=20@5,total=100")
    assert rule.limit_map[Channel.CHAT] == 20 and rule.cost_map[Channel.CHAT] == 5
    assert rule.limit_map[Channel.VOICE] == DEFAULT_LIMITS[Channel.VOICE]
    for bad, reason in [("chat=lots", "not CHANNEL=LIMIT"), ("fax=2", "not a channel"),
                        ("voice=1@150", "could never be routed"), ("total=0", "at least 1")]:
        with pytest.raises(ValueError, match=reason):
            parse_capacity(bad)


@pytest.mark.parametrize("how", ["scenario", "option"])
def test_twenty_concurrent_chats_through_the_real_api(tmp_path, how):
    options = {"capacity": "chat=20@5"}
    if how == "scenario":
        path = tmp_path / "wide.toml"
        path.write_text("[capacity.limits]\nchat = 20\n[capacity.costs]\nchat = 5\n")
        options = {"scenario": path}
    with running_server(agents=1, bots=0, traffic=False, manual_clock=True,
                        **options) as srv:
        agent = DemoClient(srv.url, "agent1")
        agent.available()
        ids = [agent.contact("chat", text=f"hello {n}") for n in range(21)]
        for iid in ids[:20]:
            assert agent.act(iid, "accept").status_code == 200
        me = agent.get("/v1/me").json()["agent"]["capacity"]
        assert me["channels"]["chat"]["active"] == 20 and me["channels"]["chat"]["limit"] == 20
        assert me["used"] == 100
        assert agent.get(f"/v1/interactions/{ids[20]}").status_code == 403  # still queued
        states = {ix["id"]: ix["state"] for ix in agent.get("/v1/interactions").json()[
            "interactions"]}
        assert all(states[i] == "active" for i in ids[:20]) and ids[20] not in states
