"""Messages and mentions: which conversation a Slack message belongs to, and who answers it."""

from __future__ import annotations

import logging
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from slack_sdk.web.async_client import AsyncWebClient

from bot.adapters.locale_priors import priors
from bot.adapters.quiet_window import QuietWindow, window_key
from bot.adapters.slack_blocks import STAFF, to_blocks
from bot.adapters.slack_chat import FAILURES, SlackChat
from bot.adapters.slack_events import PLATFORM, Said, said, thread_address, to_incoming
from bot.adapters.slack_people import People
from bot.adapters.slack_text import mentioned_users, plain_text
from bot.adapters.staff_syntax import as_subcommands
from bot.core import Bot
from bot.handlers.commands import COMMANDS
from bot.models import Address, Incoming, Person, Reply
from bot.staff_relay import StaffRelay, ThreadBook

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class Parts:
    """What the Slack listeners work with."""

    bot: Bot
    client: AsyncWebClient
    people: People
    chat: SlackChat
    relay: StaffRelay
    threads: ThreadBook
    support: frozenset[str]  # channels where customers write to us (support_channels)
    queues: frozenset[str]  # department queue channels, where the cards are
    command: str = "/support"  # the slash command staff type
    languages: Mapping[str, str] = field(default_factory=dict)  # support channel -> language

    def for_staff(self, text: str) -> str:
        """A command answer as staff type commands here: /claim is `/support claim`."""
        return as_subcommands(text, self.command, COMMANDS)


class Messages:
    """Routes a message: a request's thread, a card's thread (staff replying), or a customer
    conversation (direct messages, support channels, threads a mention started)."""

    def __init__(self, parts: Parts, reply_sent: Callable[[str], bool]) -> None:
        self.parts, self.reply_sent = parts, reply_sent
        settings = parts.bot.services.settings
        self.window = QuietWindow(
            settings.quiet_window_seconds, self.answer, max_chars=settings.max_message_chars
        )

    async def on_message(self, event: dict[str, Any], context: dict[str, Any]) -> None:
        bot_user = str(context.get("bot_user_id") or "")
        message = said(event, bot_user)
        if message is None or await self._in_staff_thread(message, bot_user):
            return
        if message.private or message.channel in self.parts.support:
            await self.customer(message, bot_user, explicit=message.private)
        elif message.thread and not message.mentions_bot:  # a mention is the app_mention's
            address = thread_address(message.channel, message.thread)
            if await self.parts.bot.services.conversations.get(address.key):
                await self.customer(message, bot_user, explicit=False)

    async def on_mention(self, event: dict[str, Any], context: dict[str, Any]) -> None:
        """A mention outside support and queue channels starts (or continues) a conversation."""
        bot_user = str(context.get("bot_user_id") or "")
        message = said(event, bot_user)
        if message is None or message.private:
            return
        if message.channel in self.parts.support | self.parts.queues:
            return  # the message event handles it there
        if message.thread and await self._staff_thread_of(message):
            return
        await self.customer(message, bot_user, explicit=True)

    async def customer(self, message: Said, bot_user: str, explicit: bool) -> None:
        """A customer's message in their thread; staff chatting in customer places are left be."""
        parts = self.parts
        address = await self.address_of(message.channel, message.root)
        sender = await parts.people.person(message.user, message.profile_name)
        conv = await parts.bot.services.conversations.get(address.key)
        stranger = conv is not None and conv.customer.id != sender.id
        if (stranger or (conv is None and not explicit)) and await self._is_staff(message):
            return  # staff answer through the card's thread (or /support reply)
        names = await self._names(message, bot_user)
        language = parts.languages.get(message.channel)
        locales = priors(await parts.people.locale(message.user), language)
        incoming = to_incoming(message, sender, address, names, bot_user, locales)
        if not incoming.text and not message.mentions_bot:
            return  # a file without words: nothing to answer (a bare mention is greeted)
        if address != thread_address(message.channel, message.root):
            await self.answer(incoming)  # a request's thread: requesters are staff, never delayed
            return
        await self.window.add(self.window_key(message.channel, message.thread, sender), incoming)

    def window_key(self, channel: str, thread: str, sender: Person) -> str:
        """Top-level messages in a row join the first one's thread (one conversation, not
        one per message); in a thread, the thread's own."""
        if not thread:
            return f"{PLATFORM}:{channel}:top|{sender.key}"
        return window_key(thread_address(channel, thread), sender)

    async def answer(self, incoming: Incoming) -> None:
        """The customer's (perhaps joined) message, dispatched and answered in its thread."""
        await self.deliver(incoming.address, await self.parts.bot.dispatch(incoming))

    async def deliver(self, address: Address, replies: Sequence[Reply]) -> None:
        """Replies in order into the conversation's thread; a failure is logged, not raised."""
        for reply in replies:
            try:
                await self.parts.chat.send(address, reply)
            except FAILURES as error:
                log.error("Slack: could not answer in %s: %s", address.key, error)
                return

    async def _in_staff_thread(self, message: Said, bot_user: str) -> bool:
        """A requester writing in their request's thread, or staff in a card's thread."""
        if not message.thread:
            return False
        request = await self.parts.threads.address_of(message.channel, message.thread)
        if request is not None:
            await self.customer(message, bot_user, explicit=True)
            return True
        ticket = await self.parts.relay.ticket_in_thread(message.channel, message.thread)
        if ticket:
            await self._staff_reply(message, ticket, bot_user)
        return bool(ticket)

    async def _staff_reply(self, message: Said, ticket: str, bot_user: str) -> None:
        """Staff writing in a card's thread: `reply <ticket> <text>`; only failures are shown."""
        parts = self.parts
        sender = await parts.people.person(message.user, message.profile_name, staff=True)
        text = plain_text(message.text, await self._names(message, bot_user), drop=bot_user)
        if not text:
            return
        where = Address(PLATFORM, message.channel, message.thread)
        command = Incoming.slash(sender, where, "reply", f"{ticket} {text}")
        replies = await parts.bot.dispatch(command)
        for reply in replies:
            if not self.reply_sent(reply.text):
                await self._whisper(message, reply.text)

    async def _whisper(self, message: Said, text: str) -> None:
        shown = to_blocks(Reply(self.parts.for_staff(text)), STAFF)
        try:
            await self.parts.client.chat_postEphemeral(
                channel=message.channel, user=message.user, thread_ts=message.thread, **shown
            )
        except FAILURES as error:
            log.error("Slack: could not tell %s privately: %s", message.user, error)

    async def _staff_thread_of(self, message: Said) -> bool:
        parts = self.parts
        if await parts.threads.address_of(message.channel, message.thread):
            return True
        return bool(await parts.relay.ticket_in_thread(message.channel, message.thread))

    async def address_of(self, channel: str, root: str) -> Address:
        """The core's address of a thread: a request's (bot-started) or one per thread."""
        found = await self.parts.threads.address_of(channel, root)
        return found or thread_address(channel, root)

    async def _names(self, message: Said, bot_user: str) -> dict[str, str]:
        """Names of the people a message mentions (the bot's mention is dropped anyway)."""
        users = [user for user in mentioned_users(message.text) if user != bot_user]
        return await self.parts.people.names(users)

    async def _is_staff(self, message: Said) -> bool:
        parts = self.parts
        sender = await parts.people.person(message.user, message.profile_name, staff=True)
        return await parts.bot.services.staff_member(sender) is not None
