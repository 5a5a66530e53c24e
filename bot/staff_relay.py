"""The staff side on a chat platform: ticket cards in queue channels, their threads, notices.

Platform-neutral: each chat adapter implements the small `StaffSide` port and the relay does
the rest, so Slack and Discord (and any later platform) behave the same (G5)."""

from __future__ import annotations

import logging
from dataclasses import asdict, dataclass
from datetime import datetime
from typing import Protocol

from bot.cards import Card, to_card
from bot.core import Services
from bot.events import Event, MessagePosted, StaffNotice, TicketChanged
from bot.models import Address, Role
from bot.tickets.model import Ticket

log = logging.getLogger(__name__)
CARDS = "cards"
THREADS = "threads"
RELAYED = (Role.CUSTOMER,)  # staff wrote theirs in the thread; bot lines stay with the customer


@dataclass(frozen=True)
class CardPlace:
    """Where a ticket's card is: the queue channel, the card message, and its thread."""

    platform: str
    ticket: str
    channel: str
    message: str
    thread: str


class StaffSide(Protocol):
    """What the relay needs from a platform's staff side."""

    platform: str

    async def post_card(self, channel: str, card: Card) -> tuple[str, str]:
        """Post a card; (message id, thread id) of where staff talk about it."""

    async def update_card(self, place: CardPlace, card: Card) -> None:
        """Show the card's new state in place."""

    async def post_in_thread(self, place: CardPlace, author: str, text: str) -> None:
        """Relay a customer's (or requester's) words into the card's thread."""

    async def notify(self, account: str, text: str) -> None:
        """A private notice to one staff member."""

    async def post_to_channel(self, channel: str, text: str) -> None:
        """A notice in a queue channel."""


class StaffRelay:
    """Follows the event bus and keeps one platform's cards, threads and notices current."""

    def __init__(self, services: Services, side: StaffSide) -> None:
        self.services, self.side = services, side

    async def on_event(self, event: Event) -> None:
        if isinstance(event, TicketChanged):
            await self.show(event.ticket)
        elif isinstance(event, MessagePosted) and event.message.role in RELAYED:
            await self._relay(event)
        elif isinstance(event, StaffNotice):
            await self._notice(event)

    async def show(self, ticket: Ticket) -> None:
        """Post the card in the ticket's queue channel, or update it where it already is."""
        channel = self._queue_channel(ticket.department)
        place = await self.card_of(ticket.id)
        department = self.services.departments.get(ticket.department)
        who = await self.services.customer_of(ticket)
        card = to_card(ticket, department, self._now(), who)
        if place is not None and place.channel == channel:
            await self.side.update_card(place, card)
            return
        if place is not None:  # moved to another department: the old card says so
            await self.side.update_card(place, card)
        if channel and ticket.active:
            message, thread = await self.side.post_card(channel, card)
            place = CardPlace(self.side.platform, ticket.id, channel, message, thread)
            await self.services.store.put(CARDS, self._key(ticket.id), asdict(place))

    async def card_of(self, ticket_id: str) -> CardPlace | None:
        doc = await self.services.store.get(CARDS, self._key(ticket_id))
        return CardPlace(**doc) if doc else None

    async def ticket_in_thread(self, channel: str, thread: str) -> str:
        """The ticket whose card thread this is, or ""."""
        docs = await self.services.store.find(
            CARDS, platform=self.side.platform, channel=channel, thread=thread
        )
        return str(docs[0]["ticket"]) if docs else ""

    async def _relay(self, event: MessagePosted) -> None:
        ticket_id = event.conversation.ticket
        place = await self.card_of(ticket_id) if ticket_id else None
        if place is not None:
            await self.side.post_in_thread(place, event.message.author, event.message.text)

    async def _notice(self, notice: StaffNotice) -> None:
        account = notice.to.get(self.side.platform)
        if account:
            await self.side.notify(account, notice.text)
        channel = self._queue_channel(notice.queue) if notice.queue else ""
        if channel:
            await self.side.post_to_channel(channel, notice.text)

    def _queue_channel(self, department_id: str) -> str:
        department = self.services.departments.get(department_id)
        return department.queues.get(self.side.platform, "") if department else ""

    def _key(self, ticket_id: str) -> str:
        return f"{self.side.platform}:{ticket_id}"

    def _now(self) -> datetime:
        return self.services.clock.now()


class ThreadBook:
    """Threads the bot starts itself (e.g. an internal request's thread for its requester):
    the core names them by request id; the platform gives them its own id on first post."""

    def __init__(self, services: Services, platform: str) -> None:
        self.services, self.platform = services, platform

    async def platform_thread(self, address: Address) -> str:
        doc = await self.services.store.get(THREADS, address.key)
        return str(doc["thread"]) if doc else ""

    async def remember(self, address: Address, thread: str) -> None:
        doc = {"platform": self.platform, "channel": address.channel, "thread": thread}
        await self.services.store.put(THREADS, address.key, {**doc, "address": asdict(address)})

    async def address_of(self, channel: str, thread: str) -> Address | None:
        """The core's address for a platform thread the bot started, if it is one."""
        docs = await self.services.store.find(
            THREADS, platform=self.platform, channel=channel, thread=thread
        )
        return Address(**docs[0]["address"]) if docs else None
