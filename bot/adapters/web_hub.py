"""Pushes transcript events to the web chat's WebSockets: customers and staff pages."""

from __future__ import annotations

import asyncio
import logging
from collections import defaultdict
from dataclasses import asdict
from typing import Any

from aiohttp import web

from bot.conversation import Conversation
from bot.events import ConversationChanged, Event, MessagePosted, StaffNotice
from bot.models import Posted

log = logging.getLogger(__name__)
SEND_TIMEOUT_S = 2.0


class Hub:
    """Keeps the open sockets; a slow or dead socket is dropped, never waited on for long."""

    def __init__(self) -> None:
        self.customers: dict[str, set[web.WebSocketResponse]] = defaultdict(set)
        self.staff: set[web.WebSocketResponse] = set()
        self.staff_ids: dict[web.WebSocketResponse, str] = {}  # who each staff socket belongs to

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
            item = conversation_json(event.conversation)
            await self._send(self.staff, {"type": "conversation", "conversation": item})
        elif isinstance(event, StaffNotice) and "web" in event.to:
            # Only the addressee's sockets: notices can carry threat reports.
            addressee = {
                ws for ws, staff_id in self.staff_ids.items() if staff_id == event.to["web"]
            }
            notice = {"type": "notice", "to": event.to["web"], "text": event.text}
            await self._send(addressee, {**notice, "ticket": event.ticket})

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


def conversation_json(conv: Conversation) -> dict[str, Any]:
    return {
        "ref": conv.ref,
        "customer": conv.name or conv.customer.name,
        "platform": conv.address.platform,
        "language": conv.language,
        "status": conv.status,
        "updated_at": conv.updated_at.isoformat(),
        "last_text": conv.last_text,
    }
