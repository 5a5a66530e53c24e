"""Business hours: open or closed, next opening, time counted in opening hours, DST, errors."""

from __future__ import annotations

import re
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

import pytest
import yaml

from bot.hours import BusinessHours, HoursError, parse_hours

CPH = ZoneInfo("Europe/Copenhagen")
HOUR = 3600.0
WEEKDAY = "08:00-12:00, 13:00-17:00"
OFFICE = parse_hours(
    {
        "timezone": "Europe/Copenhagen",
        **dict.fromkeys(["monday", "tuesday", "wednesday", "thursday", "friday"], WEEKDAY),
        "saturday": "10:00-14:00",
        "sunday": "closed",
        "closed_dates": ["2026-12-24", "2026-12-25"],
    }
)


def cph(day: int, hour: int, minute: int = 0, month: int = 11) -> datetime:
    """Copenhagen wall-clock time in 2026; 23 November 2026 is a Monday."""
    return datetime(2026, month, day, hour, minute, tzinfo=CPH)


@pytest.mark.parametrize(
    ("at", "expected"),
    [
        (cph(23, 8), True),  # opening minute counts
        (cph(23, 7, 59), False),
        (cph(23, 12, 30), False),  # lunch gap
        (cph(23, 16, 59), True),
        (cph(23, 17), False),  # closing minute does not
        (cph(28, 11), True),  # Saturday
        (cph(29, 11), False),  # Sunday
        (cph(24, 10, month=12), False),  # closed date on a Thursday
        (datetime(2026, 11, 23, 7, 30, tzinfo=UTC), True),  # 08:30 in Copenhagen
    ],
)
def test_is_open(at: datetime, expected: bool) -> None:
    assert OFFICE.is_open(at) is expected


@pytest.mark.parametrize(
    ("at", "opens"),
    [
        (cph(23, 9), cph(23, 9)),  # already open: `at` itself
        (cph(23, 12, 15), cph(23, 13)),  # lunch
        (cph(27, 17, 30), cph(28, 10)),  # Friday evening: Saturday morning
        (cph(28, 15), cph(30, 8)),  # Saturday afternoon: over Sunday to Monday
        (cph(23, 17, 30, month=12), cph(26, 10, month=12)),  # over two closed dates
    ],
)
def test_next_open(at: datetime, opens: datetime) -> None:
    found = OFFICE.next_open(at)
    assert found == opens
    assert found.tzinfo is UTC


def test_closes_at() -> None:
    assert OFFICE.closes_at(cph(23, 9)) == cph(23, 12)
    assert OFFICE.closes_at(cph(23, 12, 30)) is None
    late = parse_hours(
        {"timezone": "Europe/Copenhagen", "monday": "20:00-24:00", "tuesday": "0:00-2:00"}
    )
    assert late.closes_at(cph(23, 21)) == cph(24, 2)  # touching ranges are one stretch
    assert parse_hours("always").closes_at(cph(23, 21)) is None


def test_business_seconds_across_a_weekend_and_lunch() -> None:
    # Friday 16-17, Saturday 10-14, Monday 08-09.
    assert OFFICE.business_seconds(cph(27, 16), cph(30, 9)) == 6 * HOUR
    assert OFFICE.business_seconds(cph(23, 11), cph(23, 14)) == 2 * HOUR
    assert OFFICE.business_seconds(cph(23, 14), cph(23, 11)) == 0.0


def test_business_seconds_over_weeks() -> None:
    four_weeks = OFFICE.business_seconds(cph(2, 0), cph(30, 0))
    assert four_weeks == 4 * (5 * 8 + 4) * HOUR


def test_add_business_seconds() -> None:
    assert OFFICE.add_business_seconds(cph(27, 16), 6 * HOUR) == cph(30, 9)
    assert OFFICE.add_business_seconds(cph(23, 11), 2 * HOUR) == cph(23, 14)
    assert OFFICE.add_business_seconds(cph(29, 12), 0) == cph(30, 8)  # starts at opening
    with pytest.raises(ValueError, match="negative"):
        OFFICE.add_business_seconds(cph(23, 9), -1)


@pytest.mark.parametrize("hours", [0.25, 1, 3.5, 4, 8, 13, 40, 100])
@pytest.mark.parametrize("start", [cph(23, 7), cph(23, 12, 30), cph(27, 16, 45), cph(22, 9, 0, 12)])
def test_add_business_seconds_round_trips(start: datetime, hours: float) -> None:
    deadline = OFFICE.add_business_seconds(start, hours * HOUR)
    assert OFFICE.business_seconds(start, deadline) == pytest.approx(hours * HOUR)
    assert OFFICE.is_open(deadline - timedelta(seconds=1))


def test_always_open() -> None:
    always = parse_hours("24/7")
    assert always.is_open(cph(29, 3))
    assert always.business_seconds(cph(27, 16), cph(30, 9)) == 65 * HOUR
    assert always.add_business_seconds(cph(27, 16), HOUR) == cph(27, 17)


