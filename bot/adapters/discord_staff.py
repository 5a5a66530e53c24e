"""The staff side on Discord: cards in queue channels with a thread each, notices, and the
queue that hands the relay its events off the customer's path."""

from __future__ import annotations

import asyncio

import discord

from bot.adapters.discord_chat import FAILURES, THREAD_ARCHIVE_MINUTES, DiscordUnavailable, Outbox
from bot.adapters.discord_embeds import NOBODY, card_embed, relayed_text
from bot.adapters.discord_events import PLATFORM
from bot.adapters.discord_text import split_message
from bot.adapters.discord_views import STAFF, view_of
from bot.cards import Card
from bot.staff_relay import CardPlace

THREAD_NAME_CHARS = 100


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


def transient(error: BaseException) -> bool:
    """A failure that waiting may cure: not connected, no network, Discord's 5xx."""
    if isinstance(error, discord.HTTPException):
        return error.status >= 500 or error.status == 429
    return isinstance(error, DiscordUnavailable | OSError | asyncio.TimeoutError) or (
        isinstance(error, FAILURES) and not isinstance(error, discord.DiscordException)
    )
