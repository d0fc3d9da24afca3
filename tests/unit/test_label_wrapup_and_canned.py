"""The LABELS wrap-up string the desk builds is the one the Chatwoot adapter
parses; Chatwoot's canned-response variables become the desk's placeholders."""

from __future__ import annotations

import pytest

from agentdesk.backends.chatwoot.mapping import canned_body
from agentdesk.backends.chatwoot.wrapup import parse_disposition
from agentdesk.domain.label_wrapup import LabelEnd, labels_disposition
from agentdesk.ui.widgets.composer.canned_picker import fill_canned, unknown_variables


@pytest.mark.parametrize(("end", "labels", "until", "status", "snoozed"), [
    (LabelEnd.RESOLVE, ["billing", "vip"], None, "resolved", None),
    (LabelEnd.RESOLVE, [], None, "resolved", None),
    (LabelEnd.PENDING, ["refund"], None, "pending", None),
    (LabelEnd.SNOOZE, [], None, "snoozed", None),
    (LabelEnd.SNOOZE, ["vip", "vip"], 1767225600.7, "snoozed", 1767225600),
])
def test_the_desks_wrapup_string_is_what_the_adapter_parses(
        end: LabelEnd, labels: list[str], until: float | None, status: str,
        snoozed: int | None) -> None:
    plan = parse_disposition(labels_disposition(end, labels, until))
    assert plan.status == status
    assert plan.labels == tuple(dict.fromkeys(labels))
    assert plan.snoozed_until == snoozed


def test_chatwoot_variables_map_to_the_desks_placeholders_and_are_filled() -> None:
    body = canned_body("Hi {{ contact.first_name }} ({{contact.name}}), {{agent.name}} "
                       "/ {{agent.first_name}} here about {{conversation.id}}")
    assert body == ("Hi {customer_first} ({customer}), {agent} / {agent_first} here about "
                    "{{conversation.id}}")
    text = fill_canned(body, agent="Ada Lovelace", customer="Grace Hopper")
    assert text == "Hi Grace (Grace Hopper), Ada Lovelace / Ada here about {{conversation.id}}"
    assert unknown_variables(text) == ["{{conversation.id}}"]


def test_unknown_names_fill_empty_and_odd_braces_stay() -> None:
    assert fill_canned("{customer_first}!{agent}", agent=None, customer=None) == "!"
    assert fill_canned("{x} {{ {{agent}}", agent="Ada", customer="G") == "{x} {{ {Ada}"
    assert unknown_variables("{x} {{ }} {agent} {{a b}}") == []
