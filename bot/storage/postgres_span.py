"""A `Span` as SQL over the documents table, in the shape its expression indexes have."""

from __future__ import annotations

from bot.ports import Span


def span_clause(span: Span) -> tuple[str, list[str]]:
    """` AND ...` selecting documents whose `span.field` is text within the span (compared
    byte by byte, as Python compares characters), and its parameters. The field is written
    into the SQL (an index on an expression is used only for that same expression, not for
    a parameter); `Span` admits plain names only."""
    field = span.field
    value = f"(fields ->> '{field}') COLLATE \"C\""
    clause = f" AND fields ? '{field}' AND jsonb_typeof(fields -> '{field}') = 'string'"
    bounds: list[str] = []
    for bound, compare in ((span.since, ">="), (span.until, "<=")):
        if bound is not None:
            clause += f" AND {value} {compare} %s"
            bounds.append(bound)
    return clause, bounds
