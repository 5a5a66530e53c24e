"""A local fake of Discord (gateway + REST API v10) for end-to-end tests of discord.py bots.

``async with serve() as fake`` binds an aiohttp server on 127.0.0.1 (free port) and points
discord.py at it; ``run_client(client, fake)`` runs a real ``discord.Client`` until on_ready.
Push events with ``dispatch`` or the builders (``message_create``, ``slash_command``,
``button_click``) and assert on the records (``calls``, ``sent_messages``,
``interaction_responses``, ``followups``, ``threads``). Written from scratch for this project.
"""

from __future__ import annotations

import asyncio
import contextlib
import copy
import itertools
import json
import math
import re
import time
from collections.abc import (
    AsyncIterator,
    Awaitable,
    Callable,
    Iterable,
    Iterator,
    Mapping,
    Sequence,
)
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any, TypeVar

import discord
import yarl
from aiohttp import BodyPartReader, WSMsgType, web
from discord.gateway import DiscordWebSocket
from discord.http import Route

JSON = dict[str, Any]
T = TypeVar("T")

API_PREFIX = "/api/v10"
GATEWAY_PATH = "/gateway"
RESUME_PATH = "/gateway/resume"
DISCORD_EPOCH_MS = 1_420_070_400_000
_FIRST_SNOWFLAKE = (1_767_225_600_000 - DISCORD_EPOCH_MS) << 22  # 2026-01-01
JOINED_AT = "2026-01-01T00:00:00+00:00"
POLL_INTERVAL = 0.01  # seconds between wait_for polls

TEXT_CHANNEL, DM_CHANNEL, CATEGORY_CHANNEL, NEWS_CHANNEL = 0, 1, 4, 5
PUBLIC_THREAD, PRIVATE_THREAD = 11, 12
EPHEMERAL, LOADING, HAS_THREAD = 1 << 6, 1 << 7, 1 << 5
APPLICATION_FLAGS = 1 << 19  # GATEWAY_MESSAGE_CONTENT_LIMITED

INTENT_GUILDS = 1 << 0
INTENT_GUILD_MEMBERS = 1 << 1
INTENT_GUILD_PRESENCES = 1 << 8
INTENT_GUILD_MESSAGES = 1 << 9
INTENT_GUILD_MESSAGE_TYPING = 1 << 11
INTENT_DIRECT_MESSAGES = 1 << 12
INTENT_DIRECT_MESSAGE_TYPING = 1 << 14
INTENT_MESSAGE_CONTENT = 1 << 15

ADMINISTRATOR = 1 << 3
EVERYONE_PERMISSIONS = (1 << 10) | (1 << 11) | (1 << 16) | (1 << 31) | (1 << 38)
STAFF_PERMISSIONS = (1 << 13) | (1 << 34)  # manage messages, manage threads
BOT_PERMISSIONS = EVERYONE_PERMISSIONS | (1 << 14) | (1 << 15) | (1 << 34) | (1 << 35) | (1 << 36)

BOT_USER_ID = 100_000_000_000_000_001
APPLICATION_ID = 100_000_000_000_000_002
OWNER_ID = 100_000_000_000_000_003
GUILD_ID = 200_000_000_000_000_001
SUPPORT_CATEGORY_ID = 200_000_000_000_000_010
GENERAL_CHANNEL_ID = 200_000_000_000_000_011
QUEUE_CHANNEL_ID = 200_000_000_000_000_012
STAFF_ROLE_ID = 200_000_000_000_000_020
BOT_ROLE_ID = 200_000_000_000_000_021
CUSTOMER_ID = 300_000_000_000_000_001
STAFF_ID = 300_000_000_000_000_002


def _now() -> str:
    """Return the current time as Discord's ISO 8601 timestamp."""
    return datetime.now(UTC).isoformat()


@dataclass(frozen=True)
class FakeUser:
    """A Discord user (or bot account) as the fake serves it."""

    id: int
    username: str
    bot: bool = False
    global_name: str | None = None
    locale: str = "en-US"  # their client's language: the `locale` of their interactions

    def payload(self) -> JSON:
        """Return the Discord user object."""
        return {
            "id": str(self.id),
            "username": self.username,
            "discriminator": "0",
            "global_name": self.global_name,
            "avatar": None,
            "bot": self.bot,
            "public_flags": 0,
            "flags": 0,
        }


@dataclass
class FakeMember:
    """A user's membership in the fake guild, with role ids."""

    user: FakeUser
    roles: list[int] = field(default_factory=list)
    nick: str | None = None

    @property
    def id(self) -> int:
        """Return the member's user id."""
        return self.user.id

    def payload(self, *, with_user: bool = True, permissions: int | None = None) -> JSON:
        """Return the guild member object (optionally without user / with permissions)."""
        data: JSON = {
            "roles": [str(role) for role in self.roles],
            "nick": self.nick,
            "avatar": None,
            "joined_at": JOINED_AT,
            "premium_since": None,
            "communication_disabled_until": None,
            "deaf": False,
            "mute": False,
            "pending": False,
            "flags": 0,
        }
        if with_user:
            data["user"] = self.user.payload()
        if permissions is not None:
            data["permissions"] = str(permissions)
        return data


Person = FakeUser | FakeMember


@dataclass(frozen=True)
class FakeRole:
    """A guild role with a permission bit set."""

    id: int
    name: str
    permissions: int = 0
    position: int = 0
    managed: bool = False

    def payload(self) -> JSON:
        """Return the Discord role object."""
        return {
            "id": str(self.id),
            "name": self.name,
            "permissions": str(self.permissions),
            "position": self.position,
            "color": 0,
            "colors": {"primary_color": 0, "secondary_color": None, "tertiary_color": None},
            "hoist": False,
            "managed": self.managed,
            "mentionable": False,
            "flags": 0,
        }


@dataclass(frozen=True)
class FakeChannel:
    """A guild channel (text channel by default, or a category)."""

    id: int
    name: str
    type: int = TEXT_CHANNEL
    parent_id: int | None = None
    position: int = 0

    def payload(self, guild_id: int) -> JSON:
        """Return the Discord channel object."""
        return {
            "id": str(self.id),
            "type": self.type,
            "guild_id": str(guild_id),
            "name": self.name,
            "position": self.position,
            "parent_id": None if self.parent_id is None else str(self.parent_id),
            "permission_overwrites": [],
            "nsfw": False,
            "topic": None,
            "last_message_id": None,
            "rate_limit_per_user": 0,
            "flags": 0,
        }


@dataclass
class FakeGuild:
    """The one guild the fake serves: channels, roles and members."""

    id: int
    name: str
    channels: list[FakeChannel]
    roles: list[FakeRole]
    members: list[FakeMember]
    owner_id: int = OWNER_ID
    preferred_locale: str = "en-US"  # GUILD_CREATE and the `guild_locale` of interactions

    def member(self, user_id: int) -> FakeMember | None:
        """Return the member with this user id, if any."""
        return next((m for m in self.members if m.id == user_id), None)

    def role(self, role_id: int) -> FakeRole | None:
        """Return the role with this id, if any."""
        return next((r for r in self.roles if r.id == role_id), None)

    def permissions_of(self, member: FakeMember) -> int:
        """Return the member's guild permissions (@everyone plus their roles)."""
        if member.id == self.owner_id:
            return ADMINISTRATOR
        ids = {self.id, *member.roles}
        return _or_all(r.permissions for r in self.roles if r.id in ids)


def _or_all(values: Iterable[int]) -> int:
    """Return the bitwise OR of the values."""
    result = 0
    for value in values:
        result |= value
    return result


CUSTOMER = FakeUser(CUSTOMER_ID, "alice", global_name="Alice")
STAFF = FakeUser(STAFF_ID, "sam", global_name="Sam")


def default_bot_user() -> FakeUser:
    """Return the default bot account."""
    return FakeUser(BOT_USER_ID, "supportbot", bot=True)


def default_guild(bot: FakeUser) -> FakeGuild:
    """Return a guild with a support category, two text channels, staff role and members."""
    return FakeGuild(
        id=GUILD_ID,
        name="Support Test Guild",
        channels=[
            FakeChannel(SUPPORT_CATEGORY_ID, "support", CATEGORY_CHANNEL),
            FakeChannel(GENERAL_CHANNEL_ID, "general", position=0),
            FakeChannel(
                QUEUE_CHANNEL_ID, "support-queue", parent_id=SUPPORT_CATEGORY_ID, position=1
            ),
        ],
        roles=[
            FakeRole(GUILD_ID, "@everyone", EVERYONE_PERMISSIONS),
            FakeRole(STAFF_ROLE_ID, "Support Staff", STAFF_PERMISSIONS, position=2),
            FakeRole(BOT_ROLE_ID, bot.username, BOT_PERMISSIONS, position=1, managed=True),
        ],
        members=[
            FakeMember(bot, [BOT_ROLE_ID]),
            FakeMember(CUSTOMER, []),
            FakeMember(STAFF, [STAFF_ROLE_ID]),
        ],
    )


