"""The discord.py client: intents, persistent buttons and commands in setup_hook, listeners."""

from __future__ import annotations

import logging
from collections.abc import Awaitable, Callable
from typing import Any

import discord
from discord import app_commands

from bot.adapters.discord_chat import FAILURES
from bot.adapters.discord_commands import help_command, support_group
from bot.adapters.discord_embeds import NOBODY
from bot.adapters.discord_inbound import Messages, Parts
from bot.adapters.discord_interactions import Interactions, sorry
from bot.adapters.discord_views import HelpButton, OurButton

log = logging.getLogger("supportbot.discord")
WITHOUT_CONTENT = (
    "Discord: the message_content intent is off, so the bot cannot read messages in server "
    "channels and threads unless they mention it. Still working: direct messages, messages "
    "that mention the bot, /help, /{command} and all buttons; customers in help threads are "
    "asked to mention the bot. To read help threads without mentions, turn on 'Message "
    "Content Intent' (Developer Portal > your application > Bot > Privileged Gateway Intents) "
    "and set SUPPORTBOT_DISCORD_MESSAGE_CONTENT=true."
)


def intents(message_content: bool) -> discord.Intents:
    """Guilds, guild and direct messages (the defaults); message_content only if asked."""
    wanted = discord.Intents.default()
    wanted.message_content = message_content
    return wanted


class SupportClient(discord.Client):
    """One connection to Discord; the adapter makes a new one for each (re)start."""

    def __init__(
        self,
        parts: Parts,
        interactions: Interactions,
        messages: Messages,
        command: str,
        on_ready: Callable[[SupportClient], Awaitable[None]],
        *,
        message_content: bool = True,
        **options: Any,
    ) -> None:
        super().__init__(intents=intents(message_content), allowed_mentions=NOBODY, **options)
        self.parts, self.clicks, self.messages = parts, interactions, messages
        self.command, self._ready_once, self._first_ready = command, on_ready, True
        self.tree = app_commands.CommandTree(self)
        self.tree.error(self._on_command_error)

    async def setup_hook(self) -> None:
        """Runs after login, before the gateway: buttons of any earlier run keep working."""
        self.add_dynamic_items(OurButton, HelpButton)
        self.tree.add_command(support_group(self.command, self.clicks))
        self.tree.add_command(help_command(self.clicks))
        self.parts.outbox.client = self
        try:
            synced = await self.tree.sync()
            log.info("Discord: synced /%s (%d subcommands) and /help", self.command, _count(synced))
        except FAILURES as error:
            log.error("Discord: could not register the slash commands: %s", error)

    async def on_ready(self) -> None:
        user = self.user
        log.info("Discord: connected as %s (application %s)", user, self.application_id)
        self._log_intents()
        if self._first_ready:  # READY comes again after a new session; this runs once
            self._first_ready = False
            await self._ready_once(self)

    async def on_message(self, message: discord.Message) -> None:
        if self.user is not None:
            await self.messages.on_message(message, self.user.id)

    async def on_raw_typing(self, payload: discord.RawTypingEvent) -> None:
        """Raw, so typing counts even for users discord.py has not cached."""
        self.messages.on_typing(payload.channel_id, payload.user_id)

    async def close(self) -> None:
        if self.parts.outbox.client is self:
            self.parts.outbox.client = None
        await super().close()

    def _log_intents(self) -> None:
        if not self.intents.message_content:
            log.warning(WITHOUT_CONTENT.format(command=self.command))
            return
        flags = self.application_flags
        if not (flags.gateway_message_content or flags.gateway_message_content_limited):
            log.warning("Discord: message_content was asked for but is not enabled for the app")
        else:
            log.info("Discord: message_content intent on; help threads need no mentions")

    async def _on_command_error(
        self, interaction: discord.Interaction, error: app_commands.AppCommandError
    ) -> None:
        log.error(
            "Discord: /%s failed",
            interaction.command and interaction.command.qualified_name,
            exc_info=error,
        )
        await sorry(interaction)


def _count(synced: list[app_commands.AppCommand]) -> int:
    group = next((c for c in synced if c.name != "help"), None)
    return len(group.options) if group else 0
