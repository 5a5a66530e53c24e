"""Events told to the other processes on a shared store, and read back there: a note says
where the store keeps what happened (keys only, so that it stays small), and the reader finds
it as stored now."""

from __future__ import annotations

from collections.abc import Callable

from bot.conversation import Conversation
from bot.core import Services
from bot.events import ConversationChanged, Event, MessagePosted, StaffNotice, TicketChanged
from bot.ports import Broadcast, Note
from bot.tickets.desk import TICKETS
from bot.tickets.model import Ticket
from bot.transcript import CONVERSATIONS, MESSAGES, from_doc

NOTICE_CHARS = 2000  # a notice is a sentence or two; the note must stay small


def announce(services: Services, broadcast: Broadcast) -> Callable[[], None]:
    """Tell the other processes every event this one records; returns how to stop."""

    async def tell_others(event: Event) -> None:
        await broadcast.send(note_of(event))

    return services.bus.subscribe(tell_others)


def note_of(event: Event) -> Note:
    """Where the other processes find what happened (the store has it already)."""
    if isinstance(event, MessagePosted):
        return {"kind": "message", "conversation": event.conversation.key, "seq": event.message.seq}
    if isinstance(event, ConversationChanged):
        return {"kind": "conversation", "conversation": event.conversation.key}
    if isinstance(event, TicketChanged):
        return {"kind": "ticket", "ticket": event.ticket.id}
    return {
        "kind": "notice",
        "to": event.to,
        "text": event.text[:NOTICE_CHARS],
        "ticket": event.ticket,
        "queue": event.queue,
    }


async def event_of(services: Services, note: Note) -> Event | None:
    """The event another process announced, as stored now; None if it is gone."""
    kind, store = note.get("kind"), services.store
    if kind == "notice":
        return StaffNotice(dict(note["to"]), str(note["text"]), note["ticket"], note["queue"])
    if kind == "ticket":
        doc = await store.get(TICKETS, str(note["ticket"]))
        return TicketChanged(Ticket.from_doc(doc)) if doc else None
    found = await store.get(CONVERSATIONS, str(note.get("conversation", "")))
    if found is None:
        return None
    conversation = Conversation.from_doc(found)
    if kind == "conversation":
        return ConversationChanged(conversation)
    message = await store.get(MESSAGES, f"{conversation.key}#{int(note['seq']):08d}")
    return MessagePosted(conversation, from_doc(message)) if message else None
