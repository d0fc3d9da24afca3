"""Command palette providers, one per domain: interactions (go to, accept,
reject, wrap-up), customer, presence and KB. Textual's own provider supplies
themes and system commands. Titles that include customer names are built as
`Content` so the names are never parsed as markup."""

from __future__ import annotations

from collections.abc import Callable
from functools import partial
from typing import TYPE_CHECKING, Any

from textual.command import DiscoveryHit, Hit, Hits, Provider
from textual.content import Content

from agentdesk.domain.enums import Channel, InteractionState, Presence
from agentdesk.ui.glyphs import CHANNEL_GLYPH, PRESENCE_LABEL
from agentdesk.ui.screens.desk_support import bound_key

if TYPE_CHECKING:
    from agentdesk.ui.screens.desk_screen import DeskScreen

Command = tuple[str, Content, Callable[[], Any], str]  # (search text, display, callback, help)


class _DeskProvider(Provider):
    """Base: commands come from the desk screen's current state."""

    def desk(self) -> DeskScreen | None:
        return getattr(self.app, "desk", None)

    def commands(self, desk: DeskScreen) -> list[Command]:
        raise NotImplementedError

    def _all(self) -> list[Command]:
        desk = self.desk()
        return self.commands(desk) if desk is not None else []

    async def discover(self) -> Hits:
        for _text, display, callback, help_text in self._all():
            yield DiscoveryHit(display, callback, help=help_text)

    async def search(self, query: str) -> Hits:
        matcher = self.matcher(query)
        for text, display, callback, help_text in self._all():
            score = matcher.match(text)
            if score > 0:
                yield Hit(score, display, callback, text=text, help=help_text)


def _label(verb: str, name: str, glyph: str = "") -> tuple[str, Content]:
    text = f"{verb} {glyph} {name}".replace("  ", " ")
    return text, Content(f"{verb} ") + Content(f"{glyph} " if glyph else "") + Content(name)


class InteractionCommands(_DeskProvider):
    def commands(self, desk: DeskScreen) -> list[Command]:
        out: list[Command] = []
        for iid in desk.tab_order():
            inter = desk.state.interactions[iid]
            glyph = CHANNEL_GLYPH[inter.channel]
            text, display = _label("interaction: go to", inter.customer_name, glyph)
            out.append((text, display, partial(desk.activate, iid), "switch to this tab"))
            if inter.state is InteractionState.OFFERED:
                text, display = _label("interaction: accept", inter.customer_name, glyph)
                out.append((text, display, partial(desk.accept, iid), "accept the offer"))
                text, display = _label("interaction: reject", inter.customer_name, glyph)
                out.append((text, display, partial(desk.reject, iid), "reject the offer"))
            if inter.state is InteractionState.ACTIVE and inter.channel is not Channel.VOICE:
                text, display = _label("interaction: send the reply and wrap up", inter.customer_name,
                                       glyph)
                out.append((text, display, partial(desk.send_and_close, iid),
                            f"{bound_key('composer-send-close', desk.app)}: send, then the wrap-up dialog"))
            if inter.state in (InteractionState.ACTIVE, InteractionState.WRAPUP):
                text, display = _label("interaction: wrap up", inter.customer_name, glyph)
                out.append((text, display, partial(desk.open_wrapup, iid), "disposition and notes"))
        return out


class CustomerCommands(_DeskProvider):
    def commands(self, desk: DeskScreen) -> list[Command]:
        inter = desk.active_interaction()
        if inter is None:
            return []
        text, display = _label("customer: show profile of", inter.customer_name)
        cmds: list[Command] = [(text, display, desk.action_toggle_side, "customer panel")]
        text, display = _label("customer: reload timeline of", inter.customer_name)
        cmds.append((text, display, partial(desk.reload_timeline, inter.id), "reload the unified timeline"))
        return cmds


class PresenceCommands(_DeskProvider):
    def commands(self, desk: DeskScreen) -> list[Command]:
        out: list[Command] = []
        caps = desk.controller.capabilities  # only what this backend has
        for p in Presence:
            if p not in caps.presence_states:
                continue
            label = caps.presence_names.get(p) or PRESENCE_LABEL[p]  # Chatwoot: "Busy"
            out.append((f"presence: {label}", Content(f"presence: {label}"),
                        partial(desk.set_presence, p, None), f"set presence to {label} now"))
            if p is not Presence.AVAILABLE and caps.presence_next:
                out.append((f"presence: after current work {label}",
                            Content(f"presence: after current work: {label}"),
                            partial(desk.set_presence, None, p), "when open work is done"))
        return out


class KbCommands(_DeskProvider):
    def commands(self, desk: DeskScreen) -> list[Command]:
        return [
            ("kb: search the knowledge base", Content("kb: search the knowledge base"),
             desk.action_kb_search, "ctrl+k"),
            ("kb: insert the top suggestion", Content("kb: insert the top suggestion"),
             desk.action_insert_suggestion, "alt+s"),
        ]

    async def search(self, query: str) -> Hits:
        async for hit in super().search(query):
            yield hit
        desk = self.desk()
        if desk is None or len(query) < 3:
            return
        for article_id, title in desk.kb_titles(query)[:5]:
            display = Content("kb: insert ") + Content(title)
            yield Hit(0.5, display, partial(desk.insert_article, article_id), text=f"kb: {title}",
                      help="insert this article's answer")


__all__ = ["InteractionCommands", "CustomerCommands", "PresenceCommands", "KbCommands"]