def _as_user(person: Person) -> FakeUser:
    """Return the user behind a user or member."""
    return person.user if isinstance(person, FakeMember) else person


@dataclass
class RestCall:
    """One REST request the fake received (path relative to /api/v10)."""

    method: str
    path: str
    query: dict[str, str]
    body: Any
    files: list[str]
    status: int = 0
    routed: bool = True


@dataclass(frozen=True)
class InteractionResponse:
    """One POST /interactions/{id}/{token}/callback the bot made."""

    interaction_id: int
    token: str
    type: int
    data: JSON

    @property
    def flags(self) -> int:
        """Return the message flags of the response (64 = ephemeral)."""
        return int(self.data.get("flags") or 0)

    @property
    def ephemeral(self) -> bool:
        """Return whether the response is ephemeral."""
        return bool(self.flags & EPHEMERAL)

    @property
    def content(self) -> str | None:
        """Return the response's message content, if any."""
        return self.data.get("content")


@dataclass
class _Interaction:
    """An interaction the fake dispatched and what the bot did with it."""

    payload: JSON
    response: InteractionResponse | None = None
    original_id: int | None = None
    followup_ids: list[int] = field(default_factory=list)


@dataclass
class _Session:
    """A gateway session: sequence, event log (for RESUME) and current socket."""

    id: str
    intents: int
    ws: web.WebSocketResponse | None
    shard: list[int] | None = None
    seq: int = 0
    resumable: bool = True
    log: list[JSON] = field(default_factory=list)
    lock: asyncio.Lock = field(default_factory=asyncio.Lock)


@dataclass
class _RateLimit:
    """An injected 429 for requests matching method and path prefix."""

    method: str
    prefix: str
    times: int
    retry_after: float
    is_global: bool


@dataclass
class Reply:
    """A REST reply: status, JSON body and extra headers."""

    status: int = 200
    body: Any = None
    headers: dict[str, str] = field(default_factory=dict)


class ApiError(Exception):
    """A Discord API error the fake answers with."""

    def __init__(self, status: int, code: int, message: str) -> None:
        super().__init__(message)
        self.status, self.code, self.message = status, code, message

    def reply(self) -> Reply:
        """Return the error as a REST reply."""
        return Reply(self.status, {"message": self.message, "code": self.code})


Params = dict[str, Any]
Handler = Callable[[RestCall, Params], Awaitable[Reply]]