def test_always_except_closed_dates() -> None:
    hours = parse_hours(
        {"timezone": "Europe/Copenhagen", "always": True, "closed_dates": ["2026-12-24"]}
    )
    assert not hours.is_open(cph(24, 12, month=12))
    assert hours.closes_at(cph(23, 12, month=12)) == cph(24, 0, month=12)
    assert hours.next_open(cph(24, 12, month=12)) == cph(25, 0, month=12)


DST = parse_hours(
    {"timezone": "Europe/Copenhagen", "sunday": "00:00-24:00", "monday": "08:00-18:00"}
)


def test_dst_switch_days_are_23_and_25_hours_long() -> None:
    # 2026-03-29 clocks go 02:00 -> 03:00; 2026-10-25 they go 03:00 -> 02:00.
    assert DST.business_seconds(cph(29, 0, month=3), cph(30, 0, month=3)) == 23 * HOUR
    assert DST.business_seconds(cph(25, 0, month=10), cph(26, 0, month=10)) == 25 * HOUR


def test_dst_opening_follows_the_wall_clock() -> None:
    assert DST.next_open(cph(23, 5, month=3)) == datetime(2026, 3, 23, 7, tzinfo=UTC)  # CET
    assert DST.next_open(cph(30, 5, month=3)) == datetime(2026, 3, 30, 6, tzinfo=UTC)  # CEST
    assert DST.next_open(cph(26, 5, month=10)) == datetime(2026, 10, 26, 7, tzinfo=UTC)  # CET
    sla = DST.add_business_seconds(cph(29, 23, month=3), 2 * HOUR)  # Sunday 23-24, Monday 8-9
    assert sla == cph(30, 9, month=3)


def test_ranges_around_the_spring_gap_do_not_count_twice() -> None:
    gap = parse_hours({"timezone": "Europe/Copenhagen", "sunday": "00:00-02:30, 03:00-24:00"})
    assert gap.business_seconds(cph(29, 0, month=3), cph(30, 0, month=3)) == 23 * HOUR


def test_yaml_shapes_are_accepted() -> None:
    hours = parse_hours(
        {
            "__line__": 12,  # left by bot.kb.yaml_lines
            "timezone": "Europe/Copenhagen",
            "monday": " 8:00 – 12:00 ,13:00-17:00 ",
            "tuesday": "24h",
            "saturday": False,  # YAML reads `saturday: off` as False
            "sunday": None,
            "closed_dates": [date(2026, 12, 24)],
        }
    )
    assert hours.schedule.week[0] == ((480, 720), (780, 1020))
    assert hours.is_open(cph(24, 23))
    assert hours.schedule.closed == {date(2026, 12, 24)}
    assert hours.zone == CPH


def test_sample_departments_parse() -> None:
    path = Path(__file__).parents[1] / "data" / "departments.yaml"
    raw = yaml.safe_load(path.read_text(encoding="utf-8"))
    found = [parse_hours(item["hours"]) for item in raw["departments"] if "hours" in item]
    assert all(isinstance(hours, BusinessHours) for hours in found)


@pytest.mark.parametrize(
    ("raw", "message"),
    [
        ({"monday": "8-18"}, "monday: '8-18' is not a time range like 08:00-18:00"),
        ({"monday": "08:00-12:00, 1pm-5pm"}, "monday: '1pm-5pm' is not a time range"),
        ({"friday": "22:00-02:00"}, "friday: '22:00-02:00' ends before it starts"),
        ({"monday": "09:00-25:00"}, "monday: '25:00' is not a time of day"),
        ({"monday": "09:60-10:00"}, "monday: '09:60' is not a time of day"),
        ({"monday": "09:00-09:00"}, "monday: '09:00-09:00' is an empty range"),
        ({"monday": "08:00-12:00, 11:00-13:00"}, "has overlapping ranges"),
        ({"monday": 8}, "monday: 8 is not a time range"),
        ({"mondy": "08:00-18:00"}, "unknown field 'mondy'"),
        ({"timezone": "Mars/Olympus"}, "timezone: 'Mars/Olympus' is not a known time zone"),
        ({"timezone": None}, "timezone: missing"),
        ({"closed_dates": ["2026-13-01"]}, "closed_dates: '2026-13-01' is not a date"),
        ({"closed_dates": "2026-12-24"}, "closed_dates: '2026-12-24' is not a list"),
        ({"monday": "closed"}, "every day is closed"),
        ({"always": "yes"}, "always: 'yes' is not true or false"),
        ({"always": True, "monday": "08:00-18:00"}, "always: true leaves no room for monday"),
    ],
)
def test_bad_hours_are_named(raw: dict[str, Any], message: str) -> None:
    with pytest.raises(HoursError, match=re.escape(message)):
        parse_hours({"timezone": "Europe/Copenhagen", "monday": "08:00-18:00"} | raw)


@pytest.mark.parametrize("raw", [["08:00-18:00"], "sometimes", None])
def test_hours_must_be_a_mapping_or_always(raw: object) -> None:
    with pytest.raises(HoursError, match="is not a mapping"):
        parse_hours(raw)


def test_naive_datetimes_are_refused() -> None:
    with pytest.raises(ValueError, match="no time zone"):
        OFFICE.is_open(datetime(2026, 11, 23, 9))
