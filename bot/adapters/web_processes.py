"""Open pages hear what every process records: what other processes recorded (announced
through the store's broadcast, see `bot.process_notes`) is pushed to this process's sockets
too. Only the pages follow other processes' events this way; chat platforms relay in the
process that recorded them, or, for Discord, in the one process that holds its gateway."""

from __future__ import annotations

from bot.adapters.web_hub import Hub
from bot.core import Services
from bot.ports import Broadcast, Note
from bot.process_notes import event_of


def listen(hub: Hub, services: Services, broadcast: Broadcast) -> None:
    """Push the other processes' events to this process's pages until the store closes."""

    async def heard(note: Note) -> None:
        event = await event_of(services, note)
        if event is not None:
            await hub.on_event(event)

    broadcast.listen(heard)