class FakeDiscord:
    """Discord's gateway and REST API on 127.0.0.1, recording what the bot does."""

    def __init__(
        self,
        *,
        guild: FakeGuild | None = None,
        bot_user: FakeUser | None = None,
        application_id: int = APPLICATION_ID,
        token: str = "fake-bot-token",
        echo_bot_messages: bool = True,
        heartbeat_interval_ms: int = 41_250,
    ) -> None:
        self.bot_user = bot_user or default_bot_user()
        self.guild = guild or default_guild(self.bot_user)
        self.application_id = application_id
        self.token = token
        self.echo_bot_messages = echo_bot_messages
        self.heartbeat_interval_ms = heartbeat_interval_ms
        self.calls: list[RestCall] = []
        self.dispatched: list[tuple[str, JSON]] = []
        self.gateway_frames: list[JSON] = []
        self.gateway_connections: list[yarl.URL] = []
        self.replayed: list[JSON] = []
        self.invalid_sessions = 0
        self.deleted_message_ids: list[int] = []
        self.errors: list[Exception] = []
        self._ids = itertools.count(_FIRST_SNOWFLAKE)
        self._session_numbers = itertools.count(1)
        self._users = {m.id: m.user for m in self.guild.members}
        self._channels = {c.id: c.payload(self.guild.id) for c in self.guild.channels}
        self._messages: dict[int, JSON] = {}
        self._sent: list[int] = []
        self._thread_ids: list[int] = []
        self._thread_members: dict[int, list[int]] = {}
        self._commands: dict[int | None, list[JSON]] = {}
        self._command_ids: dict[tuple[int | None, int, str], int] = {}
        self._interactions: dict[int, _Interaction] = {}
        self._responses: list[InteractionResponse] = []
        self._rate_limits: list[_RateLimit] = []
        self._sessions: dict[str, _Session] = {}
        self._sockets: set[web.WebSocketResponse] = set()
        self._gate = asyncio.Event()
        self._gate.set()
        self._runner: web.AppRunner | None = None
        self._port = 0
        self._routes = self._route_table()

    # -- lifecycle -------------------------------------------------------------------------

    async def start(self) -> None:
        """Start serving on 127.0.0.1 with a free port."""
        app = web.Application()
        app.router.add_get(GATEWAY_PATH, self._gateway_handler)
        app.router.add_get(RESUME_PATH, self._gateway_handler)
        app.router.add_route("*", API_PREFIX + "/{tail:.*}", self._rest_handler)
        self._runner = web.AppRunner(app, access_log=None, shutdown_timeout=1.0)
        await self._runner.setup()
        await web.TCPSite(self._runner, "127.0.0.1", 0).start()
        self._port = int(self._runner.addresses[0][1])

    async def close(self) -> None:
        """Close every gateway socket and stop the server."""
        self._gate.set()
        await asyncio.gather(*(ws.close(code=1001) for ws in list(self._sockets)))
        if self._runner is not None:
            await self._runner.cleanup()
            self._runner = None

    async def __aenter__(self) -> FakeDiscord:
        await self.start()
        return self

    async def __aexit__(self, *exc_info: object) -> None:
        await self.close()

    @property
    def base_url(self) -> str:
        """Return http://127.0.0.1:{port}."""
        return f"http://127.0.0.1:{self._port}"

    @property
    def api_base(self) -> str:
        """Return the REST base to put in discord.http.Route.BASE."""
        return self.base_url + API_PREFIX

    @property
    def gateway_url(self) -> str:
        """Return the gateway URL (for DiscordWebSocket.DEFAULT_GATEWAY and GET /gateway)."""
        return f"ws://127.0.0.1:{self._port}{GATEWAY_PATH}"

    @property
    def resume_gateway_url(self) -> str:
        """Return the resume_gateway_url sent in READY."""
        return f"ws://127.0.0.1:{self._port}{RESUME_PATH}"

    def snowflake(self) -> int:
        """Return a fresh, increasing snowflake id."""
        return next(self._ids)

    # -- gateway ---------------------------------------------------------------------------

    async def _gateway_handler(self, request: web.Request) -> web.WebSocketResponse:
        """Serve one gateway connection: HELLO, then identify/resume/heartbeats."""
        ws = web.WebSocketResponse(timeout=2.0)
        await ws.prepare(request)
        self.gateway_connections.append(request.rel_url)
        self._sockets.add(ws)
        try:
            await self._gate.wait()
            hello = {"heartbeat_interval": self.heartbeat_interval_ms}
            await _send(ws, {"op": 10, "s": None, "t": None, "d": hello})
            async for msg in ws:
                if msg.type is WSMsgType.TEXT:
                    await self._on_frame(ws, json.loads(msg.data))
        finally:
            self._sockets.discard(ws)
            self._forget_socket(ws)
        return ws

    def _forget_socket(self, ws: web.WebSocketResponse) -> None:
        """Detach a closed socket; a client close with 1000/1001 ends its session."""
        for session in list(self._sessions.values()):
            if session.ws is ws:
                session.ws = None
                if ws.close_code in (1000, 1001):
                    del self._sessions[session.id]

    async def _on_frame(self, ws: web.WebSocketResponse, frame: JSON) -> None:
        """Handle one frame from a client."""
        self.gateway_frames.append(frame)
        op, data = frame.get("op"), frame.get("d") or {}
        if op == 1:
            await _send(ws, {"op": 11, "s": None, "t": None, "d": None})
        elif op == 2:
            await self._identify(ws, data)
        elif op == 6:
            await self._resume(ws, data)
        elif op == 8:
            await self._request_members(ws, data)

    async def _identify(self, ws: web.WebSocketResponse, data: JSON) -> None:
        """Answer IDENTIFY with READY and GUILD_CREATE (or close 4004 on a bad token)."""
        if data.get("token") != self.token:
            await ws.close(code=4004, message=b"Authentication failed.")
            return
        number = next(self._session_numbers)
        intents = int(data.get("intents") or 0)
        session = _Session(f"fake-session-{number}", intents, ws, data.get("shard"))
        self._sessions[session.id] = session
        await self._emit(session, "READY", self._ready_payload(session))
        await self._emit(session, "GUILD_CREATE", self._guild_create_payload(session))

    async def _resume(self, ws: web.WebSocketResponse, data: JSON) -> None:
        """Answer RESUME by replaying missed events then RESUMED, or op 9 if invalid."""
        session = self._sessions.get(str(data.get("session_id")))
        if session is None or not session.resumable or data.get("token") != self.token:
            self.invalid_sessions += 1
            if session is not None:
                del self._sessions[session.id]
            await _send(ws, {"op": 9, "s": None, "t": None, "d": False})
            return
        async with session.lock:
            session.ws = ws
            missed = [f for f in session.log if f["s"] > int(data.get("seq") or 0)]
            self.replayed.extend(missed)
            for frame in missed:
                await _send(ws, frame)
            await self._emit_locked(session, "RESUMED", {"_trace": ["fake-discord"]})

    async def _request_members(self, ws: web.WebSocketResponse, data: JSON) -> None:
        """Answer REQUEST_GUILD_MEMBERS (op 8) with one GUILD_MEMBERS_CHUNK."""
        session = next((s for s in self._sessions.values() if s.ws is ws), None)
        if session is None:
            return
        wanted = data.get("user_ids")
        ids = (
            {int(i) for i in (wanted if isinstance(wanted, list) else [wanted])}
            if wanted
            else set()
        )
        query = str(data.get("query") or "")
        members = [
            m
            for m in self.guild.members
            if (m.id in ids if ids else m.user.username.startswith(query))
        ]
        chunk: JSON = {"guild_id": str(self.guild.id), "chunk_index": 0, "chunk_count": 1}
        chunk.update(members=[m.payload() for m in members], not_found=[], nonce=data.get("nonce"))
        await self._emit(session, "GUILD_MEMBERS_CHUNK", chunk)

    async def _emit(self, session: _Session, event: str, data: JSON) -> None:
        """Send a dispatch to one session (buffered in its log for RESUME)."""
        async with session.lock:
            await self._emit_locked(session, event, data)

    async def _emit_locked(self, session: _Session, event: str, data: JSON) -> None:
        """Send a dispatch to one session; the caller holds the session lock."""
        session.seq += 1
        frame = {"op": 0, "s": session.seq, "t": event, "d": data}
        session.log.append(frame)
        if session.ws is not None:
            await _send(session.ws, frame)

    def _ready_payload(self, session: _Session) -> JSON:
        """Return READY: bot user, session, resume URL, application, unavailable guild."""
        payload: JSON = {
            "v": 10,
            "user": {**self.bot_user.payload(), "verified": True, "mfa_enabled": False},
            "guilds": [{"id": str(self.guild.id), "unavailable": True}],
            "session_id": session.id,
            "session_type": "normal",
            "resume_gateway_url": self.resume_gateway_url,
            "application": {"id": str(self.application_id), "flags": APPLICATION_FLAGS},
            "private_channels": [],
            "relationships": [],
            "presences": [],
            "guild_join_requests": [],
            "geo_ordered_rtc_regions": [],
            "_trace": ["fake-discord"],
        }
        if session.shard is not None:
            payload["shard"] = session.shard
        return payload

    def _guild_create_payload(self, session: _Session) -> JSON:
        """Return GUILD_CREATE; as on Discord, other members only with GUILD_PRESENCES."""
        everyone = session.intents & INTENT_GUILD_PRESENCES
        members = [m for m in self.guild.members if everyone or m.id == self.bot_user.id]
        channels = [c for c in self._guild_channels() if "thread_metadata" not in c]
        threads = [self._channels[t] for t in self._thread_ids]
        return {
            "id": str(self.guild.id),
            "name": self.guild.name,
            "owner_id": str(self.guild.owner_id),
            "unavailable": False,
            "large": False,
            "member_count": len(self.guild.members),
            "joined_at": JOINED_AT,
            "roles": [r.payload() for r in self.guild.roles],
            "channels": copy.deepcopy(channels),
            "threads": copy.deepcopy(threads),
            "members": [m.payload() for m in members],
            **_EMPTY_GUILD_FIELDS,
            "preferred_locale": self.guild.preferred_locale,
        }

    def _guild_channels(self) -> list[JSON]:
        """Return the guild's channels and threads from the registry."""
        gid = str(self.guild.id)
        return [c for c in self._channels.values() if c.get("guild_id") == gid]

    async def dispatch(self, event: str, data: JSON) -> None:
        """Send a dispatch (op 0, next seq) to every session; disconnected ones buffer it."""
        snapshot = copy.deepcopy(data)
        self.dispatched.append((event, snapshot))
        for session in list(self._sessions.values()):
            visible = _visible_to(session.intents, event, snapshot, self.bot_user.id)
            if visible is not None:
                await self._emit(session, event, visible)

    async def drop_connection(self, code: int = 4000) -> None:
        """Close every session's socket (sessions stay resumable), like a network blip."""
        sockets = []
        for session in self._sessions.values():
            async with session.lock:
                if session.ws is not None:
                    sockets.append(session.ws)
                    session.ws = None
        await asyncio.gather(*(ws.close(code=code) for ws in sockets))

    @contextlib.asynccontextmanager
    async def connection_dropped(self, code: int = 4000) -> AsyncIterator[None]:
        """Drop the gateway and hold reconnections (no HELLO) until the block ends."""
        self._gate.clear()
        try:
            await self.drop_connection(code)
            yield
        finally:
            self._gate.set()

    def invalidate_sessions(self) -> None:
        """Make every current session non-resumable: the next RESUME gets op 9."""
        for session in self._sessions.values():
            session.resumable = False

    async def request_reconnect(self) -> None:
        """Send op 7 (RECONNECT) so clients reconnect and RESUME."""
        for session in list(self._sessions.values()):
            if session.ws is not None:
                await _send(session.ws, {"op": 7, "s": None, "t": None, "d": None})

    def last_seq(self) -> int:
        """Return the highest sequence number sent in any live session (0 if none)."""
        return max((s.seq for s in self._sessions.values()), default=0)

    def frames(self, op: int) -> list[JSON]:
        """Return the frames clients sent with this opcode (2 identify, 6 resume, ...)."""
        return [f for f in self.gateway_frames if f.get("op") == op]

    # -- REST plumbing ---------------------------------------------------------------------

    async def _rest_handler(self, request: web.Request) -> web.Response:
        """Record and answer one REST request."""
        body, files = await _read_body(request)
        path = "/" + request.match_info["tail"]
        call = RestCall(request.method, path, dict(request.query), body, files)
        self.calls.append(call)
        reply = await self._answer(call, request.headers.get("Authorization"))
        call.status = reply.status
        return _response(reply)

    async def _answer(self, call: RestCall, auth: str | None) -> Reply:
        """Authorize, apply injected rate limits and route a call."""
        try:
            if not self._authorized(call.path, auth):
                raise ApiError(401, 0, "401: Unauthorized")
            limited = self._take_rate_limit(call)
            return limited if limited is not None else await self._route(call)
        except ApiError as err:
            return err.reply()
        except Exception as exc:  # a fake bug: answer 400 fast (5xx would be retried slowly)
            self.errors.append(exc)
            return Reply(400, {"message": f"fake internal error: {exc!r}", "code": 0})

    def _authorized(self, path: str, auth: str | None) -> bool:
        """Return whether the call carries the bot token (webhooks need none)."""
        return path.startswith(("/interactions/", "/webhooks/")) or auth == f"Bot {self.token}"

    async def _route(self, call: RestCall) -> Reply:
        """Run the handler whose method and path pattern match, else 404 Unknown."""
        for method, pattern, handler in self._routes:
            match = pattern.fullmatch(call.path)
            if match is not None and method == call.method:
                return await handler(call, match.groupdict())
        call.routed = False
        return Reply(404, {"message": "Unknown", "code": 0})

    def rate_limit(
        self,
        method: str,
        path_prefix: str,
        times: int = 1,
        retry_after: float = 0.2,
        *,
        is_global: bool = False,
    ) -> None:
        """Answer the next ``times`` matching requests with 429 and ``retry_after``."""
        prefix = path_prefix.removeprefix(API_PREFIX)
        self._rate_limits.append(_RateLimit(method.upper(), prefix, times, retry_after, is_global))

    def _take_rate_limit(self, call: RestCall) -> Reply | None:
        """Return a 429 reply if an injected rate limit matches the call."""
        for rule in self._rate_limits:
            if rule.times > 0 and rule.method == call.method and call.path.startswith(rule.prefix):
                rule.times -= 1
                return _rate_limited(rule)
        return None

    def _route_table(self) -> list[tuple[str, re.Pattern[str], Handler]]:
        """Return (method, path pattern, handler) for every supported route."""
        ch, msg = r"/channels/(?P<channel_id>\d+)", r"/messages/(?P<message_id>\d+)"
        cmds = r"/applications/(?P<app_id>\d+)(?:/guilds/(?P<guild_id>\d+))?/commands"
        hook = r"/webhooks/(?P<app_id>\d+)/(?P<token>[^/]+)"
        hook_msg = hook + r"/messages/(?P<message_id>@original|\d+)"
        table: list[tuple[str, str, Handler]] = [
            ("GET", r"/users/@me", self._get_me),
            ("GET", r"/users/(?P<user_id>\d+)", self._get_user),
            ("GET", r"/gateway", self._get_gateway),
            ("GET", r"/gateway/bot", self._get_gateway_bot),
            ("GET", r"/(?:oauth2/)?applications/@me", self._get_application),
            ("POST", r"/users/@me/channels", self._create_dm),
            ("GET", ch, self._get_channel),
            ("PATCH", ch, self._edit_channel),
            ("POST", ch + "/typing", self._typing),
            ("POST", ch + "/messages", self._post_message),
            ("GET", ch + msg, self._get_message),
            ("PATCH", ch + msg, self._edit_message),
            ("DELETE", ch + msg, self._delete_message),
            ("POST", ch + "/threads", self._create_thread),
            ("POST", ch + msg + "/threads", self._create_message_thread),
            ("PUT", ch + r"/thread-members/(?P<user_id>\d+|@me)", self._add_thread_member),
            ("GET", r"/guilds/(?P<guild_id>\d+)/members/(?P<user_id>\d+)", self._get_member),
            ("PUT", cmds, self._put_commands),
            ("GET", cmds, self._get_commands),
            (
                "POST",
                r"/interactions/(?P<interaction_id>\d+)/(?P<token>[^/]+)/callback",
                self._callback,
            ),
            ("POST", hook, self._followup),
            ("GET", hook_msg, self._get_webhook_message),
            ("PATCH", hook_msg, self._edit_webhook_message),
            ("DELETE", hook_msg, self._delete_webhook_message),
        ]
        return [(method, re.compile(pattern), handler) for method, pattern, handler in table]

    # -- REST: users, gateway, application -------------------------------------------------

    async def _get_me(self, call: RestCall, p: Params) -> Reply:
        """GET /users/@me: the bot user."""
        return Reply(body={**self.bot_user.payload(), "verified": True, "mfa_enabled": False})

    async def _get_user(self, call: RestCall, p: Params) -> Reply:
        """GET /users/{id}."""
        return Reply(body=self._user(int(p["user_id"])).payload())

    async def _get_gateway(self, call: RestCall, p: Params) -> Reply:
        """GET /gateway."""
        return Reply(body={"url": self.gateway_url})

    async def _get_gateway_bot(self, call: RestCall, p: Params) -> Reply:
        """GET /gateway/bot (used by AutoShardedClient)."""
        limit = {"total": 1000, "remaining": 999, "reset_after": 14_400_000, "max_concurrency": 1}
        return Reply(body={"url": self.gateway_url, "shards": 1, "session_start_limit": limit})

    async def _get_application(self, call: RestCall, p: Params) -> Reply:
        """GET /oauth2/applications/@me (Client.login calls it) or /applications/@me."""
        owner = FakeUser(OWNER_ID, "owner")
        return Reply(body={**_APPLICATION_FIELDS, **self._application_identity(owner)})

    def _application_identity(self, owner: FakeUser) -> JSON:
        """Return the id/name/owner/bot part of the application object."""
        return {
            "id": str(self.application_id),
            "name": self.bot_user.username,
            "owner": owner.payload(),
            "bot": self.bot_user.payload(),
            "flags": APPLICATION_FLAGS,
        }

    async def _get_member(self, call: RestCall, p: Params) -> Reply:
        """GET /guilds/{guild}/members/{user}."""
        member = self.guild.member(int(p["user_id"]))
        if int(p["guild_id"]) != self.guild.id or member is None:
            raise ApiError(404, 10007, "Unknown Member")
        return Reply(body=member.payload())

    # -- REST: channels and messages -------------------------------------------------------

    async def _create_dm(self, call: RestCall, p: Params) -> Reply:
        """POST /users/@me/channels: open (or return) the DM channel with a user."""
        user = self._user(int(_body(call).get("recipient_id") or 0))
        return Reply(body=self._channels[self.dm_channel(user)])

    async def _get_channel(self, call: RestCall, p: Params) -> Reply:
        """GET /channels/{id}: guild channel, thread or DM."""
        return Reply(body=self._channel(int(p["channel_id"])))

    async def _edit_channel(self, call: RestCall, p: Params) -> Reply:
        """PATCH /channels/{id}: rename, or archive/lock a thread."""
        channel, body = self._channel(int(p["channel_id"])), _body(call)
        if "name" in body:
            channel["name"] = body["name"]
        meta = channel.get("thread_metadata")
        for key in ("archived", "locked", "auto_archive_duration", "invitable"):
            if meta is not None and key in body:
                meta[key] = body[key]
        await self.dispatch("CHANNEL_UPDATE" if meta is None else "THREAD_UPDATE", channel)
        return Reply(body=channel)

    async def _typing(self, call: RestCall, p: Params) -> Reply:
        """POST /channels/{id}/typing."""
        self._channel(int(p["channel_id"]))
        return Reply(204)

    async def _post_message(self, call: RestCall, p: Params) -> Reply:
        """POST /channels/{id}/messages: store, echo as MESSAGE_CREATE, return the message."""
        channel_id, body = int(p["channel_id"]), _body(call)
        self._channel(channel_id)
        _check_message(body, call.files)
        msg = self._store_message(channel_id, self.bot_user, body, call.files)
        self._sent.append(int(msg["id"]))
        await self._announce("MESSAGE_CREATE", msg)
        return Reply(body=msg)

    async def _get_message(self, call: RestCall, p: Params) -> Reply:
        """GET /channels/{id}/messages/{mid}."""
        return Reply(body=self._message(int(p["channel_id"]), int(p["message_id"])))

    async def _edit_message(self, call: RestCall, p: Params) -> Reply:
        """PATCH /channels/{id}/messages/{mid}: only the bot's own messages."""
        msg = self._message(int(p["channel_id"]), int(p["message_id"]))
        if msg["author"]["id"] != str(self.bot_user.id):
            raise ApiError(403, 50005, "Cannot edit a message authored by another user")
        _apply_edit(msg, _body(call))
        await self._announce("MESSAGE_UPDATE", msg)
        return Reply(body=msg)

    async def _delete_message(self, call: RestCall, p: Params) -> Reply:
        """DELETE /channels/{id}/messages/{mid}."""
        msg = self._message(int(p["channel_id"]), int(p["message_id"]))
        await self._delete(msg)
        return Reply(204)

    async def _delete(self, msg: JSON) -> None:
        """Mark a message deleted and dispatch MESSAGE_DELETE."""
        self.deleted_message_ids.append(int(msg["id"]))
        event: JSON = {k: msg[k] for k in ("channel_id", "guild_id") if k in msg}
        await self.dispatch("MESSAGE_DELETE", {"id": msg["id"], **event})

    # -- REST: threads ---------------------------------------------------------------------

    async def _create_thread(self, call: RestCall, p: Params) -> Reply:
        """POST /channels/{id}/threads: a thread without a message (private by default)."""
        parent, body = self._thread_parent(int(p["channel_id"])), _body(call)
        kind = int(body.get("type") or PRIVATE_THREAD)
        if kind not in (PUBLIC_THREAD, PRIVATE_THREAD):
            raise ApiError(400, 50035, "Invalid Form Body: type")
        return await self._open_thread(self._thread_object(parent, body, kind, self.snowflake()))

    async def _create_message_thread(self, call: RestCall, p: Params) -> Reply:
        """POST /channels/{id}/messages/{mid}/threads: public thread with the message's id."""
        parent = self._thread_parent(int(p["channel_id"]))
        msg = self._message(int(p["channel_id"]), int(p["message_id"]))
        if int(msg["id"]) in self._channels:
            raise ApiError(400, 160004, "A thread has already been created for this message")
        msg["flags"] = int(msg.get("flags") or 0) | HAS_THREAD
        thread = self._thread_object(parent, _body(call), PUBLIC_THREAD, int(msg["id"]))
        return await self._open_thread(thread)

    def _thread_parent(self, channel_id: int) -> JSON:
        """Return a channel that can hold threads, else raise 400."""
        parent = self._channel(channel_id)
        if parent["type"] not in (TEXT_CHANNEL, NEWS_CHANNEL):
            raise ApiError(400, 50024, "Cannot execute action on this channel type")
        return parent

    def _thread_object(self, parent: JSON, body: JSON, kind: int, thread_id: int) -> JSON:
        """Return a new thread channel object under ``parent``."""
        now = _now()
        meta = {
            "archived": False,
            "locked": False,
            "archive_timestamp": now,
            "create_timestamp": now,
        }
        meta["auto_archive_duration"] = int(body.get("auto_archive_duration") or 4320)
        meta["invitable"] = bool(body.get("invitable", True))
        return {
            "id": str(thread_id),
            "guild_id": parent["guild_id"],
            "parent_id": parent["id"],
            "owner_id": str(self.bot_user.id),
            "name": str(body.get("name") or "thread"),
            "type": kind,
            "last_message_id": None,
            "rate_limit_per_user": int(body.get("rate_limit_per_user") or 0),
            "message_count": 0,
            "member_count": 1,
            "total_message_sent": 0,
            "flags": 0,
            "thread_metadata": meta,
        }

    async def _open_thread(self, thread: JSON) -> Reply:
        """Register a thread (bot as member), dispatch THREAD_CREATE, answer 201."""
        thread_id = int(thread["id"])
        self._channels[thread_id] = thread
        self._thread_ids.append(thread_id)
        self._thread_members[thread_id] = [self.bot_user.id]
        await self.dispatch("THREAD_CREATE", {**thread, "newly_created": True})
        return Reply(201, thread)

    async def _add_thread_member(self, call: RestCall, p: Params) -> Reply:
        """PUT /channels/{thread}/thread-members/{user}."""
        thread = self._channel(int(p["channel_id"]))
        if "thread_metadata" not in thread:
            raise ApiError(400, 50024, "Cannot execute action on this channel type")
        user_id = self.bot_user.id if p["user_id"] == "@me" else int(p["user_id"])
        if self.guild.member(user_id) is None:
            raise ApiError(404, 10007, "Unknown Member")
        members = self._thread_members.setdefault(int(thread["id"]), [])
        if user_id not in members:
            members.append(user_id)
        thread["member_count"] = len(members)
        return Reply(204)

    # -- REST: application commands --------------------------------------------------------

    async def _put_commands(self, call: RestCall, p: Params) -> Reply:
        """PUT global or guild commands (bulk overwrite); ids are stable per name."""
        guild_id = self._command_scope(p)
        if not isinstance(call.body, list):
            raise ApiError(400, 50035, "Invalid Form Body")
        keys = [(int(c.get("type") or 1), c.get("name")) for c in call.body]
        if len(set(keys)) != len(keys):
            raise ApiError(
                400, 50035, "Invalid Form Body: application command names must be unique"
            )
        self._commands[guild_id] = [self._command_object(c, guild_id) for c in call.body]
        return Reply(body=self._commands[guild_id])

    async def _get_commands(self, call: RestCall, p: Params) -> Reply:
        """GET global or guild commands."""
        return Reply(body=self._commands.get(self._command_scope(p), []))

    def _command_scope(self, p: Params) -> int | None:
        """Check the application id and return the guild id (None for global)."""
        if int(p["app_id"]) != self.application_id:
            raise ApiError(404, 10002, "Unknown Application")
        guild_id = int(p["guild_id"]) if p.get("guild_id") else None
        if guild_id is not None and guild_id != self.guild.id:
            raise ApiError(403, 50001, "Missing Access")
        return guild_id

    def _command_object(self, command: JSON, guild_id: int | None) -> JSON:
        """Return a stored application command (with id, application_id, version)."""
        key = (guild_id, int(command.get("type") or 1), str(command["name"]))
        stored: JSON = {"type": 1, "description": "", "options": [], "nsfw": False}
        stored.update({"default_member_permissions": None, "dm_permission": True, **command})
        stored["id"] = str(self._command_ids.setdefault(key, self.snowflake()))
        stored.update(application_id=str(self.application_id), version=str(self.snowflake()))
        if guild_id is not None:
            stored["guild_id"] = str(guild_id)
        return stored

    # -- REST: interactions and followups --------------------------------------------------

    async def _callback(self, call: RestCall, p: Params) -> Reply:
        """POST /interactions/{id}/{token}/callback: record it, answer with the resource."""
        it = self._interaction(int(p["interaction_id"]), str(p["token"]))
        if it.response is not None:
            raise ApiError(400, 40060, "Interaction has already been acknowledged.")
        body = _body(call)
        kind, data = int(body.get("type") or 0), dict(body.get("data") or {})
        if kind in (6, 7) and it.payload["type"] not in (3, 5):
            raise ApiError(400, 50035, "Invalid Form Body: type 6/7 need a component interaction")
        it.response = InteractionResponse(int(it.payload["id"]), it.payload["token"], kind, data)
        self._responses.append(it.response)
        message = await self._respond(it, kind, data, call.files)
        return Reply(body=_callback_object(it, kind, message))

    async def _respond(
        self, it: _Interaction, kind: int, data: JSON, files: list[str]
    ) -> JSON | None:
        """Create or update the message an interaction response stands for."""
        if kind in (4, 5):
            flags = int(data.get("flags") or 0)
            body = data if kind == 4 else {"flags": (flags & EPHEMERAL) | LOADING}
            msg = self._interaction_message(it, body, files)
            it.original_id = int(msg["id"])
            await self._announce("MESSAGE_CREATE", msg)
            return msg
        if kind in (6, 7) and "message" in it.payload:
            it.original_id = int(it.payload["message"]["id"])
            if kind == 7:
                msg = self._messages[it.original_id]
                _apply_edit(msg, data)
                await self._announce("MESSAGE_UPDATE", msg)
                return msg
        return None

    def _interaction_message(self, it: _Interaction, body: JSON, files: list[str]) -> JSON:
        """Store a message the bot posted through an interaction (response or followup)."""
        channel_id = int(it.payload["channel_id"])
        msg = self._store_message(channel_id, self.bot_user, body, files)
        msg.update(webhook_id=str(self.application_id), application_id=str(self.application_id))
        return msg

    async def _followup(self, call: RestCall, p: Params) -> Reply:
        """POST /webhooks/{app}/{token}: a followup message (after the initial response)."""
        it = self._interaction_by_token(p["app_id"], str(p["token"]))
        if it.response is None:
            raise ApiError(404, 10015, "Unknown Webhook")
        body = _body(call)
        _check_message(body, call.files)
        msg = self._interaction_message(it, body, call.files)
        it.followup_ids.append(int(msg["id"]))
        await self._announce("MESSAGE_CREATE", msg)
        wait = call.query.get("wait", "").lower() in ("1", "true")
        return Reply(body=msg) if wait else Reply(204)

    async def _get_webhook_message(self, call: RestCall, p: Params) -> Reply:
        """GET /webhooks/{app}/{token}/messages/{@original|id}."""
        it = self._interaction_by_token(p["app_id"], str(p["token"]))
        return Reply(body=self._webhook_message(it, str(p["message_id"])))

    async def _edit_webhook_message(self, call: RestCall, p: Params) -> Reply:
        """PATCH /webhooks/{app}/{token}/messages/{@original|id} (also ends 'thinking')."""
        it = self._interaction_by_token(p["app_id"], str(p["token"]))
        msg = self._webhook_message(it, str(p["message_id"]))
        _apply_edit(msg, _body(call))
        await self._announce("MESSAGE_UPDATE", msg)
        return Reply(body=msg)

    async def _delete_webhook_message(self, call: RestCall, p: Params) -> Reply:
        """DELETE /webhooks/{app}/{token}/messages/{@original|id}."""
        it = self._interaction_by_token(p["app_id"], str(p["token"]))
        await self._delete(self._webhook_message(it, str(p["message_id"])))
        return Reply(204)

    def _interaction(self, interaction_id: int, token: str) -> _Interaction:
        """Return a dispatched interaction by id and token, else 404 Unknown interaction."""
        it = self._interactions.get(interaction_id)
        if it is None or it.payload["token"] != token:
            raise ApiError(404, 10062, "Unknown interaction")
        return it

    def _interaction_by_token(self, app_id: str, token: str) -> _Interaction:
        """Return the interaction behind a followup webhook, else 404 Unknown Webhook."""
        if int(app_id) == self.application_id:
            for it in self._interactions.values():
                if it.payload["token"] == token:
                    return it
        raise ApiError(404, 10015, "Unknown Webhook")

    def _webhook_message(self, it: _Interaction, message_id: str) -> JSON:
        """Return @original or a followup of this interaction, else 404 Unknown Message."""
        own = [it.original_id, *it.followup_ids]
        mid = it.original_id if message_id == "@original" else int(message_id)
        if mid is None or mid not in own or mid not in self._messages:
            raise ApiError(404, 10008, "Unknown Message")
        return self._messages[mid]

    # -- state helpers ---------------------------------------------------------------------

    def _user(self, user_id: int) -> FakeUser:
        """Return a known user, else 404 Unknown User."""
        if user_id == self.bot_user.id:
            return self.bot_user
        if user_id not in self._users:
            raise ApiError(404, 10013, "Unknown User")
        return self._users[user_id]

    def _channel(self, channel_id: int) -> JSON:
        """Return a known channel, else 404 Unknown Channel."""
        if channel_id not in self._channels:
            raise ApiError(404, 10003, "Unknown Channel")
        return self._channels[channel_id]

    def _message(self, channel_id: int, message_id: int) -> JSON:
        """Return a stored message in this channel, else 404 Unknown Message."""
        msg = self._messages.get(message_id)
        gone = message_id in self.deleted_message_ids
        if msg is None or gone or msg["channel_id"] != str(channel_id):
            raise ApiError(404, 10008, "Unknown Message")
        return msg

    def _register(self, person: Person) -> FakeUser:
        """Remember a user so REST lookups find them; return the user."""
        user = _as_user(person)
        self._users.setdefault(user.id, user)
        return user

    def _store_message(
        self, channel_id: int, author: FakeUser, body: Mapping[str, Any], files: Sequence[str] = ()
    ) -> JSON:
        """Build and store a full message object; return it."""
        msg: JSON = {
            "id": str(self.snowflake()),
            "channel_id": str(channel_id),
            "type": 0,
            "content": body.get("content") or "",
            "author": author.payload(),
            "timestamp": _now(),
            "edited_timestamp": None,
            "tts": bool(body.get("tts")),
            "mention_everyone": False,
            "mentions": [],
            "mention_roles": [],
            "attachments": [self._attachment(name) for name in files],
            "embeds": [_embed(e) for e in body.get("embeds") or []],
            "components": list(body.get("components") or []),
            "pinned": False,
            "flags": int(body.get("flags") or 0),
        }
        self._decorate(msg, body)
        self._messages[int(msg["id"])] = msg
        return msg

    def _decorate(self, msg: JSON, body: Mapping[str, Any]) -> None:
        """Add guild id, kept request fields (allowed_mentions, ...) and the reply link."""
        guild_id = self._channels.get(int(msg["channel_id"]), {}).get("guild_id")
        if guild_id is not None:
            msg["guild_id"] = guild_id
        for key in ("allowed_mentions", "nonce", "message_reference"):
            if key in body:
                msg[key] = body[key]
        ref = body.get("message_reference")
        if ref and int(ref.get("message_id") or 0) in self._messages:
            referenced = self._messages[int(ref["message_id"])]
            msg["type"] = 19
            msg["referenced_message"] = {
                k: v for k, v in referenced.items() if k != "referenced_message"
            }

    def _attachment(self, filename: str) -> JSON:
        """Return an attachment object for an uploaded file."""
        url = f"{self.base_url}/attachments/{filename}"
        aid = str(self.snowflake())
        return {"id": aid, "filename": filename, "size": 0, "url": url, "proxy_url": url}

    async def _announce(self, event: str, msg: JSON) -> None:
        """Dispatch a bot message event as Discord does (not for ephemeral messages)."""
        if int(msg.get("flags") or 0) & EPHEMERAL:
            return
        if msg["author"]["id"] == str(self.bot_user.id) and not self.echo_bot_messages:
            return
        await self.dispatch(event, msg)

    # -- builders: events the "users" cause ------------------------------------------------

    def dm_channel(self, user: Person, channel_id: int | None = None) -> int:
        """Return (creating on first use) the DM channel id between the bot and ``user``."""
        fake_user = self._register(user)
        for cid, channel in self._channels.items():
            if channel["type"] == DM_CHANNEL and channel["recipients"][0]["id"] == str(
                fake_user.id
            ):
                if channel_id not in (None, cid):
                    raise LookupError(f"user {fake_user.id} already has DM channel {cid}")
                return cid
        cid = channel_id or self.snowflake()
        self._channels[cid] = {
            "id": str(cid),
            "type": DM_CHANNEL,
            "recipients": [fake_user.payload()],
            "last_message_id": None,
            "flags": 0,
        }
        return cid

    def add_message(
        self,
        channel_id: int,
        author: Person,
        content: str = "",
        *,
        components: Sequence[JSON] = (),
        embeds: Sequence[JSON] = (),
    ) -> JSON:
        """Store a message without dispatching it (e.g. posted before a bot restart)."""
        self._channel(channel_id)
        body = {"content": content, "components": list(components), "embeds": list(embeds)}
        return self._store_message(channel_id, self._register(author), body)

    async def message_create(
        self,
        channel_id: int,
        author: Person,
        content: str,
        *,
        guild_id: int | None = None,
        mentions: Sequence[Person] = (),
        embeds: Sequence[JSON] = (),
        reply_to: int | None = None,
    ) -> JSON:
        """Dispatch a user's MESSAGE_CREATE; an unknown channel id becomes their DM."""
        user = self._register(author)
        channel_id = self._message_channel(channel_id, user, guild_id)
        body: JSON = {"content": content, "embeds": list(embeds)}
        if reply_to is not None:
            body["message_reference"] = {"message_id": str(reply_to), "channel_id": str(channel_id)}
        msg = self._store_message(channel_id, user, body)
        msg["mentions"] = [self._mention(p, "guild_id" in msg) for p in mentions]
        member = self.guild.member(user.id)
        if "guild_id" in msg and member is not None:
            msg["member"] = member.payload(with_user=False)
        await self.dispatch("MESSAGE_CREATE", msg)
        return msg

    async def typing_start(self, channel_id: int, user: Person) -> JSON:
        """Dispatch TYPING_START: ``user`` began typing in a channel, thread or their DM."""
        fake_user = self._register(user)
        channel = self._channel(channel_id)
        data: JSON = {"channel_id": str(channel_id), "user_id": str(fake_user.id)}
        data["timestamp"] = int(time.time())
        member = self.guild.member(fake_user.id)
        if channel.get("guild_id") is not None:
            data["guild_id"] = channel["guild_id"]
            if member is not None:
                data["member"] = member.payload()
        await self.dispatch("TYPING_START", data)
        return data

    def _message_channel(self, channel_id: int, user: FakeUser, guild_id: int | None) -> int:
        """Check the channel for a user message; register it as their DM if unknown."""
        channel = self._channels.get(channel_id)
        if channel is None and guild_id is None:
            return self.dm_channel(user, channel_id)
        if channel is None or (guild_id is not None and channel.get("guild_id") != str(guild_id)):
            raise LookupError(f"channel {channel_id} is not in guild {guild_id}")
        return channel_id

    def _mention(self, person: Person, in_guild: bool) -> JSON:
        """Return a mentions[] entry (user with member in guilds)."""
        user = self._register(person)
        member = self.guild.member(user.id)
        data = user.payload()
        if in_guild and member is not None:
            data["member"] = member.payload(with_user=False)
        return data

    async def interaction_create(
        self,
        kind: int,
        data: JSON,
        *,
        user: Person,
        channel_id: int,
        message: JSON | None = None,
    ) -> JSON:
        """Dispatch INTERACTION_CREATE (2 command, 3 component, 5 modal); return the payload."""
        payload = self._interaction_object(kind, data, self._register(user), channel_id)
        if message is not None:
            payload["message"] = copy.deepcopy(message)
        self._interactions[int(payload["id"])] = _Interaction(payload)
        await self.dispatch("INTERACTION_CREATE", payload)
        return payload

    def _interaction_object(self, kind: int, data: JSON, user: FakeUser, channel_id: int) -> JSON:
        """Return an interaction payload with member (guild) or user (DM), id and token."""
        channel = self._channel(channel_id)
        iid = self.snowflake()
        payload: JSON = {
            "id": str(iid),
            "application_id": str(self.application_id),
            "type": kind,
            "data": data,
            "channel_id": str(channel_id),
            "channel": copy.deepcopy(channel),
            "token": f"fake-interaction-token-{iid}",
            "version": 1,
            "locale": user.locale,
            "app_permissions": str(BOT_PERMISSIONS),
            "entitlements": [],
            "attachment_size_limit": 26_214_400,
        }
        payload.update(self._interaction_actor(channel, user))
        return payload

    def _interaction_actor(self, channel: JSON, user: FakeUser) -> JSON:
        """Return the guild/member or DM/user part of an interaction payload."""
        guild_id = channel.get("guild_id")
        if guild_id is None:
            return {"context": 1, "user": user.payload(), "authorizing_integration_owners": {}}
        member = self.guild.member(user.id)
        if member is None:
            raise LookupError(f"user {user.id} is not a member of guild {guild_id}")
        perms = self.guild.permissions_of(member)
        return {
            "guild_id": guild_id,
            "guild_locale": self.guild.preferred_locale,
            "context": 0,
            "member": member.payload(permissions=perms),
            "authorizing_integration_owners": {"0": guild_id},
        }

    async def slash_command(
        self,
        command: str,
        *,
        user: Person,
        channel_id: int,
        options: Mapping[str, object] | None = None,
    ) -> JSON:
        """Dispatch a CHAT_INPUT interaction for a synced command, e.g. ``"support claim"``."""
        names = command.split()
        guild_id = self._channel(channel_id).get("guild_id")
        definition = self._synced_command(names[0], guild_id)
        leaf, path = _walk_subcommands(definition, names[1:])
        values, resolved = self._option_values(leaf, options or {})
        for name, kind in reversed(path):
            values = [{"name": name, "type": kind, "options": values}]
        data: JSON = {"id": definition["id"], "name": names[0], "type": 1, "options": values}
        if "guild_id" in definition:
            data["guild_id"] = definition["guild_id"]
        if resolved:
            data["resolved"] = resolved
        return await self.interaction_create(2, data, user=user, channel_id=channel_id)

    def _synced_command(self, name: str, guild_id: str | None) -> JSON:
        """Return the synced chat-input command (guild first, then global)."""
        scopes: list[int | None] = [int(guild_id)] if guild_id else []
        for scope in [*scopes, None]:
            for command in self._commands.get(scope, []):
                if command["name"] == name and int(command.get("type") or 1) == 1:
                    return command
        raise LookupError(f"/{name} was never synced to the fake (call tree.sync() first)")

    def _option_values(self, leaf: JSON, options: Mapping[str, object]) -> tuple[list[JSON], JSON]:
        """Return typed option values for a (sub)command and their ``resolved`` data."""
        declared = {str(o["name"]): o for o in leaf.get("options") or []}
        missing = [n for n, o in declared.items() if o.get("required") and n not in options]
        unknown = [n for n in options if n not in declared]
        if missing or unknown:
            raise LookupError(f"options missing {missing} / not declared {unknown}")
        resolved: JSON = {}
        values = []
        for name, value in options.items():
            kind = int(declared[name]["type"])
            typed = self._option_value(kind, value, resolved)
            values.append({"name": name, "type": kind, "value": typed})
        return values, resolved

    def _option_value(self, kind: int, value: object, resolved: JSON) -> object:
        """Return the wire value of one option, filling ``resolved`` for users/roles/channels."""
        if kind in (6, 9) and isinstance(value, FakeUser | FakeMember):
            user = self._register(value)
            resolved.setdefault("users", {})[str(user.id)] = user.payload()
            member = self.guild.member(user.id)
            if member is not None:
                perms = self.guild.permissions_of(member)
                member_data = member.payload(with_user=False, permissions=perms)
                resolved.setdefault("members", {})[str(user.id)] = member_data
            return str(user.id)
        if kind == 8 and isinstance(value, FakeRole):
            resolved.setdefault("roles", {})[str(value.id)] = value.payload()
            return str(value.id)
        if kind == 7 and isinstance(value, int):
            channel = self._channel(value)
            resolved.setdefault("channels", {})[str(value)] = {**channel, "permissions": "0"}
            return str(value)
        return value

    async def component_interaction(
        self,
        message_id: int,
        custom_id: str,
        *,
        user: Person,
        values: Sequence[str] | None = None,
    ) -> JSON:
        """Dispatch a MESSAGE_COMPONENT interaction for a component on a stored message."""
        msg = self._messages.get(message_id)
        component = _find_component(msg.get("components") or [], custom_id) if msg else None
        if msg is None or component is None:
            raise LookupError(f"no component {custom_id!r} on message {message_id}")
        data: JSON = {"custom_id": custom_id, "component_type": int(component["type"])}
        if values is not None:
            data["values"] = list(values)
        channel_id = int(msg["channel_id"])
        return await self.interaction_create(3, data, user=user, channel_id=channel_id, message=msg)

    async def button_click(self, message_id: int, custom_id: str, *, user: Person) -> JSON:
        """Dispatch a click on the button ``custom_id`` of a stored message."""
        return await self.component_interaction(message_id, custom_id, user=user)

    # -- records ---------------------------------------------------------------------------

    def sent_messages(self, channel_id: int | None = None) -> list[JSON]:
        """Return messages the bot posted via POST /channels/{id}/messages (current state)."""
        messages = [self._messages[mid] for mid in self._sent]
        return [m for m in messages if channel_id is None or m["channel_id"] == str(channel_id)]

    def interaction_responses(self, interaction_id: int | None = None) -> list[InteractionResponse]:
        """Return the interaction callbacks the bot made, oldest first."""
        return [r for r in self._responses if interaction_id in (None, r.interaction_id)]

    def followups(self, interaction_id: int | None = None) -> list[JSON]:
        """Return followup messages (POST /webhooks/{app}/{token}), oldest first."""
        ids = [
            mid
            for iid, it in self._interactions.items()
            if interaction_id in (None, iid)
            for mid in it.followup_ids
        ]
        return [self._messages[mid] for mid in sorted(ids)]

    def original_response(self, interaction_id: int) -> JSON | None:
        """Return the message standing for an interaction's response, if any."""
        it = self._interactions.get(interaction_id)
        mid = it.original_id if it is not None else None
        return None if mid is None else self._messages[mid]

    def message(self, message_id: int) -> JSON:
        """Return the current state of a stored message."""
        return self._messages[message_id]

    def threads(self) -> list[JSON]:
        """Return the threads the bot created, oldest first."""
        return [self._channels[tid] for tid in self._thread_ids]

    def thread_members(self, thread_id: int) -> list[int]:
        """Return the user ids in a thread (the bot joins its own threads)."""
        return list(self._thread_members.get(thread_id, []))

    def commands(self, guild_id: int | None = None) -> list[JSON]:
        """Return the application commands synced globally (None) or to a guild."""
        return list(self._commands.get(guild_id, []))

    @property
    def unhandled(self) -> list[RestCall]:
        """Return REST calls no route handled (answered 404 Unknown)."""
        return [c for c in self.calls if not c.routed]

    def calls_to(self, method: str, path: str) -> list[RestCall]:
        """Return the REST calls with this method and exact path."""
        return [c for c in self.calls if c.method == method and c.path == path]

    async def wait_for(self, predicate: Callable[[], T], timeout: float = 5.0) -> T:  # noqa: ASYNC109
        """Poll ``predicate`` until it returns something truthy; return it."""
        return await wait_until(predicate, timeout)


