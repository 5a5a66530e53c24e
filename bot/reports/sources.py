"""Where a report's records come from: the running bot's store, or a store directory."""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime
from pathlib import Path

from bot.core import Services
from bot.departments import Department
from bot.hours import parse_hours
from bot.kb.entries import Entry
from bot.models import Doc
from bot.ports import Span, Where
from bot.reports.build import Records, asked_since, touched_since
from bot.storage.readonly import read_collections
from bot.tickets.desk import TICKETS

LOOKUPS = "kb_lookups"


async def records_of(
    services: Services, since: datetime | None = None, now: datetime | None = None
) -> Records:
    """The live records, for `/stats` and the dashboard; with `since`, only those that can
    count in a period starting then (filtered before the store copies them out)."""

    def department_of(entry_id: str) -> str:
        entry = services.kb.entry(entry_id)
        return entry.department if entry else ""

    return Records(
        tickets=await services.store.find(TICKETS, where=_since(touched_since, since)),
        lookups=await services.store.find(
            LOOKUPS, where=_since(asked_since, since), span=_span("at", since)
        ),
        departments=services.departments,
        hours=services.hours,
        entry_department=department_of,
        now=now or services.clock.now(),
    )


async def records_in(
    db_dir: Path, departments: dict[str, Department], entries: tuple[Entry, ...], now: datetime
) -> Records:
    """Records read from a store directory without taking it over (the bot may be running)."""
    found = await read_collections(db_dir, (TICKETS, LOOKUPS))
    return _records(found[TICKETS], found[LOOKUPS], departments, entries, now)


def _records(
    tickets: list[Doc],
    lookups: list[Doc],
    departments: dict[str, Department],
    entries: tuple[Entry, ...],
    now: datetime,
) -> Records:
    by_entry = {e.id: e.department for e in entries}
    return Records(
        tickets=tickets,
        lookups=lookups,
        departments=departments,
        hours={d.id: parse_hours(d.hours) for d in departments.values() if d.hours},
        entry_department=lambda entry_id: by_entry.get(entry_id, ""),
        now=now,
    )


def _since(test: Callable[[Doc, datetime, str], bool], since: datetime | None) -> Where | None:
    if since is None:
        return None
    reference = since.isoformat()
    return lambda doc: test(doc, since, reference)


def _span(field: str, since: datetime | None) -> Span | None:
    """What the store can select by itself; the exact test runs on what it returns."""
    return None if since is None else Span.from_time(field, since)
