"""Bringing the stored ticket facts up to date before a database counts them.

The bot stores each ticket's facts whenever it changes (`TicketDesk.save`). Facts that are
not final (a hold still running, a deadline not yet decided) depend on the clock, so they
are measured again, as of now, for the tickets a report can count. A store written by an older
version, whose tickets are not all measured yet, is measured once in full.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import datetime

from bot.departments import Department
from bot.hours import parse_hours
from bot.kb.entries import Entry
from bot.models import Doc
from bot.ports import Span, Store
from bot.reports.build import Report, Window, counted_report
from bot.reports.tally import ReportCounter, question_for
from bot.tickets.desk import TICKETS, wall_seconds
from bot.tickets.facts_store import TICKET_FACTS, measured
from bot.tickets.measures import Working

WorkingTimes = Mapping[str, Working]  # department -> business seconds between two instants


async def settle_facts(store: Store, working: WorkingTimes, now: datetime, since: datetime) -> int:
    """Store the facts of every ticket a report from `since` can count, as of `now`: those
    missing, and those not final; how many were measured."""
    missing = 0
    if await store.count(TICKETS) != await store.count(TICKET_FACTS):
        missing = await measure_missing(store, working, now)
    span = Span.from_time("latest_at", since)
    unsettled = {doc["id"] for doc in await store.find(TICKET_FACTS, span=span, final=False)}
    if unsettled:
        tickets = await _tickets(store, unsettled)
        await store.put_many(TICKET_FACTS, [(t["id"], _measure(t, working, now)) for t in tickets])
    return missing + len(unsettled)


async def measure_missing(store: Store, working: WorkingTimes, now: datetime) -> int:
    """Measure and store the facts of every ticket that has none; how many that was."""
    have = {doc["id"] for doc in await store.find(TICKET_FACTS)}
    missing = [t for t in await store.find(TICKETS) if t["id"] not in have]
    await store.put_many(TICKET_FACTS, [(t["id"], _measure(t, working, now)) for t in missing])
    return len(missing)


async def _tickets(store: Store, keys: set[str]) -> list[Doc]:
    """The tickets named (few: a hold running, a deadline ahead)."""
    found = [await store.get(TICKETS, key) for key in sorted(keys)]
    return [doc for doc in found if doc is not None]


async def count_report(
    store: Store,
    counter: ReportCounter,
    departments: dict[str, Department],
    entries: tuple[Entry, ...],
    window: Window,
    department: str,
    now: datetime,
) -> Report:
    """The report `counter` counts over the store's ticket facts, brought up to date first."""
    hours = {d.id: parse_hours(d.hours) for d in departments.values() if d.hours}
    working = {d: found.business_seconds for d, found in hours.items()}
    await settle_facts(store, working, now, window.since)
    tally = await counter.tally(question_for(window, department, departments, entries))
    return counted_report(tally, window, departments, department, now)


def _measure(ticket: Doc, working: WorkingTimes, now: datetime) -> Doc:
    return measured(ticket, working.get(str(ticket.get("department")), wall_seconds), now)