_EMPTY_GUILD_FIELDS: JSON = {
    "icon": None,
    "banner": None,
    "splash": None,
    "discovery_splash": None,
    "description": None,
    "features": [],
    "emojis": [],
    "stickers": [],
    "voice_states": [],
    "presences": [],
    "stage_instances": [],
    "guild_scheduled_events": [],
    "soundboard_sounds": [],
    "preferred_locale": "en-US",
    "verification_level": 0,
    "default_message_notifications": 0,
    "explicit_content_filter": 0,
    "mfa_level": 0,
    "nsfw_level": 0,
    "premium_tier": 0,
    "premium_subscription_count": 0,
    "premium_progress_bar_enabled": False,
    "system_channel_id": None,
    "system_channel_flags": 0,
    "rules_channel_id": None,
    "public_updates_channel_id": None,
    "afk_channel_id": None,
    "afk_timeout": 300,
    "application_id": None,
    "vanity_url_code": None,
    "max_members": 500_000,
}

_APPLICATION_FIELDS: JSON = {
    "description": "",
    "icon": None,
    "bot_public": False,
    "bot_require_code_grant": False,
    "verify_key": "0" * 64,
    "team": None,
    "rpc_origins": [],
    "redirect_uris": [],
    "interactions_endpoint_url": None,
    "tags": [],
}


