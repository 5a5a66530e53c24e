"""Customers in a server: the support panel with "Get help", and one private thread each."""

from __future__ import annotations

import logging
from collections.abc import Sequence

import discord

from bot.adapters.discord_chat import FAILURES, THREAD_ARCHIVE_MINUTES, Outbox
from bot.adapters.discord_embeds import NOBODY
from bot.adapters.discord_views import panel_view
from bot.core import Services

log = logging.getLogger("supportbot.discord")
HELP_THREADS = "discord_help_threads"  # guild:user -> the customer's private thread
PANELS = "discord_panels"  # support channel -> the panel message
THREAD_NAME_CHARS = 100


class NoPlaceForThreadsError(Exception):
    """Neither this channel nor a support channel of its server can hold a private thread."""


class HelpDesk:
    """Opens (or finds again) a customer's private thread; posts the panel where it is
    missing."""

    def __init__(self, services: Services, outbox: Outbox, support: Sequence[str]) -> None:
        self.services, self.outbox, self.support = services, outbox, tuple(support)

    async def thread_for(
        self, user: discord.abc.User, guild: discord.Guild, channel: object
    ) -> discord.Thread:
        """The customer's thread in this server: their earlier one while it exists and is
        not locked, else a new private thread in a support channel (or this channel)."""
        key = f"{guild.id}:{user.id}"
        doc = await self.services.store.get(HELP_THREADS, key)
        thread = await self._usable(str(doc["thread"])) if doc else None
        if thread is None:
            thread = await self._open(user, self._home(guild, channel))
            doc = {"thread": str(thread.id), "channel": str(thread.parent_id), "user": str(user.id)}
            await self.services.store.put(HELP_THREADS, key, doc)
        await thread.add_user(user)  # again, in case they left it
        return thread

    async def post_panels(self, language: str) -> None:
        """The panel in every support channel that does not show it yet."""
        for channel in self.support:
            try:
                await self._panel(channel, language)
            except FAILURES as error:
                log.error("Discord: could not post the support panel in %s: %s", channel, error)

    def _home(self, guild: discord.Guild, channel: object) -> discord.TextChannel:
        here = channel.parent if isinstance(channel, discord.Thread) else channel
        support = [guild.get_channel(int(c)) for c in self.support if c.isdigit()]
        places = [c for c in support if isinstance(c, discord.TextChannel)]
        if isinstance(here, discord.TextChannel) and (here in places or not places):
            return here
        if places:
            return places[0]
        raise NoPlaceForThreadsError(f"no text channel for private threads in {guild.id}")

    async def _open(self, user: discord.abc.User, home: discord.TextChannel) -> discord.Thread:
        name = f"help · {user.display_name}"[:THREAD_NAME_CHARS]
        return await home.create_thread(
            name=name,
            type=discord.ChannelType.private_thread,
            invitable=False,
            auto_archive_duration=THREAD_ARCHIVE_MINUTES,
        )

    async def _usable(self, thread_id: str) -> discord.Thread | None:
        try:
            found = await self.outbox.channel(thread_id)
        except (discord.NotFound, discord.Forbidden):
            return None
        if isinstance(found, discord.Thread) and not found.locked:
            return found
        return None

    async def _panel(self, channel: str, language: str) -> None:
        doc = await self.services.store.get(PANELS, channel)
        target = self.outbox.to(channel)
        if doc:
            try:
                await target.fetch_message(int(doc["message"]))
                return
            except discord.NotFound:
                log.info("Discord: the support panel in %s was deleted; posting it again", channel)
        catalog, company = self.services.catalog, self.services.settings.company
        text = catalog.text(language, "discord_panel", company=company)
        view = panel_view(catalog.text(language, "discord_get_help"))
        message = await target.send(text, view=view, allowed_mentions=NOBODY)
        await self.services.store.put(PANELS, channel, {"message": str(message.id)})
