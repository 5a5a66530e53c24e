"""The staff side on Discord: cards in queue channels with a thread each, notices, and the
queue that hands the relay its events off the customer's path."""

from __future__ import annotations

import asyncio
import logging

import discord

from bot.adapters.discord_chat import FAILURES, THREAD_ARCHIVE_MINUTES, DiscordUnavailable, Outbox
from bot.adapters.discord_embeds import NOBODY, card_embed, relayed_text
from bot.adapters.discord_events import PLATFORM
from bot.adapters.discord_text import split_message
from bot.adapters.discord_views import STAFF, view_of
from bot.cards import Card
from bot.events import Event
from bot.staff_relay import CardPlace, StaffRelay

log = logging.getLogger("supportbot.discord")
THREAD_NAME_CHARS = 100
MAX_BACKOFF = 60.0


class DiscordStaffSide:
    """The StaffSide port: an embed with a Claim button per ticket, a public thread on it for
    the staff side of the conversation, notices by DM or in the queue channel."""

    platform = PLATFORM

    def __init__(self, outbox: Outbox) -> None:
        self.outbox = outbox

    async def post_card(self, channel: str, card: Card) -> tuple[str, str]:
        queue = await self.outbox.channel(channel)
        if not isinstance(queue, discord.TextChannel):
            raise ValueError(f"Discord queue channel {channel} is not a text channel")
        view = await view_of(card.buttons, STAFF, self.outbox.stash, primary=True)
        embed = card_embed(card)
        if view is None:
            message = await queue.send(embed=embed, allowed_mentions=NOBODY)
        else:
            message = await queue.send(embed=embed, view=view, allowed_mentions=NOBODY)
        name = f"{card.ticket} · {card.topic}" if card.topic else card.ticket
        thread = await message.create_thread(
            name=name[:THREAD_NAME_CHARS], auto_archive_duration=THREAD_ARCHIVE_MINUTES
        )
        return str(message.id), str(thread.id)

    async def update_card(self, place: CardPlace, card: Card) -> None:
        """The embed follows the ticket; the Claim button goes once someone has it."""
        message = self.outbox.to(place.channel).get_partial_message(int(place.message))
        view = await view_of(card.buttons, STAFF, self.outbox.stash, primary=True)
        await message.edit(embed=card_embed(card), view=view)

    async def post_in_thread(self, place: CardPlace, author: str, text: str) -> None:
        await self.outbox.post_text(self.outbox.to(place.thread), relayed_text(author, text))

    async def notify(self, account: str, text: str) -> None:
        if not account.isdigit():
            raise ValueError(f"Discord account {account!r} is not a user id")
        dm = await self.outbox.current().create_dm(discord.Object(int(account)))
        await self.outbox.post_text(dm, split_message(text))

    async def post_to_channel(self, channel: str, text: str) -> None:
        await self.outbox.post_text(self.outbox.to(channel), split_message(text))


class RelayQueue:
    """Hands core events to the staff relay in order, off the core's path: a slow or
    rate-limited Discord never delays a customer's answer; an outage is retried."""

    def __init__(self, relay: StaffRelay, backoff: float = 1.0, retries: int = 8) -> None:
        self.relay, self.backoff, self.retries = relay, backoff, retries
        self._events: asyncio.Queue[Event] = asyncio.Queue()
        self._task: asyncio.Task[None] | None = None

    async def put(self, event: Event) -> None:
        """The event bus listener."""
        self._events.put_nowait(event)
        if self._task is None or self._task.done():
            self._task = asyncio.create_task(self._drain(), name="discord-relay")

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
                    log.exception("Discord: could not show %s to staff", name)
                    return
                delay = min(self.backoff * 2**attempt, MAX_BACKOFF)
                log.warning("Discord: %s failed (%s); retrying in %.0f s", name, error, delay)
                await asyncio.sleep(delay)


def transient(error: BaseException) -> bool:
    """A failure that waiting may cure: not connected, no network, Discord's 5xx."""
    if isinstance(error, discord.HTTPException):
        return error.status >= 500 or error.status == 429
    return isinstance(error, DiscordUnavailable | OSError | asyncio.TimeoutError) or (
        isinstance(error, FAILURES) and not isinstance(error, discord.DiscordException)
    )
