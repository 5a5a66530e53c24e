"""Customers in a server: `/help` and the panel's "Get help" open their private thread and
start (or continue) the conversation there."""

from __future__ import annotations

import logging

import discord

from bot.adapters.discord_chat import FAILURES
from bot.adapters.discord_events import conversation_address, person_of
from bot.adapters.discord_help import NoPlaceForThreadsError
from bot.adapters.discord_inbound import Parts
from bot.adapters.locale_priors import priors
from bot.models import Address, Incoming

log = logging.getLogger("supportbot.discord")


class Welcome:
    """Where a customer who asks for help in a server (or a DM) is taken."""

    def __init__(self, parts: Parts) -> None:
        self.parts = parts

    async def open(self, interaction: discord.Interaction, question: str | None) -> None:
        """The customer's private thread, where the conversation starts (or goes on); in a
        DM, the DM is the place."""
        if interaction.guild is None:
            text = phrase(self.parts, interaction, "discord_write_here")
            await interaction.response.send_message(text, ephemeral=True)
            dm = conversation_address(interaction.channel_id or 0)
            await self._start(interaction, dm, question)
            return
        await interaction.response.defer(ephemeral=True, thinking=True)
        thread = await self._thread(interaction, interaction.guild)
        if thread is not None:
            await interaction.edit_original_response(content=self._opened(interaction, thread))
            home = str(thread.parent_id or "")
            await self._start(interaction, conversation_address(thread.id), question, home)

    async def _thread(
        self, interaction: discord.Interaction, guild: discord.Guild
    ) -> discord.Thread | None:
        """The customer's private thread, or None after telling them it could not be opened."""
        try:
            return await self.parts.help.thread_for(interaction.user, guild, interaction.channel)
        except (NoPlaceForThreadsError, *FAILURES) as error:
            who = interaction.user.id
            log.error("Discord: could not open a private thread for %s: %s", who, error)
        failed = phrase(self.parts, interaction, "discord_thread_failed")
        await interaction.edit_original_response(content=failed)
        return None

    async def _start(
        self,
        interaction: discord.Interaction,
        address: Address,
        question: str | None,
        home: str = "",
    ) -> None:
        """The question, if any, is the first message; a new conversation starts with the
        customer's "Get help" so they are greeted; an ongoing one just goes on. `home` is the
        channel the thread is in (its declared language is a hint too)."""
        conv = await self.parts.bot.services.conversations.get(address.key)
        text = (question or "").strip() or (
            "" if conv else phrase(self.parts, interaction, "discord_get_help")
        )
        if text:
            locales = locales_of(self.parts, interaction, home)
            incoming = Incoming.message(person_of(interaction.user), address, text, locales)
            replies = await self.parts.bot.dispatch(incoming)
            await self.parts.chat.deliver(address, replies)

    def _opened(self, interaction: discord.Interaction, thread: discord.Thread) -> str:
        text = phrase(self.parts, interaction, "discord_thread_opened", thread=thread.mention)
        client = interaction.client
        if client.intents.message_content or client.user is None:
            return text
        mention = client.user.mention  # without message_content, only mentions carry text
        return f"{text} {phrase(self.parts, interaction, 'discord_mention_needed', bot=mention)}"


def locales_of(parts: Parts, interaction: discord.Interaction, home: str = "") -> tuple[str, ...]:
    """The user's client language, the server's, and what the support channel declares."""
    server = interaction.guild_locale.value if interaction.guild_locale else ""
    return priors(str(interaction.locale.value), str(server), parts.languages.get(home))


def phrase(parts: Parts, interaction: discord.Interaction, key: str, **values: object) -> str:
    """A phrase in the language of the user's Discord client (or the default language)."""
    services = parts.bot.services
    code = str(interaction.locale.value).split("-")[0]
    default = services.settings.default_language
    language = code if code in services.catalog.languages else default
    return services.catalog.text(language, key, company=services.settings.company, **values)
