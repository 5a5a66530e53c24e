"""Who may open a web conversation: the customer who holds its token, from our own origin or
an allowed embedding site. The conversation id alone opens nothing."""

from __future__ import annotations

import hashlib
import hmac
import secrets

from aiohttp import hdrs, web
from aiohttp.typedefs import Handler

from bot.adapters.web_guard import LIMITS
from bot.adapters.web_json import phrase_error
from bot.conversation import Conversation

COOKIE = "supportbot_customer"
COOKIE_PATH = "/api/chat"
COOKIE_DAYS = 30
ORIGINS: web.AppKey[frozenset[str]] = web.AppKey("allowed_origins", frozenset)
SAFE_METHODS = frozenset({"GET", "HEAD", "OPTIONS"})
CORS_HEADERS = "Authorization, Content-Type, Accept-Language"


def new_token() -> tuple[str, str]:
    """A fresh customer token and the digest that is stored in its place."""
    token = secrets.token_urlsafe(32)
    return token, digest(token)


def digest(token: str) -> str:
    return hashlib.sha256(token.encode("utf-8", "surrogatepass")).hexdigest()


def set_cookie(request: web.Request, response: web.StreamResponse, token: str) -> None:
    """The page's copy of the token: script cannot read it, other sites cannot send it."""
    response.set_cookie(
        COOKIE,
        token,
        path=COOKIE_PATH,
        max_age=COOKIE_DAYS * 86400,
        httponly=True,
        samesite="Strict",
        secure=request.secure,
    )


def presented_token(request: web.Request, query_allowed: bool = False) -> str:
    """The token the client sent: `Authorization: Bearer`, the page's cookie, or (for a
    WebSocket, which cannot send headers from a browser) `?token=`."""
    scheme, _, value = request.headers.get(hdrs.AUTHORIZATION, "").partition(" ")
    if scheme.lower() == "bearer" and value.strip():
        return value.strip()
    if query_allowed and request.query.get("token"):
        return request.query["token"]
    return request.cookies.get(COOKIE, "")


def check_token(request: web.Request, conversation: Conversation, token: str) -> None:
    """401 without a token, 403 with one that is not this conversation's."""
    if not token:
        problem = phrase_error(401, "api_token_required")
        problem.headers[hdrs.WWW_AUTHENTICATE] = 'Bearer realm="customer"'
        raise problem
    if not opens(conversation, token):
        raise phrase_error(403, "api_wrong_token")


def opens(conversation: Conversation, token: str) -> bool:
    """Whether `token` is the conversation's own (compared in constant time)."""
    stored = conversation.access_hash
    return bool(stored and token) and hmac.compare_digest(stored, digest(token))


@web.middleware
async def same_origin(request: web.Request, handler: Handler) -> web.StreamResponse:
    """State-changing API requests and WebSockets come from our own pages or an allowed
    embedding site (a browser always says which in `Origin`); the allowed sites' preflight
    requests are answered here."""
    if not request.path.startswith("/api/"):
        return await handler(request)
    origin = request.headers.get(hdrs.ORIGIN)
    if origin is None or _own(request, origin):
        return await handler(request)
    if origin.lower() not in request.app[ORIGINS]:
        if _changes_state(request):
            raise phrase_error(403, "api_foreign_origin")
        return await handler(request)
    if request.method == "OPTIONS":
        return web.Response(status=204, headers=_preflight())
    return await handler(request)


def add_cors(request: web.Request, response: web.StreamResponse) -> None:
    """An allowed embedding site may read our API's answers, errors included."""
    origin = request.headers.get(hdrs.ORIGIN)
    if origin is None or not request.path.startswith("/api/") or _own(request, origin):
        return
    if origin.lower() in request.app.get(ORIGINS, frozenset()):
        response.headers[hdrs.ACCESS_CONTROL_ALLOW_ORIGIN] = origin
        response.headers[hdrs.ACCESS_CONTROL_EXPOSE_HEADERS] = "Retry-After"
        response.headers[hdrs.VARY] = "Origin"


def _changes_state(request: web.Request) -> bool:
    return request.method not in SAFE_METHODS or request.path.endswith("/ws")


def _own(request: web.Request, origin: str) -> bool:
    """`Origin` names the host the request was sent to (scheme aside: a TLS proxy in front
    changes it); a trusted proxy's `X-Forwarded-Host` counts as that host."""
    _, _, host = origin.lower().partition("://")
    hosts = {request.host.lower()}
    if request.remote in request.app[LIMITS].trusted:
        forwarded = request.headers.get(hdrs.X_FORWARDED_HOST, "")
        hosts |= {h.strip().lower() for h in forwarded.split(",") if h.strip()}
    return bool(host) and host in hosts


def _preflight() -> dict[str, str]:
    return {
        hdrs.ACCESS_CONTROL_ALLOW_METHODS: "GET, POST",
        hdrs.ACCESS_CONTROL_ALLOW_HEADERS: CORS_HEADERS,
        hdrs.ACCESS_CONTROL_MAX_AGE: "600",
    }
