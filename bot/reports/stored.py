"""Bringing the stored ticket facts up to date before a database counts them.

The bot stores each ticket's facts whenever it changes (`TicketDesk.save`). Facts that are
not final (a hold still running, a deadline not yet decided) depend on the clock, so they
are measured again, as of now, for the tickets a report can count. A store written by an older
version, whose tickets are not all measured yet, is measured once in full.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from datetime import datetime

from bot.models import Doc
from bot.ports import Span, Store
from bot.tickets.desk import TICKETS, wall_seconds
from bot.tickets.facts_store import TICKET_FACTS, measured
from bot.tickets.measures import Working
from bot.tickets.model import ACTIVE

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


async def _tickets(store: Store, keys: set[str]) -> Iterable[Doc]:
    """The tickets named: the open ones through the status index, any others one by one."""
    found: dict[str, Doc] = {}
    for status in ACTIVE:
        for doc in await store.find(TICKETS, status=status.value):
            if doc["id"] in keys:
                found[doc["id"]] = doc
    for key in keys - found.keys():
        other = await store.get(TICKETS, key)
        if other is not None:
            found[key] = other
    return found.values()


def _measure(ticket: Doc, working: WorkingTimes, now: datetime) -> Doc:
    return measured(ticket, working.get(str(ticket.get("department")), wall_seconds), now)
