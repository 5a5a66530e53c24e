"""Replies and ticket cards as Discord messages: parts within the limits, cards as embeds."""

from __future__ import annotations

from collections.abc import Sequence

import discord

from bot.adapters.discord_text import MESSAGE_CHARS, bold, inert, split_message
from bot.cards import Card
from bot.models import Reply

TITLE_CHARS, DESCRIPTION_CHARS, FIELD_NAME_CHARS, FIELD_CHARS, FIELDS = 256, 4096, 256, 1024, 25
WAITING, TAKEN, CLOSED = 0xE67E22, 0x3498DB, 0x95A5A6
NOBODY = discord.AllowedMentions.none()  # nothing the bot relays or says may ping anyone


def reply_parts(reply: Reply, limit: int = MESSAGE_CHARS) -> list[str]:
    """A reply's text (after its author in bold) in parts Discord accepts, in order."""
    text = f"{bold(reply.author)}\n{reply.text}" if reply.author else reply.text
    return split_message(text, limit)


def joined(replies: Sequence[Reply]) -> Reply:
    """Several replies as one (a staff member's private answer): texts, then all buttons."""
    buttons = tuple(b for r in replies for b in r.buttons)
    return Reply("\n\n".join(r.text for r in replies if r.text), buttons)


def relayed_text(author: str, text: str) -> list[str]:
    """Someone's words relayed into a thread, in parts, under their name, shown as typed:
    no masked link, heading or mention of theirs renders (`inert`)."""
    return split_message(f"{bold(author or '?')}\n{inert(text)}")


def card_embed(card: Card) -> discord.Embed:
    """The card: title, the customer's topic, the facts, all shown as typed (`inert`); its
    colour follows the status."""
    colour = CLOSED if card.closed else WAITING if card.buttons else TAKEN
    embed = discord.Embed(
        title=_within(inert(card.title), TITLE_CHARS),
        description=_within(inert(card.topic), DESCRIPTION_CHARS) or None,
        colour=colour,
    )
    for name, value in card.fields[:FIELDS]:
        embed.add_field(
            name=_within(inert(name), FIELD_NAME_CHARS) or "-",
            value=_within(inert(value), FIELD_CHARS) or "-",
            inline=True,
        )
    return embed


def _within(text: str, limit: int) -> str:
    return text if len(text) <= limit else text[: limit - 1] + "…"
