"""What the bot posts to customers on Discord: the Chat port, through the connected client."""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Sequence
from typing import Literal

import aiohttp
import discord

from bot.adapters.discord_embeds import NOBODY, reply_parts
from bot.adapters.discord_events import PLATFORM
from bot.adapters.discord_views import CUSTOMER, ButtonStash, view_of
from bot.core import Services
from bot.locks import KeyedLock
from bot.models import Address, Reply
from bot.staff_relay import ThreadBook

log = logging.getLogger("supportbot.discord")
FAILURES = (discord.DiscordException, aiohttp.ClientError, OSError, asyncio.TimeoutError)
Channel = discord.abc.GuildChannel | discord.Thread | discord.abc.PrivateChannel
THREAD_ARCHIVE_MINUTES: Literal[10080] = 10080  # a week: requests and tickets take days


class DiscordUnavailable(discord.DiscordException):
    """No client is connected right now (starting, reconnecting after a failure, stopped)."""


class Outbox:
    """Posting through whichever client is logged in now; replies in parts, buttons last."""

    def __init__(self, stash: ButtonStash) -> None:
        self.stash = stash
        self.client: discord.Client | None = None

    def current(self) -> discord.Client:
        if self.client is None or self.client.is_closed():
            raise DiscordUnavailable("Discord is not connected")
        return self.client

    def to(self, channel: int | str) -> discord.PartialMessageable:
        """A channel, thread or DM to post in, without a lookup."""
        return self.current().get_partial_messageable(int(channel))

    async def channel(self, channel: int | str) -> Channel:
        client = self.current()
        return client.get_channel(int(channel)) or await client.fetch_channel(int(channel))

    async def post(
        self, target: discord.abc.Messageable, reply: Reply, kind: str = CUSTOMER
    ) -> list[discord.Message]:
        parts = reply_parts(reply) or ([""] if reply.buttons else [])
        view = await view_of(reply.buttons, kind, self.stash)
        sent = []
        for number, part in enumerate(parts, 1):
            if number == len(parts) and view is not None:
                sent.append(await target.send(part or None, view=view, allowed_mentions=NOBODY))
            else:
                sent.append(await target.send(part, allowed_mentions=NOBODY))
        return sent

    async def post_text(self, target: discord.abc.Messageable, parts: Sequence[str]) -> None:
        for part in parts:
            await target.send(part, allowed_mentions=NOBODY)


class DiscordChat:
    """The Chat port: a DM or help thread is a channel id; a thread the core names itself (an
    internal request, "R-301") is started in that channel with the first message."""

    platform = PLATFORM

    def __init__(self, services: Services, outbox: Outbox, threads: ThreadBook) -> None:
        self.services, self.outbox, self.threads = services, outbox, threads
        self._starting = KeyedLock()

    async def send(self, address: Address, reply: Reply) -> None:
        if not address.thread:
            await self.outbox.post(self.outbox.to(address.channel), reply)
            return
        async with self._starting.hold(address.key):  # two first messages start one thread
            thread = await self.threads.platform_thread(address) or await self._start(address)
        await self.outbox.post(self.outbox.to(thread), reply)

    async def deliver(self, address: Address, replies: Sequence[Reply]) -> None:
        """Replies to an incoming message, in order; a failure is logged, not raised."""
        for reply in replies:
            try:
                await self.send(address, reply)
            except FAILURES as error:
                log.error("Discord: could not answer in %s: %s", address.key, error)
                return

    async def _start(self, address: Address) -> str:
        """A public thread for the request in the channel it was filed from, with the
        requester in it (so they are notified); a DM has no threads, so there it is the DM."""
        home = await self.outbox.channel(address.channel)
        if not isinstance(home, discord.TextChannel):
            return address.channel
        kind = discord.ChannelType.public_thread
        thread = await home.create_thread(
            name=address.thread, type=kind, auto_archive_duration=THREAD_ARCHIVE_MINUTES
        )
        await self.threads.remember(address, str(thread.id))
        conv = await self.services.conversations.get(address.key)
        if conv is not None and conv.customer.id.isdigit():
            await thread.add_user(discord.Object(int(conv.customer.id)))
        return str(thread.id)
