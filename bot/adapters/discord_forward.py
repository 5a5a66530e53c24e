"""Messages for Discord from a process that does not hold the gateway: kept in the store's
"discord_outbox" and announced; the process that holds the gateway delivers them (also the
ones written while no process held it) and removes them."""

from __future__ import annotations

import logging
import uuid
from dataclasses import asdict

from bot.adapters.discord_events import PLATFORM
from bot.models import Address, Button, Doc, Reply
from bot.ports import Broadcast, Chat, Store

OUTBOX = "discord_outbox"
log = logging.getLogger("supportbot.discord")


class ForwardedChat:
    """The Chat port on a process without the gateway: hands each message to the holder."""

    platform = PLATFORM

    def __init__(self, store: Store, broadcast: Broadcast) -> None:
        self.store, self.broadcast = store, broadcast

    async def send(self, address: Address, reply: Reply) -> None:
        key = uuid.uuid4().hex
        doc = {"address": asdict(address), "reply": _reply_doc(reply), "key": key}
        await self.store.put(OUTBOX, key, doc)
        await self.broadcast.send({"kind": "discord_outbox", "key": key})


async def deliver(store: Store, chat: Chat, key: str | None = None) -> int:
    """Send what waits in the outbox (one message, or all of them); how many were sent. A
    message that fails stays for the next try."""
    if key is not None:
        found = await store.get(OUTBOX, key)
        waiting = [found] if found else []
    else:
        waiting = await store.find(OUTBOX)
    sent = 0
    for doc in waiting:
        try:
            await chat.send(Address(**doc["address"]), _reply(doc["reply"]))
        except Exception:
            log.exception("Discord: a forwarded message could not be delivered; kept")
            continue
        sent += await store.delete(OUTBOX, doc["key"])
    return sent


def _reply_doc(reply: Reply) -> Doc:
    buttons = [asdict(button) for button in reply.buttons]
    return {"text": reply.text, "buttons": buttons, "author": reply.author, "seq": reply.seq}


def _reply(doc: Doc) -> Reply:
    buttons = tuple(Button(**button) for button in doc["buttons"])
    return Reply(doc["text"], buttons, doc["author"], doc["seq"])
