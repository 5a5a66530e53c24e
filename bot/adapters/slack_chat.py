"""What the bot posts on Slack: the Chat port (customers) and the StaffSide port (queues)."""

from __future__ import annotations

import re
from typing import Any

import aiohttp
from slack_sdk.errors import SlackApiError
from slack_sdk.web.async_client import AsyncWebClient

from bot.adapters.slack_blocks import CUSTOMER, Message, text_message, to_blocks, to_card_message
from bot.adapters.slack_events import PLATFORM
from bot.adapters.slack_pacer import ChannelPacer
from bot.adapters.slack_text import escape
from bot.cards import Card
from bot.locks import KeyedLock
from bot.models import Address, Reply
from bot.staff_relay import CardPlace, ThreadBook

FAILURES = (SlackApiError, aiohttp.ClientError, TimeoutError, OSError)
_TS = re.compile(r"^\d+\.\d+$")


class Poster:
    """chat.postMessage, paced per channel, answering the new message's ts."""

    def __init__(self, client: AsyncWebClient, pacer: ChannelPacer) -> None:
        self.client, self.pacer = client, pacer

    async def post(self, channel: str, message: Message, thread: str = "") -> str:
        fields: dict[str, Any] = {"channel": channel, **message}
        if thread:
            fields["thread_ts"] = thread
        answer = await self.pacer.run(channel, lambda: self.client.chat_postMessage(**fields))
        return str(answer["ts"])


class SlackChat:
    """The Chat port: replies in the conversation's thread. A thread the core names itself
    (an internal request, "R-301") starts with the first message, remembered in ThreadBook."""

    platform = PLATFORM

    def __init__(self, poster: Poster, threads: ThreadBook) -> None:
        self.poster, self.threads = poster, threads
        self._starting = KeyedLock()

    async def send(self, address: Address, reply: Reply) -> None:
        message = to_blocks(reply, CUSTOMER)
        if not message["blocks"]:
            return
        if not address.thread or _TS.match(address.thread):
            await self.poster.post(address.channel, message, address.thread)
            return
        async with self._starting.hold(address.key):  # two first messages start one thread
            thread = await self.threads.platform_thread(address)
            posted = await self.poster.post(address.channel, message, thread)
            if not thread:
                await self.threads.remember(address, posted)


class SlackStaffSide:
    """The StaffSide port: cards in queue channels, customer words in their threads, notices."""

    platform = PLATFORM

    def __init__(self, client: AsyncWebClient, poster: Poster) -> None:
        self.client, self.poster = client, poster
        self._dms: dict[str, str] = {}

    async def post_card(self, channel: str, card: Card) -> tuple[str, str]:
        ts = await self.poster.post(channel, to_card_message(card))
        return ts, ts  # the card's own thread is where staff talk about it

    async def update_card(self, place: CardPlace, card: Card) -> None:
        message = to_card_message(card)
        await self.client.chat_update(channel=place.channel, ts=place.message, **message)

    async def post_in_thread(self, place: CardPlace, author: str, text: str) -> None:
        message = text_message(f"*{escape(author or '?')}*\n{escape(text)}")
        await self.poster.post(place.channel, message, place.thread)

    async def notify(self, account: str, text: str) -> None:
        await self.poster.post(await self._dm(account), text_message(escape(text)))

    async def post_to_channel(self, channel: str, text: str) -> None:
        await self.poster.post(channel, text_message(escape(text)))

    async def _dm(self, user: str) -> str:
        if user not in self._dms:
            opened = await self.client.conversations_open(users=user)
            self._dms[user] = str(opened["channel"]["id"])
        return self._dms[user]


def transient(error: BaseException) -> bool:
    """A failure that waiting may cure: no connection, Slack's 5xx, a rate limit."""
    if isinstance(error, SlackApiError):
        status = int(error.response.status_code)
        return status >= 500 or status == 429
    return isinstance(error, FAILURES)
