"""Opening a conversation (playbook A1-A4): greet, say we are a bot, learn name and request."""

from __future__ import annotations

from bot.conversation import Conversation, Stage
from bot.core import Context
from bot.handlers.faq import answer_question
from bot.handlers.language import follow_language, requested_language
from bot.handlers.names import answered_name, says_something, volunteered_name
from bot.handlers.tickets_flow import hand_over
from bot.models import Reply, Role


async def greet(ctx: Context) -> list[Reply]:
    """First contact: a positive greeting that says it is a bot, then name or request (A1)."""
    conv = ctx.conv()
    greeting = opening(ctx)
    language = ctx.services.catalog.language(ctx.language)
    text = ctx.incoming.text
    if says_something(text, language) and not requested_language(text, ctx.services.catalog):
        conv.topic = text
    return [greeting, *await _next_question(ctx, conv)]


def opening(ctx: Context) -> Reply:
    """The greeting (A1) in the customer's language, with their name if they gave it (A2)."""
    conv = ctx.conv()
    follow_language(ctx)
    if not conv.name:
        conv.name = volunteered_name(ctx.incoming.text, ctx.services.catalog.language(ctx.language))
    return Reply(ctx.t("greet_named", name=conv.name) if conv.name else ctx.t("greet_anonymous"))


async def switch_language(ctx: Context) -> list[Reply]:
    """Continue in the language the customer asked for; a first message is greeted in it."""
    conv = ctx.conv()
    conv.language = requested_language(ctx.incoming.text, ctx.services.catalog) or conv.language
    if conv.stage is Stage.NEW:
        return await greet(ctx)
    return [Reply(ctx.t("language_switched"))]


async def take_name(ctx: Context) -> list[Reply]:
    """The customer answered (or ignored) our question for their name."""
    conv = ctx.conv()
    language = ctx.services.catalog.language(ctx.language)
    text = ctx.incoming.text
    conv.name = answered_name(text, language)
    if not conv.topic and says_something(text, language) and not conv.name:
        follow_language(ctx)
        conv.topic = text
    thanks = ctx.t("name_thanks", name=conv.name) if conv.name else ctx.t("name_skipped")
    return _joined(thanks, await _next_question(ctx, conv))


async def take_topic(ctx: Context) -> list[Reply]:
    """The customer is telling us what the request is about."""
    conv = ctx.conv()
    follow_language(ctx)
    if not says_something(ctx.incoming.text, ctx.services.catalog.language(ctx.language)):
        return [Reply(ctx.t("ask_topic_again"))]
    conv.topic = ctx.incoming.text
    return await _next_question(ctx, conv)


async def next_question(ctx: Context) -> list[Reply]:
    """A new question while the bot is answering from the knowledge base."""
    return await answer_question(ctx, ctx.incoming.text)


async def add_to_request(ctx: Context) -> list[Reply]:
    """A further message while waiting for a person: acknowledge once, stay quiet while a
    person or our acknowledgement already has the floor (B1: let the customer finish)."""
    conv = ctx.conv()
    if not conv.ticket:  # still choosing the team: never leave them without a ticket
        return await hand_over(ctx, "the customer wrote while choosing the team")
    recent = await ctx.services.transcript.after(conv.key, max(0, conv.last_seq - 50))
    last_other = next((m for m in reversed(recent) if m.role is not Role.CUSTOMER), None)
    ack = ctx.t("ticket_has_it", ticket=conv.ticket) if conv.ticket else ctx.t("added_to_request")
    if last_other and (last_other.role is Role.STAFF or last_other.text == ack):
        return []
    return [Reply(ack)]


async def _next_question(ctx: Context, conv: Conversation) -> list[Reply]:
    if not conv.name and conv.stage is Stage.NEW:
        conv.stage = Stage.ASK_NAME
        return [Reply(ctx.t("ask_name"))]
    if not conv.topic:
        conv.stage = Stage.ASK_TOPIC
        named = ctx.t("ask_topic_named", name=conv.name)
        return [Reply(named if conv.name else ctx.t("ask_topic_anonymous"))]
    conv.stage = Stage.OPEN
    return await answer_question(ctx, conv.topic)


def _joined(first: str, rest: list[Reply]) -> list[Reply]:
    """Put a short lead-in and the next question into one message: short replies (A4)."""
    if not rest:
        return [Reply(first)]
    return [Reply(f"{first} {rest[0].text}", rest[0].buttons), *rest[1:]]
