"""Goals next to the actual figures (G4): met, missed, or not enough data yet."""

from __future__ import annotations

from dataclasses import dataclass

from bot.goals import Goals, TimeGoal
from bot.reports.figures import Figures, Spread


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
        checks.append(_time(figures, "first_response", goals.first_response))
    if goals.resolution:
        checks.append(_time(figures, "resolution", goals.resolution))
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


def _time(figures: Figures, milestone: str, goal: TimeGoal) -> GoalCheck:
    name = milestone.replace("_", " ")
    spread: Spread = getattr(figures, milestone)
    if not spread.count:
        return GoalCheck(name, str(goal), "no tickets", None)
    share = figures.share_within(milestone, goal.seconds)
    return GoalCheck(name, str(goal), f"{share:.0%} within", share >= goal.share)
