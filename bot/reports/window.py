"""Reported periods: --since/--until dates on the command line, words like "week" in chat."""

from __future__ import annotations

from datetime import UTC, date, datetime, time, timedelta

from bot.reports.build import Window

DEFAULT_DAYS = 30
PERIODS = {"today": 0, "day": 1, "week": 7, "month": 30, "quarter": 90, "year": 365}


class PeriodError(ValueError):
    """A date or period that cannot be read."""


def window_from(since: str | None, until: str | None, now: datetime) -> Window:
    """Dates (YYYY-MM-DD, whole days, `until` included) or ISO times, in UTC; by default the
    last 30 days."""
    end = _instant(until, end_of_day=True) if until else now
    start = _instant(since, end_of_day=False) if since else end - timedelta(days=DEFAULT_DAYS)
    if start >= end:
        raise PeriodError(f"--since ({start:%Y-%m-%d %H:%M}) must be before --until")
    return Window(start, end)


def window_named(word: str, now: datetime) -> Window:
    """ "today" (since midnight UTC), "week", "month", "7d", "24h" ... up to now."""
    word = word.strip().lower() or "today"
    if word == "today":
        return Window(datetime.combine(now.date(), time(), UTC), now)
    if word in PERIODS:
        return Window(now - timedelta(days=PERIODS[word]), now)
    if word[:-1].isdigit() and word[-1:] in ("d", "h") and int(word[:-1]) > 0:
        unit = "days" if word.endswith("d") else "hours"
        return Window(now - timedelta(**{unit: int(word[:-1])}), now)
    known = ", ".join([*PERIODS, "7d", "24h"])
    raise PeriodError(f"I don't know the period {word!r}; try one of: {known}")


def _instant(text: str, end_of_day: bool) -> datetime:
    try:
        if len(text) == 10:
            day = date.fromisoformat(text)
            start = datetime.combine(day, time(), UTC)
            return start + timedelta(days=1) if end_of_day else start
        parsed = datetime.fromisoformat(text)
    except ValueError:
        raise PeriodError(f"{text!r} is not a date like 2026-11-01") from None
    return parsed if parsed.tzinfo else parsed.replace(tzinfo=UTC)
