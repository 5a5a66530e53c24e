"""The customer side of the web chat's JSON API and its WebSocket."""

from __future__ import annotations

import secrets
from dataclasses import asdict
from typing import Any

from aiohttp import web

from bot.adapters.web_access import check_token, new_token, presented_token, set_cookie
from bot.adapters.web_guard import check_post
from bot.adapters.web_hub import Hub, message_json
from bot.adapters.web_json import after_param, object_field, phrase_error, read_object, text_field
from bot.adapters.web_languages import LANGUAGE, request_locales
from bot.core import Bot
from bot.models import Address, Incoming, Person, Reply

BOT: web.AppKey[Bot] = web.AppKey("bot", Bot)
HUB: web.AppKey[Hub] = web.AppKey("hub", Hub)
PLATFORM = "web"


async def post_message(request: web.Request) -> web.Response:
    body = await read_object(request)
    bot = request.app[BOT]
    conversation, person = await _conversation_and_person(request, body)
    text = text_field(body, "text", bot.services.settings.max_message_chars)
    is_new = body.get("conversation") is None
    await check_post(request, None if is_new else Address(PLATFORM, conversation).key)
    locales = request_locales(request, body.get("locales"))
    event = Incoming.message(person, Address(PLATFORM, conversation), text, locales)
    replies = await bot.dispatch(event)
    if not is_new:
        return await _replies(request, conversation, replies)
    token = await _issue_token(bot, Address(PLATFORM, conversation).key)
    response = await _replies(request, conversation, replies, {"customer_token": token})
    set_cookie(request, response, token)
    return response


async def _issue_token(bot: Bot, key: str) -> str:
    """The new conversation's token; only its digest is stored, so the token is told once."""
    token, digest = new_token()
    async with bot.services.conversations.locked(key) as found:
        if found is not None:
            found.access_hash = digest
    return token


async def post_action(request: web.Request) -> web.Response:
    body = await read_object(request)
    action = text_field(body, "action", 100)
    value = text_field(body, "value", 500, required=False)
    label = text_field(body, "label", 200, required=False)
    conversation, person = await _conversation_and_person(request, body, must_exist=True)
    await check_post(request, Address(PLATFORM, conversation).key)
    event = Incoming.click(person, Address(PLATFORM, conversation), action, value, label)
    return await _replies(request, conversation, await request.app[BOT].dispatch(event))


async def get_messages(request: web.Request) -> web.Response:
    conversation = request.match_info["conversation"]
    key = await _existing_key(request, conversation)
    messages = await request.app[BOT].services.transcript.after(key, after_param(request))
    return web.json_response(
        {
            "conversation": conversation,
            "language": request[LANGUAGE],
            "messages": [message_json(m) for m in messages],
        }
    )


async def open_socket(request: web.Request) -> web.WebSocketResponse:
    token = presented_token(request, query_allowed=True)
    key = await _existing_key(request, request.match_info["conversation"], token=token)
    socket = web.WebSocketResponse(heartbeat=30)
    await socket.prepare(request)
    hub = request.app[HUB]
    hub.customers[key].add(socket)
    try:
        async for _ in socket:
            pass  # the customer socket only receives; sending goes through POST
    finally:
        hub.customers[key].discard(socket)
        if not hub.customers[key]:
            del hub.customers[key]
    return socket


async def _conversation_and_person(
    request: web.Request, body: dict[str, Any], must_exist: bool = False
) -> tuple[str, Person]:
    user = object_field(body, "user")
    person = Person(PLATFORM, text_field(user, "id", 100), text_field(user, "name", 100, False))
    conversation = body.get("conversation")
    if conversation is None and not must_exist:
        return secrets.token_urlsafe(18), person
    if not isinstance(conversation, str):
        raise phrase_error(400, "api_text_required", field="conversation")
    await _existing_key(request, conversation, owner=person)
    return conversation, person


async def _existing_key(
    request: web.Request, conversation: str, owner: Person | None = None, token: str | None = None
) -> str:
    """The stored conversation's key, if the request holds its token (and `owner` is its
    customer); else 401, 403 or 404."""
    token = presented_token(request) if token is None else token
    key = Address(PLATFORM, conversation).key
    found = await request.app[BOT].services.conversations.get(key) if len(key) < 200 else None
    if found is None:
        raise phrase_error(404, "api_unknown_conversation")
    check_token(request, found, token)  # refused in the reader's language, not the chat's
    request[LANGUAGE] = found.language
    if owner is not None and found.customer.id != owner.id:
        raise phrase_error(403, "api_not_yours")
    return key


async def _replies(
    request: web.Request,
    conversation: str,
    replies: list[Reply],
    extra: dict[str, str] | None = None,
) -> web.Response:
    """The bot's answers, with the conversation's language as it now stands (the page follows
    it)."""
    items = [
        {"seq": r.seq, "text": r.text, "buttons": [asdict(b) for b in r.buttons]} for r in replies
    ]
    services = request.app[BOT].services
    found = await services.conversations.get(Address(PLATFORM, conversation).key)
    # No conversation yet (a first message refused as empty): the language it was answered in.
    language = (
        found.language if found else request.get(LANGUAGE) or services.settings.default_language
    )
    body = {"conversation": conversation, "language": language, "replies": items}
    return web.json_response(body | (extra or {}))
