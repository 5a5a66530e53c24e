"""The staff side of the web chat: token login, conversations, commands, live updates."""

from __future__ import annotations

from dataclasses import asdict

from aiohttp import web

from bot.adapters.web_customer import BOT, HUB
from bot.adapters.web_guard import check_staff_login, note_failed_login
from bot.adapters.web_hub import conversation_json, message_json
from bot.adapters.web_json import after_param, error, read_object, text_field
from bot.models import Address, Incoming, Person, Reply
from bot.staff import StaffMember

STAFF_PLATFORM = "web"


async def staff_member(request: web.Request, token: str | None = None) -> StaffMember:
    """The staff member whose token came with the request, or a 401; an address that sent
    too many wrong tokens gets 429 with Retry-After until it may try again."""
    await check_staff_login(request)
    if token is None:
        scheme, _, token = request.headers.get("Authorization", "").partition(" ")
        token = token.strip() if scheme.lower() == "bearer" else ""
    member = await request.app[BOT].services.staff.by_token(token) if token else None
    if member is None:
        await note_failed_login(request)
        raise error(401, "A valid staff token is required (Authorization: Bearer <token>).")
    return member


async def get_me(request: web.Request) -> web.Response:
    member = await staff_member(request)
    return web.json_response({"id": member.id, "name": member.name})


async def get_conversations(request: web.Request) -> web.Response:
    await staff_member(request)
    services = request.app[BOT].services
    conversations = await services.conversations.open_ones()
    listed = [conversation_json(conv, services.staff_names) for conv in conversations]
    return web.json_response({"conversations": listed})


async def get_conversation_messages(request: web.Request) -> web.Response:
    await staff_member(request)
    services = request.app[BOT].services
    conv = await services.conversations.by_ref(request.match_info["ref"])
    if conv is None:
        raise error(404, "Unknown conversation.")
    messages = await services.transcript.after(conv.key, after_param(request))
    authored = services.staff_names.authored(conv, messages)  # the first line has one too
    return web.json_response(
        {"conversation": conv.ref, "messages": list(map(message_json, authored))}
    )


async def post_command(request: web.Request) -> web.Response:
    member = await staff_member(request)
    body = await read_object(request)
    name = text_field(body, "command", 40).strip().lstrip("/").lower()
    text = text_field(body, "text", request.app[BOT].services.settings.max_message_chars, False)
    event = Incoming.slash(member.person(STAFF_PLATFORM), _desk(member), name, text)
    return _replies(await request.app[BOT].dispatch(event))


async def post_action(request: web.Request) -> web.Response:
    member = await staff_member(request)
    body = await read_object(request)
    action, value = text_field(body, "action", 100), text_field(body, "value", 500, False)
    person = member.person(STAFF_PLATFORM)
    if "conversation" in body:  # a choice in the staff member's own request conversation
        address = await _own_conversation(request, text_field(body, "conversation", 40), person)
        label = text_field(body, "label", 200, False)
        event = Incoming.click(person, address, action, value, label)
    else:  # a staff button is a command with its arguments: "Claim" on T-12 runs /claim T-12
        event = Incoming.slash(person, _desk(member), action, value)
    return _replies(await request.app[BOT].dispatch(event))


async def _own_conversation(request: web.Request, ref: str, person: Person) -> Address:
    """A conversation in which this staff member is the one asking (an internal request)."""
    conv = await request.app[BOT].services.conversations.by_ref(ref)
    if conv is None:
        raise error(404, "Unknown conversation.")
    if conv.customer.key != person.key:
        raise error(403, "Only the person who asked can answer the choices in this conversation.")
    return conv.address


async def open_socket(request: web.Request) -> web.WebSocketResponse:
    member = await staff_member(request, token=request.query.get("token", ""))
    socket = web.WebSocketResponse(heartbeat=30)
    await socket.prepare(request)
    hub = request.app[HUB]
    hub.staff.add(socket)
    hub.staff_ids[socket] = member.id
    try:
        async for _ in socket:
            pass  # staff act through POST /api/staff/command; the socket only pushes
    finally:
        hub.staff.discard(socket)
        hub.staff_ids.pop(socket, None)
    return socket


def _desk(member: StaffMember) -> Address:
    """Where a staff member's own command replies live (not a customer conversation)."""
    return Address("web-staff", member.id)


def _replies(replies: list[Reply]) -> web.Response:
    items = [{"text": r.text, "buttons": [asdict(b) for b in r.buttons]} for r in replies]
    return web.json_response({"replies": items})
