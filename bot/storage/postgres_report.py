"""A report counted in SQL (the `ReportCounter` port): the tickets' stored facts and the
knowledge-base lookups of a period are grouped and counted by PostgreSQL, per department and
language, per department and in total (GROUPING SETS), medians and 90th percentiles included;
only the figures, the comments and the latest texts for grouping come back."""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable, Iterable, Mapping
from datetime import timedelta
from typing import Any

from psycopg.types.json import Jsonb

from bot.models import Doc
from bot.reports.figures import COMMENTS_KEPT, RATINGS, Figures, KbFigures, Spread
from bot.reports.tally import Group, Tally, TallyQuestion
from bot.storage.segment import decode

Rows = Callable[[str, Mapping[str, Any]], Awaitable[list[Any]]]
LATEST_AT_MOST = 3000  # as many texts as the report groups (the grouping is quadratic)
MARGIN = timedelta(days=1)  # stamps compare as text for the index; the exact test follows
MILESTONES = ("first_response", "resolution")

# Ticket facts (the typed table migration 0004 keeps) whose time `field` is in the window.
_FACTS = """
    FROM ticket_facts
    WHERE {field} >= %(since)s AND {field} < %(until)s
        AND (%(department)s = '' OR department = %(department)s)"""
_LEVELS = "GROUP BY GROUPING SETS ((department, language), (department), ())"
_RATED = ", ".join(f"count(*) FILTER (WHERE rating = '{n}'::jsonb)" for n in RATINGS)
OPENED = f"""
    SELECT grouping(department, language), department, language,
        count(*) FILTER (WHERE NOT request), count(*) FILTER (WHERE request),
        count(first_response),
        percentile_cont(0.5) WITHIN GROUP (ORDER BY first_response),
        percentile_disc(0.9) WITHIN GROUP (ORDER BY first_response),
        count(resolution),
        percentile_cont(0.5) WITHIN GROUP (ORDER BY resolution),
        percentile_disc(0.9) WITHIN GROUP (ORDER BY resolution),
        sum(hold_seconds), sum(holds), sum(holds_over), sum(transfers), sum(escalations),
        {_RATED},
        count(sla_first_response), count(*) FILTER (WHERE sla_first_response),
        count(sla_resolution), count(*) FILTER (WHERE sla_resolution),
        count(*) FILTER (WHERE first_response
            <= (%(first_response_goals)s::jsonb ->> department)::float8),
        count(*) FILTER (WHERE resolution <= (%(resolution_goals)s::jsonb ->> department)::float8)
    {_FACTS.format(field="opened_at")}
    {_LEVELS}"""
CLOSED = f"""
    SELECT grouping(department, language), department, language,
        count(*) FILTER (WHERE NOT request), count(*) FILTER (WHERE request)
    {_FACTS.format(field="closed_at")}
    {_LEVELS}"""
COMMENTS = f"""
    SELECT department, language, key, rating, comment
    {_FACTS.format(field="opened_at")} AND comment <> ''"""
TOPICS = f"""
    SELECT topic, language
    {_FACTS.format(field="opened_at")}
    ORDER BY opened_at DESC, position DESC LIMIT {LATEST_AT_MOST}"""
SEEN = """
    SELECT department FROM ticket_facts
    WHERE latest_at >= %(since)s AND (%(department)s = '' OR department = %(department)s)
    GROUP BY department ORDER BY min(opened_at), min(position)"""
# Knowledge-base lookups made in the window.
_IN_WINDOW = """
    collection = 'kb_lookups' AND fields ? 'at' AND jsonb_typeof(fields -> 'at') = 'string'
    AND (fields ->> 'at') COLLATE "C" >= %(since_text)s
    AND (fields ->> 'at')::timestamptz >= %(since)s
    AND (fields ->> 'at')::timestamptz < %(until)s"""
# A lookup's department is its (answered) entry's; a conversation's is its first lookup's
# that has one, its language its first lookup's.
_LOOKUP_DEPARTMENT = """coalesce(%(entries)s::jsonb ->> coalesce(
    nullif(fields ->> 'answered_entry', ''), nullif(fields ->> 'entry_id', '')), '')"""

KB = f"""
    WITH asked AS (
        SELECT position, fields ->> 'conversation' AS conversation,
            coalesce(fields ->> 'language', '') AS language,
            {_LOOKUP_DEPARTMENT} AS department,
            nullif(fields ->> 'entry_id', '') IS NOT NULL AS answered,
            fields -> 'helpful' AS helpful
        FROM documents WHERE {_IN_WINDOW}
    ), conversations AS (
        SELECT coalesce((array_agg(department ORDER BY position)
                FILTER (WHERE department <> ''))[1], '') AS department,
            (array_agg(language ORDER BY position))[1] AS language,
            bool_or(answered) AS answered,
            count(*) FILTER (WHERE helpful = 'true'::jsonb) AS helpful,
            count(*) FILTER (WHERE helpful = 'false'::jsonb) AS unhelpful
        FROM asked GROUP BY conversation
    )
    SELECT department, language, count(*), count(*) FILTER (WHERE answered), sum(helpful),
        sum(unhelpful)
    FROM conversations GROUP BY department, language"""
GAPS = f"""
    SELECT body FROM documents
    WHERE {_IN_WINDOW}
        AND (%(department)s = '' OR {_LOOKUP_DEPARTMENT} IN (%(department)s, ''))
    ORDER BY position DESC LIMIT {LATEST_AT_MOST}"""


