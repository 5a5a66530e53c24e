"""Pushes transcript events to the web chat's WebSockets: customers and staff pages."""

from __future__ import annotations

import asyncio
import logging
from collections import defaultdict
from collections.abc import Callable, Iterable
from dataclasses import asdict
from typing import Any

from aiohttp import web

from bot.conversation import Conversation
from bot.events import ConversationChanged, Event, MessagePosted, StaffNotice, TicketChanged
from bot.models import Posted
from bot.staff_names import StaffNames
from bot.tickets.model import Ticket

log = logging.getLogger(__name__)
SEND_TIMEOUT_S = 2.0


class Hub:
    """Keeps the open sockets; a slow or dead socket is dropped, never waited on for long."""

    def __init__(self, names: StaffNames) -> None:
        self.names = names  # how staff pages name customers
        self.customers: dict[str, set[web.WebSocketResponse]] = defaultdict(set)
        self.staff: set[web.WebSocketResponse] = set()
        self.staff_ids: dict[web.WebSocketResponse, str] = {}  # who each staff socket belongs to
        self.queue_staff: Callable[[str], Iterable[str]] = lambda department: ()

    async def on_event(self, event: Event) -> None:
        if isinstance(event, MessagePosted):
            message = message_json(event.message)
            ref = event.conversation.ref
            await self._send(
                self.customers.get(event.conversation.key, set()),
                {"type": "message", "message": message},
            )
            await self._send(
                self.staff, {"type": "message", "conversation": ref, "message": message}
            )
        elif isinstance(event, ConversationChanged):
            item = conversation_json(event.conversation, self.names)
            await self._send(self.staff, {"type": "conversation", "conversation": item})
        elif isinstance(event, StaffNotice):
            await self._notice(event)
        elif isinstance(event, TicketChanged):
            await self._send(self.staff, {"type": "ticket", "ticket": ticket_json(event.ticket)})

    async def _notice(self, event: StaffNotice) -> None:
        """Only the addressee's sockets (notices can carry threat reports), or the sockets of
        the department's web staff for a queue notice."""
        wanted = {event.to["web"]} if "web" in event.to else set()
        if event.queue:
            wanted |= set(self.queue_staff(event.queue))
        addressee = {ws for ws, staff_id in self.staff_ids.items() if staff_id in wanted}
        notice = {"type": "notice", "to": event.to.get("web", ""), "text": event.text}
        await self._send(addressee, {**notice, "ticket": event.ticket, "queue": event.queue})

    async def _send(self, sockets: set[web.WebSocketResponse], payload: dict[str, Any]) -> None:
        for socket in list(sockets):
            try:
                await asyncio.wait_for(socket.send_json(payload), SEND_TIMEOUT_S)
            except (ConnectionError, RuntimeError, TimeoutError):
                log.info("dropping a web socket that could not take a message")
                sockets.discard(socket)
                await socket.close()

    async def close_all(self) -> None:
        for socket in [*self.staff, *(s for group in self.customers.values() for s in group)]:
            await socket.close(code=1001, message=b"server shutting down")


def message_json(posted: Posted) -> dict[str, Any]:
    return {
        "seq": posted.seq,
        "role": posted.role.value,
        "author": posted.author,
        "text": posted.text,
        "buttons": [asdict(button) for button in posted.buttons],
        "at": posted.at.isoformat(),
    }


def conversation_json(conv: Conversation, names: StaffNames) -> dict[str, Any]:
    """A conversation as the staff page lists it, the customer by their best known name."""
    return {
        "ref": conv.ref,
        "customer": names.customer(conv),
        "customer_id": conv.customer.key,  # "web:<staff id>" on a staff member's own request
        "ticket": conv.ticket,
        "platform": conv.address.platform,
        "language": conv.language,
        "status": conv.status,
        "updated_at": conv.updated_at.isoformat(),
        "last_text": conv.last_text,
    }


def ticket_json(ticket: Ticket) -> dict[str, Any]:
    return {
        "id": ticket.id,
        "kind": ticket.kind,
        "department": ticket.department,
        "status": ticket.status.value,
        "priority": ticket.priority.value,
        "handler": ticket.handler.name if ticket.handler else "",
        "topic": ticket.topic,
        "due": ticket.due,
    }
