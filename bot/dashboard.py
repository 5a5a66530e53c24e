"""The staff dashboard's data: live queues, today's and a period's report, figures per day,
goals against actuals, and uncovered questions with resolved tickets to draft an entry from.

Every figure comes from `build_report`, so the dashboard and `supportbot report` agree."""

from __future__ import annotations

import asyncio
from dataclasses import asdict
from datetime import datetime
from typing import Any

from bot.core import Services
from bot.kb.candidates import candidates_for, resolved_tickets
from bot.reports.build import Records, Window, all_facts, build_report
from bot.reports.daily import daily_series
from bot.reports.render import TOP_SHOWN, to_json_data
from bot.reports.sources import records_of
from bot.reports.window import window_named
from bot.tickets.desk import TICKETS
from bot.tickets.model import Status, Ticket

PERIODS = ("today", "week", "month")


class DashboardError(ValueError):
    """A period or department the dashboard does not know."""


def check_choice(services: Services, period: str, department: str) -> None:
    """DashboardError naming the valid choices when `period` or `department` is unknown."""
    if period not in PERIODS:
        raise DashboardError(f"Unknown period {period!r}; use one of: {', '.join(PERIODS)}.")
    if department and department not in services.departments:
        known = ", ".join(services.departments) or "none configured"
        raise DashboardError(f"Unknown department {department!r}; known: {known}.")


async def dashboard_data(services: Services, period: str, department: str = "") -> dict[str, Any]:
    """Everything the dashboard shows, for `period` and one department (or all: "")."""
    check_choice(services, period, department)
    now = services.clock.now()
    window = window_named(period, now)
    since = min(window.since, window_named("today", now).since)
    records = await records_of(services, since, now)
    figures = await asyncio.to_thread(_figures, records, window, department)
    return {
        "window": {"period": period, **_window(window)},
        "department": department,
        "departments": [{"id": d.id, "name": d.name("en")} for d in services.departments.values()],
        "queues": await queues_data(services, department),
        **figures,
    }


async def queues_data(services: Services, department: str = "") -> list[dict[str, Any]]:
    """Per department: who is waiting, in order, and how many are claimed or on hold."""
    now = services.clock.now()
    count = services.store.count  # indexed counts: no ticket is loaded to be counted
    queues = []
    for dept in [department] if department else await _departments(services):
        found = services.departments.get(dept)
        queues.append(
            {
                "id": dept,
                "name": found.name("en") if found else dept,
                "waiting": [_waiting(t, now) for t in await services.desk.queue(dept)],
                "claimed": await count(TICKETS, department=dept, status=Status.CLAIMED.value),
                "on_hold": await count(TICKETS, department=dept, status=Status.ON_HOLD.value),
            }
        )
    return queues


def _figures(records: Records, window: Window, department: str) -> dict[str, Any]:
    day = window_named("today", records.now)
    facts = all_facts(records, since=min(day.since, window.since))
    today = build_report(records, day, department, facts=facts)
    report = build_report(records, window, department, facts=facts)
    mine = [f for f in facts if f.department == department] if department else facts
    gaps = report.gaps[:TOP_SHOWN]
    candidates = candidates_for(gaps, resolved_tickets(records.tickets))
    period = to_json_data(report)
    return {
        "today": to_json_data(today),
        "period": period,
        "series": daily_series(mine, window),
        "ratings": period["total"]["ratings"],
        "goals": [
            {"department": s["id"], "name": s["name"], "goals": s["goals"]}
            for s in period["departments"]
        ],
        "uncovered": [
            {**question, "candidates": [asdict(c) for c in found]}
            for question, found in zip(period["uncovered_questions"], candidates, strict=True)
        ],
    }


async def _departments(services: Services) -> list[str]:
    """The configured departments, then any other that has tickets waiting."""
    waiting = await services.store.find(
        TICKETS, where=lambda doc: doc["department"] not in services.departments, status="waiting"
    )
    seen = dict.fromkeys([*services.departments, *(str(doc["department"]) for doc in waiting)])
    return [d for d in seen if d]


def _waiting(ticket: Ticket, now: datetime) -> dict[str, Any]:
    return {
        "id": ticket.id,
        "kind": ticket.kind,
        "topic": ticket.topic,
        "priority": ticket.priority.value,
        "opened_at": ticket.opened_at.isoformat(),
        "waited_minutes": int((now - ticket.opened_at).total_seconds() // 60),
    }


def _window(window: Window) -> dict[str, str]:
    return {"since": window.since.isoformat(), "until": window.until.isoformat()}
