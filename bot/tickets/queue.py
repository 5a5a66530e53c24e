"""A department's queue: who is next, and an honest wait estimate from recent real claims."""

from __future__ import annotations

import itertools
import statistics
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import datetime, timedelta

from bot.tickets.model import PRIORITY_ORDER, Status, Ticket

RECENT_CLAIMS = 20  # how many recent claims the throughput is measured over
MIN_CLAIMS = 3  # fewer than this and we do not pretend to know the wait
RECENT_WINDOW = timedelta(days=7)
Gap = Callable[[datetime, datetime], float]  # seconds of working time between two instants


@dataclass(frozen=True)
class Place:
    """Where a waiting ticket stands: 1 is next; `wait` is None when we cannot estimate it."""

    position: int
    waiting: int
    wait: timedelta | None


def in_order(tickets: Iterable[Ticket]) -> list[Ticket]:
    """Waiting tickets, most urgent first, then first come first served."""
    waiting = [t for t in tickets if t.status is Status.WAITING]
    return sorted(waiting, key=lambda t: (PRIORITY_ORDER[t.priority], t.opened_at, t.id))


def claim_gap(claims: list[datetime], now: datetime, gap: Gap) -> float | None:
    """Median working seconds between consecutive recent claims: how fast the queue moves."""
    recent = sorted(c for c in claims if now - c <= RECENT_WINDOW)[-RECENT_CLAIMS:]
    if len(recent) < MIN_CLAIMS:
        return None
    gaps = [gap(a, b) for a, b in itertools.pairwise(recent)]
    return statistics.median(gaps)


def place_of(ticket: Ticket, queue: list[Ticket], seconds_per_claim: float | None) -> Place:
    position = next((i for i, t in enumerate(queue, 1) if t.id == ticket.id), 0)
    wait = None if seconds_per_claim is None else timedelta(seconds=position * seconds_per_claim)
    return Place(position, len(queue), wait)


def materially_changed(before: Place, after: Place) -> bool:
    """Worth telling the customer: they are next, moved two places, or the wait halved."""
    if after.position == 1 and before.position != 1:
        return True
    if before.position - after.position >= 2:
        return True
    if before.wait and after.wait:
        return after.wait <= before.wait / 2 and before.wait - after.wait >= timedelta(minutes=5)
    return False
