"""The customer page in the visitor's language: its texts (`GET /api/chat/page`) and the
API's error phrases, from the conversation's language once there is one, else from the
languages the browser prefers, else the configured default."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from aiohttp import web

from bot.adapters.web_access import opens, presented_token
from bot.adapters.web_customer import BOT
from bot.adapters.web_languages import LANGUAGE, reader_language, request_locales
from bot.core import Bot
from bot.l10n import cldr_locale, number_in
from bot.models import Address

PAGE_PREFIX = "page_"


def language_of(request: web.Request, sent: Any = None) -> str:
    """The language to answer this request in."""
    if LANGUAGE in request:
        return request[LANGUAGE]
    bot: Bot = request.app[BOT]
    locales = request_locales(request, sent)
    return reader_language(bot.services.catalog, locales, bot.services.settings.default_language)


def render_phrase(request: web.Request, key: str, values: Mapping[str, Any]) -> str:
    """A catalog phrase for an API error, numbers grouped the reader's way."""
    catalog = request.app[BOT].services.catalog
    shown = {k: number_in(v) if isinstance(v, int) else v for k, v in values.items()}
    return catalog.text(language_of(request), key, **shown)


async def get_page_texts(request: web.Request) -> web.Response:
    """`?languages=de-AT,de` (the browser's `navigator.languages`) or `?conversation=<id>`
    (followed only with that conversation's customer token)."""
    bot = request.app[BOT]
    await _conversation_language(request)
    language = language_of(request, request.query.get("languages", ""))
    catalog, company = bot.services.catalog, bot.services.settings.company
    english = catalog.languages["en"].phrases
    limit = number_in(bot.services.settings.max_message_chars)
    texts = {
        key.removeprefix(PAGE_PREFIX): catalog.text(language, key, company=company, max=limit)
        for key in english
        if key.startswith(PAGE_PREFIX)
    }
    tag = str(cldr_locale(catalog.language(language).locale)).replace("_", "-")
    return web.json_response(
        {"language": language, "locale": tag, "company": company, "texts": texts}
    )


async def _conversation_language(request: web.Request) -> None:
    conversation = request.query.get("conversation", "")
    if not conversation or len(conversation) > 200:
        return
    found = await request.app[BOT].services.conversations.get(Address("web", conversation).key)
    if found is not None and opens(found, presented_token(request)):
        request[LANGUAGE] = found.language