async def _send(ws: web.WebSocketResponse, frame: JSON) -> None:
    """Send a JSON text frame, ignoring sockets that are already closing."""
    if ws.closed:
        return
    with contextlib.suppress(ConnectionError, RuntimeError):
        await ws.send_str(json.dumps(frame))


def _required_intent(event: str, data: JSON) -> int:
    """Return the intent a client needs to receive this event (0 = none)."""
    if event == "TYPING_START":
        return INTENT_GUILD_MESSAGE_TYPING if "guild_id" in data else INTENT_DIRECT_MESSAGE_TYPING
    if event.startswith("MESSAGE_"):
        return INTENT_GUILD_MESSAGES if "guild_id" in data else INTENT_DIRECT_MESSAGES
    if event.startswith(("CHANNEL_", "THREAD_")):
        return INTENT_GUILDS
    return 0


def _visible_to(intents: int, event: str, data: JSON, bot_id: int) -> JSON | None:
    """Return the event as a session with these intents sees it, or None if filtered out."""
    needed = _required_intent(event, data)
    if needed and not intents & needed:
        return None
    if event in ("MESSAGE_CREATE", "MESSAGE_UPDATE") and _content_hidden(intents, data, bot_id):
        return {**data, "content": "", "embeds": [], "attachments": [], "components": []}
    return data


