"""The staff dashboard on the web server: its page and the JSON behind it (staff token)."""

from __future__ import annotations

from pathlib import Path

from aiohttp import web

from bot.adapters import web_drafts
from bot.adapters.web_customer import BOT
from bot.adapters.web_json import error
from bot.adapters.web_staff import staff_member
from bot.dashboard import DashboardError, check_choice, dashboard_data, queues_data

STATIC = Path(__file__).parent / "web_static"


def add_routes(app: web.Application) -> None:
    """GET /dashboard, the dashboard's API and the knowledge-base drafts API."""
    app.router.add_get("/dashboard", get_page)
    app.router.add_get("/api/staff/dashboard", get_dashboard)
    app.router.add_get("/api/staff/dashboard/queues", get_queues)
    web_drafts.add_routes(app)


async def get_page(_: web.Request) -> web.FileResponse:
    """The page itself is public; everything it shows needs the staff token."""
    return web.FileResponse(STATIC / "dashboard.html", headers={"Cache-Control": "no-cache"})


async def get_dashboard(request: web.Request) -> web.Response:
    """?period=today|week|month&department=<id>: queues, figures, series, goals, gaps."""
    await staff_member(request)
    period, department = _choice(request)
    data = await dashboard_data(request.app[BOT].services, period, department)
    return web.json_response(data, headers={"Cache-Control": "no-store"})


async def get_queues(request: web.Request) -> web.Response:
    """Only the live queues (cheap: refreshed on every ticket change)."""
    await staff_member(request)
    _, department = _choice(request)
    queues = await queues_data(request.app[BOT].services, department)
    return web.json_response({"queues": queues}, headers={"Cache-Control": "no-store"})


def _choice(request: web.Request) -> tuple[str, str]:
    period = request.query.get("period", "week").strip().lower()
    department = request.query.get("department", "").strip()
    try:
        check_choice(request.app[BOT].services, period, department)
    except DashboardError as problem:
        raise error(400, str(problem)) from None
    return period, department
