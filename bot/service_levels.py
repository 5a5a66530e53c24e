"""Service levels between departments (H3): how fast a request is answered and resolved."""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

_PART = re.compile(r"(\d{1,4})\s*([hm])", re.IGNORECASE)
_WHOLE = re.compile(r"^\s*(?:\d{1,4}\s*[hm]\s*)+$", re.IGNORECASE)
MILESTONES = ("first_response", "resolution")


class ServiceLevelError(ValueError):
    """A service level that cannot be read, e.g. "2 days" instead of "16h"."""


@dataclass(frozen=True)
class ServiceLevels:
    """Targets in business seconds; the reminder goes out `remind_before` ahead of each."""

    first_response: float
    resolution: float
    remind_before: float

    def target(self, milestone: str) -> float:
        return self.first_response if milestone == "first_response" else self.resolution


def parse_service_levels(raw: Any) -> ServiceLevels | None:
    """{first_response: 2h, resolution: 1h30m, remind_before: 30m}; None when not given."""
    if raw is None:
        return None
    if not isinstance(raw, dict):
        raise ServiceLevelError(f"expected a mapping, got {raw!r}")
    if unknown := sorted(set(raw) - {*MILESTONES, "remind_before"}):
        raise ServiceLevelError(f"unknown key(s) {', '.join(map(str, unknown))}")
    first = _duration(raw, "first_response")
    resolution = _duration(raw, "resolution")
    if resolution < first:
        raise ServiceLevelError("resolution cannot come before the first response")
    remind = _duration(raw, "remind_before") if "remind_before" in raw else first / 4
    if remind >= first:
        raise ServiceLevelError("remind_before must be shorter than first_response")
    return ServiceLevels(first, resolution, remind)


def duration_seconds(text: str) -> float:
    """ "2h", "45m", "1h30m" as seconds; business hours when used for service levels."""
    if not _WHOLE.match(text):
        raise ServiceLevelError(f"{text!r} is not a duration like 45m, 4h or 1h30m")
    total = sum(int(n) * (3600 if unit.lower() == "h" else 60) for n, unit in _PART.findall(text))
    if total <= 0:
        raise ServiceLevelError(f"{text!r} must be longer than zero")
    return float(total)


def _duration(raw: dict[str, Any], key: str) -> float:
    if key not in raw:
        raise ServiceLevelError(f"'{key}' is missing (e.g. {key}: 4h)")
    return duration_seconds(str(raw[key]))
