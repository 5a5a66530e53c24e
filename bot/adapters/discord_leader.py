"""Exactly one process holds the Discord gateway: on a shared store the processes queue for
its lock, the holder connects, and when it stops (or dies, releasing the lock with its
database connection) the next one takes over within moments. The holder also relays to
Discord what the other processes record (a ticket opened on the web, a staff reply)."""

from __future__ import annotations

import asyncio
import contextlib
import logging

from bot.adapters.discord_adapter import DiscordAdapter, build_discord
from bot.adapters.discord_events import PLATFORM
from bot.adapters.discord_forward import ForwardedChat, deliver
from bot.config import Settings
from bot.core import Bot
from bot.ports import Note
from bot.process_notes import event_of

GATEWAY = "discord:gateway"  # the lock's key
log = logging.getLogger("supportbot.discord")


class DiscordLeadership:
    """Discord in this process: directly with a store of its own, else once it holds the lock."""

    def __init__(self, bot: Bot, settings: Settings) -> None:
        self.bot, self.settings = bot, settings
        self.adapter: DiscordAdapter | None = None
        self._task: asyncio.Task[None] | None = None

    async def start(self) -> None:
        if not self.settings.discord.enabled:
            return
        broadcast = self.bot.services.store.broadcast()
        if broadcast is None:  # the only process: no one to share the gateway with
            self.adapter = await build_discord(self.bot, self.settings)
            if self.adapter is not None:
                await self.adapter.start()
            return
        services = self.bot.services
        services.chats[PLATFORM] = ForwardedChat(services.store, broadcast)  # until it leads
        broadcast.listen(self._heard)
        self._task = asyncio.create_task(self._lead(), name="discord-leadership")

    async def close(self) -> None:
        if self._task is not None:
            self._task.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await self._task
        elif self.adapter is not None:
            await self.adapter.close()
        self.adapter = None

    async def _lead(self) -> None:
        log.info("Discord: waiting for the gateway (one process holds it at a time)")
        async with self.bot.services.store.locks().hold(GATEWAY):
            log.info("Discord: this process holds the gateway")
            adapter = await build_discord(self.bot, self.settings)
            if adapter is None:
                return
            await adapter.start()
            self.adapter = adapter
            await deliver(self.bot.services.store, adapter.parts.chat)  # left while nobody led
            try:
                await asyncio.Event().wait()  # until this process stops
            finally:
                self.adapter = None
                await adapter.close()

    async def _heard(self, note: Note) -> None:
        """Another process recorded something: relay it, if this process holds the gateway."""
        adapter = self.adapter
        if adapter is None:
            return
        if note.get("kind") == "discord_outbox":
            await deliver(self.bot.services.store, adapter.parts.chat, str(note["key"]))
            return
        event = await event_of(self.bot.services, note)
        if event is not None:
            await adapter.relay_queue.put(event)