def _content_hidden(intents: int, data: JSON, bot_id: int) -> bool:
    """Return whether MESSAGE_CONTENT rules blank this guild message for the bot."""
    if intents & INTENT_MESSAGE_CONTENT or "guild_id" not in data:
        return False
    me = str(bot_id)
    mentioned = any(u.get("id") == me for u in data.get("mentions") or [])
    return data.get("author", {}).get("id") != me and not mentioned


async def _read_body(request: web.Request) -> tuple[Any, list[str]]:
    """Return the request's JSON body (or payload_json of a multipart) and file names."""
    if request.content_type.startswith("multipart/"):
        return await _read_multipart(request)
    raw = await request.read()
    if not raw:
        return None, []
    try:
        return json.loads(raw), []
    except ValueError:
        return raw.decode("utf-8", "replace"), []


async def _read_multipart(request: web.Request) -> tuple[Any, list[str]]:
    """Return payload_json and the uploaded file names of a multipart body."""
    body: Any = None
    files: list[str] = []
    reader = await request.multipart()
    while (part := await reader.next()) is not None:
        if not isinstance(part, BodyPartReader):
            continue
        if part.name == "payload_json":
            body = json.loads(await part.text())
        else:
            files.append(part.filename or part.name or "file")
            await part.read()
    return body, files


