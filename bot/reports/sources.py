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
from bot.ports import Span, Store, Where
from bot.reports.build import Records, asked_since, touched_since
from bot.storage.readonly import read_collections
from bot.tickets.desk import TICKETS
from bot.tickets.facts_store import TICKET_FACTS

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
        tickets=await tickets_since(services.store, since),
        lookups=await services.store.find(
            LOOKUPS, where=_since(asked_since, since), span=_span("at", since)
        ),
        departments=services.departments,
        hours=services.hours,
        entry_department=department_of,
        now=now or services.clock.now(),
    )


async def tickets_since(store: Store, since: datetime | None) -> list[Doc]:
    """The stored tickets opened or closed since `since` (all without it): those opened since
    through the opening-time index, and the few opened before but closed since through their
    stored facts, one by one. A store whose tickets are not all measured yet is read whole."""
    if since is None:
        return await store.find(TICKETS)
    touched = _since(touched_since, since)
    if await store.count(TICKETS) != await store.count(TICKET_FACTS):
        return await store.find(TICKETS, where=touched)
    opened = await store.find(TICKETS, where=touched, span=Span.from_time("opened_at", since))
    seen = {doc["id"] for doc in opened}
    facts = await store.find(TICKET_FACTS, span=Span.from_time("latest_at", since))
    earlier = []
    for key in (f["id"] for f in facts if f["id"] not in seen):
        doc = await store.get(TICKETS, key)
        if doc is not None and touched is not None and touched(doc):
            earlier.append(doc)
    return earlier + opened


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
