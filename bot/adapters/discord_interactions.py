"""Slash commands and button clicks: deferred at once (Discord's 3 s), then run; staff see
their answers privately; a customer's buttons answer their own conversation only."""

from __future__ import annotations

import logging
from collections.abc import Coroutine, Sequence
from dataclasses import replace
from typing import Any

import discord
from discord.utils import MISSING

from bot.adapters.discord_chat import FAILURES
from bot.adapters.discord_embeds import NOBODY, joined, reply_parts
from bot.adapters.discord_events import (
    person_of,
    staff_address,
    to_click,
    to_command,
    to_staff_click,
)
from bot.adapters.discord_inbound import Messages, Parts
from bot.adapters.discord_views import STAFF, Pressed, answered_view, view_of
from bot.adapters.discord_welcome import Welcome, phrase
from bot.adapters.quiet_window import window_key
from bot.models import Address, Reply
from bot.seen import Seen

log = logging.getLogger("supportbot.discord")


class Interactions:
    """`/support <command>`, every button of ours, and (through Welcome) `/help` and the
    panel's "Get help"."""

    def __init__(self, parts: Parts, messages: Messages, seen: Seen) -> None:
        self.parts, self.messages, self.seen = parts, messages, seen
        self.welcome = Welcome(parts)

    async def on_command(
        self, interaction: discord.Interaction, name: str, args: str | None
    ) -> None:
        if not self.seen.first_time(interaction.id):
            return
        await interaction.response.defer(ephemeral=True, thinking=True)
        self._saw(interaction)
        incoming = to_command(person_of(interaction.user), _staff_place(interaction), name, args)
        await self._answer_privately(interaction, await self.parts.bot.dispatch(incoming))

    async def on_button(self, interaction: discord.Interaction, custom_id: str, label: str) -> None:
        """A click on a button of a reply or card (discord_views)."""
        await _guarded(interaction, self._button(interaction, custom_id, label))

    async def on_help(self, interaction: discord.Interaction, question: str | None = None) -> None:
        """The panel's button or `/help [question]`."""
        if self.seen.first_time(interaction.id):
            self._saw(interaction)
            await _guarded(interaction, self.welcome.open(interaction, question))

    def _saw(self, interaction: discord.Interaction) -> None:
        """Interactions carry the user's client language; their DMs do not: remember it."""
        self.parts.locales.saw(str(interaction.user.id), str(interaction.locale.value))

    async def _button(self, interaction: discord.Interaction, custom_id: str, label: str) -> None:
        if not self.seen.first_time(interaction.id):
            return
        self._saw(interaction)
        pressed = await self.parts.outbox.stash.pressed(custom_id)
        if pressed is None:
            await interaction.response.send_message(
                phrase(self.parts, interaction, "stale_button"), ephemeral=True
            )
        elif pressed.kind == STAFF:
            await interaction.response.defer(ephemeral=True, thinking=True)
            incoming = to_staff_click(
                person_of(interaction.user), _staff_place(interaction), pressed
            )
            await self._answer_privately(interaction, await self.parts.bot.dispatch(incoming))
        else:
            await interaction.response.defer()  # the clicked message is updated below
            await self._customer_click(interaction, pressed, label)

    async def _customer_click(
        self, interaction: discord.Interaction, pressed: Pressed, label: str
    ) -> None:
        channel, parent = _place(interaction)
        address = await self.messages.address_at(channel, parent)
        services = self.parts.bot.services
        conv = await services.conversations.get(address.key)
        sender = person_of(interaction.user)
        if conv is not None and conv.customer.id != sender.id:
            name = conv.name or conv.customer.name or conv.ref
            text = services.catalog.text(conv.language, "buttons_not_yours", name=name)
            await interaction.followup.send(text, ephemeral=True)
            return
        await self.messages.window.flush(window_key(address, sender))  # earlier words first
        replies = await self.parts.bot.dispatch(to_click(sender, address, pressed, label))
        try:
            await interaction.edit_original_response(view=answered_view(label))
        except FAILURES as error:
            log.warning("Discord: could not close the question %s: %s", interaction.message, error)
        await self.parts.chat.deliver(address, replies)

    async def _answer_privately(
        self, interaction: discord.Interaction, replies: Sequence[Reply]
    ) -> None:
        """All replies as one private answer: the deferred response, then followups."""
        reply = joined(replies) if replies else Reply("✓")
        reply = replace(reply, text=self.parts.for_staff(reply.text))
        parts = reply_parts(reply) or ["✓"]
        view = await view_of(reply.buttons, STAFF, self.parts.outbox.stash)
        try:
            for number, part in enumerate(parts, 1):
                await self._private(
                    interaction, number, part, view if number == len(parts) else None
                )
        except FAILURES as error:
            log.error("Discord: could not answer %s privately: %s", interaction.user.id, error)

    async def _private(
        self, interaction: discord.Interaction, number: int, text: str, view: discord.ui.View | None
    ) -> None:
        """The first part replaces the "thinking..." response; the others follow it."""
        buttons = view if view is not None else MISSING  # MISSING: leave the message as it is
        if number == 1:
            await interaction.edit_original_response(
                content=text, allowed_mentions=NOBODY, view=buttons
            )
        else:
            await interaction.followup.send(
                text, ephemeral=True, allowed_mentions=NOBODY, view=buttons
            )


async def _guarded(interaction: discord.Interaction, work: Coroutine[Any, Any, None]) -> None:
    """Run the work; if it fails, log it and tell the user rather than leave them waiting."""
    try:
        await work
    except Exception:
        log.exception("Discord: interaction %s failed", interaction.id)
        await sorry(interaction)


async def sorry(interaction: discord.Interaction) -> None:
    """A private "that did not work", whether or not the interaction was answered yet."""
    text = "Sorry, that did not work. Please try again in a moment."
    try:
        if interaction.response.is_done():
            await interaction.followup.send(text, ephemeral=True)
        else:
            await interaction.response.send_message(text, ephemeral=True)
    except FAILURES as error:
        log.warning("Discord: could not tell %s: %s", interaction.user.id, error)


def _place(interaction: discord.Interaction) -> tuple[str, str]:
    """(channel, the channel around it if it is a thread)."""
    channel = interaction.channel
    parent = channel.parent_id if isinstance(channel, discord.Thread) else None
    return str(interaction.channel_id or ""), str(parent or "")


def _staff_place(interaction: discord.Interaction) -> Address:
    channel, parent = _place(interaction)
    return staff_address(channel, parent or None)
