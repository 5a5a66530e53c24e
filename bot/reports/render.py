"""A report as JSON, CSV (a row per department and language) or readable text."""

from __future__ import annotations

import csv
import io
import json
from typing import Any

from bot.reports.build import Report, Section
from bot.reports.figures import Figures, Spread

TOP_SHOWN = 10


def to_json_data(report: Report) -> dict[str, Any]:
    return {
        "since": report.window.since.isoformat(),
        "until": report.window.until.isoformat(),
        "generated_at": report.generated_at.isoformat(),
        "total": figures_data(report.total),
        "departments": [_section_data(s) for s in report.sections],
        "uncovered_questions": [
            {"count": g.count, "example": g.example, "languages": sorted(g.languages)}
            for g in report.gaps[:TOP_SHOWN]
        ],
        "recurring_topics": [
            {"count": g.count, "example": g.example} for g in report.topics[:TOP_SHOWN]
        ],
    }


def to_json(report: Report) -> str:
    return json.dumps(to_json_data(report), ensure_ascii=False, indent=2)


def figures_data(f: Figures) -> dict[str, Any]:
    return {
        "tickets_opened": f.tickets_opened,
        "tickets_closed": f.tickets_closed,
        "requests_opened": f.requests_opened,
        "requests_closed": f.requests_closed,
        "first_response": _spread(f.first_response),
        "resolution": _spread(f.resolution),
        "hold_minutes": round(f.hold_seconds / 60, 1),
        "holds": f.holds,
        "holds_over": f.holds_over,
        "transfers": f.transfers,
        "escalations": f.escalations,
        "rating_average": _round(f.rating_average, 2),
        "ratings": {str(k): v for k, v in f.ratings.items()},
        "comments": [{"ticket": t, "rating": r, "comment": c} for t, r, c in f.comments],
        "service_levels": {
            m: {"met": f.sla_met.get(m, 0), "decided": n, "share": _round(f.sla_share(m), 3)}
            for m, n in f.sla_decided.items()
        },
        "knowledge_base": {
            "conversations": f.kb.conversations,
            "answered_share": _round(f.kb.answered_share, 3),
            "helpful_share": _round(f.kb.helpful_share, 3),
        },
    }


def to_csv(report: Report) -> str:
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(CSV_COLUMNS)
    writer.writerow(["all", "all", *_row(report.total)])
    for section in report.sections:
        writer.writerow([section.department, "all", *_row(section.figures)])
        for language, figures in section.languages.items():
            writer.writerow([section.department, language, *_row(figures)])
    return out.getvalue()


CSV_COLUMNS = [
    "department", "language", "tickets_opened", "tickets_closed", "requests_opened",
    "requests_closed", "first_response_median_min", "first_response_p90_min",
    "resolution_median_min", "resolution_p90_min", "hold_minutes", "holds_over", "transfers",
    "escalations", "rating_average", "ratings_count", "kb_answered_share", "kb_helpful_share",
    "sla_first_response_share", "sla_resolution_share",
]  # fmt: skip


def _row(f: Figures) -> list[Any]:
    return [
        f.tickets_opened, f.tickets_closed, f.requests_opened, f.requests_closed,
        _minutes(f.first_response.median), _minutes(f.first_response.p90),
        _minutes(f.resolution.median), _minutes(f.resolution.p90),
        round(f.hold_seconds / 60, 1), f.holds_over, f.transfers, f.escalations,
        _round(f.rating_average, 2), sum(f.ratings.values()),
        _round(f.kb.answered_share, 3), _round(f.kb.helpful_share, 3),
        _round(f.sla_share("first_response"), 3), _round(f.sla_share("resolution"), 3),
    ]  # fmt: skip


def _section_data(section: Section) -> dict[str, Any]:
    return {
        "id": section.department,
        "name": section.name,
        "figures": figures_data(section.figures),
        "languages": {k: figures_data(v) for k, v in section.languages.items()},
        "goals": [
            {"name": g.name, "goal": g.goal, "actual": g.actual, "met": g.met}
            for g in section.goals
        ],
    }


def _spread(spread: Spread) -> dict[str, Any]:
    return {
        "count": spread.count,
        "median_minutes": _minutes(spread.median),
        "p90_minutes": _minutes(spread.p90),
    }


def _minutes(seconds: float | None) -> float | None:
    return None if seconds is None else round(seconds / 60, 1)


def _round(value: float | None, digits: int) -> float | None:
    return None if value is None else round(value, digits)
