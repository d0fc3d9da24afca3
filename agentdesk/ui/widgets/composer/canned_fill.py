"""A chosen canned response as the text to insert, and what the agent must
check in it before sending (names not known, variables agentdesk cannot fill);
the names come from the desk screen's state when it knows them."""

from __future__ import annotations

from agentdesk.domain.models import CannedResponse
from agentdesk.ui.widgets.composer.canned_picker import (
    AGENT_PLACEHOLDER,
    CUSTOMER_PLACEHOLDER,
    fill_canned,
    unknown_variables,
)


def filled_canned(response: CannedResponse, *, agent: str | None,
                  customer: str | None) -> tuple[str, list[str]]:
    """The response with `{agent}` and the customer's name filled in, and one
    warning sentence per thing left for the agent to check."""
    warnings: list[str] = []
    if agent is None and AGENT_PLACEHOLDER in response.body:
        warnings.append("Your name is not known yet: check the text before sending.")
    if customer is None and CUSTOMER_PLACEHOLDER in response.body:
        warnings.append("The customer's name is not known: check the text before sending.")
    text = fill_canned(response.body, agent=agent, customer=customer)
    unknown = unknown_variables(text)
    if unknown:
        warnings.append(f"Fill in {', '.join(unknown)} before sending: agentdesk cannot.")
    return text, warnings


def customer_name_in(state: object, interaction_id: str | None) -> str | None:
    """The customer's name of `interaction_id` in the desk state, if known."""
    inter = getattr(state, "interactions", {}).get(interaction_id or "")
    return getattr(inter, "customer_name", None) or None


def agent_name_in(state: object) -> str | None:
    """The signed-in agent's display name in the desk state, if known."""
    for who in (getattr(state, "me", None), getattr(state, "agent", None)):
        name = getattr(who, "name", None)
        if isinstance(name, str) and name.strip():
            return name.strip()
    return None
