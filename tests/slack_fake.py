"""A local fake of the Slack platform for end-to-end tests, served on 127.0.0.1 only.

`SlackFake` answers the Web API under `fake.url` (pass it as `base_url` to slack_sdk's
clients), records every call, accepts POSTs to response URLs, and runs a Socket Mode
websocket that `apps.connections.open` points to. Rate limits and errors can be injected.

The module functions go the other way: they build and sign the requests Slack sends to an
app (events, slash commands, block actions) so a test can post them to an app under test.

    async with SlackFake() as fake:
        fake.add_user("U1", "anna", display_name="Anna")
        client = AsyncWebClient(token="xoxb-test", base_url=fake.url)
        await client.chat_postMessage(channel="C1", text="hi")
        assert fake.messages("C1")[0]["text"] == "hi"
"""

# ruff: noqa: ASYNC109 - these helpers poll, so a `timeout` argument is what they are about

from __future__ import annotations

import asyncio
import hashlib
import hmac
import itertools
import json
import time
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, Self, TypeVar
from urllib.parse import quote, urlencode

from aiohttp import ClientSession, WSCloseCode, WSMsgType, web
from aiohttp.test_utils import TestServer

JSON_TYPE = "application/json"
FORM_TYPE = "application/x-www-form-urlencoded"
MULTIPART_TYPE = "multipart/form-data"
SCOPES = "chat:write,commands,im:write,users:read,channels:read,im:read"
JSON_FIELDS = ("blocks", "attachments", "metadata")  # form bodies carry these as JSON text
APP_LEVEL_METHODS = frozenset({"apps.connections.open"})  # the only ones taking an xapp- token

T = TypeVar("T")
Params = dict[str, Any]
Answer = tuple[int, dict[str, Any], dict[str, str]]  # HTTP status, JSON body, extra headers


class SlackError(Exception):
    """A Web API error: the handler's way to answer {"ok": false, "error": ...}."""


@dataclass(frozen=True)
class Call:
    """One Web API call as the fake received it (params merged from query, form and JSON)."""

    method: str
    params: Params
    at: float  # time.monotonic() on arrival
    token: str | None = None
    status: int = 200

    def __getitem__(self, key: str) -> Any:
        """Shortcut for `call.params[key]`."""
        return self.params[key]


@dataclass(frozen=True)
class SlackUser:
    """A member of the fake workspace, as users.info returns it."""

    id: str
    name: str
    real_name: str = ""
    display_name: str = ""
    tz: str = "Europe/Berlin"
    is_bot: bool = False
    locale: str = "en-US"  # the user's Slack language, sent only when include_locale is true

    def to_api(self, team_id: str, include_locale: bool = False) -> dict[str, Any]:
        """The `user` object of a users.info answer (with `locale` when asked for)."""
        profile = {"display_name": self.display_name, "real_name": self.real_name}
        locale = {"locale": self.locale} if include_locale else {}
        return locale | {
            "id": self.id,
            "team_id": team_id,
            "name": self.name,
            "real_name": self.real_name,
            "deleted": False,
            "is_bot": self.is_bot,
            "tz": self.tz,
            "profile": profile | {"display_name_normalized": self.display_name},
        }


async def wait_for(
    predicate: Callable[[], T | None], timeout: float = 2.0, interval: float = 0.005
) -> T:
    """Poll `predicate` until it returns something truthy and return that; TimeoutError if not."""
    deadline = time.monotonic() + timeout
    while True:
        result = predicate()
        if result:
            return result
        if time.monotonic() >= deadline:
            raise TimeoutError(f"condition not met within {timeout}s")
        await asyncio.sleep(interval)


