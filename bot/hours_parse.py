"""Reading a department's business hours from its departments.yaml mapping."""

from __future__ import annotations

import itertools
import re
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from bot.kb.yaml_lines import LINE

DAYS = ("monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday")
FIELDS = ("timezone", "always", "closed_dates", *DAYS)
DAY_MINUTES = 24 * 60
ALWAYS_WORDS = frozenset({"always", "24/7", "24h"})
CLOSED_WORDS = frozenset({"closed", ""})
RANGE = re.compile(r"(\d{1,2}):(\d{2})\s*[-–]\s*(\d{1,2}):(\d{2})")
EXAMPLE = "like 08:00-18:00"

Minutes = tuple[int, int]  # [start, end) in minutes after local midnight; end may be 24:00
WHOLE_DAY: tuple[Minutes, ...] = ((0, DAY_MINUTES),)


class HoursError(ValueError):
    """Business hours that cannot be understood; the message names the field and the value."""


@dataclass(frozen=True)
class Schedule:
    """Opening ranges per weekday (Monday first) in local wall-clock time, and closed dates."""

    zone: ZoneInfo
    week: tuple[tuple[Minutes, ...], ...]
    closed: frozenset[date] = frozenset()


def parse_schedule(raw: object) -> Schedule:
    """A Schedule from `{"timezone": ..., "monday": "08:00-18:00", ...}` or "always" / "24/7"."""
    if isinstance(raw, str) and raw.strip().lower() in ALWAYS_WORDS:
        return Schedule(ZoneInfo("UTC"), (WHOLE_DAY,) * 7)
    if not isinstance(raw, dict):
        raise HoursError(f"hours: {raw!r} is not a mapping of weekdays to times, nor 'always'")
    fields = {key: value for key, value in raw.items() if key != LINE}
    if unknown := sorted(str(key) for key in fields if key not in FIELDS):
        raise HoursError(f"hours: unknown field {unknown[0]!r} (known: {', '.join(FIELDS)})")
    zone = _zone(fields.get("timezone"))
    closed = _closed_dates(fields.get("closed_dates", []))
    if fields.get("always") is True:
        if given := [day for day in DAYS if day in fields]:
            raise HoursError(f"always: true leaves no room for {given[0]}; use one or the other")
        return Schedule(zone, (WHOLE_DAY,) * 7, closed)
    if fields.get("always") not in (None, False):
        raise HoursError(f"always: {fields['always']!r} is not true or false")
    week = tuple(_day(day, fields.get(day)) for day in DAYS)
    if not any(week):
        raise HoursError(f"hours: every day is closed; give a weekday {EXAMPLE} or always: true")
    return Schedule(zone, week, closed)


def _zone(value: Any) -> ZoneInfo:
    if value is None:
        raise HoursError("timezone: missing; name the department's zone, e.g. Europe/Copenhagen")
    try:
        return ZoneInfo(value)
    except (ZoneInfoNotFoundError, ValueError, TypeError):
        # ZoneInfo raises ValueError for path-like names and TypeError for non-strings.
        raise HoursError(
            f"timezone: {value!r} is not a known time zone like Europe/Copenhagen"
        ) from None


def _closed_dates(value: Any) -> frozenset[date]:
    if not isinstance(value, list):
        raise HoursError(f"closed_dates: {value!r} is not a list of dates like 2026-12-24")
    return frozenset(_date(item) for item in value)


def _date(item: Any) -> date:
    # YAML reads an unquoted 2026-12-24 as a date, a quoted one as a string: take both.
    if isinstance(item, date) and not isinstance(item, datetime):
        return item
    try:
        return date.fromisoformat(item)
    except (TypeError, ValueError):
        raise HoursError(f"closed_dates: {item!r} is not a date like 2026-12-24") from None


def _day(day: str, value: Any) -> tuple[Minutes, ...]:
    # YAML 1.1 reads `sunday: off` as False and `sunday:` as None; both mean closed.
    if value is None or value is False:
        return ()
    if not isinstance(value, str):
        raise HoursError(f"{day}: {value!r} is not a time range {EXAMPLE}")
    text = value.strip().lower()
    if text in CLOSED_WORDS:
        return ()
    if text in ALWAYS_WORDS:
        return WHOLE_DAY
    ranges = sorted(_range(day, part.strip()) for part in text.split(","))
    for (_, end), (start, _) in itertools.pairwise(ranges):
        if start < end:
            raise HoursError(f"{day}: {value!r} has overlapping ranges")
    return tuple(ranges)


def _range(day: str, text: str) -> Minutes:
    found = RANGE.fullmatch(text)
    if found is None:
        raise HoursError(f"{day}: {text!r} is not a time range {EXAMPLE}")
    start, end = _minutes(day, *found.group(1, 2)), _minutes(day, *found.group(3, 4))
    if end < start:
        # Overnight hours would make one day's range spill into the next; keep days separate.
        raise HoursError(
            f"{day}: {text!r} ends before it starts; split hours past midnight in two, "
            f"e.g. {day}: 22:00-24:00 and the next day 00:00-02:00"
        )
    if end == start:
        raise HoursError(f"{day}: {text!r} is an empty range")
    return start, end


def _minutes(day: str, hours: str, minutes: str) -> int:
    total = int(hours) * 60 + int(minutes)
    if int(minutes) >= 60 or total > DAY_MINUTES:
        raise HoursError(f"{day}: '{hours}:{minutes}' is not a time of day (00:00 to 24:00)")
    return total
