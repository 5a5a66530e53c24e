"""What one stored ticket or request says about service: times, holds, moves, rating."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime

from bot.models import Doc

Working = Callable[[datetime, datetime], float]  # business seconds between two instants
HOLD_STARTS = {"on hold"}
HOLD_ENDS = {"back from hold", "hold ended", "transferred", "resolved", "closed"}


@dataclass(frozen=True)
class Facts:
    """The measurable facts of one ticket; times in business seconds."""

    id: str
    kind: str
    department: str
    language: str
    opened_at: datetime
    closed_at: datetime | None
    first_response: float | None
    resolution: float | None
    hold_seconds: float
    holds: int
    holds_over: int
    transfers: int
    escalations: int
    rating: int | None
    comment: str
    topic: str
    sla: dict[str, bool]  # requests: milestone -> met (only milestones that are decided)


def facts_of(doc: Doc, working: Working, now: datetime) -> Facts:
    """Read a ticket document once; every report figure comes from these facts."""
    opened = datetime.fromisoformat(doc["opened_at"])
    raw = [(e["what"], e["at"]) for e in doc.get("history", ())]
    names = [what for what, _ in raw]
    first = _first(raw, "first response")
    resolved = _first(raw, "resolved") or _first(raw, "closed")
    hold_seconds, holds = _holds(raw, working, now) if "on hold" in names else (0.0, 0)
    return Facts(
        id=str(doc["id"]),
        kind=str(doc.get("kind", "ticket")),
        department=str(doc.get("department", "")),
        language=str(doc.get("language", "")),
        opened_at=opened,
        closed_at=_last(raw, "closed"),
        first_response=working(opened, first) if first else None,
        resolution=working(opened, resolved) if resolved else None,
        hold_seconds=hold_seconds,
        holds=holds,
        holds_over=names.count("hold expired"),
        transfers=names.count("transferred"),
        escalations=names.count("escalated"),
        rating=doc.get("rating"),
        comment=str(doc.get("comment") or ""),
        topic=str(doc.get("topic") or ""),
        sla=_sla(doc.get("due") or {}, first, resolved, now),
    )


def _first(events: list[tuple[str, str]], what: str) -> datetime | None:
    """When `what` first happened (times are parsed only when needed: reports read 100k)."""
    return next((datetime.fromisoformat(at) for name, at in events if name == what), None)


def _last(events: list[tuple[str, str]], what: str) -> datetime | None:
    return next((datetime.fromisoformat(at) for name, at in reversed(events) if name == what), None)


def _holds(events: list[tuple[str, str]], working: Working, now: datetime) -> tuple[float, int]:
    """Business seconds spent on hold, and how many holds there were."""
    total, count, since = 0.0, 0, None
    for what, raw_at in events:
        at = datetime.fromisoformat(raw_at)
        if what in HOLD_STARTS and since is None:
            since, count = at, count + 1
        elif what in HOLD_ENDS and since is not None:
            total, since = total + working(since, at), None
    if since is not None:
        total += working(since, now)
    return total, count


def _sla(
    due: dict[str, str], first: datetime | None, resolved: datetime | None, now: datetime
) -> dict[str, bool]:
    """Met or missed, for each deadline that is already decided (done, or past due)."""
    outcome: dict[str, bool] = {}
    for milestone, reached in (("first_response", first), ("resolution", resolved)):
        if milestone not in due:
            continue
        deadline = datetime.fromisoformat(due[milestone])
        if reached is not None:
            outcome[milestone] = reached <= deadline
        elif now > deadline:
            outcome[milestone] = False
    return outcome
