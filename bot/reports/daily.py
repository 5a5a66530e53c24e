"""Figures per day (UTC) of a reported period, for the dashboard's charts."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import UTC, date, datetime, time, timedelta
from typing import Any

from bot.reports.build import Window
from bot.reports.figures import figures_of, in_window
from bot.reports.render import figures_data
from bot.tickets.measures import Facts


def days_of(window: Window) -> list[Window]:
    """The window cut at midnight UTC: the first and last day may be partial."""
    days = []
    start = window.since
    while start < window.until:
        midnight = datetime.combine(start.astimezone(UTC).date() + timedelta(days=1), time(), UTC)
        end = min(midnight, window.until)
        days.append(Window(start, end))
        start = end
    return days


def daily_series(facts: Iterable[Facts], window: Window) -> list[dict[str, Any]]:
    """Per day: tickets and requests opened and closed, median first response and resolution
    (minutes, of those opened that day); the days add up to the period's report."""
    days = days_of(window)
    opened: dict[date, list[Facts]] = {_day(d.since): [] for d in days}
    closed: dict[date, list[Facts]] = {_day(d.since): [] for d in days}
    for f in facts:
        if in_window(f.opened_at, window.since, window.until):
            opened[_day(f.opened_at)].append(f)
        if in_window(f.closed_at, window.since, window.until) and f.closed_at is not None:
            closed[_day(f.closed_at)].append(f)
    series = []
    for day in days:
        key = _day(day.since)
        data = figures_data(figures_of(opened[key], closed[key]))
        series.append(
            {
                "day": key.isoformat(),
                "opened": data["tickets_opened"] + data["requests_opened"],
                "closed": data["tickets_closed"] + data["requests_closed"],
                "first_response_median_minutes": data["first_response"]["median_minutes"],
                "resolution_median_minutes": data["resolution"]["median_minutes"],
            }
        )
    return series


def _day(at: datetime) -> date:
    return at.astimezone(UTC).date()
