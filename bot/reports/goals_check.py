"""Goals next to the actual figures (G4): met, missed, or not enough data yet."""

from __future__ import annotations

from dataclasses import dataclass

from bot.goals import Goals, TimeGoal
from bot.reports.figures import Figures


@dataclass(frozen=True)
class GoalCheck:
    """One goal: what it is, what we achieved, and whether that meets it (None: no data)."""

    name: str
    goal: str
    actual: str
    met: bool | None


def check_goals(goals: Goals, figures: Figures) -> list[GoalCheck]:
    checks = []
    if goals.first_response:
        checks.append(_time("first response", goals.first_response, figures.first_response_values))
    if goals.resolution:
        checks.append(_time("resolution", goals.resolution, figures.resolution_values))
    if goals.rating is not None:
        average = figures.rating_average
        actual = f"{average:.2f}" if average is not None else "no ratings"
        met = None if average is None else average >= goals.rating
        checks.append(GoalCheck("rating", f"average at least {goals.rating:g}", actual, met))
    if goals.kb_helpful is not None:
        share = figures.kb.helpful_share
        actual = f"{share:.0%}" if share is not None else "no answers marked"
        met = None if share is None else share >= goals.kb_helpful
        goal = f"{goals.kb_helpful:.0%} marked helpful"
        checks.append(GoalCheck("knowledge base", goal, actual, met))
    return checks


def _time(name: str, goal: TimeGoal, values: list[float]) -> GoalCheck:
    if not values:
        return GoalCheck(name, str(goal), "no tickets", None)
    share = sum(v <= goal.seconds for v in values) / len(values)
    return GoalCheck(name, str(goal), f"{share:.0%} within", share >= goal.share)
