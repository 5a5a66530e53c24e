"""Counting a report where the records are: a database counts in SQL what a report shows,
so a year of tickets never crosses the wire (the port; PostgreSQL implements it)."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime
from typing import TYPE_CHECKING, Protocol

from bot.departments import Department
from bot.kb.entries import Entry
from bot.models import Doc
from bot.reports.figures import Figures

if TYPE_CHECKING:
    from bot.reports.build import Window

Group = tuple[str, str]  # (department, language)


@dataclass(frozen=True)
class TallyQuestion:
    """What to count: the window, maybe one department, goals' times, and the knowledge
    base's entries with their departments."""

    since: datetime
    until: datetime
    department: str  # "" for all
    entry_departments: dict[str, str]  # knowledge-base entry id -> its department
    goal_seconds: dict[str, dict[str, float]]  # "first_response" | "resolution" -> dept -> s


@dataclass
class Tally:
    """The counted figures: per group, per department (with the shares within its time
    goals) and in total; the latest lookups and topics, for grouping in Python."""

    groups: dict[Group, Figures]
    departments: dict[str, Figures]
    total: Figures
    seen: list[str]  # departments with tickets opened or closed since `since`, first first
    lookups: list[Doc]  # the latest lookups in the window, oldest first
    topics: list[tuple[str, str]]  # (topic, language) of the latest opened tickets


class ReportCounter(Protocol):
    async def tally(self, question: TallyQuestion) -> Tally:
        """Count a report over the stored ticket facts and knowledge-base lookups."""


def question_for(
    window: Window, department: str, departments: dict[str, Department], entries: Iterable[Entry]
) -> TallyQuestion:
    """What to count for a report over `window` (one department, or all: "")."""
    goals: dict[str, dict[str, float]] = {"first_response": {}, "resolution": {}}
    for found in departments.values():
        for milestone, goal in (
            ("first_response", found.goals.first_response),
            ("resolution", found.goals.resolution),
        ):
            if goal is not None:
                goals[milestone][found.id] = goal.seconds
    return TallyQuestion(
        since=window.since,
        until=window.until,
        department=department,
        entry_departments={e.id: e.department for e in entries},
        goal_seconds=goals,
    )
