"""What the bot posts on Slack: the Chat port (customers) and the StaffSide port (queues)."""

from __future__ import annotations

import asyncio
import logging
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
from bot.events import Event
from bot.locks import KeyedLock
from bot.models import Address, Reply
from bot.staff_relay import CardPlace, StaffRelay, ThreadBook

log = logging.getLogger(__name__)
FAILURES = (SlackApiError, aiohttp.ClientError, TimeoutError, OSError)
_TS = re.compile(r"^\d+\.\d+$")
MAX_BACKOFF = 60.0


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


class RelayQueue:
    """Hands core events to the staff relay in order, off the core's path: a slow or failing
    Slack never delays a customer's answer, and an outage is retried with backoff."""

    def __init__(self, relay: StaffRelay, backoff: float = 1.0, retries: int = 15) -> None:
        self.relay, self.backoff, self.retries = relay, backoff, retries
        self._events: asyncio.Queue[Event] = asyncio.Queue()
        self._task: asyncio.Task[None] | None = None

    async def put(self, event: Event) -> None:
        """The event bus listener."""
        self._events.put_nowait(event)
        if self._task is None or self._task.done():
            self._task = asyncio.create_task(self._drain(), name="slack-relay")

    async def idle(self) -> None:
        """Wait until every event so far has been handled."""
        await self._events.join()

    async def close(self) -> None:
        if self._task is not None:
            self._task.cancel()
            await asyncio.gather(self._task, return_exceptions=True)

    async def _drain(self) -> None:
        while not self._events.empty():
            event = self._events.get_nowait()
            try:
                await self._handle(event)
            finally:
                self._events.task_done()

    async def _handle(self, event: Event) -> None:
        name = type(event).__name__
        for attempt in range(self.retries + 1):
            try:
                await self.relay.on_event(event)
                return
            except Exception as error:
                if not transient(error) or attempt == self.retries:
                    log.exception("Slack: could not show %s in the queue channel", name)
                    return
                delay = min(self.backoff * 2**attempt, MAX_BACKOFF)
                log.warning("Slack: %s failed (%s); retrying in %.0f s", name, error, delay)
                await asyncio.sleep(delay)


def transient(error: BaseException) -> bool:
    """A failure that waiting may cure: no connection, Slack's 5xx, a rate limit."""
    if isinstance(error, SlackApiError):
        status = int(error.response.status_code)
        return status >= 500 or status == 429
    return isinstance(error, FAILURES)