class PostgresReportCounter:
    """Counts reports with the queries above, through the store's connection pool."""

    def __init__(self, rows: Rows) -> None:
        self._rows = rows

    async def tally(self, question: TallyQuestion) -> Tally:
        params = _params(question)
        queries = (OPENED, CLOSED, KB, COMMENTS, TOPICS, GAPS, SEEN)
        # Side by side on the pool's connections: the server counts on all its cores.
        opened, closed, kb_rows, comments, topics, gaps, seen = await self._all(queries, params)
        levels = _opened(opened)
        _add_closed(levels, closed)
        kb = {(str(d), str(lang)): _kb(row) for d, lang, *row in kb_rows}
        return Tally(
            groups=_groups(levels, kb, comments),
            departments=_departments(levels, kb, comments),
            total=_scope(levels.get((3, "", ""), Figures()), kb.values(), comments),
            seen=[str(d) for (d,) in seen],
            lookups=[_decoded(body) for (body,) in reversed(gaps)],
            topics=[(str(t), str(lang)) for t, lang in reversed(topics) if t],
        )

    async def _all(self, queries: tuple[str, ...], params: dict[str, Any]) -> list[list[Any]]:
        """Every query's rows; a failure is raised once all of them have ended."""
        found = await asyncio.gather(
            *(self._rows(query, params) for query in queries), return_exceptions=True
        )
        rows = []
        for result in found:
            if isinstance(result, BaseException):
                raise result
            rows.append(result)
        return rows


def _params(question: TallyQuestion) -> dict[str, Any]:
    return {
        "since": question.since,
        "until": question.until,
        "since_text": (question.since - MARGIN).isoformat(),
        "department": question.department,
        "entries": Jsonb(question.entry_departments),
        **{
            f"{milestone}_goals": Jsonb(question.goal_seconds.get(milestone, {}))
            for milestone in MILESTONES
        },
    }


Level = tuple[int, str, str]  # (grouping bits: 0 group, 1 department, 3 total; dept; language)


def _opened(rows: list[Any]) -> dict[Level, Figures]:
    levels = {}
    for row in rows:
        level, department, language, *counts = row
        levels[(int(level), department or "", language or "")] = _figures(counts)
    return levels


def _figures(counts: list[Any]) -> Figures:
    tickets, requests, fr_n, fr_median, fr_p90, res_n, res_median, res_p90 = counts[:8]
    hold_seconds, holds, holds_over, transfers, escalations = counts[8:13]
    rated = counts[13 : 13 + len(RATINGS)]
    sla = counts[13 + len(RATINGS) : 17 + len(RATINGS)]
    within = counts[17 + len(RATINGS) :]
    figures = Figures(
        tickets_opened=tickets,
        requests_opened=requests,
        first_response=_spread(fr_n, fr_median, fr_p90),
        resolution=_spread(res_n, res_median, res_p90),
        hold_seconds=float(hold_seconds or 0),
        holds=int(holds or 0),
        holds_over=int(holds_over or 0),
        transfers=int(transfers or 0),
        escalations=int(escalations or 0),
        ratings=dict(zip(RATINGS, rated, strict=True)),
    )
    for milestone, (decided, met) in zip(MILESTONES, (sla[:2], sla[2:]), strict=True):
        if decided:
            figures.sla_decided[milestone], figures.sla_met[milestone] = decided, met
    for milestone, count, inside in zip(MILESTONES, (fr_n, res_n), within, strict=True):
        if count:
            figures.goal_share[milestone] = inside / count
    return figures


def _spread(count: int, median: float | None, p90: float | None) -> Spread:
    return Spread(count, median, p90) if count else Spread(0, None, None)


def _add_closed(levels: dict[Level, Figures], rows: list[Any]) -> None:
    for level, department, language, tickets, requests in rows:
        found = levels.setdefault((int(level), department or "", language or ""), Figures())
        found.tickets_closed, found.requests_closed = tickets, requests


def _kb(row: list[Any]) -> KbFigures:
    conversations, answered, helpful, unhelpful = row
    return KbFigures(conversations, answered, int(helpful or 0), int(unhelpful or 0))


def _groups(
    levels: dict[Level, Figures], kb: dict[Group, KbFigures], comments: list[Any]
) -> dict[Group, Figures]:
    """The smallest groups, in order, each with its knowledge-base figures and comments."""
    keys = {(d, lang) for level, d, lang in levels if level == 0} | set(kb)
    groups = {}
    for key in sorted(keys):
        mine = [c for c in comments if (c[0], c[1]) == key]
        groups[key] = _scope(levels.get((0, *key), Figures()), [kb.get(key, KbFigures())], mine)
    return groups


def _departments(
    levels: dict[Level, Figures], kb: dict[Group, KbFigures], comments: list[Any]
) -> dict[str, Figures]:
    names = {d for level, d, _ in levels if level == 1} | {d for d, _ in kb}
    return {
        d: _scope(
            levels.get((1, d, ""), Figures()),
            [f for (dept, _), f in kb.items() if dept == d],
            [c for c in comments if c[0] == d],
        )
        for d in names
    }


def _scope(figures: Figures, kb: Iterable[KbFigures], comments: list[Any]) -> Figures:
    """Figures with the knowledge-base figures of their groups and their latest comments."""
    for part in kb:
        for name in ("conversations", "answered", "helpful", "unhelpful"):
            setattr(figures.kb, name, getattr(figures.kb, name) + getattr(part, name))
    kept = [(str(ticket), rating, str(text)) for _, _, ticket, rating, text in comments]
    figures.comments = sorted(kept, key=lambda c: c[0], reverse=True)[:COMMENTS_KEPT]
    return figures


def _decoded(body: str) -> Doc:
    doc: Doc = decode(body)
    return doc
