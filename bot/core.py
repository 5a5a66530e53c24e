"""The platform-neutral core: Services, the Context a handler gets, and Bot.dispatch."""

from __future__ import annotations

import logging
from collections.abc import Awaitable, Callable, Sequence
from dataclasses import dataclass, field, replace
from typing import Any

from bot.config import Settings
from bot.conversation import Conversation
from bot.conversations import Conversations
from bot.departments import Department
from bot.events import EventBus
from bot.floods import GO, QUIET, ChatFloods, slow_down
from bot.hours import BusinessHours, parse_hours
from bot.i18n import Catalog
from bot.models import Incoming, Kind, Person, Reply, Role
from bot.ports import Chat, Clock, KnowledgeBase, Store
from bot.scheduler import Scheduler
from bot.staff import StaffDirectory, StaffMember
from bot.staff_names import StaffNames
from bot.text import clean_name, clean_text
from bot.tickets.desk import TicketDesk
from bot.tickets.model import Ticket
from bot.transcript import Transcript
from bot.unit_of_work import WorkingStore

log = logging.getLogger(__name__)


@dataclass
class Services:
    """Everything long-lived a handler may use; built once at start-up."""

    settings: Settings
    store: Store
    clock: Clock
    catalog: Catalog
    bus: EventBus
    transcript: Transcript
    conversations: Conversations
    staff: StaffDirectory
    kb: KnowledgeBase
    desk: TicketDesk
    scheduler: Scheduler
    departments: dict[str, Department] = field(default_factory=dict)
    hours: dict[str, BusinessHours] = field(default_factory=dict)
    chats: dict[str, Chat] = field(default_factory=dict)

    @classmethod
    def build(
        cls, settings: Settings, store: Store, clock: Clock, catalog: Catalog, kb: KnowledgeBase
    ) -> Services:
        bus = EventBus()
        store = WorkingStore(store)  # a conversation's turn is one unit of work
        transcript = Transcript(store, clock, bus)
        conversations = Conversations(store, clock, transcript, settings.default_language)
        staff = StaffDirectory(store)
        desk = TicketDesk(store, clock, bus=bus)
        scheduler = Scheduler(store, clock)
        parts = (bus, transcript, conversations, staff, kb, desk, scheduler)
        return cls(settings, store, clock, catalog, *parts)

    async def staff_member(self, person: Person) -> StaffMember | None:
        """Staff by login (web) or by a department's staff list (user id, role or group)."""
        member = await self.staff.by_person(person)
        if member is None and any(d.has_staff(person) for d in self.departments.values()):
            member = StaffMember(person.id, person.name or person.id, {person.platform: person.id})
        return member

    @property
    def staff_names(self) -> StaffNames:
        """Names and authors as staff read them, in the staff's (the default) language."""
        return StaffNames(self.catalog, self.settings.default_language)

    async def customer_of(self, ticket: Ticket) -> str:
        """Who a ticket is for, as staff see them: the customer by the best name known in
        their conversation; a request's requester (a staff member) by their name or id."""
        if ticket.is_request:
            return ticket.customer.name or ticket.customer.id
        conv = await self.conversations.get(ticket.conversation) if ticket.conversation else None
        return self.staff_names.customer(conv, ticket.customer)

    def with_departments(self, departments: dict[str, Department]) -> None:
        """Use these departments, their business hours, and working time for wait estimates."""
        self.departments = departments
        self.hours = {d.id: parse_hours(d.hours) for d in departments.values() if d.hours}
        self.desk.gaps = {d: hours.business_seconds for d, hours in self.hours.items()}


@dataclass
class Context:
    """What a handler gets: the event, its conversation (for customers) and the services."""

    incoming: Incoming
    services: Services
    conversation: Conversation | None = None
    staff_member: StaffMember | None = None
    memo: dict[str, Any] = field(default_factory=dict)  # computed once per event, e.g. signals

    @property
    def language(self) -> str:
        conv = self.conversation
        return conv.language if conv else self.services.settings.default_language

    def t(self, key: str, **values: Any) -> str:
        """A phrase in the conversation's language, with the company name filled in."""
        values.setdefault("company", self.services.settings.company)
        return self.services.catalog.text(self.language, key, **values)

    def conv(self) -> Conversation:
        """The conversation, for handlers whose route guarantees there is one."""
        if self.conversation is None:
            raise RuntimeError("this handler needs a conversation")
        return self.conversation


Handler = Callable[[Context], Awaitable[list[Reply]]]


@dataclass(frozen=True)
class Route:
    """One line of the route table: the first route whose `when` holds handles the event."""

    name: str
    when: Callable[[Context], bool]
    handler: Handler


class Bot:
    """Turns incoming events into replies, recording every message on the way."""

    def __init__(self, services: Services, routes: Sequence[Route]) -> None:
        self.services, self.routes = services, tuple(routes)
        self.floods = ChatFloods(services.settings.limit_chat_user, services.store.token_buckets())

    async def dispatch(self, incoming: Incoming) -> list[Reply]:
        incoming = _cleaned(incoming)
        if problem := self._unacceptable(incoming):
            return [problem]
        if (refused := await self._flooding(incoming)) is not None:
            return refused
        if incoming.kind is Kind.COMMAND:
            member = await self.services.staff_member(incoming.sender)
            return await self._route(Context(incoming, self.services, staff_member=member))
        customer = incoming.sender
        async with self.services.conversations.begin(incoming.address, customer) as conv:
            if incoming.kind is Kind.MESSAGE or incoming.text:
                await self.services.transcript.record(
                    conv, Role.CUSTOMER, conv.name or customer.name, Reply(incoming.text)
                )
            replies = await self._route(Context(incoming, self.services, conv))
            recorded = []
            author = self.services.catalog.text(conv.language, "bot_author")
            for reply in replies:
                posted = await self.services.transcript.record(conv, Role.BOT, author, reply)
                recorded.append(replace(reply, seq=posted.seq))
        return recorded

    async def _flooding(self, incoming: Incoming) -> list[Reply] | None:
        """A chat user over their message limit: the polite refusal, or None to go on."""
        verdict = await self.floods.verdict(incoming)
        if verdict == GO:
            return None
        if verdict == QUIET:
            return []
        conv = await self.services.conversations.get(incoming.address.key)
        language = conv.language if conv else self.services.settings.default_language
        return [slow_down(self.services.catalog, language)]

    def _unacceptable(self, incoming: Incoming) -> Reply | None:
        """A polite refusal for text we will not process; nothing is recorded for it."""
        limit = self.services.settings.max_message_chars
        catalog, language = self.services.catalog, self.services.settings.default_language
        if len(incoming.text) > limit:
            length = f"{len(incoming.text):,}"
            return Reply(catalog.text(language, "too_long", length=length, limit=f"{limit:,}"))
        if incoming.kind is Kind.MESSAGE and not incoming.text:
            return Reply(catalog.text(language, "empty_message"))
        return None

    async def _route(self, ctx: Context) -> list[Reply]:
        for route in self.routes:
            if route.when(ctx):
                log.debug("%s -> %s", ctx.incoming.kind, route.name)
                return await route.handler(ctx)
        log.warning("no route for %s %r", ctx.incoming.kind, ctx.incoming.command)
        return []


def _cleaned(incoming: Incoming) -> Incoming:
    """What a person typed, and the name their platform gives, without control characters,
    broken surrogates or direction overrides, before anything is stored or shown."""
    sender = replace(incoming.sender, name=clean_name(incoming.sender.name))
    return replace(
        incoming,
        sender=sender,
        text=clean_text(incoming.text),
        value=clean_text(incoming.value),
    )
