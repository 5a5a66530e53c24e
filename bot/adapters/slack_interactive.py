"""Slash commands and button clicks: acknowledged at once, then run; staff see answers privately."""

from __future__ import annotations

import logging
from collections.abc import Sequence
from typing import Any

from slack_bolt.context.ack.async_ack import AsyncAck
from slack_bolt.context.respond.async_respond import AsyncRespond

from bot.adapters.slack_blocks import STAFF, answered, to_blocks
from bot.adapters.slack_chat import FAILURES
from bot.adapters.slack_events import Click, click, to_click, to_command, to_staff_click
from bot.adapters.slack_inbound import Messages, Parts
from bot.models import Person, Reply

log = logging.getLogger(__name__)


class Interactions:
    """`/support <command>` and clicks. Staff buttons (cards, command answers) are commands;
    a customer's buttons answer their conversation, and only that customer may click them."""

    def __init__(self, parts: Parts, messages: Messages) -> None:
        self.parts, self.messages = parts, messages

    async def on_command(
        self, ack: AsyncAck, body: dict[str, Any], respond: AsyncRespond | None
    ) -> None:
        await ack()  # within Slack's 3 s, before any work
        user, channel = str(body.get("user_id", "")), str(body.get("channel_id", ""))
        sender = await self.parts.people.person(user, staff=True)
        replies = await self.parts.bot.dispatch(to_command(sender, channel, body.get("text", "")))
        await self.show(replies, channel, user, respond)

    async def on_action(
        self, ack: AsyncAck, body: dict[str, Any], respond: AsyncRespond | None
    ) -> None:
        await ack()
        found = click(body)
        if found is None:
            return
        if found.kind == STAFF:
            sender = await self.parts.people.person(found.user, staff=True)
            replies = await self.parts.bot.dispatch(to_staff_click(found, sender))
            await self.show(replies, found.channel, found.user, respond)
        else:
            await self._answer(found, body, respond)

    async def show(
        self, replies: Sequence[Reply], channel: str, user: str, respond: AsyncRespond | None
    ) -> None:
        """Replies as one message only `user` sees: through the response URL when there is
        one, else chat.postEphemeral."""
        if not replies:
            return
        buttons = tuple(b for r in replies for b in r.buttons)
        text = self.parts.for_staff("\n\n".join(r.text for r in replies))
        joined = Reply(text, buttons)
        message = to_blocks(joined, STAFF)
        if respond is not None and await _responded(respond, message):
            return
        try:
            await self.parts.client.chat_postEphemeral(channel=channel, user=user, **message)
        except FAILURES as error:
            log.error("Slack: could not answer %s privately: %s", user, error)

    async def _answer(
        self, found: Click, body: dict[str, Any], respond: AsyncRespond | None
    ) -> None:
        services = self.parts.bot.services
        address = await self.messages.address_of(found.channel, found.root)
        conv = await services.conversations.get(address.key)
        if conv is not None and conv.customer.id != found.user:
            name = conv.name or conv.customer.name or conv.ref
            text = services.catalog.text(conv.language, "buttons_not_yours", name=name)
            await self.show([Reply(text)], found.channel, found.user, respond)
            return
        sender = await self.parts.people.person(found.user)
        await self._after_waiting_words(found, sender)
        replies = await self.parts.bot.dispatch(to_click(found, sender, address))
        await self._close_question(found, body)
        await self.messages.deliver(address, replies)

    async def _after_waiting_words(self, found: Click, sender: Person) -> None:
        """What the customer wrote just before clicking is answered first."""
        window = self.messages.window
        await window.flush(self.messages.window_key(found.channel, "", sender))
        await window.flush(self.messages.window_key(found.channel, found.root, sender))

    async def _close_question(self, found: Click, body: dict[str, Any]) -> None:
        """The clicked message loses its buttons and shows the choice."""
        message = body.get("message") or {}
        if not message.get("blocks") or not found.message_ts:
            return
        blocks = answered(list(message["blocks"]), found.label)
        try:
            text = str(message.get("text", ""))
            await self.parts.client.chat_update(
                channel=found.channel, ts=found.message_ts, blocks=blocks, text=text
            )
        except FAILURES as error:
            log.warning("Slack: could not close the question %s: %s", found.message_ts, error)


async def _responded(respond: AsyncRespond, message: dict[str, Any]) -> bool:
    try:
        answer = await respond(**message, response_type="ephemeral", replace_original=False)
    except FAILURES as error:
        log.warning("Slack: response URL failed (%s); posting ephemerally instead", error)
        return False
    return answer.status_code == 200
