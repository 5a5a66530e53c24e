"""Figures for a group of tickets: counts, medians and 90th percentiles, ratings, holds."""

from __future__ import annotations

import math
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import datetime

from bot.tickets.measures import Facts

RATINGS = (1, 2, 3, 4, 5)
COMMENTS_KEPT = 20


@dataclass(frozen=True)
class Spread:
    """Median and 90th percentile (nearest rank) of business seconds; None without data."""

    count: int
    median: float | None
    p90: float | None

    def within(self, values: Sequence[float], seconds: float) -> float | None:
        return sum(v <= seconds for v in values) / len(values) if values else None


@dataclass
class KbFigures:
    """Conversations the knowledge base answered and what customers said about it (C2)."""

    conversations: int = 0  # conversations with at least one question to the knowledge base
    answered: int = 0  # ... of which at least one was answered from it
    helpful: int = 0  # answers marked helpful
    unhelpful: int = 0  # answers marked not helpful

    @property
    def answered_share(self) -> float | None:
        return self.answered / self.conversations if self.conversations else None

    @property
    def helpful_share(self) -> float | None:
        marked = self.helpful + self.unhelpful
        return self.helpful / marked if marked else None


@dataclass
class Figures:
    """Everything a report says about one department (or language, or all)."""

    tickets_opened: int = 0
    tickets_closed: int = 0
    requests_opened: int = 0
    requests_closed: int = 0
    first_response: Spread = Spread(0, None, None)
    resolution: Spread = Spread(0, None, None)
    first_response_values: list[float] = field(default_factory=list, repr=False)
    resolution_values: list[float] = field(default_factory=list, repr=False)
    hold_seconds: float = 0.0
    holds: int = 0
    holds_over: int = 0
    transfers: int = 0
    escalations: int = 0
    ratings: dict[int, int] = field(default_factory=lambda: dict.fromkeys(RATINGS, 0))
    comments: list[tuple[str, int | None, str]] = field(default_factory=list)
    sla_met: dict[str, int] = field(default_factory=dict)
    sla_decided: dict[str, int] = field(default_factory=dict)
    kb: KbFigures = field(default_factory=KbFigures)
    # Counted by a database, which returns no values: milestone -> share within the goal.
    goal_share: dict[str, float] = field(default_factory=dict)

    @property
    def rating_average(self) -> float | None:
        count = sum(self.ratings.values())
        return sum(n * c for n, c in self.ratings.items()) / count if count else None

    def share_within(self, milestone: str, seconds: float) -> float:
        """The share of tickets with a `milestone` time within `seconds` (some must have one)."""
        if milestone in self.goal_share:
            return self.goal_share[milestone]
        values: list[float] = getattr(self, f"{milestone}_values")
        return sum(v <= seconds for v in values) / len(values)

    def sla_share(self, milestone: str) -> float | None:
        decided = self.sla_decided.get(milestone, 0)
        return self.sla_met.get(milestone, 0) / decided if decided else None


def figures_of(opened: Iterable[Facts], closed: Iterable[Facts]) -> Figures:
    """Figures for tickets opened in the period (times, holds, ratings) and closed in it."""
    result = Figures()
    for facts in opened:
        _count_opened(result, facts)
    for facts in closed:
        if facts.kind == "request":
            result.requests_closed += 1
        else:
            result.tickets_closed += 1
    result.first_response = spread(result.first_response_values)
    result.resolution = spread(result.resolution_values)
    result.comments = sorted(result.comments, key=lambda c: c[0], reverse=True)[:COMMENTS_KEPT]
    return result


def _count_opened(result: Figures, facts: Facts) -> None:
    if facts.kind == "request":
        result.requests_opened += 1
    else:
        result.tickets_opened += 1
    if facts.first_response is not None:
        result.first_response_values.append(facts.first_response)
    if facts.resolution is not None:
        result.resolution_values.append(facts.resolution)
    result.hold_seconds += facts.hold_seconds
    result.holds += facts.holds
    result.holds_over += facts.holds_over
    result.transfers += facts.transfers
    result.escalations += facts.escalations
    if facts.rating in RATINGS:
        result.ratings[facts.rating] += 1
    if facts.comment:
        result.comments.append((facts.id, facts.rating, facts.comment))
    for milestone, met in facts.sla.items():
        result.sla_decided[milestone] = result.sla_decided.get(milestone, 0) + 1
        result.sla_met[milestone] = result.sla_met.get(milestone, 0) + int(met)


def spread(values: Sequence[float]) -> Spread:
    if not values:
        return Spread(0, None, None)
    ordered = sorted(values)
    middle = len(ordered) // 2
    median = ordered[middle] if len(ordered) % 2 else (ordered[middle - 1] + ordered[middle]) / 2
    p90 = ordered[max(0, math.ceil(0.9 * len(ordered)) - 1)]
    return Spread(len(ordered), median, p90)


def in_window(at: datetime | None, since: datetime, until: datetime) -> bool:
    return at is not None and since <= at < until


def merged(parts: Iterable[Figures]) -> Figures:
    """The figures of several groups together (departments from their languages, the total
    from the departments): each ticket is measured once, however many groups show it."""
    result = Figures()
    for part in parts:
        _add(result, part)
    result.first_response = spread(result.first_response_values)
    result.resolution = spread(result.resolution_values)
    result.comments = sorted(result.comments, key=lambda c: c[0], reverse=True)[:COMMENTS_KEPT]
    return result


def _add(result: Figures, part: Figures) -> None:
    for name in ADDED:
        setattr(result, name, getattr(result, name) + getattr(part, name))
    for score, count in part.ratings.items():
        result.ratings[score] += count
    for milestone, count in part.sla_decided.items():
        result.sla_decided[milestone] = result.sla_decided.get(milestone, 0) + count
        result.sla_met[milestone] = result.sla_met.get(milestone, 0) + part.sla_met.get(
            milestone, 0
        )
    for name in ("conversations", "answered", "helpful", "unhelpful"):
        setattr(result.kb, name, getattr(result.kb, name) + getattr(part.kb, name))


ADDED = (
    "tickets_opened", "tickets_closed", "requests_opened", "requests_closed",
    "first_response_values", "resolution_values", "hold_seconds", "holds", "holds_over",
    "transfers", "escalations", "comments",
)  # fmt: skip