class SlackFake:
    """Slack's Web API, response URLs and Socket Mode on 127.0.0.1 at a random port."""

    def __init__(
        self,
        *,
        team_id: str = "T1",
        team: str = "Fake Team",
        bot_user_id: str = "UBOT",
        bot_id: str = "BBOT",
        bot_name: str = "supportbot",
        app_id: str = "A1",
    ) -> None:
        self.team_id, self.team, self.app_id = team_id, team, app_id
        self.bot_user_id, self.bot_id, self.bot_name = bot_user_id, bot_id, bot_name
        self.users: dict[str, SlackUser] = {}
        self.channels: dict[str, dict[str, Any]] = {}
        self.history: dict[str, dict[str, dict[str, Any]]] = {}  # channel -> ts -> message
        self.log: list[Call] = []
        self.posted: list[dict[str, Any]] = []  # accepted chat.postMessage messages, with channel
        self.socket_received: list[dict[str, Any]] = []  # every JSON text a client sent
        self.acks: dict[str, dict[str, Any]] = {}  # envelope_id -> the client's ack
        self.socket_connections = 0  # how many websockets were ever opened
        self._responses: dict[str, list[Any]] = {}
        self._faults: dict[str, list[Answer]] = {}
        self._pace: tuple[float, int] | None = None
        self._post_times: dict[str, list[float]] = {}
        self._last_us = 0
        self._ids = itertools.count(1)
        self._sockets: list[web.WebSocketResponse] = []
        self._server: TestServer | None = None
        self._methods: dict[str, Callable[[Params], dict[str, Any]]] = {
            "auth.test": self._auth_test,
            "chat.postMessage": self._post_message,
            "chat.update": self._update,
            "chat.postEphemeral": self._post_ephemeral,
            "users.info": self._users_info,
            "conversations.open": self._conversations_open,
            "conversations.info": self._conversations_info,
            "apps.connections.open": self._connections_open,
        }

    # ----- lifecycle -----

    async def start(self) -> Self:
        """Start serving on 127.0.0.1 at a free port."""
        app = web.Application()
        app.router.add_route("*", "/api/{method}", self._api)
        app.router.add_post("/response/{name}", self._response)
        app.router.add_get("/socket", self._socket)
        self._server = TestServer(app, host="127.0.0.1")
        await self._server.start_server()
        return self

    async def close(self) -> None:
        """Close open websockets (code 1001), then stop the server."""
        for ws in list(self._sockets):
            await ws.close(code=WSCloseCode.GOING_AWAY, message=b"server shutting down")
        if self._server is not None:
            await self._server.close()
            self._server = None

    async def __aenter__(self) -> Self:
        """Start the fake."""
        return await self.start()

    async def __aexit__(self, *exc: object) -> None:
        """Stop the fake."""
        await self.close()

    @property
    def port(self) -> int:
        """The port the fake listens on."""
        if self._server is None or self._server.port is None:
            raise RuntimeError("SlackFake is not started")
        return self._server.port

    @property
    def root(self) -> str:
        """The server's root, e.g. "http://127.0.0.1:PORT"."""
        return f"http://127.0.0.1:{self.port}"

    @property
    def url(self) -> str:
        """The Web API base URL for slack_sdk, ending in a slash: "http://127.0.0.1:PORT/api/"."""
        return f"{self.root}/api/"

    # ----- directory -----

    def add_user(self, user_id: str, name: str, **fields: Any) -> SlackUser:
        """Add a member that users.info will find (fields: real_name, display_name, tz...)."""
        user = SlackUser(user_id, name, **fields)
        self.users[user_id] = user
        return user

    def add_channel(self, channel_id: str, name: str, **fields: Any) -> dict[str, Any]:
        """Add a channel that conversations.info will find."""
        info = {"id": channel_id, "name": name, "is_channel": True, "is_im": False}
        self.channels[channel_id] = info | {"is_private": False, "is_member": True} | fields
        return self.channels[channel_id]

    def dm_channel(self, user_id: str) -> str:
        """The id of the direct-message channel with `user_id` ("D" + the user's id)."""
        channel_id = "D" + user_id
        im = {"id": channel_id, "is_im": True, "is_channel": False, "user": user_id}
        self.channels.setdefault(channel_id, im)
        return channel_id

    # ----- injection -----

    def rate_limit(self, method: str, times: int = 1, retry_after: int = 1) -> None:
        """Answer the next `times` calls of `method` with HTTP 429 and Retry-After."""
        answer = (429, _error("ratelimited"), {"Retry-After": str(retry_after)})
        self._faults.setdefault(method, []).extend([answer] * times)

    def fail(self, method: str, error: str, times: int = 1) -> None:
        """Answer the next `times` calls of `method` with {"ok": false, "error": error}."""
        self._faults.setdefault(method, []).extend([(200, _error(error), {})] * times)

    def pace_channels(self, min_interval: float = 1.0, retry_after: int = 1) -> None:
        """Rate-limit (429) a chat.postMessage that follows the last one to its channel too soon."""
        self._pace = (min_interval, retry_after)

    # ----- what happened -----

    def calls(self, method: str | None = None) -> list[Call]:
        """Every recorded call, or those of one method, in order of arrival."""
        return [call for call in self.log if method is None or call.method == method]

    def messages(self, channel: str | None = None) -> list[dict[str, Any]]:
        """Accepted chat.postMessage messages (text, ts, thread_ts, blocks, channel...) in order."""
        return [m for m in self.posted if channel is None or m["channel"] == channel]

    def post_times(self, channel: str) -> list[float]:
        """Monotonic arrival times of accepted posts to `channel`."""
        return list(self._post_times.get(channel, []))

    def min_gap(self, channel: str) -> float | None:
        """The shortest time between two accepted posts to `channel` (None for fewer than two)."""
        times = self._post_times.get(channel, [])
        return min((b - a for a, b in itertools.pairwise(times)), default=None)

    def response_url(self, name: str) -> str:
        """A response_url on the fake; what is POSTed to it shows up in `responses(name)`."""
        return f"{self.root}/response/{quote(name, safe='')}"

    def responses(self, name: str) -> list[Any]:
        """Bodies POSTed to `response_url(name)` (parsed JSON, or text if not JSON)."""
        return list(self._responses.get(name, []))

    async def wait_for(self, predicate: Callable[[], T | None], timeout: float = 2.0) -> T:
        """Poll `predicate` until truthy and return its value (TimeoutError after `timeout`)."""
        return await wait_for(predicate, timeout)

    async def wait_for_calls(self, method: str, count: int = 1, timeout: float = 2.0) -> list[Call]:
        """Wait until `method` was called at least `count` times; return those calls."""
        await wait_for(lambda: len(self.calls(method)) >= count, timeout)
        return self.calls(method)

    # ----- Web API -----

    async def _api(self, request: web.Request) -> web.Response:
        """Record a Web API call and answer it like Slack."""
        at = time.monotonic()
        method = request.match_info["method"]
        answer: Answer
        try:
            params = await _read_params(request)
        except SlackError as e:
            params, answer = {}, (200, _error(str(e)), {})
        else:
            answer = self._answer(method, params, _token(request, params), at)
        status, body, headers = answer
        self.log.append(Call(method, params, at, _token(request, params), status))
        return web.json_response(body, status=status, headers=headers)

    def _answer(self, method: str, params: Params, token: str | None, at: float) -> Answer:
        """Injected faults first, then token checks, pacing, and the method itself."""
        if queued := self._faults.get(method):
            return queued.pop(0)
        handler = self._methods.get(method)
        if handler is None:
            return 200, _error("unknown_method"), {}
        if problem := _token_problem(method, token):
            return 200, _error(problem), {}
        if method == "chat.postMessage" and (paced := self._paced(params, at)):
            return paced
        try:
            return 200, {"ok": True, **handler(params)}, {"X-OAuth-Scopes": SCOPES}
        except SlackError as e:
            return 200, _error(str(e)), {}

    def _paced(self, params: Params, at: float) -> Answer | None:
        """A 429 when pacing is on and the channel's last accepted post is too recent."""
        times = self._post_times.get(self._resolve(str(params.get("channel", ""))))
        if self._pace is None or not times or at - times[-1] >= self._pace[0]:
            return None
        return 429, _error("ratelimited"), {"Retry-After": str(self._pace[1])}

    def _auth_test(self, params: Params) -> dict[str, Any]:
        """auth.test: who the bot token belongs to."""
        return {
            "url": "https://fake.slack.com/",
            "team": self.team,
            "user": self.bot_name,
            "team_id": self.team_id,
            "user_id": self.bot_user_id,
            "bot_id": self.bot_id,
            "is_enterprise_install": False,
        }

    def _post_message(self, params: Params) -> dict[str, Any]:
        """chat.postMessage: store the message under a new, increasing ts."""
        channel = self._resolve(_required(params, "channel", "channel_not_found"))
        if not any(params.get(key) for key in ("text", "blocks", "attachments")):
            raise SlackError("no_text")
        message = self._message(params)
        self.history.setdefault(channel, {})[message["ts"]] = message
        self.posted.append(message | {"channel": channel})
        self._post_times.setdefault(channel, []).append(time.monotonic())
        return {"channel": channel, "ts": message["ts"], "message": message}

    def _message(self, params: Params) -> dict[str, Any]:
        """A message object as Slack returns it for a post by the bot."""
        message = {"type": "message", "text": params.get("text", ""), "ts": self._next_ts()}
        message |= {"user": self.bot_user_id, "bot_id": self.bot_id, "app_id": self.app_id}
        keep = ("thread_ts", "reply_broadcast", *JSON_FIELDS)
        return message | {key: params[key] for key in keep if params.get(key) is not None}

    def _update(self, params: Params) -> dict[str, Any]:
        """chat.update: change text/blocks of a message the bot posted."""
        channel = self._resolve(_required(params, "channel", "channel_not_found"))
        ts = _required(params, "ts", "message_not_found")
        message = self.history.get(channel, {}).get(ts)
        if message is None:
            raise SlackError("message_not_found")
        message.update({k: params[k] for k in ("text", *JSON_FIELDS) if k in params})
        message["edited"] = {"user": self.bot_user_id, "ts": self._next_ts()}
        return {"channel": channel, "ts": ts, "text": message["text"], "message": message}

    def _post_ephemeral(self, params: Params) -> dict[str, Any]:
        """chat.postEphemeral: only recorded; answers the ephemeral message's ts."""
        _required(params, "channel", "channel_not_found")
        _required(params, "user", "user_not_in_channel")
        return {"message_ts": self._next_ts()}

    def _users_info(self, params: Params) -> dict[str, Any]:
        """users.info: a member of the directory (see add_user); include_locale=true adds
        the user's `locale`, as on Slack."""
        user = self.users.get(str(params.get("user", "")))
        if user is None:
            raise SlackError("user_not_found")
        return {"user": user.to_api(self.team_id, _true(params.get("include_locale")))}

    def _conversations_open(self, params: Params) -> dict[str, Any]:
        """conversations.open: the DM channel with one user (users="U1")."""
        users = params.get("users") or ""
        ids = [u for u in (users if isinstance(users, list) else str(users).split(",")) if u]
        if len(ids) != 1:
            raise SlackError("not_implemented" if ids else "users_list_not_supplied")
        already_open = "D" + ids[0] in self.channels
        channel = self.channels[self.dm_channel(ids[0])]
        return {"no_op": already_open, "already_open": already_open, "channel": channel}

    def _conversations_info(self, params: Params) -> dict[str, Any]:
        """conversations.info: a channel from add_channel or an opened DM."""
        channel = self.channels.get(str(params.get("channel", "")))
        if channel is None:
            raise SlackError("channel_not_found")
        return {"channel": channel}

    def _connections_open(self, params: Params) -> dict[str, Any]:
        """apps.connections.open: a ws:// URL of this fake's Socket Mode endpoint."""
        ticket = next(self._ids)
        return {"url": f"ws://127.0.0.1:{self.port}/socket?ticket={ticket}&app_id={self.app_id}"}

    def _resolve(self, channel: str) -> str:
        """Posting to a user id posts into the DM with that user, as on Slack."""
        return self.dm_channel(channel) if channel[:1] in ("U", "W") else channel

    def _next_ts(self) -> str:
        """A message timestamp ("seconds.micros") strictly greater than the last one."""
        self._last_us = max(time.time_ns() // 1000, self._last_us + 1)
        return f"{self._last_us // 1_000_000}.{self._last_us % 1_000_000:06d}"

    # ----- response_url -----

    async def _response(self, request: web.Request) -> web.Response:
        """Record a POST to a response_url; Slack answers text/plain "ok"."""
        text = await request.text()
        try:
            body: Any = json.loads(text)
        except ValueError:
            body = text
        self._responses.setdefault(request.match_info["name"], []).append(body)
        return web.Response(text="ok")

    # ----- Socket Mode -----

    async def _socket(self, request: web.Request) -> web.WebSocketResponse:
        """A Socket Mode connection: say hello, then record what the client sends."""
        ws = web.WebSocketResponse(timeout=1.0)
        await ws.prepare(request)
        self._sockets.append(ws)
        self.socket_connections += 1
        try:
            await ws.send_json(self._hello())
            async for msg in ws:
                if msg.type == WSMsgType.TEXT:
                    self._on_socket_text(msg.data)
        finally:
            self._sockets.remove(ws)
        return ws

    def _hello(self) -> dict[str, Any]:
        """The first message Slack sends on a new Socket Mode connection."""
        return {
            "type": "hello",
            "num_connections": len(self._sockets),
            "debug_info": {"host": "fake-slack", "approximate_connection_time": 18060},
            "connection_info": {"app_id": self.app_id},
        }

    def _on_socket_text(self, data: str) -> None:
        """Record a client message; one with an envelope_id is an ack."""
        message = json.loads(data)
        self.socket_received.append(message)
        if isinstance(message, dict) and "envelope_id" in message:
            self.acks[message["envelope_id"]] = message

    def _live_socket(self) -> web.WebSocketResponse:
        """The newest open Socket Mode connection."""
        open_sockets = [ws for ws in self._sockets if not ws.closed]
        if not open_sockets:
            raise RuntimeError("no Socket Mode client is connected")
        return open_sockets[-1]

    async def socket_connected(self, count: int = 1, timeout: float = 2.0) -> None:
        """Wait until `count` websockets were opened in total and one of them is open."""
        await wait_for(
            lambda: self.socket_connections >= count and self._has_open_socket(), timeout
        )

    def _has_open_socket(self) -> bool:
        """Whether a Socket Mode client is connected now."""
        return any(not ws.closed for ws in self._sockets)

    async def socket_send(
        self,
        envelope_type: str,
        payload: dict[str, Any],
        *,
        envelope_id: str | None = None,
        accepts_response_payload: bool | None = None,
        retry_attempt: int = 0,
    ) -> str:
        """Push an envelope ("events_api", "slash_commands", "interactive"); return its id."""
        envelope_id = envelope_id or f"env-{next(self._ids)}"
        accepts = envelope_type != "events_api"
        envelope: dict[str, Any] = {"envelope_id": envelope_id, "type": envelope_type}
        envelope |= {"payload": payload, "accepts_response_payload": accepts}
        if accepts_response_payload is not None:
            envelope["accepts_response_payload"] = accepts_response_payload
        if envelope_type == "events_api":
            envelope |= {"retry_attempt": retry_attempt, "retry_reason": ""}
        await self._live_socket().send_json(envelope)
        return envelope_id

    async def socket_ack(self, envelope_id: str, timeout: float = 2.0) -> dict[str, Any]:
        """Wait for the client's ack of an envelope and return it ({"envelope_id", "payload"?})."""
        return await wait_for(lambda: self.acks.get(envelope_id), timeout)

    async def socket_disconnect(self, reason: str = "refresh_requested") -> None:
        """Send Slack's "disconnect" message to every open connection (clients reconnect)."""
        message = {"type": "disconnect", "reason": reason, "debug_info": {"host": "fake-slack"}}
        for ws in [ws for ws in self._sockets if not ws.closed]:
            await ws.send_json(message)


# ----- module helpers -----


def _error(error: str) -> dict[str, Any]:
    """A Web API error body."""
    return {"ok": False, "error": error}


def _true(value: Any) -> bool:
    """A boolean parameter as clients send it: true, "true" or "1" (slack_sdk sends "1")."""
    return value is True or str(value).lower() in ("1", "true")


def _required(params: Params, key: str, error: str) -> str:
    """A parameter the method cannot do without; SlackError(error) when it is missing."""
    value = params.get(key)
    if not value:
        raise SlackError(error)
    return str(value)


def _token(request: web.Request, params: Params) -> str | None:
    """The bearer token, or a `token` parameter as older clients send it."""
    header = request.headers.get("Authorization", "")
    if header.startswith("Bearer "):
        return header.removeprefix("Bearer ").strip() or None
    token = params.get("token")
    return str(token) if token else None


def _token_problem(method: str, token: str | None) -> str | None:
    """Slack's error for a missing token or one of the wrong kind, else None."""
    if not token:
        return "not_authed"
    if token.startswith("xapp-") != (method in APP_LEVEL_METHODS):
        return "not_allowed_token_type"
    return None


async def _read_params(request: web.Request) -> Params:
    """Query, form and JSON parameters merged; JSON-in-form fields (blocks...) decoded."""
    params: Params = dict(request.query)
    if request.content_type == JSON_TYPE:
        raw = await request.read()
        try:
            params.update(json.loads(raw) if raw.strip() else {})
        except ValueError as e:
            raise SlackError("invalid_json") from e
    elif request.content_type in (FORM_TYPE, MULTIPART_TYPE):
        params.update(await request.post())
    return {key: _decode_json_field(key, value) for key, value in params.items()}


def _decode_json_field(key: str, value: Any) -> Any:
    """`blocks='[...]'` from a form body becomes a list, as if it had been sent as JSON."""
    if key not in JSON_FIELDS or not isinstance(value, str) or value[:1] not in ("[", "{"):
        return value
    try:
        return json.loads(value)
    except ValueError:
        return value


def sign(secret: str, body: bytes, timestamp: int) -> dict[str, str]:
    """Slack's v0 request-signing headers for `body` sent at `timestamp`."""
    base = b"v0:" + str(timestamp).encode() + b":" + body
    digest = hmac.new(secret.encode(), base, hashlib.sha256).hexdigest()
    return {"X-Slack-Request-Timestamp": str(timestamp), "X-Slack-Signature": f"v0={digest}"}


def event_payload(
    event: dict[str, Any],
    event_id: str,
    team: str = "T1",
    *,
    app_id: str = "A1",
    bot_user_id: str = "UBOT",
) -> dict[str, Any]:
    """An Events API "event_callback" envelope (also the payload of an events_api envelope)."""
    return {
        "token": "fake-verification-token",
        "team_id": team,
        "api_app_id": app_id,
        "event": event,
        "type": "event_callback",
        "event_id": event_id,
        "event_time": int(time.time()),
        "authorizations": [{"team_id": team, "user_id": bot_user_id, "is_bot": True}],
        "is_ext_shared_channel": False,
    }


def event_body(event: dict[str, Any], event_id: str, team: str = "T1") -> bytes:
    """The JSON body of an Events API request for `event`."""
    return json.dumps(event_payload(event, event_id, team)).encode()


def url_verification_body(challenge: str) -> bytes:
    """The JSON body Slack sends when an Events API request URL is set up."""
    body = {"token": "fake-verification-token", "challenge": challenge}
    return json.dumps(body | {"type": "url_verification"}).encode()


def command_payload(
    command: str = "/support",
    text: str = "",
    *,
    user_id: str = "U1",
    user_name: str = "anna",
    channel_id: str = "C1",
    channel_name: str = "support",
    team: str = "T1",
    response_url: str = "",
    trigger_id: str = "trigger-1",
    app_id: str = "A1",
) -> dict[str, str]:
    """The fields of a slash command (the payload of a slash_commands envelope)."""
    return {
        "token": "fake-verification-token",
        "team_id": team,
        "team_domain": "fake",
        "channel_id": channel_id,
        "channel_name": channel_name,
        "user_id": user_id,
        "user_name": user_name,
        "command": command,
        "text": text,
        "api_app_id": app_id,
        "response_url": response_url,
        "trigger_id": trigger_id,
    }


def command_body(command: str = "/support", text: str = "", **fields: str) -> bytes:
    """The form-encoded body of a slash command POST (fields as in command_payload)."""
    return urlencode(command_payload(command, text, **fields)).encode()


def block_action_payload(
    action_id: str,
    value: str = "",
    *,
    user_id: str = "U1",
    channel_id: str = "C1",
    message_ts: str = "1700000000.000100",
    response_url: str = "",
    block_id: str = "block-1",
    team: str = "T1",
    trigger_id: str = "trigger-1",
) -> dict[str, Any]:
    """A block_actions payload for a button click on a message (for action_body or Socket Mode)."""
    action = {"type": "button", "action_id": action_id, "block_id": block_id, "value": value}
    container = {"type": "message", "message_ts": message_ts, "channel_id": channel_id}
    return {
        "type": "block_actions",
        "user": {"id": user_id, "username": user_id.lower(), "team_id": team},
        "api_app_id": "A1",
        "token": "fake-verification-token",
        "container": container | {"is_ephemeral": False},
        "trigger_id": trigger_id,
        "team": {"id": team, "domain": "fake"},
        "channel": {"id": channel_id, "name": "support"},
        "message": {"type": "message", "ts": message_ts, "text": ""},
        "response_url": response_url,
        "actions": [action | {"action_ts": f"{time.time():.6f}"}],
    }


def action_body(payload: dict[str, Any]) -> bytes:
    """The form-encoded body (`payload=<json>`) of an interactivity POST."""
    return urlencode({"payload": json.dumps(payload)}).encode()


async def post_signed(
    session: ClientSession,
    url: str,
    body: bytes,
    secret: str,
    content_type: str = JSON_TYPE,
    timestamp: int | None = None,
    headers: dict[str, str] | None = None,
) -> tuple[int, str]:
    """POST `body` signed with `secret` (now, unless `timestamp`); return (status, text)."""
    signed = sign(secret, body, int(time.time()) if timestamp is None else timestamp)
    all_headers = {"Content-Type": content_type, **signed, **(headers or {})}
    async with session.post(url, data=body, headers=all_headers) as response:
        return response.status, await response.text()
