"""The queue order and the wait estimate (D1, D4: honest, from real handling times)."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from bot.models import Person
from bot.tickets.model import Priority, Status, Ticket
from bot.tickets.queue import Place, claim_gap, in_order, materially_changed, place_of

T0 = datetime(2026, 11, 23, 9, 0, tzinfo=UTC)


def ticket(
    number: int, minutes: int, priority: Priority = Priority.NORMAL, status: Status = Status.WAITING
) -> Ticket:
    person = Person("web", f"c{number}", "")
    return Ticket(
        f"T-{number}",
        f"web:c{number}",
        person,
        "en",
        "billing",
        "x",
        T0 + timedelta(minutes=minutes),
        priority,
        status,
    )


def wall(a: datetime, b: datetime) -> float:
    return (b - a).total_seconds()


def test_d1_urgent_first_then_first_come_first_served() -> None:
    queue = in_order(
        [
            ticket(1, 0),
            ticket(2, 1, Priority.HIGH),
            ticket(3, 2),
            ticket(4, 3, status=Status.CLAIMED),
            ticket(5, 4, Priority.URGENT),
        ]
    )
    assert [t.id for t in queue] == ["T-5", "T-2", "T-1", "T-3"]


def test_d1_the_estimate_comes_from_how_fast_recent_claims_came() -> None:
    claims = [T0 + timedelta(minutes=m) for m in (0, 4, 8, 14, 18)]
    assert claim_gap(claims, T0 + timedelta(minutes=20), wall) == 240.0
    queue = in_order([ticket(1, 0), ticket(2, 1), ticket(3, 2)])
    assert place_of(queue[2], queue, 240.0) == Place(3, 3, timedelta(minutes=12))


def test_d1_no_estimate_without_enough_recent_history() -> None:
    assert claim_gap([T0, T0 + timedelta(minutes=5)], T0 + timedelta(minutes=6), wall) is None
    old = [T0 - timedelta(days=30, minutes=m) for m in range(10)]
    assert claim_gap(old, T0, wall) is None
    queue = in_order([ticket(1, 0)])
    assert place_of(queue[0], queue, None) == Place(1, 1, None)


def test_d1_material_changes_are_being_next_two_places_or_half_the_wait() -> None:
    minutes = timedelta(minutes=1)
    assert materially_changed(Place(2, 5, 8 * minutes), Place(1, 4, 4 * minutes))
    assert materially_changed(Place(5, 5, 20 * minutes), Place(3, 3, 12 * minutes))
    assert not materially_changed(Place(5, 5, 20 * minutes), Place(4, 4, 16 * minutes))
    assert materially_changed(Place(4, 4, 40 * minutes), Place(4, 4, 16 * minutes))
    assert not materially_changed(Place(3, 3, 6 * minutes), Place(3, 3, 2 * minutes))
