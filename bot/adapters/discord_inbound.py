"""Messages: which conversation a Discord message belongs to, and who answers it."""

from __future__ import annotations

import logging
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field, replace

import discord

from bot.adapters.discord_chat import DiscordChat, Outbox
from bot.adapters.discord_embeds import NOBODY, joined, reply_parts
from bot.adapters.discord_events import (
    Said,
    conversation_address,
    person,
    said_of,
    staff_address,
    to_incoming,
    to_reply_command,
)
from bot.adapters.discord_help import HelpDesk
from bot.adapters.discord_text import readable
from bot.adapters.locale_priors import LocaleBook, priors
from bot.adapters.quiet_window import QuietWindow, window_key
from bot.adapters.staff_syntax import respelled
from bot.core import Bot
from bot.models import Address, Incoming
from bot.seen import Seen
from bot.staff_relay import StaffRelay, ThreadBook

log = logging.getLogger("supportbot.discord")
PEOPLE = (discord.MessageType.default, discord.MessageType.reply)  # not joins, pins, ...


@dataclass(frozen=True)
class Parts:
    """What the Discord listeners work with."""

    bot: Bot
    outbox: Outbox
    chat: DiscordChat
    relay: StaffRelay
    threads: ThreadBook
    help: HelpDesk
    support: frozenset[str]  # channels where customers write to us (support_channels)
    reply_sent: Callable[[str], bool]  # whether a reply is the "Sent to ..." confirmation
    spellings: Mapping[str, str] = field(default_factory=dict)  # "claim" -> "/support claim"
    languages: Mapping[str, str] = field(default_factory=dict)  # support channel -> language
    locales: LocaleBook = field(default_factory=LocaleBook)  # users' client languages

    def for_staff(self, text: str) -> str:
        """A command answer as staff type commands here: /claim is `/support claim`."""
        return respelled(text, self.spellings)


class Messages:
    """Routes a message: a DM, a support channel (moved into the customer's private thread),
    a help or request thread (the customer or requester), a card's thread (staff replying)."""

    def __init__(self, parts: Parts, seen: Seen) -> None:
        self.parts, self.seen = parts, seen
        settings = parts.bot.services.settings
        self.window = QuietWindow(
            settings.quiet_window_seconds, self.answer, max_chars=settings.max_message_chars
        )

    async def on_message(self, message: discord.Message, bot_id: int) -> None:
        if message.author.bot or message.type not in PEOPLE:
            return
        if not self.seen.first_time(message.id):
            log.info("Discord: message %s was delivered again; it was answered once", message.id)
            return
        said = said_of(message)
        if said.private:
            await self.customer(said, conversation_address(said.channel), bot_id)
        elif said.parent:
            await self._in_thread(said, bot_id)
        elif said.channel in self.parts.support:
            await self._in_support_channel(message, said, bot_id)

    async def customer(self, said: Said, address: Address, bot_id: int) -> None:
        incoming = to_incoming(said, address, str(bot_id), self._locales(said))
        if not incoming.text:  # without message_content, only mentions carry text
            log.debug("Discord: no text in message %s (message_content intent off?)", said.id)
            return
        if address.thread:  # a request's thread: requesters are staff, not kept waiting
            await self.answer(incoming)
            return
        await self.window.add(window_key(address, said.author), incoming)

    async def answer(self, incoming: Incoming) -> None:
        """The customer's (perhaps joined) message, dispatched and answered where it came."""
        replies = await self.parts.bot.dispatch(incoming)
        await self.parts.chat.deliver(incoming.address, replies)

    def on_typing(self, channel: int, user: int) -> None:
        """A customer typing in their DM or help thread is given longer to finish."""
        self.window.typing(window_key(conversation_address(channel), person(user)))

    def _locales(self, said: Said) -> tuple[str, ...]:
        """Their client's language (from their latest interaction), the server's, and the
        language the support channel declares; a DM carries only the first."""
        language = self.parts.languages.get(said.parent or said.channel)
        return priors(self.parts.locales.get(said.author.id), said.guild_locale, language)

    async def address_at(self, channel: str, parent: str) -> Address:
        """The core's address of a place customers write: a request's thread or the channel."""
        found = await self.parts.threads.address_of(parent, channel) if parent else None
        return found or conversation_address(channel)

    async def _in_thread(self, said: Said, bot_id: int) -> None:
        ticket = await self.parts.relay.ticket_in_thread(said.parent, said.channel)
        if ticket:
            await self._staff_reply(said, ticket, bot_id)
            return
        address = await self.address_at(said.channel, said.parent)
        conv = await self.parts.bot.services.conversations.get(address.key)
        if conv is not None and conv.customer.id == said.author.id:
            await self.customer(said, address, bot_id)

    async def _in_support_channel(self, message: discord.Message, said: Said, bot_id: int) -> None:
        """A customer writing in a support channel continues in their private thread; staff
        talking there are left be unless they mention the bot."""
        services = self.parts.bot.services
        if message.guild is None or not readable(said.content, said.names, str(bot_id)):
            return
        if not said.mentions_bot and await services.staff_member(said.author) is not None:
            return
        thread = await self.parts.help.thread_for(message.author, message.guild, message.channel)
        language = services.settings.default_language
        text = services.catalog.text(language, "discord_thread_opened", thread=thread.mention)
        await message.reply(text, mention_author=False, allowed_mentions=NOBODY)
        await self.customer(said, conversation_address(thread.id), bot_id)

    async def _staff_reply(self, said: Said, ticket: str, bot_id: int) -> None:
        """Staff writing in a card's thread: `reply <ticket> <text>`; only failures are shown."""
        text = readable(said.content, said.names, str(bot_id))
        if not text:
            return
        where = staff_address(said.channel, said.parent)
        replies = await self.parts.bot.dispatch(to_reply_command(said.author, where, ticket, text))
        failed = [r for r in replies if not self.parts.reply_sent(r.text)]
        if failed:
            target = self.parts.outbox.to(said.channel)
            shown = joined(failed)
            parts = reply_parts(replace(shown, text=self.parts.for_staff(shown.text)))
            await self.parts.outbox.post_text(target, parts)
