"""Opening a conversation (playbook A1-A4): greet, say we are a bot, learn name and request."""

from __future__ import annotations

from bot.conversation import Conversation, Stage
from bot.core import Context
from bot.handlers.faq import answer_question
from bot.handlers.language import follow_language, requested_language
from bot.handlers.names import answered_name, says_something, volunteered_name, without_name
from bot.models import Reply


async def greet(ctx: Context) -> list[Reply]:
    """First contact: a positive greeting that says it is a bot, then name or request (A1)."""
    conv = ctx.conv()
    greeting = opening(ctx)
    text = ctx.incoming.text
    if _is_request(ctx) and not requested_language(text, ctx.services.catalog):
        set_topic(conv, text)
    return [greeting, *await _next_question(ctx, conv)]


def opening(ctx: Context) -> Reply:
    """The greeting (A1) in the customer's language, with their name if they gave it (A2).
    Neutral at any hour: we do not know the customer's time of day."""
    conv = ctx.conv()
    follow_language(ctx)
    if not conv.name:
        conv.name = volunteered_name(ctx.incoming.text, ctx.services.catalog.language(ctx.language))
    return Reply(ctx.t("greet_named", name=conv.name) if conv.name else ctx.t("greet_anonymous"))


async def switch_language(ctx: Context) -> list[Reply]:
    """Continue in the language the customer asked for; a first message is greeted in it."""
    conv = ctx.conv()
    conv.language = requested_language(ctx.incoming.text, ctx.services.catalog) or conv.language
    conv.language_settled = True
    if conv.stage is Stage.NEW:
        return await greet(ctx)
    return [Reply(ctx.t("language_switched"))]


async def take_name(ctx: Context) -> list[Reply]:
    """The customer answered (or ignored) our question for their name."""
    conv = ctx.conv()
    text = ctx.incoming.text
    follow_language(ctx)
    language = ctx.services.catalog.language(ctx.language)
    conv.name = answered_name(text, language) or volunteered_name(text, language)
    if not conv.topic and says_something(without_name(text, conv.name), language):
        set_topic(conv, text)
    thanks = ctx.t("name_thanks", name=conv.name) if conv.name else ctx.t("name_skipped")
    return _joined(thanks, await _next_question(ctx, conv, named=False))


async def take_topic(ctx: Context) -> list[Reply]:
    """The customer is telling us what the request is about."""
    conv = ctx.conv()
    follow_language(ctx)
    language = ctx.services.catalog.language(ctx.language)
    if not conv.name:
        conv.name = volunteered_name(ctx.incoming.text, language)
    if not _is_request(ctx):
        return [Reply(ctx.t("ask_topic_again"))]
    set_topic(conv, ctx.incoming.text)
    return await _next_question(ctx, conv)


async def next_question(ctx: Context) -> list[Reply]:
    """A new question while the bot is answering from the knowledge base: it is the topic of
    whatever request follows (each request in a long-lived chat has its own)."""
    conv = ctx.conv()
    follow_language(ctx)
    if not conv.ticket and _is_request(ctx):
        set_topic(conv, ctx.incoming.text)
    return await answer_question(ctx, ctx.incoming.text)


def set_topic(conv: Conversation, text: str) -> None:
    """What the request is about, and where in the transcript it starts."""
    conv.topic, conv.topic_seq = text, conv.last_seq


def _is_request(ctx: Context) -> bool:
    return says_something(ctx.incoming.text, ctx.services.catalog.language(ctx.language))


async def _next_question(ctx: Context, conv: Conversation, named: bool = True) -> list[Reply]:
    if not conv.name and conv.stage is Stage.NEW:
        conv.stage = Stage.ASK_NAME
        return [Reply(ctx.t("ask_name"))]
    if not conv.topic:
        conv.stage = Stage.ASK_TOPIC
        if named and conv.name:
            return [Reply(ctx.t("ask_topic_named", name=conv.name))]
        return [Reply(ctx.t("ask_topic_anonymous"))]  # the name once a message is enough
    conv.stage = Stage.OPEN
    return await answer_question(ctx, conv.topic)


def _joined(first: str, rest: list[Reply]) -> list[Reply]:
    """Put a short lead-in and the next question into one message: short replies (A4)."""
    if not rest:
        return [Reply(first)]
    return [Reply(f"{first} {rest[0].text}", rest[0].buttons), *rest[1:]]
