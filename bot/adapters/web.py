"""The built-in web chat: customer page, staff page, JSON API and WebSockets on aiohttp."""

from __future__ import annotations

from pathlib import Path

from aiohttp import web
from aiohttp.typedefs import Handler

from bot.adapters import (
    web_customer,
    web_dashboard,
    web_openapi,
    web_page,
    web_processes,
    web_staff,
)
from bot.adapters.web_access import ORIGINS, add_cors, same_origin
from bot.adapters.web_customer import BOT, HUB
from bot.adapters.web_guard import LIMITS, WebLimits
from bot.adapters.web_hub import Hub
from bot.adapters.web_json import MAX_BODY_BYTES, PHRASES, json_errors
from bot.core import Bot
from bot.models import Address, Reply

STATIC = Path(__file__).parent / "web_static"
READY: web.AppKey[bool] = web.AppKey("ready", bool)
CSP = (
    "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
    "connect-src 'self'; frame-ancestors 'none'; base-uri 'none'; form-action 'self'"
)


class WebChat:
    """The web platform's Chat port: the transcript is the customer's mailbox and the hub
    pushes every recorded message to open pages, so there is nothing more to send."""

    platform = "web"

    async def send(self, address: Address, reply: Reply) -> None:
        return None


def create_app(bot: Bot) -> web.Application:
    """The aiohttp application; `/healthz` answers 200 once `mark_ready` was called."""
    middlewares = [json_errors, _static_names, same_origin]
    app = web.Application(client_max_size=MAX_BODY_BYTES, middlewares=middlewares)
    app.on_response_prepare.append(_headers)  # every response, errors and 404s included
    hub = Hub(bot.services.staff_names)
    hub.queue_staff = lambda department: _web_staff(bot, department)
    app[BOT], app[HUB], app[READY] = bot, hub, False
    app[PHRASES] = web_page.render_phrase
    app[LIMITS] = WebLimits.of(bot.services.settings, bot.services.store.token_buckets())
    app[ORIGINS] = frozenset(bot.services.settings.allowed_origins)
    bot.services.chats.setdefault("web", WebChat())
    unsubscribe = bot.services.bus.subscribe(hub.on_event)
    if (broadcast := bot.services.store.broadcast()) is not None:
        web_processes.listen(hub, bot.services, broadcast)

    async def shutdown(_: web.Application) -> None:
        unsubscribe()
        await hub.close_all()

    app.on_shutdown.append(shutdown)
    _add_routes(app)
    return app


def mark_ready(app: web.Application) -> None:
    app[READY] = True


def _add_routes(app: web.Application) -> None:
    app.router.add_get("/", _page("index.html"))
    app.router.add_get("/staff", _page("staff.html"))
    app.router.add_static("/static/", STATIC, append_version=False)
    app.router.add_get("/healthz", _health)
    app.router.add_get("/api/openapi.json", web_openapi.get_description)
    app.router.add_post("/api/chat", web_customer.post_message)
    app.router.add_post("/api/chat/action", web_customer.post_action)
    app.router.add_get("/api/chat/page", web_page.get_page_texts)
    app.router.add_get("/api/chat/{conversation}/messages", web_customer.get_messages)
    app.router.add_get("/api/chat/{conversation}/ws", web_customer.open_socket)
    app.router.add_get("/api/staff/me", web_staff.get_me)
    app.router.add_get("/api/staff/conversations", web_staff.get_conversations)
    app.router.add_get(
        "/api/staff/conversations/{ref}/messages", web_staff.get_conversation_messages
    )
    app.router.add_post("/api/staff/command", web_staff.post_command)
    app.router.add_post("/api/staff/action", web_staff.post_action)
    app.router.add_get("/api/staff/ws", web_staff.open_socket)
    web_dashboard.add_routes(app)  # GET /dashboard, its API and the knowledge-base drafts


def _page(name: str) -> Handler:
    async def serve(_: web.Request) -> web.FileResponse:
        return web.FileResponse(STATIC / name, headers={"Cache-Control": "no-cache"})

    return serve


async def _health(request: web.Request) -> web.Response:
    if not request.app[READY]:
        return web.json_response({"status": "starting"}, status=503)
    return web.json_response({"status": "ok"})


async def _headers(request: web.Request, response: web.StreamResponse) -> None:
    """Security headers on every response; `Server` names no software or version."""
    add_cors(request, response)
    response.headers.setdefault("Content-Security-Policy", CSP)
    response.headers.setdefault("X-Content-Type-Options", "nosniff")
    response.headers.setdefault("Referrer-Policy", "no-referrer")
    response.headers["Server"] = "supportbot"


@web.middleware
async def _static_names(request: web.Request, handler: Handler) -> web.StreamResponse:
    """A static file name the file system refuses (too long, odd bytes) is simply not there."""
    try:
        return await handler(request)
    except (OSError, ValueError):
        if not request.path.startswith("/static/"):
            raise
        raise web.HTTPNotFound() from None


def _web_staff(bot: Bot, department_id: str) -> tuple[str, ...]:
    """The web staff ids of a department, who see its queue notices on the staff page."""
    department = bot.services.departments.get(department_id)
    return department.staff.get("web", ()) if department else ()
