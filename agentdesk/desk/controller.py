"""The desk controller: the agent desk's logic, without Textual.

It owns the backend's live stream (follow, reconnect, snapshot load and
retry), the session state (every change goes through `domain.session`), the
outbox and its sender, and the commands. The screen hands it typed commands
(`desk.commands`) and shows what it reports through a `DeskView`:

    backend.events() ──► controller.run() ──► session.apply ──► view.changed(Changes)
    screen ──► controller.execute(command) ──► outbox (written first) ──► sender ──► backend

A command whose capability the backend lacks is refused with a one-line
reason (`desk.gate`); so is one that does not fit the state (no offer to
accept, no call to hold). Pending and failed outgoing messages are session
state, rebuilt from the outbox when the desk loads or a view opens.
"""

from __future__ import annotations

import asyncio
import logging
import time
from collections.abc import Awaitable, Callable
from typing import TYPE_CHECKING, Any

from agentdesk.backends.base import (
    AgentDeskError,
    Backend,
    BackendAuthError,
    BackendCommandError,
    LinkState,
    LinkStatus,
    ProtocolProblem,
    new_client_id,
)
from agentdesk.desk import commands as C
from agentdesk.desk.gate import command_refusal
from agentdesk.desk.view import DeskView, Notice, NullView
from agentdesk.domain import session as S
from agentdesk.domain.backoff import Backoff
from agentdesk.domain.capabilities import Capabilities, TransferTarget
from agentdesk.domain.enums import InteractionState, Presence
from agentdesk.domain.events import SnapshotNeeded
from agentdesk.domain.outgoing import Delivery, Outgoing
from agentdesk.store.outbox import OutboxItem, OutboxKind, OutboxState

if TYPE_CHECKING:
    from agentdesk.domain.models import (
        AgentInfo,
        CannedResponse,
        Customer,
        CustomerDetail,
        Disposition,
        Interaction,
        KbArticle,
        Queue,
        TimelineItem,
        TimelinePage,
    )
    from agentdesk.store.drafts import Drafts
    from agentdesk.store.sender import CommandSender

log = logging.getLogger("agentdesk.desk")

WORKER_SLICE_S = 0.008  # the stream loop lets keys and paints in at least this often
SLOW_SERVER_S = 20.0  # the demo's first sign-in says "still trying" after this long
FIRST_SIGN_IN_POLL_S = 0.05
SNAPSHOT_RETRY = Backoff(base=0.5, cap=10.0)
TYPING_REFRESH_S = 5.0  # "the agent is typing" is repeated this often while it lasts
# Read marks go out at most once per interaction in this window: a chat on screen
# reads every message as it arrives, and an HTTP call per message cost the UI
# loop ~8 % of its time at 200 events/s (docs/benchmarks.md, "Under load").
READ_MARK_WINDOW_S = 0.25
READ_MARK_RETRY = Backoff(base=0.5, cap=10.0, jitter="equal")

OUTBOX_WHAT = {OutboxKind.ACCEPT: "Accept", OutboxKind.REJECT: "Reject", OutboxKind.CALL: "Call action",
               OutboxKind.TRANSFER: "Transfer", OutboxKind.WRAPUP: "Wrap-up",
               OutboxKind.PRESENCE: "Presence", OutboxKind.DIAL: "Call",
               OutboxKind.CALLBACK: "Callback", OutboxKind.DISCLOSURE: "Recording"}
DELIVERY = {OutboxState.QUEUED: Delivery.QUEUED, OutboxState.SENDING: Delivery.QUEUED,
            OutboxState.SENT: Delivery.SENT, OutboxState.FAILED: Delivery.FAILED}
SESSION_REFUSED = ("The server no longer accepts this session. Sign in again; "
                   "your drafts and queued messages are kept.")


