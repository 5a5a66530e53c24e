"""CLDR formatting through Babel: durations, weekdays, times, dates and time zones.

Plural forms, month and weekday names, 12- or 24-hour clocks and how a language joins a date
to a time all come from CLDR (Unicode's locale data, shipped with Babel), so no sentence of
the bot depends on hand-written grammar rules. Functions take a CLDR locale name ("de",
"en_GB"); the `*_in` variants return a `Localized` value that a phrase renders in its own
language, for messages written by a staff command but read by a customer.
"""

from __future__ import annotations

import logging
import re
from collections.abc import Callable
from datetime import datetime, timedelta
from functools import cache
from typing import Literal
from zoneinfo import ZoneInfo

from babel import Locale, UnknownLocaleError
from babel.dates import format_date, format_datetime, format_time
from babel.lists import format_list
from babel.numbers import format_decimal
from babel.units import format_unit

from bot.i18n import Localized

log = logging.getLogger(__name__)

FALLBACK_LOCALE = "en"
DAY_AND_MONTH = "MMMMEd"  # CLDR skeleton: weekday, day and month name, no year
_QUOTED = re.compile(r"('[^']*')")  # literal text inside a CLDR pattern
_WEEKDAY = re.compile(r"E+")


@cache
def cldr_locale(name: str) -> Locale:
    """The Babel locale for a name like "de" or "en-GB"; English for one CLDR lacks."""
    try:
        return Locale.parse(name.replace("-", "_"))
    except (UnknownLocaleError, ValueError):
        log.warning("no CLDR data for the locale %r; formatting in %s", name, FALLBACK_LOCALE)
        return Locale.parse(FALLBACK_LOCALE)


def duration(
    length: timedelta, locale: str, *, approximate: bool = False, short: bool = False
) -> str:
    """ "1 Minute", "2 Minuten", "1 hodina a 30 minút": hours and minutes with CLDR plurals.

    Whole minutes, at least one ("0 minutes" is never an honest wait). `approximate` rounds
    long estimates to a quarter of an hour, then to hours, so "about" is not falsely exact."""
    loc = cldr_locale(locale)
    hours, minutes = divmod(_minutes(length, approximate), 60)
    width: Literal["short", "long"] = "short" if short else "long"
    parts = [
        format_unit(amount, f"duration-{unit}", length=width, locale=loc)
        for amount, unit in ((hours, "hour"), (minutes, "minute"))
        if amount
    ]
    return format_list(parts, style="unit-short" if short else "unit", locale=loc)


def _minutes(length: timedelta, approximate: bool) -> int:
    minutes = max(1, round(length.total_seconds() / 60))
    step = _estimate_step(minutes) if approximate else 1
    return max(step, round(minutes / step) * step)


def _estimate_step(minutes: int) -> int:
    if minutes <= 60:
        return 1
    return 15 if minutes <= 180 else 60


def weekday(at: datetime, locale: str) -> str:
    """ "Montag", "pondelok": the weekday of `at` in its own time zone."""
    return format_date(at, "EEEE", locale=cldr_locale(locale))


def time_of_day(at: datetime, locale: str) -> str:
    """ "08:00", "8:00 π.μ.", "08.00": the locale's own clock (12- or 24-hour)."""
    return format_time(at, "short", locale=cldr_locale(locale))


def zone_name(at: datetime, locale: str) -> str:
    """ "MEZ", "SEČ", "CET", "UTC": the zone's short name as the locale writes it."""
    return format_datetime(_named_zone(at), "z", locale=cldr_locale(locale))


def date_time(at: datetime, locale: str) -> str:
    """ "Montag, 23. November, 11:00 MEZ": weekday, day, month, time and zone of `at`."""
    loc = cldr_locale(locale)
    day = format_datetime(at, _day_and_month(loc), locale=loc)
    glue = str(loc.datetime_formats["medium"])  # how the language joins a date and a time
    return f"{glue.format(time_of_day(at, locale), day)} {zone_name(at, locale)}"


def _day_and_month(loc: Locale) -> str:
    """The locale's weekday-day-month pattern with the weekday spelled out ("E" -> "EEEE"),
    the field-width adjustment CLDR prescribes and Babel's skeleton matching leaves out."""
    found = loc.datetime_skeletons.get(DAY_AND_MONTH)
    pattern = found.pattern if found is not None else "EEEE d MMMM"
    parts = _QUOTED.split(pattern)
    return "".join(part if part.startswith("'") else _WEEKDAY.sub("EEEE", part) for part in parts)


def _named_zone(at: datetime) -> datetime:
    """A fixed UTC offset (an ISO timestamp read back) is shown as the UTC zone, not "+0000"."""
    if not isinstance(at.tzinfo, ZoneInfo) and at.utcoffset() == timedelta(0):
        return at.astimezone(ZoneInfo("UTC"))
    return at


def localized(words: Callable[[str], str]) -> Localized:
    """A value picked by the reader's language code, e.g. `Department.name`."""
    return Localized(lambda language: words(language.code))


def formatted(fmt: Callable[[str], str]) -> Localized:
    """A value formatted in the reader's CLDR locale."""
    return Localized(lambda language: fmt(language.locale))


def duration_in(length: timedelta, *, approximate: bool = False) -> Localized:
    return formatted(lambda locale: duration(length, locale, approximate=approximate))


def date_time_in(at: datetime) -> Localized:
    return formatted(lambda locale: date_time(at, locale))


def number_in(value: int) -> Localized:
    """A whole number with the reader's digit grouping ("4,000", "4.000", "4 000")."""
    return formatted(lambda locale: format_decimal(value, locale=cldr_locale(locale)))
