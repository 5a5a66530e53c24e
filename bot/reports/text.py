"""A report as plain text: for the terminal and, shortened, for the `/stats` staff command."""

from __future__ import annotations

from bot.reports.build import Report, Section
from bot.reports.figures import Figures, Spread
from bot.reports.render import TOP_SHOWN


def to_text(report: Report) -> str:
    since, until = report.window.since, report.window.until
    lines = [f"Report {since:%Y-%m-%d %H:%M} – {until:%Y-%m-%d %H:%M} UTC", ""]
    lines += ["All departments", *summary_lines(report.total), ""]
    for section in report.sections:
        lines += _section_lines(section)
    lines += ["Most frequent uncovered questions"]
    lines += [f"  {g.count:>5}x {g.example}" for g in report.gaps[:TOP_SHOWN]] or ["  none"]
    lines += ["", "Recurring ticket topics"]
    lines += [f"  {g.count:>5}x {g.example}" for g in report.topics[:TOP_SHOWN]] or ["  none"]
    return "\n".join(lines)


def summary_lines(f: Figures) -> list[str]:
    """The headline figures, one line each (also what `/stats` shows in chat)."""
    ratings = " ".join(f"{k}★:{v}" for k, v in f.ratings.items())
    average = f"{f.rating_average:.2f}" if f.rating_average is not None else "-"
    return [
        f"  tickets opened {f.tickets_opened}, closed {f.tickets_closed}; "
        f"internal requests opened {f.requests_opened}, closed {f.requests_closed}",
        f"  first response {_spread(f.first_response)}; resolution {_spread(f.resolution)}",
        f"  on hold {f.hold_seconds / 60:.0f} min in {f.holds} holds, {f.holds_over} ran over; "
        f"transfers {f.transfers}, escalations {f.escalations}",
        f"  rating {average} ({ratings})",
        f"  knowledge base: {_share(f.kb.answered_share)} of {f.kb.conversations} conversations "
        f"answered, {_share(f.kb.helpful_share)} of marked answers helpful",
        f"  service levels (requests): first response {_share(f.sla_share('first_response'))}, "
        f"resolution {_share(f.sla_share('resolution'))} on time",
    ]


def _section_lines(section: Section) -> list[str]:
    lines = [f"{section.name} ({section.department})", *summary_lines(section.figures)]
    for goal in section.goals:
        mark = {True: "met", False: "MISSED", None: "no data"}[goal.met]
        lines.append(f"  goal {goal.name}: {goal.goal}; actual {goal.actual} -> {mark}")
    for language, figures in section.languages.items():
        lines.append(
            f"  [{language}] opened {figures.tickets_opened + figures.requests_opened}, "
            f"first response {_spread(figures.first_response)}, "
            f"rating {figures.rating_average or '-'}"
        )
    return [*lines, ""]


def _spread(spread: Spread) -> str:
    if spread.median is None or spread.p90 is None:
        return "-"
    return f"median {spread.median / 60:.0f} min, p90 {spread.p90 / 60:.0f} min"


def _share(value: float | None) -> str:
    return "-" if value is None else f"{value:.0%}"
