"""The dashboard's JSON (G3, G4): the same figures as the report, live queues, access."""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path

import pytest

from benchmarks.history import generate_history
from bot.reports.build import build_report
from bot.reports.render import to_json_data
from bot.reports.sources import records_of
from bot.reports.window import window_named
from tests.conftest import ClientMaker
from tests.dashboard_rig import DashRig, dash_rig
from tests.fakes import START

ICELAND = "Do you ship to Iceland?"


@pytest.fixture
async def rig(aiohttp_client: ClientMaker, tmp_path: Path) -> DashRig:
    return await dash_rig(aiohttp_client, tmp_path)


async def seeded(rig: DashRig) -> None:
    """Nine days of generated history before now, and a few tickets today."""
    await generate_history(rig.bot.services.store, 300, 7, START - timedelta(days=9), 9)
    for _ in range(330):  # the generated ids are taken: new tickets and requests come after
        await rig.bot.services.store.next_number("ticket", start=1001)
    await rig.resolved("ua", ICELAND, "orders", "Yes: 5-8 working days, 19 EUR shipping.")
    await rig.handed_over("ub", "My parcel to Reykjavik is stuck in customs", "orders")


@pytest.mark.parametrize("period", ["today", "week", "month"])
async def test_g3_the_dashboard_shows_the_reports_figures(rig: DashRig, period: str) -> None:
    await seeded(rig)
    status, data = await rig.get(f"/api/staff/dashboard?period={period}")
    assert status == 200
    services = rig.bot.services
    records = await records_of(services)
    window = window_named(period, rig.clock.now())
    assert data["window"] == {
        "period": period,
        "since": window.since.isoformat(),
        "until": window.until.isoformat(),
    }
    assert data["period"] == to_json_data(build_report(records, window))
    today = window_named("today", rig.clock.now())
    assert data["today"] == to_json_data(build_report(records, today))
    total = data["period"]["total"]
    assert total["tickets_opened"] > 2
    assert sum(d["opened"] for d in data["series"]) == (
        total["tickets_opened"] + total["requests_opened"]
    )
    assert sum(d["closed"] for d in data["series"]) == (
        total["tickets_closed"] + total["requests_closed"]
    )
    assert data["ratings"] == total["ratings"]
    goals = {g["department"]: g["goals"] for g in data["goals"]}
    assert goals == {s["id"]: s["goals"] for s in data["period"]["departments"]}
    assert set(goals) == {"billing", "orders", "technical", "accounts"}


async def test_g4_one_department_and_its_goals(rig: DashRig) -> None:
    await seeded(rig)
    status, data = await rig.get("/api/staff/dashboard?period=week&department=orders")
    assert status == 200
    records = await records_of(rig.bot.services)
    report = build_report(records, window_named("week", rig.clock.now()), "orders")
    assert data["period"] == to_json_data(report)
    assert [q["id"] for q in data["queues"]] == ["orders"]
    ((name, goals),) = [(g["name"], g["goals"]) for g in data["goals"]]
    assert name == "Orders and delivery"
    assert [g["name"] for g in goals] == [g.name for g in report.sections[0].goals]


async def test_daily_series_cut_at_midnight(rig: DashRig) -> None:
    await seeded(rig)
    _, data = await rig.get("/api/staff/dashboard?period=week")
    days = [d["day"] for d in data["series"]]
    assert (days[0], days[-1], len(days)) == ("2026-11-16", "2026-11-23", 8)
    monday = data["series"][-1]
    assert (
        monday["opened"]
        == data["today"]["total"]["tickets_opened"] + (data["today"]["total"]["requests_opened"])
    )
    expected = data["today"]["total"]["first_response"]["median_minutes"]
    assert monday["first_response_median_minutes"] == expected


async def test_the_live_queue_with_waiting_times(rig: DashRig) -> None:
    _, first = await rig.handed_over("ua", "My invoice shows the wrong VAT number", "billing")
    rig.clock.advance(minutes=4)
    _, second = await rig.handed_over("ub", "Where is my refund for the broken kettle", "billing")
    rig.clock.advance(minutes=3)
    status, data = await rig.get("/api/staff/dashboard/queues")
    assert status == 200
    billing = next(q for q in data["queues"] if q["id"] == "billing")
    assert billing["name"] == "Billing"
    assert [(t["id"], t["waited_minutes"], t["kind"]) for t in billing["waiting"]] == [
        (first, 7, "ticket"),
        (second, 3, "ticket"),
    ]
    assert billing["waiting"][0]["topic"] == "My invoice shows the wrong VAT number"
    await rig.staff("claim", first)
    _, data = await rig.get("/api/staff/dashboard/queues?department=billing")
    assert data["queues"] == [
        {**billing, "waiting": billing["waiting"][1:], "claimed": 1, "on_hold": 0}
    ]


async def test_uncovered_questions_offer_resolved_tickets_to_draft_from(rig: DashRig) -> None:
    ticket = await rig.resolved("ua", ICELAND, "orders", "Yes: 5-8 working days.")
    await rig.say("uc", "hi, do you ship to iceland?")
    rig.clock.advance(minutes=1)  # the report's window ends just before now
    _, data = await rig.get("/api/staff/dashboard?period=today")
    top = data["uncovered"][0]
    assert (top["example"], top["count"]) == (ICELAND, 2)
    assert top["candidates"] == [
        {
            "ticket": ticket,
            "topic": ICELAND,
            "language": "en",
            "department": "orders",
            "summary": "Yes: 5-8 working days.",
            "resolved_at": (START + timedelta(minutes=13)).isoformat(),
        }
    ]


@pytest.mark.parametrize(
    "path",
    [
        "/api/staff/dashboard",
        "/api/staff/dashboard/queues",
        "/api/staff/kb/drafts",
    ],
)
async def test_staff_only(rig: DashRig, path: str) -> None:
    for headers in ({}, {"Authorization": "Bearer wrong"}):
        response = await rig.client.get(path, headers=headers)
        assert response.status == 401
        assert "staff token" in (await response.json())["error"]
    response = await rig.client.post("/api/staff/kb/drafts", json={"ticket": "T-1001"})
    assert response.status == 401


async def test_the_page_is_served_with_the_strict_policy(rig: DashRig) -> None:
    response = await rig.client.get("/dashboard")
    assert response.status == 200
    assert "script-src 'self'" in response.headers["Content-Security-Policy"]
    assert '<script type="module" src="/static/dashboard.js">' in await response.text()


@pytest.mark.parametrize(
    ("query", "message"),
    [
        ("period=year", "Unknown period 'year'; use one of: today, week, month."),
        ("department=nowhere", "Unknown department 'nowhere'; known: billing, orders,"),
    ],
)
async def test_unknown_period_or_department(rig: DashRig, query: str, message: str) -> None:
    for path in ("/api/staff/dashboard", "/api/staff/dashboard/queues"):
        status, body = await rig.get(f"{path}?{query}")
        assert status == 400
        assert body["error"].startswith(message)
