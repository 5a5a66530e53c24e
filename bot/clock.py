"""The real clock; tests use tests.fakes.FakeClock instead."""

from __future__ import annotations

from datetime import UTC, datetime


class SystemClock:
    """Reads the machine's time, always timezone-aware UTC."""

    def now(self) -> datetime:
        return datetime.now(UTC)