def _response(reply: Reply) -> web.Response:
    """Return the aiohttp response; JSON bodies carry exactly application/json."""
    if reply.status == 204:
        return web.Response(status=204, headers=reply.headers)
    headers = {"Content-Type": "application/json", **reply.headers}
    return web.Response(status=reply.status, body=json.dumps(reply.body).encode(), headers=headers)


def _rate_limited(rule: _RateLimit) -> Reply:
    """Return a 429 with the body and headers discord.py reads (Via marks it as Discord's)."""
    body = {"message": "You are being rate limited.", "retry_after": rule.retry_after}
    body["global"] = rule.is_global
    headers = {
        "Retry-After": str(math.ceil(rule.retry_after)),
        "X-RateLimit-Limit": "5",
        "X-RateLimit-Remaining": "0",
        "X-RateLimit-Reset": f"{time.time() + rule.retry_after:.3f}",
        "X-RateLimit-Reset-After": f"{rule.retry_after:.3f}",
        "X-RateLimit-Bucket": "fake-" + rule.prefix.strip("/").replace("/", "-"),
        "X-RateLimit-Scope": "global" if rule.is_global else "user",
        "Via": "1.1 google",
    }
    if rule.is_global:
        headers["X-RateLimit-Global"] = "true"
    return Reply(429, body, headers)


