"""Measurable service goals per department (G4), e.g. "90% within 5m" or a rating of 4.5."""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

from bot.service_levels import ServiceLevelError, duration_seconds

_WITHIN = re.compile(r"^\s*(\d{1,3}(?:\.\d+)?)\s*%\s+within\s+(\S+)\s*$", re.IGNORECASE)
_SHARE = re.compile(r"^\s*(\d{1,3}(?:\.\d+)?)\s*%\s*$")


class GoalError(ValueError):
    """A goal that cannot be read."""


@dataclass(frozen=True)
class TimeGoal:
    """`share` of tickets within `seconds` of business time."""

    share: float
    seconds: float

    def __str__(self) -> str:
        return f"{self.share:.0%} within {_short(self.seconds)}"


@dataclass(frozen=True)
class Goals:
    """What a department aims for; any part may be left out."""

    first_response: TimeGoal | None = None
    resolution: TimeGoal | None = None
    rating: float | None = None  # average, 1-5
    kb_helpful: float | None = None  # share of answered questions marked helpful


def parse_goals(raw: Any) -> Goals:
    """{first_response: "90% within 5m", resolution: "80% within 8h", rating: 4.5,
    kb_helpful: "70%"}."""
    if raw is None:
        return Goals()
    if not isinstance(raw, dict):
        raise GoalError(f"expected a mapping, got {raw!r}")
    known = {"first_response", "resolution", "rating", "kb_helpful"}
    if unknown := sorted(set(map(str, raw)) - known):
        raise GoalError(f"unknown goal(s) {', '.join(unknown)} (known: {', '.join(sorted(known))})")
    return Goals(
        first_response=_time_goal(raw.get("first_response")),
        resolution=_time_goal(raw.get("resolution")),
        rating=_rating(raw.get("rating")),
        kb_helpful=_share(raw.get("kb_helpful")),
    )


def _time_goal(raw: Any) -> TimeGoal | None:
    if raw is None:
        return None
    match = _WITHIN.match(str(raw))
    if not match:
        raise GoalError(f"{raw!r} is not like '90% within 5m'")
    try:
        seconds = duration_seconds(match.group(2))
    except ServiceLevelError as error:
        raise GoalError(str(error)) from error
    return TimeGoal(_fraction(match.group(1), raw), seconds)


def _rating(raw: Any) -> float | None:
    if raw is None:
        return None
    if not isinstance(raw, int | float) or not 1 <= raw <= 5:
        raise GoalError(f"rating must be a number from 1 to 5, got {raw!r}")
    return float(raw)


def _share(raw: Any) -> float | None:
    if raw is None:
        return None
    match = _SHARE.match(str(raw))
    if not match:
        raise GoalError(f"{raw!r} is not a percentage like '70%'")
    return _fraction(match.group(1), raw)


def _fraction(number: str, raw: Any) -> float:
    value = float(number) / 100
    if not 0 < value <= 1:
        raise GoalError(f"{raw!r}: the percentage must be above 0 and at most 100")
    return value


def _short(seconds: float) -> str:
    hours, minutes = divmod(int(seconds) // 60, 60)
    return (
        f"{hours}h{minutes:02d}m" if hours and minutes else f"{hours}h" if hours else f"{minutes}m"
    )
