"""A small in-process event bus: adapters subscribe to what the core records."""

from __future__ import annotations

import logging
from collections.abc import Awaitable, Callable
from dataclasses import dataclass

from bot.conversation import Conversation
from bot.models import Posted
from bot.tickets.model import Ticket

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class MessagePosted:
    """A message was added to a conversation's transcript."""

    conversation: Conversation
    message: Posted


@dataclass(frozen=True)
class ConversationChanged:
    """A conversation was created or its state changed."""

    conversation: Conversation


class EventBus:
    """Delivers events to listeners in order; a failing listener never breaks the core."""

    def __init__(self) -> None:
        self._listeners: list[Listener] = []

    def subscribe(self, listener: Listener) -> Callable[[], None]:
        self._listeners.append(listener)
        return lambda: self._listeners.remove(listener)

    async def publish(self, event: Event) -> None:
        for listener in list(self._listeners):
            try:
                await listener(event)
            except Exception:
                log.exception("event listener %r failed on %s", listener, type(event).__name__)


@dataclass(frozen=True)
class StaffNotice:
    """Something a staff member must know now: an escalation, a threat, a breached deadline."""

    to: dict[str, str]  # platform -> account
    text: str
    ticket: str = ""
    queue: str = ""  # a department id: post to its queue on every platform it uses


@dataclass(frozen=True)
class TicketChanged:
    """A ticket or internal request was opened or changed (cards and queues follow it)."""

    ticket: Ticket


Event = MessagePosted | ConversationChanged | StaffNotice | TicketChanged
Listener = Callable[[Event], Awaitable[None]]
