"""Business hours of a department: open or not at an instant, and time counted in open hours."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from bot.hours_parse import DAY_MINUTES, WHOLE_DAY, HoursError, Schedule, parse_schedule

__all__ = ["BusinessHours", "HoursError", "Schedule", "parse_hours"]

Span = tuple[datetime, datetime]  # [start, end) in UTC
NEVER_CLOSES = timedelta(days=366)  # closes_at stops looking after this long without a gap
ONE_DAY = timedelta(days=1)


def parse_hours(raw: object) -> BusinessHours:
    """BusinessHours from a departments.yaml `hours:` value; HoursError names what is wrong."""
    return BusinessHours(parse_schedule(raw))


class BusinessHours:
    """When a department is open. Ranges are local wall-clock time in its zone, so DST is
    followed; instants in may be in any zone but must be aware, instants out are UTC.

    Work is done day by day, so spans of weeks or months cost a few operations per day.
    """

    def __init__(self, schedule: Schedule) -> None:
        self.schedule = schedule
        self._always = not schedule.closed and all(day == WHOLE_DAY for day in schedule.week)
        self._days: dict[date, list[Span]] = {}  # reports measure thousands of tickets a day

    @property
    def zone(self) -> ZoneInfo:
        return self.schedule.zone

    def is_open(self, at: datetime) -> bool:
        start, _ = next(self._spans(_utc(at)))
        return start <= at

    def next_open(self, at: datetime) -> datetime:
        """`at` (in UTC) while open, else the instant the department opens next."""
        start, _ = next(self._spans(_utc(at)))
        return max(start, _utc(at))

    def closes_at(self, at: datetime) -> datetime | None:
        """When the opening hours around `at` end; None if closed at `at` or open 24/7."""
        at = _utc(at)
        spans = self._spans(at)
        start, end = next(spans)
        if start > at or self._always:
            return None
        # Ranges that touch (Monday until 24:00, Tuesday from 00:00) are one stretch.
        for next_start, next_end in spans:
            if next_start != end or end - at > NEVER_CLOSES:
                break
            end = next_end
        return None if end - at > NEVER_CLOSES else end

    def business_seconds(self, start: datetime, end: datetime) -> float:
        """Seconds inside opening hours between two instants (0 if `end` is not after `start`)."""
        start, end = _utc(start), _utc(end)
        total = 0.0
        if end <= start:
            return total
        if self._always:
            return (end - start).total_seconds()
        for span_start, span_end in self._day_spans(start.astimezone(self.zone).date()):
            if span_start <= start and end <= span_end:  # the common case: within one span
                return (end - start).total_seconds()
        for span_start, span_end in self._spans(start):
            if span_start >= end:
                break
            total += (min(span_end, end) - max(span_start, start)).total_seconds()
        return total

    def add_business_seconds(self, start: datetime, seconds: float) -> datetime:
        """The instant when `seconds` of opening time have passed since `start` (SLA deadlines)."""
        if seconds < 0:
            raise ValueError(f"seconds must not be negative, got {seconds}")
        start, left = _utc(start), timedelta(seconds=seconds)
        spans = self._spans(start)
        while True:
            span_start, span_end = next(spans)
            begin = max(span_start, start)
            if left <= span_end - begin:
                return begin + left
            left -= span_end - begin

    def _spans(self, at: datetime) -> Iterator[Span]:
        """Opening spans that end after `at`, in order, without end.

        Parsing guarantees an open weekday and closed dates are finite, so `next()` on this
        always returns within a week past the last closed date.
        """
        day = at.astimezone(self.zone).date()
        while True:
            for span in self._day_spans(day):
                if span[1] > at:
                    yield span
            day += ONE_DAY

    def _day_spans(self, day: date) -> list[Span]:
        found = self._days.get(day)
        if found is None:
            found = self._days[day] = self._compute_day_spans(day)
        return found

    def _compute_day_spans(self, day: date) -> list[Span]:
        if day in self.schedule.closed:
            return []
        spans: list[Span] = []
        for start_minute, end_minute in self.schedule.week[day.weekday()]:
            start, end = self._instant(day, start_minute), self._instant(day, end_minute)
            # A wall time inside the spring-forward gap reads with the offset before the
            # switch, which can put it after a later range's start: clip so none overlap.
            start = max(start, spans[-1][1]) if spans else start
            if start < end:
                spans.append((start, end))
        return spans

    def _instant(self, day: date, minute: int) -> datetime:
        """Local wall-clock `minute` of `day` (1440 = next midnight) as a UTC instant."""
        days, minute = divmod(minute, DAY_MINUTES)
        local = datetime.combine(day + days * ONE_DAY, time(*divmod(minute, 60)), self.zone)
        return local.astimezone(UTC)


def _utc(at: datetime) -> datetime:
    if at.tzinfo is UTC:
        return at  # most instants already are (reports convert hundreds of thousands)
    if at.tzinfo is None or at.utcoffset() is None:
        raise ValueError(f"{at!r} has no time zone; business hours need aware datetimes")
    return at.astimezone(UTC)
