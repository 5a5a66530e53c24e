"""`/stats [department] [period]`: the headline figures in chat (G3, G4)."""

from __future__ import annotations

import asyncio

from bot.core import Context
from bot.handlers.commands import command
from bot.models import Reply
from bot.reports.build import build_report
from bot.reports.sources import records_of
from bot.reports.text import summary_lines
from bot.reports.window import PeriodError, window_named


@command("stats", "/stats [department] [today|week|month|7d|24h]", "figures for a period")
async def stats(ctx: Context) -> list[Reply]:
    department, period = "", ""
    for word in ctx.incoming.text.split():
        if word in ctx.services.departments:
            department = word
        else:
            period = word
    try:
        window = window_named(period, ctx.services.clock.now())
    except PeriodError as error:
        return [Reply(str(error))]
    records = await records_of(ctx.services, window.since)
    report = await asyncio.to_thread(build_report, records, window, department)
    section = next((s for s in report.sections if s.department == department), None)
    figures = section.figures if section else report.total
    name = section.name if section else "All departments"
    header = f"{name}, {window.since:%d %b %H:%M} – {window.until:%d %b %H:%M} UTC"
    goals = [
        f"  goal {g.name}: {g.goal}; actual {g.actual}" for g in (section.goals if section else [])
    ]
    return [Reply("\n".join([header, *summary_lines(figures), *goals]))]