def _body(call: RestCall) -> JSON:
    """Return the call's JSON object body ({} if none)."""
    return call.body if isinstance(call.body, dict) else {}


def _check_message(body: JSON, files: Sequence[str]) -> None:
    """Reject empty or over-long messages as Discord does."""
    keys = ("content", "embeds", "components", "sticker_ids", "poll")
    if not files and not any(body.get(k) for k in keys):
        raise ApiError(400, 50006, "Cannot send an empty message")
    if len(body.get("content") or "") > 2000:
        raise ApiError(400, 50035, "Invalid Form Body: content must be 2000 or fewer in length")


def _embed(embed: JSON) -> JSON:
    """Return an embed as Discord echoes it (type rich by default)."""
    return {"type": "rich", **embed}


def _apply_edit(msg: JSON, body: JSON) -> None:
    """Apply a message edit (content, embeds, components, ...) and clear 'loading'."""
    if "content" in body:
        msg["content"] = body["content"] or ""
    if "embeds" in body:
        msg["embeds"] = [_embed(e) for e in body["embeds"] or []]
    if "components" in body:
        msg["components"] = list(body["components"] or [])
    if "allowed_mentions" in body:
        msg["allowed_mentions"] = body["allowed_mentions"]
    msg["flags"] = int(msg.get("flags") or 0) & ~LOADING
    msg["edited_timestamp"] = _now()


def _callback_object(it: _Interaction, kind: int, msg: JSON | None) -> JSON:
    """Return the with_response=1 body of an interaction callback."""
    flags = int(msg["flags"]) if msg else 0
    inner: JSON = {"id": it.payload["id"], "type": it.payload["type"]}
    inner.update(
        response_message_loading=kind == 5, response_message_ephemeral=bool(flags & EPHEMERAL)
    )
    resource: JSON = {"type": kind}
    if msg is not None:
        inner["response_message_id"] = msg["id"]
        resource["message"] = msg
    return {"interaction": inner, "resource": resource}


def _walk_subcommands(definition: JSON, names: Sequence[str]) -> tuple[JSON, list[tuple[str, int]]]:
    """Return the leaf (sub)command for ``names`` and the (name, type) path to it."""
    node, path = definition, []
    for name in names:
        options = node.get("options") or []
        found = next((o for o in options if o["name"] == name and o["type"] in (1, 2)), None)
        if found is None:
            raise LookupError(f"{definition['name']} has no subcommand (group) {name!r}")
        node = found
        path.append((name, int(found["type"])))
    if any(o["type"] in (1, 2) for o in node.get("options") or []):
        raise LookupError(f"{' '.join([definition['name'], *names])} needs a subcommand")
    return node, path


def _find_component(components: Sequence[JSON], custom_id: str) -> JSON | None:
    """Return the component with this custom_id, searching rows/containers/sections."""
    for component in components:
        if component.get("custom_id") == custom_id:
            return component
        children = list(component.get("components") or [])
        if "accessory" in component:
            children.append(component["accessory"])
        found = _find_component(children, custom_id)
        if found is not None:
            return found
    return None


async def wait_until(predicate: Callable[[], T], timeout: float = 5.0) -> T:  # noqa: ASYNC109
    """Poll ``predicate`` until it returns something truthy; return it or raise TimeoutError."""
    loop = asyncio.get_running_loop()
    deadline = loop.time() + timeout
    while True:
        value = predicate()
        if value:
            return value
        if loop.time() >= deadline:
            raise TimeoutError(f"condition not met within {timeout}s")
        await asyncio.sleep(POLL_INTERVAL)


@contextlib.contextmanager
def pointed_at(fake: FakeDiscord) -> Iterator[FakeDiscord]:
    """Point discord.py's REST base and default gateway at ``fake``; restore them after."""
    old_base, old_gateway = Route.BASE, DiscordWebSocket.DEFAULT_GATEWAY
    Route.BASE = fake.api_base
    DiscordWebSocket.DEFAULT_GATEWAY = yarl.URL(fake.gateway_url)
    try:
        yield fake
    finally:
        Route.BASE, DiscordWebSocket.DEFAULT_GATEWAY = old_base, old_gateway


@contextlib.asynccontextmanager
async def serve(**options: Any) -> AsyncIterator[FakeDiscord]:
    """Start a FakeDiscord (options as for its constructor) pointed at; close it after."""
    fake = FakeDiscord(**options)
    await fake.start()
    try:
        with pointed_at(fake):
            yield fake
    finally:
        await fake.close()


@contextlib.asynccontextmanager
async def run_client(
    client: discord.Client, fake: FakeDiscord, ready_within: float = 5.0
) -> AsyncIterator[discord.Client]:
    """Run ``client.start`` against ``fake`` until on_ready; close the client after."""
    task = asyncio.create_task(client.start(fake.token))
    try:
        await wait_until(lambda: client.is_ready() or task.done(), ready_within)
        if task.done():
            task.result()
            raise RuntimeError("client stopped before it was ready")
        yield client
    finally:
        await client.close()
        await asyncio.wait_for(task, ready_within)
