"""Posting to a customer outside a reply: staff messages, claim notices, queue updates."""

from __future__ import annotations

import logging

from bot.conversation import Conversation
from bot.core import Services
from bot.models import Button, Reply, Role
from bot.tickets.model import Ticket

log = logging.getLogger(__name__)
Choices = tuple[tuple[str, str], ...]  # (catalog key of the label, action)


async def post(
    services: Services, conv: Conversation, reply: Reply, role: Role, author: str
) -> str:
    """Record `reply` in the transcript, then deliver it; "" or why delivery failed.

    The caller holds the conversation's lock (Conversations.locked)."""
    await services.transcript.record(conv, role, author, reply)
    chat = services.chats.get(conv.address.platform)
    if chat is None:
        return "that platform is not connected"
    try:
        await chat.send(conv.address, reply)
    except Exception as error:  # any platform failure: the message is saved, the sender is told
        log.exception("delivery to %s failed", conv.address.key)
        return str(error) or type(error).__name__
    return ""


async def post_to(services: Services, key: str, reply: Reply, role: Role, author: str) -> str:
    """`post` to the conversation with this key, taking its lock."""
    async with services.conversations.locked(key) as conv:
        if conv is None:
            return "the conversation no longer exists"
        return await post(services, conv, reply, role, author)


async def tell_customer(services: Services, key: str, phrase: str, **values: object) -> str:
    """A bot phrase in the conversation's own language, posted out of band."""
    return await _say(services, key, phrase, (), "", values)


async def ask_customer(
    services: Services, ticket: Ticket, phrase: str, buttons: Choices, **values: object
) -> str:
    """A question with buttons (label phrase, action) about `ticket`, in the customer's language."""
    return await _say(services, ticket.conversation, phrase, buttons, ticket.id, values)


async def _say(
    services: Services,
    key: str,
    phrase: str,
    buttons: Choices,
    value: str,
    values: dict[str, object],
) -> str:
    async with services.conversations.locked(key) as conv:
        if conv is None:
            return "the conversation no longer exists"
        text = services.catalog.text(
            conv.language, phrase, company=services.settings.company, **values
        )
        shown = tuple(
            Button(services.catalog.text(conv.language, label), action, value)
            for label, action in buttons
        )
        author = services.catalog.text(conv.language, "bot_author")
        return await post(services, conv, Reply(text, shown), Role.BOT, author)
