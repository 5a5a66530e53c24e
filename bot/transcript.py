"""Every message of every conversation, recorded in order (playbook B3)."""

from __future__ import annotations

from dataclasses import asdict
from datetime import datetime

from bot.conversation import Conversation
from bot.events import ConversationChanged, EventBus, MessagePosted
from bot.models import Button, Doc, Posted, Reply, Role
from bot.ports import Clock, Store
from bot.text import shorten

MESSAGES = "messages"
CONVERSATIONS = "conversations"


class Transcript:
    """Appends messages to conversations and publishes them; callers hold the conversation lock."""

    def __init__(self, store: Store, clock: Clock, bus: EventBus) -> None:
        self.store, self.clock, self.bus = store, clock, bus

    async def record(self, conv: Conversation, role: Role, author: str, reply: Reply) -> Posted:
        """Append a message. The caller holds the conversation's lock and saves it afterwards;
        if that save is lost in a crash, `repair` restores the count from the messages."""
        conv.last_seq += 1
        now = self.clock.now()
        posted = Posted(conv.key, conv.last_seq, role, author, reply.text, now, reply.buttons)
        await self.store.put(MESSAGES, f"{conv.key}#{posted.seq:08d}", to_doc(posted))
        conv.updated_at, conv.last_text = now, shorten(reply.text, 120)
        await self.bus.publish(MessagePosted(conv, posted))
        return posted

    async def repair(self, conv: Conversation) -> None:
        """Never reuse a sequence number, even if the last save of `conv` was lost."""
        conv.last_seq = max(conv.last_seq, await self.store.count(MESSAGES, conversation=conv.key))

    async def save(self, conv: Conversation) -> None:
        await self.store.put(CONVERSATIONS, conv.key, conv.to_doc())
        await self.bus.publish(ConversationChanged(conv))

    async def after(self, conversation_key: str, seq: int, limit: int = 500) -> list[Posted]:
        docs = await self.store.find(MESSAGES, conversation=conversation_key)
        return [from_doc(doc) for doc in docs if doc["seq"] > seq][:limit]


def to_doc(posted: Posted) -> Doc:
    return {
        "conversation": posted.conversation,
        "seq": posted.seq,
        "role": posted.role.value,
        "author": posted.author,
        "text": posted.text,
        "at": posted.at.isoformat(),
        "buttons": [asdict(button) for button in posted.buttons],
    }


def from_doc(doc: Doc) -> Posted:
    buttons = tuple(Button(**button) for button in doc.get("buttons", []))
    at = datetime.fromisoformat(doc["at"])
    role = Role(doc["role"])
    return Posted(doc["conversation"], doc["seq"], role, doc["author"], doc["text"], at, buttons)