class DeskController:
    """The agent desk's state and behaviour for one backend session."""

    def __init__(
        self,
        backend: Backend | Callable[[], Backend],
        sender: CommandSender,
        *,
        drafts: Drafts | None = None,
        server_clock: Callable[[], float] | None = None,
        snapshot_retry: Backoff = SNAPSHOT_RETRY,
    ) -> None:
        # A backend, or a factory for one: `agentdesk desk`/`demo` pass a factory so
        # the client stack (h11, websockets, pydantic) loads off the UI loop
        # (`prepare_backend`).
        if isinstance(backend, Backend):
            self._backend: Backend | None = backend
            self._factory: Callable[[], Backend] | None = None
        else:
            self._backend, self._factory = None, backend
        self.sender = sender
        self.drafts = drafts
        self.server_clock = server_clock  # tests and screenshots freeze the server's clock
        self.snapshot_retry = snapshot_retry
        self.view: DeskView = NullView()
        self.state = S.SessionState()
        self.link = LinkStatus(LinkState.CONNECTING)
        self.problems = 0  # frames the adapter dropped
        self.dropped = 0  # events the reducer ignored (stale, already seen)
        self.following = False  # run() is consuming the stream
        self._snapshot_due = True  # load snapshots on the next CONNECTED
        self._awaiting_reconnect = False  # signed in again: ignore stale auth failures
        self._tasks: set[asyncio.Task[Any]] = set()
        self._reissuing: str | None = None  # the refused message a retry replaces
        self._typing_sent: dict[str, float] = {}  # interaction -> when "typing" last went out
        self._build: asyncio.Future[Backend] | None = None  # prepare_backend() in progress
        self._reads_due: set[str] = set()  # read locally, not yet told to the server
        self._reads_timer: asyncio.TimerHandle | None = None
        self._reads_failures = 0
        # Customers as last loaded (profile, search): the calling rules are checked
        # against them before a dial or a callback is sent (the server checks again).
        self.customers: dict[str, Customer] = {}

    # -- the backend and its clock ------------------------------------------------------------

    @property
    def backend(self) -> Backend:
        """The backend, built on first use (the sender delivers through it from then on)."""
        if self._backend is None:
            assert self._factory is not None
            self._backend = self._factory()
            self.sender.backend = self._backend
        return self._backend

    async def prepare_backend(self) -> Backend:
        """Build the backend in a worker thread. The factory imports the client
        stack (h11, websockets, the pydantic models: 200-300 ms), which on the
        event loop held the first keys after the first frame (docs/benchmarks.md,
        "Start-up"). Whoever needs the backend before this finishes still gets
        it from `backend`, built on the loop."""
        if self._backend is not None:
            return self._backend
        if self._build is None:
            assert self._factory is not None
            self._build = asyncio.ensure_future(asyncio.to_thread(self._factory))
        built = await asyncio.shield(self._build)
        if self._backend is None:  # nobody built one on the loop meanwhile
            self._backend = built
            self.sender.backend = built
        return self._backend

    @property
    def capabilities(self) -> Capabilities:
        """What the backend can do; before it is built, the defaults (nothing is
        built for the first frame, and no key depends on them before there is work)."""
        return self._backend.capabilities if self._backend is not None else Capabilities()

    def now(self) -> float:
        """Server time as best known: a given server clock (tests), else the
        backend's estimate from the stream, else the offset learnt from events."""
        if self.server_clock is not None:
            return self.server_clock()
        if self._backend is not None:
            return self._backend.server_now()
        return self.state.server_now(time.time())

    def attach(self, view: DeskView) -> None:
        self.view = view

    # -- state changes (all through the reducer) ------------------------------------------------

    def _emit(self, changes: S.Changes) -> None:
        self.dropped += changes.dropped
        if changes:
            self.view.changed(changes)

    def _fold(self, result: tuple[S.SessionState, S.Changes]) -> S.Changes:
        self.state, changes = result
        self._emit(changes)
        return changes

    def note_items(self, interaction_id: str, items: list[TimelineItem]) -> None:
        """A timeline page arrived over HTTP: its items are not news when they come again."""
        self.state = S.note_items(self.state, interaction_id, items)

    # -- following the stream ------------------------------------------------------------------

    async def run(self, sign_in: tuple[str, str] | None = None) -> None:
        """Follow the backend's stream until it ends (close, or a takeover).

        Subscribes first and loads the snapshots on the first CONNECTED (and
        whenever the adapter asks): whatever happens in between is in the
        stream, so nothing is missed; what the snapshot already holds is
        absorbed by the reducer. A backlog is read without the loop ever
        waiting, so it yields every `WORKER_SLICE_S`: keys and paints are never
        starved behind the stream."""
        backend = await self.prepare_backend()
        if sign_in is not None and not backend.token and not await self._first_sign_in(*sign_in):
            return
        loop = asyncio.get_running_loop()
        self.following = True
        try:
            slice_start = loop.time()
            async for item in backend.events():
                if loop.time() - slice_start >= WORKER_SLICE_S:
                    await asyncio.sleep(0)
                    slice_start = loop.time()
                await self._take(item)
        finally:
            self.following = False

    async def _take(self, item: Any) -> None:
        if isinstance(item, LinkStatus):
            await self._link_changed(item)
        elif isinstance(item, SnapshotNeeded):
            await self.load_snapshot()
        elif isinstance(item, ProtocolProblem):
            self.problems += 1
        else:  # a domain event
            self._fold(S.apply(self.state, item, local_now=time.time()))

    async def _first_sign_in(self, username: str, password: str) -> bool:
        """The demo paints the desk before its server is up: sign in as soon as the
        server answers (connection errors mean "not up yet"); a refusal asks the agent."""
        self.view.link_changed(LinkStatus(LinkState.CONNECTING))
        self.view.notice(Notice("Starting the simulated contact center…", "info"))
        loop = asyncio.get_running_loop()
        slow_after = loop.time() + SLOW_SERVER_S
        while True:
            try:
                await self.backend.login(username, password)
                self.view.notice(None)
                return True
            except BackendAuthError as exc:
                self.view.sign_in_needed(exc.message)
                return False
            except AgentDeskError as exc:
                if loop.time() > slow_after:  # say so rather than look frozen
                    self.view.notice(Notice(f"The server is not answering yet ({exc.message}); "
                                            "still trying.", "error"))
                await asyncio.sleep(FIRST_SIGN_IN_POLL_S)

    async def _link_changed(self, link: LinkStatus) -> None:
        self.link = link
        self.view.link_changed(link)
        if link.state is LinkState.CONNECTED:
            self._awaiting_reconnect = False
            self.sender.resume()  # queued commands go out now
            if self._reads_due:
                self._schedule_reads(0.0)
            if self._snapshot_due or not self.state.loaded:
                await self.load_snapshot()
        elif self.backend.link_auth_failed and not self._awaiting_reconnect:
            # The stream keeps retrying with a refused token: ask once (the dialog
            # stays open across retries; after a sign-in the stream reconnects).
            self.view.sign_in_needed(SESSION_REFUSED)

    async def load_snapshot(self) -> bool:
        """Load every snapshot, retrying with backoff until it works; False if the
        session was refused (the agent is asked to sign in; loaded after that)."""
        backend = self.backend
        attempt = 0
        while True:
            try:
                (user, agent), interactions, queues, stats = await asyncio.gather(
                    backend.me(), backend.list_interactions(), backend.list_queues(),
                    self._stats_or_none())
                break
            except BackendAuthError as exc:
                self._snapshot_due = True  # load it once signed in again
                self.view.sign_in_needed(exc.message)
                return False
            except AgentDeskError as exc:
                attempt += 1
                self.view.notice(Notice(f"Cannot load the desk: {exc.message}. Retrying…", "error"))
                await asyncio.sleep(self.snapshot_retry.delay(attempt))
        self._snapshot_due = False
        self.view.notice(None)
        self.state, changes = S.load_snapshot(
            self.state, me=user, agent=agent, interactions=interactions, queues=queues, stats=stats,
        )
        for iid in self.state.interactions:
            changes |= self._rebuild_outgoing(iid)
        self._emit(changes)
        if self.capabilities.callbacks:
            self._spawn(self.refresh_callbacks())
        return True

    async def refresh_callbacks(self) -> None:
        """Reload the callbacks (snapshot, resync); the callback.* events keep them
        current in between. Best effort: the list waits for the next load."""
        if not self.capabilities.callbacks:
            return
        try:
            callbacks = await self.backend.list_callbacks()
        except AgentDeskError:
            return
        self._fold(S.set_callbacks(self.state, callbacks))

    async def _stats_or_none(self) -> Any:
        return await self.backend.get_stats() if self.capabilities.stats else None

    async def refresh_stats(self) -> None:
        """Reload the queue stats (the stream sends them at most once a second)."""
        if not self.capabilities.stats:
            return
        try:
            stats = await self.backend.get_stats()
        except AgentDeskError:
            return
        self._fold(S.set_stats(self.state, stats))

    async def relogin(self, username: str, password: str) -> bool:
        """Sign in again after the server refused the session. True when signed in;
        the caller restarts `run()` if it had ended (`following` is False)."""
        # While the sign-in is on its way the stream still reports the old token's
        # refusals: they must not ask again (a second dialog over the first's answer).
        self._awaiting_reconnect = True
        try:
            await self.backend.login(username, password)
        except AgentDeskError as exc:
            self._awaiting_reconnect = False
            self.view.sign_in_needed(f"Sign-in failed: {exc.message}")
            return False
        # The running stream reconnects with the new token by itself (login kicks
        # it); reload the snapshots once it is back, and send what was queued.
        self._awaiting_reconnect = self.link.state is not LinkState.CONNECTED
        self._snapshot_due = True
        self.sender.resume()
        if self.following and self.link.state is LinkState.CONNECTED:
            await self.load_snapshot()  # e.g. only a command was refused
        return True

    # -- commands ------------------------------------------------------------------------------

    def execute(self, command: C.DeskCommand) -> C.Outcome:
        """Carry out one command of the agent, or say in one line why not."""
        refusal = command_refusal(self.capabilities, command)
        if refusal is not None:
            return C.Refused(refusal)
        handler = _HANDLERS[type(command)]
        return handler(self, command)

    def _submit(self, kind: OutboxKind, iid: str | None, payload: dict[str, Any],
                client_id: str | None = None) -> C.Queued:
        """Every command goes through the durable outbox, written before it is sent;
        the sender delivers it with its client_id and reports back (`outbox_changed`)."""
        item = self.sender.submit(kind, iid, payload, client_id=client_id)
        return C.Queued(item.client_id)

    def _interaction(self, iid: str) -> Interaction | None:
        return self.state.interactions.get(iid)

    def _accept(self, cmd: C.Accept) -> C.Outcome:
        inter = self._interaction(cmd.interaction_id)
        if inter is None or inter.state is not InteractionState.OFFERED:
            return C.Refused("No offer to accept")
        return self._submit(OutboxKind.ACCEPT, inter.id, {})

    def _reject(self, cmd: C.Reject) -> C.Outcome:
        inter = self._interaction(cmd.interaction_id)
        if inter is None or inter.state is not InteractionState.OFFERED:
            return C.Refused("No offer to reject")
        reason = cmd.reason if self.capabilities.reject_reasons else None
        return self._submit(OutboxKind.REJECT, inter.id, {"reason": reason} if reason else {})

    def _send(self, cmd: C.SendMessage) -> C.Outcome:
        inter = self._interaction(cmd.interaction_id)
        if inter is None:
            return C.Refused("This conversation is no longer open", "Not sent")
        client_id = new_client_id()
        author = self.state.me.name if self.state.me else "me"
        # Shown as pending first, then written: the sender may report on it at once.
        self._fold(S.put_outgoing(self.state, Outgoing(
            client_id, inter.id, cmd.body, cmd.kind, author, self.now())))
        payload = {"body": cmd.body, "kind": cmd.kind, "subject": cmd.subject,
                   "cc": list(cmd.cc) or None}
        queued = self._submit(OutboxKind.MESSAGE, inter.id, payload, client_id)
        if self.drafts is not None:
            self.drafts.delete(inter.id)
        if inter.id in self._typing_sent:
            self._typing(C.SetTyping(inter.id, False))
        return queued

    def _call(self, cmd: C.CallControl) -> C.Outcome:
        inter = self._interaction(cmd.interaction_id)
        if inter is None or inter.call is None:
            return C.Refused("No call in this tab")
        payload: dict[str, Any] = {"action": cmd.action.value}
        if cmd.digits:
            payload["digits"] = cmd.digits
        return self._submit(OutboxKind.CALL, inter.id, payload)

    def _transfer(self, cmd: C.Transfer) -> C.Outcome:
        inter = self._interaction(cmd.interaction_id)
        if inter is None or inter.state is not InteractionState.ACTIVE:
            return C.Refused("Transfer needs an active interaction")
        payload: dict[str, Any] = {"queue_id": cmd.queue_id, "agent_id": cmd.agent_id,
                                   "mode": cmd.mode.value}
        if cmd.team_id:
            payload["team_id"] = cmd.team_id
        return self._submit(OutboxKind.TRANSFER, inter.id, payload)

    def _wrapup(self, cmd: C.Wrapup) -> C.Outcome:
        inter = self._interaction(cmd.interaction_id)
        if inter is None or inter.state is InteractionState.OFFERED:
            return C.Refused("Nothing to wrap up here")
        return self._submit(OutboxKind.WRAPUP, inter.id,
                            {"disposition": cmd.disposition, "notes": cmd.notes})

    def rule_refusal(self, customer_id: str, at: float) -> str | None:
        """Why a calling rule forbids calling this customer at `at` (server time),
        from what the desk last loaded of them; None when allowed or not known."""
        from agentdesk.domain.compliance import check_customer

        customer = self.customers.get(customer_id)
        refusal = check_customer(customer, at) if customer is not None else None
        return refusal.message if refusal is not None else None

    def time_refusal(self, customer_id: str, at: float) -> str | None:
        """Short words for a callback time the rules forbid ("22:30 local · outside
        08:00-21:00"), for the callback picker; None when allowed."""
        from agentdesk.domain.compliance import local_clock

        customer = self.customers.get(customer_id)
        if customer is None or self.rule_refusal(customer_id, at) is None:
            return None
        if customer.dnc:
            return "do not call"
        clock = local_clock(customer, at)
        return f"{clock.time} local · outside {clock.window}"

    def _dial(self, cmd: C.Dial) -> C.Outcome:
        refusal = self.rule_refusal(cmd.customer_id, self.now())
        if refusal is not None:  # said here, and nothing is sent
            return C.Refused(refusal, "Not called")
        return self._submit(OutboxKind.DIAL, None, {"customer_id": cmd.customer_id})

    def _schedule_callback(self, cmd: C.ScheduleCallback) -> C.Outcome:
        if cmd.at <= self.state.server_now(self.now()):
            return C.Refused("The callback time has passed: pick a later one", "Not scheduled")
        refusal = self.rule_refusal(cmd.customer_id, cmd.at)  # the rules at the callback's time
        if refusal is not None:
            return C.Refused(refusal, "Not scheduled")
        return self._submit(OutboxKind.CALLBACK, None, {
            "customer_id": cmd.customer_id, "at": cmd.at, "note": cmd.note,
            "queue_id": cmd.queue_id})

    def _disclosure(self, cmd: C.Disclosure) -> C.Outcome:
        inter = self._interaction(cmd.interaction_id)
        if inter is None or inter.call is None or inter.state is not InteractionState.ACTIVE:
            return C.Refused("No call in hand in this tab")
        return self._submit(OutboxKind.DISCLOSURE, inter.id, {"action": cmd.action})

    def _presence(self, cmd: C.SetPresence) -> C.Outcome:
        current = self.state.agent.presence if self.state.agent else Presence.OFFLINE
        target = cmd.presence or current
        if cmd.presence is Presence.AVAILABLE:
            self._fold(S.rearmed(self.state))
        return self._submit(OutboxKind.PRESENCE, None, {
            "presence": target.value, "next": cmd.next.value if cmd.next else None})

    def _mark_read(self, cmd: C.MarkRead) -> C.Outcome:
        changes = self._fold(S.marked_read(self.state, cmd.interaction_id))
        if changes and self.capabilities.read_marks:
            self._reads_due.add(cmd.interaction_id)
            self._schedule_reads(READ_MARK_WINDOW_S)
        return C.Done()

    def _schedule_reads(self, delay: float) -> None:
        """Read marks are shown at once (the reducer) and told to the server once
        per window, one request per interaction, however many messages were read."""
        if self._reads_timer is None:
            loop = asyncio.get_running_loop()
            self._reads_timer = loop.call_later(delay, lambda: self._spawn(self.send_read_marks()))

    async def send_read_marks(self) -> None:
        """Tell the server what was read since the last call. A mark that could
        not be delivered (no connection) is kept and tried again with a backoff;
        one the server refuses (the interaction is gone) is dropped."""
        self._reads_timer = None
        due, self._reads_due = self._reads_due, set()
        for iid in sorted(due):
            try:
                await self.backend.mark_read(iid)
            except BackendAuthError as exc:
                # kept until the link is up again (signed in): no retry loop meanwhile
                self._reads_due.update(i for i in due if i >= iid)
                self.view.sign_in_needed(exc.message)
                return
            except BackendCommandError:
                pass  # refused (closed, not ours): nothing left to mark
            except AgentDeskError:
                self._reads_due.add(iid)
        if self._reads_due:
            self._reads_failures += 1
            self._schedule_reads(READ_MARK_RETRY.delay(self._reads_failures))
        else:
            self._reads_failures = 0

    def _typing(self, cmd: C.SetTyping) -> C.Outcome:
        """Tell the customer the agent types: on a change, and again every
        TYPING_REFRESH_S while it lasts (not once per keystroke)."""
        if not self.capabilities.typing_out:
            return C.Done()
        iid, now = cmd.interaction_id, time.monotonic()
        last = self._typing_sent.get(iid)
        if cmd.typing and (last is None or now - last >= TYPING_REFRESH_S):
            self._typing_sent[iid] = now
        elif not cmd.typing and last is not None:
            del self._typing_sent[iid]
        else:
            return C.Done()
        self._spawn(self._quietly(self.backend.set_typing(iid, cmd.typing)))
        return C.Done()

    def _retry(self, cmd: C.RetrySend) -> C.Outcome:
        """Send a refused message again. The server replays its stored answer for a
        client_id (refusals included), so it goes out under a new key; the pending
        row takes the new key, so the echo replaces it (nothing shows twice)."""
        # The sender reports the reissued item at once (`outbox_changed`): it must
        # take the refused row's place there, never show beside it.
        self._reissuing = cmd.client_id
        try:
            item = self.sender.retry(cmd.client_id, reissue=True)
        except LookupError as exc:  # gone from the outbox, or not failed (any more)
            return C.Refused(str(exc), "Cannot retry")
        finally:
            self._reissuing = None
        return C.Queued(item.client_id)

    def _discard(self, cmd: C.DiscardSend) -> C.Outcome:
        item = self.sender.outbox.get(cmd.client_id)
        self.sender.discard(cmd.client_id)
        if item is not None and item.interaction_id:
            self._fold(S.drop_outgoing(self.state, item.interaction_id, cmd.client_id))
        return C.Done()

    # -- the outbox's side --------------------------------------------------------------------

    def outbox_changed(self, item: OutboxItem) -> None:
        """The sender's report on one command (called on every state change)."""
        if (item.state is OutboxState.QUEUED and item.error.startswith("signed out")
                and self.sender.paused_reason):
            self.view.sign_in_needed(SESSION_REFUSED)
        if item.kind is OutboxKind.MESSAGE:
            iid = item.interaction_id or ""
            known = any(o.client_id == item.client_id for o in self.state.outgoing.get(iid, ()))
            if item.state is OutboxState.SENT and not known:
                return  # its echo is already in the timeline
            row = self._outgoing_row(item, replaces=None if known else self._reissuing)
            if row is not None:
                self._fold(S.put_outgoing(self.state, row))
            return
        if item.state is OutboxState.FAILED:
            self.view.command_failed(OUTBOX_WHAT.get(item.kind, item.kind.value), item.error or "refused")
            self.sender.discard(item.client_id)

    def rebuild_outgoing(self, interaction_id: str) -> None:
        """Pending and refused messages of one interaction, from the outbox (a view opens)."""
        self._emit(self._rebuild_outgoing(interaction_id))

    def _rebuild_outgoing(self, interaction_id: str) -> S.Changes:
        kept = {o.client_id: o for o in self.state.outgoing.get(interaction_id, ())}
        rows = []
        for item in self.sender.pending(interaction_id):
            if item.kind is not OutboxKind.MESSAGE:
                continue
            row = self._outgoing_row(item)
            if row is not None:
                old = kept.get(item.client_id)
                rows.append(row if old is None else Outgoing(
                    row.client_id, row.interaction_id, row.body, row.kind, old.author, old.at,
                    row.delivery, row.error, old.replaces))
        self.state, changes = S.set_outgoing(self.state, interaction_id, rows)
        return changes

    def _outgoing_row(self, item: OutboxItem, replaces: str | None = None) -> Outgoing | None:
        payload = item.payload
        if item.kind is not OutboxKind.MESSAGE or not item.interaction_id:
            return None
        old = next((o for o in self.state.outgoing.get(item.interaction_id, ())
                    if o.client_id in (item.client_id, replaces)), None)
        author = old.author if old else (self.state.me.name if self.state.me else "me")
        # The outbox keeps local times; shown on the server's clock like everything else.
        at = old.at if old else item.created_at + (self.now() - time.time())
        delivery = DELIVERY[item.state]
        return Outgoing(item.client_id, item.interaction_id, str(payload.get("body", "")),
                        str(payload.get("kind", "reply")), author, at, delivery,
                        item.error or None if delivery is Delivery.FAILED else None,
                        replaces or (old.replaces if old else None))

    # -- reads that feed dialogs and views (errors are the caller's to show) ------------------

    async def timeline_page(self, customer_id: str, before: str | None = None,
                            limit: int = 100) -> TimelinePage:
        return await self.backend.get_timeline(customer_id, before=before, limit=limit)

    async def customer(self, customer_id: str) -> CustomerDetail:
        detail = await self.backend.get_customer(customer_id)
        self.customers[detail.customer.id] = detail.customer
        return detail

    async def fresh_customer(self, customer_id: str) -> Customer | None:
        """The customer as the server has them now (a dial checks the rules on
        fresh data); what was loaded last if the server cannot say; None if never."""
        try:
            return (await self.customer(customer_id)).customer
        except AgentDeskError:
            return self.customers.get(customer_id)

    async def dial(self, customer_id: str, name: str = "") -> C.Outcome:
        """Call a customer now: the rules are checked on fresh data first, so a
        refusal is said before anything rings (the server checks again)."""
        customer = await self.fresh_customer(customer_id)
        return self.execute(C.Dial(customer_id, customer.name if customer else name))

    async def search_customers(self, query: str) -> list[Customer]:
        if not self.capabilities.customer_search:
            return []
        found = await self.backend.search_customers(query)
        self.customers.update((c.id, c) for c in found)
        return found

    async def transfer_targets(self) -> tuple[list[Queue], list[AgentInfo]]:
        """The groups (queues, or teams where `transfer_to` has TEAM: the backend's
        `list_queues` lists them) and the other agents, each only when the
        capabilities allow it as a target (an empty agent list where the backend
        keeps them from agents)."""
        targets = self.capabilities.transfer_to
        groups = bool(targets & {TransferTarget.QUEUE, TransferTarget.TEAM})
        queues = await self.backend.list_queues() if groups else []
        if TransferTarget.AGENT not in targets:
            return queues, []
        try:
            agents = [a for a in await self.backend.list_agents()
                      if self.state.me is None or a.id != self.state.me.id]
        except AgentDeskError:
            agents = []
        return queues, agents

    async def wrapup_draft(self, interaction_id: str) -> str:
        """The drafted wrap-up note of a contact ("" when there is nothing to draft)."""
        from agentdesk.desk.wrapup_draft import draft_note

        inter = self.state.interactions.get(interaction_id)
        return await draft_note(self.backend, inter) if inter is not None else ""

    async def wrapup_options(self) -> list[Disposition]:
        return await self.backend.list_dispositions()

    async def canned_responses(self) -> list[CannedResponse]:
        return await self.backend.list_canned_responses() if self.capabilities.canned else []

    async def kb_articles(self) -> list[KbArticle]:
        return await self.backend.list_kb_articles() if self.capabilities.kb_from_server else []

    # -- plumbing --------------------------------------------------------------------------------

    def _spawn(self, coro: Awaitable[Any]) -> None:
        task = asyncio.ensure_future(coro)
        self._tasks.add(task)
        task.add_done_callback(self._tasks.discard)

    async def _quietly(self, call: Awaitable[Any]) -> None:
        """Best-effort calls (read marks, typing): a refusal is not worth a toast."""
        try:
            await call
        except BackendAuthError as exc:
            self.view.sign_in_needed(exc.message)
        except AgentDeskError:
            pass

    def open_work_lines(self) -> list[str]:
        return [f"{i.channel.value} · {i.customer_name} · {i.state.value}"
                for i in (self.state.interactions[iid] for iid in S.arrival_order(self.state))]


_HANDLERS: dict[type, Callable[[DeskController, Any], C.Outcome]] = {
    C.Accept: DeskController._accept,
    C.Reject: DeskController._reject,
    C.SendMessage: DeskController._send,
    C.CallControl: DeskController._call,
    C.Transfer: DeskController._transfer,
    C.Wrapup: DeskController._wrapup,
    C.SetPresence: DeskController._presence,
    C.MarkRead: DeskController._mark_read,
    C.SetTyping: DeskController._typing,
    C.RetrySend: DeskController._retry,
    C.DiscardSend: DeskController._discard,
    C.Dial: DeskController._dial,
    C.ScheduleCallback: DeskController._schedule_callback,
    C.Disclosure: DeskController._disclosure,
}
